"""Every write of credit: distributions paid through the ledger, and peer allocation epochs.

A distribution takes an idempotency key, unique in the space: the same key with the same
request returns the first distribution (and pays nothing again), the same key with another
request is refused. The money moves as one ledger payout out of the treasury, under the
ledger's own key `credit:<key>`, so the ledger's idempotency guards it too.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import User
from peerwork.activity.recorder import notify, record
from peerwork.core import policy
from peerwork.core.errors import Conflict, Invalid, KeyReused
from peerwork.core.money import known_currency
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Kind
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_role

from . import compute
from .models import Allocation, Distribution, Epoch, Method, Share
from .people import space_people
from .policy_schema import credit_policy
from .split import largest_remainder

KEY_LIMIT = 200
NOTE_LIMIT = 500


def _clean_key(key: str) -> str:
    key = (key or "").strip()
    if not key:
        raise Invalid(
            _("Give an idempotency key: any unique text, such as a UUID, sent again on retry."),
            field="key",
        )
    if len(key) > KEY_LIMIT:
        raise Invalid(
            _("An idempotency key has at most %(limit)s characters.") % {"limit": KEY_LIMIT},
            field="key",
        )
    return key


def _lock(space: Space) -> Space:
    return Space.objects.select_for_update().get(pk=space.pk)


def _weights_and_explanations(
    space: Space, *, method: str, period: compute.Period, epoch: Epoch | None, currency: str
) -> tuple[dict[int, Fraction], dict[int, float], dict[int, dict[str, Any]]]:
    """{user: weight of the split}, {user: what is shown as their weight}, {user: why}."""
    if method == Method.PEER:
        assert epoch is not None
        received: dict[int, int] = {}
        gifts: dict[int, dict[int, int]] = {}
        notes: dict[tuple[int, int], tuple[str, str]] = {}
        for giver, name, receiver, points, note in epoch.allocations.values_list(
            "giver_id", "giver__username", "receiver_id", "points", "note"
        ):
            received[receiver] = received.get(receiver, 0) + points
            gifts.setdefault(receiver, {})[giver] = points
            notes[(receiver, giver)] = (name, note)
        explanations: dict[int, dict[str, Any]] = {}
        for receiver, by_giver in gifts.items():
            bp = largest_remainder(compute.BASIS, dict(sorted(by_giver.items())))
            explanations[receiver] = {
                "parts": [
                    {
                        "node": f"user:{giver}",
                        "kind": "gift",
                        "name": notes[(receiver, giver)][0],
                        "note": notes[(receiver, giver)][1],
                        "points": given,
                        "relations": [],
                        "basis_points": bp[giver],
                    }
                    for giver, given in sorted(by_giver.items(), key=lambda g: (-g[1], g[0]))
                ]
            }
        weights = {user: Fraction(points) for user, points in sorted(received.items())}
        return weights, {u: float(p) for u, p in received.items()}, explanations
    result = compute.credit(space, period=period, method=method)
    scores = {user: score for user, score in sorted(result.scores.items()) if score > 0}
    explanations = {user: result.explanation(user) for user in scores}
    if method != Method.BALANCED:
        return {u: Fraction(s) for u, s in scores.items()}, scores, explanations
    # Balanced: pay toward each person's lifetime share of everything paid by credit so far.
    paid = dict(
        Share.objects.filter(
            distribution__space=space,
            distribution__currency=currency,
            distribution__method__in=[Method.IMMEDIATE, Method.RECENT, Method.BALANCED],
        )
        .values_list("user_id")
        .annotate(total=Sum("amount"))
        .values_list("user_id", "total")
    )
    return (
        {user: Fraction(score) for user, score in scores.items()},
        scores,
        {
            user: {**why, "paid_before": int(paid.get(user, 0))}
            for user, why in explanations.items()
        },
    )


def _balanced(
    amount: int, weights: dict[int, Fraction], paid: dict[int, int]
) -> dict[int, Fraction]:
    """What each person is owed toward their lifetime share of all money paid by credit,
    counting this distribution: the split's weights for the balanced method."""
    whole = sum(weights.values(), Fraction(0))
    pool = amount + sum(paid.values())
    owed = {
        user: max(Fraction(0), pool * w / whole - paid.get(user, 0)) for user, w in weights.items()
    }
    return {user: value for user, value in owed.items() if value > 0}


