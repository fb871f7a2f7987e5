"""The challenge form as people fill it: the title first, amounts as their language writes them,
judges picked by name from the members, and every time read and shown in a named zone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.challenges.models import Challenge, Judge

from .conftest import People, make_challenge

pytestmark = pytest.mark.django_db

#: What the form says in each language: the time zone note and a refused amount's error.
SAYS = {
    "en": {
        "zone": "Times in Europe/Madrid.",
        "bad": "Prize pool: “12,34,5” is not an amount; write it as 1,234.50.",
        "example": "An amount as you write it, such as 1,234.50.",
    },
    "es": {
        "zone": "Horas en Europe/Madrid.",
        "bad": "Bolsa de premios: «12,34,5» no es un importe; escríbelo como 1.234,50.",
        "example": "Un importe tal como lo escribes, por ejemplo 1.234,50.",
    },
}


def _named(people: People) -> None:
    """The seeker reads times in Madrid; the members carry display names."""
    for person, name in [
        (people.seeker, "Sara Seeker"),
        (people.judge, "Judith Judge"),
        (people.member, "Mario Member"),
    ]:
        accounts.user_update_profile(user=person, person=person, display_name=name)
    accounts.user_update_profile(
        user=people.seeker, person=people.seeker, time_zone="Europe/Madrid"
    )


def _client(people: People, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(people.seeker)
    return client


def _body(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Quieter buses",
        "statement": "Make the night buses quieter.",
        "kind": "ideation",
        "currency": "EUR",
        "prize_pool": "1000",
        "prize_split": "1000",
        "opens_at": "2020-01-01T00:00",
        "closes_at": "2099-01-01T00:00",
        "ip_terms": "license",
        "criteria": "Quiet: 1",
        **overrides,
    }


def _field_names(page: str) -> list[str]:
    """The form's fields in the order a person meets them."""
    form = page[page.index('action="/s/lab/challenges/new"') :]
    names = re.findall(r'<(?:input|textarea|select)[^>]*\bname="([a-z_]+)"', form)
    return [name for name in dict.fromkeys(names) if name != "csrfmiddlewaretoken"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_form_asks_what_the_challenge_is_before_the_money_dates_and_judges(
    people: People, language: str
) -> None:
    _named(people)
    page = _client(people, language).get("/s/lab/challenges/new").content.decode()
    names = _field_names(page)
    assert names[:2] == ["title", "statement"]
    order = [names.index(name) for name in ("prize_pool", "opens_at", "closes_at", "judges")]
    assert order == sorted(order)
    assert SAYS[language]["zone"] in page
    assert SAYS[language]["example"] in page
    # Judges are picked by display name; the value sent is the username.
    assert re.search(r'value="judge"[^>]*>\s*Judith Judge</label>', page)
    assert re.search(r'value="member"[^>]*>\s*Mario Member</label>', page)
    assert 'value="outsider"' not in page  # not a member of the space
    assert "Usernames, separated by commas" not in page


@pytest.mark.parametrize(
    ("language", "pool", "split"),
    [
        ("en", "1,234.50", "1,000\n234.50"),
        ("es", "1.234,50", "1.000\n234,50"),
        ("en", "1234.50", "1000.00\n234.5"),
        ("es", "1234,50", "1000\n234,5"),
    ],
)
def test_amounts_typed_in_either_language_are_the_same_cents(
    people: People, language: str, pool: str, split: str
) -> None:
    response = _client(people, language).post(
        "/s/lab/challenges/new", _body(prize_pool=pool, prize_split=split, judges=["judge"])
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    challenge = Challenge.objects.get(title="Quieter buses")
    assert (challenge.prize_pool, challenge.prize_split) == (123450, [100000, 23450])
    assert [judge.user.username for judge in challenge.judges.all()] == ["judge"]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    ("pool", "split"),
    [
        ("12,34,5", "1000"),  # grouping in the wrong place, in either language
        ("1000", "12,34,5"),
    ],
)
def test_a_bad_amount_names_its_field_and_changes_nothing(
    people: People, language: str, pool: str, split: str
) -> None:
    _named(people)
    before = Challenge.objects.count()
    response = _client(people, language).post(
        "/s/lab/challenges/new", _body(prize_pool=pool, prize_split=split)
    )
    assert response.status_code == 400
    page = response.content.decode()
    if pool != "1000":
        assert SAYS[language]["bad"] in page
    else:
        field = "Prize of each place" if language == "en" else "Premio de cada puesto"
        assert f"{field}: " in page
    assert 'value="Quieter buses"' in page  # what was typed is kept
    assert Challenge.objects.count() == before


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "1.234,50"), ("es", "1,234.50"), ("es", "1.5")]
)
def test_an_amount_in_the_other_language_s_marks_is_refused_not_guessed(
    people: People, language: str, typed: str
) -> None:
    response = _client(people, language).post(
        "/s/lab/challenges/new", _body(prize_pool=typed, prize_split=typed)
    )
    assert response.status_code == 400
    assert not Challenge.objects.filter(title="Quieter buses").exists()


def test_a_judge_who_is_not_a_member_is_refused_and_nothing_changes(people: People) -> None:
    challenge = make_challenge(people)
    client = _client(people, "en")
    response = client.post(
        f"/s/lab/challenges/{challenge.pk}/judges", {"judges": ["outsider"]}, follow=True
    )
    assert "Select a valid choice. outsider is not one of the available choices." in (
        response.content.decode()
    )
    assert list(Judge.objects.filter(challenge=challenge).values_list("user__username")) == [
        ("judge",)
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_judges_are_changed_by_name_on_the_challenge_page(
    people: People, language: str
) -> None:
    _named(people)
    challenge = make_challenge(people)
    client = _client(people, language)
    page = client.get(f"/s/lab/challenges/{challenge.pk}/").content.decode()
    assert re.search(r'value="judge"[^>]*checked[^>]*>\s*Judith Judge</label>', page)
    assert re.search(r'value="member"[^>]*>\s*Mario Member</label>', page)
    judges = "Jurado:" if language == "es" else "Judges:"
    assert f"{judges} Judith Judge</p>" in page
    client.post(f"/s/lab/challenges/{challenge.pk}/judges", {"judges": ["member", "judge"]})
    assert sorted(challenge.judges.values_list("user__username", flat=True)) == [
        "judge",
        "member",
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_challenge_page_shows_its_times_with_their_zone(people: People, language: str) -> None:
    _named(people)
    challenge = make_challenge(people)
    page = _client(people, language).get(f"/s/lab/challenges/{challenge.pk}/").content.decode()
    shown = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', page)
    assert len(shown) >= 2
    assert all(text.endswith("(Europe/Madrid)") for text in shown[:2]), shown
    edit = _client(people, language).get(f"/s/lab/challenges/{challenge.pk}/edit")
    assert SAYS[language]["zone"] in edit.content.decode()
