from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "peerwork.risk"
    label = "risk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core import screening
        from peerwork.spaces.settings_panels import Panel, register_panel
        from peerwork.spaces.space_policy import register_section

        from . import features, jobs, policy, verbs  # noqa: F401  (the job, rule, verb register)
        from .panels import settings_panel
        from .policy_schema import RiskPolicy
        from .screen import risk_screen

        register_section("risk", RiskPolicy)
        screening.register("risk", risk_screen)
        screening.register_words(
            "risk", lambda item: features.in_words(item["feature"], float(item["value"]))
        )
        register_panel(Panel("risk", 50, "risk/_settings_status.html", settings_panel))
