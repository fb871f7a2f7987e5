from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "peerwork.activity"
    label = "activity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core.context_processors import register_header_count

        from . import policy, selectors  # noqa: F401  (policy registers this app's rules)

        register_header_count("unread_notification_count", selectors.unread_notification_count)
