"""Reads of ideas, already filtered by what the viewer may see."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, F, FloatField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from peerwork.core import policy
from peerwork.core.errors import NotFound
from peerwork.ledger.models import Payout, PayoutLine, Transaction
from peerwork.spaces.models import Space

from . import extensions
from .models import Creator, DuplicateFlag, Idea, Merge, RevenueShare, Status, Support

SORTS = ("newest", "supporters", "closest")


def ideas_visible(*, user: Any, space: Space) -> QuerySet[Idea]:
    """The space's ideas the viewer may see: published ones, and drafts they co-create."""
    policy.require(user, "space.view", space)
    ideas = Idea.objects.filter(space=space).select_related("space", "created_by")
    return policy.filter(user, "idea.view", ideas)


def idea_get_visible(*, user: Any, space: Space, idea_id: int) -> Idea:
    idea = ideas_visible(user=user, space=space).filter(pk=idea_id).first()
    if idea is None or not policy.can(user, "idea.view", idea):
        raise NotFound()
    return idea


def with_status(ideas: QuerySet[Idea], status: str, now: datetime | None = None) -> QuerySet[Idea]:
    """Filter by the status a reader sees: an open idea past its deadline counts as expired
    even before the expiry job has run."""
    now = now or timezone.now()
    overdue = Q(status=Status.OPEN, deadline_at__lte=now)
    if status == Status.EXPIRED:
        return ideas.filter(Q(status=Status.EXPIRED) | overdue)
    if status == Status.OPEN:
        return ideas.filter(status=Status.OPEN).exclude(overdue)
    return ideas.filter(status=status)


def ideas_listed(
    *,
    user: Any,
    space: Space,
    status: str = "",
    tag: str = "",
    sort: str = "newest",
    mine: bool = False,
) -> QuerySet[Idea]:
    """A list filtered by status and tag, sorted by newest, supporters, or closest to the
    next milestone (the share of the next goal already reached, highest first)."""
    ideas = ideas_visible(user=user, space=space)
    if status:
        ideas = with_status(ideas, status)
    if mine and policy.signed_in(user):
        ideas = ideas.filter(
            pk__in=Creator.objects.filter(user=user)
            .exclude(state=Creator.State.DECLINED)
            .values("idea_id")
        )
    if tag:
        ideas = ideas.filter(
            pk__in=[
                pk for pk, tags in ideas.values_list("pk", "tags") if tag.lower() in (tags or [])
            ]
        )
    if sort == "supporters":
        return ideas.order_by("-support_count", "-pk")
    added = extensions.sorts().get(sort)
    if added is not None:
        return added.order(ideas)
    if sort == "closest":
        return ideas.annotate(progress=_progress_expression()).order_by(
            F("progress").desc(nulls_last=True), "-support_count", "-pk"
        )
    return ideas.order_by("-pk")


def _progress_expression() -> Any:
    """support_count / next goal for open ideas; the others sort last."""
    return Case(
        When(
            status=Status.OPEN,
            next_goal__gt=0,
            then=Cast("support_count", FloatField()) / Cast("next_goal", FloatField()),
        ),
        default=Value(None),
        output_field=FloatField(),
    )


@dataclass(frozen=True)
class Progress:
    """Where an idea stands: the goal of its next milestone, the share reached, days left."""

    stage: int
    stages: int
    supporters: int
    goal: int | None
    percent: int
    deadline: datetime | None
    days_left: int | None
    overdue: bool


