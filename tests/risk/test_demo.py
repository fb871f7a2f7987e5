"""The demo leaves one risky edit held in Open Atlas's patrol queue."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.wiki.models import HeldEdit, Page

pytestmark = pytest.mark.django_db


def test_the_demo_holds_one_risky_edit() -> None:
    assert load_demo()
    held = HeldEdit.objects.get()
    assert (held.space.slug, held.title, held.state) == ("open-atlas", "River maps", "held")
    assert held.risk is not None and held.risk["score"] >= 0.9
    page = Page.objects.get(space__slug="open-atlas", title="River maps")
    assert "BORING" not in page.current_revision.content.text
    client = Client()
    assert client.login(username="ada", password=DEMO_PASSWORD)
    assert "BORING" in client.get("/s/open-atlas/held-edits").content.decode()
