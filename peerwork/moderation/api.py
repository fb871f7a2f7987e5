"""REST endpoints of moderation: filters (with their test run and hit log), reports, the
moderation queue and site-wide blocks. Thin: parse, call one selector or action, serialize."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.accounts.selectors import person_named
from peerwork.core.api import Input, PageOf, PageParams, UtcDatetime, paginate
from peerwork.discussions.selectors import comment_get_visible
from peerwork.spaces.models import SiteBlock
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .filters import Match
from .models import Filter, FilterHit, QueueItem, Report

router = Router(tags=["moderation"])

FilterAction = Literal["warn", "tag", "hold", "refuse", "block"]
FilterKind = Literal["discussions.comment", "wiki.edit", "ideas.idea"]


class FilterIn(Input):
    name: str = Field(max_length=120)
    description: str = Field("", max_length=500)
    is_enabled: bool = False
    match: Literal["all", "any"] = "all"
    kinds: list[FilterKind] = Field(default_factory=list, description="[] : every kind")
    added_pattern: str = Field("", max_length=200, description="regular expression")
    title_pattern: str = Field("", max_length=200)
    summary_pattern: str = Field("", max_length=200)
    account_age_below_days: int | None = Field(None, ge=1, le=1_000_000)
    edit_count_below: int | None = Field(None, ge=1, le=1_000_000)
    action: FilterAction = "tag"
    block_hours: int | None = Field(None, ge=1, le=24 * 366)
    message: str = Field("", max_length=500)
    tag: str = Field("", max_length=60)


class FilterPatchIn(Input):
    name: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=500)
    is_enabled: bool | None = None
    match: Literal["all", "any"] | None = None
    kinds: list[FilterKind] | None = None
    added_pattern: str | None = Field(None, max_length=200)
    title_pattern: str | None = Field(None, max_length=200)
    summary_pattern: str | None = Field(None, max_length=200)
    account_age_below_days: int | None = Field(None, ge=1, le=1_000_000)
    edit_count_below: int | None = Field(None, ge=1, le=1_000_000)
    action: FilterAction | None = None
    block_hours: int | None = Field(None, ge=1, le=24 * 366)
    message: str | None = Field(None, max_length=500)
    tag: str | None = Field(None, max_length=60)


class FilterOut(Schema):
    id: int
    name: str
    description: str
    is_enabled: bool
    match: str
    kinds: list[str]
    added_pattern: str
    title_pattern: str
    summary_pattern: str
    account_age_below_days: int | None
    edit_count_below: int | None
    action: str
    block_hours: int | None
    message: str
    tag: str
    hits_day: int = Field(..., description="hits in the last 24 hours")
    hits_total: int
    created_by: str
    updated_at: datetime


def filter_out(rule: Filter) -> dict[str, Any]:
    return {
        **{name: getattr(rule, name) for name in actions.FILTER_FIELDS if name != "kinds"},
        "id": rule.pk,
        "kinds": rule.kind_list,
        "hits_day": getattr(rule, "hits_day", 0),
        "hits_total": getattr(rule, "hits_total", 0),
        "created_by": rule.created_by.username,
        "updated_at": rule.updated_at,
    }


class FilterHitOut(Schema):
    id: int
    user: str | None
    kind: str
    action: str
    excerpt: str
    title: str
    created_at: datetime


def hit_out(hit: FilterHit) -> dict[str, Any]:
    return {
        "id": hit.pk,
        "user": hit.user.username if hit.user else None,
        "kind": hit.kind,
        "action": hit.action,
        "excerpt": hit.excerpt,
        "title": hit.title,
        "created_at": hit.created_at,
    }


class FilterTestIn(FilterIn):
    last: int = Field(50, ge=1, le=selectors.MAX_TEST, description="past contributions to try")


class FilterTestMatchOut(Schema):
    kind: str
    label: str
    user: str | None
    excerpt: str
    because: list[str]


class FilterTestOut(Schema):
    tried: int
    matches: list[FilterTestMatchOut]


def _match_out(match: Match) -> dict[str, Any]:
    candidate = match.candidate
    return {
        "kind": candidate.kind,
        "label": candidate.label,
        "user": getattr(candidate.user, "username", None),
        "excerpt": (candidate.added or candidate.summary)[:300],
        "because": list(match.because),
    }


def _values(payload: Input, *, partial: bool = False) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=partial, exclude={"last"})
    return values


@router.get("/spaces/{slug}/filters", response=list[FilterOut], summary="A space's filters")
def list_filters(request: HttpRequest, slug: str) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    rules = selectors.filters_of(user=request.user, space=space).select_related("created_by")
    return [filter_out(rule) for rule in rules]


@router.post("/spaces/{slug}/filters", response={201: FilterOut}, summary="Write a filter")
def create_filter(request: HttpRequest, slug: str, payload: FilterIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    rule = actions.filter_create(user=request.user, space=space, values=_values(payload))
    return 201, filter_out(selectors.filter_get(user=request.user, space=space, filter_id=rule.pk))


@router.post(
    "/spaces/{slug}/filters/test",
    response=FilterTestOut,
    summary="Try a filter on the last contributions (nothing is saved)",
)
def test_filter(request: HttpRequest, slug: str, payload: FilterTestIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    rule = Filter(space=space, **actions.clean_filter(_values(payload)))
    candidates = selectors.recent_contributions(space, payload.last)
    matches = selectors.filter_test(user=request.user, space=space, rule=rule, last=payload.last)
    return {"tried": len(candidates), "matches": [_match_out(match) for match in matches]}


@router.get("/spaces/{slug}/filters/{filter_id}", response=FilterOut, summary="One filter")
def get_filter(request: HttpRequest, slug: str, filter_id: int) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    return filter_out(selectors.filter_get(user=request.user, space=space, filter_id=filter_id))


@router.patch("/spaces/{slug}/filters/{filter_id}", response=FilterOut, summary="Change a filter")
def update_filter(request: HttpRequest, slug: str, filter_id: int, payload: FilterPatchIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    rule = selectors.filter_get(user=request.user, space=space, filter_id=filter_id)
    actions.filter_update(user=request.user, rule=rule, values=_values(payload, partial=True))
    return filter_out(selectors.filter_get(user=request.user, space=space, filter_id=filter_id))


@router.get(
    "/spaces/{slug}/filters/{filter_id}/hits",
    response=PageOf[FilterHitOut],
    summary="A filter's hit log, newest first",
)
def filter_hits(request: HttpRequest, slug: str, filter_id: int, page: Query[PageParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    rule = selectors.filter_get(user=request.user, space=space, filter_id=filter_id)
    return paginate(selectors.filter_hits(user=request.user, rule=rule), page, serialize=hit_out)


class ReportIn(Input):
    comment: int | None = Field(None, ge=1, description="the comment reported")
    username: str | None = Field(None, max_length=150, description="or the person reported")
    reason: Literal["spam", "abuse", "off_topic", "illegal", "other"]
    note: str = Field("", max_length=500)


class ReportOut(Schema):
    id: int
    space: str
    comment: int | None
    username: str
    reason: str
    note: str
    created_at: datetime
    status: str = Field(..., description="the outcome: open, dismissed, released, removed...")


def report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "space": report.item.space.slug,
        "comment": report.item.comment_id,
        "username": report.item.person.username,
        "reason": report.reason,
        "note": report.note,
        "created_at": report.created_at,
        "status": report.item.status,
    }


@router.post("/spaces/{slug}/reports", response={201: ReportOut}, summary="Report to moderators")
def create_report(request: HttpRequest, slug: str, payload: ReportIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    comment = person = None
    if payload.comment is not None:
        comment = comment_get_visible(user=request.user, comment_id=payload.comment)
    if payload.username:
        person = person_named(payload.username)
    report = actions.report_create(
        user=request.user,
        space=space,
        comment=comment,
        person=person,
        reason=payload.reason,
        note=payload.note,
    )
    report = selectors.reports_of(user=request.user).get(pk=report.pk)
    return 201, report_out(report)


@router.get("/reports", response=PageOf[ReportOut], summary="Your reports and their outcome")
def my_reports(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(selectors.reports_of(user=request.user), page, serialize=report_out)


class QueueReportOut(Schema):
    reporter: str
    reason: str
    note: str
    created_at: datetime


class QueueItemOut(Schema):
    id: int
    comment: int | None
    text: str = Field(..., description="the comment's text (empty for a reported person)")
    username: str
    is_held: bool
    hold_reasons: list[dict[str, Any]]
    report_count: int
    reports: list[QueueReportOut]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str
    created_at: datetime


def item_out(item: QueueItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "comment": item.comment_id,
        "text": item.comment.text if item.comment else "",
        "username": item.person.username,
        "is_held": item.is_held,
        "hold_reasons": item.hold_reasons,
        "report_count": item.report_count,
        "reports": [
            {
                "reporter": report.reporter.username,
                "reason": report.reason,
                "note": report.note,
                "created_at": report.created_at,
            }
            for report in item.reports.all()
        ],
        "status": item.status,
        "decided_by": item.decided_by.username if item.decided_by else None,
        "decided_at": item.decided_at,
        "note": item.note,
        "created_at": item.created_at,
    }


class QueueParams(Schema):
    status: Literal["open", "decided"] = "open"


@router.get(
    "/spaces/{slug}/moderation/queue",
    response=list[QueueItemOut],
    summary="The moderation queue (the first 100)",
)
def queue(request: HttpRequest, slug: str, params: Query[QueueParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    items = selectors.queue_of(user=request.user, space=space, status=params.status)[:100]
    return [item_out(item) for item in items]


class QueueDecisionIn(Input):
    decision: Literal["dismiss", "release", "remove", "warn", "block"]
    note: str = Field("", max_length=500)
    is_spam: bool | None = Field(None, description="a removed comment was spam")
    block_hours: int | None = Field(None, ge=1, le=24 * 366)


@router.post(
    "/spaces/{slug}/moderation/queue/{item_id}/decision",
    response=QueueItemOut,
    summary="Decide an item of the queue",
)
def decide(request: HttpRequest, slug: str, item_id: int, payload: QueueDecisionIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    item = selectors.queue_item_get(user=request.user, space=space, item_id=item_id)
    actions.queue_decide(
        user=request.user,
        item=item,
        decision=payload.decision,
        note=payload.note,
        is_spam=payload.is_spam,
        block_hours=payload.block_hours,
    )
    return item_out(
        selectors.queue_of(user=request.user, space=space, status="decided").get(pk=item.pk)
    )


class SiteBlockOut(Schema):
    id: int
    username: str
    blocked_by: str
    reason: str
    created_at: datetime
    expires_at: datetime | None


def site_block_out(block: SiteBlock) -> dict[str, Any]:
    return {
        "id": block.pk,
        "username": block.user.username,
        "blocked_by": block.blocked_by.username,
        "reason": block.reason,
        "created_at": block.created_at,
        "expires_at": block.expires_at,
    }


class SiteBlockIn(Input):
    username: str = Field(max_length=150)
    reason: str = Field(min_length=1, max_length=500)
    expires_at: UtcDatetime | None = None
    replace: bool = False


@router.get("/site/blocks", response=PageOf[SiteBlockOut], summary="Site-wide blocks in force")
def list_site_blocks(request: HttpRequest, page: Query[PageParams]) -> Any:
    return paginate(selectors.site_blocks(user=request.user), page, serialize=site_block_out)


@router.post("/site/blocks", response={201: SiteBlockOut}, summary="Block a person site-wide")
def create_site_block(request: HttpRequest, payload: SiteBlockIn) -> Any:
    block = actions.site_block(
        user=request.user,
        person=person_named(payload.username),
        reason=payload.reason,
        expires_at=payload.expires_at,
        replace=payload.replace,
    )
    return 201, site_block_out(block)


@router.delete("/site/blocks/{username}", response={204: None}, summary="Lift a site-wide block")
def lift_site_block(request: HttpRequest, username: str) -> Any:
    actions.site_unblock(user=request.user, person=person_named(username))
    return 204, None
