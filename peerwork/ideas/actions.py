"""Every write to ideas: one function each, one transaction, one permission check, one event.

Web pages, the REST API, the demo and the expiry job all call these, so they behave alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.accounts.models import User
from peerwork.accounts.names import person_name
from peerwork.activity import recorder, watching
from peerwork.activity.actions import watch_quietly
from peerwork.activity.models import Event
from peerwork.core import jobs, limits, policy
from peerwork.core.errors import Conflict, Invalid
from peerwork.core.money import split_exact
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Kind as LedgerKind
from peerwork.ledger.models import Payout, Transaction
from peerwork.spaces.models import Space

from . import extensions
from .models import (
    Creator,
    DuplicateFlag,
    Idea,
    Merge,
    MilestoneReached,
    RevenueShare,
    Status,
    Support,
)
from .policy import forget_creator_states
from .settings import ideas_policy

MAX_TAGS = 10
TAG_RE = re.compile(r"^[\w][\w\- ]{0,39}$")


# ---- small helpers ---------------------------------------------------------------------------


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise Invalid(_("Give the idea a title."), field="title")
    if len(title) > 200:
        raise Invalid(_("A title may have at most 200 characters."), field="title")
    return title


def clean_description(description: str) -> str:
    description = description.replace("\r\n", "\n").replace("\r", "\n")
    if len(description) > 50_000:
        raise Invalid(_("A description may have at most 50,000 characters."), field="description")
    return description


def clean_tags(tags: list[str]) -> list[str]:
    """Lower-case, unique, in the order given; each a short word or phrase."""
    cleaned: list[str] = []
    for raw in tags:
        tag = " ".join(str(raw).split()).lower()
        if not tag:
            continue
        if not TAG_RE.match(tag):
            raise Invalid(
                _(
                    "The tag '%(tag)s' is not allowed: use letters, digits, spaces and dashes, "
                    "at most 40 characters."
                )
                % {"tag": tag[:60]},
                field="tags",
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise Invalid(_("An idea may have at most 10 tags."), field="tags")
    return cleaned


def clean_reason(reason: str, *, field: str = "reason", required: bool = True) -> str:
    reason = reason.replace("\r\n", "\n").strip()
    if required and not reason:
        raise Invalid(
            _("Write the reason; everyone who can see the idea will read it."), field=field
        )
    if len(reason) > 10_000:
        raise Invalid(_("A reason may have at most 10,000 characters."), field=field)
    return reason


def _locked(idea: Idea) -> Idea:
    """The idea re-read under a row lock: every change of status or count goes through here."""
    fresh = Idea.objects.select_for_update(of=("self",)).select_related("space").get(pk=idea.pk)
    return fresh


def _data(idea: Idea, **extra: Any) -> dict[str, Any]:
    return {"idea": idea.pk, "status": idea.status, **extra}


def _record(actor: Any, verb: str, idea: Idea, **data: Any) -> Event:
    return recorder.record(
        actor=actor, verb=verb, target=idea, space=idea.space, data=_data(idea, **data)
    )


def audience(idea: Idea) -> set[int]:
    """Who hears about an idea: its creators (accepted) and its watchers."""
    creators = Creator.objects.filter(idea=idea, state=Creator.State.ACCEPTED).values_list(
        "user_id", flat=True
    )
    return set(creators) | set(watching.watcher_ids(idea))


def _notify(idea: Idea, event: Event) -> None:
    recorder.notify(users=audience(idea), event=event)


def _set_status(idea: Idea, status: str, reason: str, now: datetime) -> dict[str, Any]:
    old = idea.status
    idea.status = status
    idea.status_reason = reason
    idea.status_changed_at = now
    if status != Status.OPEN:
        idea.deadline_at = None
    return {"from": old, "to": status, "reason": reason}


# ---- drafting ----------------------------------------------------------------------------


@transaction.atomic
def idea_create(
    *,
    user: Any,
    space: Space,
    title: str,
    description: str = "",
    tags: list[str] | None = None,
    share: int = 1,
) -> Idea:
    """Start a draft; its author is its first creator, with `share` as their agreed weight."""
    person: User = policy.require_person(user, "idea.create", space)
    title = clean_title(title)
    description = clean_description(description)
    cleaned_tags = clean_tags(tags or [])
    if share < 1:
        raise Invalid(_("A share is a whole number of at least 1."), field="share")
    now = timezone.now()
    idea = Idea.objects.create(
        space=space,
        title=title,
        description=description,
        tags=cleaned_tags,
        created_by=person,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
    )
    Creator.objects.create(
        idea=idea, user=person, share=share, state=Creator.State.ACCEPTED, created_at=now
    )
    watch_quietly(user=person, target=idea)
    forget_creator_states(person)
    _record(person, "idea:drafted", idea, title=title)
    return idea


@transaction.atomic
def idea_update(
    *,
    user: Any,
    idea: Idea,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> Idea:
    policy.require_person(user, "idea.update", idea)
    idea = _locked(idea)
    policy.require(user, "idea.update", idea)
    new: dict[str, Any] = {}
    if title is not None:
        new["title"] = clean_title(title)
    if description is not None:
        new["description"] = clean_description(description)
    if tags is not None:
        new["tags"] = clean_tags(tags)
    changed = recorder.changes(idea, new)
    if not changed:
        return idea
    for field, value in new.items():
        setattr(idea, field, value)
    idea.updated_at = timezone.now()
    idea.save(update_fields=[*new, "updated_at"])
    verb = "idea:draft_edited" if idea.status == Status.DRAFT else "idea:edited"
    summary = {field: change for field, change in changed.items() if field != "description"}
    if "description" in changed:
        summary["description"] = {"changed": True}
    event = _record(user, verb, idea, changes=summary)
    if idea.status != Status.DRAFT:
        _notify(idea, event)
    return idea


@transaction.atomic
def idea_invite_creator(*, user: Any, idea: Idea, invitee: User, share: int = 1) -> Creator:
    """Invite a co-creator with an agreed share; they become one when they accept."""
    person: User = policy.require_person(user, "idea.update", idea)
    idea = _locked(idea)
    if share < 1:
        raise Invalid(_("A share is a whole number of at least 1."), field="share")
    if not invitee.is_active:
        raise Invalid(_("This account is closed."), field="username")
    if not policy.can(invitee, "space.contribute", idea.space):
        raise Invalid(
            _("%(name)s may not contribute to this space, so cannot co-create here.")
            % {"name": person_name(invitee)},
            field="username",
        )
    existing = Creator.objects.filter(idea=idea, user=invitee).first()
    now = timezone.now()
    if existing is not None and existing.state != Creator.State.DECLINED:
        raise Conflict(
            _("%(name)s is already a co-creator of this idea, or invited to be.")
            % {"name": person_name(invitee)},
            field="username",
        )
    if existing is not None:
        existing.state = Creator.State.INVITED
        existing.share = share
        existing.invited_by = person
        existing.save(update_fields=["state", "share", "invited_by"])
        creator = existing
    else:
        creator = Creator.objects.create(
            idea=idea, user=invitee, share=share, invited_by=person, created_at=now
        )
    forget_creator_states(invitee)
    verb = "idea:draft_creator_invited" if idea.status == Status.DRAFT else "idea:creator_invited"
    event = _record(person, verb, idea, invitee=invitee.username, share=share)
    recorder.notify(users=[invitee.pk], event=event)
    return creator


@transaction.atomic
def idea_invitation_respond(*, user: Any, idea: Idea, accept: bool) -> Creator:
    """Accept (becoming a creator at the agreed share) or decline an invitation to co-create."""
    person: User = policy.require_person(user, "idea.invitation.respond", idea)
    idea = _locked(idea)
    creator = Creator.objects.select_for_update().get(idea=idea, user=person)
    if creator.state != Creator.State.INVITED:
        raise Conflict(_("There is no open invitation to answer."))
    creator.state = Creator.State.ACCEPTED if accept else Creator.State.DECLINED
    creator.save(update_fields=["state"])
    forget_creator_states(person)
    if accept:
        # Creators never support their own idea: a support given before joining goes.
        if Support.objects.filter(idea=idea, user=person).delete()[0]:
            Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
        watch_quietly(user=person, target=idea)
    if idea.status == Status.DRAFT:
        verb = "idea:draft_creator_responded"
    else:
        verb = "idea:creator_accepted" if accept else "idea:creator_declined"
    event = _record(person, verb, idea, accepted=accept, share=creator.share)
    if idea.status != Status.DRAFT:
        _notify(idea, event)
    return creator


# ---- publication and milestones --------------------------------------------------------------


def _next_goal(idea: Idea) -> int | None:
    if idea.stage >= len(idea.milestones):
        return None
    return int(idea.milestones[idea.stage]["supporters"])


def _deadline(idea: Idea) -> datetime | None:
    if idea.stage >= len(idea.milestones) or idea.stage_started_at is None:
        return None
    return idea.stage_started_at + timedelta(days=idea.milestones[idea.stage]["days"])


@transaction.atomic
def idea_publish(*, user: Any, idea: Idea) -> Idea:
    """Open a draft for support; its milestones are the space's policy at this moment."""
    person: User = policy.require_person(user, "idea.publish", idea)
    idea = _locked(idea)
    if idea.status != Status.DRAFT:
        raise Conflict(_("This idea is already published."))
    now = timezone.now()
    stages = ideas_policy(idea.space).support_milestones
    idea.milestones = [stage.model_dump() for stage in stages]
    idea.stage = 0
    idea.stage_started_at = now
    idea.published_at = now
    change = _set_status(idea, Status.OPEN, "", now)
    idea.deadline_at = _deadline(idea)
    idea.next_goal = _next_goal(idea)
    idea.save()
    event = _record(person, "idea:published", idea, title=idea.title, change=change)
    _notify(idea, event)
    # Invitations made while it was a draft were private; now the invitees hear of them.
    invited = Creator.objects.filter(idea=idea, state=Creator.State.INVITED).values_list(
        "user_id", flat=True
    )
    recorder.notify(users=invited, event=event)
    return idea


