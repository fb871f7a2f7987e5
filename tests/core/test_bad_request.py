"""A request Django refuses before any view (a Host it does not serve) still answers in the
API's one error format, and with a page elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["%!XpP", "evil.example.org", "a b"])
def test_a_bad_host_under_the_api_is_problem_json(host: str) -> None:
    response = Client().get("/api/v1/me", HTTP_HOST=host)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["type"].endswith("malformed-request")
    assert "not valid" in body["detail"]


@pytest.mark.django_db
def test_a_bad_host_elsewhere_is_a_page_in_the_readers_language() -> None:
    response = Client().get("/spaces/", HTTP_HOST="evil.example.org")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "<h1>Bad request</h1>" in response.content.decode()
    spanish = Client().get("/spaces/", HTTP_HOST="evil.example.org", HTTP_ACCEPT_LANGUAGE="es")
    assert "Solicitud incorrecta" in spanish.content.decode()
