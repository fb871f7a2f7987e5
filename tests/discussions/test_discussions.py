"""Discussions through the REST API: threaded comments on a wiki page."""

from __future__ import annotations

import pytest

from peerwork.activity.models import Event, Notification
from peerwork.discussions.models import MAX_DEPTH, Comment, CommentRevision
from peerwork.spaces import actions as spaces


@pytest.fixture
def world(make_user, make_space, api_as):
    ada, bob, cara = make_user("ada"), make_user("bob"), make_user("cara")
    space = make_space(ada, "atlas")  # ada is its steward
    clients = {"as_ada": api_as(ada), "as_bob": api_as(bob), "as_cara": api_as(cara)}
    response = clients["as_ada"].put(
        "/spaces/atlas/pages/Main_page", {"text": "Hello\n", "base_revision": None}
    )
    assert response.status_code == 201, response.content
    return {"ada": ada, "bob": bob, "cara": cara, "space": space, **clients}


URL = "/spaces/atlas/discussion/Main_page"


def post(client, text, parent=None, url=URL):
    body = {"text": text} if parent is None else {"text": text, "parent": parent}
    return client.post(url, body)


def thread(client, url=URL):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def counts():
    return Comment.objects.count(), CommentRevision.objects.count(), Event.objects.count()


def test_post_and_read(world):
    response = post(world["as_bob"], "First **thought**")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] is None and body["depth"] == 0
    assert body["author"] == "bob"
    assert body["text"] == "First **thought**"
    assert body["html"] == "<p>First <strong>thought</strong></p>\n"
    assert body["edited_at"] is None and body["is_deleted"] is False
    assert (body["can_edit"], body["can_delete"]) == (True, True)
    discussion = thread(world["as_cara"])
    assert discussion["target_type"] == "wiki.page"
    assert discussion["target_id"] == str(Comment.objects.get().target_id)
    assert discussion["can_post"] is True
    assert [(c["id"], c["author"], c["text"]) for c in discussion["comments"]] == [
        (body["id"], "bob", "First **thought**")
    ]
    assert (discussion["comments"][0]["can_edit"], discussion["comments"][0]["can_delete"]) == (
        False,
        False,
    )
    # Anyone may read a public space's discussion; only signed-in people may post.
    from tests.conftest import ApiClient

    anonymous = ApiClient()
    assert [c["id"] for c in thread(anonymous)["comments"]] == [body["id"]]
    assert thread(anonymous)["can_post"] is False
    before = counts()
    response = post(anonymous, "hello")
    assert response.status_code == 401
    assert counts() == before


def test_replies_are_shown_in_thread_order(world):
    c1 = post(world["as_ada"], "c1").json()["id"]
    c2 = post(world["as_bob"], "c2").json()["id"]
    r1 = post(world["as_bob"], "r1", c1).json()
    assert (r1["parent"], r1["depth"]) == (c1, 1)
    r2 = post(world["as_cara"], "r2", r1["id"]).json()["id"]
    r3 = post(world["as_cara"], "r3", c1).json()["id"]
    r4 = post(world["as_ada"], "r4", c2).json()["id"]
    comments = thread(world["as_bob"])["comments"]
    assert [(c["text"], c["depth"], c["parent"]) for c in comments] == [
        ("c1", 0, None),
        ("r1", 1, c1),
        ("r2", 2, r1["id"]),
        ("r3", 1, c1),
        ("c2", 0, None),
        ("r4", 1, c2),
    ]
    assert [c["id"] for c in comments] == [c1, r1["id"], r2, r3, c2, r4]


def test_replies_below_the_deepest_level_stay_at_it(world):
    parent = None
    ids = []
    for n in range(MAX_DEPTH + 3):
        response = post(world["as_bob"], f"level {n}", parent)
        assert response.status_code == 201, response.content
        parent = response.json()["id"]
        ids.append(parent)
    comments = thread(world["as_bob"])["comments"]
    assert [c["depth"] for c in comments] == [*range(MAX_DEPTH + 1), MAX_DEPTH, MAX_DEPTH]
    # The reply to the comment at depth 10 hangs on its parent, so it follows it as a sibling.
    assert comments[MAX_DEPTH + 1]["parent"] == ids[MAX_DEPTH - 1]
    assert comments[MAX_DEPTH + 2]["parent"] == ids[MAX_DEPTH - 1]
    event = Event.objects.filter(verb="comment:posted").latest("id")
    assert event.data["in_reply_to"] == ids[MAX_DEPTH + 1]
    assert event.data["parent"] == ids[MAX_DEPTH - 1]


