from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "peerwork.credit"
    label = "credit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.spaces.space_policy import register_section

        from . import policy, verbs  # noqa: F401  (rules and verbs register)
        from .policy_schema import CreditPolicy

        register_section("credit", CreditPolicy)