def progress_of(idea: Idea, now: datetime | None = None) -> Progress:
    now = now or timezone.now()
    stages = len(idea.milestones)
    goal = idea.milestones[idea.stage]["supporters"] if idea.stage < stages else None
    percent = min(100, idea.support_count * 100 // goal) if goal else 100
    deadline = idea.deadline_at if idea.status == Status.OPEN else None
    overdue = deadline is not None and deadline <= now
    days_left = None
    if deadline is not None and not overdue:
        days_left = math.ceil((deadline - now).total_seconds() / 86400)
    return Progress(
        stage=idea.stage,
        stages=stages,
        supporters=idea.support_count,
        goal=goal,
        percent=percent,
        deadline=deadline,
        days_left=days_left,
        overdue=overdue,
    )


def shown_status(idea: Idea, now: datetime | None = None) -> str:
    """The status a reader sees (an overdue open idea is expired)."""
    from .actions import is_overdue

    return Status.EXPIRED if is_overdue(idea, now) else idea.status


def creators_of(idea: Idea) -> list[Creator]:
    return list(
        Creator.objects.filter(idea=idea).select_related("user").order_by("created_at", "pk")
    )


def supports_given(user: Any, idea: Idea) -> bool:
    return policy.signed_in(user) and Support.objects.filter(idea=idea, user=user).exists()


def flags_of(*, user: Any, idea: Idea) -> list[DuplicateFlag]:
    """Flags naming ideas the viewer may see, newest first."""
    flags = DuplicateFlag.objects.filter(idea=idea).select_related("duplicate_of", "flagged_by")
    return [
        flag for flag in flags.order_by("-pk") if policy.can(user, "idea.view", flag.duplicate_of)
    ]


def merges_of(idea: Idea) -> list[Merge]:
    return list(
        Merge.objects.filter(Q(source=idea) | Q(target=idea))
        .select_related("source", "target", "merged_by", "undone_by")
        .order_by("-pk")
    )


def revenue_shares_of(idea: Idea) -> list[RevenueShare]:
    return list(
        RevenueShare.objects.filter(idea=idea)
        .select_related("user")
        .order_by("-basis_points", "pk")
    )


def pending_invitations(*, user: Any, space: Space) -> QuerySet[Idea]:
    if not policy.signed_in(user):
        return Idea.objects.none()
    return Idea.objects.filter(
        space=space, creators__user=user, creators__state=Creator.State.INVITED
    ).order_by("-pk")


# ---- similar titles ------------------------------------------------------------------------

WORD_RE = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    "a an and are as at be by for from in into is it of on or the to with that this "
    "el la los las de del y en un una por para con que "
    "le les des et du au".split()
)


def _words(text: str) -> list[str]:
    return [
        w
        for w in (m.group().lower() for m in WORD_RE.finditer(text))
        if len(w) > 2 and w not in STOPWORDS
    ]


def _stem(word: str) -> str:
    """A crude stem so that 'lights' finds 'light' and 'building' finds 'build'."""
    for suffix in ("ings", "ing", "ies", "es", "s", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def similar_ideas(
    *, user: Any, space: Space, title: str, exclude: int | None = None, limit: int = 5
) -> list[tuple[Idea, float]]:
    """Published ideas whose titles share words with `title`, most similar first, each with a
    score in (0, 1]: the share of the shorter title's words found in the other. Merged ideas
    are left out: their support lives in the idea they were merged into."""
    words = list(dict.fromkeys(_stem(w) for w in _words(title[:300])))[:12]
    if not words:
        return []
    matches = Q()
    for word in words:
        matches |= Q(title__icontains=word)
    candidates = (
        ideas_visible(user=user, space=space)
        .exclude(status__in=[Status.DRAFT, Status.MERGED])
        .filter(matches)
        .order_by("-pk")[:200]
    )
    scored = []
    mine = set(words)
    for idea in candidates:
        if idea.pk == exclude:
            continue
        theirs = {_stem(w) for w in _words(idea.title)}
        if not theirs:
            continue
        shared = len(mine & theirs)
        if not shared:
            continue
        scored.append((idea, shared / min(len(mine), len(theirs))))
    scored.sort(key=lambda pair: (-pair[1], -pair[0].support_count, -pair[0].pk))
    return scored[:limit]


def markdown_html(space: Space, text: str) -> str:
    """Markdown of an idea, its reasons or the criteria, with the project's one renderer;
    [[links]] point at the space's wiki, red when the page does not exist."""
    from peerwork.wiki.models import Page
    from peerwork.wiki.rendering import render_text

    return render_text(Page(space=space), text) if text else ""


@dataclass(frozen=True)
class RevenueRow:
    """Revenue recorded for an idea, and what each creator was paid of it."""

    revenue: Transaction
    payout: Payout | None

    @property
    def lines(self) -> list[PayoutLine]:
        return list(self.payout.lines.all()) if self.payout else []


#: The idea page lists this many records of revenue, the latest first; the ledger has them all.
REVENUE_SHOWN = 20


def revenue_of(*, user: Any, idea: Idea) -> list[RevenueRow] | None:
    """None for a viewer the space's ledger is closed to: its amounts are the ledger's."""
    if not policy.can(user, "ledger.view", idea.space):
        return None
    subject = f"ideas.idea:{idea.pk}"
    rows = list(
        Transaction.objects.filter(space_id=idea.space_id, subject=subject, kind="revenue")
        .select_related("actor")
        .order_by("-id")[:REVENUE_SHOWN]
    )
    keys = [row.key.removesuffix(":in") + ":share" for row in rows]
    payouts = {
        payout.key: payout
        for payout in Payout.objects.filter(space_id=idea.space_id, key__in=keys).prefetch_related(
            Prefetch("lines", queryset=PayoutLine.objects.select_related("user").order_by("id"))
        )
    }
    return [RevenueRow(row, payouts.get(key)) for row, key in zip(rows, keys, strict=True)]
