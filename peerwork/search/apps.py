from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "peerwork.search"
    label = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.activity import recorder

        from . import index, kinds

        kinds.register_kinds()
        recorder.after_record(index.event_recorded)
