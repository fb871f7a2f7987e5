"""The kinds the assist service indexes from the start: ideas, challenges, tasks, proposals
and wiki pages (what search also finds; each reads its text the way search does)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from peerwork.challenges.models import Challenge
from peerwork.governance.models import Proposal
from peerwork.ideas.models import Idea, Status
from peerwork.search.index import page_document
from peerwork.tasks.models import Delivery, Task
from peerwork.wiki.models import Page
from peerwork.wiki.policy import standing
from peerwork.wiki.rendering import page_url
from peerwork.wiki.titles import title_text

from .registry import Kind, register_kind


def _page_text(page: Page) -> tuple[str, str]:
    document = page_document(page)
    return title_text(page.namespace, page.title), document.text if document else ""


def _pages() -> QuerySet[Page]:
    return (
        standing(Page.objects.filter(is_redirect=False))
        .exclude(current_revision=None)
        .select_related("current_revision__content")
    )


def _pages_edited(user: Any, space: Any) -> QuerySet[Page]:
    return _pages().filter(space=space, revisions__author=user).distinct()


def _tasks_worked(user: Any, space: Any) -> QuerySet[Task]:
    delivered = Delivery.objects.filter(submitted_by=user).values("task")
    return Task.objects.filter(space=space, pk__in=delivered) | Task.objects.filter(
        space=space, created_by=user
    )


def register_kinds() -> None:
    register_kind(
        Kind(
            name="idea",
            target_type="ideas.idea",
            model=Idea,
            view_action="idea.view",
            label=pgettext_lazy("assist kind", "idea"),
            text=lambda idea: (idea.title, idea.description),
            # Drafts are their creators' own; a merged idea's support lives in another.
            objects=lambda: Idea.objects.exclude(status__in=[Status.DRAFT, Status.MERGED]),
            url=lambda idea: reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
            authored=lambda user, space: Idea.objects.filter(space=space, created_by=user),
        )
    )
    register_kind(
        Kind(
            name="challenge",
            target_type="challenges.challenge",
            model=Challenge,
            view_action="challenge.view",
            label=pgettext_lazy("assist kind", "challenge"),
            text=lambda challenge: (challenge.title, challenge.statement),
            objects=Challenge.objects.all,
            url=lambda c: reverse("challenges:detail", args=[c.space.slug, c.pk]),
            authored=lambda user, space: Challenge.objects.filter(space=space, posted_by=user),
        )
    )
    register_kind(
        Kind(
            name="task",
            target_type="tasks.task",
            model=Task,
            view_action="task.view",
            label=pgettext_lazy("assist kind", "task"),
            text=lambda task: (task.title, " ".join([task.description, *task.skills])),
            objects=Task.objects.all,
            url=lambda task: reverse("tasks:detail", args=[task.space.slug, task.pk]),
            authored=_tasks_worked,
        )
    )
    register_kind(
        Kind(
            name="proposal",
            target_type="governance.proposal",
            model=Proposal,
            view_action="proposal.view",
            label=pgettext_lazy("assist kind", "proposal"),
            text=lambda proposal: (proposal.title, proposal.body),
            objects=Proposal.objects.all,
            url=lambda p: reverse("governance:detail", args=[p.space.slug, p.pk]),
            authored=lambda user, space: Proposal.objects.filter(space=space, created_by=user),
        )
    )
    register_kind(
        Kind(
            name="page",
            target_type="wiki.page",
            model=Page,
            view_action="page.view",
            label=pgettext_lazy("assist kind", "wiki page"),
            text=_page_text,
            objects=_pages,
            url=lambda page: page_url(page.space.slug, page.namespace, page.title),
            authored=_pages_edited,
        )
    )
