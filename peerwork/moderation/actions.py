"""Every write of moderation: filters, reports, the queue's decisions, site-wide blocks.

Each is one transaction that asks the policy and records its event. The filters' hit log is
written by the screen itself (filters.record_hits), since a refused contribution saves nothing
else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User, Viewer
from peerwork.activity import recorder
from peerwork.core import jobs, policy, screening
from peerwork.core.errors import Conflict, Invalid
from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SiteBlock, Space
from peerwork.spaces.selectors import forget_roles, site_block_in_force

from . import patterns
from .models import FILTER_ACTIONS, FILTER_KINDS, REPORT_REASONS, Filter, QueueItem, Report

#: The fields a steward sets on a filter, as the page and the API send them.
FILTER_FIELDS = (
    "name",
    "description",
    "is_enabled",
    "match",
    "kinds",
    "added_pattern",
    "title_pattern",
    "summary_pattern",
    "account_age_below_days",
    "edit_count_below",
    "action",
    "block_hours",
    "message",
    "tag",
)
#: The longest block a filter may set: a year.
MAX_BLOCK_HOURS = 24 * 366


#: What a field left out means.
FILTER_DEFAULTS: dict[str, Any] = {
    "description": "",
    "is_enabled": False,
    "match": "all",
    "kinds": [],
    "added_pattern": "",
    "title_pattern": "",
    "summary_pattern": "",
    "account_age_below_days": None,
    "edit_count_below": None,
    "action": "tag",
    "block_hours": None,
    "message": "",
    "tag": "",
}


def clean_filter(values: dict[str, Any]) -> dict[str, Any]:
    """The filter's fields checked (Invalid names the field); nothing is saved here."""
    cleaned = {**FILTER_DEFAULTS, **{k: v for k, v in values.items() if v is not None}}
    name = str(cleaned.get("name", "")).strip()
    if not name or len(name) > 120:
        raise Invalid(_("A filter needs a name of at most 120 characters."), field="name")
    cleaned["name"] = name
    for text_field, limit in (("description", 500), ("message", 500), ("tag", 60)):
        value = str(cleaned.get(text_field) or "").strip()
        if len(value) > limit:
            raise Invalid(_("At most %(limit)d characters.") % {"limit": limit}, field=text_field)
        cleaned[text_field] = value
    if cleaned["match"] not in {"all", "any"}:
        raise Invalid(_("Match all conditions or any of them."), field="match")
    kinds = cleaned.get("kinds") or []
    if isinstance(kinds, str):
        kinds = [kind for kind in kinds.split(",") if kind]
    known = {kind for kind, _label in FILTER_KINDS}
    if any(kind not in known for kind in kinds):
        raise Invalid(_("Unknown kind of contribution."), field="kinds")
    cleaned["kinds"] = ",".join(sorted(set(kinds)))
    for pattern_field in ("added_pattern", "title_pattern", "summary_pattern"):
        value = str(cleaned.get(pattern_field) or "")
        cleaned[pattern_field] = patterns.check(value, field=pattern_field) if value else ""
    for number in ("account_age_below_days", "edit_count_below", "block_hours"):
        raw = cleaned.get(number)
        if raw in ("", None):
            cleaned[number] = None
            continue
        try:
            amount = int(raw)
        except (TypeError, ValueError):
            raise Invalid(_("Enter a whole number."), field=number) from None
        if amount < 1 or amount > 1_000_000:
            raise Invalid(_("Enter a whole number from 1 to 1,000,000."), field=number)
        cleaned[number] = amount
    if cleaned.get("action") not in {action for action, _label in FILTER_ACTIONS}:
        raise Invalid(_("Choose what the filter does."), field="action")
    if cleaned["action"] == "block":
        if not cleaned["block_hours"] or cleaned["block_hours"] > MAX_BLOCK_HOURS:
            raise Invalid(
                _("A blocking filter says for how many hours (at most a year)."),
                field="block_hours",
            )
    else:
        cleaned["block_hours"] = None
    if not any(
        cleaned[name]
        for name in (
            "added_pattern",
            "title_pattern",
            "summary_pattern",
            "account_age_below_days",
            "edit_count_below",
        )
    ):
        raise Invalid(_("Set at least one condition."), field="added_pattern")
    cleaned["is_enabled"] = bool(cleaned.get("is_enabled"))
    return {name: cleaned[name] for name in FILTER_FIELDS}


def _filter_data(rule: Filter) -> dict[str, Any]:
    return {"filter": rule.pk, **{name: getattr(rule, name) for name in FILTER_FIELDS}}


