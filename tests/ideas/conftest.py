"""Fixtures shared by the ideas tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _each_test_in_the_default_language() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in its thread (LocaleMiddleware activates a
    language and never deactivates it), so each test here starts and ends in the default one."""
    translation.deactivate()
    yield
    translation.deactivate()
