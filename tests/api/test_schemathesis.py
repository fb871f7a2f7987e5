"""Schemathesis against the API's own OpenAPI document: no 5xx, no response off its schema.

Runs in-process over WSGI, as anonymous and as a signed-in person with a write token.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from peerwork.accounts import actions as accounts
from peerwork.spaces import actions as spaces
from peerwork.wsgi import application

# What the API promises: never a server error, and every answer as documented. (Business rules
# such as "password too common" refuse some schema-valid input with 422, by design.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# The suite replays the same examples on every run, so that a merge is never blocked by a
# fuzzer's lucky find; `make fuzz` explores fresh random examples, as many as it is told.
FUZZ_EXAMPLES = int(os.environ.get("PEERWORK_FUZZ_EXAMPLES", "0"))


@pytest.fixture
def token(db: Any) -> Any:
    # The WSGI app would close the test's database connection after each request, as it
    # does between real requests; Django's own test client suspends that the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    ada = accounts.user_signup(username="ada", password="schema fuzzing pass")
    spaces.space_create(user=ada, slug="atlas", name="Atlas")
    spaces.space_create(
        user=ada, slug="notes", name="Notes", visibility="members", participation="members"
    )
    accounts.organization_create(user=ada, slug="lab", name="Lab")
    _token, raw = accounts.token_create(user=ada, person=ada, name="fuzz", scope="write")
    yield raw
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES or 12,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case: Any, token: str) -> None:
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
