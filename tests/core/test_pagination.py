"""The one keyset pagination (and the offset one for orders a keyset cannot follow)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.core.errors import Invalid
from peerwork.core.pagination import (
    decode_cursor,
    encode_cursor,
    key_from_query,
    keyset_page,
    offset_page,
)


@pytest.fixture
def people(make_user: Any) -> list[User]:
    made = [make_user(f"p{i}") for i in range(7)]
    # Every row ties on the timestamp: the key (the id) still orders and cuts them.
    User.objects.update(date_joined=timezone.now())
    return made


def _walk(newest_first: bool, size: int) -> list[list[int]]:
    pages, key = [], None
    while True:
        page = keyset_page(User.objects.all(), size=size, key=key, newest_first=newest_first)
        assert page.is_later == (key is not None)
        pages.append([row.pk for row in page.items])
        if page.next_key is None:
            return pages
        key = page.next_key


def test_pages_cover_every_row_once_though_they_tie_on_the_timestamp(people: list[User]) -> None:
    ids = [p.pk for p in people]
    newest = _walk(True, 3)
    assert newest == [ids[6:3:-1], ids[3:0:-1], ids[0:1]]
    oldest = _walk(False, 3)
    assert [pk for page in oldest for pk in page] == ids


def test_the_last_page_has_no_next_key(people: list[User]) -> None:
    page = keyset_page(User.objects.all(), size=7)
    assert len(page.items) == 7 and page.next_key is None
    assert keyset_page(User.objects.all(), size=6).next_key == people[1].pk


def test_an_empty_list_is_one_empty_page(db: Any) -> None:
    page = keyset_page(User.objects.none(), size=5)
    assert page.items == [] and page.next_key is None and not page.is_later
    assert keyset_page(User.objects.all(), size=5, key=1).items == []


def test_rows_added_meanwhile_do_not_shift_the_next_page(
    people: list[User], make_user: Any
) -> None:
    first = keyset_page(User.objects.all(), size=3)
    make_user("newcomer")
    second = keyset_page(User.objects.all(), size=3, key=first.next_key)
    assert [p.pk for p in second.items] == [p.pk for p in people[3:0:-1]]


def test_cursors_round_trip_and_a_bad_one_is_a_clear_error() -> None:
    assert decode_cursor(encode_cursor(12345)) == 12345
    for bad in ("not a cursor!", "bm9wZQ", "%%%"):
        with pytest.raises(Invalid) as error:
            decode_cursor(bad)
        assert error.value.field == "cursor"


def test_web_keys_ignore_what_is_not_a_number() -> None:
    assert key_from_query("42") == 42
    assert key_from_query("abc") is None
    assert key_from_query("") is None
    assert key_from_query(None) is None


def test_offset_pages_for_other_orders(people: list[User]) -> None:
    rows = User.objects.order_by("username")
    first, cursor = offset_page(rows, size=4, cursor=None)
    assert [p.username for p in first] == ["p0", "p1", "p2", "p3"]
    assert cursor is not None
    rest, cursor = offset_page(rows, size=4, cursor=cursor)
    assert [p.username for p in rest] == ["p4", "p5", "p6"] and cursor is None
    with pytest.raises(Invalid):
        offset_page(rows, size=4, cursor="garbage!")


def test_the_api_answers_a_bad_cursor_with_a_validation_problem(
    make_user: Any, api_as: Any
) -> None:
    response = api_as(None).get("/activity?cursor=not-a-cursor!")
    assert response.status_code == 422
    assert "cursor" in response.content.decode()
