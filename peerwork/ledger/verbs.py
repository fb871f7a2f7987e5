"""Event verbs of the ledger: every transaction is an event in its space's chain, read by
whoever may read the ledger (a space may narrow it to members or stewards)."""

from __future__ import annotations

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
