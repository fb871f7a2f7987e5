"""The demo's moderation: a steward's filter in Open Atlas that a comment triggered, so its
hit log, its counts and the moderation queue (the comment waits there) have something."""

from __future__ import annotations

from typing import Any


def seed(*, space: Any, steward: Any, poster: Any) -> None:
    from peerwork.discussions import actions as discussions
    from peerwork.wiki.models import Page

    from . import actions

    actions.filter_create(
        user=steward,
        space=space,
        values={
            "name": "Casino spam",
            "description": "Gambling adverts are held for a moderator.",
            "is_enabled": True,
            "kinds": ["discussions.comment"],
            "added_pattern": r"\b(casino|jackpot|apuestas)\b",
            "action": "hold",
            "message": "Your comment mentions gambling; a moderator will look at it first.",
            "match": "all",
        },
    )
    page = Page.objects.get(space=space, title="River maps")
    discussions.comment_post(
        user=poster, target=page, text="Win big at the casino tonight, link in my profile!"
    )
