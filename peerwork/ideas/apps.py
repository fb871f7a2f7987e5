from typing import TYPE_CHECKING, cast

from django.apps import AppConfig

if TYPE_CHECKING:
    from peerwork.spaces.models import Space


class IdeasConfig(AppConfig):
    name = "peerwork.ideas"
    label = "ideas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse

        from peerwork.activity import links, watching
        from peerwork.discussions import attachments
        from peerwork.interop.dumps import jsonl
        from peerwork.spaces.space_policy import register_section

        from . import actions, dump, home, policy, verbs  # noqa: F401  (rules, verbs, the expiry job)
        from .models import Idea, Status
        from .policy_schema import IdeasPolicy

        register_section("ideas", IdeasPolicy)
        home.register()

        # Watch events carry the idea and its status, as every idea event does.
        watching.register(
            Idea, noun="idea", data_of=lambda idea: {"idea": idea.pk, "status": idea.status}
        )
        attachments.register(
            Idea,
            space_of=lambda idea: idea.space,
            view_action="idea.view",
            accepts_comments=lambda idea: idea.status not in {Status.DRAFT, Status.MERGED},
            watchers_of=actions.audience,
            url_of=lambda idea: reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
        )
        jsonl.section(dump.ideas_records)
        # links.target_url calls a builder only for an event with a space.
        links.register(
            "ideas.idea",
            lambda event: reverse(
                "ideas:detail", args=[cast("Space", event.space).slug, int(event.target_id)]
            ),
        )
