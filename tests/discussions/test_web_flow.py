"""The one web flow of discussions: post, edit, remove and history of a comment on any
commentable object, here a challenge (whose comments could not be edited on the web before)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.discussions.models import Comment
from peerwork.spaces.models import SpaceMembership
from tests.challenges.conftest import People, fund, make_challenge


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    steward = make_user("stew")
    space = make_space(steward, "lab")
    users = {name: make_user(name) for name in ("seeker", "judge", "solver", "other", "member")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    people = People(outsider=make_user("outsider"), steward=steward, space=space, **users)
    fund(space, steward)
    challenge = make_challenge(people)
    return {"people": people, "challenge": challenge}


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_challenge_comment_is_posted_edited_and_removed_on_the_web(world: dict[str, Any]) -> None:
    people: People = world["people"]
    challenge = world["challenge"]
    detail = f"/s/lab/challenges/{challenge.pk}/"
    solver = _as(people.solver)

    posted = solver.post(
        f"/discussions/challenges.challenge/{challenge.pk}/comments", {"text": "Teams *welcome*?"}
    )
    comment = Comment.objects.get()
    assert posted.status_code == 302
    assert posted["Location"] == f"{detail}#comment-{comment.pk}"
    page = solver.get(detail).content.decode()
    # Edit is a link that opens the form in the thread (htmx fetches just the form).
    assert f'href="{detail}?edit={comment.pk}#edit-form"' in page
    assert f'action="/discussions/comments/{comment.pk}/remove"' in page
    opened = solver.get(f"{detail}?edit={comment.pk}").content.decode()
    assert f'action="/discussions/comments/{comment.pk}/edit" id="edit-form"' in opened

    # Someone else sees neither form and is refused.
    other = _as(people.other)
    assert f"?edit={comment.pk}" not in other.get(detail).content.decode()
    refused = other.get(f"{detail}?edit={comment.pk}").content.decode()
    assert f"/comments/{comment.pk}/edit" not in refused
    assert other.post(f"/discussions/comments/{comment.pk}/edit", {"text": "x"}).status_code == 403
    assert other.post(f"/discussions/comments/{comment.pk}/remove").status_code == 403

    edited = solver.post(f"/discussions/comments/{comment.pk}/edit", {"text": "Teams of two?"})
    assert edited.status_code == 302
    assert edited["Location"] == f"{detail}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.text == "Teams of two?"
    history = solver.get(f"/discussions/comments/{comment.pk}/history")
    assert history.status_code == 200
    assert "Teams of two?" in history.content.decode()
    assert "Teams <em>welcome</em>?" in history.content.decode()

    removed = solver.post(f"/discussions/comments/{comment.pk}/remove", {"reason": "typo"})
    assert removed.status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted
    assert "This comment was removed." in solver.get(detail).content.decode()


@pytest.mark.django_db
def test_refused_input_answers_422_with_the_message_and_the_text(world: dict[str, Any]) -> None:
    people: People = world["people"]
    challenge = world["challenge"]
    solver = _as(people.solver)
    url = f"/discussions/challenges.challenge/{challenge.pk}/comments"
    empty = solver.post(url, {"text": "   "})
    assert empty.status_code == 422
    assert "Your comment was not saved" in empty.content.decode()
    assert Comment.objects.count() == 0

    solver.post(url, {"text": "First."})
    comment = Comment.objects.get()
    refused = solver.post(f"/discussions/comments/{comment.pk}/edit", {"text": ""})
    assert refused.status_code == 422
    assert 'id="edit-text"' in refused.content.decode()
    comment.refresh_from_db()
    assert comment.text == "First."

    bad_parent = solver.post(url, {"text": "A reply.", "parent": "abc"})
    assert bad_parent.status_code == 422
    assert "A reply." in bad_parent.content.decode()

    # htmx gets the form alone, to swap back where it was (tests/discussions/test_in_place.py).
    fragment = solver.post(url, {"text": ""}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 422
    assert fragment.content.decode().lstrip().startswith('<form method="post"')

    spanish = solver.post(url, {"text": ""}, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 422


@pytest.mark.django_db
def test_unknown_or_hidden_targets_answer_404(world: dict[str, Any]) -> None:
    solver = _as(world["people"].solver)
    assert solver.post("/discussions/nope.nope/1/comments", {"text": "x"}).status_code == 404
    assert (
        solver.post("/discussions/challenges.challenge/999999/comments", {"text": "x"}).status_code
        == 404
    )
    assert solver.post("/discussions/comments/999999/edit", {"text": "x"}).status_code == 404
    assert solver.get("/discussions/comments/999999/history").status_code == 404


@pytest.mark.django_db
def test_the_old_challenge_address_still_posts(world: dict[str, Any]) -> None:
    challenge = world["challenge"]
    solver = _as(world["people"].solver)
    posted = solver.post(f"/s/lab/challenges/{challenge.pk}/discussion", {"text": "Still here?"})
    assert posted.status_code == 302
    assert Comment.objects.get().text == "Still here?"


@pytest.mark.django_db
def test_comment_history_pages_by_keyset_in_the_plain_frame(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerwork.discussions import actions, views

    people: People = world["people"]
    comment = actions.comment_post(user=people.solver, target=world["challenge"], text="v0")
    for n in range(1, 5):
        actions.comment_edit(user=people.solver, comment=comment, text=f"v{n}")
    monkeypatch.setattr(views, "HISTORY_PAGE", 2)
    solver = _as(people.solver)
    url = f"/discussions/comments/{comment.pk}/history"
    shown: list[str] = []
    page = solver.get(url).content.decode()
    assert "wiki-tabs" not in page  # a challenge frames nothing around it
    assert page.count('<span class="badge">current</span>') == 1
    while True:
        shown += [line for line in page.split("<p>")[1:] if line.startswith("v")]
        found = [part.split('"')[0] for part in page.split('href="?before=')[1:]]
        if not found:
            break
        page = solver.get(f"{url}?before={found[0]}").content.decode()
        assert '<span class="badge">current</span>' not in page
    assert [text.split("<")[0] for text in shown] == ["v4", "v3", "v2", "v1", "v0"]


@pytest.mark.django_db
def test_editing_a_removed_comment_answers_as_the_api_does(world: dict[str, Any]) -> None:
    """The web asks the action, not its own copy of the rule: its author is told why (409),
    the text stays, and nobody else learns more than before (403)."""
    challenge = world["challenge"]
    solver = _as(world["people"].solver)
    solver.post(f"/discussions/challenges.challenge/{challenge.pk}/comments", {"text": "First"})
    comment = Comment.objects.get()
    assert solver.post(f"/discussions/comments/{comment.pk}/remove").status_code == 302

    refused = solver.post(f"/discussions/comments/{comment.pk}/edit", {"text": "Second try"})
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "can no longer be edited" in body
    assert "Second try" in body
    comment.refresh_from_db()
    assert comment.text == "First" and comment.is_deleted
    other = _as(world["people"].other)
    assert other.post(f"/discussions/comments/{comment.pk}/edit", {"text": "x"}).status_code == 403