def _advance(idea: Idea, actor: Any, now: datetime) -> None:
    """Record every milestone the support count has reached; the last sends it to review.

    Called with the idea locked and its support_count fresh.
    """
    while idea.status == Status.OPEN and idea.stage < len(idea.milestones):
        goal = idea.milestones[idea.stage]["supporters"]
        # Rounded so that weighted supports adding up to the goal reach it.
        if round(extensions.milestone_count(idea), 6) < goal:
            break
        MilestoneReached.objects.create(
            idea=idea, stage=idea.stage, supporters=idea.support_count, reached_at=now
        )
        idea.stage += 1
        idea.stage_started_at = now
        event = _record(
            actor,
            "idea:milestone_reached",
            idea,
            stage=idea.stage,
            of=len(idea.milestones),
            supporters=goal,
        )
        _notify(idea, event)
        if idea.stage >= len(idea.milestones):
            change = _set_status(
                idea,
                Status.IN_REVIEW,
                ngettext(
                    "It reached the last milestone, %(count)s supporter.",
                    "It reached the last milestone, %(count)s supporters.",
                    goal,
                )
                % {"count": goal},
                now,
            )
            event = _record(actor, "idea:sent_to_review", idea, change=change)
            _notify(idea, event)
    idea.deadline_at = _deadline(idea) if idea.status == Status.OPEN else None
    idea.next_goal = _next_goal(idea)


