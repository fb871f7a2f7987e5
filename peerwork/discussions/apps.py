from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "peerwork.discussions"
    label = "discussions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.wiki.models import Page, Watch

        from . import attachments, policy  # noqa: F401  (registers this app's rules)

        # Wiki pages take comments. Other apps register their own models the same way, from
        # their AppConfig.ready(), once this app is installed.
        attachments.register(
            Page,
            space_of=lambda page: page.space,
            view_action="page.view",
            accepts_comments=lambda page: not page.is_deleted,
            watchers_of=lambda page: Watch.objects.filter(page=page).values_list(
                "user_id", flat=True
            ),
        )
