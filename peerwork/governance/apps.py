from typing import TYPE_CHECKING, cast

from django.apps import AppConfig

if TYPE_CHECKING:
    from peerwork.spaces.models import Space


class GovernanceConfig(AppConfig):
    name = "peerwork.governance"
    label = "governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from peerwork.activity import links, watching
        from peerwork.discussions import attachments
        from peerwork.discussions.views import ThreadWords, register_words
        from peerwork.interop.dumps.jsonl import section
        from peerwork.spaces.space_policy import register_section

        from . import dump, home, jobs, opinion_dump, opinion_jobs, policy, verbs  # noqa: F401
        from .models import Proposal
        from .policy_schema import GovernancePolicy

        register_section("governance", GovernancePolicy)
        section(dump.records)
        section(opinion_dump.records)
        home.register()
        watching.register(Proposal, noun="proposal")
        # The proposal's one discussion: arguments for and against, questions to the author.
        attachments.register(
            Proposal,
            space_of=lambda proposal: proposal.space,
            view_action="proposal.view",
            accepts_comments=lambda proposal: proposal.cancelled_at is None,
            watchers_of=watching.watcher_ids,
            url_of=lambda proposal: reverse(
                "governance:detail", args=[proposal.space.slug, proposal.pk]
            ),
        )
        register_words(
            Proposal,
            ThreadWords(
                empty_text=_("No comments yet."),
                new_label=_("Discuss this proposal"),
                new_button=_("Post"),
            ),
        )
        links.register(
            "governance.proposal",
            lambda event: reverse(
                "governance:detail", args=[cast("Space", event.space).slug, int(event.target_id)]
            ),
        )
        links.register(
            "governance.statement",
            lambda event: reverse(
                "governance:opinion",
                args=[
                    cast("Space", event.space).slug,
                    int((event.data or {}).get("proposal") or 0),
                ],
            ),
        )
        links.register(
            "governance.delegation",
            lambda event: reverse("governance:delegation", args=[cast("Space", event.space).slug]),
        )