def test_a_reply_must_be_on_the_same_page(world):
    world["as_ada"].put("/spaces/atlas/pages/Other", {"text": "x\n", "base_revision": None})
    other = post(world["as_bob"], "elsewhere", url="/spaces/atlas/discussion/Other").json()["id"]
    before = counts()
    response = post(world["as_bob"], "reply", other)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "parent", "message": f"There is no comment {other} on this page."}
    ]
    response = post(world["as_bob"], "reply", 999999)
    assert response.status_code == 422
    assert counts() == before


def test_edit_keeps_history(world):
    comment = post(world["as_bob"], "first version").json()["id"]
    response = world["as_bob"].patch(f"/comments/{comment}", {"text": "second *version*"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["text"] == "second *version*"
    assert body["html"] == "<p>second <em>version</em></p>\n"
    assert body["edited_at"] is not None
    history = world["as_cara"].get(f"/comments/{comment}/history")
    assert history.status_code == 200
    items = history.json()["items"]
    assert [(r["author"], r["text"]) for r in items] == [
        ("bob", "second *version*"),
        ("bob", "first version"),
    ]
    assert [r["html"] for r in items] == [
        "<p>second <em>version</em></p>\n",
        "<p>first version</p>\n",
    ]
    assert thread(world["as_cara"])["comments"][0]["text"] == "second *version*"
    # Saving the same text again stores nothing.
    before = counts()
    assert (
        world["as_bob"].patch(f"/comments/{comment}", {"text": "second *version*"}).status_code
        == 200
    )
    assert counts() == before


def test_only_the_author_edits(world):
    comment = post(world["as_bob"], "mine").json()["id"]
    before = counts()
    for client in ("as_cara", "as_ada"):  # ada is the space's steward: still not hers to edit
        response = world[client].patch(f"/comments/{comment}", {"text": "theirs"})
        assert response.status_code == 403, client
        assert response.json()["type"] == "/problems/forbidden"
    from tests.conftest import ApiClient

    assert ApiClient().patch(f"/comments/{comment}", {"text": "theirs"}).status_code == 401
    assert counts() == before
    assert Comment.objects.get(pk=comment).text == "mine"
    assert list(CommentRevision.objects.values_list("text", flat=True)) == ["mine"]


def test_steward_removes_and_the_thread_keeps_its_shape(world):
    comment = post(world["as_bob"], "rude words").json()["id"]
    reply = post(world["as_cara"], "a reply", comment).json()["id"]
    before = counts()
    response = world["as_cara"].delete(f"/comments/{comment}")
    assert response.status_code == 403
    assert counts() == before
    assert Comment.objects.get(pk=comment).is_deleted is False
    response = world["as_ada"].delete(f"/comments/{comment}?reason=off+topic")
    assert response.status_code == 204
    comments = thread(world["as_cara"])["comments"]
    assert [(c["id"], c["author"], c["text"], c["html"], c["is_deleted"]) for c in comments] == [
        (comment, None, "", "", True),
        (reply, "cara", "a reply", "<p>a reply</p>\n", False),
    ]
    assert comments[1]["parent"] == comment and comments[1]["depth"] == 1
    stored = Comment.objects.get(pk=comment)
    assert (stored.text, stored.deleted_by, stored.is_deleted) == ("rude words", world["ada"], True)
    # The text stays in its history, for the people who could have removed it.
    assert world["as_cara"].get(f"/comments/{comment}/history").status_code == 403
    assert [
        r["text"] for r in world["as_bob"].get(f"/comments/{comment}/history").json()["items"]
    ] == ["rude words"]
    # A removed comment takes no edits and no replies; removing it again changes nothing.
    assert world["as_bob"].patch(f"/comments/{comment}", {"text": "sorry"}).status_code == 409
    assert post(world["as_bob"], "more", comment).status_code == 422
    before = counts()
    assert world["as_ada"].delete(f"/comments/{comment}").status_code == 204
    assert counts() == before


def test_the_author_removes_their_own_comment(world):
    comment = post(world["as_bob"], "oops").json()["id"]
    assert world["as_bob"].delete(f"/comments/{comment}").status_code == 204
    assert Comment.objects.get(pk=comment).deleted_by == world["bob"]


def test_comment_html_is_sanitized(world):
    text = (
        "<script>alert(1)</script>\n\n"
        '<img src="x" onerror="alert(2)">\n\n'
        "[click](javascript:alert(3)) "
        '<a href="javascript:alert(4)" onclick="alert(5)">me</a>'
    )
    response = post(world["as_bob"], text)
    assert response.status_code == 201
    html = response.json()["html"]
    assert html == (
        '\n<img src="x">\n<p>[click](javascript:alert(3)) <a rel="nofollow noopener">me</a></p>\n'
    )
    assert "<script" not in html and "onerror" not in html and "onclick" not in html
    assert 'href="javascript' not in html
    assert Comment.objects.get().html == html
    assert thread(world["as_cara"])["comments"][0]["html"] == html


def test_members_only_space_hides_every_route(make_user, make_space, api_as):
    from tests.conftest import ApiClient

    ada, out = make_user("ada"), make_user("out")
    make_space(ada, "inner", visibility="members", participation="members")
    as_ada, as_out = api_as(ada), api_as(out)
    as_ada.put("/spaces/inner/pages/Secret", {"text": "x\n", "base_revision": None})
    url = "/spaces/inner/discussion/Secret"
    comment = post(as_ada, "hidden", url=url).json()["id"]
    assert thread(as_ada, url)["comments"][0]["text"] == "hidden"
    before = counts()
    for client in (as_out, ApiClient()):
        answers = [
            client.get(url),
            client.post(url, {"text": "hi"}),
            client.post(url, {"text": "hi", "parent": comment}),
            client.patch(f"/comments/{comment}", {"text": "hi"}),
            client.delete(f"/comments/{comment}"),
            client.get(f"/comments/{comment}/history"),
            client.get("/spaces/inner/discussion/Nothing_here"),
        ]
        assert [a.status_code for a in answers] == [404] * 7
        assert {a.json()["type"] for a in answers} == {"/problems/not-found"}
    # A comment id that does not exist answers the same.
    assert as_out.get("/comments/999999/history").status_code == 404
    assert counts() == before


def test_events_are_recorded(world):
    page_id = str(thread(world["as_bob"])["target_id"])
    comment = post(world["as_bob"], "hello").json()["id"]
    reply = post(world["as_cara"], "hi bob", comment).json()["id"]
    world["as_bob"].patch(f"/comments/{comment}", {"text": "hello there"})
    world["as_ada"].delete(f"/comments/{reply}?reason=noise")
    events = Event.objects.filter(verb__startswith="comment:").order_by("id")
    assert [(e.verb, e.actor.username, e.target_type, e.target_id) for e in events] == [
        ("comment:posted", "bob", "wiki.page", page_id),
        ("comment:posted", "cara", "wiki.page", page_id),
        ("comment:edited", "bob", "wiki.page", page_id),
        ("comment:deleted", "ada", "wiki.page", page_id),
    ]
    assert all(e.space == world["space"] for e in events)
    common = {"target_type": "wiki.page", "target_id": page_id}
    revision = CommentRevision.objects.filter(comment_id=comment).latest("id").pk
    assert [e.data for e in events] == [
        {**common, "comment": comment, "parent": None, "in_reply_to": None, "length": 5},
        {**common, "comment": reply, "parent": comment, "in_reply_to": comment, "length": 6},
        {**common, "comment": comment, "parent": None, "revision": revision, "old_length": 5,
         "new_length": 11},
        {**common, "comment": reply, "parent": comment, "by_author": False, "reason": "noise"},
    ]  # fmt: skip
    # The space's feed shows them with their labels.
    feed = world["as_cara"].get("/spaces/atlas/recent-changes").json()["items"]
    assert "comment:posted" not in [e["verb"] for e in feed]  # recent changes are page edits
    assert str(events[0].target_repr) == "Main page"


def test_watchers_and_the_replied_to_author_are_notified(world):
    # ada created the page, so she watches it.
    comment = post(world["as_bob"], "hello").json()["id"]
    posted = Event.objects.filter(verb="comment:posted").latest("id")
    assert sorted(
        Notification.objects.filter(event=posted).values_list("user__username", flat=True)
    ) == ["ada"]
    post(world["as_cara"], "hi bob", comment)
    replied = Event.objects.filter(verb="comment:posted").latest("id")
    assert sorted(
        Notification.objects.filter(event=replied).values_list("user__username", flat=True)
    ) == [
        "ada",
        "bob",
    ]
    # The actor is never told of their own comment; edits notify nobody.
    post(world["as_ada"], "my own")
    mine = Event.objects.filter(verb="comment:posted").latest("id")
    assert not Notification.objects.filter(event=mine).exists()
    world["as_bob"].patch(f"/comments/{comment}", {"text": "hello again"})
    assert not Notification.objects.filter(event__verb="comment:edited").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A comment needs some text."),
        ("   \n\t\r\n ", "A comment needs some text."),
        ("x" * 20_001, "A comment may hold at most 20000 characters; this one has 20001."),
    ],
)
def test_blank_and_oversize_text_is_refused(world, text, message):
    comment = post(world["as_bob"], "keep me").json()["id"]
    before = counts()
    response = post(world["as_bob"], text)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "text", "message": message}]
    response = world["as_bob"].patch(f"/comments/{comment}", {"text": text})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "text", "message": message}]
    assert counts() == before
    assert Comment.objects.get(pk=comment).text == "keep me"


