"""A new password by mail, in the pages and the REST API: the same answer for any address, a
link that works once and not for long, and the mail in the reader's language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from peerwork.accounts.models import User
from peerwork.activity.models import Event
from tests.conftest import ApiClient

NEW_PASSWORD = "a whole new passphrase 42"
LINK = re.compile(r"http://testserver(/password-reset/(?P<uid>[\w-]+)/(?P<token>[\w-]+)/)")


@pytest.fixture(autouse=True)
def _mail_runs_at_once(settings: Any) -> None:
    settings.PEERWORK_JOBS_THREADS = 0
    settings.PEERWORK_BASE_URL = ""
    cache.clear()  # the per-address mail limit


@pytest.fixture
def ada(make_user: Any) -> User:
    return make_user("ada", email="ada@example.org", display_name="Ada")


def _ask(client: Client, email: str, capture: Any, **extra: Any) -> Any:
    with capture(execute=True):
        return client.post("/password-reset/", {"email": email}, **extra)


def _link(message: Any) -> re.Match[str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found


def _state(person: User) -> tuple[str, int]:
    person.refresh_from_db()
    return person.password, Event.objects.filter(verb="user:password_reset").count()


def test_the_log_in_page_links_to_the_reset(db: Any) -> None:
    page = Client().get("/login/").content.decode()
    assert '<a href="/password-reset/">Forgot your password?</a>' in page


def test_a_reset_mails_a_link_that_sets_a_new_password_and_signs_in(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    response = _ask(client, "ADA@example.org", django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, "/password-reset/sent/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert message.subject == "Set a new password for peerwork"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Hello Ada," in message.body
    assert "The link works once, for 3 hours." in message.body
    path = _link(message).group(1)

    page = client.get(path)  # the token moves into the session, out of the address
    assert page.status_code == 302
    set_password = page["Location"]
    assert set_password.endswith("/set-password/")
    form = client.get(set_password)
    assert "Choose a new password" in form.content.decode()

    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert (done.status_code, done["Location"]) == (302, "/")
    home = client.get("/")
    assert home.context["user"].username == "ada"
    assert "Your new password is set, and you are signed in." in home.content.decode()
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
    assert ada.is_email_verified  # the mail was read
    event = Event.objects.get(verb="user:password_reset")
    assert (event.actor, event.target_id) == (ada, str(ada.pk))


def test_an_unknown_address_answers_the_same_and_sends_nothing(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    known = _ask(Client(), "ada@example.org", django_capture_on_commit_callbacks)
    unknown = _ask(Client(), "nobody@example.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    sent_page = Client().get(unknown["Location"]).content.decode()
    assert "If an account uses that address, a link to set a new password" in sent_page


def test_the_request_reads_nothing_before_it_answers(
    ada: User, django_assert_num_queries: Any
) -> None:
    """Known or not, the page answers without looking the address up: the job does, later,
    so the answer takes the same time for both."""
    for address in ("ada@example.org", "nobody@example.org"):
        with django_assert_num_queries(0):
            response = Client().post("/password-reset/", {"email": address})
        assert response.status_code == 302


def test_a_used_link_is_refused_and_changes_nothing(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(Client(), "ada@example.org", django_capture_on_commit_callbacks)
    found = _link(mail.outbox[0])
    api = ApiClient()
    body = {"uid": found["uid"], "token": found["token"], "new_password": NEW_PASSWORD}
    assert api.post("/password-reset/confirm", body).status_code == 204
    before = _state(ada)

    again = api.post("/password-reset/confirm", {**body, "new_password": "yet another one 77"})
    assert again.status_code == 400
    assert again.json()["type"].endswith("/invalid-link")
    client = Client()
    page = client.get(found.group(1))
    assert page.status_code == 200
    assert "This link does not work" in page.content.decode()
    assert _state(ada) == before
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)


def test_an_old_link_is_refused_and_changes_nothing(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(Client(), "ada@example.org", django_capture_on_commit_callbacks)
    found = _link(mail.outbox[0])
    before = _state(ada)
    with time_machine.travel(timezone.now() + timedelta(hours=3, minutes=1)):
        page = Client().get(found.group(1))
        assert "This link does not work" in page.content.decode()
        answer = ApiClient().post(
            "/password-reset/confirm",
            {"uid": found["uid"], "token": found["token"], "new_password": NEW_PASSWORD},
        )
    assert answer.status_code == 400
    assert answer.json()["type"].endswith("/invalid-link")
    assert _state(ada) == before


@pytest.mark.parametrize(
    ("uid", "token"),
    [
        ("MQ", "nonsense-token"),
        ("!!", "x"),
        ("OTk5OTk5", "abc-def"),
        ("", "x"),
        ("OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "abc-def"),  # 999...9, beyond any id
        ("LTE", "abc-def"),  # -1
    ],
)
def test_a_made_up_link_is_refused(ada: User, uid: str, token: str) -> None:
    before = _state(ada)
    answer = ApiClient().post(
        "/password-reset/confirm", {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert answer.status_code in {400, 422}
    assert _state(ada) == before


def test_a_weak_password_is_refused_and_the_link_still_works(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    _ask(Client(), "ada@example.org", django_capture_on_commit_callbacks)
    found = _link(mail.outbox[0])
    before = _state(ada)
    body = {"uid": found["uid"], "token": found["token"], "new_password": "123"}
    answer = ApiClient().post("/password-reset/confirm", body)
    assert answer.status_code == 422
    assert _state(ada) == before

    client = Client()
    set_password = client.get(found.group(1))["Location"]
    page = client.post(set_password, {"new_password1": "123", "new_password2": "123"})
    assert page.status_code == 400
    assert "This password is too short" in page.content.decode()
    assert _state(ada) == before
    ok = ApiClient().post("/password-reset/confirm", {**body, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204


def test_the_api_answers_the_same_for_any_address(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    api = ApiClient()
    with django_capture_on_commit_callbacks(execute=True):
        known = api.post("/password-reset", {"email": "ada@example.org"})
        unknown = api.post("/password-reset", {"email": "nobody@example.org"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    assert known.status_code == 202
    assert known.json() == {
        "detail": "If an account uses that address, a link to set a new password is on its way."
    }
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    bad = api.post("/password-reset", {"email": "not an address"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("language", "asked_in", "subject", "greeting"),
    [
        ("es", "en", "Elige una contraseña nueva para peerwork", "Hola, Ada:"),
        ("", "es", "Elige una contraseña nueva para peerwork", "Hola, Ada:"),
        ("en", "es", "Set a new password for peerwork", "Hello Ada,"),
        ("", "en", "Set a new password for peerwork", "Hello Ada,"),
    ],
)
def test_the_mail_is_in_the_readers_language(
    ada: User,
    django_capture_on_commit_callbacks: Any,
    language: str,
    asked_in: str,
    subject: str,
    greeting: str,
) -> None:
    """Their interface language, else the one they asked in."""
    User.objects.filter(pk=ada.pk).update(language=language)
    _ask(
        Client(),
        "ada@example.org",
        django_capture_on_commit_callbacks,
        HTTP_ACCEPT_LANGUAGE=asked_in,
    )
    (message,) = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(greeting)
    assert message.extra_headers["Content-Language"] == (language or asked_in)


def test_asking_over_and_over_floods_no_mailbox(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    answers = {
        _ask(client, "ada@example.org", django_capture_on_commit_callbacks)["Location"]
        for _ in range(8)
    }
    assert answers == {"/password-reset/sent/"}
    assert len(mail.outbox) == 5


def test_links_start_with_the_configured_address(
    ada: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEERWORK_BASE_URL = "https://peerwork.example.org"
    _ask(Client(), "ada@example.org", django_capture_on_commit_callbacks)
    assert "https://peerwork.example.org/password-reset/" in mail.outbox[0].body
