"""The held-edits queue page: what a patroller sees, release and reject through the page, the
author's notice on the page, and the Spanish render."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import HeldEdit, Page
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TEXT = "\n".join(f"A careful sentence about the commons, number {n}." for n in range(30))
SHOUT = "LOL IDIOT!!!!!!!!!!!!"


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        ada = make_user("ada")  # steward: a patroller
        eve = make_user("eve")  # a new account, no role
        space = make_space(ada, "atlas")

    spaces.space_policy_update(
        user=World.ada,
        space=World.space,
        document={
            **World.space.policy,
            "risk": {"hold_risky_edits": True, "threshold_percent": 80},
        },
    )
    World.space.refresh_from_db()
    wiki.page_save(
        user=World.ada, space=World.space, title="Home", text=TEXT, base_revision_id=None
    )
    return World


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def _risky(world: Any, text: str = SHOUT) -> HeldEdit:
    base = Page.objects.get(title="Home").current_revision_id
    saved = wiki.page_save(
        user=world.eve, space=world.space, title="Home", text=text, base_revision_id=base
    )
    assert saved.status == "held"
    return saved.held


def _current_text() -> str:
    return Page.objects.get(title="Home").current_revision.content.text


def test_the_queue_shows_reasons_risk_and_diff_and_buttons(world: Any) -> None:
    held = _risky(world)
    answer = _client("ada").get("/s/atlas/held-edits")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'id="held-{held.pk}"' in html
    percent = round(held.risk["score"] * 100)
    assert f"risk {percent}%" in html
    top = held.risk["data"]["top"][:3]
    assert top and all(item["words"] in html for item in top)
    assert "LOL IDIOT" in html  # the held text, in the diff
    assert "A careful sentence about the commons, number 7." in html  # the text it removes
    assert f"/s/atlas/held-edits/{held.pk}/release" in html
    assert f"/s/atlas/held-edits/{held.pk}/reject" in html
    recent = _client("ada").get("/s/atlas/recent-changes").content.decode()
    assert 'href="/s/atlas/held-edits"' in recent


def test_only_deciders_see_the_queue_and_its_link(world: Any, make_user: Any) -> None:
    held = _risky(world)
    assert _client("eve").get("/s/atlas/held-edits").status_code == 403
    assert _client(None).get("/s/atlas/held-edits").status_code in (302, 403)
    assert (
        'href="/s/atlas/held-edits"'
        not in _client("eve").get("/s/atlas/recent-changes").content.decode()
    )
    refused = _client("eve").post(f"/s/atlas/held-edits/{held.pk}/release")
    assert refused.status_code == 403
    assert HeldEdit.objects.get(pk=held.pk).state == "held"
    assert _current_text() == TEXT


def test_release_through_the_page_publishes_the_edit(world: Any) -> None:
    held = _risky(world)
    assert _current_text() == TEXT
    answer = _client("ada").post(
        f"/s/atlas/held-edits/{held.pk}/release", {"reason": "fine"}, follow=True
    )
    assert answer.status_code == 200
    assert "Released" in answer.content.decode()
    held.refresh_from_db()
    assert (held.state, held.reason, held.decided_by) == ("released", "fine", world.ada)
    assert _current_text() == SHOUT
    assert "No edit waits for review." in answer.content.decode()


def test_reject_through_the_page_keeps_the_page(world: Any) -> None:
    held = _risky(world)
    answer = _client("ada").post(f"/s/atlas/held-edits/{held.pk}/reject", follow=True)
    assert answer.status_code == 200
    held.refresh_from_db()
    assert held.state == "rejected"
    assert _current_text() == TEXT
    again = _client("ada").post(f"/s/atlas/held-edits/{held.pk}/release", follow=True)
    assert "already rejected" in again.content.decode()
    assert HeldEdit.objects.get(pk=held.pk).state == "rejected"
    assert _current_text() == TEXT


def test_a_conflicting_release_shows_its_message_and_changes_nothing(world: Any) -> None:
    lines = TEXT.split("\n")
    held = _risky(world, "\n".join(["SHOUTING LOL!!!!!!!!!!!!", *lines[1:2]]))
    base = Page.objects.get(title="Home").current_revision_id
    mine = "\n".join(["A steward's own first line.", *lines[1:]])
    wiki.page_save(
        user=world.ada, space=world.space, title="Home", text=mine, base_revision_id=base
    )
    answer = _client("ada").post(f"/s/atlas/held-edits/{held.pk}/release", follow=True)
    assert "The page changed since this edit was held" in answer.content.decode()
    assert HeldEdit.objects.get(pk=held.pk).state == "held"
    assert _current_text() == mine


def test_the_author_sees_that_their_edit_waits(world: Any) -> None:
    _risky(world)
    mine = _client("eve").get("/s/atlas/wiki/Home").content.decode()
    assert 'data-testid="held-waiting"' in mine
    assert "LOL IDIOT" not in mine
    assert (
        'data-testid="held-waiting"'
        not in _client("ada").get("/s/atlas/wiki/Home").content.decode()
    )
    assert (
        'data-testid="held-waiting"' not in _client(None).get("/s/atlas/wiki/Home").content.decode()
    )


def test_the_queue_in_spanish(world: Any) -> None:
    from django.utils import translation

    from peerwork.risk.features import in_words

    held = _risky(world)  # saved while the author's language was English
    client = _client("ada")
    answer = client.get("/s/atlas/held-edits", HTTP_ACCEPT_LANGUAGE="es")
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Ediciones retenidas para revisión" in html
    assert "Publicar" in html and "Rechazar" in html
    # Why it is risky is said in the reader's language, not in the one it was saved in.
    top = held.risk["data"]["top"][:3]
    with translation.override("es"):
        spanish = [in_words(item["feature"], item["value"]) for item in top]
    assert spanish != [item["words"] for item in top]
    assert all(words in html for words in spanish)
    assert not any(item["words"] in html for item in top if item["words"] not in spanish)


def test_recent_changes_mark_a_risky_edit_with_its_top_feature(world: Any) -> None:
    spaces.space_policy_update(
        user=world.ada, space=world.space, document={**world.space.policy, "risk": {}}
    )
    world.space.refresh_from_db()
    base = Page.objects.get(title="Home").current_revision_id
    saved = wiki.page_save(
        user=world.eve, space=world.space, title="Home", text=SHOUT, base_revision_id=base
    )
    assert saved.status == "saved"  # holding is off: published, but still scored
    risk = next(f for f in saved.event.data["screening"] if f["screen"] == "risk")
    html = _client(None).get("/s/atlas/recent-changes").content.decode()
    badge = f"risk {round(risk['score'] * 100)}%: {risk['data']['top'][0]['words']}"
    assert badge in html
    assert html.count('data-testid="change-risk"') == 1  # the steward's careful page is not
    from django.utils import translation

    from peerwork.risk.features import in_words

    first = risk["data"]["top"][0]
    with translation.override("es"):
        spanish = in_words(first["feature"], first["value"])
    assert spanish != first["words"]
    signed_in = _client("ada").get("/s/atlas/recent-changes", HTTP_ACCEPT_LANGUAGE="es")
    assert f": {spanish}" in signed_in.content.decode()


def test_the_settings_page_shows_the_measured_precision(world: Any) -> None:
    settings = _client("ada").get("/s/atlas/settings/").content.decode()
    assert "Edits scored 80% or more wait for a patroller." in settings
    assert "No held edit has been decided yet" in settings
    wiki.held_edit_reject(user=world.ada, held=_risky(world))
    wiki.held_edit_reject(user=world.ada, held=_risky(world, SHOUT + " AGAIN"))
    wiki.held_edit_release(user=world.ada, held=_risky(world, SHOUT + " ONCE MORE"))
    settings = _client("ada").get("/s/atlas/settings/").content.decode()
    assert "Of 3 held edits decided, 2 were rejected: 67%." in settings
    spanish = _client("ada").get("/s/atlas/settings/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "De 3 ediciones retenidas ya decididas, se rechazaron 2: el 67%." in spanish


def test_the_history_marks_held_and_rejected_edits_for_patrollers(world: Any) -> None:
    wiki.held_edit_reject(user=world.ada, held=_risky(world))
    waiting = _risky(world, SHOUT + " AGAIN")
    history = _client("ada").get("/s/atlas/history/Home").content.decode()
    assert 'data-testid="held-of-page"' in history
    assert f'href="/s/atlas/held-edits#held-{waiting.pk}"' in history
    assert ">rejected<" in history
    assert (
        "rechazada"
        in _client("ada").get("/s/atlas/history/Home", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    )
    for reader in ("eve", None):
        page = _client(reader).get("/s/atlas/history/Home").content.decode()
        assert 'data-testid="held-of-page"' not in page
