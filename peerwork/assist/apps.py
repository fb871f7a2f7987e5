from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "peerwork.assist"
    label = "assist"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.activity import recorder

        from . import index, kinds

        # Ideas, challenges, tasks, proposals and wiki pages; a kind that lands later calls
        # `registry.register_kind` from its own apps.py (or from here) the same way.
        kinds.register_kinds()
        # A saved object is embedded again by a job after the commit.
        recorder.after_record(index.event_recorded)
