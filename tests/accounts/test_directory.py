"""The people directory at /people/ and GET /api/v1/people: search by name or skill, sort,
pages, spaces in common, and nothing a person keeps to themselves."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from peerwork.spaces.models import SpaceMembership
from tests.conftest import PASSWORD


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    ada = make_user("ada", display_name="Ada Lovelace")
    accounts.user_update_profile(
        user=ada, person=ada, skills=["poetry", "Engines"], time_zone="Europe/London"
    )
    grace = make_user("grace", display_name="Grace Hopper")
    accounts.user_update_profile(user=grace, person=grace, skills=["compilers"])
    make_user("linus", display_name="Linus Torvalds")
    make_user("grace2", display_name="Grace Hopper")  # a namesake
    gone = make_user("gone", display_name="Gone Away")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    atlas = make_space(ada, "atlas", visibility="members", participation="members")
    SpaceMembership.objects.create(space=atlas, user=grace, role="member")
    make_space(ada, "budget")
    SpaceMembership.objects.create(
        space=atlas.__class__.objects.get(slug="budget"), user=grace, role="member"
    )
    return {"ada": ada, "grace": grace}


def _as(username: str | None) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def _names(html: str) -> list[str]:
    listed = html.split('data-testid="people"')[1].split("</ul>")[0]
    return re.findall(r'<h2><a href="/people/[^"]+/">([^<]+)</a>', listed)


def test_everyone_visible_is_listed_by_name_and_namesakes_show_usernames(world: Any) -> None:
    html = _as(None).get("/people/").content.decode()
    assert _names(html) == [
        "Ada Lovelace",
        "Grace Hopper",
        "Grace Hopper",
        "Linus Torvalds",
    ]
    assert "Gone Away" not in html  # deactivated
    assert "@grace</span>" in html and "@grace2</span>" in html
    assert "@ada</span>" not in html  # nobody else is called Ada Lovelace
    assert 'href="?q=poetry"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("grace", ["Grace Hopper", "Grace Hopper"]),
        ("LOVE", ["Ada Lovelace"]),
        ("compil", ["Grace Hopper"]),
        ("engines", ["Ada Lovelace"]),
        ("torvalds", ["Linus Torvalds"]),
        ("Europe/London", []),  # a time zone is not searched: it may be private
        ("nobody", []),
    ],
)
def test_search_by_name_username_or_skill(world: Any, query: str, expected: list[str]) -> None:
    html = _as(None).get("/people/", {"q": query}).content.decode()
    assert _names(html) == expected
    api = Client().get("/api/v1/people", {"q": query}).json()
    names = [item["display_name"] for item in api["items"]]
    assert names == expected


def test_newest_first(world: Any) -> None:
    html = _as(None).get("/people/", {"sort": "newest"}).content.decode()
    assert _names(html) == ["Grace Hopper", "Linus Torvalds", "Grace Hopper", "Ada Lovelace"]
    body = Client().get("/api/v1/people", {"sort": "newest"}).json()
    assert [i["username"] for i in body["items"]] == ["grace2", "linus", "grace", "ada"]


def test_a_wrong_sort_reads_as_the_default_page_and_a_problem_in_the_api(world: Any) -> None:
    assert _names(_as(None).get("/people/", {"sort": "age"}).content.decode())[0] == "Ada Lovelace"
    response = Client().get("/api/v1/people", {"sort": "age"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")


def test_spaces_in_common_are_shown_only_to_those_who_share_them(world: Any) -> None:
    grace_sees = _as("grace").get("/people/").content.decode()
    ada_entry = grace_sees.split("Ada Lovelace")[1].split("</li>")[0]
    assert 'Spaces in common: <a href="/s/atlas/">Atlas</a>, <a href="/s/budget/">Budget</a>' in (
        ada_entry
    )
    stranger = _as("linus").get("/people/").content.decode()
    assert "Spaces in common" not in stranger and "Atlas" not in stranger
    anonymous = _as(None).get("/people/").content.decode()
    assert "Atlas" not in anonymous
    api = _as("grace").get("/api/v1/people", {"q": "ada"}).json()["items"]
    assert api == [
        {
            "username": "ada",
            "display_name": "Ada Lovelace",
            "skills": ["poetry", "Engines"],
            "spaces_in_common": [
                {"slug": "atlas", "name": "Atlas"},
                {"slug": "budget", "name": "Budget"},
            ],
        }
    ]


def test_no_private_detail_is_listed(world: Any) -> None:
    ada = world["ada"]
    accounts.user_update_profile(
        user=ada, person=ada, time_zone_visibility="everyone", languages=["Latin"]
    )
    for client in (_as(None), _as("grace"), _as("ada")):
        html = client.get("/people/").content.decode()
        assert "Europe/London" not in html and "Latin" not in html
        body = client.get("/api/v1/people").content.decode()
        assert "Europe/London" not in body and "Latin" not in body


def test_pages_of_thirty_with_the_codebases_offsets(db: Any, make_user: Any) -> None:
    for number in range(65):
        User.objects.create(username=f"p{number:02d}", display_name=f"Person {number:02d}")
    client = Client()
    first = client.get("/people/").content.decode()
    assert _names(first) == [f"Person {n:02d}" for n in range(30)]
    assert 'rel="next" href="?start=30"' in first
    third = client.get("/people/", {"start": 60}).content.decode()
    assert _names(third) == [f"Person {n:02d}" for n in range(60, 65)]
    assert 'rel="next"' not in third and "First page" in third
    seen: list[str] = []
    cursor = None
    while True:
        query = {"limit": 25, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/people", query).json()
        seen += [item["username"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"p{n:02d}" for n in range(65)]


def test_the_directory_in_spanish_and_linked_from_the_menu(world: Any) -> None:
    client = _as("grace")
    html = client.get("/people/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "<h1>Personas</h1>" in html
    assert "Espacios en común:" in html
    assert 'data-testid="nav-people">Personas</a>' in html
    empty = client.get("/people/", {"q": "zzz"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Nadie coincide con esta búsqueda." in empty
    home = _as(None).get("/").content.decode()
    assert 'href="/people/" data-testid="nav-people">People</a>' in home
