"""Reads of bridging: bridged scores and why, the audit of an idea's supports, coordinated
groups; each already checked against what the viewer may see."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.models import User
from peerwork.core import policy
from peerwork.ideas.models import Support
from peerwork.spaces.models import Space

from .fitting import space_fit_if_small
from .kinds import RatedKind
from .models import CoordinatedGroup, Fit, ItemScore, RaterPosition, Rating
from .policy_schema import bridging_policy
from .weights import Weighed, counted, weigh

#: An intercept at least this high is support across viewpoints (Community Notes uses 0.40
#: on its own scale; ours is fit on supports too, which sit higher, see decision 0058).
ACROSS = 0.25
#: An item factor at least this far from 0 is support from one side.
ONE_SIDE = 0.25
#: Fewer signals than this say too little to explain.
FEW = 3

WHY: dict[str, str | Promise] = {
    "across": _("supported across viewpoints"),
    "one_side": _("supported by one viewpoint only"),
    "unclear": _("not yet supported across viewpoints"),
    "few": _("too few ratings to say"),
}


@dataclass(frozen=True)
class Note:
    """A thing's bridged score (its intercept), its place on the viewpoint axis and why."""

    score: float
    factor: float
    ratings: int
    why: str

    @property
    def why_text(self) -> str | Promise:
        return WHY[self.why]

    def __str__(self) -> str:
        return f"{WHY[self.why]} ({self.score:+.2f})"


def why_of(intercept: float, factor: float, ratings: int) -> str:
    if ratings < FEW:
        return "few"
    if intercept >= ACROSS:
        return "across"
    if abs(factor) >= ONE_SIDE:
        return "one_side"
    return "unclear"


def notes_for(kind: str, ids: Iterable[int]) -> dict[int, Note]:
    return {
        object_id: Note(
            round(intercept, 4), round(factor, 4), ratings, why_of(intercept, factor, ratings)
        )
        for object_id, intercept, factor, ratings in ItemScore.objects.filter(
            kind=kind, object_id__in=list(ids)
        ).values_list("object_id", "intercept", "factor", "ratings")
    }


def order_bridged(rows: QuerySet[Any], kind: str) -> QuerySet[Any]:
    """`rows` (of one space) by bridged score, highest first; unscored ones last, newest first."""
    score = ItemScore.objects.filter(kind=kind, object_id=OuterRef("pk")).values("intercept")[:1]
    return rows.annotate(bridged=Subquery(score)).order_by(
        F("bridged").desc(nulls_last=True), "-pk"
    )


def fresh_scores(space: Space) -> None:
    """Bring the space's fit up to date before showing scores (small spaces; see actions)."""
    space_fit_if_small(space)


def fit_of(*, user: Any, space: Space) -> Fit | None:
    policy.require(user, "bridging.read", space)
    return Fit.objects.filter(space=space).first()


def rating_of(user: Any, kind: str, object_ids: Iterable[int]) -> dict[int, bool]:
    """The viewer's own ratings of these things: id -> helpful."""
    if not policy.signed_in(user):
        return {}
    return dict(
        Rating.objects.filter(kind=kind, object_id__in=list(object_ids), user=user).values_list(
            "object_id", "is_helpful"
        )
    )


def scores_listed(*, user: Any, space: Space, kind: str) -> QuerySet[ItemScore]:
    """The space's scores of one kind, best first (the objects are the caller's to filter)."""
    policy.require(user, "bridging.read", space)
    return ItemScore.objects.filter(space=space, kind=kind).order_by("-intercept", "object_id")


# ---- milestones and their audit --------------------------------------------------------------


def _weighed_supports(idea: Any, supporters: list[int]) -> list[Weighed]:
    space = idea.space
    rules = bridging_policy(space)
    groups: dict[int, int] = {}
    if rules.coordination.is_discounted:
        for group_id, members in CoordinatedGroup.objects.filter(
            space=space, ended_at__isnull=True
        ).values_list("pk", "members"):
            for member in members:
                if member in supporters:
                    groups.setdefault(member, group_id)
    positions: dict[int, tuple[float, int]] = {}
    scale = 1.0
    if rules.milestone_counting == "bridged":
        spread = RaterPosition.objects.filter(
            space=space, ratings__gte=rules.min_ratings
        ).aggregate(total=Sum(F("factor") * F("factor")), people=Count("pk"))
        if spread["people"]:
            scale = math.sqrt(spread["total"] / spread["people"])
        positions = {
            user_id: (factor, ratings)
            for user_id, factor, ratings in RaterPosition.objects.filter(
                space=space, user_id__in=supporters
            ).values_list("user_id", "factor", "ratings")
        }
    return weigh(supporters, positions=positions, groups=groups, policy=rules, scale=scale)


