from django.apps import AppConfig


class InteropConfig(AppConfig):
    """The MediaWiki world and the open web: Action API, dumps, webhooks, live feeds."""

    name = "peerwork.interop"
    label = "interop"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the webhooks' permission rule and jobs.
        from peerwork.activity import recorder

        from . import wakeups
        from .webhooks import delivery, policy  # noqa: F401

        recorder.after_record(delivery.schedule_fan_out)
        # Live streams on every server process wake when a space's event commits (Redis).
        recorder.after_record(wakeups.schedule_wakeup)
