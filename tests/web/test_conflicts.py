"""Edit conflicts, and undo and restore that ask first: what a person sees, with exact answers."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
import time_machine

from peerwork.accounts.models import User
from peerwork.activity.models import Event
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions
from peerwork.wiki.models import Page, Revision

pytestmark = pytest.mark.django_db

MARKERS = (
    "<<<<<<<",
    "=======",
    ">>>>>>>",
    "&lt;&lt;&lt;&lt;&lt;&lt;&lt;",
    "&gt;&gt;&gt;&gt;&gt;&gt;&gt;",
)
SAVED_AT = dt.datetime(2026, 3, 5, 17, 30, tzinfo=dt.UTC)


@pytest.fixture
def world(make_user: Any, make_space: Any, client_as: Any) -> Any:
    class World:
        ana = make_user("ana", display_name="Ana Ruiz")
        bea = make_user("bea", display_name="Bea")
        space = make_space(ana, "garden")
        spaces.space_member_add(user=ana, space=space, member=bea, role="member")
        User.objects.filter(pk=bea.pk).update(time_zone="America/Mexico_City")
        ana_client = client_as(ana)
        bea_client = client_as(bea)

    return World


def _save(user: User, space: Any, title: str, text: str) -> actions.SaveResult:
    current = Page.objects.filter(space=space, title=title).first()
    base = current.current_revision_id if current else None
    return actions.page_save(user=user, space=space, title=title, text=text, base_revision_id=base)


def _conflict(
    world: Any, *, language: str = "en", typed: str = "one\ntwo <by> bea\nthree\n"
) -> Any:
    """Ana saves line two while Bea, who started from the first version, saves it too."""
    first = _save(world.ana, world.space, "Plan", "one\ntwo\nthree\n")
    with time_machine.travel(SAVED_AT, tick=False):
        _save(world.ana, world.space, "Plan", "one\nTWO by ana\nthree\n")
    return world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": typed, "base_revision": first.revision.pk, "summary": "mine"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _textareas(body: str) -> dict[str, str]:
    """{id: text} of every text area of the page, as the browser fills it."""
    found = re.findall(r'<textarea[^>]*\bid="([^"]+)"[^>]*>\n?(.*?)</textarea>', body, re.S)
    return {key: html.unescape(value) for key, value in found}


def _no_markers(body: str) -> None:
    for text in _textareas(body).values():
        for marker in MARKERS[:3]:
            assert marker not in text


@pytest.mark.parametrize(
    ("language", "heading", "sentence"),
    [
        (
            "en",
            "Edit conflict",
            '<a href="/people/ana/">Ana Ruiz</a> saved this page on March 5, 2026, 11:30 a.m., '
            "after you started editing, and changed the same part of it. "
            "Nothing of yours was saved.",
        ),
        (
            "es",
            "Conflicto de edición",
            '<a href="/people/ana/">Ana Ruiz</a> guardó esta página el 5 de marzo de 2026 a las '
            "11:30, después de que empezaras a editarla, y cambió la misma parte. "
            "No se guardó nada tuyo.",
        ),
    ],
)
def test_conflict_page_shows_the_current_text_the_diff_and_yours_without_markers(
    world: Any, language: str, heading: str, sentence: str
) -> None:
    typed = "one\ntwo <by> bea\nthree\n"
    response = _conflict(world, language=language, typed=typed)

    assert response.status_code == 409
    body = response.content.decode()
    current = Page.objects.get(title="Plan").current_revision
    assert f"<h2>{heading}</h2>" in body
    assert sentence in " ".join(body.split())
    areas = _textareas(body)
    # The box to save holds the page as it is now; below it, their own text, as typed.
    assert areas["id_text"] == "one\nTWO by ana\nthree\n"
    assert areas["yours"] == typed
    _no_markers(body)
    assert f'name="base_revision" value="{current.pk}"' in body
    # The differences between the current text and theirs.
    removed, added = ("removed", "added") if language == "en" else ("quitado", "añadido")
    assert (
        f'<td class="text old"><span class="visually-hidden">{removed}: </span>TWO by ana</td>'
    ) in body
    assert (
        f'<td class="text new"><span class="visually-hidden">{added}: </span>'
        "two &lt;by&gt; bea</td>"
    ) in body
    # Nothing was saved.
    assert current.content.text == "one\nTWO by ana\nthree\n"
    assert Revision.objects.filter(page__title="Plan").count() == 2


def test_no_text_area_ever_holds_markers_for_any_page_model(world: Any) -> None:
    for title, text, change_ana, change_bea in [
        ("Plan", "one\ntwo\nthree\n", "one\nANA\nthree\n", "one\nBEA\nthree\n"),
        ("Plan.css", "a { }\nb { }\n", "a { color: red }\nb { }\n", "a { color: blue }\nb { }\n"),
        ("Data.json", '{\n"a": 1\n}\n', '{\n"a": 2\n}\n', '{\n"a": 3\n}\n'),
    ]:
        first = _save(world.ana, world.space, title, text)
        _save(world.ana, world.space, title, change_ana)
        response = world.bea_client.post(
            f"/s/garden/edit/{title}",
            {"text": change_bea, "base_revision": first.revision.pk},
        )
        assert response.status_code == 409, title
        _no_markers(response.content.decode())
        assert _textareas(response.content.decode())["yours"] == change_bea


def test_their_text_is_never_lost_after_errors_previews_and_a_second_conflict(world: Any) -> None:
    typed = "one\ntwo by bea\nthree\n"
    conflict = _conflict(world, typed=typed)
    current = Page.objects.get(title="Plan").current_revision
    assert _textareas(conflict.content.decode())["yours"] == typed

    # A summary too long: the form answers the error, and their text is still there.
    error = world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": "resolved\n", "base_revision": current.pk, "summary": "x" * 501, "yours": typed},
    )
    assert error.status_code == 400
    areas = _textareas(error.content.decode())
    assert (areas["id_text"], areas["yours"]) == ("resolved\n", typed)

    # A preview keeps it too.
    preview = world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": "resolved\n", "base_revision": current.pk, "preview": "1", "yours": typed},
    )
    assert _textareas(preview.content.decode())["yours"] == typed
    assert "You are resolving an edit conflict" in preview.content.decode()

    # Ana saves again meanwhile: a second conflict shows what Bea just tried to save.
    _save(world.ana, world.space, "Plan", "one\nTWO by ana, again\nthree\n")
    second = world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": "one\nTWO by ana and bea\nthree\n", "base_revision": current.pk, "yours": typed},
    )
    assert second.status_code == 409
    areas = _textareas(second.content.decode())
    assert areas["id_text"] == "one\nTWO by ana, again\nthree\n"
    assert areas["yours"] == "one\nTWO by ana and bea\nthree\n"
    _no_markers(second.content.decode())
    assert Revision.objects.filter(page__title="Plan").count() == 3

    # Saving the resolution on the current base saves it; the page no longer shows "yours".
    latest = Page.objects.get(title="Plan").current_revision
    saved = world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": "one\nboth\nthree\n", "base_revision": latest.pk, "yours": typed},
    )
    assert saved.status_code == 302
    assert Page.objects.get(title="Plan").current_revision.content.text == "one\nboth\nthree\n"


SECTIONED = "Intro.\n\n## Alpha\nalpha one\nalpha two\n\n## Beta\nbeta one\n"


def test_a_conflict_in_one_section_shows_the_whole_page_and_keeps_the_section(world: Any) -> None:
    first = _save(world.ana, world.space, "Doc", SECTIONED)
    _save(world.ana, world.space, "Doc", SECTIONED.replace("alpha two", "alpha by ana"))
    typed = "## Alpha\nalpha one\nalpha <by> bea\n"
    response = world.bea_client.post(
        "/s/garden/edit/Doc",
        {"text": typed, "base_revision": first.revision.pk, "section": "1"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    areas = _textareas(body)
    assert areas["id_text"] == SECTIONED.replace("alpha two", "alpha by ana")
    assert areas["yours"] == SECTIONED.replace("alpha two", "alpha <by> bea")
    assert areas["typed-section"] == typed
    assert (
        re.search(r'<input type="hidden" name="section"[^>]*>', body).group(0).count("value=") == 0
    )
    _no_markers(body)
    assert '<a href="/people/ana/">Ana Ruiz</a> saved this page' in " ".join(body.split())


def test_api_conflict_names_both_texts_the_revision_its_author_and_time(
    world: Any, client_as: Any
) -> None:
    first = _save(world.ana, world.space, "Plan", "one\ntwo\nthree\n")
    with time_machine.travel(SAVED_AT, tick=False):
        ana_edit = _save(world.ana, world.space, "Plan", "one\nTWO by ana\nthree\n")
    response = world.bea_client.put(
        "/api/v1/spaces/garden/pages/Plan",
        {"text": "one\n2 by bea\nthree\n", "base_revision": first.revision.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "/problems/edit-conflict"
    assert body["yours"] == "one\n2 by bea\nthree\n"
    assert body["current"] == "one\nTWO by ana\nthree\n"
    assert body["current_revision"] == ana_edit.revision.pk
    assert body["current_author"] == {"username": "ana", "display_name": "Ana Ruiz"}
    assert body["current_saved_at"] == "2026-03-05T17:30:00+00:00"
    assert Revision.objects.filter(page__title="Plan").count() == 2


# --- undo and restore ask first -------------------------------------------------------------


def _log(world: Any) -> tuple[Revision, Revision, Page]:
    one = _save(world.ana, world.space, "Log", "a\nb\nc\n").revision
    two = _save(world.bea, world.space, "Log", "a\nB\nc\nd\n").revision
    return one, two, Page.objects.get(title="Log")


@pytest.mark.parametrize("method", ["get", "post"])
def test_undo_shows_the_result_and_changes_nothing_until_saved(world: Any, method: str) -> None:
    _one, two, page = _log(world)
    events = Event.objects.count()

    response = getattr(world.ana_client, method)(f"/s/garden/revisions/{two.pk}/undo")

    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h2>Undo revision {two.pk}</h2>" in body
    assert "The change can be undone." in body
    areas = _textareas(body)
    assert areas["id_text"] == "a\nb\nc\n"
    assert f'value="Undo revision {two.pk} by bea"' in body
    assert f'name="undid" value="{two.pk}"' in body
    assert f'name="base_revision" value="{two.pk}"' in body
    assert '<td class="text old"><span class="visually-hidden">removed: </span>d</td>' in body
    # Nothing changed.
    page.refresh_from_db()
    assert page.current_revision_id == two.pk
    assert Event.objects.count() == events

    saved = world.ana_client.post(
        "/s/garden/edit/Log",
        {
            "text": areas["id_text"],
            "base_revision": two.pk,
            "summary": f"Undo revision {two.pk} by bea",
            "undid": two.pk,
        },
    )
    assert saved.status_code == 302
    page.refresh_from_db()
    assert page.current_revision.content.text == "a\nb\nc\n"
    assert page.current_revision.summary == f"Undo revision {two.pk} by bea"
    event = Event.objects.order_by("-id").first()
    assert (event.verb, event.data["undid"]) == ("page:edited", two.pk)


def test_restore_shows_the_result_in_spanish_and_saves_when_confirmed(world: Any) -> None:
    one, two, page = _log(world)
    response = world.ana_client.get(
        f"/s/garden/revisions/{one.pk}/restore", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h2>Restaurar la revisión {one.pk}</h2>" in body
    assert _textareas(body)["id_text"] == "a\nb\nc\n"
    assert f'name="restored" value="{one.pk}"' in body
    page.refresh_from_db()
    assert page.current_revision_id == two.pk

    saved = world.ana_client.post(
        "/s/garden/edit/Log",
        {"text": "a\nb\nc\n", "base_revision": two.pk, "summary": "back", "restored": one.pk},
    )
    assert saved.status_code == 302
    page.refresh_from_db()
    assert page.current_revision.content.text == "a\nb\nc\n"
    assert Event.objects.order_by("-id").first().data["restored"] == one.pk


def test_an_undo_that_cannot_apply_says_why_and_changes_nothing(world: Any) -> None:
    _save(world.ana, world.space, "Log", "a\nb\nc\n")
    two = _save(world.ana, world.space, "Log", "a\nB\nc\n").revision
    three = _save(world.ana, world.space, "Log", "a\nBB\nc\n").revision
    response = world.ana_client.get(f"/s/garden/revisions/{two.pk}/undo")
    assert response.status_code == 409
    body = response.content.decode()
    assert f"Later edits changed the same part as revision {two.pk}" in body
    assert 'href="/s/garden/edit/Log">Edit the page by hand</a>' in body
    assert Page.objects.get(title="Log").current_revision_id == three.pk


def test_undo_and_restore_are_refused_to_those_who_may_not_edit(
    world: Any, make_user: Any, make_space: Any, client_as: Any
) -> None:
    closed = make_space(world.ana, "closed", participation="members")
    revision = actions.page_save(
        user=world.ana, space=closed, title="Log", text="a\n", base_revision_id=None
    ).revision
    outsider = client_as(make_user("olga"))
    events = Event.objects.count()
    for url in (
        f"/s/closed/revisions/{revision.pk}/undo",
        f"/s/closed/revisions/{revision.pk}/restore",
    ):
        assert outsider.get(url).status_code == 403
        assert outsider.post(url, {"text": "b\n"}).status_code == 403
    assert Page.objects.get(space=closed).current_revision_id == revision.pk
    assert Event.objects.count() == events


def test_api_undo_and_restore_dry_run_propose_and_change_nothing(world: Any) -> None:
    one, two, page = _log(world)
    events = Event.objects.count()
    undo = world.ana_client.post(
        f"/api/v1/spaces/garden/revisions/{two.pk}/undo?dry_run=true",
        {},
        content_type="application/json",
    )
    assert undo.status_code == 200
    assert undo.json()["status"] == "preview"
    assert undo.json()["proposal"] == {
        "text": "a\nb\nc\n",
        "summary": f"Undo revision {two.pk} by bea",
        "base_revision": two.pk,
    }
    restore = world.ana_client.post(
        f"/api/v1/spaces/garden/revisions/{one.pk}/restore?dry_run=true",
        {"summary": "back"},
        content_type="application/json",
    )
    assert restore.json()["proposal"] == {
        "text": "a\nb\nc\n",
        "summary": "back",
        "base_revision": two.pk,
    }
    page.refresh_from_db()
    assert (page.current_revision_id, Event.objects.count()) == (two.pk, events)

    saved = world.ana_client.put(
        "/api/v1/spaces/garden/pages/Log",
        {"text": "a\nb\nc\n", "base_revision": two.pk, "undid": two.pk},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert Event.objects.order_by("-id").first().data["undid"] == two.pk