def is_overdue(idea: Idea, now: datetime | None = None) -> bool:
    """An open idea whose next milestone's deadline has passed: expired, whether or not the
    expiry job has run yet."""
    return (
        idea.status == Status.OPEN
        and idea.deadline_at is not None
        and idea.deadline_at <= (now or timezone.now())
    )


def missed_milestone_reason(*, goal: int, deadline: datetime | None, count: int) -> str:
    """Why an idea expired: the supporters its milestone needed by the deadline, and its own."""
    return ngettext(
        "It needed %(goal)s supporter by %(deadline)s and had %(count)s.",
        "It needed %(goal)s supporters by %(deadline)s and had %(count)s.",
        goal,
    ) % {
        "goal": goal,
        "deadline": deadline.strftime("%Y-%m-%d %H:%M UTC") if deadline else "",
        "count": count,
    }


def _require_supportable(idea: Idea, now: datetime) -> None:
    if idea.status == Status.DRAFT:
        raise Conflict(_("This idea is a draft; it takes support once it is published."))
    if idea.status != Status.OPEN or is_overdue(idea, now):
        raise Conflict(
            _("This idea is closed to support (%(status)s).")
            % {"status": Status(Status.EXPIRED if is_overdue(idea, now) else idea.status).label}
        )


@transaction.atomic
def idea_support(*, user: Any, idea: Idea) -> tuple[Support, bool]:
    """Support an idea, once per person; (support, created). Counts stay exact: the idea row
    is locked while its counter and milestones change."""
    person: User = policy.require_person(user, "idea.support", idea)
    idea = _locked(idea)
    now = timezone.now()
    _require_supportable(idea, now)
    try:
        with transaction.atomic():
            support, created = Support.objects.get_or_create(
                idea=idea, user=person, defaults={"created_at": now}
            )
    except IntegrityError:
        support, created = Support.objects.get(idea=idea, user=person), False
    if not created:
        return support, False
    limits.hit("support", user=person, space=idea.space)
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    idea.support_count = Idea.objects.values_list("support_count", flat=True).get(pk=idea.pk)
    _record(person, "idea:supported", idea, supporters=idea.support_count)
    _advance(idea, person, now)
    idea.save(
        update_fields=[
            "stage",
            "next_goal",
            "stage_started_at",
            "deadline_at",
            "status",
            "status_reason",
            "status_changed_at",
        ]
    )
    return support, True


