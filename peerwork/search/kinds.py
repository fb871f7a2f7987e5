"""The kinds of things search finds, registered once each (from `apps.py`).

Order matters: facets list the kinds in this order. Each kind's document holds only what
anyone who may see the object may read: a person's document holds their public profile
(name, username, skills, bio), never their time zone, languages or e-mail.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from peerwork.accounts.models import User
from peerwork.challenges.models import Challenge
from peerwork.discussions.attachments import attachment_for, resolve
from peerwork.discussions.models import Comment
from peerwork.governance.models import Proposal
from peerwork.ideas.models import Idea
from peerwork.spaces.models import Space
from peerwork.tasks.models import Task
from peerwork.wiki.models import Page
from peerwork.wiki.policy import standing
from peerwork.wiki.rendering import page_url
from peerwork.wiki.titles import title_text

from .backends import Document
from .index import Kind, body_of, clean, page_document, register


def _in_space(kind: str, obj: Any, title: str, *texts: str) -> Document:
    return Document(kind, obj.pk, obj.space_id, clean(title)[:255], body_of(*texts))


def _person(person: User) -> Document | None:
    if not person.is_active:
        return None
    skills = " ".join(str(skill) for skill in person.skills or [])
    return Document(
        "person",
        person.pk,
        None,
        clean(person.name)[:255],
        body_of(person.username, skills, person.bio),
    )


def _space(space: Space) -> Document:
    return Document(
        "space", space.pk, space.pk, clean(space.name)[:255], body_of(space.slug, space.description)
    )


def _comment(comment: Comment) -> Document | None:
    if comment.is_deleted:
        return None
    return Document("comment", comment.pk, comment.space_id, "", body_of(comment.text))


def _comment_target(comment: Comment) -> Any:
    cached = getattr(comment, "_search_target", None)
    if cached is None:
        cached = resolve(comment.target_type, comment.target_id)
        comment._search_target = cached  # type: ignore[attr-defined]
    return cached


def _comment_url(comment: Comment) -> str:
    target = _comment_target(comment)
    url_of = attachment_for(target).url_of
    return f"{url_of(target)}#comment-{comment.pk}" if url_of is not None else ""


def _comment_title(comment: Comment) -> str:
    return _("%(author)s on %(target)s") % {
        "author": comment.author.name,
        "target": str(_comment_target(comment)),
    }


def register_kinds() -> None:
    register(
        Kind(
            name="page",
            label_one=pgettext_lazy("search result kind", "Page"),
            label_all=pgettext_lazy("search facet", "Pages"),
            target_type="wiki.page",
            model=Page,
            view_action="page.view",
            document=page_document,
            objects=lambda: (
                standing(Page.objects.filter(is_redirect=False))
                .exclude(current_revision=None)
                .select_related("current_revision__content")
            ),
            url=lambda page: page_url(page.space.slug, page.namespace, page.title),
            title=lambda page: title_text(page.namespace, page.title),
        )
    )
    register(
        Kind(
            name="idea",
            label_one=pgettext_lazy("search result kind", "Idea"),
            label_all=pgettext_lazy("search facet", "Ideas"),
            target_type="ideas.idea",
            model=Idea,
            view_action="idea.view",
            document=lambda idea: _in_space("idea", idea, idea.title, idea.description),
            objects=Idea.objects.all,
            url=lambda idea: reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
            title=lambda idea: idea.title,
        )
    )
    register(
        Kind(
            name="challenge",
            label_one=pgettext_lazy("search result kind", "Challenge"),
            label_all=pgettext_lazy("search facet", "Challenges"),
            target_type="challenges.challenge",
            model=Challenge,
            view_action="challenge.view",
            document=lambda challenge: _in_space(
                "challenge", challenge, challenge.title, challenge.statement, challenge.eligibility
            ),
            objects=Challenge.objects.all,
            url=lambda challenge: reverse(
                "challenges:detail", args=[challenge.space.slug, challenge.pk]
            ),
            title=lambda challenge: challenge.title,
        )
    )
    register(
        Kind(
            name="task",
            label_one=pgettext_lazy("search result kind", "Task"),
            label_all=pgettext_lazy("search facet", "Tasks"),
            target_type="tasks.task",
            model=Task,
            view_action="task.view",
            document=lambda task: _in_space("task", task, task.title, task.description),
            objects=Task.objects.all,
            url=lambda task: reverse("tasks:detail", args=[task.space.slug, task.pk]),
            title=lambda task: task.title,
        )
    )
    register(
        Kind(
            name="proposal",
            label_one=pgettext_lazy("search result kind", "Proposal"),
            label_all=pgettext_lazy("search facet", "Proposals"),
            target_type="governance.proposal",
            model=Proposal,
            view_action="proposal.view",
            document=lambda proposal: _in_space(
                "proposal", proposal, proposal.title, proposal.body, proposal.outcome
            ),
            objects=Proposal.objects.all,
            url=lambda proposal: reverse(
                "governance:detail", args=[proposal.space.slug, proposal.pk]
            ),
            title=lambda proposal: proposal.title,
        )
    )
    register(
        Kind(
            name="comment",
            label_one=pgettext_lazy("search result kind", "Comment"),
            label_all=pgettext_lazy("search facet", "Comments"),
            target_type="discussions.comment",
            model=Comment,
            view_action="comment.view",
            document=_comment,
            objects=lambda: Comment.objects.filter(is_deleted=False),
            url=_comment_url,
            title=_comment_title,
            related=("space", "author"),
        )
    )
    register(
        Kind(
            name="space",
            label_one=pgettext_lazy("search result kind", "Space"),
            label_all=pgettext_lazy("search facet", "Spaces"),
            target_type="spaces.space",
            model=Space,
            view_action="space.view",
            document=_space,
            objects=Space.objects.all,
            url=lambda space: reverse("spaces:home", args=[space.slug]),
            title=lambda space: space.name,
            related=(),
        )
    )
    register(
        Kind(
            name="person",
            label_one=pgettext_lazy("search result kind", "Person"),
            label_all=pgettext_lazy("search facet", "People"),
            target_type="accounts.user",
            model=User,
            view_action="user.view",
            document=_person,
            objects=lambda: User.objects.filter(is_active=True),
            url=lambda person: reverse("accounts:profile", args=[person.username]),
            title=lambda person: person.name,
            related=(),
        )
    )
