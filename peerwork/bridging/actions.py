"""Every write of bridging: rating a thing, refitting a space's model (a cache), and the
coordinated-support job. Each rating and each group found or ended is a logged event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User
from peerwork.activity import recorder
from peerwork.core import jobs, policy
from peerwork.core.errors import Conflict, Invalid, NotFound
from peerwork.spaces.models import Space

from . import coordination
from .fitting import space_fit
from .kinds import kind_of, rated_kinds
from .models import CoordinatedGroup, Fit, Rating
from .policy_schema import bridging_policy
from .signals import space_signals

VALUES = {"helpful": True, "not_helpful": False, "none": None}


def _author_id(obj: Any) -> int | None:
    for name in ("author_id", "created_by_id"):
        if hasattr(obj, name):
            return getattr(obj, name)  # type: ignore[no-any-return]
    return None


@transaction.atomic
def rating_set(*, user: Any, obj: Any, value: str) -> Rating | None:
    """Rate `obj` helpful or not helpful, or take one's rating back ("none"). Returns the
    rating (None once taken back). One's own contribution is not rated."""
    kind = kind_of(obj)
    space = kind.space_of(obj)
    person: User = policy.require_person(user, "bridging.rate", space)
    if not policy.can(person, kind.view_action, obj):
        raise NotFound()
    if value not in VALUES:
        raise Invalid(_("Rate 'helpful', 'not_helpful' or 'none'."), field="value")
    if not kind.is_rateable(obj):
        raise Conflict(_("This cannot be rated now."))
    if _author_id(obj) == person.pk:
        raise Conflict(_("You cannot rate your own contribution."))
    is_helpful = VALUES[value]
    now = timezone.now()
    rating = Rating.objects.filter(kind=kind.key, object_id=obj.pk, user=person).first()
    if is_helpful is None:
        if rating is None:
            return None
        rating.delete()
        rating = None
    elif rating is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(
                    space=space,
                    kind=kind.key,
                    object_id=obj.pk,
                    user=person,
                    is_helpful=is_helpful,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError:
            raise Conflict(_("Your rating was just saved by another request.")) from None
    elif rating.is_helpful == is_helpful:
        return rating
    else:
        rating.is_helpful = is_helpful
        rating.updated_at = now
        rating.save(update_fields=["is_helpful", "updated_at"])
    recorder.record(
        actor=person,
        verb="bridging:rated",
        target=obj,
        space=space,
        data={"kind": kind.key, "object": obj.pk, "value": value},
    )
    return rating


@transaction.atomic
def space_refit(*, user: Any, space: Space) -> Fit:
    """A steward refits the space's model now (normally the periodic job does)."""
    person = policy.require_person(user, "bridging.steward", space)
    fit = space_fit(space=space, force=True)
    recorder.record(
        actor=person,
        verb="bridging:fitted",
        target=space,
        space=space,
        data={"ratings": fit.ratings, "raters": fit.raters, "items": fit.items},
    )
    return fit


def _evidence(group: coordination.Group) -> list[dict[str, Any]]:
    return [
        {
            "a": pair.a,
            "b": pair.b,
            "jaccard": pair.jaccard,
            "times": [
                [item[0], item[1], at_a.isoformat(), at_b.isoformat()]
                for item, at_a, at_b in pair.times
            ],
        }
        for pair in group.pairs
    ]


@transaction.atomic
def coordination_detect(*, space: Space, now: datetime | None = None) -> list[CoordinatedGroup]:
    """Find the space's coordinated groups now: a group found again is kept (its evidence
    refreshed), a new one is recorded, one no longer found is ended. Safe to rerun."""
    now = now or timezone.now()
    rules = bridging_policy(space).coordination
    outside = {kind.key for kind in rated_kinds() if not kind.in_coordination}
    pairs = coordination.find_pairs(
        [signal for signal in space_signals(space) if signal[1][0] not in outside],
        minutes=rules.minutes,
        overlap_percent=rules.overlap_percent,
        shared_items=rules.shared_items,
    )
    found = coordination.find_groups(pairs)
    standing = {
        group.key: group
        for group in CoordinatedGroup.objects.select_for_update().filter(
            space=space, ended_at__isnull=True
        )
    }
    kept: list[CoordinatedGroup] = []
    for group in found:
        key = ",".join(str(member) for member in group.members)[:2000]
        items = [[kind, object_id] for kind, object_id in group.items]
        row = standing.pop(key, None)
        if row is not None:
            row.items = items
            row.evidence = _evidence(group)
            row.checked_at = now
            row.save(update_fields=["items", "evidence", "checked_at"])
        else:
            row = CoordinatedGroup.objects.create(
                space=space,
                key=key,
                members=group.members,
                items=items,
                evidence=_evidence(group),
                found_at=now,
                checked_at=now,
            )
            recorder.record(
                actor=None,
                verb="bridging:coordination_found",
                target=space,
                space=space,
                data={"group": row.pk, "people": group.members, "items": len(items)},
            )
        kept.append(row)
    for row in standing.values():
        row.ended_at = now
        row.save(update_fields=["ended_at"])
        recorder.record(
            actor=None,
            verb="bridging:coordination_ended",
            target=space,
            space=space,
            data={"group": row.pk, "people": row.members},
        )
    return kept


@transaction.atomic
def coordination_check(*, user: Any, space: Space) -> list[CoordinatedGroup]:
    """A steward runs the detection now (normally the periodic job does)."""
    policy.require_person(user, "bridging.steward", space)
    return coordination_detect(space=space)


@jobs.job("bridging.refresh", every=30 * 60)
def refresh() -> int:
    """Refit every space whose signals changed and look for coordinated groups; safe to rerun."""
    count = 0
    for space in Space.objects.order_by("pk"):
        space_fit(space=space)
        count += len(coordination_detect(space=space))
    return count
