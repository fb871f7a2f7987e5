"""Bad input gets problem+json with a stable type, and changes nothing."""

from __future__ import annotations

import json

from peerwork.activity.models import Event
from peerwork.spaces.models import Space


def _problem(response, status: int, type_slug: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == f"/problems/{type_slug}"
    assert body["status"] == status
    assert body["detail"]
    return body


def test_huge_title_is_refused_and_nothing_is_written(make_user, api_as):
    client = api_as(make_user("ada"))
    before = Event.objects.count()
    body = _problem(
        client.post("/spaces", {"slug": "big", "name": "x" * 10_000_000}), 413, "too-large"
    )
    assert "larger" in body["detail"]
    body = _problem(client.post("/spaces", {"slug": "big", "name": "x" * 201}), 422, "validation")
    assert body["errors"][0]["field"] == "name"
    assert not Space.objects.filter(slug="big").exists()
    assert Event.objects.count() == before


def test_unknown_field_wrong_type_and_malformed_json(make_user, api_as):
    client = api_as(make_user("ada"))
    body = _problem(
        client.post("/spaces", {"slug": "a", "name": "A", "colour": "red"}), 422, "validation"
    )
    assert body["errors"][0]["field"] == "colour"
    body = _problem(client.post("/spaces", {"slug": "a", "name": ["A"]}), 422, "validation")
    assert body["errors"][0]["field"] == "name"
    _problem(client.post("/spaces", '{"slug": "a", "name": '), 400, "malformed-request")
    assert not Space.objects.exists()


def test_negative_page_size_and_bad_cursor(db, api_as):
    client = api_as(None)
    body = _problem(client.get("/spaces?limit=-1"), 422, "validation")
    assert body["errors"][0]["field"] == "limit"
    _problem(client.get("/spaces?limit=101"), 422, "validation")
    body = _problem(client.get("/spaces?cursor=%%%"), 422, "validation")
    assert "cursor" in body["detail"]


def test_anonymous_write_and_bad_token(db, api_as):
    from tests.conftest import ApiClient

    _problem(api_as(None).post("/spaces", {"slug": "a", "name": "A"}), 401, "not-authenticated")
    _problem(ApiClient("pw_not-a-token").get("/spaces"), 401, "invalid-token")


def test_read_token_cannot_write(make_user, api_as):
    client = api_as(make_user("ada"), scope="read")
    assert client.get("/me").status_code == 200
    body = _problem(client.post("/spaces", {"slug": "a", "name": "A"}), 403, "insufficient-scope")
    assert "'read' scope" in body["detail"]
    assert not Space.objects.exists()


def test_session_write_needs_csrf(make_user):
    from django.test import Client

    make_user("ada")
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="ada", password="correct horse battery staple")
    response = client.post(
        "/api/v1/spaces", json.dumps({"slug": "a", "name": "A"}), content_type="application/json"
    )
    _problem(response, 403, "csrf-failed")
    client.get("/api/v1/me")  # any page sets the cookie once get_token is used
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        "/api/v1/spaces",
        json.dumps({"slug": "a", "name": "A"}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )
    assert response.status_code == 201, response.content


def test_policy_errors_name_the_key(make_user, make_space, api_as):
    ada = make_user("ada")
    make_space(ada, "atlas")
    client = api_as(ada)
    body = _problem(client.put("/spaces/atlas/policy", {"voting_dayz": 3}), 422, "validation")
    assert body["key"] == "voting_dayz"
    assert "Unknown policy key 'voting_dayz'" in body["detail"]
    seven = {"privileges": {"autoconfirmed_days": "seven"}}
    body = _problem(client.put("/spaces/atlas/policy", seven), 422, "validation")
    assert body["detail"].startswith("Policy key 'privileges.autoconfirmed_days':")
    body = _problem(
        client.put("/spaces/atlas/policy", {"privileges": {"autoconfirmed_edits": 1.5}}),
        422,
        "validation",
    )
    assert body["key"] == "privileges.autoconfirmed_edits"
    assert Space.objects.get(slug="atlas").policy["privileges"]["autoconfirmed_days"] == 4


def test_problem_types_are_documented(client):
    response = client.get("/problems/validation")
    assert response.status_code == 200
    assert b"Invalid input" in response.content
    assert client.get("/problems/nonsense").status_code == 404


def test_unrouted_api_address_answers_problem_json(db, api_as):
    response = api_as(None).get("/no/such/endpoint\n")
    _problem(response, 404, "not-found")
    assert api_as(None).get("/spaces/x/y/z/unknown").status_code == 404


def test_nul_characters_are_refused_everywhere(make_user, api_as, client):
    as_ada = api_as(make_user("ada"))
    body = _problem(as_ada.post("/me/tokens", {"name": "a\x00b"}), 422, "validation")
    assert "NUL" in body["detail"]
    _problem(
        as_ada.post("/spaces", {"slug": "ok", "name": "x", "policy": {"a": ["\x00"]}}),
        422,
        "validation",
    )
    _problem(as_ada.get("/spaces/%00"), 400, "malformed-request")
    _problem(as_ada.get("/spaces?cursor=%00"), 400, "malformed-request")
    assert client.get("/s/%00/").status_code == 400
    assert not Space.objects.exists()
