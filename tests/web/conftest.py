"""Page tests use the shared fixtures of tests/conftest.py (fast hasher, make_user, make_space)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def client_as(db: Any) -> Any:
    """client_as(user) -> a django test Client signed in as that person through the login page."""

    def make(user: Any) -> Client:
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return make
