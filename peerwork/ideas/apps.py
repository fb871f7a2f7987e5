from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "peerwork.ideas"
    label = "ideas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy  # noqa: F401  (registers this app's rules)
