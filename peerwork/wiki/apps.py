from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "peerwork.wiki"
    label = "wiki"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy  # noqa: F401  (registers this app's rules with the one policy)
