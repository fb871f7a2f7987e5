"""Site-wide blocks: a site administrator's, refusing every write in every space with the
reason and the end, until they expire or are lifted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from peerwork.activity.models import Event
from peerwork.spaces.models import SiteBlock

from .conftest import COMMENTS


def test_a_site_wide_block_refuses_writes_everywhere_and_expires(
    world: dict[str, Any], make_space: Any
) -> None:
    make_space(world["ada"], "second")
    until = timezone.now() + timedelta(days=1)
    response = world["as_root"].post(
        "/site/blocks",
        {"username": "cara", "reason": "Spam wave", "expires_at": until.isoformat()},
    )
    assert response.status_code == 201, response.content
    refused = world["as_cara"].post(COMMENTS, {"text": "hello"})
    assert refused.status_code == 403
    assert "Spam wave" in refused.json()["detail"]
    assert "anywhere" in refused.json()["detail"]
    page = world["as_cara"].put(
        "/spaces/second/pages/Notes", {"text": "Hi\n", "base_revision": None}
    )
    assert page.status_code == 403
    assert "Spam wave" in page.json()["detail"]
    assert world["as_cara"].get(COMMENTS).status_code == 200  # reading goes on
    listed = world["as_root"].get("/site/blocks").json()["items"]
    assert [(b["username"], b["reason"]) for b in listed] == [("cara", "Spam wave")]
    assert Event.objects.filter(verb="site:blocked").count() == 1
    with time_machine.travel(until + timedelta(minutes=1)):
        assert world["as_cara"].post(COMMENTS, {"text": "back"}).status_code == 201


def test_lifting_and_who_may_block(world: dict[str, Any]) -> None:
    body = {"username": "bob", "reason": "Abuse"}
    assert world["as_ada"].post("/site/blocks", body).status_code == 403  # a steward is not
    assert world["as_anon"].post("/site/blocks", body).status_code == 401
    assert not SiteBlock.objects.exists()
    assert world["as_root"].post("/site/blocks", body).status_code == 201
    assert world["as_root"].post("/site/blocks", body).status_code == 409
    assert world["as_bob"].post(COMMENTS, {"text": "x"}).status_code == 403
    assert world["as_root"].delete("/site/blocks/bob").status_code == 204
    assert world["as_bob"].post(COMMENTS, {"text": "x"}).status_code == 201
    assert world["as_root"].delete("/site/blocks/bob").status_code == 409
    assert world["as_root"].post("/site/blocks", {**body, "username": "root"}).status_code == 422


def test_the_blocked_page_names_the_site_wide_block(world: dict[str, Any]) -> None:
    from django.test import Client

    world["as_root"].post("/site/blocks", {"username": "bob", "reason": "Vandalism"})
    client = Client()
    client.force_login(world["bob"])
    response = client.get("/s/atlas/edit/Main_page")
    assert response.status_code == 403
    assert "Vandalism" in response.content.decode()
    assert "anywhere on this site" in response.content.decode()
