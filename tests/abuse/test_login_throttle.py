"""Sign-in throttling: per account and per address, with the wait in the message."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db

START = "2030-01-01 12:00:00"


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_the_sixth_try_in_five_minutes_is_refused_with_the_wait(rate_limits, make_user):
    make_user("alice")
    client = Client(REMOTE_ADDR="203.0.113.1")
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            response = sign_in(client, "alice", "wrong")
            assert response.status_code == 200
            assert "Please enter a correct username and password" in response.content.decode()
        clock.shift(timedelta(seconds=60))
        response = sign_in(client, "alice", PASSWORD)  # even the right password waits
        assert response.status_code == 429
        assert response["Retry-After"] == "240"
        html = response.content.decode()
        assert "Too many failed sign-ins for this account. Try again in 4 minutes." in html
        assert 'value="alice"' in html  # what was typed stays
        assert "_auth_user_id" not in client.session
        clock.shift(timedelta(seconds=240))
        assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_account_is_throttled_from_every_address(rate_limits, make_user):
    make_user("alice")
    with time_machine.travel(START, tick=False):
        for n in range(5):
            sign_in(Client(REMOTE_ADDR=f"203.0.113.{n + 10}"), "alice", "wrong")
        response = sign_in(Client(REMOTE_ADDR="198.51.100.1"), "alice", PASSWORD)
    assert response.status_code == 429
    assert "for this account" in response.content.decode()


def test_a_success_forgives_its_account_not_the_address(rate_limits, make_user):
    make_user("alice")
    make_user("bob")
    make_user("carol")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    with time_machine.travel(START, tick=False):
        for name in ("bob", "carol", "bob", "carol"):
            assert sign_in(attacker, name, "guess").status_code == 200
        assert sign_in(attacker, "alice", PASSWORD).status_code == 302  # alice, same address
        attacker.logout()
        assert sign_in(attacker, "alice", "typo").status_code == 200  # the fifth failure
        response = sign_in(attacker, "dave", "guess")
        assert response.status_code == 429
        assert (
            "Too many failed sign-ins from your address. Try again in 5 minutes."
            in response.content.decode()
        )
        # Alice's own counter started again at her success: one failure since.
        other = Client(REMOTE_ADDR="198.51.100.9")
        assert sign_in(other, "alice", PASSWORD).status_code == 302


def test_the_mediawiki_login_is_throttled(rate_limits, make_user, make_space):
    owner = make_user("owner")
    make_space(owner, "atlas")
    mw = MW("atlas")
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert mw.login("owner", "wrong")["login"]["result"] == "Failed"
        answer = mw.login("owner")["login"]
        assert answer["result"] == "Failed"
        assert answer["reason"] == (
            "Too many failed sign-ins for this account. Try again in 5 minutes."
        )
        assert answer["wait"] == 300


def test_mediawiki_clientlogin_is_throttled(rate_limits, make_user, make_space):
    owner = make_user("owner")
    make_space(owner, "atlas")
    mw = MW("atlas")
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            token = mw.get(action="query", meta="tokens", type="login")["query"]["tokens"]
            answer = mw.post(
                action="clientlogin",
                username="owner",
                password="wrong",
                loginreturnurl="http://localhost/",
                logintoken=token["logintoken"],
            )["clientlogin"]
    assert answer["status"] == "FAIL"
    assert answer["messagecode"] == "login-throttled"
    assert "Try again in 5 minutes." in answer["message"]


def test_spanish_says_the_wait_in_spanish(rate_limits, make_user):
    make_user("alice")
    client = Client(REMOTE_ADDR="203.0.113.1", HTTP_ACCEPT_LANGUAGE="es")
    with time_machine.travel(START, tick=False):
        for _ in range(6):
            response = sign_in(client, "alice", "wrong")
    assert "Inténtalo de nuevo en 5 minutos." in response.content.decode()


NEW = "a brand new passphrase 42"


def test_the_current_password_on_a_change_is_throttled_like_a_sign_in(
    rate_limits, make_user, api_as
):
    """A borrowed session (or token) guesses the current password no faster than the sign-in
    form allows: the password change and the address change count each check as an attempt."""
    alice = make_user("alice")
    client = Client(REMOTE_ADDR="203.0.113.7")
    api = api_as(alice)
    with time_machine.travel(START, tick=False) as clock:
        assert client.login(username="alice", password=PASSWORD)
        for n in range(3):
            wrong = {"old_password": f"guess {n}", "new_password1": NEW, "new_password2": NEW}
            response = client.post("/settings/password/", wrong)
            assert response.status_code == 422
            assert "The current password is not right." in response.content.decode()
        for _ in range(2):
            refused = api.put("/me/email/address", {"address": "a@example.org", "password": "x"})
            assert refused.status_code == 422
        right = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
        response = client.post("/settings/password/", right)
        assert response.status_code == 429
        assert "Too many failed sign-ins for this account" in response.content.decode()
        answer = api.post("/me/password", {"old_password": PASSWORD, "new_password": NEW})
        assert answer.status_code == 429
        assert answer.json()["type"].endswith("/rate-limited")
        alice.refresh_from_db()
        assert alice.check_password(PASSWORD)  # nothing changed
        clock.shift(timedelta(minutes=5))
        assert client.post("/settings/password/", right).status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
