"""The MediaWiki API's review tools: rollback, bot edits, patrol, change tags and compare,
through Django's test client. Each refusal also checks that nothing changed."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.activity.models import Event
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision, Tag, TagApplication
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")  # steward of both spaces
        alice = make_user("alice")  # signs up, never joins: a regular user
        bob = make_user("bob")
        robot = make_user("robot")
        space = make_space(owner, "atlas")
        hidden = make_space(owner, "secret", visibility="members", participation="members")

    membership = spaces.space_member_add(user=World.owner, space=World.space, member=World.robot)
    spaces.space_member_set_bot(
        user=World.owner, space=World.space, membership=membership, bot=True
    )
    return World


def _save(world: Any, user: Any, title: str, text: str, space: Any = None) -> Revision:
    space = space or world.space
    page = Page.objects.filter(space=space, title=title).first()
    saved = wiki.page_save(
        user=user,
        space=space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
        summary=f"{user.username} writes",
    )
    assert saved.revision is not None
    return saved.revision


def _signed_in(name: str) -> MW:
    mw = MW("atlas")
    assert mw.login(name)["login"]["result"] == "Success"
    return mw


def _text(title: str) -> str:
    page = Page.objects.get(title=title)
    assert page.current_revision is not None
    return page.current_revision.content.text


def _latest_change(mw: MW, title: str, **params: Any) -> dict[str, Any]:
    query = {"rcprop": "ids|flags|user|title", "rclimit": "1", "formatversion": "2", **params}
    data = mw.get(action="query", list="recentchanges", rctitle=title, **query)
    assert "error" not in data, data
    rows = data["query"]["recentchanges"]
    return rows[0] if rows else {}


# ----------------------------------------------------------------------------------- rollback


def test_rollback_reverts_the_named_editors_consecutive_edits(world: Any) -> None:
    first = _save(world, world.alice, "Vandal", "One")
    _save(world, world.bob, "Vandal", "Two")
    third = _save(world, world.alice, "Vandal", "Three")
    _save(world, world.bob, "Vandal", "Four")
    fifth = _save(world, world.bob, "Vandal", "Five")
    steward = _signed_in("owner")
    result = steward.post(
        action="rollback", title="Vandal", user="Bob", summary="revert", token=steward.csrf()
    )["rollback"]
    assert result["old_revid"] == fifth.pk
    assert result["last_revid"] == third.pk
    assert result["pageid"] == first.page_id
    assert _text("Vandal") == "Three"
    new = Revision.objects.get(pk=result["revid"])
    assert (new.author, new.summary) == (world.owner, "revert")


def test_rollback_refusals_change_nothing(world: Any) -> None:
    _save(world, world.alice, "Doc", "One")
    _save(world, world.bob, "Doc", "Two")
    count = Revision.objects.count()
    steward = _signed_in("owner")
    token = steward.csrf()

    def code(mw: MW = steward, **params: Any) -> str:
        return str(mw.post(action="rollback", token=token, **params)["error"]["code"])

    assert code(title="Doc", user="Alice") == "alreadyrolled"
    assert code(user="Bob") == "missingparam"
    assert code(title="Doc") == "missingparam"
    assert code(title="Doc", user="Nobody at all") == "baduser"
    assert code(title="Nowhere", user="Bob") == "missingtitle"
    no_token = steward.post(action="rollback", title="Doc", user="Bob")["error"]["code"]
    assert no_token == "missingparam"
    in_address = steward.get(action="rollback", title="Doc", user="Bob", token=token)
    assert in_address["error"]["code"] == "mustpostparams"
    alice = _signed_in("alice")
    denied = alice.post(action="rollback", title="Doc", user="Bob", token=alice.csrf())
    assert denied["error"]["code"] == "permissiondenied"
    _save(world, world.alice, "Alone", "Only alice")
    count = Revision.objects.count()
    assert code(title="Alone", user="Alice") == "onlyauthor"
    assert Revision.objects.count() == count
    assert _text("Doc") == "Two"


def test_markbot_flags_the_rollback_and_recent_changes_can_hide_it(world: Any) -> None:
    _save(world, world.alice, "Flagged", "One")
    _save(world, world.bob, "Flagged", "Two")
    steward = _signed_in("owner")
    result = steward.post(
        action="rollback", title="Flagged", user="Bob", markbot="1", token=steward.csrf()
    )["rollback"]
    row = _latest_change(steward, "Flagged")
    assert (row["revid"], row["bot"]) == (result["revid"], True)
    assert _latest_change(steward, "Flagged", rcshow="!bot")["user"] == "Bob"
    assert _latest_change(steward, "Flagged", rcshow="bot")["revid"] == result["revid"]


# -------------------------------------------------------------------------------- bot edits


def test_bot_flag_counts_only_for_accounts_marked_as_bots(world: Any) -> None:
    robot = _signed_in("robot")
    robot.edit(title="Botted", text="by a bot", bot="1")
    assert _latest_change(robot, "Botted")["bot"] is True
    robot.edit(title="Botted", text="by a bot, unflagged")
    assert _latest_change(robot, "Botted")["bot"] is False
    alice = _signed_in("alice")
    alice.edit(title="Botted", text="by a person pretending", bot="1", minor="1")
    row = _latest_change(alice, "Botted")
    assert (row["user"], row["bot"], row["minor"]) == ("Alice", False, True)
    shown = alice.get(
        action="query", list="recentchanges", rctitle="Botted", rcshow="bot", rcprop="comment"
    )
    assert len(shown["query"]["recentchanges"]) == 1
    both = alice.get(action="query", list="recentchanges", rcshow="bot|!bot")
    assert both["error"]["code"] == "show"


# ----------------------------------------------------------------------------------- patrol


def test_patrol_by_revision_and_the_flags_only_patrollers_see(world: Any) -> None:
    revision = _save(world, world.alice, "Watched", "One")
    alice = _signed_in("alice")
    denied = alice.post(action="patrol", revid=str(revision.pk), token=alice.csrf())
    assert denied["error"]["code"] == "permissiondenied"
    assert not Revision.objects.get(pk=revision.pk).is_reviewed
    hidden = alice.get(action="query", list="recentchanges", rcprop="patrolled")
    assert hidden["error"]["code"] == "permissiondenied"
    steward = _signed_in("owner")
    row = _latest_change(steward, "Watched", rcprop="ids|patrolled")
    assert (row["unpatrolled"], row["patrolled"]) == (True, False)
    result = steward.post(action="patrol", revid=str(revision.pk), token=steward.csrf())
    assert result["patrol"] == {"rcid": row["rcid"], "ns": 0, "title": "Watched"}
    row = _latest_change(steward, "Watched", rcprop="ids|patrolled")
    assert (row["patrolled"], row["autopatrolled"], row["unpatrolled"]) == (True, False, False)
    # The patrol goes to the patrol log, not to recent changes.
    log = steward.get(action="query", list="logevents", letype="patrol", formatversion="2")
    assert log["query"]["logevents"][0]["params"]["curid"] == revision.pk
    assert _latest_change(steward, "Watched")["revid"] == revision.pk


def test_patrol_by_rcid_and_autopatrolled_edits(world: Any) -> None:
    _save(world, world.owner, "Steward page", "by the steward")
    steward = _signed_in("owner")
    row = _latest_change(steward, "Steward page", rcprop="ids|patrolled")
    assert (row["patrolled"], row["autopatrolled"]) == (True, True)
    revision = _save(world, world.bob, "Bob page", "by bob")
    rcid = _latest_change(steward, "Bob page")["rcid"]
    assert steward.post(action="patrol", rcid=str(rcid), token=steward.csrf())["patrol"]["rcid"]
    assert Revision.objects.get(pk=revision.pk).reviewed_by == world.owner
    listed = steward.get(
        action="query", list="recentchanges", rcshow="!patrolled", rcprop="title", formatversion=2
    )
    assert listed["query"]["recentchanges"] == []
    missing = steward.post(action="patrol", rcid="999999", token=steward.csrf())
    assert missing["error"]["code"] == "nosuchrcid"


# ------------------------------------------------------------------------------ change tags


def test_managetags_is_for_stewards_and_list_tags_reports_them(world: Any) -> None:
    alice = _signed_in("alice")
    denied = alice.post(action="managetags", operation="create", tag="spam", token=alice.csrf())
    assert denied["error"]["code"] == "permissiondenied"
    assert not Tag.objects.exists()
    steward = _signed_in("owner")
    created = steward.post(
        action="managetags", operation="create", tag="spam", reason="why", token=steward.csrf()
    )["managetags"]
    assert (created["tag"], created["success"]) == ("spam", "")
    again = steward.post(action="managetags", operation="create", tag="spam", token=steward.csrf())
    assert again["error"]["code"] == "tags-create-already-exists"
    bad = steward.post(action="managetags", operation="create", tag="a|b", token=steward.csrf())
    assert bad["error"]["code"] == "tags-create-invalid-chars"
    steward.post(action="managetags", operation="deactivate", tag="spam", token=steward.csrf())
    rows = steward.get(
        action="query", list="tags", tgprop="displayname|hitcount|active|defined|source"
    )["query"]["tags"]
    assert rows == [
        {"name": "spam", "displayname": "spam", "hitcount": 0, "defined": "", "source": ["manual"]}
    ]
    log = Event.objects.filter(verb__startswith="tag:").values_list("verb", flat=True)
    assert sorted(log) == ["tag:created", "tag:deactivated"]


def test_tag_adds_and_removes_tags_on_revisions_and_changes(world: Any) -> None:
    for name in ("foo", "bar", "old"):
        wiki.tag_create(user=world.owner, space=world.space, name=name)
    wiki.tag_set_active(user=world.owner, tag=Tag.objects.get(name="old"), active=False)
    revision = _save(world, world.bob, "Tagged", "text")
    bob = _signed_in("bob")
    token = bob.csrf()
    done = bob.post(action="tag", revid=str(revision.pk), add="foo|bar", reason="r", token=token)
    assert done["tag"][0]["status"] == "success"
    assert sorted(done["tag"][0]["added"]) == ["bar", "foo"]
    data = bob.get(action="query", prop="revisions", revids=str(revision.pk), rvprop="tags")
    assert data["query"]["pages"][str(revision.page_id)]["revisions"][0]["tags"] == ["bar", "foo"]
    rcid = _latest_change(bob, "Tagged")["rcid"]
    bob.post(action="tag", rcid=str(rcid), remove="foo", token=token)
    assert _latest_change(bob, "Tagged", rcprop="tags|ids")["tags"] == ["bar"]
    noop = bob.post(action="tag", revid=str(revision.pk), remove="foo", token=token)
    assert noop["tag"][0]["noop"] == ""
    count = TagApplication.objects.count()
    inactive = bob.post(action="tag", revid=str(revision.pk), add="old", token=token)
    assert inactive["error"]["code"] == "tags-apply-not-allowed-one"
    unknown = bob.post(action="tag", revid=str(revision.pk), add="nope", token=token)
    assert unknown["error"]["code"] == "tags-apply-not-allowed-one"
    assert TagApplication.objects.count() == count
    hits = bob.get(action="query", list="tags", tgprop="hitcount", formatversion="2")
    assert {row["name"]: row["hitcount"] for row in hits["query"]["tags"]}["bar"] == 1
    # Deleting a tag takes it off everything it marked.
    wiki.tag_delete(user=world.owner, tag=Tag.objects.get(name="bar"))
    assert not TagApplication.objects.exists()


def test_edit_with_tags_tags_the_new_revision_or_saves_nothing(world: Any) -> None:
    wiki.tag_create(user=world.owner, space=world.space, name="mobile")
    alice = _signed_in("alice")
    saved = alice.edit(title="From phone", text="hello", tags="mobile")["edit"]
    assert Revision.objects.get(pk=saved["newrevid"]).tag_applications.get().tag.name == "mobile"
    count = Revision.objects.count()
    refused = alice.edit(title="From phone", text="hello again", tags="undefined-tag")
    assert refused["error"]["code"] == "tags-apply-not-allowed-one"
    assert Revision.objects.count() == count


# ---------------------------------------------------------------------------------- compare


def test_compare_answers_mediawikis_diff_table(world: Any) -> None:
    one = _save(world, world.alice, "Count", "Counting:\n* One\n")
    wiki.page_save(
        user=world.alice,
        space=world.space,
        title="Count",
        text="Counting:\n* One\n* Two <b>\n",
        base_revision_id=one.pk,
    )
    two = Page.objects.get(title="Count").current_revision
    assert two is not None
    mw = MW("atlas")
    data = mw.get(action="compare", fromrev=str(one.pk), torev=str(two.pk))["compare"]
    assert (data["fromrevid"], data["torevid"], data["totitle"]) == (one.pk, two.pk, "Count")
    assert '<td class="diff-addedline diff-side-added"><div>* Two &lt;b&gt;</div></td>' in data["*"]
    assert '<td class="diff-context diff-side-deleted"><div>* One</div></td>' in data["*"]
    back = mw.get(action="compare", fromrev=str(two.pk), torev=str(one.pk), formatversion="2")
    assert '<td class="diff-deletedline diff-side-deleted"><div>* Two' in back["compare"]["body"]
    relative = mw.get(action="compare", fromrev=str(two.pk), torelative="prev", prop="ids")
    assert (relative["compare"]["fromrevid"], relative["compare"]["torevid"]) == (one.pk, two.pk)
    by_title = mw.get(action="compare", fromrev=str(one.pk), totitle="Count", prop="diffsize")
    assert by_title["compare"]["diffsize"] > 0


def test_compare_does_not_reach_into_hidden_spaces(world: Any) -> None:
    secret = _save(world, world.owner, "Plans", "secret", space=world.hidden)
    mw = MW("atlas")
    data = mw.get(action="compare", fromrev=str(secret.pk), torev=str(secret.pk))
    assert data["error"]["code"] == "nosuchrevid"
    own = _save(world, world.alice, "Open", "open")
    assert mw.get(action="compare", fromrev=str(own.pk))["error"]["code"] == "missingparam"


def test_tag_puts_tags_on_log_entries(world: Any) -> None:
    wiki.tag_create(user=world.owner, space=world.space, name="cleanup")
    revision = _save(world, world.alice, "Junk", "junk")
    moved = wiki.page_move(user=world.owner, page=revision.page, new_title="Junk 2", reason="tidy")
    steward = _signed_in("owner")
    done = steward.post(
        action="tag", logid=str(moved.event.pk), add="cleanup", token=steward.csrf()
    )
    assert done["tag"][0]["status"] == "success"
    rows = steward.get(
        action="query", list="recentchanges", rctype="log", rcprop="ids|tags", formatversion="2"
    )["query"]["recentchanges"]
    assert [(row["rcid"], row["tags"]) for row in rows] == [(moved.event.pk, ["cleanup"])]
    missing = steward.post(action="tag", logid="999999", add="cleanup", token=steward.csrf())
    assert missing["tag"][0]["status"] == "error"
