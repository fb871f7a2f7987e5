"""The challenges part of the permission table's world (see tests/permission_parts/__init__.py).

The world's challenge is a scored one, open now, with answers uploaded, one judge, and two
solvers who each submitted predictions; the solver's team has invited a teammate who has not
answered yet. Everyone with a role here is a member of the space, so only sealing decides.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from peerwork.challenges import actions
from peerwork.spaces.models import SpaceMembership
from tests.challenges.conftest import fund

PREFIXES: tuple[str, ...] = ("challenge.",)
EXTRA_USERS: tuple[str, ...] = ("seeker", "solver", "solver2", "judge", "teammate")
ROLE_USERS: dict[str, str] = {
    "seeker": "seeker",
    "solver": "solver",
    "other-solver": "solver2",
    "judge": "judge",
    "teammate": "teammate",
}
TRUTH = "id,label\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n"
PREDICTIONS = "id,label\n1,a\n2,b\n3,b\n4,b\n5,a\n6,a\n"
NEW_CHALLENGE = {
    "title": "A new challenge",
    "statement": "Solve it.",
    "kind": "ideation",
    "currency": "EUR",
    "prize_pool": 1000,
    "prize_split": [600, 400],
    "opens_at": "2020-01-01T00:00:00Z",
    "closes_at": "2099-01-01T00:00:00Z",
    "ip_terms": "license",
    "criteria": [{"name": "Quality", "weight": 1}],
}
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/spaces/{slug}/challenges"): NEW_CHALLENGE,
    ("PATCH", "/api/v1/challenges/{challenge_id}"): {"title": "Renamed"},
    ("POST", "/api/v1/challenges/{challenge_id}/withdrawal"): {"reason": "no"},
    ("PUT", "/api/v1/challenges/{challenge_id}/judges"): {"judges": ["judge"]},
    ("PUT", "/api/v1/challenges/{challenge_id}/watch"): {"watch": True},
    ("PUT", "/api/v1/challenges/{challenge_id}/truth"): {"csv": TRUTH},
    ("POST", "/api/v1/challenges/{challenge_id}/submissions"): {"predictions": PREDICTIONS},
    ("PUT", "/api/v1/challenge-submissions/{submission_id}/scores"): {"scores": {"Quality": 5}},
    ("POST", "/api/v1/challenge-submissions/{submission_id}/members"): {"username": "mem"},
    ("PUT", "/api/v1/challenge-submissions/{submission_id}/final"): {"final": True},
    ("POST", "/api/v1/challenges/{challenge_id}/discussion"): {"text": "When is the deadline?"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/s/{slug}/challenges/new"): {
        "title": "A new challenge",
        "statement": "Solve it.",
        "kind": "ideation",
        "currency": "EUR",
        "prize_pool": "1000",
        "prize_split": "600\n400",
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
        "ip_terms": "license",
        "criteria": "Quality: 1",
    },
    ("POST", "/s/{slug}/challenges/{challenge_id}/edit"): {
        "title": "Renamed",
        "statement": "Solve it.",
        "prize_pool": "1000",
        "prize_split": "600\n400",
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
    },
    ("POST", "/s/{slug}/challenges/{challenge_id}/withdraw"): {"reason": "no"},
    ("POST", "/s/{slug}/challenges/{challenge_id}/judges"): {"judges": "judge"},
    ("POST", "/s/{slug}/challenges/{challenge_id}/truth"): {"truth_text": TRUTH},
    ("POST", "/s/{slug}/challenges/{challenge_id}/watch"): {"watch": "1"},
    ("POST", "/s/{slug}/challenges/{challenge_id}/submit"): {"predictions_text": PREDICTIONS},
    ("POST", "/s/{slug}/challenges/{challenge_id}/discussion"): {"text": "When is the deadline?"},
    ("POST", "/s/{slug}/challenges/{challenge_id}/submissions/{submission_id}/score"): {
        "score-1": "5"
    },
    ("POST", "/s/{slug}/challenges/{challenge_id}/submissions/{submission_id}/invite"): {
        "username": "mem"
    },
    ("POST", "/s/{slug}/challenges/{challenge_id}/submissions/{submission_id}/final"): {
        "final": "1"
    },
}
QUERIES: dict[tuple[str, str], str] = {}


def build(world: Any) -> None:
    users = world.users
    for name in EXTRA_USERS:
        SpaceMembership.objects.create(space=world.space, user=users[name], role="member")
    fund(world.space, users["stew"])
    now = timezone.now()
    world.challenge = actions.challenge_create(
        user=users["seeker"],
        space=world.space,
        title="Predict the labels",
        statement="Label each row.",
        kind="scored",
        metric="accuracy",
        currency="EUR",
        prize_pool=1000,
        prize_split=[700, 300],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        ip_terms="open",
        judges=["judge"],
    )
    actions.truth_upload(user=users["seeker"], challenge=world.challenge, data=TRUTH.encode())
    world.submission = actions.submission_create(
        user=users["solver"], challenge=world.challenge, predictions=PREDICTIONS.encode()
    )
    world.other_submission = actions.submission_create(
        user=users["solver2"], challenge=world.challenge, predictions=PREDICTIONS.encode()
    )
    actions.submission_invite(
        user=users["solver"], submission=world.submission, username="teammate"
    )


def object_for(world: Any, action: str) -> Any:
    if action == "challenge.create":
        return world.space
    if action.startswith("challenge.submission."):
        return world.submission
    return world.challenge


def values(world: Any) -> dict[str, Any]:
    return {"challenge_id": world.challenge.pk, "submission_id": world.submission.pk}
