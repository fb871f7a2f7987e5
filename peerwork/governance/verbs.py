"""Event verbs of governance, registered with the one registry from GovernanceConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("proposal:created", _("opened a proposal"))
register("proposal:voted", _("voted on a proposal"))
register("proposal:cancelled", _("withdrew a proposal"))
register("proposal:closed", _("closed a proposal"))
register("proposal:outcome", _("wrote the outcome of a proposal"))
register("proposal:executed", _("applied a decision"))
register("proposal:execution_failed", _("could not apply a decision"))
register("proposal:watched", _("watched a proposal"), audience="private")
register("proposal:unwatched", _("stopped watching a proposal"), audience="private")
register("delegation:set", _("delegated their vote"))
register("delegation:revoked", _("took back a delegated vote"))
register("statement:added", _("added a statement to an opinion map"))
register("statement:edited", _("reworded a statement of an opinion map"))
register("statement:withdrawn", _("withdrew a statement from an opinion map"))
register("statement:voted", _("voted on a statement of an opinion map"))
register("statement:hidden", _("hid a statement of an opinion map"))
register("statement:shown", _("showed a hidden statement of an opinion map again"))


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import Field, describe, describe_target

    from .forms import METHOD_LABELS

    describe_target("governance.proposal", _("proposal"))

    def delegation(event: Any) -> str:
        """What a delegation is about: its topic, not the ids its stored name holds."""
        topic = (event.data or {}).get("topic")
        return str(topic) if topic else str(_("every topic"))

    describe_target("governance.delegation", _("delegation"), title=delegation)
    describe(
        "proposal:created", method=Field(_("decision method"), "status", choices=METHOD_LABELS)
    )
    describe("proposal:voted")
    describe("proposal:cancelled", reason=Field(_("reason"), "quote"))
    describe(
        "proposal:closed",
        passed=Field(_("passed"), "yesno"),
        counted=Field(_("ballots counted"), "count"),
        eligible=Field(_("eligible voters"), "count"),
        quorum_met=Field(_("quorum met"), "yesno"),
    )
    describe("proposal:outcome")
    describe("proposal:executed")
    describe("proposal:execution_failed", detail=Field(_("why"), "quote"))
    describe("proposal:watched")
    describe("proposal:unwatched")
    describe("delegation:set", delegate=Field(_("delegate"), "person"))
    describe("delegation:revoked")
    describe_target("governance.statement", _("statement"))
    describe("statement:added", text=Field(_("statement"), "quote"))
    describe("statement:edited", text=Field(_("statement"), "quote"))
    describe("statement:withdrawn", text=Field(_("statement"), "quote"))
    describe("statement:voted")
    describe("statement:hidden", reason=Field(_("reason"), "quote"))
    describe("statement:shown")


_describe()


def _address() -> None:
    """What the people notified of a vote's close read (peerwork/activity/sentences.py)."""

    from peerwork.activity.sentences import You, address

    def closed(event: Any, you: Any, names: Any, loaded: Any) -> Any:
        passed = (event.data or {}).get("passed")
        if passed is True:
            return You(_("The vote on %(object)s has closed: it passed"))
        if passed is False:
            return You(_("The vote on %(object)s has closed: it did not pass"))
        return You(_("The vote on %(object)s has closed"))

    address("proposal:closed", closed)


_address()
