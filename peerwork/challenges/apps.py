from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "peerwork.challenges"
    label = "challenges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy  # noqa: F401  (registers this app's rules)
