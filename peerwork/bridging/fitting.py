"""The space's fitted model, a cache of a computation over its signals: refit when they
changed (the periodic job, a steward, or a small space while a request waits)."""

from __future__ import annotations

from typing import cast

from django.db import transaction
from django.utils import timezone

from peerwork.spaces.models import Space

from .factorize import factorize
from .models import Fit, ItemScore, RaterPosition
from .signals import signature, space_signals

#: A space with more signals than this is refit by the periodic job only, not while a
#: support waits for its milestone (see docs/assist.md).
INLINE_FIT_LIMIT = 10_000
SEED = 17


def space_fit(*, space: Space, force: bool = False) -> Fit:
    """Refit the space's model when its signals changed since the last fit (or `force`):
    every item score and rater position is rewritten. A cache: no event is recorded."""
    with transaction.atomic():
        fit, _created = Fit.objects.get_or_create(
            space=space, defaults={"fitted_at": timezone.now(), "signature": ""}
        )
        fit = Fit.objects.select_for_update().get(pk=fit.pk)
        signals = space_signals(space)
        sig = signature(signals)
        if sig == fit.signature and not force:
            return fit
        result = factorize(
            ((user_id, item, value) for user_id, item, value, _when in signals), seed=SEED
        )
        ItemScore.objects.filter(space=space).delete()
        RaterPosition.objects.filter(space=space).delete()
        items = cast(list[tuple[str, int]], list(result.item_intercepts))
        ItemScore.objects.bulk_create(
            ItemScore(
                space=space,
                kind=kind,
                object_id=object_id,
                intercept=result.item_intercepts[(kind, object_id)],
                factor=result.item_factors[(kind, object_id)],
                ratings=result.item_ratings[(kind, object_id)],
            )
            for kind, object_id in items
        )
        RaterPosition.objects.bulk_create(
            RaterPosition(
                space=space,
                user_id=user_id,
                intercept=result.rater_intercepts[user_id],
                factor=result.rater_factors[user_id],
                ratings=result.rater_ratings[user_id],
            )
            for user_id in cast(list[int], list(result.rater_intercepts))
        )
        fit.fitted_at = timezone.now()
        fit.signature = sig
        fit.seed = SEED
        fit.mu = result.mu
        fit.ratings = len({(u, i) for u, i, _v, _w in signals})
        fit.raters = len(result.rater_intercepts)
        fit.items = len(result.item_intercepts)
        fit.save()
        return fit


def space_fit_if_small(space: Space) -> None:
    """Refit now when the space is small enough to do it while a request waits."""
    fit = Fit.objects.filter(space=space).values_list("ratings", flat=True).first()
    if fit is None or fit <= INLINE_FIT_LIMIT:
        space_fit(space=space)
