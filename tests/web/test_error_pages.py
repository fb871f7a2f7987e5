"""The error pages render whatever broke, the database included, and offer the way out: the
home page, logging out (or in), and the language switch, in the person's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client, RequestFactory

from peerwork.core import views
from tests.conftest import PASSWORD


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> Any:
    """From the moment it is called, every query fails as it does when the server is gone."""

    def down() -> None:
        def refuse(self: BaseDatabaseWrapper) -> None:
            raise OperationalError("could not connect to server: Connection refused")

        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)

    return down


def _assert_way_out(html: str, *, signed_in: bool) -> None:
    assert 'href="/"' in html
    assert 'action="/i18n/setlang/"' in html and 'name="language"' in html
    if signed_in:
        assert 'name="csrfmiddlewaretoken"' in html
    else:
        # A reader's switch is a GET that sets the cookie: reading pages sets no cookie.
        assert 'method="get" class="language-form"' in html
        assert 'name="csrfmiddlewaretoken"' not in html
    if signed_in:
        assert 'action="/logout/"' in html and 'data-testid="logout"' in html
    else:
        assert 'href="/login/"' in html and 'action="/logout/"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("en", "Server error"), ("es", "Error del servidor")]
)
def test_server_error_page_with_the_database_down(
    make_user: Any, database_down: Any, language: str, title: str
) -> None:
    ada = make_user("ada")
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    assert client.login(username=ada.username, password=PASSWORD)
    database_down()

    response = client.get("/s/anything/")
    assert response.status_code == 500
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert f'<html lang="{language}">' in html
    _assert_way_out(html, signed_in=True)


@pytest.mark.django_db
def test_server_error_page_signed_out_with_the_database_down(database_down: Any) -> None:
    database_down()
    response = Client(raise_request_exception=False).get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Error del servidor" in html
    _assert_way_out(html, signed_in=False)


@pytest.mark.parametrize(
    ("view", "status", "english", "spanish"),
    [
        (views.not_found, 404, "Not found", "No encontrado"),
        (views.forbidden, 403, "Not allowed", "No permitido"),
        (views.server_error, 500, "Server error", "Error del servidor"),
    ],
)
def test_error_pages_need_no_database(
    database_down: Any, view: Any, status: int, english: str, spanish: str
) -> None:
    """No `db` mark either: pytest-django refuses any query this test would make."""
    from django.utils import translation

    database_down()
    for language, title in (("en", english), ("es", spanish)):
        request = RequestFactory().get("/s/atlas/wiki/Missing", HTTP_COOKIE="sessionid=abc")
        with translation.override(language):
            response = view(request)
        assert response.status_code == status
        html = response.content.decode()
        assert f"<h1>{title}</h1>" in html, html
        assert 'value="/s/atlas/wiki/Missing"' in html  # the language switch comes back here
        _assert_way_out(html, signed_in=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "path", "status", "title"),
    [
        ("bob", "/s/atlas/settings/", 403, "No permitido"),
        (None, "/no/such/page/", 404, "No encontrado"),
        ("bob", "/no/such/page/", 404, "No encontrado"),
    ],
)
def test_error_pages_of_a_working_site_offer_the_way_out(
    make_user: Any, make_space: Any, person: str | None, path: str, status: int, title: str
) -> None:
    make_space(make_user("ada"), "atlas")
    make_user("bob")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    if person:
        assert client.login(username=person, password=PASSWORD)
    response = client.get(path)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    _assert_way_out(html, signed_in=person is not None)


@pytest.mark.django_db
def test_language_switch_outranks_a_saved_interface_language(make_user: Any) -> None:
    """A person whose profile says Spanish switches to English in the footer: the pages follow,
    because the switch saves their choice (the profile otherwise outranks the cookie)."""
    from peerwork.accounts import actions as accounts

    ostrom = make_user("ostrom")
    accounts.user_update_profile(user=ostrom, person=ostrom, language="es")
    client = Client()
    assert client.login(username="ostrom", password=PASSWORD)
    assert '<html lang="es">' in client.get("/spaces/").content.decode()

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/spaces/"})
    assert switched.status_code == 302 and switched["Location"] == "/spaces/"
    assert '<html lang="en">' in client.get("/spaces/").content.decode()
    ostrom.refresh_from_db()
    assert ostrom.language == "en"

    unknown = client.post("/i18n/setlang/", {"language": "xx", "next": "/spaces/"})
    assert unknown.status_code == 302
    ostrom.refresh_from_db()
    assert ostrom.language == "en"


@pytest.mark.django_db
def test_language_switch_works_with_the_database_down(make_user: Any, database_down: Any) -> None:
    make_user("ada")
    client = Client(raise_request_exception=False)
    assert client.login(username="ada", password=PASSWORD)
    client.get("/")  # a CSRF cookie, as the error page's form would have
    database_down()
    switched = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert switched.status_code == 302
    assert switched.cookies["django_language"].value == "es"
    page = client.get("/")
    assert page.status_code == 500 and "Error del servidor" in page.content.decode()
