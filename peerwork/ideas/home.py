"""What this app adds to a new space's getting-started checklist (spaces/getting_started.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from peerwork.spaces import getting_started


def register() -> None:
    getting_started.register(
        getting_started.Step(
            "first-idea",
            40,
            gettext_lazy("Post the first idea: something the community can support"),
            lambda space: reverse("ideas:new", args=[space.slug]),
            lambda space: space.ideas.exists(),
        )
    )
