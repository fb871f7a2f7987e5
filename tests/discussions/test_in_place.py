"""The thread's in-place forms on ideas and challenges (the wiki's discussion tab has them
too, in tests/web/test_discussion_pages.py): Reply and Edit fetch their form with htmx,
posting swaps the thread, a refused form comes back with its message and the typed text, and
without JavaScript the `?reply=N` and `?edit=N` addresses open the same forms in the page."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment
from peerwork.ideas import actions as ideas
from peerwork.spaces.models import SpaceMembership
from tests.challenges.conftest import People, fund, make_challenge

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def targets(make_user: Any, make_space: Any) -> list[dict[str, Any]]:
    """An idea and a challenge in one space, each with a comment by `author`."""
    steward = make_user("stew")
    space = make_space(steward, "lab")
    users = {name: make_user(name) for name in ("seeker", "judge", "solver", "other", "member")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    people = People(outsider=make_user("outsider"), steward=steward, space=space, **users)
    fund(space, steward)
    challenge = make_challenge(people)
    idea = ideas.idea_publish(
        user=people.seeker,
        idea=ideas.idea_create(user=people.seeker, space=space, title="Seed library"),
    )
    found = []
    for target, kind, detail in (
        (idea, "ideas.idea", f"/s/lab/ideas/{idea.pk}/"),
        (challenge, "challenges.challenge", f"/s/lab/challenges/{challenge.pk}/"),
    ):
        comment = discussions.comment_post(user=people.solver, target=target, text="Why *so*?")
        found.append(
            {
                "target": target,
                "detail": detail,
                "post": f"/discussions/{kind}/{target.pk}/comments",
                "kind": kind,
                "comment": comment,
                "author": people.solver,
                "other": people.other,
            }
        )
    return found


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: Any) -> str:
    return response.content.decode()


def test_reply_and_edit_fetch_their_form_in_place(targets: list[dict[str, Any]]) -> None:
    for t in targets:
        comment, other = t["comment"], _as(t["other"])
        page = _text(other.get(t["detail"]))
        assert f'hx-get="{t["post"]}?reply={comment.pk}"' in page
        assert f'href="{t["detail"]}?reply={comment.pk}#reply-form"' in page
        reply = other.get(f"{t['post']}?reply={comment.pk}", headers=HX)
        assert reply.status_code == 200
        body = _text(reply).lstrip()
        assert body.startswith(f'<form method="post" action="{t["post"]}" id="reply-form-')
        assert f'<input type="hidden" name="parent" value="{comment.pk}">' in body
        assert "<html" not in body
        # Only the author gets an Edit form, pre-filled with the source text.
        edit = _as(t["author"]).get(f"{t['post']}?edit={comment.pk}", headers=HX)
        assert f'action="/discussions/comments/{comment.pk}/edit"' in _text(edit)
        assert ">\nWhy *so*?</textarea>" in _text(edit)
        refused = other.get(f"{t['post']}?edit={comment.pk}", headers=HX)
        assert "/edit" not in _text(refused)
        assert "This comment takes no replies or edits from you." in _text(refused)


def test_without_javascript_the_addresses_open_the_forms_in_the_page(
    targets: list[dict[str, Any]],
) -> None:
    for t in targets:
        comment, other = t["comment"], _as(t["other"])
        moved = other.get(f"{t['post']}?reply={comment.pk}")
        assert moved.status_code == 302
        assert moved["Location"] == f"{t['detail']}?reply={comment.pk}#reply-form"
        page = _text(other.get(f"{t['detail']}?reply={comment.pk}"))
        slot = page[page.index(f'id="reply-slot-{comment.pk}"') :]
        assert 'id="reply-form"' in slot.split("</li>")[0]
        edit = _text(_as(t["author"]).get(f"{t['detail']}?edit={comment.pk}"))
        assert f'action="/discussions/comments/{comment.pk}/edit" id="edit-form"' in edit
        # Nobody else's edit form opens, whatever the address says.
        assert 'id="edit-form"' not in _text(other.get(f"{t['detail']}?edit={comment.pk}"))


def test_htmx_post_swaps_the_thread(targets: list[dict[str, Any]]) -> None:
    for t in targets:
        response = _as(t["other"]).post(t["post"], {"text": "by htmx"}, headers=HX)
        assert response.status_code == 200
        body = _text(response)
        posted = Comment.objects.get(text="by htmx", target_type=t["kind"])
        assert body.lstrip().startswith('<ol class="thread" id="thread"')
        assert f'id="comment-{posted.pk}" data-depth="0"' in body
        assert 'hx-swap-oob="true">Your comment is posted.</p>' in body
        assert 'id="new-comment"' in body and 'hx-swap-oob="true" data-swap-refused' not in body


@pytest.mark.parametrize("typed", ["  \n ", "x" * 20_001 + "<b>kept</b>"])
def test_a_refused_htmx_post_comes_back_with_its_message_and_text(
    targets: list[dict[str, Any]], typed: str
) -> None:
    for t in targets:
        comment, other = t["comment"], _as(t["other"])
        before = Comment.objects.count()
        refused = other.post(t["post"], {"text": typed}, headers=HX)
        assert refused.status_code == 422
        assert refused["HX-Retarget"] == "#new-comment"
        assert refused["HX-Reswap"] == "outerHTML"
        body = _text(refused).lstrip()
        assert body.startswith('<form method="post"') and 'id="new-comment"' in body
        assert 'class="errorlist" id="new-comment-text-error"' in body
        assert f">\n{html.escape(typed)}</textarea>" in body
        reply = other.post(t["post"], {"text": typed, "parent": str(comment.pk)}, headers=HX)
        assert reply.status_code == 422
        assert reply["HX-Retarget"] == f"#reply-slot-{comment.pk}"
        assert reply["HX-Reswap"] == "innerHTML"
        body = _text(reply)
        assert f'id="reply-form-{comment.pk}"' in body
        assert f'<input type="hidden" name="parent" value="{comment.pk}">' in body
        assert f">\n{html.escape(typed)}</textarea>" in body
        assert Comment.objects.count() == before


def test_the_challenge_thread_keeps_its_words_in_htmx_answers(
    targets: list[dict[str, Any]],
) -> None:
    challenge = targets[1]
    refused = _as(challenge["other"]).post(challenge["post"], {"text": ""}, headers=HX)
    assert "Ask a question or answer one (public)" in _text(refused)
    posted = _as(challenge["other"]).post(challenge["post"], {"text": "ok"}, headers=HX)
    assert "Ask a question or answer one (public)" in _text(posted)


def test_a_refused_htmx_reply_to_no_comment_comes_back_as_a_new_comment(
    targets: list[dict[str, Any]],
) -> None:
    """A parent that names no comment has no slot to go back to: the text returns in the
    new-comment form, with the message."""
    t = targets[0]
    refused = _as(t["other"]).post(t["post"], {"text": "Kept.", "parent": "abc"}, headers=HX)
    assert refused.status_code == 422
    assert refused["HX-Retarget"] == "#new-comment"
    body = _text(refused)
    assert 'id="new-comment"' in body and ">\nKept.</textarea>" in body
    assert "There is no comment abc on this page." in body
