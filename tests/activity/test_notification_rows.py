"""Notifications live with the activity app: their addresses and names, and the rows an app
registers for its own events (a page's come from the wiki, everything else is generic)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import resolve, reverse

from peerwork.activity import rows, views
from peerwork.activity.models import Event
from peerwork.ideas import actions as ideas
from peerwork.wiki import actions as wiki

pytestmark = pytest.mark.django_db


def test_the_addresses_and_both_names_reach_the_activity_views() -> None:
    assert reverse("activity:notifications") == reverse("wiki:notifications") == "/notifications/"
    assert reverse("activity:notifications_read") == reverse("wiki:notifications_read")
    assert resolve("/notifications/").func is views.notifications
    assert resolve("/notifications/read").func is views.notifications_read


def test_a_page_event_gets_the_wikis_row_and_others_the_generic_one(
    make_user: Any, make_space: Any
) -> None:
    ada = make_user("ada")
    space = make_space(ada, "lab")
    first = wiki.page_save(
        user=ada, space=space, title="Seed bank", text="one\n", base_revision_id=None
    )
    edited = wiki.page_save(
        user=ada,
        space=space,
        title="Seed bank",
        text="two\n",
        base_revision_id=first.revision.pk,
        summary="tidy",
    )
    idea = ideas.idea_create(user=ada, space=space, title="Roof garden")
    page_row = rows.row_of(edited.event)
    assert type(page_row) is not rows.EventRow  # the wiki registered its own
    assert (page_row.title, page_row.url, page_row.summary) == (
        "Seed bank",
        "/s/lab/wiki/Seed_bank",
        "tidy",
    )
    assert page_row.diff_url.startswith("/s/lab/diff?")
    idea_event = Event.objects.filter(target_type="ideas.idea").latest("id")
    idea_row = rows.row_of(idea_event)
    assert type(idea_row) is rows.EventRow
    assert idea_row.url == f"/s/lab/ideas/{idea.pk}/" and idea_row.diff_url == ""
    assert idea_row.title == idea_event.target_repr


def test_a_target_type_takes_one_row() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        rows.register("wiki.page", rows.EventRow)
