"""Event verbs of the ledger: every transaction is an event in its space's chain, read by
whoever may read the ledger (a space may narrow it to members or stewards)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("ledger:funding", _("recorded funding"), read_via="ledger.view")
register("ledger:revenue", _("recorded revenue"), read_via="ledger.view")
register("ledger:refund", _("refunded a funder"), read_via="ledger.view")
register("ledger:reserve", _("set money aside"), read_via="ledger.view")
register("ledger:release", _("gave money back to the treasury"), read_via="ledger.view")
register("ledger:bounty", _("paid a bounty"), read_via="ledger.view")
register("ledger:prize", _("paid a prize"), read_via="ledger.view")
register("ledger:revenue_share", _("paid a revenue share"), read_via="ledger.view")
register("ledger:hold", _("held a payout for approval"), read_via="ledger.view")
register("ledger:disbursement", _("recorded a payment to a person"), read_via="ledger.view")
register("ledger:reversal", _("reversed a transaction"), read_via="ledger.view")
register("ledger:payout_approved", _("approved a payout"), read_via="ledger.view")
register("ledger:payout_rejected", _("turned down a payout"), read_via="ledger.view")


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py).
    The entries, subject and reversed transaction are the ledger's own bookkeeping: its page
    shows them; a line of activity says the amount and why."""
    from peerwork.activity.sentences import Field, describe, describe_target, format_status
    from peerwork.core.money import format_money

    from .models import Kind, Payout

    def title(event: Any) -> str:
        """ "bounty of €120.00" rather than the stored "bounty 12000 EUR"."""
        data = event.data or {}
        if not data.get("currency") or data.get("amount") is None:
            return str(_("a transaction"))
        return _("%(kind)s of %(amount)s") % {
            "kind": format_status(data.get("kind") or event.verb.partition(":")[2], Kind.choices),
            "amount": format_money(int(data["amount"]), data["currency"]),
        }

    describe_target("ledger.transaction", _("transaction"), title=title)
    describe_target("ledger.payout", _("payout"), title=title)
    for kind in (
        "funding",
        "revenue",
        "refund",
        "reserve",
        "release",
        "bounty",
        "prize",
        "revenue_share",
        "hold",
        "disbursement",
        "reversal",
    ):
        describe(f"ledger:{kind}", memo=Field(_("memo")))
    state = Field(_("state"), "status", choices=Payout.State.choices)
    describe("ledger:payout_approved", state=state)
    describe("ledger:payout_rejected", state=state)


_describe()
