"""Event verbs of edit risk, registered with the one registry from RiskConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("risk:trained", _("trained the space's edit-risk model"))


def _describe() -> None:
    from peerwork.activity.sentences import Field, describe

    describe("risk:trained", samples=Field(_("edits learned from"), "count"))


_describe()
