"""End to end over SMTP: a password reset mail goes through Django's SMTP backend to a real
SMTP server on loopback (aiosmtpd), and its link sets the new password."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.test import Client

from peerwork.accounts.models import User
from peerwork.settings import email_settings

NEW_PASSWORD = "a whole new passphrase 42"


class Sink:
    """Keeps each message the server is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[Sink]:
    sink = Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for name, value in email_settings(f"smtp://127.0.0.1:{port}", Path("/unused")).items():
            setattr(settings, name, value)
        settings.DEFAULT_FROM_EMAIL = "Peerwork <peerwork@example.org>"
        settings.PEERWORK_JOBS_THREADS = 0
        settings.PEERWORK_BASE_URL = ""
        cache.clear()
        yield sink
    finally:
        controller.stop()


def test_a_reset_mail_crosses_a_real_smtp_server(
    smtp_sink: Sink, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ada = make_user("ada", email="ada@example.org", display_name="Ada")
    User.objects.filter(pk=ada.pk).update(language="es")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/password-reset/", {"email": "ada@example.org"})
        client.post("/password-reset/", {"email": "nobody@example.org"})

    assert len(smtp_sink.messages) == 1
    sender, recipients, raw = smtp_sink.messages[0]
    assert (sender, recipients) == ("peerwork@example.org", ["ada@example.org"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Elige una contraseña nueva para peerwork"
    assert message["From"] == "Peerwork <peerwork@example.org>"
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert body.startswith("Hola, Ada:")
    path = re.search(r"http://testserver(/password-reset/[\w-]+/[\w-]+/)", body).group(1)

    set_password = client.get(path)["Location"]
    done = client.post(set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    ada.refresh_from_db()
    assert ada.check_password(NEW_PASSWORD)
