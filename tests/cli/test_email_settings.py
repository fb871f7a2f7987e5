"""PEERWORK_EMAIL_URL and PEERWORK_EMAIL_FROM: each address chooses Django's backend and its
settings, and a wrong one stops the start with one line that never repeats the password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from peerwork.settings import email_sender, email_settings

SMTP = "django.core.mail.backends.smtp.EmailBackend"
DATA = Path("/srv/peerwork")


def _smtp(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }
    return {**base, **values}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/srv/peerwork/mail",
            },
        ),
        (
            "smtp://me%40example.org:p%3As%40ss@mail.example.org",
            _smtp(
                EMAIL_HOST="mail.example.org",
                EMAIL_PORT=587,
                EMAIL_HOST_USER="me@example.org",
                EMAIL_HOST_PASSWORD="p:s@ss",
            ),
        ),
        (
            "smtp://u:p@mail.example.org:2525?timeout=30",
            _smtp(
                EMAIL_HOST="mail.example.org",
                EMAIL_PORT=2525,
                EMAIL_HOST_USER="u",
                EMAIL_HOST_PASSWORD="p",
                EMAIL_TIMEOUT=30,
            ),
        ),
        (
            "smtps://u:p@mail.example.org",
            _smtp(
                EMAIL_HOST="mail.example.org",
                EMAIL_PORT=465,
                EMAIL_HOST_USER="u",
                EMAIL_HOST_PASSWORD="p",
                EMAIL_USE_SSL=True,
                EMAIL_USE_TLS=False,
            ),
        ),
        ("smtp://localhost:25", _smtp(EMAIL_HOST="localhost", EMAIL_PORT=25, EMAIL_USE_TLS=False)),
        (
            "smtp://127.0.0.1:25?starttls=on",
            _smtp(EMAIL_HOST="127.0.0.1", EMAIL_PORT=25, EMAIL_USE_TLS=True),
        ),
        (
            "smtp://relay.internal:25?starttls=off",
            _smtp(EMAIL_HOST="relay.internal", EMAIL_PORT=25, EMAIL_USE_TLS=False),
        ),
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("locmem:", {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}),
        (
            "file:///var/mail/peerwork",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/peerwork",
            },
        ),
    ],
)
def test_each_address_chooses_its_backend(url: str, expected: dict[str, object]) -> None:
    assert email_settings(url, DATA) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://u:secret@host", "unknown scheme 'ftp'"),
        ("mail.example.org", "unknown scheme '(none)'"),
        ("smtp://u:secret@:587", "no host"),
        ("smtp://u:secret@host:99999", "the port is not a number from 1 to 65535"),
        ("smtp://u:secret@host:port", "the port is not a number from 1 to 65535"),
        ("smtp://u:secret@host?tls=1", "unknown option 'tls'"),
        ("smtp://u:secret@host?starttls=maybe", "starttls must be on or off"),
        ("smtp://u:secret@host?timeout=soon", "timeout must be a whole number of seconds"),
        ("smtp://u:secret@host?timeout=0", "timeout must be a whole number of seconds"),
        ("smtps://u:secret@host?starttls=on", "smtps is TLS from the start"),
        ("file://relative/path", "a file address names a folder"),
        ("file:///", "a file address names a folder"),
    ],
)
def test_a_wrong_address_says_what_is_wrong_without_the_password(url: str, reason: str) -> None:
    with pytest.raises(ImproperlyConfigured) as error:
        email_settings(url, DATA)
    message = str(error.value)
    assert message.startswith("PEERWORK_EMAIL_URL ")
    assert reason in message
    assert "secret" not in message
    assert "\n" not in message


@pytest.mark.parametrize("sender", ["peerwork@example.org", "Peerwork <peerwork@example.org>"])
def test_a_sender_is_an_address(sender: str) -> None:
    assert email_sender(sender) == sender


@pytest.mark.parametrize("sender", ["", "peerwork", "Peerwork <>", "a@b.org\nBcc: c@d.org"])
def test_a_wrong_sender_is_refused(sender: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="PEERWORK_EMAIL_FROM"):
        email_sender(sender)


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "peerwork.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_a_wrong_address_stops_the_start_with_one_line(tmp_path: Path) -> None:
    env = {
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_EMAIL_URL": "smpt://me:hunter2@mail.example.org",
    }
    result = _run("check", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "peerwork: cannot start: PEERWORK_EMAIL_URL 'smpt://***@mail.example.org': unknown "
        "scheme 'smpt'; use one of smtp, smtps, console, file, locmem (e.g. "
        "smtp://user:password@host:587, smtps://user:password@host:465, console:, "
        "file:///var/mail/peerwork, locmem:)"
    ]


def test_production_with_smtp_passes_the_deploy_check(tmp_path: Path) -> None:
    env = {
        "PEERWORK_ENV": "production",
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_SECRET_KEY": "k" * 20 + "-a-long-and-random-enough-secret-for-the-deploy-check",
        "PEERWORK_ALLOWED_HOSTS": "peerwork.example",
        "PEERWORK_EMAIL_URL": "smtp://peerwork:secret@mail.example.org:587",
        "PEERWORK_EMAIL_FROM": "Peerwork <peerwork@peerwork.example>",
        "DATABASE_URL": "",
    }
    result = _run("check", "--deploy", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_demo_says_where_mail_goes(settings: object) -> None:
    from peerwork.cli import mail_destination

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_FILE_PATH = "/srv/peerwork/mail"  # type: ignore[attr-defined]
    assert mail_destination() == (
        "Mail is written as files to /srv/peerwork/mail/ (set PEERWORK_EMAIL_URL to send it)."
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "mail.example.org", 587  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL = True, False  # type: ignore[attr-defined]
    assert mail_destination() == "Mail is sent through mail.example.org:587 (STARTTLS)."
