"""The security headers: the browser policies on every answer, and HTTPS only where it is served.

The embedded run answers plain http on 127.0.0.1 (nothing redirects it, nothing pins it to
HTTPS); production (PEERWORK_ENV=production) redirects to https, marks its cookies secure and
sends HSTS, which browsers honour on https answers only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from peerwork.core.security import DEFAULT_CSP, format_csp

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def test_the_policy_refuses_inline_code_plugins_framing_and_foreign_forms() -> None:
    assert format_csp(DEFAULT_CSP) == EXPECTED_CSP
    for directive in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in DEFAULT_CSP[directive]
        assert "'unsafe-eval'" not in DEFAULT_CSP[directive]


@pytest.mark.django_db
def test_an_embedded_page_over_http_carries_the_headers_and_no_https_demands() -> None:
    response = Client().get("/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
def test_api_answers_and_errors_carry_the_policy_too() -> None:
    client = Client(raise_request_exception=False)
    assert client.get("/api/v1/openapi.json")["Content-Security-Policy"] == EXPECTED_CSP
    missing = client.get("/s/no-such-space/")
    assert missing.status_code == 404
    assert missing["Content-Security-Policy"] == EXPECTED_CSP


def test_image_hosts_can_be_added_by_the_operator(settings) -> None:
    from peerwork.core.security import SecurityHeadersMiddleware

    settings.PEERWORK_CSP_IMG_SOURCES = ["https://media.example.org"]
    middleware = SecurityHeadersMiddleware(lambda request: None)
    assert "img-src 'self' https://media.example.org;" in middleware.csp
    assert "script-src 'self';" in middleware.csp


@pytest.mark.parametrize("redirect", ["1", "0"])
def test_the_deploy_check_is_clean_whether_peerwork_or_its_proxy_redirects(
    tmp_path: Path, redirect: str
) -> None:
    """PEERWORK_SSL_REDIRECT=0 is for a proxy that redirects to https itself."""
    result = subprocess.run(
        [sys.executable, "-m", "peerwork.manage", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env={**_production_env(tmp_path), "PEERWORK_SSL_REDIRECT": redirect},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def _production_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "peerwork.settings",
        "PEERWORK_ENV": "production",
        "PEERWORK_DATA_DIR": str(tmp_path),
        "PEERWORK_SECRET_KEY": "k" * 20 + "-a-long-and-random-enough-secret-for-the-probe",
        "PEERWORK_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "",
    }


#: Asks production settings for a page over http and a static file over https, with Django's
#: test client (no database needed: the redirect and the static file come before any view).
PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/", secure=False)
secure = client.get("/static/peerwork/site.css", secure=True)
from django.conf import settings
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "plain_hsts": plain.get("Strict-Transport-Security"),
    "secure_status": secure.status_code,
    "secure_hsts": secure.get("Strict-Transport-Security"),
    "secure_csp": secure.get("Content-Security-Policy"),
    "cookies_secure": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def test_production_redirects_to_https_and_pins_it_there(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        capture_output=True,
        text=True,
        env=_production_env(tmp_path),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["plain_status"] == 301
    assert answers["plain_location"] == "https://testserver/"
    assert answers["plain_hsts"] is None
    assert answers["secure_status"] == 200
    assert answers["secure_hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert answers["secure_csp"] == EXPECTED_CSP
    assert answers["cookies_secure"] == [True, True]
