"""HTTP caching: HEAD wherever GET, validators and 304s, Cache-Control by who may keep an
answer, no cookie on anonymous reading, and the anonymous page cache with its purges."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peerwork.core import pagecache
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page

pytestmark = pytest.mark.django_db

PAGE = "/s/garden/wiki/Seed_bank"


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        ana = make_user("ana", display_name="Ana")
        bea = make_user("bea", display_name="Bea")
        space = make_space(ana, "garden")
        spaces.space_member_add(user=ana, space=space, member=bea, role="member")
        secret = make_space(ana, "vault", visibility="members", participation="members")

    save(World.ana, World.space, "Seed bank", "Seeds are kept in [[Jars]].")
    save(World.ana, World.secret, "Plans", "Members only.")
    return World


def save(user: Any, space: Any, title: str, text: str) -> Any:
    page = Page.objects.filter(space=space, title=title).first()
    return wiki.page_save(
        user=user,
        space=space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def read(path: str = PAGE, **headers: Any) -> Any:
    return Client().get(path, **headers)


# --- HEAD ------------------------------------------------------------------------------------

GET_ROUTES = [
    PAGE,
    "/s/garden/history/Seed_bank",
    "/s/garden/recent-changes",
    "/s/garden/pages/",
    "/s/garden/",
    "/spaces/",
    "/",
    "/s/garden/w/api.php?action=query&prop=revisions&titles=Seed_bank&rvprop=content&format=json",
    "/api/v1/spaces/garden/pages/Seed_bank",
    "/api/v1/spaces/garden/pages",
    "/s/garden/wiki/No_such_page",
]


@pytest.mark.parametrize("path", GET_ROUTES)
def test_head_answers_wherever_get_does_with_gets_headers_and_no_body(
    world: Any, path: str
) -> None:
    got = read(path)
    head = Client().head(path)
    assert head.status_code == got.status_code != 405
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)
    if got.status_code == 200:
        assert head["ETag"] == got["ETag"]


def test_head_on_a_post_only_address_is_still_refused(world: Any) -> None:
    response = Client().head("/s/garden/preview")
    assert response.status_code == 405


# --- validators and Cache-Control ----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        PAGE,
        "/s/garden/history/Seed_bank",
        "/s/garden/recent-changes",
        "/api/v1/spaces/garden/pages/Seed_bank",
        "/s/garden/w/api.php?action=query&list=recentchanges&format=json",
    ],
)
def test_anonymous_reads_are_public_with_validators_and_no_cookie(world: Any, path: str) -> None:
    response = read(path)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    assert not response.cookies, "an anonymous read must not set a cookie"
    etag = response["ETag"]
    assert read(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert read(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_a_kept_page_answers_if_modified_since_with_304(world: Any) -> None:
    first = read()
    assert first.has_header("Last-Modified")
    again = read(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_signed_in_answers_are_private(world: Any) -> None:
    bea = signed_in(world.bea)
    public = bea.get(PAGE)
    assert public["Cache-Control"] == "private, no-cache"
    assert bea.get(PAGE, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304
    ana = signed_in(world.ana)
    assert ana.get("/s/vault/wiki/Plans")["Cache-Control"] == "private, no-store"
    assert ana.get("/watchlist/")["Cache-Control"] == "private, no-store"
    token_read = ana.get("/api/v1/spaces/vault/pages/Plans")
    assert token_read["Cache-Control"] == "private, no-store"


def test_a_members_only_page_is_never_kept_or_public(world: Any) -> None:
    assert read("/s/vault/wiki/Plans").status_code in (403, 404)
    ana = signed_in(world.ana)
    first = ana.get("/s/vault/wiki/Plans")
    assert first.status_code == 200 and "Members only." in first.content.decode()
    assert read("/s/vault/wiki/Plans").status_code in (403, 404)


def test_pages_with_forms_carry_their_token_and_are_not_public(world: Any) -> None:
    login = read("/login/")
    assert "csrftoken" in login.cookies
    assert not login["Cache-Control"].startswith("public")


def test_the_language_switch_of_a_reader_is_a_get_that_only_sets_the_cookie(world: Any) -> None:
    html = read().content.decode()
    assert 'class="language-form"' in html and 'method="get"' in html
    assert "csrfmiddlewaretoken" not in html
    switched = Client().get("/i18n/setlang/", {"language": "es", "next": PAGE})
    assert switched.status_code == 302 and switched["Location"] == PAGE
    assert switched.cookies["django_language"].value == "es"
    away = Client().get("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    unknown = Client().get("/i18n/setlang/", {"language": "xx", "next": PAGE})
    assert "django_language" not in unknown.cookies


# --- the page cache ------------------------------------------------------------------------


def test_a_second_anonymous_read_touches_no_database(world: Any) -> None:
    first = read()
    with CaptureQueriesContext(connection) as queries:
        second = read()
    assert len(queries) == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_kept_pages_are_per_language(world: Any) -> None:
    english = read(HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish = read(HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="en"' in english and 'lang="es"' in spanish
    cookie = Client()
    cookie.cookies["django_language"] = "es"
    assert 'lang="es"' in cookie.get(PAGE).content.decode()


def test_a_signed_in_read_is_never_served_from_the_anonymous_copy(world: Any) -> None:
    read()
    mine = signed_in(world.bea).get(PAGE).content.decode()
    assert "Bea" in mine and 'data-testid="nav-profile"' in mine


def test_the_page_cache_can_be_turned_off(world: Any, settings: Any) -> None:
    settings.PEERWORK_PAGE_CACHE = False
    read()
    with CaptureQueriesContext(connection) as queries:
        read()
    assert len(queries) > 0


def _changes_shown(world: Any, path: str, change: Any, before: str, after: str) -> None:
    """The anonymous copy of `path` shows `before`; after `change()` (committed, as in
    production) the very next anonymous read shows `after`."""
    assert before in read(path).content.decode()
    assert before in read(path).content.decode()  # now from the cache
    change()
    body = read(path).content.decode()
    assert after in body, f"{path} still shows the old version after the change"


def test_purged_by_a_save(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            save(world.bea, world.space, "Seed bank", "Seeds now live in boxes.")

    _changes_shown(world, PAGE, change, "kept in", "live in boxes")


def test_purged_by_a_move(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    page = Page.objects.get(space=world.space, title="Seed bank")

    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            wiki.page_move(user=world.ana, page=page, new_title="Seed library")

    _changes_shown(world, "/s/garden/pages/", change, "Seed bank", "Seed library")


def test_purged_by_a_delete(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    assert read().status_code == 200
    page = Page.objects.get(space=world.space, title="Seed bank")
    with django_capture_on_commit_callbacks(execute=True):
        wiki.page_delete(user=world.ana, page=page, reason="spam")
    assert read().status_code == 404


def test_purged_by_protection(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    page = Page.objects.get(space=world.space, title="Seed bank")
    assert 'class="badge">protected<' not in read().content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        wiki.page_protect(
            user=world.ana, page=page, edit="stewards", move="stewards", expires_at=None, reason="x"
        )
    assert 'class="badge">protected<' in read().content.decode()


def test_purged_when_a_linked_page_is_created(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert 'class="new"' in read().content.decode()

    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            save(world.bea, world.space, "Jars", "Glass jars.")

    body_before = read().content.decode()
    change()
    body = read().content.decode()
    assert body != body_before and 'class="new"' not in body


def test_purged_by_a_category_change(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    save(world.ana, world.space, "Category:Storage", "Ways to store.")
    path = "/s/garden/wiki/Category:Storage"

    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            save(world.bea, world.space, "Seed bank", "Seeds.\n[[Category:Storage]]")

    before = read(path).content.decode()
    assert "Seed bank" not in before
    change()
    assert "Seed bank" in read(path).content.decode()


def test_purged_when_the_space_turns_members_only(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert read().status_code == 200
    assert read().status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        spaces.space_update(
            user=world.ana, space=world.space, visibility="members", participation="members"
        )
    assert read().status_code in (403, 404)
    api = read("/s/garden/w/api.php?action=query&prop=revisions&titles=Seed_bank&format=json")
    assert b"kept in" not in api.content


def test_purged_by_a_licence_change(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            spaces.space_update(user=world.ana, space=world.space, licence="CC0-1.0")

    _changes_shown(world, PAGE, change, "CC BY-SA 4.0", "CC0 1.0")


def test_purged_by_a_change_of_a_persons_name(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from peerwork.accounts import actions as accounts

    def change() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            accounts.user_update_profile(user=world.ana, person=world.ana, display_name="Ana B.")

    _changes_shown(world, "/s/garden/history/Seed_bank", change, "Ana", "Ana B.")


def test_the_purge_that_counts_runs_after_the_commit(world: Any) -> None:
    """A reader between the change and its commit may file the old page: the purge after the
    commit must retire it, so the purge is registered for the commit, not only done now."""
    generations = pagecache._cache().get_many(["gen:s:garden"])
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        save(world.bea, world.space, "Seed bank", "Again.")
    assert callbacks, "no purge was registered to run after the commit"
    after_now = pagecache._cache().get_many(["gen:s:garden"])
    assert after_now != generations
    for callback in callbacks:
        callback()
    assert pagecache._cache().get_many(["gen:s:garden"]) != after_now


def test_mediawiki_api_reads_that_depend_on_the_caller_are_not_kept(world: Any) -> None:
    path = "/s/garden/w/api.php?action=query&meta=userinfo&format=json"
    read(path, REMOTE_ADDR="10.0.0.1")
    other = read(path, REMOTE_ADDR="10.0.0.2").json()
    assert other["query"]["userinfo"]["name"] == "10.0.0.2"
    kept = "/s/garden/w/api.php?action=query&prop=revisions&titles=Seed_bank&format=json"
    read(kept)
    with CaptureQueriesContext(connection) as queries:
        read(kept)
    assert len(queries) == 0
