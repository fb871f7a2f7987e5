from typing import TYPE_CHECKING, cast

from django.apps import AppConfig

if TYPE_CHECKING:
    from peerwork.spaces.models import Space


class ChallengesConfig(AppConfig):
    name = "peerwork.challenges"
    label = "challenges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from peerwork.activity import links, watching
        from peerwork.discussions import attachments
        from peerwork.discussions.views import ThreadWords, register_words
        from peerwork.interop.dumps.jsonl import section
        from peerwork.spaces.space_policy import register_section

        from . import dump, home, jobs, policy, verbs  # noqa: F401  (rules, verbs, jobs register)
        from .models import Challenge
        from .policy_schema import ChallengesPolicy

        home.register()

        register_section("challenges", ChallengesPolicy)

        section(dump.records)
        watching.register(Challenge, noun="challenge")
        # Questions and answers about a challenge, in public: whoever may see it reads them.
        attachments.register(
            Challenge,
            space_of=lambda challenge: challenge.space,
            view_action="challenge.view",
            accepts_comments=lambda challenge: challenge.withdrawn_at is None,
            watchers_of=watching.watcher_ids,
            url_of=lambda challenge: reverse(
                "challenges:detail", args=[challenge.space.slug, challenge.pk]
            ),
        )
        register_words(
            Challenge,
            ThreadWords(
                empty_text=_("No questions yet."),
                new_label=_("Ask a question or answer one (public)"),
                new_button=_("Post"),
            ),
        )
        # links.target_url calls a builder only for an event with a space.
        links.register(
            "challenges.challenge",
            lambda event: reverse(
                "challenges:detail", args=[cast("Space", event.space).slug, int(event.target_id)]
            ),
        )
