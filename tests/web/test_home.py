"""A signed-in person's home: what waits for them (and only what is theirs to do), their
spaces, their watchlist and contributions, first steps for a newcomer; a young space's
checklist for its stewards; an empty wiki that says how to start."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from peerwork.activity.actions import watch_set
from peerwork.governance import actions as governance
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership
from peerwork.tasks import actions as tasks
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def home(user: Any, language: str = "en") -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, key: str) -> str:
    """The text a person reads in one home section ("" when the section is not shown)."""
    found = re.search(rf'<div class="home-section" id="home-{key}">(.*?)</div>\n', body, re.S)
    if found is None:
        return ""
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.fixture
def town(make_user: Any, make_space: Any) -> Any:
    class Town:
        stew = make_user("stew", display_name="Stew")
        ada = make_user("ada", display_name="Ada")
        newcomer = make_user("newcomer")
        space = make_space(stew, "town")

    SpaceMembership.objects.create(space=Town.space, user=Town.ada, role="member")
    return Town


def test_a_newcomer_gets_first_steps_and_nothing_waiting(town: Any) -> None:
    body = home(town.newcomer)
    steps = section(body, "first-steps")
    assert "Find a space and join it" in steps
    assert "Improve a page of Town" in steps and "Support an idea in Town" in steps
    assert 'href="/s/town/wiki/"' in body and 'href="/s/town/ideas/"' in body
    assert section(body, "your-spaces") == ""
    assert "Nothing waits for you right now." in section(body, "waiting")
    assert section(body, "contributions") == "" and section(body, "watchlist") == ""


def test_a_member_sees_their_spaces_with_their_role_not_first_steps(town: Any) -> None:
    body = home(town.ada)
    assert section(body, "first-steps") == ""
    assert "Town You are a member." in section(body, "your-spaces")
    assert "Town You are a steward." in section(home(town.stew), "your-spaces")


def test_invitations_wait_until_answered(town: Any, make_space: Any) -> None:
    rooms = [make_space(town.stew, f"room-{n}") for n in range(2)]
    sent = [
        spaces.space_invitation_create(user=town.stew, space=room, invitee=town.newcomer)
        for room in rooms
    ]
    assert "2 invitations wait for your answer" in section(home(town.newcomer), "waiting")
    assert 'href="/invitations/"' in home(town.newcomer)
    spaces.space_invitation_respond(user=town.newcomer, invitation=sent[0], accept=False)
    assert "An invitation waits for your answer" in section(home(town.newcomer), "waiting")
    spaces.space_invitation_respond(user=town.newcomer, invitation=sent[1], accept=True)
    assert "invitation" not in section(home(town.newcomer), "waiting")


def test_join_requests_wait_for_stewards_only(town: Any, make_user: Any) -> None:
    town.space.participation = "members"
    town.space.save()
    for name in ("bo", "cy"):
        spaces.join_request_create(user=make_user(name), space=town.space)
    assert "2 people ask to join · Town" in section(home(town.stew), "waiting")
    assert "ask to join" not in section(home(town.ada), "waiting")


def test_claimed_work_and_reviews_wait_with_their_due_date(town: Any) -> None:
    due = timezone.localdate() + timedelta(days=3)
    task = tasks.task_create(user=town.stew, space=town.space, title="Map the river", due_date=due)
    tasks.task_claim(user=town.ada, task=task)
    waiting = section(home(town.ada), "waiting")
    assert "You are working on “Map the river” · Town · due" in waiting
    assert "Map the river" not in section(home(town.newcomer), "waiting")


def test_open_votes_closing_soon_wait_until_cast(town: Any) -> None:
    soon = governance.proposal_create(
        user=town.stew,
        space=town.space,
        title="Open on Sundays?",
        method_name="consent",
        closes_at=timezone.now() + timedelta(days=2),
    )
    governance.proposal_create(
        user=town.stew,
        space=town.space,
        title="A far decision",
        method_name="consent",
        closes_at=timezone.now() + timedelta(days=20),
    )
    waiting = section(home(town.ada), "waiting")
    assert "Vote on “Open on Sundays?” · Town · closes" in waiting
    assert "A far decision" not in waiting
    assert "Open on Sundays?" not in section(home(town.newcomer), "waiting"), "not a member"
    governance.ballot_cast(user=town.ada, proposal=soon, ballot={"position": "consent"})
    assert "Open on Sundays?" not in section(home(town.ada), "waiting")


def test_waiting_items_come_soonest_first(town: Any) -> None:
    later = tasks.task_create(
        user=town.stew, space=town.space, title="Later", due_date=date.today() + timedelta(6)
    )
    undated = tasks.task_create(user=town.stew, space=town.space, title="Whenever")
    governance.proposal_create(
        user=town.stew,
        space=town.space,
        title="Sooner",
        method_name="consent",
        closes_at=timezone.now() + timedelta(days=1),
    )
    for task in (undated, later):
        tasks.task_claim(user=town.ada, task=task, share=1)
    waiting = section(home(town.ada), "waiting")
    assert waiting.index("Sooner") < waiting.index("Later") < waiting.index("Whenever")


def test_contributions_and_watched_changes_in_sentences(town: Any) -> None:
    saved = wiki.page_save(
        user=town.stew, space=town.space, title="River", text="A river.\n", base_revision_id=None
    )
    watch_set(user=town.ada, target=saved.page, watching=True)
    wiki.page_save(
        user=town.stew,
        space=town.space,
        title="River",
        text="A long river.\n",
        base_revision_id=saved.revision.pk,
    )
    body = home(town.ada)
    assert "Stew edited the page River" in section(body, "watchlist")
    assert "Your whole watchlist" in section(body, "watchlist")
    assert "Stew created the page River" in section(home(town.stew), "contributions")
    assert section(body, "contributions") == "", "Ada has done nothing yet"


def test_the_home_reads_in_spanish(town: Any) -> None:
    governance.proposal_create(
        user=town.stew,
        space=town.space,
        title="¿Abrir los domingos?",
        method_name="consent",
        closes_at=timezone.now() + timedelta(days=2),
    )
    body = home(town.ada, "es")
    assert "Te damos la bienvenida, Ada" in body
    assert "Vota sobre «¿Abrir los domingos?» · Town · se cierra" in section(body, "waiting")
    assert "Eres miembro." in section(body, "your-spaces")
    assert "Primeros pasos" in section(home(town.newcomer, "es"), "first-steps")


def test_anonymous_home_is_the_front_door(town: Any) -> None:
    body = Client().get("/").content.decode()
    assert "Make things together, in the open" in body and 'id="home-waiting"' not in body


# --- a young space's checklist ----------------------------------------------------------------


def checklist(user: Any, slug: str = "town") -> list[tuple[str, bool]]:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    body = client.get(f"/s/{slug}/").content.decode()
    items = re.findall(
        r'<li class="(done|open)"><span class="check"[^>]*>.</span> <a [^>]*>([^<]+)</a>', body
    )
    return [(html.unescape(label), state == "done") for state, label in items]


def test_a_new_space_shows_its_steward_what_is_left(town: Any) -> None:
    steps = dict(checklist(town.stew))
    assert set(steps) == {
        "Say what the space is for: a description people read before they join",
        "Write the wiki's main page: what a visitor reads first",
        "Add members, or invite people to join",
        "Post the first idea: something the community can support",
        "Post the first task someone can pick up",
        "Post the first challenge, with a prize for the best answer",
    }
    assert steps["Add members, or invite people to join"] is True  # Ada is a member
    assert steps["Write the wiki's main page: what a visitor reads first"] is False
    assert checklist(town.ada) == [], "only stewards see it"

    wiki.page_save(
        user=town.stew,
        space=town.space,
        title="Main page",
        text="Welcome.\n",
        base_revision_id=None,
    )
    steps = dict(checklist(town.stew))
    assert steps["Write the wiki's main page: what a visitor reads first"] is True


def test_the_checklist_goes_when_done_or_when_the_space_is_old(town: Any, make_space: Any) -> None:
    from peerwork.challenges.models import Challenge
    from peerwork.ideas import actions as ideas

    town.space.description = "A town."
    town.space.save()
    wiki.page_save(
        user=town.stew,
        space=town.space,
        title="Main page",
        text="Welcome.\n",
        base_revision_id=None,
    )
    tasks.task_create(user=town.stew, space=town.space, title="One task")
    assert len(checklist(town.stew)) == 6
    # A challenge's step is done the moment one exists (made directly: its form is tested
    # with its app).
    ideas.idea_create(user=town.stew, space=town.space, title="An idea")
    assert len(checklist(town.stew)) == 6
    now = timezone.now()
    Challenge.objects.create(
        space=town.space,
        posted_by=town.stew,
        title="A challenge",
        statement="Solve it.",
        kind="ideation",
        currency="EUR",
        ip_terms="license",
        prize_pool=100,
        opens_at=now,
        closes_at=now + timedelta(days=9),
    )
    assert checklist(town.stew) == []

    with time_machine.travel(timezone.now() - timedelta(days=31)):
        make_space(town.stew, "old-town")
    assert checklist(town.stew, "old-town") == []


# --- an empty wiki ----------------------------------------------------------------------------


def test_an_empty_wiki_says_how_to_start(town: Any) -> None:
    client = Client()
    client.login(username=town.ada.username, password=PASSWORD)
    response = client.get("/s/town/wiki/Main_page")
    body = response.content.decode()
    assert response.status_code == 200
    assert "The wiki of Town has no pages yet" in body
    assert 'href="/s/town/edit/Main_page"' in body and "Write the main page" in body
    assert client.get("/s/town/wiki/Other").status_code == 404, "other missing pages stay 404"
    anonymous = Client().get("/s/town/wiki/Main_page").content.decode()
    assert "Log in to write the first page" in anonymous

    wiki.page_save(
        user=town.stew, space=town.space, title="Other", text="x\n", base_revision_id=None
    )
    response = client.get("/s/town/wiki/Main_page")
    assert response.status_code == 404 and "no pages yet" not in response.content.decode()
