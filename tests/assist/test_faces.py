"""The API and the htmx fragments answer from the same service; bad input is problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.ideas import actions as ideas
from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions as tasks

from .conftest import idea, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world: Any, jobs_now: Any) -> dict[str, Any]:
    with jobs_now():
        return {
            "water": task(world, "Repair the broken water point in the park", skills=["plumbing"]),
            "solar": idea(world, "Solar charging benches", "Benches with a socket for phones."),
        }


def test_similar_through_the_api(world: Any, work: Any, api_as: Any) -> None:
    found = api_as(None).get("/spaces/barrio/similar?text=water+point+repair").json()
    assert [(m["kind"], m["title"]) for m in found] == [
        ("task", "Repair the broken water point in the park")
    ]
    assert found[0]["reasons"] and found[0]["id"] == work["water"].pk
    only_ideas = api_as(None).get("/spaces/barrio/similar?text=water+point&kinds=idea").json()
    assert only_ideas == []


@pytest.mark.parametrize(
    ("query", "status", "kind"),
    [
        ("", 422, "validation"),
        ("?text=", 422, "validation"),
        ("?text=water&kinds=spaceship", 422, "validation"),
        ("?text=water&limit=0", 422, "validation"),
    ],
)
def test_bad_input_is_a_problem(
    world: Any, api_as: Any, query: str, status: int, kind: str
) -> None:
    response = api_as(None).get(f"/spaces/barrio/similar{query}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["type"].endswith(kind)


def test_related_and_its_errors(world: Any, work: Any, api_as: Any, jobs_now: Any) -> None:
    with jobs_now():
        twin = idea(world, "Benches that charge phones with solar power")
    found = api_as(None).get(f"/spaces/barrio/related/idea/{twin.pk}").json()
    assert [m["title"] for m in found] == ["Solar charging benches"]
    same = api_as(None).get(f"/spaces/barrio/related/ideas.idea/{twin.pk}").json()
    assert same == found
    assert api_as(None).get("/spaces/barrio/related/idea/999999").status_code == 404
    assert api_as(None).get(f"/spaces/barrio/related/spaceship/{twin.pk}").json() == []
    assert api_as(None).get("/spaces/nowhere/related/idea/1").status_code == 404


def test_a_private_space_answers_404_to_outsiders(
    world: Any, make_space: Any, api_as: Any, jobs_now: Any
) -> None:
    private = make_space(world.steward, "hidden", visibility="members", participation="members")
    with jobs_now():
        tasks.task_create(user=world.steward, space=private, title="Repair the water point")
    assert api_as(world.outsider).get("/spaces/hidden/similar?text=water").status_code == 404
    assert api_as(None).get("/spaces/hidden/similar?text=water").status_code == 404
    assert len(api_as(world.steward).get("/spaces/hidden/similar?text=water+point").json()) == 1


def test_tasks_for_me_from_past_work(world: Any, work: Any, api_as: Any, jobs_now: Any) -> None:
    with jobs_now():
        ideas.idea_create(user=world.member, space=world.space, title="Unused draft")
        idea(world, "Fix the leaking water tap by the playground", by=world.member)
        task(world, "Design a poster for the choir concert")
    found = api_as(world.member).get("/spaces/barrio/suggestions/tasks").json()
    assert found[0]["title"] == "Repair the broken water point in the park"
    assert any("like your past work" in reason for reason in found[0]["reasons"])
    # Nobody signed in: no past work, no reasons.
    anonymous = api_as(None).get("/spaces/barrio/suggestions/tasks").json()
    assert all(s["reasons"] == [] for s in anonymous)


def test_reviewer_suggestions_name_skills(
    world: Any, work: Any, api_as: Any, make_user: Any
) -> None:
    from peerwork.accounts import actions as accounts

    plumber = make_user("plumber")
    SpaceMembership.objects.create(space=world.space, user=plumber, role="steward")
    accounts.user_update_profile(user=plumber, person=plumber, skills=["plumbing"])
    found = (
        api_as(world.member)
        .get(f"/spaces/barrio/suggestions/reviewers/task/{work['water'].pk}")
        .json()
    )
    assert found[0]["username"] == "plumber"
    assert found[0]["reasons"] == ["knows: plumbing"]


def test_the_fragments(world: Any, work: Any) -> None:
    client = Client()
    html = client.get("/s/barrio/assist/similar", {"title": "Solar benches"}).content.decode()
    assert "Solar charging benches" in html and "same title words: solar, benches" in html
    empty = client.get("/s/barrio/assist/similar", {"title": "the and"}).content.decode()
    assert "Solar" not in empty
    excluded = client.get(
        "/s/barrio/assist/similar",
        {"title": "Solar benches", "exclude": f"idea:{work['solar'].pk}"},
    ).content.decode()
    assert "Solar charging benches" not in excluded
    related = client.get(f"/s/barrio/assist/related/task/{work['water'].pk}")
    assert related.status_code == 200
    assert client.get("/s/barrio/assist/related/task/999999").status_code == 404
    client.force_login(world.member)
    board = client.get("/s/barrio/tasks/").content.decode()
    assert "/s/barrio/assist/tasks-for-you" in board
    form = client.get("/s/barrio/ideas/new").content.decode()
    assert "/s/barrio/assist/similar" in form
