"""The Atom feed of a space's activity: what the viewer may see of it, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from peerwork.core.errors import NotFound
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from .links import target_url
from .models import Event
from .selectors import space_events
from .sentences import attach

FEED_SIZE = 50


@dataclass
class SpaceFeedSource:
    space: Space
    events: list[Event]


class SpaceFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> SpaceFeedSource:  # type: ignore[override]
        # The feed object is shared by all requests, so what depends on the viewer travels in
        # the object returned here, never on `self`.
        try:
            space = space_get_visible(user=request.user, slug=slug)
        except NotFound:
            raise Http404() from None
        events = attach(
            list(space_events(viewer=request.user, space=space).order_by("-id")[:FEED_SIZE])
        )
        return SpaceFeedSource(space=space, events=events)

    def title(self, obj: SpaceFeedSource) -> str:
        return _("%(space)s: activity") % {"space": obj.space.name}

    def subtitle(self, obj: SpaceFeedSource) -> str:
        return obj.space.description or _("Every change in %(space)s.") % {"space": obj.space.name}

    def link(self, obj: SpaceFeedSource) -> str:
        return reverse("activity:space", kwargs={"slug": obj.space.slug})

    def feed_guid(self, obj: SpaceFeedSource) -> str:
        return f"urn:peerwork:space:{obj.space.pk}:activity"

    def items(self, obj: SpaceFeedSource) -> list[Event]:
        return obj.events

    def item_title(self, item: Event) -> str:
        return item.sentence.text  # type: ignore[attr-defined]

    def item_description(self, item: Event) -> str:
        return item.sentence.details()  # type: ignore[attr-defined]

    def item_link(self, item: Event) -> str:
        """The object the event changed, or its history when it has no page of its own."""
        return target_url(item) or reverse(
            "activity:history",
            kwargs={"target_type": item.target_type, "target_id": item.target_id},
        )

    def item_guid(self, item: Event) -> str:
        return f"urn:peerwork:event:{item.hash}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Event) -> Any:
        return item.created_at

    def item_updateddate(self, item: Event) -> Any:
        return item.created_at

    def item_author_name(self, item: Event) -> str | None:
        return item.actor.name if item.actor_id and item.actor is not None else None
