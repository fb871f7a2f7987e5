from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "peerwork.challenges"
    label = "challenges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.interop.dumps.jsonl import section

        from . import dump, policy, verbs  # noqa: F401  (rules and verbs register on import)

        section(dump.records)
