"""Discussion pages through the Django test client: threaded comments under a wiki page."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment, CommentRevision
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki

pytestmark = pytest.mark.django_db

URL = "/s/garden/discussion/Seed_bank"


@pytest.fixture
def world(make_user: Any, make_space: Any, client_as: Any) -> Any:
    class World:
        ana = make_user("ana", display_name="Ana")  # the space's steward
        bea = make_user("bea", display_name="Bea")
        cid = make_user("cid", display_name="Cid")
        space = make_space(ana, "garden")
        spaces.space_member_add(user=ana, space=space, member=bea, role="member")
        spaces.space_member_add(user=ana, space=space, member=cid, role="member")
        page = wiki.page_save(
            user=ana, space=space, title="Seed bank", text="Seeds.\n", base_revision_id=None
        ).page
        ana_client = client_as(ana)
        bea_client = client_as(bea)
        cid_client = client_as(cid)

    return World


def _text(response: Any) -> str:
    return response.content.decode()


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _thread(response: Any) -> list[tuple[int, int]]:
    """(comment id, depth) of each comment of the thread, in the order the page lists them."""
    return [
        (int(cid), int(depth))
        for cid, depth in re.findall(r'id="comment-(\d+)" data-depth="(\d+)"', _text(response))
    ]


def _counts() -> tuple[int, int]:
    return Comment.objects.count(), CommentRevision.objects.count()


def test_the_page_tabs_link_to_the_discussion(world: Any) -> None:
    body = _text(Client().get("/s/garden/wiki/Seed_bank"))
    assert (
        '<a href="/s/garden/discussion/Seed_bank" data-testid="discussion-tab">'
        'Discussion <span class="count">(0)</span></a>'
    ) in body
    discussions.comment_post(user=world.bea, target=world.page, text="one")
    assert "(1)</span></a>" in _text(Client().get("/s/garden/wiki/Seed_bank"))
    response = Client().get(URL)
    assert response.status_code == 200
    assert (
        '<a href="/s/garden/discussion/Seed_bank" aria-current="page" '
        'data-testid="discussion-tab">Discussion <span class="count">(1)</span></a>'
    ) in _text(response)


def test_an_empty_discussion_invites_people_in(world: Any) -> None:
    anonymous = _text(Client().get(URL))
    assert '<li class="empty">No comments yet.</li>' in anonymous
    assert (
        '<a href="/login/?next=/s/garden/discussion/Seed_bank" data-testid="log-in-to-discuss">'
        "Log in to join the discussion</a>"
    ) in anonymous
    assert 'id="new-comment"' not in anonymous
    signed_in = _text(world.bea_client.get(URL))
    assert "Log in to join the discussion" not in signed_in
    assert '<label for="new-comment-text">New comment</label>' in signed_in
    assert "Markdown works here" in signed_in


def test_post_a_comment(world: Any) -> None:
    response = world.bea_client.post(URL, {"text": "Keep **dry** seeds.\r\n"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#comment-{comment.pk}"
    assert (comment.author, comment.text, comment.parent) == (
        world.bea,
        "Keep **dry** seeds.\n",
        None,
    )
    shown = world.bea_client.get(response["Location"])
    assert _messages(shown) == ["Your comment is posted."]
    body = _text(shown)
    assert _thread(shown) == [(comment.pk, 0)]
    assert '<div class="comment-text"><p>Keep <strong>dry</strong> seeds.</p>\n</div>' in body
    assert '<a href="/people/bea/" class="comment-author">Bea</a>' in body
    assert f'data-testid="edit-{comment.pk}"' in body
    # Others may reply but not edit or remove it.
    other = _text(world.cid_client.get(URL))
    assert f'data-testid="reply-{comment.pk}"' in other
    assert f'data-testid="edit-{comment.pk}"' not in other
    assert f'action="/discussions/comments/{comment.pk}/remove"' not in other


def test_times_show_in_the_viewers_time_zone(world: Any) -> None:
    from datetime import UTC, datetime

    comment = discussions.comment_post(user=world.bea, target=world.page, text="x")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=datetime(2024, 1, 2, 23, 30, tzinfo=UTC)
    )
    world.cid.time_zone = "Asia/Tokyo"
    world.cid.save(update_fields=["time_zone"])
    body = _text(world.cid_client.get(URL))
    assert '<time datetime="2024-01-03T08:30:00+09:00">Jan. 3, 2024, 8:30 a.m.</time>' in body


def test_replies_are_threaded_and_indented(world: Any) -> None:
    first = discussions.comment_post(user=world.ana, target=world.page, text="first")
    second = discussions.comment_post(user=world.bea, target=world.page, text="second")
    # No JavaScript: Reply is a link that opens the form under that comment.
    opened = world.bea_client.get(f"{URL}?reply={first.pk}")
    body = _text(opened)
    assert f'href="{URL}?reply={first.pk}#reply-form"' in body
    slot = body[body.index(f'id="reply-slot-{first.pk}"') :]
    assert slot.index('id="reply-form"') < slot.index(f'id="comment-{second.pk}"')
    assert f'<input type="hidden" name="parent" value="{first.pk}">' in slot
    reply = world.bea_client.post(URL, {"text": "a reply", "parent": str(first.pk)})
    r1 = Comment.objects.get(text="a reply")
    assert reply["Location"] == f"{URL}#comment-{r1.pk}"
    world.cid_client.post(URL, {"text": "deeper", "parent": str(r1.pk)})
    r2 = Comment.objects.get(text="deeper")
    response = Client().get(URL)
    assert _thread(response) == [(first.pk, 0), (r1.pk, 1), (r2.pk, 2), (second.pk, 0)]
    assert f'<a href="#comment-{r1.pk}" class="in-reply-to">in reply to Bea</a>' in _text(response)


def test_edit_then_history_shows_both_versions(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="first *take*")
    form = _text(world.bea_client.get(f"{URL}?edit={comment.pk}"))
    assert f'action="/discussions/comments/{comment.pk}/edit" id="edit-form"' in form
    assert ">\nfirst *take*</textarea>" in form  # pre-filled with the source text
    response = world.bea_client.post(f"/comments/{comment.pk}/edit", {"text": "second take"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#comment-{comment.pk}"
    body = _text(world.cid_client.get(URL))
    assert '<div class="comment-text"><p>second take</p>\n</div>' in body
    assert f'<a href="/discussions/comments/{comment.pk}/history" class="edited"' in body
    history = world.cid_client.get(f"/comments/{comment.pk}/history")
    assert history.status_code == 200
    versions = re.findall(r'<div class="comment-text">(.*?)</div>', _text(history), re.S)
    assert versions == ["<p>second take</p>\n", "<p>first <em>take</em></p>\n"]
    assert _text(history).count('<span class="badge">current</span>') == 1


def test_only_the_author_edits(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="mine")
    before = _counts()
    response = world.ana_client.post(f"/comments/{comment.pk}/edit", {"text": "theirs"})
    assert response.status_code == 403
    response = Client().post(f"/comments/{comment.pk}/edit", {"text": "theirs"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert _counts() == before
    assert Comment.objects.get().text == "mine"


def test_a_steward_removes_a_comment_and_its_replies_stay(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="rude words")
    reply = discussions.comment_post(
        user=world.cid, target=world.page, text="a reply", parent=comment
    )
    steward_view = _text(world.ana_client.get(URL))
    assert f'action="/discussions/comments/{comment.pk}/remove"' in steward_view
    assert 'data-confirm="Remove this comment? Its replies stay."' in steward_view
    response = world.ana_client.post(f"/comments/{comment.pk}/remove", {"reason": "off topic"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}#comment-{comment.pk}"
    assert _messages(world.ana_client.get(URL)) == ["The comment is removed."]
    shown = Client().get(URL)
    body = _text(shown)
    assert _thread(shown) == [(comment.pk, 0), (reply.pk, 1)]
    assert '<p class="removed-notice">This comment was removed.</p>' in body
    assert "rude words" not in body
    assert '<div class="comment-text"><p>a reply</p>\n</div>' in body
    assert "in reply to a removed comment" in body
    assert f'data-testid="reply-{comment.pk}"' not in body
    # Its words stay in its history, for those who could have removed it.
    assert world.cid_client.get(f"/comments/{comment.pk}/history").status_code == 403
    assert Client().get(f"/comments/{comment.pk}/history")["Location"].startswith("/login/")
    assert "rude words" in _text(world.bea_client.get(f"/comments/{comment.pk}/history"))
    assert f'<a href="/discussions/comments/{comment.pk}/history">history</a>' in _text(
        world.ana_client.get(URL)
    )
    stored = Comment.objects.get(pk=comment.pk)
    assert (stored.is_deleted, stored.deleted_by) == (True, world.ana)


def test_others_may_not_remove(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="mine")
    assert world.cid_client.post(f"/comments/{comment.pk}/remove").status_code == 403
    assert Comment.objects.get().is_deleted is False


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "A comment needs some text."),
        ("   \r\n\t ", "A comment needs some text."),
        ("x" * 20_001, "A comment may hold at most 20000 characters; this one has 20001."),
    ],
)
def test_a_refused_comment_keeps_the_typed_text(world: Any, typed: str, message: str) -> None:
    before = _counts()
    response = world.bea_client.post(URL, {"text": typed})
    assert response.status_code == 422
    body = _text(response)
    assert f'<ul class="errorlist" id="new-comment-text-error"><li>{message}</li></ul>' in body
    assert f">\n{html.escape(typed)}</textarea>" in body
    assert _counts() == before


def test_a_refused_reply_and_edit_keep_their_form_open(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="mine")
    before = _counts()
    reply = world.cid_client.post(URL, {"text": " ", "parent": str(comment.pk)})
    assert reply.status_code == 422
    body = _text(reply)
    assert 'id="reply-form"' in body and "A comment needs some text." in body
    edit = world.bea_client.post(f"/comments/{comment.pk}/edit", {"text": "\n\n"})
    assert edit.status_code == 422
    body = _text(edit)
    assert 'id="edit-form"' in body and "A comment needs some text." in body
    assert ">\n\n\n</textarea>" in body
    other_page = wiki.page_save(
        user=world.ana, space=world.space, title="Other", text="x\n", base_revision_id=None
    ).page
    elsewhere = discussions.comment_post(user=world.ana, target=other_page, text="elsewhere")
    wrong = world.cid_client.post(URL, {"text": "hi", "parent": str(elsewhere.pk)})
    assert wrong.status_code == 422
    assert f"There is no comment {elsewhere.pk} on this page." in _text(wrong)
    assert ">\nhi</textarea>" in _text(wrong)
    assert _counts() == (before[0] + 1, before[1] + 1)  # only the other page's comment


def test_htmx_post_swaps_the_thread(world: Any) -> None:
    response = world.bea_client.post(URL, {"text": "by htmx"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = _text(response)
    comment = Comment.objects.get()
    assert body.lstrip().startswith('<ol class="thread" id="thread"')
    assert f'id="comment-{comment.pk}" data-depth="0"' in body
    assert 'hx-swap-oob="true">Your comment is posted.</p>' in body
    refused = world.bea_client.post(URL, {"text": " "}, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert refused["HX-Retarget"] == "#new-comment"
    assert "A comment needs some text." in _text(refused)
    opened = world.cid_client.get(f"{URL}?reply={comment.pk}", headers={"HX-Request": "true"})
    # The form posts to the one discussion flow (this page's address still takes posts too).
    post_url = f"/discussions/wiki.page/{world.page.pk}/comments"
    assert _text(opened).lstrip().startswith(f'<form method="post" action="{post_url}"')
    assert f'id="reply-form-{comment.pk}"' in _text(opened)


XSS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(2)">',
    "[click](javascript:alert(3))",
    '<a href="javascript:alert(4)" onclick="alert(5)">me</a>',
    "<svg><script>alert(6)</script></svg>",
    '<iframe src="javascript:alert(7)"></iframe>',
    "<style>body{display:none}</style>",
]


def test_xss_payloads_render_inert(world: Any) -> None:
    for payload in XSS:
        assert world.bea_client.post(URL, {"text": payload}).status_code == 302
    comment = Comment.objects.order_by("id").first()
    world.bea_client.post(f"/comments/{comment.pk}/edit", {"text": XSS[1] + "\n\n" + XSS[3]})
    shown = [world.cid_client.get(URL), world.cid_client.get(f"/comments/{comment.pk}/history")]
    # Forms give the source text back, escaped inside their <textarea>.
    typed = [
        world.bea_client.get(f"{URL}?edit={comment.pk}"),
        world.bea_client.post(URL, {"text": "x" * 20_001 + XSS[0] + XSS[1]}),
    ]
    for response in shown + typed:
        body = _text(response).lower()
        assert "<script" not in body.replace('<script src="/static/', "")
        assert re.search(r"<[^>]*\b(onerror|onclick)=", body) is None
        assert 'href="javascript' not in body and "<iframe" not in body
    for response in shown:
        assert "onerror=" not in _text(response) and "onclick=" not in _text(response)
    assert "&lt;img src=&quot;x&quot; onerror=&quot;alert(2)&quot;&gt;" in _text(typed[0])


def test_members_only_space_hides_every_route(
    make_user: Any, make_space: Any, client_as: Any
) -> None:
    ana, out = make_user("ana"), make_user("out")
    space = make_space(ana, "inner", visibility="members", participation="members")
    page = wiki.page_save(
        user=ana, space=space, title="Secret", text="x\n", base_revision_id=None
    ).page
    comment = discussions.comment_post(user=ana, target=page, text="Hush-hush words")
    url = "/s/inner/discussion/Secret"
    assert client_as(ana).get(url).status_code == 200
    before = _counts()
    for client in (client_as(out), Client()):
        answers = [
            client.get(url),
            client.get(f"{url}?reply={comment.pk}"),
            client.post(url, {"text": "hi"}),
            client.post(url, {"text": "hi", "parent": str(comment.pk)}),
            client.post(f"/comments/{comment.pk}/edit", {"text": "hi"}),
            client.post(f"/comments/{comment.pk}/remove", {"reason": "x"}),
            client.get(f"/comments/{comment.pk}/history"),
            client.get("/s/inner/discussion/Nothing_here"),
            client.get("/comments/999999/history"),
        ]
        assert [a.status_code for a in answers] == [404] * 9
        assert all("Hush-hush" not in _text(a) for a in answers)
    assert _counts() == before


def test_comment_history_keeps_the_page_tabs_at_both_addresses(world: Any) -> None:
    comment = discussions.comment_post(user=world.bea, target=world.page, text="first")
    discussions.comment_edit(user=world.bea, comment=comment, text="second")
    for address in (
        f"/comments/{comment.pk}/history",
        f"/discussions/comments/{comment.pk}/history",
    ):
        body = _text(world.cid_client.get(address))
        assert 'class="tabs wiki-tabs"' in body
        assert f"<title>History of comment {comment.pk} on Seed bank · " in body
        assert f'<a href="{URL}#comment-{comment.pk}">Back to the discussion</a>' in body
