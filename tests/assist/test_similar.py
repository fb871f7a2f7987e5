"""Duplicates and related work across kinds, in English and Spanish, each with its reasons."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.assist import service
from peerwork.assist.models import Vector
from peerwork.ideas import actions as ideas
from peerwork.tasks import actions as tasks

from .conftest import challenge, idea, proposal, task

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world: Any, jobs_now: Any) -> dict[str, Any]:
    with jobs_now():
        made = {
            "water_task": task(
                world,
                "Repair the broken water point in the park",
                "The tap near the playground leaks; replace the valve.",
            ),
            "bikes_idea": idea(world, "Bike lanes to the school", "Safe cycling for children."),
            "arboles_idea": idea(
                world,
                "Plantar árboles en la plaza",
                "Más sombra en verano para los vecinos del barrio.",
            ),
            "library": proposal(world, "Open the library on Sundays", "Longer opening hours."),
        }
    return made


def titles(matches: list[service.Match]) -> list[str]:
    return [m.title for m in matches]


def test_an_english_idea_finds_an_english_task(world: Any, work: Any) -> None:
    found = service.similar(
        user=world.member, space=world.space, query="Fix the water point in the park"
    )
    assert found[0].kind == "task"
    assert found[0].title == "Repair the broken water point in the park"
    assert found[0].object_id == work["water_task"].pk
    assert "water" in found[0].shared_words or "water" in found[0].same_title_words
    assert any("water" in reason for reason in found[0].reasons)
    assert found[0].url == f"/s/barrio/tasks/{work['water_task'].pk}/"
    assert "Bike lanes to the school" not in titles(found)


def test_a_spanish_challenge_finds_a_spanish_idea_with_accents_and_case_folded(
    world: Any, work: Any, jobs_now: Any
) -> None:
    with jobs_now():
        reto = challenge(world, "ARBOLES para la PLAZA", "Cómo dar más sombra a la plaza.")
    found = service.similar(
        user=world.member, space=world.space, query="ARBOLES para la PLAZA", kinds=["idea"]
    )
    assert titles(found) == ["Plantar árboles en la plaza"]
    assert found[0].same_title_words == ["arboles", "plaza"]
    assert found[0].reasons[0] == "same title words: arboles, plaza"
    # And the challenge's own page names the idea as related work.
    related = service.related(
        user=world.member, space=world.space, kind="challenge", object_id=reto.pk
    )
    assert titles(related)[0] == "Plantar árboles en la plaza"


def test_unrelated_text_is_not_matched(world: Any, work: Any) -> None:
    assert (
        service.similar(
            user=world.member, space=world.space, query="Quarterly budget for the choir"
        )
        == []
    )
    assert service.similar(user=world.member, space=world.space, query="the and of") == []


def test_kinds_filter_and_unknown_kind(world: Any, work: Any) -> None:
    found = service.similar(
        user=world.member, space=world.space, query="water point park", kinds=["idea"]
    )
    assert all(m.kind == "idea" for m in found)
    from peerwork.core.errors import Invalid

    with pytest.raises(Invalid):
        service.similar(user=world.member, space=world.space, query="x", kinds=["nope"])


def test_the_index_follows_save_and_edit(world: Any, work: Any, jobs_now: Any) -> None:
    bikes = work["bikes_idea"]
    row = Vector.objects.get(kind="idea", object_id=bikes.pk)
    assert row.title_words == "bik lan school"
    with jobs_now():
        ideas.idea_update(user=world.member, idea=bikes, title="Compost bins for every street")
    row = Vector.objects.get(kind="idea", object_id=bikes.pk)
    assert row.title_words == "compost bin every street"
    found = service.similar(user=world.member, space=world.space, query="compost bins")
    assert titles(found) == ["Compost bins for every street"]
    assert "Compost bins for every street" not in titles(
        service.similar(user=world.member, space=world.space, query="bike lanes school")
    )
    # A cancelled task stays indexed (it is still work to link to); a new one joins.
    with jobs_now():
        new = task(world, "Paint the compost bins green")
    assert Vector.objects.filter(kind="task", object_id=new.pk).exists()
    with jobs_now():
        tasks.task_update(user=world.steward, task=new, title="Paint the fence")
    assert Vector.objects.get(kind="task", object_id=new.pk).title_words == "paint fenc"


def test_a_draft_is_not_indexed_until_published(world: Any, jobs_now: Any) -> None:
    with jobs_now():
        draft = ideas.idea_create(user=world.member, space=world.space, title="Secret plan")
    assert not Vector.objects.filter(kind="idea", object_id=draft.pk).exists()
    with jobs_now():
        ideas.idea_publish(user=world.member, idea=draft)
    assert Vector.objects.filter(kind="idea", object_id=draft.pk).exists()


def test_a_private_space_is_never_suggested_to_those_who_cannot_see_it(
    world: Any, make_space: Any, jobs_now: Any
) -> None:
    from peerwork.core.errors import NotFound

    private = make_space(world.steward, "hidden", visibility="members", participation="members")
    with jobs_now():
        tasks.task_create(user=world.steward, space=private, title="Repair the water point")
    with pytest.raises(NotFound):
        service.similar(user=world.outsider, space=private, query="repair the water point")
    found = service.similar(user=world.steward, space=private, query="repair the water point")
    assert titles(found) == ["Repair the water point"]
    # Nor does it leak into a public space's answers.
    assert service.similar(user=world.steward, space=world.space, query="repair water") == []


def test_reindex_makes_every_row_again(world: Any, work: Any) -> None:
    from peerwork.assist import index

    Vector.objects.all().delete()
    counts = index.reindex(world.space)
    assert counts == {"idea": 2, "challenge": 0, "task": 1, "proposal": 1, "page": 0}
    assert Vector.objects.filter(space=world.space).count() == 4


def test_the_tfidf_fallback_finds_the_same_duplicates(world: Any, work: Any, settings: Any) -> None:
    from peerwork.assist import index

    settings.PEERWORK_ASSIST_EMBEDDER = "tfidf"
    index.reindex(world.space)
    found = service.similar(
        user=world.member, space=world.space, query="Fix the water point in the park"
    )
    assert titles(found)[0] == "Repair the broken water point in the park"
    assert Vector.objects.filter(model="tfidf").count() == 4
