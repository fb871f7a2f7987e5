"""Event verbs of held edits, registered with the one registry from WikiConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("edit:held", _("saved an edit that waits for review"))
register("edit:released", _("released a held edit"))
register("edit:rejected", _("rejected a held edit"))


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import Field, describe

    describe("edit:held", summary=Field(_("summary"), "quote"))
    describe("edit:released", reason=Field(_("reason"), "quote"))
    describe("edit:rejected", reason=Field(_("reason"), "quote"))


_describe()