@transaction.atomic
def filter_create(*, user: Viewer, space: Space, values: dict[str, Any]) -> Filter:
    actor = policy.require_person(user, "moderation.filter.manage", space)
    cleaned = clean_filter(values)
    now = timezone.now()
    rule = Filter.objects.create(
        space=space, created_by=actor, created_at=now, updated_at=now, **cleaned
    )
    recorder.record(
        actor=actor, verb="filter:created", target=space, space=space, data=_filter_data(rule)
    )
    return rule


@transaction.atomic
def filter_update(*, user: Viewer, rule: Filter, values: dict[str, Any]) -> Filter:
    """Change a filter; the event keeps what each changed field was and became."""
    actor = policy.require_person(user, "moderation.filter.manage", rule.space)
    rule = Filter.objects.select_for_update().get(pk=rule.pk)
    merged = {name: getattr(rule, name) for name in FILTER_FIELDS}
    merged.update(values)
    cleaned = clean_filter(merged)
    changes = {
        name: [getattr(rule, name), value]
        for name, value in cleaned.items()
        if getattr(rule, name) != value
    }
    if not changes:
        return rule
    for name, value in cleaned.items():
        setattr(rule, name, value)
    rule.updated_at = timezone.now()
    rule.save()
    recorder.record(
        actor=actor,
        verb="filter:updated",
        target=rule.space,
        space=rule.space,
        data={"filter": rule.pk, "name": rule.name, "changes": changes},
    )
    return rule


def filter_block_person(*, rule: Filter, person: User) -> None:
    """A `block` filter matched: keep the person out of the space for the filter's hours."""
    spaces.space_block_by_rule(
        space=rule.space,
        person=person,
        reason=_("Filter %(name)s: %(message)s")
        % {"name": rule.name, "message": rule.message or rule.name},
        expires_at=timezone.now() + timedelta(hours=rule.block_hours or 1),
        rule_author=rule.created_by,
        rule=f"filter {rule.pk}",
    )


def _open_item(*, space: Space, comment: Comment | None, person: User) -> QueueItem:
    """The open item of this thing, made if there is none (two at once: one wins)."""
    found = QueueItem.objects.select_for_update().filter(
        space=space, comment=comment, person=person, status="open"
    )
    item = found.first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            return QueueItem.objects.create(
                space=space, comment=comment, person=person, created_at=timezone.now()
            )
    except IntegrityError:
        return found.get()


@transaction.atomic
def report_create(
    *,
    user: Viewer,
    space: Space,
    reason: str,
    note: str = "",
    comment: Comment | None = None,
    person: User | None = None,
) -> Report:
    """Report a comment or a person to the space's moderators. Reports of one thing gather on
    one queue item; reporting the same thing twice changes nothing."""
    reporter = policy.require_person(user, "moderation.report", space)
    if reason not in {code for code, _label in REPORT_REASONS}:
        raise Invalid(_("Choose a reason from the list."), field="reason")
    note = note.strip()
    if len(note) > 500:
        raise Invalid(_("A note may be at most 500 characters."), field="note")
    if (comment is None) == (person is None):
        raise Invalid(_("Report a comment or a person."), field="comment")
    if comment is not None:
        if comment.space_id != space.pk:
            raise Invalid(_("This comment is not in this space."), field="comment")
        if comment.is_deleted:
            raise Conflict(_("This comment was already removed."))
        person = comment.author
    assert person is not None
    if person.pk == reporter.pk:
        raise Invalid(_("You cannot report yourself."), field="username")
    item = _open_item(space=space, comment=comment, person=person)
    report, created = Report.objects.get_or_create(
        item=item,
        reporter=reporter,
        defaults={"reason": reason, "note": note, "created_at": timezone.now()},
    )
    if created:
        QueueItem.objects.filter(pk=item.pk).update(report_count=F("report_count") + 1)
        recorder.record(
            actor=reporter,
            verb="moderation:reported",
            target=space,
            space=space,
            data={
                "item": item.pk,
                "report": report.pk,
                "comment": comment.pk if comment else None,
                "user": person.username,
                "reason": reason,
            },
        )
    return report


def queue_hold(comment: Comment, verdict: screening.Verdict) -> None:
    """discussions' hold listener: a comment a screen held enters the queue (in the posting
    transaction), with the screens' reasons."""
    item = _open_item(space=comment.space, comment=comment, person=comment.author)
    item.is_held = True
    item.hold_reasons = [*item.hold_reasons, *verdict.as_log()]
    item.save(update_fields=["is_held", "hold_reasons"])


DECISIONS = ("dismiss", "release", "remove", "warn", "block")


