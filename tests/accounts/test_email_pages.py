"""The pages of password reset and email settings read right in English and Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.accounts.email_actions import verification_token
from peerwork.accounts.models import User


@pytest.fixture
def ada(make_user: Any) -> User:
    return make_user("ada", email="ada@example.org", display_name="Ada")


@pytest.mark.parametrize(
    ("path", "signed_in", "english", "spanish"),
    [
        ("/login/", False, "Forgot your password?", "¿Olvidaste tu contraseña?"),
        ("/password-reset/", False, "Mail me a link", "Enviarme un enlace"),
        ("/password-reset/sent/", False, "Check your mail", "Mira tu correo"),
        (
            "/password-reset/MQ/set-password/",
            False,
            "This link does not work",
            "Este enlace no funciona",
        ),
        ("/email/verify/forged/", False, "This link does not work", "Este enlace no funciona"),
        ("/email/verify/{verification}/", False, "Confirm my address", "Confirmar mi dirección"),
        ("/settings/email/", True, "Notifications by email", "Notificaciones por correo"),
        ("/settings/email/", True, "A weekly digest", "Un resumen semanal"),
        ("/settings/email/", True, "is not verified yet", "aún no está verificada"),
        ("/people/ada/", True, "Email settings", "Ajustes de correo"),
    ],
)
def test_each_page_in_both_languages(
    ada: User, path: str, signed_in: bool, english: str, spanish: str
) -> None:
    path = path.replace("{verification}", verification_token(ada))
    for language, text in (("en", english), ("es", spanish)):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        if signed_in:
            client.force_login(ada)
        response = client.get(path)
        assert response.status_code == 200, (path, language)
        assert text in response.content.decode(), (path, language)


def test_a_page_naming_an_address_is_kept_by_no_cache(ada: User) -> None:
    response = Client().get(f"/email/verify/{verification_token(ada)}/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_settings_tabs_lead_to_the_email_page(ada: User) -> None:
    client = Client()
    client.force_login(ada)
    page = client.get("/settings/email/").content.decode()
    assert '<a href="/settings/email/" aria-current="page">Email</a>' in page
    assert '<a href="/settings/profile/">Profile</a>' in page