def test_the_longest_comment_fits(world):
    text = "y" * 19_999 + "\r\n"  # line ends count once normalized
    response = post(world["as_bob"], text)
    assert response.status_code == 201
    assert len(Comment.objects.get().text) == 20_000


def test_unknown_fields_are_refused(world):
    before = counts()
    response = world["as_bob"].post(URL, {"text": "hi", "author": "ada"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "author"
    assert counts() == before


def test_members_only_participation_limits_posting(make_user, make_space, api_as):
    ada, bob = make_user("ada"), make_user("bob")
    space = make_space(ada, "guild", visibility="public", participation="members")
    as_ada, as_bob = api_as(ada), api_as(bob)
    as_ada.put("/spaces/guild/pages/Plan", {"text": "x\n", "base_revision": None})
    url = "/spaces/guild/discussion/Plan"
    assert thread(as_bob, url)["can_post"] is False
    assert post(as_bob, "let me in", url=url).status_code == 403
    spaces.space_member_add(user=ada, space=space, member=bob)
    assert post(as_bob, "thanks", url=url).status_code == 201


def test_a_deleted_page_takes_no_comments(world):
    comment = post(world["as_bob"], "before").json()["id"]
    world["as_ada"].post("/spaces/atlas/deletions", {"title": "Main page", "reason": "spam"})
    # Readers of the page lose its discussion with it; the steward still sees both.
    assert world["as_bob"].get(URL).status_code == 404
    assert world["as_bob"].get(f"/comments/{comment}/history").status_code == 404
    assert thread(world["as_ada"])["can_post"] is False
    assert post(world["as_ada"], "after").status_code == 403


def test_reading_a_thread_takes_the_same_queries_however_long(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            thread(world["as_cara"])
        return len(captured)

    first = post(world["as_bob"], "one").json()["id"]
    queries()  # the token's first use of the day writes its last_used_at
    few = queries()
    assert few == 7  # token, space, page, comments, tags, the viewer's role, points and grants
    for n in range(8):
        post(world["as_ada"], f"reply {n}", first)
    assert queries() == few
