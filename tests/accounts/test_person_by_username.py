"""The one look-up of a person by name: case-insensitive, active people unless asked."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts import selectors
from peerwork.accounts.actions import user_signup
from peerwork.core.errors import Conflict, Invalid


def test_usernames_are_case_insensitive_at_signup_and_look_up(make_user: Any) -> None:
    ada = make_user("Ada")
    with pytest.raises(Conflict):
        user_signup(username="ADA", password="a long enough password 1")
    assert selectors.user_by_username("ada") == ada
    assert selectors.user_by_username("aDA") == ada
    assert selectors.user_by_username("  ada ") == ada


def test_unknown_names_find_no_one(make_user: Any) -> None:
    make_user("ada")
    assert selectors.user_by_username("bo") is None
    assert selectors.user_by_username("") is None
    with pytest.raises(Invalid) as error:
        selectors.person_named("bo")
    assert error.value.field == "username"


def test_inactive_people_are_found_only_when_asked(make_user: Any) -> None:
    ada = make_user("ada")
    ada.is_active = False
    ada.save(update_fields=["is_active"])
    assert selectors.user_by_username("ada") is None
    assert selectors.user_by_username("ADA", include_inactive=True) == ada
    with pytest.raises(Invalid):
        selectors.person_named("ada")


def test_person_named_returns_the_active_person(make_user: Any) -> None:
    ada = make_user("ada")
    assert selectors.person_named("Ada") == ada
