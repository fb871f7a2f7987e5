"""Demo challenges for the embedded run, made through the same actions as the product."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from . import actions
from .models import Challenge

ANSWERS = "tile,needs_review\n" + "".join(
    f"t{n:02d},{'yes' if n % 3 == 0 else 'no'}\n" for n in range(1, 31)
)
GUESS = "tile,needs_review\n" + "".join(
    f"t{n:02d},{'yes' if n % 2 == 0 else 'no'}\n" for n in range(1, 31)
)


def seed(*, space: Any, people: dict[str, Any]) -> None:
    """An open ideation challenge with sealed submissions, a scored one on a public board, and
    one judged, awarded and paid last month.

    `people`: the demo's users by username; the first one is the seeker (who must be allowed
    to post in `space`), the second judges, the others solve. The space's treasury must hold
    the prizes (8,500.00 EUR): each challenge sets its pool aside when posted.
    """
    users = list(people.values())
    seeker, judge, *solvers = users
    now = timezone.now()
    water = actions.challenge_create(
        user=seeker,
        space=space,
        title="Map every public water point",
        statement=(
            "Many towns have no up-to-date map of their public drinking fountains and taps. "
            "Propose a way for volunteers to map them and keep the map current."
        ),
        kind="ideation",
        currency="EUR",
        prize_pool=150000,
        prize_split=[100000, 35000, 15000],
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=28),
        ip_terms="open",
        criteria=[("Feasibility", 3), ("Reach", 2), ("Cost", 1)],
        eligibility="Open to everyone who may contribute to this space; teams welcome.",
        judges=[judge.username],
    )
    for index, solver in enumerate(solvers[:2]):
        actions.submission_create(
            user=solver,
            challenge=water,
            title=["Fountain walks", "Tap reports by text message"][index],
            description="Monthly walks in pairs, each with a printed checklist and a phone.",
        )
    tiles = actions.challenge_create(
        user=seeker,
        space=space,
        title="Which map tiles need review?",
        statement="Predict, for each tile, whether a reviewer should look at it again.",
        kind="scored",
        metric="f1",
        leaderboard_public=True,
        currency="EUR",
        prize_pool=50000,
        prize_split=[30000, 20000],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        ip_terms="license",
        judges=[judge.username],
    )
    actions.truth_upload(user=seeker, challenge=tiles, data=ANSWERS.encode())
    for solver in solvers[:1]:
        actions.submission_create(user=solver, challenge=tiles, predictions=GUESS.encode())
    _judged(space=space, seeker=seeker, judge=judge, solvers=solvers[:2])


def _judged(*, space: Any, seeker: Any, judge: Any, solvers: list[Any]) -> Challenge:
    """Posted, entered and scored while open through the actions; then its dates move back a
    month (time passing, the one step nobody takes) and the seeker awards it, which pays the
    winners from the reserved pool and gives the unawarded rest back to the treasury."""
    now = timezone.now()
    layers = actions.challenge_create(
        user=seeker,
        space=space,
        title="Name the atlas's map layers",
        statement="Our layers are named by whoever drew them. Propose one naming scheme.",
        kind="ideation",
        currency="EUR",
        prize_pool=60000,
        prize_split=[40000, 15000, 5000],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        ip_terms="open",
        criteria=[("Clarity", 2), ("Consistency", 1)],
        judges=[judge.username],
    )
    titles = ["Place, theme, year", "One word per layer"]
    for solver, title, (clarity, consistency) in zip(
        solvers, titles, [(9, 7), (6, 8)], strict=False
    ):
        entry = actions.submission_create(
            user=solver,
            challenge=layers,
            title=title,
            description="Every layer named the same way, so the list sorts itself.",
        )
        actions.submission_score(
            user=judge,
            submission=entry,
            scores={"Clarity": clarity, "Consistency": consistency},
        )
    Challenge.objects.filter(pk=layers.pk).update(
        opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10)
    )
    layers.refresh_from_db()
    actions.challenge_close_notice(challenge=layers)
    actions.challenge_award(user=seeker, challenge=layers)
    return layers
