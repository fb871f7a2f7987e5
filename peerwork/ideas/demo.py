"""Demo ideas: a few in several statuses, made through the same actions people use."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerwork.accounts.models import User
from peerwork.spaces import actions as spaces
from peerwork.spaces.selectors import space_role

from . import actions
from .models import Status

#: Small stages, so that the demo shows an idea in each part of its life.
DEMO_MILESTONES = [{"supporters": 1, "days": 30}, {"supporters": 2, "days": 90}]
CRITERIA = (
    "We accept ideas that are **safe**, that **serve the whole community**, and that "
    "volunteers can build with what the space has."
)


@transaction.atomic
def seed(*, space: Any, people: dict[str, User]) -> None:
    """Ideas open, in review, accepted, rejected, merged and a draft, in `space`.

    Needs a steward of the space among `people` and at least four people in all; the space's
    ideas policy is set to small milestones so that a handful of people reach them.
    """
    everyone = list(people.values())
    steward = next((p for p in everyone if space_role(p, space) == "steward"), None)
    if steward is None or len(everyone) < 4:
        raise ValueError("the ideas demo needs a steward of the space and four people")
    policy = dict(space.policy or {})
    policy["ideas"] = {
        **(policy.get("ideas") or {}),
        "support_milestones": DEMO_MILESTONES,
        "review_criteria": CRITERIA,
    }
    space = spaces.space_policy_update(user=steward, space=space, document=policy)
    # Reviewers never decide their own ideas: the steward comes last, after the authors.
    ordered = [p for p in everyone if p.pk != steward.pk] + [steward]
    first, second, third, fourth = ordered[:4]

    def publish(author: User, title: str, description: str, tags: list[str]) -> Any:
        idea = actions.idea_create(
            user=author, space=space, title=title, description=description, tags=tags
        )
        return actions.idea_publish(user=author, idea=idea)

    def support(idea: Any, *by: User) -> Any:
        for person in by:
            actions.idea_support(user=person, idea=idea)
        idea.refresh_from_db()
        return idea

    # Accepted, with two co-creators sharing the revenue 2:1.
    handbook = actions.idea_create(
        user=first,
        space=space,
        title="Translate the handbook into Spanish",
        description="Half of our newcomers read Spanish first. A translated handbook, kept "
        "in step with the English one through the wiki.",
        tags=["docs", "translation"],
        share=2,
    )
    actions.idea_invite_creator(user=first, idea=handbook, invitee=second, share=1)
    actions.idea_invitation_respond(user=second, idea=handbook, accept=True)
    handbook = actions.idea_publish(user=first, idea=handbook)
    handbook = support(handbook, third, fourth)
    if handbook.status == "in_review":
        actions.idea_review(
            user=steward,
            idea=handbook,
            decision="accept",
            reason="Safe and for everyone; two volunteers offered to keep it up to date.",
        )

    # Open, on its way to the first milestone.
    repair = publish(
        second,
        "A monthly repair café",
        "Bring a broken toaster, leave with a working one and a new skill.",
        ["events"],
    )
    support(repair, third)

    # A duplicate, flagged and merged into it; its one supporter already supports the other,
    # so after the merge they still count once.
    duplicate = publish(fourth, "Repair cafe every month", "Fix things together.", ["events"])
    support(duplicate, third)
    actions.idea_flag_duplicate(user=first, idea=duplicate, duplicate_of=repair.pk)
    actions.idea_merge(
        user=steward, idea=duplicate, into=repair.pk, reason="The same idea, proposed twice."
    )

    # Rejected, with the reason.
    shed = publish(third, "Paint the bike shed gold", "It would shine.", ["buildings"])
    shed = support(shed, first, second)
    if shed.status == "in_review":
        actions.idea_review(
            user=steward,
            idea=shed,
            decision="reject",
            reason="Gold paint is not safe for the wooden shed, and the landlord refuses it. "
            "A mural on the wall facing the street would be welcome as a new idea.",
        )

    # The accepted idea earns: its net revenue comes into the treasury and its creators are
    # paid their agreed share, through the ledger.
    handbook.refresh_from_db()
    if handbook.status == Status.ACCEPTED:
        for quarter, amount in ((1, 240000), (2, 115050)):
            actions.idea_revenue_record(
                user=steward,
                idea=handbook,
                amount=amount,
                currency="EUR",
                key=f"demo:idea:{handbook.pk}:sales-{quarter}",
                reference=f"Demo: sales of the printed handbook, quarter {quarter}",
            )

    # A draft its author has not shown anyone yet.
    actions.idea_create(
        user=first,
        space=space,
        title="Beehives on the roof",
        description="Needs a beekeeper first.",
        tags=["nature"],
    )