@transaction.atomic
def idea_support_withdraw(*, user: Any, idea: Idea) -> bool:
    """Take one's support back while the idea is open; milestones reached stay reached."""
    person: User = policy.require_person(user, "idea.support", idea)
    idea = _locked(idea)
    if not Support.objects.filter(idea=idea, user=person).exists():
        return False
    if idea.status != Status.OPEN:
        raise Conflict(_("Support of a closed idea is part of its record and stays."))
    Support.objects.filter(idea=idea, user=person).delete()
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    _record(person, "idea:support_withdrawn", idea, supporters=idea.support_count - 1)
    return True


@transaction.atomic
def idea_expire(*, idea: Idea, now: datetime | None = None) -> bool:
    """Expire an open idea whose deadline passed (the periodic job's work). True if it did."""
    idea = _locked(idea)
    now = now or timezone.now()
    if not is_overdue(idea, now):
        return False
    deadline = idea.deadline_at
    goal = idea.milestones[idea.stage]
    reason = missed_milestone_reason(
        goal=goal["supporters"], deadline=deadline, count=idea.support_count
    )
    change = _set_status(idea, Status.EXPIRED, reason, deadline or now)
    idea.save()
    event = _record(
        None,
        "idea:expired",
        idea,
        change=change,
        stage=idea.stage,
        needed=goal["supporters"],
        supporters=idea.support_count,
        deadline=deadline,
    )
    _notify(idea, event)
    return True


@jobs.job("ideas.expire_overdue", every=15 * 60)
def expire_overdue() -> int:
    """Expire every open idea past its deadline; safe to run twice. Returns how many."""
    now = timezone.now()
    count = 0
    for pk in Idea.objects.filter(status=Status.OPEN, deadline_at__lte=now).values_list(
        "pk", flat=True
    ):
        count += idea_expire(idea=Idea(pk=pk), now=now)
    return count


# ---- review --------------------------------------------------------------------------------


