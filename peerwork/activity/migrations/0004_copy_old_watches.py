"""Copy every watch of the three old tables (wiki, ideas, challenges) into `activity.Watch`.

The old tables are dropped by the next migration of each app, which depends on this one.
Going back copies the rows the other way, so the old tables get every watch again (stamped
with the time of the rollback, as their `auto_now_add` field wants).
"""

from django.db import migrations
from django.utils import timezone

#: (app label, old model, field naming the watched object, new content type's model)
OLD = [
    ("wiki", "Watch", "page_id", "page"),
    ("ideas", "Watch", "idea_id", "idea"),
    ("challenges", "Watch", "challenge_id", "challenge"),
]


def _content_type(apps, schema_editor, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.using(schema_editor.connection.alias).get_or_create(
        app_label=app_label, model=model
    )
    return content_type


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    Watch = apps.get_model("activity", "Watch")
    now = timezone.now()
    for app_label, old_name, target_field, model in OLD:
        old = apps.get_model(app_label, old_name)
        content_type = _content_type(apps, schema_editor, app_label, model)
        has_created = any(field.name == "created_at" for field in old._meta.fields)
        rows = [
            Watch(
                user_id=watch.user_id,
                content_type=content_type,
                object_id=getattr(watch, target_field),
                created_at=watch.created_at if has_created else now,
            )
            for watch in old.objects.using(alias).order_by("pk").iterator()
        ]
        Watch.objects.using(alias).bulk_create(rows, batch_size=500, ignore_conflicts=True)


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    Watch = apps.get_model("activity", "Watch")
    for app_label, old_name, target_field, model in OLD:
        old = apps.get_model(app_label, old_name)
        content_type = _content_type(apps, schema_editor, app_label, model)
        rows = []
        for watch in Watch.objects.using(alias).filter(content_type=content_type).iterator():
            fields = {"user_id": watch.user_id, target_field: watch.object_id}
            rows.append(old(**fields))
        old.objects.using(alias).bulk_create(rows, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0003_watch"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wiki", "0001_initial"),
        ("ideas", "0002_merge_keeps_dropped_supports"),
        ("challenges", "0002_close_notice"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
