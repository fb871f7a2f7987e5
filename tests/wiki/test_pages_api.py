"""The knowledge commons through the REST API: no edit is ever lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from peerwork.wiki import actions
from peerwork.wiki.models import Content, Page, Revision
from tests.conftest import ApiClient


@pytest.fixture
def world(make_user, make_space, api_as):
    ada, bob = make_user("ada"), make_user("bob")
    space = make_space(ada, "atlas")
    return {"ada": ada, "bob": bob, "space": space, "as_ada": api_as(ada), "as_bob": api_as(bob)}


def save(client, title, text, base, **extra):
    return client.put(
        f"/spaces/atlas/pages/{title}", {"text": text, "base_revision": base, **extra}
    )


def test_create_view_and_edit(world):
    response = save(world["as_ada"], "Main_page", "Hello [[World]]\n", None, summary="start")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "created"
    first = body["page"]["revision"]
    assert body["page"]["title"] == "Main page"
    assert first["size"] == 16 and first["size_delta"] == 16 and first["parent"] is None
    assert 'class="new"' in first["html"] and "World (page does not exist)" in first["html"]
    response = save(world["as_bob"], "Main page", "Hello [[World]]!\n", first["id"])
    assert response.status_code == 200
    second = response.json()["page"]["revision"]
    assert second["parent"] == first["id"] and second["size_delta"] == 1
    assert second["author"] == "bob"
    got = world["as_bob"].get("/spaces/atlas/pages/main_page").json()
    assert got["revision"]["id"] == second["id"] and got["revision"]["text"] == "Hello [[World]]!\n"


def test_sha1_is_of_the_text(world):
    import hashlib

    body = save(world["as_ada"], "A", "text\n", None).json()
    assert body["page"]["revision"]["sha1"] == hashlib.sha1(b"text\n").hexdigest()


def test_null_edit_stores_nothing(world):
    first = save(world["as_ada"], "A", "same\n", None).json()["page"]["revision"]["id"]
    response = save(world["as_ada"], "A", "same\r\n", first)
    assert response.json()["status"] == "unchanged"
    assert Revision.objects.count() == 1


def test_disjoint_edits_merge(world):
    base = save(world["as_ada"], "A", "one\ntwo\nthree\nfour\nfive\n", None).json()
    base_id = base["page"]["revision"]["id"]
    save(world["as_ada"], "A", "ONE\ntwo\nthree\nfour\nfive\n", base_id)
    response = save(world["as_bob"], "A", "one\ntwo\nthree\nfour\nFIVE\n", base_id)
    assert response.status_code == 200
    assert response.json()["status"] == "merged"
    assert response.json()["page"]["revision"]["text"] == "ONE\ntwo\nthree\nfour\nFIVE\n"


def test_overlapping_edits_conflict_and_keep_both_texts(world):
    base_id = save(world["as_ada"], "A", "one\ntwo\nthree\n", None).json()["page"]["revision"]["id"]
    ada_edit = save(world["as_ada"], "A", "one\nTWO by ada\nthree\n", base_id).json()
    count = Revision.objects.count()
    response = save(world["as_bob"], "A", "one\n2 by bob\nthree\n", base_id)
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "/problems/edit-conflict"
    assert body["yours"] == "one\n2 by bob\nthree\n"
    assert body["current"] == "one\nTWO by ada\nthree\n"
    assert body["current_revision"] == ada_edit["page"]["revision"]["id"]
    assert (
        "<<<<<<<" in body["merged"]
        and "TWO by ada" in body["merged"]
        and "2 by bob" in body["merged"]
    )
    assert Revision.objects.count() == count
    # Resolving against the current revision saves.
    response = save(
        world["as_bob"], "A", "one\nTWO by ada and bob\nthree\n", body["current_revision"]
    )
    assert response.json()["status"] == "saved"


def test_creating_a_page_someone_just_created_is_a_merge_or_conflict(world):
    save(world["as_ada"], "A", "ada's start\n", None)
    response = save(world["as_bob"], "A", "bob's start\n", None)
    assert response.status_code == 409
    assert response.json()["yours"] == "bob's start\n"


def test_bad_titles_and_base(world):
    response = save(world["as_ada"], "A[b]", "x", None)
    assert response.status_code == 422
    assert "'['" in response.json()["detail"]
    save(world["as_ada"], "A", "x\n", None)
    response = save(world["as_ada"], "A", "y\n", 999999)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "base_revision"
    response = world["as_ada"].put("/spaces/atlas/pages/A", {"text": "y"})
    assert response.status_code == 422


def test_content_is_stored_once(world):
    r1 = save(world["as_ada"], "A", "v1\n", None).json()["page"]["revision"]["id"]
    r2 = save(world["as_ada"], "A", "v2\n", r1).json()["page"]["revision"]["id"]
    response = world["as_ada"].post(f"/spaces/atlas/revisions/{r1}/restore", {})
    assert response.json()["status"] == "saved"
    assert Content.objects.count() == 2
    assert Revision.objects.count() == 3
    assert r2 != response.json()["page"]["revision"]["id"]


def test_history_diff_and_old_revision(world):
    ids = []
    base = None
    for n in range(5):
        body = save(world["as_ada"], "A", f"line one\nversion {n} here\nline three\n", base).json()
        base = body["page"]["revision"]["id"]
        ids.append(base)
    page1 = world["as_bob"].get("/spaces/atlas/history/A?limit=2").json()
    assert [r["id"] for r in page1["items"]] == ids[::-1][:2]
    page2 = (
        world["as_bob"].get(f"/spaces/atlas/history/A?limit=2&cursor={page1['next_cursor']}").json()
    )
    assert [r["id"] for r in page2["items"]] == ids[::-1][2:4]
    diff = world["as_bob"].get(f"/spaces/atlas/diff?from={ids[0]}&to={ids[3]}").json()
    assert (diff["added"], diff["removed"]) == (1, 1)
    changed = [
        line for hunk in diff["hunks"] for line in hunk["lines"] if line["kind"] == "changed"
    ]
    assert len(changed) == 1
    assert [s["text"] for s in changed[0]["new"] if s["changed"]] == ["3"]
    old = world["as_bob"].get(f"/spaces/atlas/revisions/{ids[1]}").json()
    assert old["text"] == "line one\nversion 1 here\nline three\n"


def test_undo_keeps_later_edits_and_conflicts_when_it_must(world):
    r1 = save(world["as_ada"], "A", "a\nb\nc\nd\ne\nf\n", None).json()["page"]["revision"]["id"]
    r2 = save(world["as_ada"], "A", "a\nB\nc\nd\ne\nf\n", r1).json()["page"]["revision"]["id"]
    r3 = save(world["as_bob"], "A", "a\nB\nc\nd\ne\nF\n", r2).json()["page"]["revision"]["id"]
    response = world["as_bob"].post(f"/spaces/atlas/revisions/{r2}/undo", {})
    assert response.status_code == 200
    assert response.json()["page"]["revision"]["text"] == "a\nb\nc\nd\ne\nF\n"
    assert response.json()["page"]["revision"]["summary"] == f"Undo revision {r2} by ada"
    save(world["as_bob"], "A", "a\nb\nc\nd\ne\nG\n", response.json()["page"]["revision"]["id"])
    response = world["as_bob"].post(f"/spaces/atlas/revisions/{r3}/undo", {})
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/edit-conflict"


def test_rollback_is_a_steward_privilege(world):
    r1 = save(world["as_ada"], "A", "good\n", None).json()["page"]["revision"]["id"]
    r2 = save(world["as_bob"], "A", "spam\n", r1).json()["page"]["revision"]["id"]
    save(world["as_bob"], "A", "more spam\n", r2)
    assert world["as_bob"].post("/spaces/atlas/rollback/A").status_code == 403
    response = world["as_ada"].post("/spaces/atlas/rollback/A")
    assert response.status_code == 200
    revision = response.json()["page"]["revision"]
    assert revision["text"] == "good\n" and revision["minor"] is True
    assert revision["summary"] == "Reverted edits by bob to last revision by ada"


def test_move_leaves_a_redirect(world):
    save(world["as_ada"], "Old name", "content\n", None)
    save(world["as_ada"], "Linker", "see [[Old name]]\n", None)
    response = world["as_ada"].post(
        "/spaces/atlas/moves", {"title": "Old name", "new_title": "New name"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New name"
    redirect = world["as_bob"].get("/spaces/atlas/pages/Old_name").json()
    assert redirect["is_redirect"] is True
    assert redirect["revision"]["text"] == "#REDIRECT [[New name]]\n"
    response = world["as_ada"].post(
        "/spaces/atlas/moves", {"title": "New name", "new_title": "Linker"}
    )
    assert response.status_code == 409


def test_delete_and_restore(world, make_user, api_as):
    save(world["as_bob"], "Doomed", "x\n", None)
    assert (
        world["as_bob"]
        .post("/spaces/atlas/deletions", {"title": "Doomed", "reason": "spam"})
        .status_code
        == 403
    )
    response = world["as_ada"].post(
        "/spaces/atlas/deletions", {"title": "Doomed", "reason": "spam"}
    )
    assert response.status_code == 204
    assert world["as_bob"].get("/spaces/atlas/pages/Doomed").status_code == 404
    assert world["as_ada"].get("/spaces/atlas/pages/Doomed").json()["is_deleted"] is True
    response = save(world["as_bob"], "Doomed", "again\n", None)
    assert response.status_code == 409 and "was deleted" in response.json()["detail"]
    response = world["as_ada"].post(
        "/spaces/atlas/restorations", {"title": "Doomed", "reason": "ok"}
    )
    assert response.status_code == 200
    assert world["as_bob"].get("/spaces/atlas/pages/Doomed").json()["revision"]["text"] == "x\n"


def test_protection_with_expiry(world, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    r1 = save(world["as_ada"], "A", "x\n", None).json()["page"]["revision"]["id"]
    expires = (timezone.now() + timedelta(days=1)).isoformat()
    response = world["as_ada"].put(
        "/spaces/atlas/protection/A",
        {"edit": "stewards", "move": "stewards", "expires_at": expires},
    )
    assert response.status_code == 200 and response.json()["edit_protection"] == "stewards"
    assert save(world["as_bob"], "A", "y\n", r1).status_code == 403
    time_machine.shift(timedelta(days=2))
    assert save(world["as_bob"], "A", "y\n", r1).status_code == 200


def test_review_flow_and_unreviewed_filter(world):
    r1 = save(world["as_ada"], "A", "x\n", None).json()["page"]["revision"]
    assert r1["reviewed"] is True  # stewards' edits are autopatrolled
    r2 = save(world["as_bob"], "A", "y\n", r1["id"]).json()["page"]["revision"]
    assert r2["reviewed"] is False
    pending = world["as_ada"].get("/spaces/atlas/recent-changes?unreviewed=true").json()["items"]
    assert [e["data"]["revision"] for e in pending] == [r2["id"]]
    assert world["as_bob"].post(f"/spaces/atlas/revisions/{r2['id']}/review").status_code == 403
    assert (
        world["as_ada"].post(f"/spaces/atlas/revisions/{r2['id']}/review").json()["reviewed"]
        is True
    )
    assert world["as_ada"].get("/spaces/atlas/recent-changes?unreviewed=true").json()["items"] == []


def test_recent_changes_filters(world):
    r1 = save(world["as_ada"], "A", "x\n", None).json()["page"]["revision"]["id"]
    save(world["as_bob"], "A", "y\n", r1, minor=True)
    save(world["as_bob"], "Talk:A", "hi\n", None)
    everything = world["as_bob"].get("/spaces/atlas/recent-changes").json()["items"]
    assert [e["verb"] for e in everything] == ["page:created", "page:edited", "page:created"]
    talk = world["as_bob"].get("/spaces/atlas/recent-changes?namespace=1").json()["items"]
    assert [e["data"]["title"] for e in talk] == ["A"] and talk[0]["data"]["namespace"] == 1
    minor = world["as_bob"].get("/spaces/atlas/recent-changes?minor=true").json()["items"]
    assert [e["data"]["minor"] for e in minor] == [True]
    by_ada = world["as_bob"].get("/spaces/atlas/recent-changes?user=ada").json()["items"]
    assert [e["actor"] for e in by_ada] == ["ada"]
    assert world["as_bob"].get("/recent-changes").json()["items"][0]["verb"] == "page:created"


def test_recent_changes_times_are_read_in_utc(world):
    save(world["as_ada"], "A", "x\n", None)
    # PostgreSQL refuses offsets beyond +-15:59, and year 1 shifted east leaves the calendar.
    shifted = world["as_bob"].get(
        "/spaces/atlas/recent-changes?since=2000-01-01T00%3A00%3A00%2B22%3A59"
    )
    assert [e["verb"] for e in shifted.json()["items"]] == ["page:created"]
    later = world["as_bob"].get(
        "/spaces/atlas/recent-changes?since=9999-12-31T23%3A00%3A00-23%3A00"
    )
    assert later.status_code == 422
    assert "out of range once converted to UTC" in str(later.json())


def test_watchlist_and_notifications(world):
    from peerwork.activity.models import Notification

    r1 = save(world["as_ada"], "A", "x\n", None).json()["page"]["revision"]["id"]  # creator watches
    save(world["as_bob"], "A", "y\n", r1)
    assert [e["actor"] for e in world["as_ada"].get("/me/watchlist").json()["items"]] == [
        "bob",
        "ada",
    ]
    assert Notification.objects.filter(user=world["ada"]).count() == 1
    assert world["as_bob"].put("/spaces/atlas/watch/A").status_code == 204
    assert world["as_bob"].get("/spaces/atlas/pages/A").json()["watching"] is True
    assert world["as_bob"].delete("/spaces/atlas/watch/A").status_code == 204
    assert ApiClient().get("/me/watchlist").status_code == 401


def test_links_wanted_and_categories(world):
    save(world["as_ada"], "A", "[[B]] [[C|see c]] [[Category:Maps]]\n", None)
    save(world["as_ada"], "D", "[[B]] [[Category:Maps]]\n", None)
    wanted = world["as_bob"].get("/spaces/atlas/wanted-pages").json()
    assert wanted == [
        {"title": "B", "namespace": 0, "links": 2},
        {"title": "C", "namespace": 0, "links": 1},
    ]
    assert [p["title"] for p in world["as_bob"].get("/spaces/atlas/links-here/B").json()] == [
        "A",
        "D",
    ]
    assert [p["title"] for p in world["as_bob"].get("/spaces/atlas/categories/Maps").json()] == [
        "A",
        "D",
    ]
    # Writing B turns the red links blue on the linking pages.
    before = world["as_bob"].get("/spaces/atlas/pages/A").json()["revision"]["html"]
    assert 'class="new"' in before
    save(world["as_ada"], "B", "here\n", None)
    after = world["as_bob"].get("/spaces/atlas/pages/A").json()["revision"]["html"]
    assert after.count('class="new"') == 1  # only C is still missing
    assert [w["title"] for w in world["as_bob"].get("/spaces/atlas/wanted-pages").json()] == ["C"]


def test_preview_renders_without_saving(world):
    response = world["as_bob"].post(
        "/spaces/atlas/preview", {"title": "X", "text": "**bold** [[Nope]]"}
    )
    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.json()["html"]
    assert not Page.objects.filter(title="X").exists()


def test_members_only_space_shows_nothing_to_outsiders(make_user, make_space, api_as):
    ada, out = make_user("ada"), make_user("out")
    make_space(ada, "notes", visibility="members", participation="members")
    as_ada, as_out = api_as(ada), api_as(out)
    body = as_ada.put(
        "/spaces/notes/pages/Secret", {"text": "plans\n", "base_revision": None}
    ).json()
    rid = body["page"]["revision"]["id"]
    for path in (
        "/spaces/notes/pages/Secret",
        "/spaces/notes/history/Secret",
        f"/spaces/notes/revisions/{rid}",
        f"/spaces/notes/diff?from={rid}&to={rid}",
        "/spaces/notes/recent-changes",
        "/spaces/notes/pages",
        "/spaces/notes/wanted-pages",
    ):
        assert as_out.get(path).status_code == 404, path
        assert ApiClient().get(path).status_code == 404, path
    assert as_out.get("/recent-changes").json()["items"] == []
    assert as_out.get("/users/ada/contributions").json()["items"] == []
    assert len(as_ada.get("/users/ada/contributions").json()["items"]) == 1
    response = as_out.put("/spaces/notes/pages/Secret", {"text": "x", "base_revision": rid})
    assert response.status_code == 404


def test_outsider_may_not_edit_members_participation_space(make_user, make_space, api_as):
    ada, out = make_user("ada"), make_user("out")
    make_space(ada, "budget", participation="members")
    response = api_as(out).put("/spaces/budget/pages/A", {"text": "x", "base_revision": None})
    assert response.status_code == 403
    assert (
        ApiClient().put("/spaces/budget/pages/A", {"text": "x", "base_revision": None}).status_code
        == 401
    )


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_saves_on_one_base_lose_nothing(make_user, make_space):
    ada = make_user("ada")
    space = make_space(ada, "busy")
    lines = [f"line {n}\n" for n in range(60)]
    base = actions.page_save(
        user=ada, space=space, title="Hot", text="".join(lines), base_revision_id=None
    ).revision
    results: list[tuple[int, str, str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(10)

    def writer(worker: int) -> None:
        try:
            start.wait()
            for k in range(5):
                n = worker * 5 + k
                mine = list(lines)
                # Odd writers touch their own line, apart from everyone else's (mergeable);
                # even writers fight over line 0 (conflicts).
                target = n + 2 if n % 2 else 0
                mine[target] = f"line {target} edited by {n}\n"
                text = "".join(mine)
                try:
                    result = actions.page_save(
                        user=ada,
                        space=space,
                        title="Hot",
                        text=text,
                        base_revision_id=base.pk,
                        summary=f"edit {n}",
                    )
                    results.append((n, result.status, text))
                except actions.EditConflict as conflict:
                    assert conflict.extra["yours"] == text
                    results.append((n, "conflict", text))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 50
    stored = [r for r in results if r[1] in {"saved", "merged"}]
    conflicts = [r for r in results if r[1] == "conflict"]
    assert len(stored) + len(conflicts) + len([r for r in results if r[1] == "unchanged"]) == 50
    page = Page.objects.get(space=space, title="Hot")
    revisions = list(Revision.objects.filter(page=page))
    assert len(revisions) == 1 + len(stored)
    # The parent chain from the current revision walks every revision exactly once.
    by_id = {r.pk: r for r in revisions}
    seen, cursor = [], page.current_revision_id
    while cursor is not None:
        seen.append(cursor)
        cursor = by_id[cursor].parent_id
    assert sorted(seen) == sorted(by_id)
    final = page.current_revision.content.text
    for n, status, _text in stored:
        if n % 2:
            assert f"line {n + 2} edited by {n}\n" in final, (n, status)
    # Every odd writer touched only its own line, so none of them conflicted.
    assert all(n % 2 == 0 for n, _s, _t in conflicts)


def test_notifications_are_listed_counted_and_marked_read(world, client):
    r1 = save(world["as_ada"], "A", "x\n", None).json()["page"]["revision"]["id"]
    save(world["as_bob"], "A", "y\n", r1)
    save(world["as_bob"], "B", "z\n", None)  # ada does not watch B
    listed = world["as_ada"].get("/me/notifications").json()["items"]
    assert [(n["read"], n["event"]["verb"], n["event"]["actor"]) for n in listed] == [
        (False, "page:edited", "bob")
    ]
    client.force_login(world["ada"])
    page = client.get("/s/atlas/wiki/A").content.decode()
    assert '<span class="visually-hidden">(1 unread notification)</span>' in page
    assert world["as_ada"].post("/me/notifications/read", {}).json() == {"marked": 1}
    assert world["as_ada"].get("/me/notifications").json()["items"][0]["read"] is True
    assert "unread notification" not in client.get("/s/atlas/wiki/A").content.decode()
    assert world["as_ada"].post("/me/notifications/read", {"up_to": 0}).status_code == 422
    assert ApiClient().post("/me/notifications/read", {}).status_code == 401


def test_notifications_from_a_space_one_left_disappear(make_user, make_space, api_as):
    ada, bob = make_user("ada"), make_user("bob")
    space = make_space(ada, "notes", visibility="members", participation="members")
    from peerwork.spaces import actions as spaces

    membership = spaces.space_member_add(user=ada, space=space, member=bob)
    as_ada, as_bob = api_as(ada), api_as(bob)
    r1 = as_bob.put("/spaces/notes/pages/P", {"text": "x\n", "base_revision": None}).json()
    as_ada.put(
        "/spaces/notes/pages/P", {"text": "y\n", "base_revision": r1["page"]["revision"]["id"]}
    )
    assert len(as_bob.get("/me/notifications").json()["items"]) == 1
    spaces.space_member_remove(user=ada, space=space, membership=membership)
    assert as_bob.get("/me/notifications").json()["items"] == []


def test_a_wikitext_page_stays_wikitext_when_edited(world):
    from peerwork.wiki.models import Page

    save(world["as_ada"], "W", "first\n", None)
    page = Page.objects.get(title="W")
    Revision.objects.filter(pk=page.current_revision_id).update(content_model="wikitext")
    body = save(world["as_bob"], "W", "'''bold'''\n", page.current_revision_id).json()
    assert body["page"]["revision"]["content_model"] == "wikitext"
    assert "<b>bold</b>" in body["page"]["revision"]["html"]


SECTIONED = "Intro.\n\n## Alpha\nalpha one\nalpha two\n\n## Beta\nbeta one\nbeta two\n"


def test_read_one_section(world):
    save(world["as_ada"], "S", SECTIONED, None)
    body = world["as_bob"].get("/spaces/atlas/pages/S?section=2").json()
    assert body["section"] == {
        "number": 2,
        "level": 2,
        "title": "Beta",
        "anchor": "beta",
        "text": "## Beta\nbeta one\nbeta two\n",
    }
    assert world["as_bob"].get("/spaces/atlas/pages/S").json()["section"] is None
    response = world["as_bob"].get("/spaces/atlas/pages/S?section=3")
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation"
    assert "There is no section 3" in response.json()["detail"]


def test_section_save_replaces_only_that_section(world):
    base = save(world["as_ada"], "S", SECTIONED, None).json()["page"]["revision"]["id"]
    response = save(world["as_bob"], "S", "## Alpha\nalpha ONE\n", base, section=1)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "saved"
    assert response.json()["page"]["revision"]["text"] == SECTIONED.replace(
        "alpha one\nalpha two\n", "alpha ONE\n"
    )


def test_section_save_on_a_stale_base_merges_with_other_sections(world):
    base = save(world["as_ada"], "S", SECTIONED, None).json()["page"]["revision"]["id"]
    save(world["as_ada"], "S", SECTIONED.replace("beta two", "beta TWO"), base)
    response = save(world["as_bob"], "S", "## Alpha\nalpha one\nalpha 2\n", base, section=1)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "merged"
    assert response.json()["page"]["revision"]["text"] == (
        "Intro.\n\n## Alpha\nalpha one\nalpha 2\n\n## Beta\nbeta one\nbeta TWO\n"
    )


def test_section_save_conflict_keeps_the_text_and_saves_nothing(world):
    base = save(world["as_ada"], "S", SECTIONED, None).json()["page"]["revision"]["id"]
    save(world["as_ada"], "S", SECTIONED.replace("alpha two", "alpha by ada"), base)
    count = Revision.objects.count()
    response = save(world["as_bob"], "S", "## Alpha\nalpha one\nalpha by bob\n", base, section=1)
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "/problems/edit-conflict"
    assert body["yours"] == SECTIONED.replace("alpha two", "alpha by bob")
    assert "alpha by ada" in body["merged"] and "alpha by bob" in body["merged"]
    assert Revision.objects.count() == count


def test_section_save_errors_and_new_section(world):
    base = save(world["as_ada"], "S", SECTIONED, None).json()["page"]["revision"]["id"]
    response = save(world["as_ada"], "S", "## Gamma\n", base, section=3)
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/validation"
    assert "There is no section 3" in response.json()["detail"]
    assert Revision.objects.filter(page__title="S").count() == 1
    response = save(world["as_ada"], "S", "gamma", base, section="new", section_title="Gamma")
    assert response.status_code == 200, response.content
    assert response.json()["page"]["revision"]["text"] == SECTIONED + "\n## Gamma\n\ngamma\n"
    # A new page may be written as its section 0 or its first new section.
    response = save(world["as_ada"], "Fresh", "hello", None, section="new", section_title="Hi")
    assert response.status_code == 201
    assert response.json()["page"]["revision"]["text"] == "## Hi\n\nhello\n"