@transaction.atomic
def distribution_create(
    *,
    actor: Any,
    space: Space,
    method: str,
    amount: int,
    currency: str,
    key: str,
    period_end: datetime | None = None,
    epoch: Epoch | None = None,
    memo: str = "",
) -> Distribution:
    """Split `amount` of the treasury among people by credit (or an epoch's points) and pay
    it through the ledger as one payout. Shares add up to `amount` exactly."""
    person = policy.require_person(actor, "credit.distribute", space)
    if method not in Method.values:
        raise Invalid(
            _("Choose how to distribute: immediate, recent, balanced or peer."), field="method"
        )
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise Invalid(
            _("An amount is a whole number of minor units, more than zero."), field="amount"
        )
    currency = (currency or "").strip().upper()
    if not known_currency(currency):
        raise Invalid(
            _("'%(code)s' is not a currency code; use ISO 4217, such as EUR or USD.")
            % {"code": currency},
            field="currency",
        )
    key = _clean_key(key)
    memo = (memo or "").strip()[:300]
    if method == Method.PEER:
        if epoch is None or epoch.space_id != space.pk:
            raise Invalid(
                _("Name the peer epoch whose points this distribution pays."), field="epoch"
            )
        if epoch.state != Epoch.State.CLOSED:
            raise Conflict(_("Close the epoch before paying by its points."))
        period = compute.Period(epoch.opened_at, epoch.closed_at or epoch.opened_at)
    else:
        epoch = None
        period = compute.period_ending(space, period_end)
    digest = ledger.request_hash(
        {
            "op": "distribution",
            "method": method,
            "amount": amount,
            "currency": currency,
            "period_end": period.end.isoformat(),
            "epoch": epoch.pk if epoch else None,
            "memo": memo,
        }
    )
    space = _lock(space)
    earlier = Distribution.objects.filter(space=space, key=key).first()
    if earlier is not None:
        if earlier.request_hash != digest:
            raise KeyReused(
                _(
                    "The idempotency key '%(key)s' was first used for a different distribution; "
                    "use a new key for a new distribution."
                )
                % {"key": key}
            )
        return earlier
    weights, shown, explanations = _weights_and_explanations(
        space, method=method, period=period, epoch=epoch, currency=currency
    )
    if method == Method.BALANCED:
        paid = {user: why.get("paid_before", 0) for user, why in explanations.items()}
        weights = _balanced(amount, weights, paid)
    if not weights:
        raise Invalid(
            _("Nobody has credit to be paid by in this period; there is nothing to split."),
            field="method",
        )
    amounts = largest_remainder(amount, weights)
    distribution = Distribution.objects.create(
        space=space,
        method=method,
        currency=currency,
        amount=amount,
        period_start=period.start,
        period_end=max(period.end, period.start + timedelta(seconds=1)),
        epoch=epoch,
        memo=memo,
        created_by=person,
        key=key,
        request_hash=digest,
    )
    people = User.objects.in_bulk(list(shown))
    Share.objects.bulk_create(
        Share(
            distribution=distribution,
            user_id=user,
            amount=amounts.get(user, 0),
            weight=shown[user],
            explanation=explanations.get(user, {"parts": []}),
        )
        for user in sorted(shown)
    )
    payout = ledger.payout_create(
        space=space,
        actor=person,
        subject=distribution,
        kind=Kind.REVENUE_SHARE,
        to=[(people[user], part) for user, part in sorted(amounts.items()) if part > 0],
        currency=currency,
        key=f"credit:{key}",
        memo=memo or _("Distribution by credit"),
        from_treasury=True,
    )
    Distribution.objects.filter(pk=distribution.pk).update(payout=payout)
    distribution.payout = payout
    event = record(
        actor=person,
        verb="credit:distributed",
        target=distribution,
        space=space,
        data={
            "method": method,
            "amount": amount,
            "currency": currency,
            "period_start": distribution.period_start.isoformat(),
            "period_end": distribution.period_end.isoformat(),
            "epoch": epoch.pk if epoch else None,
            "shares": {str(user): part for user, part in sorted(amounts.items()) if part > 0},
        },
    )
    notify(users=[user for user, part in amounts.items() if part > 0], event=event)
    return distribution


