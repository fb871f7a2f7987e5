"""A person's notifications: sentences that say what happened to them, in both languages;
unread ones about one object gathered; each read or unread again, in pages and in the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from peerwork.activity import recorder
from peerwork.activity.actions import watch_set
from peerwork.activity.models import Notification
from peerwork.discussions import actions as discussions
from peerwork.ideas import actions as ideas
from peerwork.spaces.models import SpaceMembership
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

#: What a person must never read in a sentence: raw data, None, cents, ISO times, model labels.
RAW = [
    re.compile(r"\{['\"]"),
    re.compile(r"\bNone\b"),
    re.compile(r"\b\d{4}-\d\d-\d\dT\d\d"),
    re.compile(r"\b(?:wiki|ideas|challenges|accounts)\.[a-z]+\b"),
    re.compile(r"\b60000\b"),
    re.compile(r"[a-z]+:[a-z_]+"),  # a verb
]


def _clean(text: str) -> None:
    for pattern in RAW:
        assert not pattern.search(text), (pattern.pattern, text)


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    ada = make_user("ada", display_name="Ada Lovelace")
    grace = make_user("grace", display_name="Grace Hopper")
    linus = make_user("linus", display_name="Linus Torvalds")
    space = make_space(ada, "atlas")
    for person in (grace, linus):
        SpaceMembership.objects.create(space=space, user=person, role="member")
    first = wiki.page_save(
        user=ada, space=space, title="Main page", text="one\n", base_revision_id=None
    )
    watch_set(user=grace, target=first.page, watching=True)
    return {"ada": ada, "grace": grace, "linus": linus, "space": space, "page": first.page}


def _edit(world: dict[str, Any], who: str, text: str) -> None:
    page = world["page"]
    page.refresh_from_db()
    wiki.page_save(
        user=world[who],
        space=world["space"],
        title="Main page",
        text=text,
        base_revision_id=page.current_revision_id,
    )


def _as(person: Any) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    return client


def _api_sentences(client: Client, language: str = "en") -> list[str]:
    items = client.get("/api/v1/me/notifications", HTTP_ACCEPT_LANGUAGE=language).json()["items"]
    return [item["sentence"] for item in items]


# ---- sentences ------------------------------------------------------------------------------


def test_a_page_change_says_who_changed_what_i_watch(world: Any) -> None:
    _edit(world, "linus", "two\n")
    grace = _as(world["grace"])
    assert _api_sentences(grace) == ["Linus Torvalds edited Main page, which you watch"]
    assert _api_sentences(grace, "es") == ["Linus Torvalds editó Main page, que sigues"]
    page = grace.get("/notifications/").content.decode()
    assert (
        'Linus Torvalds edited <a href="/s/atlas/wiki/Main_page">Main page</a>, which you watch'
        in page
    )


def test_a_reply_to_my_comment_says_so_and_a_comment_elsewhere_says_i_watch(world: Any) -> None:
    page = world["page"]
    mine = discussions.comment_post(user=world["grace"], target=page, text="Looks good")
    discussions.comment_post(user=world["linus"], target=page, text="Agreed", parent=mine)
    discussions.comment_post(user=world["ada"], target=page, text="Thanks")
    grace = _as(world["grace"])
    assert _api_sentences(grace) == [
        "Ada Lovelace commented on Main page, which you watch",
        "Linus Torvalds replied to your comment on Main page",
    ]
    assert _api_sentences(grace, "es") == [
        "Ada Lovelace comentó en Main page, que sigues",
        "Linus Torvalds respondió a tu comentario en Main page",
    ]


def test_my_idea_reaching_a_milestone_is_said_to_me_as_mine(world: Any) -> None:
    idea = ideas.idea_create(user=world["ada"], space=world["space"], title="Solar kiosks")
    with transaction.atomic():
        event = recorder.record(
            actor=world["linus"],
            verb="idea:milestone_reached",
            target=idea,
            space=world["space"],
            data={"stage": 1, "of": 2, "supporters": 100},
        )
        recorder.notify(users=[world["ada"], world["grace"]], event=event)
    assert _api_sentences(_as(world["ada"])) == ["Your idea Solar kiosks reached 100 supporters"]
    assert _api_sentences(_as(world["ada"]), "es") == ["Tu idea Solar kiosks llegó a 100 apoyos"]
    assert _api_sentences(_as(world["grace"])) == [
        "Solar kiosks, an idea you follow, reached 100 supporters"
    ]


def test_a_prize_won_is_said_as_money_with_its_place(world: Any) -> None:
    from peerwork.spaces.models import Space

    space: Space = world["space"]
    with transaction.atomic():
        event = recorder.record(
            actor=world["ada"],
            verb="challenge:awarded",
            target=space,  # the sentence needs only the target's name
            space=space,
            data={
                "currency": "EUR",
                "places": [
                    {
                        "place": 1,
                        "submission": 1,
                        "title": "Filters",
                        "amount": 60000,
                        "shares": {"grace": 60000},
                    },
                    {
                        "place": 2,
                        "submission": 2,
                        "title": "Wells",
                        "amount": 30000,
                        "shares": {"linus": 15000, "ada": 15000},
                    },
                ],
                "unawarded": 0,
            },
        )
        recorder.notify(users=[world["grace"], world["linus"]], event=event)
    assert _api_sentences(_as(world["grace"])) == ["You won 1st place: €600.00 in Atlas"]
    assert _api_sentences(_as(world["grace"]), "es") == [
        "Ganaste el 1.º puesto: 600,00\xa0€ en Atlas"
    ]
    assert _api_sentences(_as(world["linus"])) == [
        "Your team won 2nd place: €300.00 in Atlas; your share is €150.00"
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_sentence_shows_raw_data(db: Any, language: str) -> None:
    """Every kind of notification the demo makes, in both languages, in the page and the API."""
    from peerwork.demo import DEMO_PASSWORD, load_demo

    load_demo()
    for username in ("ada", "grace", "linus", "ostrom"):
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD)
        for sentence in _api_sentences(client, language):
            _clean(sentence)
        page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        listed = page.split('<ol class="changes notifications">')[1].split("</main>")[0]
        for sentence in re.findall(r'<span class="sentence">(.*?)</span>', listed, re.S):
            _clean(re.sub(r"<[^>]+>", "", sentence))


# ---- grouping -------------------------------------------------------------------------------


def test_unread_changes_to_one_object_are_one_entry_with_the_count_and_the_people(
    world: Any,
) -> None:
    _edit(world, "linus", "two\n")
    _edit(world, "ada", "three\n")
    _edit(world, "linus", "four\n")
    grace = _as(world["grace"])
    page = grace.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 1
    assert (
        '3 changes to <a href="/s/atlas/wiki/Main_page">Main page</a> by Linus Torvalds and '
        "Ada Lovelace" in page
    )
    assert "<details>" in page and page.count("which you watch") == 3
    spanish = grace.get("/notifications/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "3 cambios en" in spanish and "de Linus Torvalds y Ada Lovelace" in spanish
    # Read ones stand alone: marking the group read shows three entries.
    ids = list(Notification.objects.filter(user=world["grace"]).values_list("pk", flat=True))
    response = grace.post("/notifications/read", {"notification": ids})
    assert response.status_code == 302
    page = grace.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 3
    assert "changes to" not in page


# ---- read and unread ------------------------------------------------------------------------


def _read_states(person: Any) -> list[bool]:
    return [n.read_at is not None for n in Notification.objects.filter(user=person).order_by("id")]


def test_one_notification_is_marked_read_and_unread_in_pages(world: Any) -> None:
    _edit(world, "linus", "two\n")
    _edit(world, "ada", "three\n")
    first, second = Notification.objects.filter(user=world["grace"]).order_by("id")
    grace = _as(world["grace"])
    response = grace.post(f"/notifications/{first.pk}/read", {"next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert _read_states(world["grace"]) == [True, False]
    page = grace.get("/notifications/").content.decode()
    assert f'action="/notifications/{first.pk}/unread"' in page
    assert f'action="/notifications/{second.pk}/read"' in page
    grace.post(f"/notifications/{first.pk}/unread")
    assert _read_states(world["grace"]) == [False, False]


def test_htmx_gets_the_entry_drawn_again(world: Any) -> None:
    _edit(world, "linus", "two\n")
    (only,) = Notification.objects.filter(user=world["grace"])
    response = _as(world["grace"]).post(
        f"/notifications/{only.pk}/read", {"shown": [only.pk]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<li class="entry read"')
    assert f'action="/notifications/{only.pk}/unread"' in html
    assert "<html" not in html


def test_mark_all_read_up_to_the_newest_shown(world: Any) -> None:
    _edit(world, "linus", "two\n")
    _edit(world, "ada", "three\n")
    newest = Notification.objects.filter(user=world["grace"]).latest("id")
    _edit(world, "linus", "four\n")  # arrives after the page was drawn
    _as(world["grace"]).post("/notifications/read", {"up_to": newest.pk})
    assert _read_states(world["grace"]) == [True, True, False]


def test_another_persons_notification_is_refused_and_unchanged(world: Any, api_as: Any) -> None:
    _edit(world, "linus", "two\n")
    (hers,) = Notification.objects.filter(user=world["grace"])
    linus = _as(world["linus"])
    for path in (f"/notifications/{hers.pk}/read", f"/notifications/{hers.pk}/unread"):
        assert linus.post(path).status_code == 404
    assert linus.post("/notifications/read", {"notification": [hers.pk]}).status_code == 302
    api = api_as(world["linus"])
    response = api.patch(f"/me/notifications/{hers.pk}", {"read": True})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert _read_states(world["grace"]) == [False]
    assert Client().post(f"/notifications/{hers.pk}/read").status_code == 302  # to log in
    assert api_as(None).patch(f"/me/notifications/{hers.pk}", {"read": True}).status_code == 401
    assert _read_states(world["grace"]) == [False]


def test_one_notification_is_marked_through_the_api(world: Any, api_as: Any) -> None:
    _edit(world, "linus", "two\n")
    (only,) = Notification.objects.filter(user=world["grace"])
    api = api_as(world["grace"])
    read = api.patch(f"/me/notifications/{only.pk}", {"read": True})
    assert read.status_code == 200
    body = read.json()
    assert (body["id"], body["read"], body["url"]) == (only.pk, True, "/s/atlas/wiki/Main_page")
    assert body["sentence"] == "Linus Torvalds edited Main page, which you watch"
    assert _read_states(world["grace"]) == [True]
    unread = api.patch(f"/me/notifications/{only.pk}", {"read": False}).json()
    assert unread["read"] is False
    assert _read_states(world["grace"]) == [False]
    bad = api.patch(f"/me/notifications/{only.pk}", {"read": "maybe"})
    assert bad.status_code == 422
    assert _read_states(world["grace"]) == [False]
    assert api.post("/me/notifications/read", {}).json() == {"marked": 1}
    assert _read_states(world["grace"]) == [True]


def test_sentences_follow_the_language_active(world: Any) -> None:
    _edit(world, "linus", "two\n")
    with translation.override("es"):
        assert _api_sentences(_as(world["grace"]), "es")[0].endswith("que sigues")


@pytest.mark.parametrize(
    ("verb", "data", "english", "spanish"),
    [
        (
            "task:approved",
            {"delivery": 1, "reason": "", "bounty": {"grace": 12000}, "currency": "EUR"},
            "Ada Lovelace approved your work on Atlas; your bounty is €120.00",
            "Ada Lovelace aprobó tu trabajo en Atlas; tu recompensa es 120,00\xa0€",
        ),
        (
            "task:claim_approved",
            {"claimant": "grace"},
            "Ada Lovelace approved your claim on Atlas: it is yours to do",
            "Ada Lovelace aprobó tu reclamación de Atlas: la tarea es tuya",
        ),
        (
            "task:claim_declined",
            {"claimant": "grace"},
            "Ada Lovelace declined your claim on Atlas",
            "Ada Lovelace rechazó tu reclamación de Atlas",
        ),
        (
            "proposal:closed",
            {"passed": True, "counted": 3, "eligible": 3},
            "The vote on Atlas has closed: it passed",
            "La votación de Atlas ha cerrado: se aprobó",
        ),
        (
            "proposal:closed",
            {"passed": False, "counted": 1, "eligible": 3},
            "The vote on Atlas has closed: it did not pass",
            "La votación de Atlas ha cerrado: no se aprobó",
        ),
    ],
)
def test_what_happened_to_my_task_or_vote(
    world: Any, verb: str, data: dict[str, Any], english: str, spanish: str
) -> None:
    with transaction.atomic():
        event = recorder.record(
            actor=world["ada"], verb=verb, target=world["space"], space=world["space"], data=data
        )
        recorder.notify(users=[world["grace"]], event=event)
    grace = _as(world["grace"])
    assert _api_sentences(grace) == [english]
    assert _api_sentences(grace, "es") == [spanish]
    _clean(english)
    _clean(spanish)
