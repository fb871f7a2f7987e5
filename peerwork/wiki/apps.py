from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "peerwork.wiki"
    label = "wiki"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from peerwork.core.markup import register_title_rules

        from . import policy  # noqa: F401  (registers this app's rules with the one policy)
        from .titles import MEDIAWIKI_TITLES

        register_title_rules(MEDIAWIKI_TITLES)  # [[links]] follow MediaWiki's title rules
