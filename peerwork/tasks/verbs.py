"""Event verbs of tasks, registered with the one registry from TasksConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("task:created", _("posted a task"))
register("task:updated", _("changed a task"))
register("task:bounty_set", _("put a bounty on a task"))
register("task:claim_requested", _("asked to claim a task"))
register("task:claim_approved", _("approved a claim on a task"))
register("task:claim_declined", _("declined a claim on a task"))
register("task:claimed", _("claimed a task"))
register("task:unclaimed", _("gave up a claim on a task"))
register("task:claim_expiring", _("was reminded that a claim will expire"), audience="private")
register("task:claim_expired", _("had a claim on a task expire"))
register("task:delivered", _("delivered work on a task"))
register("task:changes_requested", _("asked for changes to a task's delivery"))
register("task:approved", _("approved a task's delivery"))
register("task:cancelled", _("cancelled a task"))
register("task:delivery_released", _("released a delivery to the commons"))
register("task:watched", _("watched a task"), audience="private")
register("task:unwatched", _("stopped watching a task"), audience="private")


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import Field, describe, describe_target

    from .models import Mode

    describe_target("tasks.task", _("task"))
    bounty = Field(_("bounty"), "money")
    reason = Field(_("reason"), "quote")
    describe("task:created", mode=Field(_("mode"), "status", choices=Mode.choices), bounty=bounty)
    describe(
        "task:updated",
        changes=Field(
            _("changes"),
            "changes",
            fields={
                "title": Field(_("title"), "quote"),
                "language": Field(_("language")),
                "estimate_hours": Field(_("estimate in hours"), "count"),
                "due_date": Field(_("due date")),
                "skills": Field(_("skills"), "words"),
                "labels": Field(_("labels"), "words"),
            },
        ),
    )
    describe("task:bounty_set", bounty=bounty)
    describe("task:cancelled", reason=reason)
    describe("task:claim_approved", claimant=Field(_("claimant"), "person"))
    describe("task:claim_declined", claimant=Field(_("claimant"), "person"))
    describe("task:changes_requested", reason=reason)
    describe(
        "task:approved",
        reason=reason,
        bounty=Field(_("bounty paid"), "money_by_person"),
    )
    for verb in (
        "task:claim_requested",
        "task:claimed",
        "task:unclaimed",
        "task:claim_expiring",
        "task:claim_expired",
        "task:delivered",
        "task:delivery_released",
        "task:watched",
        "task:unwatched",
    ):
        describe(verb)


_describe()


def _address() -> None:
    """What the people notified of a task's events read: what happened to their claim or
    their delivery (peerwork/activity/sentences.py, `address`)."""
    from typing import Any

    from peerwork.activity.sentences import You, address
    from peerwork.core.money import format_money

    def claim(mine: Any, theirs: Any) -> Any:
        def form(event: Any, you: Any, names: Any, loaded: Any) -> Any:
            is_mine = (event.data or {}).get("claimant") == you.username
            return You(mine if is_mine else theirs)

        return form

    address(
        "task:claim_approved",
        claim(
            _("%(actor)s approved your claim on %(object)s: it is yours to do"),
            _("%(actor)s approved a claim on %(object)s"),
        ),
    )
    address(
        "task:claim_declined",
        claim(
            _("%(actor)s declined your claim on %(object)s"),
            _("%(actor)s declined a claim on %(object)s"),
        ),
    )

    def approved(event: Any, you: Any, names: Any, loaded: Any) -> Any:
        data = event.data or {}
        bounty = data.get("bounty") or {}
        if you.username not in bounty:
            return None
        currency = data.get("currency") or ""
        if currency and bounty[you.username]:
            return You(
                _("%(actor)s approved your work on %(object)s; your bounty is %(amount)s"),
                {"amount": format_money(int(bounty[you.username]), currency)},
            )
        return You(_("%(actor)s approved your work on %(object)s"))

    address("task:approved", approved)


_address()
