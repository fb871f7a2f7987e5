"""Event verbs of the ledger: every transaction is an event in its space's public chain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("ledger:funding", _("recorded funding"))
register("ledger:revenue", _("recorded revenue"))
register("ledger:refund", _("refunded a funder"))
register("ledger:reserve", _("set money aside"))
register("ledger:release", _("gave money back to the treasury"))
register("ledger:bounty", _("paid a bounty"))
register("ledger:prize", _("paid a prize"))
register("ledger:revenue_share", _("paid a revenue share"))
register("ledger:hold", _("held a payout for approval"))
register("ledger:disbursement", _("recorded a payment to a person"))
register("ledger:reversal", _("reversed a transaction"))
register("ledger:payout_approved", _("approved a payout"))
register("ledger:payout_rejected", _("turned down a payout"))
