from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "peerwork.wiki"
    label = "wiki"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from peerwork.activity import rows, watching
        from peerwork.core.markup import register_title_rules
        from peerwork.discussions import attachments
        from peerwork.discussions.views import register_layout
        from peerwork.spaces.space_policy import register_section

        from . import home, jobs, policy, verbs  # noqa: F401  (rules with the one policy; jobs)
        from .models import Page
        from .policy_schema import WikiPolicy
        from .titles import MEDIAWIKI_TITLES, title_text
        from .views import Change, discussion_frame_context

        register_title_rules(MEDIAWIKI_TITLES)  # [[links]] follow MediaWiki's title rules
        register_section("wiki", WikiPolicy)  # the markup new pages are written in
        home.register()
        # A page's events show as the wiki's change rows (its title, diff link) in notifications.
        rows.register("wiki.page", Change)
        watching.register(Page, noun="page")
        # Pages take comments; whoever may read a page reads its talk.
        attachments.register(
            Page,
            space_of=lambda page: page.space,
            view_action="page.view",
            accepts_comments=lambda page: not page.is_deleted,
            watchers_of=watching.watcher_ids,
            url_of=lambda page: reverse(
                "wiki:discussion",
                args=[page.space.slug, title_text(page.namespace, page.title).replace(" ", "_")],
            ),
        )
        # The shared comment pages of a page keep the page's tabs.
        register_layout(
            Page, template="wiki/_discussion_layout.html", context=discussion_frame_context
        )
