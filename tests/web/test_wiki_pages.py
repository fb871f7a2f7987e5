"""The wiki pages through the Django test client: what a person sees, with exact answers."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from peerwork.accounts.models import User
from peerwork.activity.models import Watch
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.rendering import page_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any, client_as: Any) -> Any:
    class World:
        ana = make_user("ana", display_name="Ana")
        bea = make_user("bea", display_name="Bea")
        space = make_space(ana, "garden")
        spaces.space_member_add(user=ana, space=space, member=bea, role="member")
        ana_client = client_as(ana)
        bea_client = client_as(bea)

    return World


def _save(user: User, space: Any, title: str, text: str, **extra: Any) -> actions.SaveResult:
    current = Page.objects.filter(space=space, title=title).first()
    base = current.current_revision_id if current else None
    return actions.page_save(
        user=user, space=space, title=title, text=text, base_revision_id=base, **extra
    )


def _text(response: Any) -> str:
    return response.content.decode()


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_page_url_is_what_rendering_makes() -> None:
    assert reverse("wiki:page", args=["garden", "Main_page"]) == page_url("garden", 0, "Main page")
    assert reverse("wiki:page", args=["garden", "Category:Maps_of/old"]) == page_url(
        "garden", 14, "Maps of/old"
    )
    assert reverse("wiki:main", args=["garden"]) == "/s/garden/wiki/"


def test_wiki_home_redirects_to_the_main_page(world: Any) -> None:
    response = Client().get("/s/garden/wiki/")
    assert response.status_code == 302
    assert response["Location"] == "/s/garden/wiki/Main_page"


def test_create_a_page_through_the_edit_form_and_view_it(world: Any) -> None:
    client = world.ana_client
    form = client.get("/s/garden/edit/Seed_bank")
    assert form.status_code == 200
    assert 'name="base_revision"' in _text(form)
    assert re.search(r'name="base_revision"[^>]*>', _text(form)).group(0).count("value=") == 0

    saved = client.post(
        "/s/garden/edit/Seed_bank",
        {"text": "Seeds are **kept** here.\r\n\r\n[[Category:Stores]]\r\n", "summary": "start"},
        follow=True,
    )

    assert saved.redirect_chain == [("/s/garden/wiki/Seed_bank", 302)]
    assert _messages(saved) == ["Saved."]
    page = Page.objects.get(space=world.space, title="Seed bank")
    revision = page.current_revision
    assert revision.content.text == "Seeds are **kept** here.\n\n[[Category:Stores]]\n"
    assert (revision.summary, revision.author) == ("start", world.ana)
    body = _text(saved)
    assert "<p>Seeds are <strong>kept</strong> here.</p>" in body
    assert '<h1 id="page-title">Seed bank</h1>' in body
    assert '<a href="/s/garden/category/Stores">Stores</a>' in body
    assert '<a href="/s/garden/wiki/Talk:Seed_bank">Talk page</a>' in body
    assert 'href="/s/garden/history/Seed_bank"' in body
    assert "Last edited at" in body and 'href="/people/ana/">Ana</a>' in body

    category = Client().get("/s/garden/category/Stores")
    assert '<li><a href="/s/garden/wiki/Seed_bank">Seed bank</a></li>' in _text(category)


def test_missing_page_is_404_with_a_create_link_for_those_who_may(world: Any) -> None:
    anonymous = Client().get("/s/garden/wiki/Nothing_here")
    assert anonymous.status_code == 404
    assert "There is no page called “Nothing here” yet." in _text(anonymous)
    assert "Create it" not in _text(anonymous)
    signed_in = world.bea_client.get("/s/garden/wiki/Nothing_here")
    assert signed_in.status_code == 404
    assert '<a class="button" href="/s/garden/edit/Nothing_here">Create it</a>' in _text(signed_in)


def test_stale_edit_of_the_same_line_is_a_409_conflict_keeping_the_typed_text(world: Any) -> None:
    first = _save(world.ana, world.space, "Plan", "one\ntwo\nthree\n")
    _save(world.ana, world.space, "Plan", "one\nTWO by ana\nthree\n")
    typed = "one\ntwo <by> bea & co\nthree\n"

    response = world.bea_client.post(
        "/s/garden/edit/Plan",
        {
            "text": typed.replace("\n", "\r\n"),
            "base_revision": first.revision.pk,
            "summary": "mine",
        },
    )

    assert response.status_code == 409
    body = _text(response)
    current = Page.objects.get(title="Plan").current_revision
    # The box to save holds the current text; their own text is kept below it, never markers.
    yours = (
        '<textarea id="yours" name="yours" form="edit-form" readonly rows="14" class="code" '
        'data-testid="yours" aria-describedby="yours-help">'
    )
    assert f"{yours}\n{html.escape(typed)}</textarea>" in body
    assert f">\n{html.escape(current.content.text)}</textarea>" in body
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt;" not in body
    assert f'name="base_revision" value="{current.pk}"' in body
    assert "after you started editing, and changed the same part of it." in body
    # The diff between the current text and theirs.
    assert (
        '<td class="text new"><span class="visually-hidden">added: </span>'
        "two &lt;by&gt; bea &amp; co</td>"
    ) in body
    assert (
        '<td class="text old"><span class="visually-hidden">removed: </span>TWO by ana</td>'
    ) in body
    assert current.content.text == "one\nTWO by ana\nthree\n"  # nothing saved
    assert Revision.objects.filter(page__title="Plan").count() == 2


def test_disjoint_stale_edit_merges(world: Any) -> None:
    first = _save(world.ana, world.space, "Plan", "one\ntwo\nthree\nfour\n")
    _save(world.ana, world.space, "Plan", "ONE\ntwo\nthree\nfour\n")

    response = world.bea_client.post(
        "/s/garden/edit/Plan",
        {"text": "one\ntwo\nthree\nFOUR\n", "base_revision": first.revision.pk},
        follow=True,
    )

    assert _messages(response) == ["Saved; your changes were merged with an edit made meanwhile."]
    page = Page.objects.get(title="Plan")
    assert page.current_revision.content.text == "ONE\ntwo\nthree\nFOUR\n"


def test_unchanged_save_and_preview(world: Any) -> None:
    result = _save(world.ana, world.space, "Plan", "same\n")
    response = world.ana_client.post(
        "/s/garden/edit/Plan", {"text": "same\n", "base_revision": result.revision.pk}, follow=True
    )
    assert _messages(response) == ["No change: the text is the same as the current one."]

    preview = world.ana_client.post(
        "/s/garden/preview", {"title": "Plan", "text": "*hi* [[Plan]] [[Nowhere]]"}
    )
    assert preview.status_code == 200
    assert _text(preview).strip() == (
        '<div class="wiki-content"><p><em>hi</em> <a href="/s/garden/wiki/Plan" class="wikilink" '
        'rel="nofollow noopener">Plan</a> <a href="/s/garden/wiki/Nowhere" class="new" '
        'title="Nowhere (page does not exist)" rel="nofollow noopener">Nowhere</a></p>\n</div>'
    )
    no_js = world.ana_client.post(
        "/s/garden/edit/Plan",
        {"text": "*draft*", "base_revision": result.revision.pk, "preview": "1"},
    )
    assert no_js.status_code == 200
    assert '<div class="wiki-content"><p><em>draft</em></p>\n</div>' in _text(no_js)
    assert ">\n*draft*</textarea>" in _text(no_js)
    assert Revision.objects.filter(page__title="Plan").count() == 1


def test_title_errors(world: Any) -> None:
    # A title no page can have is not an address at all.
    assert world.ana_client.post("/s/garden/edit/a%7Cb", {"text": "x"}).status_code == 404
    # Re-creating a deleted page is refused next to the form, keeping the text.
    _save(world.ana, world.space, "Gone", "x\n")
    actions.page_delete(user=world.ana, page=Page.objects.get(title="Gone"), reason="spam")
    response = world.bea_client.post("/s/garden/edit/Gone", {"text": "again"})
    assert response.status_code == 409
    body = _text(response)
    assert (
        '<div class="form-errors" role="alert"><ul class="errorlist nonfield"><li>A page called '
        "&#x27;Gone&#x27; was deleted; ask a steward to restore it or choose another title."
        "</li></ul></div>"
    ) in body
    assert ">\nagain</textarea>" in body


def test_history_lists_revisions_newest_first_and_paginates(world: Any) -> None:
    ids = [
        _save(world.ana, world.space, "Log", f"line {n}\n", summary=f"edit {n}").revision.pk
        for n in range(55)
    ]
    first = world.ana_client.get("/s/garden/history/Log")
    body = _text(first)
    shown = [int(x) for x in re.findall(r'id="revision-(\d+)"', body)]
    assert shown == list(reversed(ids))[:50]
    assert f'href="?before={ids[5]}"' in body
    assert "(edit 54)" in body and "undo" in body and "restore this version" in body
    second = world.ana_client.get(f"/s/garden/history/Log?before={ids[5]}")
    assert [int(x) for x in re.findall(r'id="revision-(\d+)"', _text(second))] == list(
        reversed(ids[:5])
    )
    assert 'rel="next"' not in _text(second)


@pytest.mark.parametrize(
    ("language", "before", "after", "expected"),
    [
        ("en", "a\n", "a\nb\n", "1 line added, 0 lines removed."),
        ("en", "a\nb\nc\n", "x\n", "1 line added, 3 lines removed."),
        ("es", "a\n", "a\nb\n", "1 línea añadida, 0 líneas quitadas."),
        ("es", "a\nb\nc\n", "x\n", "1 línea añadida, 3 líneas quitadas."),
    ],
)
def test_diff_counts_lines_in_the_readers_grammar(
    world: Any, language: str, before: str, after: str, expected: str
) -> None:
    old = _save(world.ana, world.space, "Count", before).revision
    new = _save(world.ana, world.space, "Count", after).revision
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(
        f"/s/garden/diff?from={old.pk}&to={new.pk}"
    )
    stats = re.search(r'<p class="diff-stats muted">(.*?)\s*<a', _text(response), re.S)
    assert stats is not None
    assert " ".join(stats.group(1).split()) == expected


def test_diff_highlights_the_changed_word(world: Any) -> None:
    old = _save(world.ana, world.space, "Log", "The quick fox\nstays\n").revision
    new = _save(world.bea, world.space, "Log", "The slow fox\nstays\n", summary="slower").revision

    response = Client().get(f"/s/garden/diff?from={old.pk}&to={new.pk}")

    body = _text(response)
    assert response.status_code == 200
    assert "The <del>quick</del> fox" in body
    assert "The <ins>slow</ins> fox" in body
    assert "(slower)" in body and 'href="/people/bea/">Bea</a>' in body
    inline = _text(Client().get(f"/s/garden/diff?from={old.pk}&to={new.pk}&view=inline"))
    assert 'class="diff diff-inline"' in inline and "The <ins>slow</ins> fox" in inline


def test_undo_restore_rollback_and_review(world: Any) -> None:
    one = _save(world.ana, world.space, "Log", "a\nb\nc\n").revision
    two = _save(world.bea, world.space, "Log", "a\nB\nc\n").revision
    page = Page.objects.get(title="Log")

    # Undo and restore propose the text; the edit form saves it, naming what it reverts.
    proposed = world.ana_client.get(f"/s/garden/revisions/{two.pk}/undo")
    assert f'name="undid" value="{two.pk}"' in _text(proposed)
    undone = world.ana_client.post(
        "/s/garden/edit/Log",
        {
            "text": "a\nb\nc\n",
            "base_revision": two.pk,
            "summary": f"Undo revision {two.pk} by bea",
            "undid": two.pk,
        },
        follow=True,
    )
    assert _messages(undone) == ["Saved."]
    page.refresh_from_db()
    assert page.current_revision.content.text == "a\nb\nc\n"
    assert page.current_revision.summary == f"Undo revision {two.pk} by bea"

    restored = world.ana_client.post(
        "/s/garden/edit/Log",
        {
            "text": "a\nB\nc\n",
            "base_revision": page.current_revision_id,
            "restored": two.pk,
        },
        follow=True,
    )
    assert _messages(restored) == ["Saved."]
    page.refresh_from_db()
    assert page.current_revision.content.text == "a\nB\nc\n"

    _save(world.bea, world.space, "Log", "a\nB\nc\nd\n")
    rolled = world.ana_client.post("/s/garden/rollback/Log", {"confirmed": "yes"}, follow=True)
    assert _messages(rolled) == ["Rolled back."]
    page.refresh_from_db()
    assert page.current_revision.content.text == "a\nB\nc\n"

    denied = world.bea_client.post("/s/garden/rollback/Log")
    assert denied.status_code == 403

    # A non-member's edit is unreviewed; a steward marks it reviewed.
    outsider = User.objects.create_user(username="olga", password="x" * 20)
    unreviewed = _save(outsider, world.space, "Log", "a\nB\nc\ne\n").revision
    assert not unreviewed.is_reviewed
    history = _text(world.ana_client.get("/s/garden/history/Log"))
    assert f'form="review-{unreviewed.pk}"' in history
    assert 'class="badge badge-unreviewed">unreviewed' in history
    assert world.bea_client.post(f"/s/garden/revisions/{unreviewed.pk}/review").status_code == 403
    reviewed = world.ana_client.post(f"/s/garden/revisions/{unreviewed.pk}/review", follow=True)
    assert _messages(reviewed) == ["Marked as reviewed."]
    unreviewed.refresh_from_db()
    assert (unreviewed.is_reviewed, unreviewed.reviewed_by) == (True, world.ana)
    assert one.pk  # the first revision stays in history


def test_undo_that_conflicts_offers_editing_by_hand(world: Any) -> None:
    _save(world.ana, world.space, "Log", "a\nb\nc\n")
    two = _save(world.ana, world.space, "Log", "a\nB\nc\n").revision
    _save(world.ana, world.space, "Log", "a\nBB\nc\n")
    response = world.ana_client.post(f"/s/garden/revisions/{two.pk}/undo")
    assert response.status_code == 409
    body = _text(response)
    assert f"Later edits changed the same part as revision {two.pk}" in body
    assert 'href="/s/garden/edit/Log">Edit the page by hand</a>' in body


def test_move_leaves_a_redirect_that_is_followed(world: Any) -> None:
    _save(world.ana, world.space, "Old name", "Hello\n")
    form = world.ana_client.get("/s/garden/move/Old_name")
    assert form.status_code == 200
    moved = world.ana_client.post(
        "/s/garden/move/Old_name",
        {"new_title": "New name", "reason": "better", "leave_redirect": "on"},
        follow=True,
    )
    assert moved.redirect_chain == [("/s/garden/wiki/New_name", 302)]
    assert _messages(moved) == ["The page is moved to New name."]

    followed = _text(Client().get("/s/garden/wiki/Old_name"))
    assert '(Redirected from <a href="?redirect=no" data-from>Old name</a>)' in followed
    assert "<p>Hello</p>" in followed
    itself = _text(Client().get("/s/garden/wiki/Old_name?redirect=no"))
    assert "Redirect to" in itself and '<a href="/s/garden/wiki/New_name">New name</a>' in itself

    taken = world.ana_client.post("/s/garden/move/New_name", {"new_title": "Old name"})
    assert taken.status_code == 409
    assert "A page called &#x27;Old name&#x27; already exists" in _text(taken)


def test_delete_hides_from_outsiders_and_restore_brings_back(world: Any) -> None:
    _save(world.ana, world.space, "Secret", "x\n")
    assert world.bea_client.get("/s/garden/delete/Secret").status_code == 403
    missing_reason = world.ana_client.post("/s/garden/delete/Secret", {"reason": ""})
    assert missing_reason.status_code == 400
    deleted = world.ana_client.post("/s/garden/delete/Secret", {"reason": "spam"}, follow=True)
    assert _messages(deleted) == ["The page is deleted."]
    assert "This page is deleted." in _text(deleted)
    for client in (Client(), world.bea_client):
        assert client.get("/s/garden/wiki/Secret").status_code == 404
        assert client.get("/s/garden/history/Secret").status_code == 404
    restored = world.ana_client.post("/s/garden/delete/Secret", {"reason": "fine"}, follow=True)
    assert _messages(restored) == ["The page is restored."]
    assert Client().get("/s/garden/wiki/Secret").status_code == 200


def test_watch_and_unwatch(world: Any) -> None:
    _save(world.ana, world.space, "Log", "x\n")
    page = Page.objects.get(title="Log")
    world.bea_client.post("/s/garden/watch/Log", {"watch": "1"})
    assert Watch.objects.filter(user=world.bea, page=page).exists()
    _save(world.ana, world.space, "Log", "y\n", summary="for the watchers")
    watchlist = _text(world.bea_client.get("/watchlist/"))
    assert "(for the watchers)" in watchlist
    notifications = _text(world.bea_client.get("/notifications/"))
    assert '<li class="entry unread"' in notifications and "(for the watchers)" in notifications
    world.bea_client.post("/s/garden/watch/Log", {"watch": "0"})
    assert not Watch.objects.filter(user=world.bea, page=page).exists()
    assert Client().get("/watchlist/")["Location"].startswith("/login/")


def test_protect_with_an_expiry_in_the_viewers_time_zone(world: Any) -> None:
    _save(world.ana, world.space, "Log", "x\n")
    User.objects.filter(pk=world.ana.pk).update(time_zone="Europe/Madrid")
    response = world.ana_client.post(
        "/s/garden/protect/Log",
        {"edit": "members", "move": "stewards", "expires_at": "2999-01-01T12:00", "reason": "r"},
        follow=True,
    )
    assert _messages(response) == ["The protection is saved."]
    page = Page.objects.get(title="Log")
    assert (page.edit_protection, page.move_protection) == ("members", "stewards")
    assert page.protection_expires_at.isoformat() == "2999-01-01T11:00:00+00:00"
    past = world.ana_client.post(
        "/s/garden/protect/Log",
        {"edit": "members", "move": "stewards", "expires_at": "2001-01-01T12:00"},
    )
    assert past.status_code == 422


def test_recent_changes_filters_and_polling(world: Any) -> None:
    _save(world.ana, world.space, "Alpha", "a\n", summary="by ana")
    _save(world.bea, world.space, "Talk:Alpha", "b\n", summary="by bea", minor=False)
    _save(world.ana, world.space, "Alpha", "a2\n", summary="small", minor=True)
    client = Client()

    every = _text(client.get("/s/garden/recent-changes"))
    assert every.index("(small)") < every.index("(by bea)") < every.index("(by ana)")
    by_bea = _text(client.get("/s/garden/recent-changes?person=bea"))
    assert "(by bea)" in by_bea and "(by ana)" not in by_bea
    talk = _text(client.get("/s/garden/recent-changes?namespace=1"))
    assert "(by bea)" in talk and "(small)" not in talk
    no_minor = _text(client.get("/s/garden/recent-changes?minor=hide"))
    assert "(small)" not in no_minor and "(by ana)" in no_minor
    only_minor = _text(client.get("/s/garden/recent-changes?minor=only"))
    assert "(small)" in only_minor and "(by ana)" not in only_minor
    nobody = client.get("/s/garden/recent-changes?person=nobody")
    assert nobody.status_code == 422
    assert "There is no person called &#x27;nobody&#x27;." in _text(nobody)
    assert 'hx-trigger="sse:activity"' in every

    newest = int(re.findall(r'id="event-(\d+)"', every)[0])
    nothing = client.get(f"/s/garden/recent-changes?after={newest}", HTTP_HX_REQUEST="true")
    assert _text(nothing).strip() == ""
    _save(world.bea, world.space, "Beta", "new\n", summary="arrived")
    newer = _text(client.get(f"/s/garden/recent-changes?after={newest}", HTTP_HX_REQUEST="true"))
    assert "(arrived)" in newer and "(small)" not in newer and 'hx-swap-oob="true"' in newer
    assert "(arrived)" in _text(client.get("/recent-changes/"))


def test_recent_changes_until_the_last_day_of_the_calendar(world: Any) -> None:
    _save(world.ana, world.space, "Alpha", "a\n", summary="by ana")
    response = Client().get("/s/garden/recent-changes?since=0001-01-01&until=9999-12-31")
    assert response.status_code == 200 and "(by ana)" in _text(response)


def test_lists_of_pages(world: Any) -> None:
    _save(world.ana, world.space, "Alpha", "[[Beta]] [[Gamma]]\n")
    _save(world.ana, world.space, "Delta", "[[Gamma]]\n")
    client = Client()
    pages = _text(client.get("/s/garden/pages/"))
    assert '<a href="/s/garden/wiki/Alpha">Alpha</a>' in pages
    wanted = _text(client.get("/s/garden/wanted/"))
    assert wanted.index("Gamma") < wanted.index("Beta")
    here = _text(client.get("/s/garden/links-here/Gamma"))
    assert '<li><a href="/s/garden/wiki/Alpha">Alpha</a></li>' in here
    assert '<li><a href="/s/garden/wiki/Delta">Delta</a></li>' in here
    edits = _text(client.get("/people/ana/edits/"))
    assert '<a href="/s/garden/wiki/Delta" class="page-link">Delta</a>' in edits


def test_old_revision_notice(world: Any) -> None:
    one = _save(world.ana, world.space, "Log", "first\n").revision
    _save(world.ana, world.space, "Log", "second\n")
    body = _text(Client().get(f"/s/garden/wiki/Log?oldid={one.pk}"))
    assert "This is an old revision of this page, as edited by ana" in body
    assert "<p>first</p>" in body and '<a href="/s/garden/wiki/Log">current revision</a>' in body


def test_members_only_wiki_is_404_for_outsiders_and_anonymous_on_every_route(
    make_user: Any, make_space: Any, client_as: Any
) -> None:
    ana = make_user("ana")
    make_user("olga")
    space = make_space(ana, "back-room", visibility="members", participation="members")
    revision = _save(ana, space, "Plans", "secret\n").revision
    olga = client_as(User.objects.get(username="olga"))
    get_paths = [
        "/s/back-room/wiki/",
        "/s/back-room/wiki/Plans",
        "/s/back-room/wiki/Missing",
        "/s/back-room/edit/Plans",
        "/s/back-room/history/Plans",
        f"/s/back-room/diff?from={revision.pk}&to={revision.pk}",
        "/s/back-room/move/Plans",
        "/s/back-room/delete/Plans",
        "/s/back-room/protect/Plans",
        "/s/back-room/recent-changes",
        "/s/back-room/pages/",
        "/s/back-room/wanted/",
        "/s/back-room/links-here/Plans",
        "/s/back-room/category/Things",
    ]
    post_paths = [
        "/s/back-room/edit/Plans",
        "/s/back-room/preview",
        f"/s/back-room/revisions/{revision.pk}/undo",
        f"/s/back-room/revisions/{revision.pk}/restore",
        f"/s/back-room/revisions/{revision.pk}/review",
        "/s/back-room/rollback/Plans",
        "/s/back-room/watch/Plans",
        "/s/back-room/move/Plans",
        "/s/back-room/delete/Plans",
        "/s/back-room/protect/Plans",
    ]
    for client in (Client(), olga):
        for path in get_paths:
            assert client.get(path).status_code == 404, path
        for path in post_paths:
            assert client.post(path, {"text": "x", "title": "Plans"}).status_code == 404, path
        assert "Plans" not in _text(client.get("/recent-changes/"))
        assert "Plans" not in _text(client.get("/people/ana/edits/"))
    assert Page.objects.get(title="Plans").current_revision_id == revision.pk


SECTIONED = "Intro.\n\n## Alpha\nalpha one\nalpha two\n\n## Beta\nbeta one\n"


def test_rendered_headings_have_section_edit_links_for_editors_only(world: Any) -> None:
    _save(world.ana, world.space, "Doc", SECTIONED + "\n> ## quoted\n\n```\n## code\n```\n")
    body = _text(world.bea_client.get("/s/garden/wiki/Doc"))
    assert (
        '<h2 id="alpha">Alpha <span class="section-edit muted" data-section="1">[<a '
        'href="/s/garden/edit/Doc?section=1" aria-label="Edit section: Alpha" '
        'title="Edit section: Alpha">edit</a>]</span></h2>'
    ) in body
    assert 'href="/s/garden/edit/Doc?section=2"' in body
    assert body.count('class="section-edit') == 2  # not the quoted heading, not the code
    assert 'id="quoted"' in body
    anonymous = _text(Client().get("/s/garden/wiki/Doc"))
    assert '<h2 id="alpha">Alpha</h2>' in anonymous and "section-edit" not in anonymous
    old = Page.objects.get(title="Doc").current_revision
    _save(world.ana, world.space, "Doc", SECTIONED + "more\n")
    assert "section-edit" not in _text(world.bea_client.get(f"/s/garden/wiki/Doc?oldid={old.pk}"))


def test_wikitext_headings_have_section_edit_links(world: Any) -> None:
    _save(world.ana, world.space, "Wt", "lead\n== First ==\none\n== Second ==\ntwo\n")
    Revision.objects.filter(page__title="Wt").update(content_model="wikitext")
    body = _text(world.bea_client.get("/s/garden/wiki/Wt"))
    assert '<h2 id="First">First <span class="section-edit muted" data-section="1">' in body
    assert 'href="/s/garden/edit/Wt?section=2"' in body


def test_edit_one_section_through_the_form(world: Any) -> None:
    first = _save(world.ana, world.space, "Doc", SECTIONED)
    form = world.bea_client.get("/s/garden/edit/Doc?section=1")
    assert form.status_code == 200
    body = _text(form)
    assert ">\n## Alpha\nalpha one\nalpha two\n\n</textarea>" in body
    assert 'name="section" value="1"' in body
    assert 'name="summary" value="/* Alpha */ "' in body
    assert "You are editing the section “Alpha”" in body
    assert world.bea_client.get("/s/garden/edit/Doc?section=3").status_code == 404
    assert world.bea_client.get("/s/garden/edit/Doc?section=x").status_code == 404

    saved = world.bea_client.post(
        "/s/garden/edit/Doc",
        {
            "text": "## Alpha\r\nalpha ONE\r\n",
            "base_revision": first.revision.pk,
            "section": "1",
            "summary": "/* Alpha */ shorter",
        },
    )
    assert saved.status_code == 302
    assert saved["Location"] == "/s/garden/wiki/Doc#alpha"
    current = Page.objects.get(title="Doc").current_revision
    assert current.content.text == "Intro.\n\n## Alpha\nalpha ONE\n\n## Beta\nbeta one\n"
    assert current.summary == "/* Alpha */ shorter"


def test_section_edit_on_a_stale_base_merges(world: Any) -> None:
    first = _save(world.ana, world.space, "Doc", SECTIONED)
    _save(world.ana, world.space, "Doc", SECTIONED.replace("beta one", "beta by ana"))
    saved = world.bea_client.post(
        "/s/garden/edit/Doc",
        {"text": "## Alpha\nalpha by bea\n", "base_revision": first.revision.pk, "section": "1"},
        follow=True,
    )
    assert _messages(saved) == ["Saved; your changes were merged with an edit made meanwhile."]
    current = Page.objects.get(title="Doc").current_revision
    assert current.content.text == "Intro.\n\n## Alpha\nalpha by bea\n\n## Beta\nbeta by ana\n"


def test_section_edit_conflict_keeps_what_was_typed(world: Any) -> None:
    first = _save(world.ana, world.space, "Doc", SECTIONED)
    _save(world.ana, world.space, "Doc", SECTIONED.replace("alpha two", "alpha by ana"))
    typed = "## Alpha\nalpha one\nalpha <by> bea\n"
    response = world.bea_client.post(
        "/s/garden/edit/Doc",
        {"text": typed, "base_revision": first.revision.pk, "section": "1", "summary": "s"},
    )
    assert response.status_code == 409
    body = _text(response)
    current = Page.objects.get(title="Doc").current_revision
    assert current.content.text == SECTIONED.replace("alpha two", "alpha by ana")
    assert (
        '<textarea id="typed-section" readonly rows="10" class="code" '
        f'data-testid="typed-section">\n{html.escape(typed)}</textarea>'
    ) in body
    # The form now edits the whole page, from the current text, on the current base.
    assert f'name="base_revision" value="{current.pk}"' in body
    assert (
        re.search(r'<input type="hidden" name="section"[^>]*>', body).group(0).count("value=") == 0
    )
    assert f">\n{html.escape(current.content.text)}</textarea>" in body
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt;" not in body
    assert Revision.objects.filter(page__title="Doc").count() == 2


def test_section_save_of_a_section_that_is_gone_is_refused(world: Any) -> None:
    first = _save(world.ana, world.space, "Doc", SECTIONED)
    response = world.bea_client.post(
        "/s/garden/edit/Doc",
        {"text": "## Gamma\n", "base_revision": first.revision.pk, "section": "5"},
    )
    assert response.status_code == 422
    assert "There is no section 5: this text has sections 0 to 2." in _text(response)
    assert Revision.objects.filter(page__title="Doc").count() == 1
