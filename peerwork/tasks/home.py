"""What waits for a person among tasks: the work they claimed, and reviews they may give."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peerwork.core.home import Waiting, register_waiting
from peerwork.spaces import getting_started
from peerwork.spaces.selectors import spaces_of

from . import selectors
from .models import ClaimStatus


def _due(task: Any) -> datetime | None:
    if task.due_date is None:
        return None
    return timezone.make_aware(datetime.combine(task.due_date, time.max))


def _waiting(user: Any) -> list[Waiting]:
    items = []
    for claim in selectors.my_live_claims(user):
        task = claim.task
        if claim.status == ClaimStatus.ACTIVE:
            text = _("You are working on “%(task)s”") % {"task": task.title}
        else:
            text = _("You asked to work on “%(task)s”; the answer is pending") % {
                "task": task.title
            }
        url = reverse("tasks:detail", args=[task.space.slug, task.pk])
        items.append(Waiting(text, url, due=_due(task), where=task.space.name))
    spaces = [space for space, _role in spaces_of(user)]
    for task in selectors.tasks_to_review(user, spaces):
        text = _("“%(task)s” waits for a review") % {"task": task.title}
        url = reverse("tasks:detail", args=[task.space.slug, task.pk])
        items.append(Waiting(text, url, due=_due(task), where=task.space.name))
    return items


def register() -> None:
    register_waiting(_waiting)
    getting_started.register(
        getting_started.Step(
            "first-task",
            50,
            gettext_lazy("Post the first task someone can pick up"),
            lambda space: reverse("tasks:new", args=[space.slug]),
            lambda space: space.tasks.exists(),
        )
    )
