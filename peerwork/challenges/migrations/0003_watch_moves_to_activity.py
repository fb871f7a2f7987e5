"""The old watch table goes: its rows were copied into `activity.Watch` just before."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0002_close_notice"),
        ("activity", "0004_copy_old_watches"),
    ]

    operations = [migrations.DeleteModel(name="Watch")]
