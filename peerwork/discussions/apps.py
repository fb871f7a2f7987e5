from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "peerwork.discussions"
    label = "discussions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import policy, sentences  # noqa: F401  (registers this app's rules and sentences)

        # Each app registers its commentable models from its own AppConfig.ready() with
        # `attachments.register` (wiki pages, ideas, challenges).
