"""The event verbs of ideas.

Private (seen by the actor and site administrators only): everything about a draft, which is its
creators' business, and supports, which are counted in public but never named (like a ballot).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from peerwork.activity.verbs import register

register("idea:drafted", _("started a draft idea"), audience="private")
register("idea:draft_edited", _("edited a draft idea"), audience="private")
register(
    "idea:draft_creator_invited", _("invited a co-creator to a draft idea"), audience="private"
)
register(
    "idea:draft_creator_responded", _("answered an invitation to a draft idea"), audience="private"
)
register("idea:published", _("published the idea"))
register("idea:edited", _("edited the idea"))
register("idea:creator_invited", _("invited a co-creator to the idea"))
register("idea:creator_accepted", _("became a co-creator of the idea"))
register("idea:creator_declined", _("declined to co-create the idea"))
register("idea:supported", _("supported the idea"), audience="private")
register("idea:support_withdrawn", _("withdrew their support of the idea"), audience="private")
register("idea:milestone_reached", _("reached a support milestone"))
register("idea:sent_to_review", _("went to review"))
register("idea:accepted", _("accepted the idea"))
register("idea:rejected", _("rejected the idea"))
register("idea:done", _("marked the idea done"))
register("idea:revenue_recorded", _("recorded revenue of the idea and paid its creators' share"))
register("idea:expired", _("expired: a support milestone was missed"))
register("idea:flagged", _("flagged the idea as a duplicate"))
register("idea:merged", _("merged the idea into another"))
register("idea:unmerged", _("undid the merge of the idea"))
register("idea:watched", _("watched the idea"), audience="private")
register("idea:unwatched", _("stopped watching the idea"), audience="private")


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from django.utils.translation import ngettext

    from peerwork.activity.sentences import (
        Field,
        You,
        address,
        describe,
        describe_target,
        format_status,
        quote,
    )
    from peerwork.core.templatetags.numbers import number

    from .models import Status

    def change(value: Any, data: Any, names: Any) -> str:
        if not isinstance(value, dict):
            return ""
        moved = _("from %(old)s to %(new)s") % {
            "old": format_status(value.get("from"), Status.choices),
            "new": format_status(value.get("to"), Status.choices),
        }
        reason = value.get("reason")
        return f"{moved}: {quote(reason)}" if reason else moved

    status = Field(_("status"), "custom", render=change)
    describe_target("ideas.idea", _("idea"))
    for verb in ("idea:drafted", "idea:draft_edited", "idea:edited"):
        describe(verb)
    describe("idea:draft_creator_invited", invitee=Field(_("invitee"), "person"))
    describe(
        "idea:draft_creator_responded",
        accepted=Field(
            _("answer"),
            "custom",
            render=lambda v, d, n: (
                pgettext("co-creator state", "accepted")
                if v
                else pgettext("co-creator state", "declined")
            ),
        ),
    )
    describe("idea:creator_invited", invitee=Field(_("invitee"), "person"))
    for verb in (
        "idea:creator_accepted",
        "idea:creator_declined",
        "idea:watched",
        "idea:unwatched",
    ):
        describe(verb)
    describe("idea:published", change=status)
    describe("idea:sent_to_review", change=status)
    describe("idea:accepted", change=status)
    describe("idea:rejected", change=status)
    describe("idea:done", change=status)
    describe("idea:expired", change=status)
    describe("idea:unmerged", change=status)
    describe("idea:merged", change=status, supports_moved=Field(_("supports moved"), "count"))
    describe("idea:flagged", reason=Field(_("reason"), "quote"))
    describe("idea:supported", supporters=Field(_("supporters"), "count"))
    describe("idea:support_withdrawn", supporters=Field(_("supporters"), "count"))
    describe(
        "idea:milestone_reached",
        stage=Field(_("milestone"), "count"),
        supporters=Field(_("supporters"), "count"),
    )
    describe("idea:revenue_recorded")

    def creators(events: Any) -> dict[int, set[int]]:
        """{idea id: its accepted creators}, for "your idea"."""
        from .models import Creator

        ids = {int(event.target_id) for event in events if event.target_id.isdigit()}
        found: dict[int, set[int]] = {}
        rows = Creator.objects.filter(idea_id__in=ids, state=Creator.State.ACCEPTED)
        for idea_id, user_id in rows.values_list("idea_id", "user_id"):
            found.setdefault(idea_id, set()).add(user_id)
        return found

    def milestone(event: Any, you: Any, names: Any, loaded: Any) -> Any:
        supporters = int((event.data or {}).get("supporters") or 0)
        values = {"count": number(supporters)}
        mine = you.pk in (loaded or {}).get(int(event.target_id), set())
        if mine:
            text = ngettext(
                "Your idea %(object)s reached %(count)s supporter",
                "Your idea %(object)s reached %(count)s supporters",
                supporters,
            )
        else:
            text = ngettext(
                "%(object)s, an idea you follow, reached %(count)s supporter",
                "%(object)s, an idea you follow, reached %(count)s supporters",
                supporters,
            )
        return You(text, values)

    address("idea:milestone_reached", milestone, load=creators)


_describe()
