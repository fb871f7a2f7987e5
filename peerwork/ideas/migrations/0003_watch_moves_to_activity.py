"""The old watch table goes: its rows were copied into `activity.Watch` just before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0002_merge_keeps_dropped_supports"),
        ("activity", "0004_copy_old_watches"),
    ]

    operations = [migrations.DeleteModel(name="Watch")]
