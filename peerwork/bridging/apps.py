from django.apps import AppConfig


class BridgingConfig(AppConfig):
    name = "peerwork.bridging"
    label = "bridging"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from peerwork.discussions import views as discussion_views
        from peerwork.discussions.models import Comment
        from peerwork.ideas import extensions
        from peerwork.ideas.models import Idea, Status, Support
        from peerwork.spaces.space_policy import register_section

        from . import actions, policy, selectors, verbs, views  # noqa: F401  (rules, verbs, the job)
        from .kinds import register_rated_kind
        from .policy_schema import BridgingPolicy

        register_section("bridging", BridgingPolicy)

        def idea_supports(space):  # type: ignore[no-untyped-def]
            return (
                (user_id, idea_id, 1.0, when)
                for user_id, idea_id, when in Support.objects.filter(idea__space=space).values_list(
                    "user_id", "idea_id", "created_at"
                )
            )

        register_rated_kind(
            "idea",
            model=Idea,
            space_of=lambda idea: idea.space,
            view_action="idea.view",
            is_rateable=lambda idea: idea.status not in {Status.DRAFT, Status.MERGED},
            signals=idea_supports,
            url_of=lambda idea: reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
            is_support=True,
        )
        register_rated_kind(
            "comment",
            model=Comment,
            space_of=lambda comment: comment.space,
            view_action="comment.view",
            is_rateable=lambda comment: not comment.is_deleted,
        )

        from peerwork.governance.models import Statement, StatementVote

        def statement_votes(space):  # type: ignore[no-untyped-def]
            """Agree is helpful, disagree is not; a pass says nothing."""
            return (
                (voter_id, statement_id, 1.0 if value > 0 else 0.0, when)
                for voter_id, statement_id, value, when in StatementVote.objects.filter(
                    statement__proposal__space=space, statement__is_hidden=False
                )
                .exclude(value=0)
                .values_list("voter_id", "statement_id", "value", "updated_at")
            )

        register_rated_kind(
            "statement",
            model=Statement,
            space_of=lambda statement: statement.proposal.space,
            view_action="statement.view",
            is_rateable=lambda statement: not statement.is_hidden,
            signals=statement_votes,
            url_of=lambda statement: reverse(
                "governance:opinion", args=[statement.proposal.space.slug, statement.proposal_id]
            ),
            in_coordination=False,
        )

        def bridged_notes(ideas):  # type: ignore[no-untyped-def]
            return selectors.notes_for("idea", [idea.pk for idea in ideas])

        def bridged_order(ideas):  # type: ignore[no-untyped-def]
            first = ideas.first()
            if first is not None:
                selectors.fresh_scores(first.space)
            return selectors.order_bridged(ideas, "idea")

        extensions.register_sort(
            "bridged",
            label=_("support across viewpoints"),
            order=bridged_order,
            notes=bridged_notes,
        )
        extensions.register_milestone_counter(selectors.milestone_count)
        extensions.register_detail_link(
            _("How supports count"),
            lambda idea: reverse("bridging:audit", args=[idea.space.slug, idea.pk]),
        )
        discussion_views.register_thread_extension(views.thread_extension)