def milestone_count(idea: Any) -> float | None:
    """What the idea's milestone counts (the ideas app's registered counter): None (every
    supporter once) unless the space counts bridged support or discounts a standing group."""
    space = idea.space
    rules = bridging_policy(space)
    has_groups = (
        rules.coordination.is_discounted
        and CoordinatedGroup.objects.filter(space=space, ended_at__isnull=True).exists()
    )
    if rules.milestone_counting == "raw" and not has_groups:
        return None
    if rules.milestone_counting == "bridged":
        space_fit_if_small(space)
    supporters = list(Support.objects.filter(idea=idea).values_list("user_id", flat=True))
    return counted(_weighed_supports(idea, supporters))


@dataclass(frozen=True)
class Audit:
    """An idea's supports as its milestone counts them: every one with its weight, and the
    total; `discounted` are those below 1, with the reasons."""

    counting: str
    total: int
    counted: float
    rows: list[tuple[Any, Weighed]]
    #: who the viewer may see by name: everyone for a steward, else only themselves (who
    #: supported what is private, as the log's idea:supported events are)
    named: set[int]

    @property
    def discounted(self) -> list[tuple[Any, Weighed]]:
        return [(support, one) for support, one in self.rows if one.weight < 1]


def idea_audit(*, user: Any, idea: Any) -> Audit:
    """The public audit of an idea's supports (the viewer must see the idea)."""
    policy.require(user, "idea.view", idea)
    policy.require(user, "bridging.read", idea.space)
    rules = bridging_policy(idea.space)
    if rules.milestone_counting == "bridged":
        space_fit_if_small(idea.space)
    supports = list(Support.objects.filter(idea=idea).select_related("user").order_by("user_id"))
    weighed = {one.user_id: one for one in _weighed_supports(idea, [s.user_id for s in supports])}
    rows = [(support, weighed[support.user_id]) for support in supports]
    if policy.can(user, "bridging.steward", idea.space):
        named = {support.user_id for support in supports}
    else:
        named = {support.user_id for support in supports if support.user_id == user.pk}
    return Audit(rules.milestone_counting, len(rows), counted([w for _s, w in rows]), rows, named)


def reason_text(reason: str, numbers: dict[str, Any]) -> str:
    """A discount's reason in a sentence."""
    if reason == "coordinated":
        return str(
            _("in coordinated group %(group)s: its %(members)s members here count as one") % numbers
        )
    return str(
        _(
            "on the larger viewpoint: %(side)s supporters there against %(rest)s elsewhere, "
            "which counts at most %(ratio)s times the rest"
        )
        % numbers
    )


def groups_listed(*, user: Any, space: Space, standing: bool = True) -> QuerySet[CoordinatedGroup]:
    """Coordinated groups with their evidence, for stewards; the standing ones by default."""
    policy.require(user, "bridging.steward", space)
    groups = CoordinatedGroup.objects.filter(space=space)
    if standing:
        groups = groups.filter(ended_at__isnull=True)
    return groups.order_by("-pk")


def people_of(groups: Iterable[CoordinatedGroup]) -> dict[int, User]:
    """The accounts named by the groups (their members and pairs), by id."""
    ids = {member for group in groups for member in group.members}
    return {user.pk: user for user in User.objects.filter(pk__in=ids)}


def scores_visible(
    *, user: Any, space: Space, kind: RatedKind, limit: int = 500
) -> list[ItemScore]:
    """The space's best scores of a kind whose objects the viewer may see."""
    rows = list(scores_listed(user=user, space=space, kind=kind.key)[:limit])
    objects = kind.model._default_manager.filter(pk__in=[row.object_id for row in rows])
    try:
        seen = set(policy.filter(user, kind.view_action, objects).values_list("pk", flat=True))
    except LookupError:  # a kind whose view rule has no scope: one object at a time
        seen = {obj.pk for obj in objects if policy.can(user, kind.view_action, obj)}
    return [row for row in rows if row.object_id in seen]
