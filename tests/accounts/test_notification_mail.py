"""Notifications by mail: each one, or a daily or weekly digest of the unread ones, only to a
verified address, in the reader's language and time zone, and never the same one twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from peerwork.accounts import digests
from peerwork.accounts.models import NotificationMail, User
from peerwork.activity.actions import notifications_mark_read, watch_set
from peerwork.cli import main
from peerwork.wiki import actions as wiki

BASE = "https://peerwork.example.org"


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    ada = make_user("ada", display_name="Ada Lovelace")
    grace = make_user("grace", email="grace@example.org", display_name="Grace")
    User.objects.filter(pk=grace.pk).update(verified_email="grace@example.org")
    atlas = make_space(ada, "atlas")
    page = wiki.page_save(
        user=ada, space=atlas, title="Fountains", text="Three.\n", base_revision_id=None
    ).page
    watch_set(user=grace, target=page, watching=True)
    return {"ada": ada, "grace": grace, "space": atlas, "page": page}


def _edit(world: dict[str, Any], text: str) -> None:
    page = world["page"]
    page.refresh_from_db()
    wiki.page_save(
        user=world["ada"],
        space=world["space"],
        title="Fountains",
        text=text,
        base_revision_id=page.current_revision_id,
        summary=f"now {text.strip()}",
    )


def _choose(person: User, choice: str) -> None:
    User.objects.filter(pk=person.pk).update(email_notifications=choice)


def test_a_daily_digest_tells_of_the_unread_notifications_once(world: dict[str, Any]) -> None:
    _edit(world, "Four.\n")
    _edit(world, "Five.\n")
    now = timezone.now()
    assert digests.send_digests(now=now, base_url=BASE) == 1
    (message,) = mail.outbox
    assert message.to == ["grace@example.org"]
    assert message.subject == "Your daily digest: 2 notifications"
    body = message.body
    assert body.startswith(
        "Hello Grace,\n\nYou have 2 unread notifications since your last digest:"
    )
    assert "- Ada Lovelace edited the page: Fountains" in body
    assert "now Five." in body
    assert f"{BASE}/s/atlas/wiki/Fountains" in body
    assert f"{BASE}/settings/email/" in body
    assert "You get a daily digest of your unread notifications." in body
    sent = NotificationMail.objects.get()
    assert (sent.kind, sent.count, sent.address) == ("daily", 2, "grace@example.org")

    # A rerun sends nothing, nor does the next day with nothing new.
    assert digests.send_digests(now=now, base_url=BASE) == 0
    assert digests.send_digests(now=now + timedelta(days=1), base_url=BASE) == 0
    assert len(mail.outbox) == 1

    # A day later, only what is new.
    _edit(world, "Six.\n")
    assert digests.send_digests(now=now + timedelta(hours=12), base_url=BASE) == 0
    assert digests.send_digests(now=now + timedelta(hours=23, minutes=50), base_url=BASE) == 1
    assert mail.outbox[1].subject == "Your daily digest: 1 notification"
    assert "now Six." in mail.outbox[1].body
    assert "now Five." not in mail.outbox[1].body


def test_a_read_notification_is_not_mailed(world: dict[str, Any]) -> None:
    _edit(world, "Four.\n")
    notifications_mark_read(user=world["grace"])
    assert digests.send_digests(base_url=BASE) == 0
    assert mail.outbox == []


def test_a_weekly_digest_waits_a_week(world: dict[str, Any]) -> None:
    _choose(world["grace"], "weekly")
    _edit(world, "Four.\n")
    now = timezone.now()
    assert digests.send_digests(now=now, base_url=BASE) == 1
    assert mail.outbox[0].subject == "Your weekly digest: 1 notification"
    _edit(world, "Five.\n")
    assert digests.send_digests(now=now + timedelta(days=3), base_url=BASE) == 0
    assert digests.send_digests(now=now + timedelta(days=7), base_url=BASE) == 1
    assert digests.send_each(now=now, base_url=BASE) == 0


def test_each_notification_is_one_mail_sent_once(world: dict[str, Any]) -> None:
    _choose(world["grace"], "each")
    _edit(world, "Four.\n")
    _edit(world, "Five.\n")
    assert digests.send_each(base_url=BASE) == 2
    assert digests.send_each(base_url=BASE) == 0
    assert [m.subject for m in mail.outbox] == [
        "Ada Lovelace edited the page: Fountains",
        "Ada Lovelace edited the page: Fountains",
    ]
    assert "now Four." in mail.outbox[0].body
    assert "You get a mail for each notification." in mail.outbox[0].body
    # Nor does a digest repeat them.
    assert digests.send_digests(base_url=BASE) == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("choice", ["none", "each", "daily", "weekly"])
def test_an_unverified_address_gets_no_notification_mail(
    world: dict[str, Any], choice: str
) -> None:
    User.objects.filter(pk=world["grace"].pk).update(
        email_notifications=choice, verified_email="old@example.org"
    )
    _edit(world, "Four.\n")
    assert digests.send_each(base_url=BASE) + digests.send_digests(base_url=BASE) == 0
    assert mail.outbox == []


def test_no_email_sends_none(world: dict[str, Any]) -> None:
    _choose(world["grace"], "none")
    _edit(world, "Four.\n")
    assert digests.send_each(base_url=BASE) + digests.send_digests(base_url=BASE) == 0
    assert mail.outbox == []


def test_the_digest_is_in_the_readers_language_and_time_zone(world: dict[str, Any]) -> None:
    User.objects.filter(pk=world["grace"].pk).update(language="es", time_zone="America/Bogota")
    _edit(world, "Four.\n")
    _edit(world, "Five.\n")
    digests.send_digests(base_url=BASE)
    (message,) = mail.outbox
    assert message.subject == "Tu resumen diario: 2 notificaciones"
    assert message.body.startswith("Hola, Grace:\n\nTienes 2 notificaciones sin leer")
    assert "Ada Lovelace editó la página: Fountains" in message.body
    created = world["grace"].notifications.order_by("pk").first().created_at
    local = created.astimezone(timezone.get_fixed_timezone(-300))
    assert f"{local.hour:02d}:{local.minute:02d}" in message.body
    assert f"{created.hour:02d}:{created.minute:02d}" not in message.body


def test_a_failed_send_is_tried_again(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(world, "Four.\n")

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("no server")

    monkeypatch.setattr("peerwork.accounts.mail.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        digests.send_digests(base_url=BASE)
    assert not NotificationMail.objects.exists()
    monkeypatch.undo()
    assert digests.send_digests(base_url=BASE) == 1


def test_the_digest_command_sends_what_is_due(world: dict[str, Any], capsys: Any) -> None:
    _edit(world, "Four.\n")
    assert main(["digest"]) == 0
    assert main(["digest"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Sent 1 digest.",
        "Sent no digest: none was due with unread notifications.",
    ]
    assert len(mail.outbox) == 1


def test_the_manage_command_is_the_same(world: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import call_command

    _edit(world, "Four.\n")
    out = StringIO()
    call_command("digest", stdout=out)
    assert out.getvalue() == "Sent 1 digest.\n"
    assert len(mail.outbox) == 1


def test_the_sweeps_are_periodic_jobs() -> None:
    from peerwork.core import jobs

    registered = jobs.registered()
    assert registered["accounts.digests"].every == 15 * 60
    assert registered["accounts.notification_mails"].every == 60