# ---- peer allocation epochs -------------------------------------------------------------------


@transaction.atomic
def epoch_open(*, actor: Any, space: Space, title: str) -> Epoch:
    """Start a round of peer allocation with the policy's points per member."""
    person = policy.require_person(actor, "credit.epoch.open", space)
    settings = credit_policy(space)
    if not settings.peer_epochs:
        raise Conflict(
            _("Peer allocation is off in this space; a steward turns it on in the policy.")
        )
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise Invalid(_("Give the epoch a title of at most 200 characters."), field="title")
    space = _lock(space)
    if Epoch.objects.filter(space=space, state=Epoch.State.OPEN).exists():
        raise Conflict(_("An epoch is already open in this space; close it first."))
    epoch = Epoch.objects.create(
        space=space, title=title, points=settings.epoch_points, opened_by=person
    )
    record(
        actor=person,
        verb="credit:epoch_opened",
        target=epoch,
        space=space,
        data={"title": title, "points": epoch.points},
    )
    return epoch


@transaction.atomic
def points_give(
    *, actor: Any, epoch: Epoch, receiver: Any, points: int, note: str = ""
) -> Allocation | None:
    """Give `receiver` this many points in the epoch (replacing what was given them before;
    0 takes the gift back). The giver never gives more than the epoch's points in all."""
    person = policy.require_person(actor, "credit.epoch.give", epoch)
    if isinstance(points, bool) or not isinstance(points, int) or points < 0:
        raise Invalid(_("Points are a whole number, zero or more."), field="points")
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise Invalid(_("At most %(limit)s characters.") % {"limit": NOTE_LIMIT}, field="note")
    if receiver is None or receiver.pk == person.pk:
        raise Invalid(_("Give points to another member of the space."), field="receiver")
    epoch = Epoch.objects.select_for_update().get(pk=epoch.pk)
    if epoch.state != Epoch.State.OPEN:
        raise Conflict(_("This epoch is closed; its points can no longer be given."))
    if space_role(receiver, epoch.space) is None:
        raise Invalid(
            _("%(name)s is not a member of this space.") % {"name": receiver.username},
            field="receiver",
        )
    others = (
        Allocation.objects.filter(epoch=epoch, giver=person)
        .exclude(receiver=receiver)
        .aggregate(total=Sum("points"))["total"]
        or 0
    )
    if others + points > epoch.points:
        raise Invalid(
            _("You have %(left)s points left to give in this epoch.")
            % {"left": epoch.points - others},
            field="points",
        )
    allocation: Allocation | None
    if points == 0:
        Allocation.objects.filter(epoch=epoch, giver=person, receiver=receiver).delete()
        allocation = None
    else:
        try:
            with transaction.atomic():
                allocation, _created = Allocation.objects.update_or_create(
                    epoch=epoch,
                    giver=person,
                    receiver=receiver,
                    defaults={"points": points, "note": note, "updated_at": timezone.now()},
                )
        except IntegrityError as error:  # pragma: no cover - the lock above serializes givers
            raise Conflict(_("Someone changed this gift at the same time; try again.")) from error
    record(
        actor=person,
        verb="credit:points_given",
        target=epoch,
        space=epoch.space,
        data={"to": receiver.pk, "points": points, "note": note},
    )
    return allocation


@transaction.atomic
def epoch_close(*, actor: Any, epoch: Epoch) -> Epoch:
    """End the epoch: what each member did not give vanishes (recorded as a number)."""
    person = policy.require_person(actor, "credit.epoch.close", epoch)
    epoch = Epoch.objects.select_for_update().get(pk=epoch.pk)
    if epoch.state != Epoch.State.OPEN:
        raise Conflict(_("This epoch is already closed."))
    givers = space_people(epoch.space).count()
    given = Allocation.objects.filter(epoch=epoch).aggregate(total=Sum("points"))["total"] or 0
    vanished = epoch.points * givers - given
    Epoch.objects.filter(pk=epoch.pk).update(state=Epoch.State.CLOSED, closed_at=timezone.now())
    epoch.refresh_from_db()
    record(
        actor=person,
        verb="credit:epoch_closed",
        target=epoch,
        space=epoch.space,
        data={"given": given, "vanished": vanished, "members": givers},
    )
    return epoch