@transaction.atomic
def queue_decide(
    *,
    user: Viewer,
    item: QueueItem,
    decision: str,
    note: str = "",
    is_spam: bool | None = None,
    block_hours: int | None = None,
) -> QueueItem:
    """Decide an open item: dismiss (nothing wrong; a held comment is published), release (a
    held comment is published), remove the comment, warn the person, or block them from the
    space (a steward's power; the comment is removed too). The spam classifier learns from
    removals marked spam (spam) and from dismissals and releases (not spam)."""
    actor = policy.require_person(user, "moderation.queue.decide", item.space)
    item = (
        QueueItem.objects.select_for_update(of=("self",))
        .select_related("comment", "person")
        .get(pk=item.pk)
    )
    if item.status != "open":
        raise Conflict(_("Someone already decided this."))
    if decision not in DECISIONS:
        raise Invalid(_("Choose a decision."), field="decision")
    note = note.strip()
    if len(note) > 500:
        raise Invalid(_("A note may be at most 500 characters."), field="note")
    comment = item.comment
    spam: bool | None = None
    status = decision
    if decision in {"dismiss", "release"}:
        status = (
            "released" if decision == "release" or (comment and comment.is_held) else ("dismissed")
        )
        if comment is not None:
            if comment.is_held:
                discussions.comment_release(user=actor, comment=comment, reason=note)
            spam = False
    elif decision == "remove":
        if comment is None:
            raise Invalid(_("There is no comment to remove: warn or block the person."))
        discussions.comment_delete(user=actor, comment=comment, reason=note)
        spam = bool(is_spam)
        status = "removed"
    elif decision == "warn":
        status = "warned"
    elif decision == "block":
        hours = block_hours or 24
        if hours < 1 or hours > 24 * 366:
            raise Invalid(_("Block for 1 hour to a year."), field="block_hours")
        spaces.space_block(
            user=actor,
            space=item.space,
            person=item.person,
            reason=note or _("Decided from the moderation queue."),
            expires_at=timezone.now() + timedelta(hours=hours),
            replace=True,
        )
        if comment is not None and not comment.is_deleted:
            discussions.comment_delete(user=actor, comment=comment, reason=note)
            spam = bool(is_spam)
        status = "blocked"
    item.status = status
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.note = note
    item.is_spam = spam
    item.save(update_fields=["status", "decided_by", "decided_at", "note", "is_spam"])
    event = recorder.record(
        actor=actor,
        verb="moderation:decided",
        target=item.space,
        space=item.space,
        data={
            "item": item.pk,
            "decision": status,
            "comment": comment.pk if comment else None,
            "user": item.person.username,
            "reports": item.report_count,
            "note": note,
        },
    )
    told = {report.reporter_id for report in item.reports.all()}
    if decision == "warn":
        told.add(item.person_id)
    recorder.notify(users=told, event=event)
    if spam is not None:
        jobs.enqueue("moderation.train_spam", space_id=item.space_id)
    return item


@transaction.atomic
def site_block(
    *, user: Viewer, person: User, reason: str, expires_at: datetime | None, replace: bool = False
) -> SiteBlock:
    """Keep `person` from contributing to every space (site administrators only)."""
    actor = policy.require_person(user, "site.block", None)
    now = timezone.now()
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Invalid(_("Give a reason of at most 500 characters."), field="reason")
    if expires_at is not None and expires_at <= now:
        raise Invalid(
            _("The expiry must be in the future (or none, until lifted)."), field="expires_at"
        )
    if person.pk == actor.pk:
        raise Invalid(_("You cannot block yourself."), field="username")
    standing = SiteBlock.objects.select_for_update().filter(user=person, lifted_at__isnull=True)
    for old in standing:
        in_force = old.expires_at is None or old.expires_at > now
        if in_force and not replace:
            raise Conflict(_("%(name)s is already blocked.") % {"name": person.username})
        old.lifted_at = now
        old.lifted_by = actor if in_force else None
        old.save(update_fields=["lifted_at", "lifted_by"])
    block = SiteBlock.objects.create(
        user=person, blocked_by=actor, reason=reason, created_at=now, expires_at=expires_at
    )
    forget_roles(person)
    recorder.record(
        actor=actor,
        verb="site:blocked",
        target=person,
        data={
            "user": person.username,
            "block": block.pk,
            "reason": reason,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return block


@transaction.atomic
def site_unblock(*, user: Viewer, person: User, reason: str = "") -> SiteBlock:
    actor = policy.require_person(user, "site.block", None)
    forget_roles(person)
    current = site_block_in_force(person)
    if current is None:
        raise Conflict(_("%(name)s is not blocked.") % {"name": person.username})
    block = SiteBlock.objects.select_for_update().get(pk=current.pk)
    block.lifted_at = timezone.now()
    block.lifted_by = actor
    block.save(update_fields=["lifted_at", "lifted_by"])
    forget_roles(person)
    recorder.record(
        actor=actor,
        verb="site:unblocked",
        target=person,
        data={"user": person.username, "block": block.pk, "reason": reason.strip()[:500]},
    )
    return block
