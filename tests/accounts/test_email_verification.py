"""Proving an address: sign-up and a change of address mail a signed link that expires; the
settings page and the API say whether the address is verified and send the link again."""

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

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from peerwork.activity.models import Event
from tests.conftest import PASSWORD, ApiClient

LINK = re.compile(r"http://testserver(/email/verify/(?P<token>[^/\s]+)/)")


@pytest.fixture(autouse=True)
def _mail_runs_at_once(settings: Any) -> None:
    settings.PEERWORK_JOBS_THREADS = 0
    settings.PEERWORK_BASE_URL = ""
    cache.clear()  # the per-address mail limit


def _link(message: Any) -> re.Match[str]:
    found = LINK.search(message.body)
    assert found, message.body
    return found


def _signup(capture: Any, **extra: Any) -> Client:
    client = Client()
    with capture(execute=True):
        response = client.post(
            "/signup/",
            {
                "username": "nia",
                "display_name": "Nia",
                "email": "nia@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
            **extra,
        )
    assert response.status_code == 302
    return client


def _verified_events() -> int:
    return Event.objects.filter(verb="user:email_verified").count()


def test_signing_up_mails_a_link_that_verifies_the_address(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = _signup(django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["nia@example.org"],
        "Confirm your email address for peerwork",
    )
    assert "The link works for 7 days." in message.body
    nia = User.objects.get(username="nia")
    assert not nia.is_email_verified
    settings_page = client.get("/settings/email/").content.decode()
    assert "nia@example.org is not verified yet" in settings_page
    assert "Send the link again" in settings_page

    found = _link(message)
    asked = Client().get(found.group(1))  # a mail scanner opening the link verifies nothing
    assert "Confirm that nia@example.org is the address of the peerwork account nia." in (
        asked.content.decode()
    )
    assert _verified_events() == 0
    done = client.post(found.group(1))
    assert (done.status_code, done["Location"]) == (302, "/settings/email/")
    nia.refresh_from_db()
    assert nia.is_email_verified
    assert _verified_events() == 1
    page = client.get("/settings/email/").content.decode()
    assert "Your address nia@example.org is verified." in page
    assert "Send the link again" not in page
    # A second use changes nothing.
    assert client.post(found.group(1)).status_code == 302
    assert _verified_events() == 1


def test_signing_up_without_an_address_mails_nothing(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            "/signup/",
            {"username": "nia", "password1": PASSWORD, "password2": PASSWORD, "email": ""},
        )
    assert mail.outbox == []


def test_signing_up_through_the_api_mails_the_link(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = ApiClient().post(
            "/accounts", {"username": "nia", "password": PASSWORD, "email": "nia@example.org"}
        )
    assert answer.status_code == 201
    assert answer.json()["email_verified"] is False
    token = _link(mail.outbox[0])["token"]
    verified = ApiClient().post("/email/verify", {"token": token})
    assert verified.status_code == 200
    assert verified.json() == {
        "address": "nia@example.org",
        "verified": True,
        "notifications": "daily",
    }


def test_an_old_or_forged_link_is_refused_and_changes_nothing(
    db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _signup(django_capture_on_commit_callbacks)
    found = _link(mail.outbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        page = Client().post(found.group(1))
        api = ApiClient().post("/email/verify", {"token": found["token"]})
    assert page.status_code == 400
    assert "This link does not work" in page.content.decode()
    assert api.status_code == 400
    assert api.json()["type"].endswith("/invalid-link")
    forged = ApiClient().post("/email/verify", {"token": found["token"][:-2] + "xx"})
    assert forged.status_code == 400
    assert not User.objects.get(username="nia").is_email_verified
    assert _verified_events() == 0


def test_a_new_address_needs_the_password_and_a_new_proof(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ada = make_user("ada", email="ada@example.org")
    User.objects.filter(pk=ada.pk).update(verified_email="ada@example.org")
    client = Client()
    client.force_login(ada)

    wrong = client.post(
        "/settings/email/address", {"email": "ada@new.example.org", "password": "nope"}
    )
    assert wrong.status_code == 422
    assert "The current password is not right." in wrong.content.decode()
    ada.refresh_from_db()
    assert (ada.email, ada.is_email_verified) == ("ada@example.org", True)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            "/settings/email/address", {"email": "ada@new.example.org", "password": PASSWORD}
        )
    assert done.status_code == 302
    ada.refresh_from_db()
    assert (ada.email, ada.is_email_verified) == ("ada@new.example.org", False)
    notice, message = mail.outbox
    assert message.to == ["ada@new.example.org"]
    # The proved address hears of the change, in case it was not its owner.
    assert notice.to == ["ada@example.org"]
    assert notice.subject == "The email address of your peerwork account changed"
    assert "ask the people who run this site for help at once" in notice.body
    assert "ada@new.example.org" not in notice.body
    changed = Event.objects.get(verb="user:email_changed")
    assert (changed.actor, changed.data) == (ada, {})
    new_link = _link(message)

    # Back to the old address: a link for the new one proves nothing about it.
    accounts_email = ApiClient(
        accounts.token_create(user=ada, person=ada, scope="write", name="t")[1]
    )
    back = accounts_email.call(
        "PUT", "/me/email/address", {"address": "ada@example.org", "password": PASSWORD}
    )
    assert back.json() == {"address": "ada@example.org", "verified": True, "notifications": "daily"}
    assert ApiClient().post("/email/verify", {"token": new_link["token"]}).status_code == 400


def test_send_again_in_the_pages_and_the_api(
    make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ada = make_user("ada", email="ada@example.org")
    client = Client()
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/settings/email/verification", follow=True)
    assert "A new link to confirm ada@example.org is on its way there." in page.content.decode()
    api = ApiClient(accounts.token_create(user=ada, person=ada, scope="write", name="t")[1])
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post("/me/email/verification")
    assert again.status_code == 202
    assert len(mail.outbox) == 2
    assert _link(mail.outbox[0])["token"] != "" and mail.outbox[1].to == ["ada@example.org"]

    User.objects.filter(pk=ada.pk).update(verified_email="ada@example.org")
    done = api.post("/me/email/verification")
    assert done.status_code == 409
    assert done.json()["detail"] == "The address ada@example.org is verified already."
    User.objects.filter(pk=ada.pk).update(email="", verified_email="")
    none = api.post("/me/email/verification")
    assert none.status_code == 409
    assert none.json()["detail"] == "Add an email address first."
    assert len(mail.outbox) == 2


def test_notification_mail_is_chosen_in_the_pages_and_the_api(make_user: Any) -> None:
    ada = make_user("ada", email="ada@example.org")
    client = Client()
    client.force_login(ada)
    page = client.get("/settings/email/").content.decode()
    assert 'value="daily" required id="id_notifications_2" checked' in page
    assert client.post("/settings/email/", {"notifications": "weekly"}).status_code == 302
    ada.refresh_from_db()
    assert ada.email_notifications == "weekly"
    event = Event.objects.get(verb="user:email_notifications_changed")
    assert event.data == {"email_notifications": {"old": "daily", "new": "weekly"}}

    bad = client.post("/settings/email/", {"notifications": "hourly"})
    assert bad.status_code == 400
    api = ApiClient(accounts.token_create(user=ada, person=ada, scope="write", name="t")[1])
    assert api.patch("/me/email", {"notifications": "hourly"}).status_code == 422
    ada.refresh_from_db()
    assert ada.email_notifications == "weekly"
    answer = api.patch("/me/email", {"notifications": "each"})
    assert answer.json() == {
        "address": "ada@example.org",
        "verified": False,
        "notifications": "each",
    }
    assert api.get("/me/email").json()["notifications"] == "each"


def test_no_one_else_sets_an_address_or_the_mail(make_user: Any) -> None:
    ada = make_user("ada", email="ada@example.org")
    assert ApiClient().get("/me/email").status_code == 401
    assert ApiClient().patch("/me/email", {"notifications": "none"}).status_code == 401
    assert Client().get("/settings/email/")["Location"].startswith("/login/")
    ada.refresh_from_db()
    assert ada.email_notifications == "daily"


def test_the_profile_shows_the_owner_whether_the_address_is_verified(make_user: Any) -> None:
    ada = make_user("ada", email="ada@example.org")
    make_user("bob")
    own = Client()
    own.force_login(ada)
    assert "ada@example.org is not verified yet" in own.get("/people/ada/").content.decode()
    other = Client()
    other.force_login(User.objects.get(username="bob"))
    assert "ada@example.org" not in other.get("/people/ada/").content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"address": "ada@new.example.org", "password": "wrong"}, "password"),
        ({"address": "not an address", "password": PASSWORD}, "email"),
    ],
)
def test_a_refused_change_of_address_changes_nothing(
    make_user: Any, django_capture_on_commit_callbacks: Any, body: dict[str, str], field: str
) -> None:
    ada = make_user("ada", email="ada@example.org")
    User.objects.filter(pk=ada.pk).update(verified_email="ada@example.org")
    api = ApiClient(accounts.token_create(user=ada, person=ada, scope="write", name="t")[1])
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.call("PUT", "/me/email/address", body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field
    ada.refresh_from_db()
    assert (ada.email, ada.is_email_verified) == ("ada@example.org", True)
    assert mail.outbox == []
    assert not Event.objects.filter(verb="user:email_changed").exists()
