"""Notifications link to what they are about: an idea's or a challenge's own page, a wiki page
only for page events."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from peerwork.accounts.models import User
from peerwork.challenges.models import Challenge
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.ideas.models import Idea


def _links(client: Client) -> list[str]:
    response = client.get("/notifications/")
    assert response.status_code == 200
    listed = response.content.decode().split('<ol class="changes notifications">')[1]
    return re.findall(r'<a href="([^"]+)"', listed.split("</ol>")[0])


def test_idea_challenge_and_page_notifications_link_to_their_own_pages(db: Any) -> None:
    load_demo()
    idea = Idea.objects.get(title="Translate the handbook into Spanish")
    challenge = Challenge.objects.get(title="Map every public water point")
    grace = Client()
    assert grace.login(username="grace", password=DEMO_PASSWORD)
    links = _links(grace)
    assert f"/s/open-atlas/ideas/{idea.pk}/" in links
    assert f"/s/open-atlas/challenges/{challenge.pk}/" in links
    # No link leads to a wiki page named after an idea or a challenge.
    assert not [link for link in links if "/wiki/Translate" in link or "/wiki/Map_every" in link]

    ada = Client()
    assert ada.login(username=User.objects.get(username="ada").username, password=DEMO_PASSWORD)
    assert "/s/open-atlas/wiki/Main_page" in _links(ada)
