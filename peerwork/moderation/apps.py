from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "peerwork.moderation"
    label = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core import screening
        from peerwork.discussions import actions as discussions

        from . import actions, classifier, filters, policy, verbs  # noqa: F401  (rules, verbs, jobs)

        screening.register("filters", filters.filter_screen)
        screening.register("spam", classifier.spam_screen)
        discussions.on_hold(actions.queue_hold)
