from django.apps import AppConfig


class ReputationConfig(AppConfig):
    name = "peerwork.reputation"
    label = "reputation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.activity.recorder import after_record
        from peerwork.spaces.space_policy import register_section

        from . import jobs, policy, rules, verbs  # noqa: F401  (rules, verbs, jobs register)
        from .compute import apply_event
        from .policy_schema import ReputationPolicy

        register_section("reputation", ReputationPolicy)
        after_record(apply_event)