def split_basis_points(total: int, shares: list[tuple[int, int]]) -> dict[int, int]:
    """`total` basis points split by weight among (user_id, share), in integers that add up
    exactly: each gets the floor of their part, the remainder goes one by one to the largest
    fractions (ties: the order given, the author first)."""
    weight = sum(share for _user, share in shares)
    if weight <= 0:
        return {}
    floors = {user: total * share // weight for user, share in shares}
    left = total - sum(floors.values())
    order = sorted(
        range(len(shares)),
        key=lambda index: (-(total * shares[index][1] % weight), index),
    )
    for index in order[:left]:
        floors[shares[index][0]] += 1
    return floors


@transaction.atomic
def idea_review(*, user: Any, idea: Idea, decision: str, reason: str) -> Idea:
    """Accept or reject an idea in review, with a written reason against the criteria.

    An accepted idea records its creators' revenue share from the space's policy.
    """
    person: User = policy.require_person(user, "idea.review", idea)
    if decision not in {"accept", "reject"}:
        raise Invalid(_("Decide 'accept' or 'reject'."), field="decision")
    reason = clean_reason(reason)
    idea = _locked(idea)
    if idea.status != Status.IN_REVIEW:
        raise Conflict(
            _("Only an idea in review can be decided; this one is %(status)s.")
            % {"status": Status(idea.status).label}
        )
    now = timezone.now()
    status = Status.ACCEPTED if decision == "accept" else Status.REJECTED
    change = _set_status(idea, status, reason, now)
    idea.reviewed_by = person
    idea.save()
    data: dict[str, Any] = {"change": change}
    if status == Status.ACCEPTED:
        total = ideas_policy(idea.space).revenue_share_basis_points
        creators = list(
            Creator.objects.filter(idea=idea, state=Creator.State.ACCEPTED)
            .order_by("created_at", "pk")
            .values_list("user_id", "share")
        )
        split = split_basis_points(total, creators)
        RevenueShare.objects.bulk_create(
            RevenueShare(idea=idea, user_id=user_id, basis_points=points, created_at=now)
            for user_id, points in split.items()
        )
        data["revenue_share_basis_points"] = total
        data["shares"] = {str(user_id): points for user_id, points in split.items()}
    event = _record(person, f"idea:{status.value}", idea, **data)
    _notify(idea, event)
    return idea


@transaction.atomic
def idea_mark_done(*, user: Any, idea: Idea, reason: str = "") -> Idea:
    """An accepted idea that has been made (shipped, built, published) is done."""
    person: User = policy.require_person(user, "idea.review", idea)
    reason = clean_reason(reason, required=False)
    idea = _locked(idea)
    if idea.status != Status.ACCEPTED:
        raise Conflict(_("Only an accepted idea can be marked done."))
    change = _set_status(idea, Status.DONE, reason, timezone.now())
    idea.save()
    event = _record(person, "idea:done", idea, change=change)
    _notify(idea, event)
    return idea


# ---- duplicates ----------------------------------------------------------------------------


def _other(idea: Idea, other_id: int, viewer: Any, field: str) -> Idea:
    other = Idea.objects.filter(pk=other_id, space=idea.space).select_related("space").first()
    if other is None or not policy.can(viewer, "idea.view", other) or other.status == Status.DRAFT:
        raise Invalid(
            _("There is no published idea %(id)s in this space.") % {"id": other_id}, field=field
        )
    if other.pk == idea.pk:
        raise Invalid(_("An idea cannot duplicate itself."), field=field)
    return other


@transaction.atomic
def idea_flag_duplicate(
    *, user: Any, idea: Idea, duplicate_of: int, reason: str = ""
) -> DuplicateFlag:
    """Say that `idea` duplicates another; stewards see the flags and decide on a merge."""
    person: User = policy.require_person(user, "idea.flag", idea)
    if idea.status == Status.DRAFT:
        raise Conflict(_("A draft cannot be flagged."))
    other = _other(idea, duplicate_of, person, "duplicate_of")
    reason = clean_reason(reason, required=False)
    flag, created = DuplicateFlag.objects.get_or_create(
        idea=idea,
        duplicate_of=other,
        flagged_by=person,
        defaults={"reason": reason, "created_at": timezone.now()},
    )
    if created:
        event = _record(person, "idea:flagged", idea, duplicate_of=other.pk, reason=reason)
        _notify(idea, event)
    return flag


MERGEABLE = {Status.OPEN, Status.IN_REVIEW, Status.EXPIRED}


@transaction.atomic
def idea_merge(*, user: Any, idea: Idea, into: int, reason: str = "") -> Merge:
    """Merge the duplicate `idea` into another: its supports move over (one per person, never
    a creator's), its creators become co-creators there. Undone with `idea_unmerge`."""
    person: User = policy.require_person(user, "idea.merge", idea)
    reason = clean_reason(reason, required=False)
    target_id = _other(idea, into, person, "into").pk
    # Lock both in one order (lower id first) so that two opposite merges cannot deadlock.
    first, second = sorted([idea.pk, target_id])
    locked = {
        i.pk: i
        for i in Idea.objects.select_for_update(of=("self",))
        .select_related("space")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    source, target = locked[idea.pk], locked[target_id]
    if source.status not in MERGEABLE:
        raise Conflict(
            _("An idea that is %(status)s cannot be merged.")
            % {"status": Status(source.status).label}
        )
    if target.status not in {Status.OPEN, Status.IN_REVIEW}:
        raise Conflict(
            _(
                "Ideas can be merged only into an open idea or one in review; "
                "the other is %(status)s."
            )
            % {"status": Status(target.status).label},
            field="into",
        )
    now = timezone.now()
    merge = Merge.objects.create(
        source=source,
        target=target,
        merged_by=person,
        reason=reason,
        source_status=source.status,
        merged_at=now,
    )
    target_creators = set(
        Creator.objects.filter(idea=target)
        .exclude(state=Creator.State.DECLINED)
        .values_list("user_id", flat=True)
    )
    already = set(Support.objects.filter(idea=target).values_list("user_id", flat=True))
    moving = [
        Support(idea=target, user_id=user_id, created_at=created_at, via_merge=merge)
        for user_id, created_at in Support.objects.filter(idea=source).values_list(
            "user_id", "created_at"
        )
        if user_id not in already and user_id not in target_creators
    ]
    Support.objects.bulk_create(moving)
    credited = [
        Creator(
            idea=target,
            user_id=creator.user_id,
            share=creator.share,
            state=Creator.State.ACCEPTED,
            via_merge=merge,
            invited_by=person,
            created_at=now,
        )
        for creator in Creator.objects.filter(idea=source, state=Creator.State.ACCEPTED)
        if creator.user_id not in target_creators
    ]
    Creator.objects.bulk_create(credited)
    # A new creator's own support of the target goes, as creators never support their idea;
    # the merge keeps it, so that undoing the merge gives it back.
    own = Support.objects.filter(idea=target, user_id__in=[c.user_id for c in credited])
    merge.dropped_supports = [
        [user_id, at.isoformat()] for user_id, at in own.values_list("user_id", "created_at")
    ]
    dropped = own.delete()[0]
    merge.save(update_fields=["dropped_supports"])
    target.support_count = Support.objects.filter(idea=target).count()
    change = _set_status(source, Status.MERGED, reason, now)
    source.merged_into = target
    source.save()
    event = _record(
        person,
        "idea:merged",
        source,
        into=target.pk,
        change=change,
        supports_moved=len(moving),
        creators_credited=len(credited),
        supports_dropped=dropped,
    )
    _notify(source, event)
    _notify(target, event)
    _advance(target, person, now)
    target.save()
    return merge


@transaction.atomic
def idea_unmerge(*, user: Any, idea: Idea) -> Idea:
    """Undo the standing merge of `idea`: the moved supports and credited creators leave the
    other idea, and this one returns to the status it had. Milestones reached stay reached."""
    person: User = policy.require_person(user, "idea.merge", idea)
    merge = Merge.objects.filter(source=idea, undone_at__isnull=True).first()
    if merge is None or idea.status != Status.MERGED:
        raise Conflict(_("This idea is not merged into another."))
    first, second = sorted([merge.source_id, merge.target_id])
    locked = {
        i.pk: i
        for i in Idea.objects.select_for_update(of=("self",))
        .select_related("space")
        .filter(pk__in=[first, second])
        .order_by("pk")
    }
    source, target = locked[merge.source_id], locked[merge.target_id]
    if target.status not in {Status.OPEN, Status.IN_REVIEW}:
        # Its creators, supports and revenue shares are now part of a decision.
        raise Conflict(
            _("The idea this one was merged into is %(status)s; the merge can no longer be undone.")
            % {"status": Status(target.status).label}
        )
    now = timezone.now()
    removed = Support.objects.filter(idea=target, via_merge=merge).delete()[0]
    uncredited = Creator.objects.filter(idea=target, via_merge=merge).delete()[0]
    Support.objects.bulk_create(
        [
            Support(idea=target, user_id=user_id, created_at=datetime.fromisoformat(at))
            for user_id, at in merge.dropped_supports
        ],
        ignore_conflicts=True,
    )
    target.support_count = Support.objects.filter(idea=target).count()
    target.save(update_fields=["support_count"])
    merge.undone_at = now
    merge.undone_by = person
    merge.save(update_fields=["undone_at", "undone_by"])
    source.merged_into = None
    change = _set_status(source, merge.source_status, _("The merge was undone."), now)
    if source.status == Status.OPEN:
        source.deadline_at = _deadline(source)
    source.save()
    event = _record(
        person,
        "idea:unmerged",
        source,
        from_idea=target.pk,
        change=change,
        supports_removed=removed,
        creators_removed=uncredited,
    )
    _notify(source, event)
    _notify(target, event)
    return source


# ---- revenue -------------------------------------------------------------------------------

#: Statuses of an accepted idea: accepted, and accepted then made (done).
EARNING = {Status.ACCEPTED, Status.DONE}


@dataclass(frozen=True)
class RevenueRecorded:
    """The money that came in for an idea, and the payout of its creators' part (None when
    the part rounds down to nothing)."""

    revenue: Transaction
    payout: Payout | None


def creators_part(amount: int, shares: list[tuple[Any, int]]) -> list[tuple[Any, int]]:
    """Each creator's part of `amount` of net revenue: their basis points of it together, the
    total rounded down to the minor unit (never more than was agreed), split among them by
    their basis points with the largest remainder rule of prizes, so it adds up exactly."""
    points = sum(bp for _user, bp in shares)
    total = amount * points // 10000
    if not total or not points:
        return []
    parts = split_exact(total, [bp for _user, bp in shares])
    return [(user, part) for (user, _bp), part in zip(shares, parts, strict=True) if part]


@transaction.atomic
def idea_revenue_record(
    *,
    user: Any,
    idea: Idea,
    amount: int,
    currency: str,
    key: str,
    reference: str = "",
    note: str = "",
) -> RevenueRecorded:
    """A steward records net revenue of an accepted idea: it comes into the treasury, and the
    creators' agreed share of it goes to their earnings in the same transaction (or waits for
    a second steward over the space's limit). The same key with the same request returns the
    first result; with another request it is refused (409)."""
    person: User = policy.require_person(user, "idea.revenue.record", idea)
    idea = _locked(idea)
    if idea.status not in EARNING:
        raise Conflict(
            _("Revenue is recorded for an accepted idea; this one is %(status)s.")
            % {"status": Status(idea.status).label}
        )
    key = (key or "").strip()
    if not key:
        raise Invalid(
            _("Give an idempotency key: any unique text, such as a UUID, sent again on retry."),
            field="key",
        )
    space = idea.space
    replay = Transaction.objects.filter(space=space, key=f"{key}:in").exists()
    revenue = ledger.treasury_fund(
        actor=person,
        space=space,
        amount=amount,
        currency=currency,
        key=f"{key}:in",
        memo=_("Revenue of “%(title)s”") % {"title": idea.title},
        reference=reference,
        note=note,
        kind=LedgerKind.REVENUE,
        subject=ledger.subject_of(idea),
    )
    shares = [
        (share.user, share.basis_points)
        for share in RevenueShare.objects.filter(idea=idea).select_related("user").order_by("pk")
    ]
    to = creators_part(revenue.amount, shares)
    payout = None
    if to:
        payout = ledger.payout_create(
            space=space,
            actor=person,
            subject=idea,
            kind=LedgerKind.REVENUE_SHARE,
            to=to,
            currency=revenue.currency,
            key=f"{key}:share",
            memo=_("Revenue share of “%(title)s”") % {"title": idea.title},
            from_treasury=True,
        )
    if not replay:
        # Amounts stay in the ledger, which a space may show to its members only; the idea's
        # public event names the ledger's rows.
        event = _record(
            person,
            "idea:revenue_recorded",
            idea,
            transaction=revenue.pk,
            payout=payout.pk if payout else None,
        )
        _notify(idea, event)
    return RevenueRecorded(revenue, payout)
