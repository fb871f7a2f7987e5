"""Event verbs of credit: distributions are read with the ledger they pay through; epochs and
the points given in them are read by whoever may read the space."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("credit:distributed", _("distributed money by credit"), read_via="ledger.view")
register("credit:epoch_opened", _("opened a peer allocation epoch"))
register("credit:points_given", _("gave points in a peer allocation epoch"))
register("credit:epoch_closed", _("closed a peer allocation epoch"))


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import Field, describe, describe_target

    describe_target("credit.distribution", _("distribution"))
    describe_target("credit.epoch", _("peer allocation epoch"))
    from .models import Method

    describe(
        "credit:distributed",
        method=Field(_("method"), "status", choices=Method.choices),
        amount=Field(_("amount"), "money"),
    )
    describe(
        "credit:points_given",
        points=Field(_("points"), "count"),
        to=Field(_("to"), "person"),
    )
    describe("credit:epoch_opened", points=Field(_("points"), "count"))
    describe("credit:epoch_closed", vanished=Field(_("points not given"), "count"))


_describe()
