from django.apps import AppConfig


class AbuseConfig(AppConfig):
    name = "peerwork.abuse"
    label = "abuse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core import limits
        from peerwork.spaces.space_policy import register_section

        from . import jobs  # noqa: F401  (the purge registers)
        from .limiter import LIMITER
        from .policy_schema import LimitsPolicy

        register_section("limits", LimitsPolicy)
        limits.register(LIMITER)
