"""Proposals closing soon that a person may still vote on, on their home."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from peerwork.core.home import Waiting, register_waiting
from peerwork.spaces.selectors import spaces_of

from . import selectors


def _waiting(user: Any) -> list[Waiting]:
    spaces = [space for space, _role in spaces_of(user)]
    return [
        Waiting(
            _("Vote on “%(title)s”") % {"title": proposal.title},
            reverse("governance:detail", args=[proposal.space.slug, proposal.pk]),
            due=proposal.closes_at,
            where=proposal.space.name,
            closes=True,
        )
        for proposal in selectors.proposals_awaiting_vote(user, spaces)
    ]


def register() -> None:
    register_waiting(_waiting)
