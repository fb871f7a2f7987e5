"""MediaWiki's API for people and what they keep: preferences (action=options), new talk
messages, list=allusers, the watchlists, external links and media links, moves that take the
talk page and subpages along, and the create log's comment."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.accounts.models import User
from peerwork.wiki import actions as wiki
from peerwork.wiki.extlinks import extract_external_links
from peerwork.wiki.models import ExternalLink, Page
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        alice = make_user("alice")
        bob = make_user("bob")
        space = make_space(owner, "atlas")

    return World


def _signed_in(name: str = "alice") -> MW:
    mw = MW("atlas")
    assert mw.login(name)["login"]["result"] == "Success"
    return mw


def _save(world: Any, title: str, text: str, user: Any = None, summary: str = "") -> Any:
    namespace, bare = wiki.parse_title(world.space, title)
    page = Page.objects.filter(space=world.space, namespace=namespace, title=bare).first()
    return wiki.page_save(
        user=user or world.owner,
        space=world.space,
        title=title,
        text=text,
        base_revision_id=page.current_revision_id if page else None,
        summary=summary,
    )


def _options(mw: MW, fv: str = "2") -> dict[str, Any]:
    data = mw.get(action="query", meta="userinfo", uiprop="options", formatversion=fv)
    return data["query"]["userinfo"]["options"]


# ---------------------------------------------------------------------------- options


def test_options_defaults_changes_and_refusals(world: Any) -> None:
    mw = _signed_in()
    assert _options(mw)["date"] == "default"
    assert _options(mw)["editfont"] == "monospace"
    result = mw.post(
        action="options", token=mw.csrf(), change="date=dmy|userjs-x=1|api-yadda=2|editfont=wide"
    )
    assert result["options"] == "success"
    assert "api-yadda" in result["warnings"]["options"]["*"]
    assert "editfont" in result["warnings"]["options"]["*"]
    options = _options(mw)
    assert (options["date"], options["userjs-x"], options["editfont"]) == ("dmy", "1", "monospace")
    assert "api-yadda" not in options
    world.alice.refresh_from_db()
    assert world.alice.preferences == {"date": "dmy", "userjs-x": "1"}


def test_options_map_language_and_time_zone_onto_the_account(world: Any) -> None:
    mw = _signed_in()
    result = mw.post(
        action="options",
        token=mw.csrf(),
        optionname="timecorrection",
        optionvalue="ZoneInfo|60|Europe/Madrid",
    )
    assert result["options"] == "success"
    mw.post(action="options", token=mw.csrf(), change="language=es")
    world.alice.refresh_from_db()
    assert (world.alice.time_zone, world.alice.language) == ("Europe/Madrid", "es")
    options = _options(mw)
    assert options["language"] == "es"
    assert options["timecorrection"].endswith("|Europe/Madrid")
    assert world.alice.preferences == {}
    mw.post(action="options", token=mw.csrf(), reset="1")
    world.alice.refresh_from_db()
    assert (world.alice.time_zone, world.alice.language) == ("UTC", "")


def test_options_refuse_anonymous_callers_bad_tokens_and_empty_requests(world: Any) -> None:
    anonymous = MW("atlas")
    token = anonymous.csrf()
    assert anonymous.post(action="options", token=token, change="date=dmy")["error"]["code"] == (
        "notloggedin"
    )
    mw = _signed_in()
    assert mw.post(action="options", token="bad", change="date=dmy")["error"]["code"] == "badtoken"
    assert mw.post(action="options", token=mw.csrf())["error"]["code"] == "nochanges"
    world.alice.refresh_from_db()
    assert world.alice.preferences == {}


def test_preferences_through_the_rest_api_are_bounded(world: Any, client: Any) -> None:
    client.force_login(world.alice)
    response = client.patch(
        "/api/v1/me", {"preferences": {"date": "ymd"}}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["preferences"] == {"date": "ymd"}
    too_long = {"x" * 300: "1"}
    response = client.patch(
        "/api/v1/me", {"preferences": too_long}, content_type="application/json"
    )
    assert response.status_code == 422
    assert User.objects.get(pk=world.alice.pk).preferences == {"date": "ymd"}


# ---------------------------------------------------------------------------- new messages


def test_talk_page_edit_by_another_is_a_new_message_until_read(world: Any, client: Any) -> None:
    bob = _signed_in("bob")

    def has_message(fv: str) -> Any:
        data = bob.get(action="query", meta="userinfo", uiprop="hasmsg", formatversion=fv)
        return data["query"]["userinfo"].get("messages")

    assert has_message("2") is False
    assert has_message("1") is None
    _save(world, "User talk:Bob", "Hello, Bob.", user=world.bob)  # his own edit: no message
    assert has_message("2") is False
    _save(world, "User talk:Bob", "Hello, Bob. Alice here.", user=world.alice)
    _save(world, "User talk:Bob/Archive", "Old.", user=world.alice)
    assert has_message("2") is True
    assert has_message("1") == ""
    client.force_login(world.bob)
    assert client.get("/s/atlas/wiki/User_talk:Bob").status_code == 200
    assert has_message("2") is False
    _save(world, "User talk:Bob", "Again.", user=world.alice)
    assert has_message("2") is True
    assert bob.post(action="clearhasmsg")["clearhasmsg"] == "success"
    assert has_message("2") is False


# ---------------------------------------------------------------------------- allusers


def test_allusers_prefix_limit_props_and_groups(world: Any, make_user: Any) -> None:
    for name in ("Zed_one", "zed_two", "Zed_three"):
        make_user(name)
    _save(world, "Zed page", "text", user=User.objects.get(username="zed_two"))
    mw = MW("atlas")
    data = mw.get(action="query", list="allusers", auprefix="Zed ", formatversion="2")
    assert [row["name"] for row in data["query"]["allusers"]] == [
        "Zed one",
        "Zed three",
        "Zed two",
    ]
    data = mw.get(action="query", list="allusers", auprefix="Zed", aulimit="2")
    assert len(data["query"]["allusers"]) == 2
    following = data["continue"]["aufrom"]
    data = mw.get(action="query", list="allusers", auprefix="Zed", aufrom=following)
    assert [row["name"] for row in data["query"]["allusers"]] == ["Zed two"]
    data = mw.get(action="query", list="allusers", auwitheditsonly="1", auprop="editcount|groups")
    rows = {row["name"]: row for row in data["query"]["allusers"]}
    assert set(rows) == {"Zed two"}
    assert rows["Zed two"]["editcount"] == 1
    data = mw.get(action="query", list="allusers", augroup="sysop")
    assert [row["name"] for row in data["query"]["allusers"]] == ["Owner"]


def test_allusers_leaves_out_deactivated_accounts(world: Any) -> None:
    User.objects.filter(pk=world.bob.pk).update(is_active=False)
    data = MW("atlas").get(action="query", list="allusers", formatversion="2")
    assert "Bob" not in [row["name"] for row in data["query"]["allusers"]]


# ---------------------------------------------------------------------------- watchlist


def test_watchlist_follows_watches_and_shows_latest_change(world: Any) -> None:
    mw = _signed_in()
    created = mw.edit(title="Watched", text="one", summary="new page", watchlist="watch")
    _save(world, "Unwatched", "not mine")
    params = {"action": "query", "list": "watchlist", "wlprop": "ids|title|user|comment"}
    rows = mw.get(**params)["query"]["watchlist"]
    assert [(r["title"], r["type"], r["revid"]) for r in rows] == [
        ("Watched", "new", created["edit"]["newrevid"])
    ]
    edited = wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Watched",
        text="two",
        base_revision_id=created["edit"]["newrevid"],
        summary="by owner",
    )
    rows = mw.get(**params)["query"]["watchlist"]
    assert [(r["type"], r["revid"], r["comment"]) for r in rows] == [
        ("edit", edited.revision.pk, "by owner")
    ]
    assert len(mw.get(**params, wlallrev="1")["query"]["watchlist"]) == 2
    # MediaWiki answers watchlistraw beside `query`, not inside it.
    raw = mw.get(action="query", list="watchlistraw", formatversion="2")
    assert "query" not in raw
    assert [row["title"] for row in raw["watchlistraw"]] == ["Watched"]
    mw.post(action="watch", unwatch="1", title="Watched", token=mw.csrf())
    assert mw.get(**params)["query"]["watchlist"] == []
    assert MW("atlas").get(**params)["error"]["code"] == "notloggedin"
    assert mw.get(**params, wlowner="Owner")["error"]["code"] == "bad_wlowner"


# ---------------------------------------------------------------------------- links


def test_external_links_are_found_in_either_markup() -> None:
    text = (
        "See [http://example.org/a label], https://example.org/b. and [x](https://md.example/c)"
        " `http://in.code/x` <nowiki>ssh://hidden</nowiki> ssh://host mailto:someone@example.org"
    )
    assert extract_external_links(text) == [
        "http://example.org/a",
        "https://example.org/b",
        "https://md.example/c",
        "ssh://host",
        "mailto:someone@example.org",
    ]


def test_extlinks_filters_and_refuses_an_unknown_protocol(world: Any) -> None:
    _save(
        world,
        "Ext",
        "[http://example.org/search-me] [http://www.example.org/p] [ssh://example.org]",
    )
    mw = MW("atlas")

    def urls(**extra: Any) -> list[str]:
        data = mw.get(action="query", prop="extlinks", titles="Ext", formatversion="2", **extra)
        return [row["url"] for row in data["query"]["pages"][0].get("extlinks", [])]

    assert sorted(urls()) == [
        "http://example.org/search-me",
        "http://www.example.org/p",
        "ssh://example.org",
    ]
    assert urls(elprotocol="ssh") == ["ssh://example.org"]
    assert urls(elquery="example.org/search") == ["http://example.org/search-me"]
    assert sorted(urls(elquery="*.example.org")) == [
        "http://example.org/search-me",
        "http://www.example.org/p",
    ]
    assert len(urls(ellimit="1")) == 1
    error = mw.get(action="query", prop="extlinks", titles="Ext", elprotocol="uwu")["error"]
    assert error["code"] == "badvalue"
    fv1 = mw.get(action="query", prop="extlinks", titles="Ext", elprotocol="ssh")
    assert list(fv1["query"]["pages"].values())[0]["extlinks"] == [{"*": "ssh://example.org"}]


def test_external_links_follow_edits_and_deletion(world: Any) -> None:
    saved = _save(world, "Ext", "http://one.example")
    assert list(ExternalLink.objects.values_list("url", flat=True)) == ["http://one.example"]
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Ext",
        text="http://two.example",
        base_revision_id=saved.revision.pk,
    )
    assert list(ExternalLink.objects.values_list("url", flat=True)) == ["http://two.example"]
    wiki.page_delete(user=world.owner, page=Page.objects.get(title="Ext"), reason="gone")
    assert not ExternalLink.objects.exists()


def test_images_linkshere_and_categories_generator(world: Any) -> None:
    _save(world, "Target", "Just text")
    _save(world, "Source", "A [[Target]], an [[File:Pic.png]] and [[Category:Things]]")
    _save(world, "Category:Things", "The things.")
    mw = MW("atlas")
    data = mw.get(
        action="query", prop="images|linkshere", titles="Source|Target", formatversion="2"
    )
    pages = {page["title"]: page for page in data["query"]["pages"]}
    assert [row["title"] for row in pages["Source"]["images"]] == ["File:Pic.png"]
    assert [row["title"] for row in pages["Target"]["linkshere"]] == ["Source"]
    data = mw.get(action="query", generator="categories", titles="Source", formatversion="2")
    assert [page["title"] for page in data["query"]["pages"]] == ["Category:Things"]


# ---------------------------------------------------------------------------- moves, logs


def test_move_takes_talk_page_and_subpages_along(world: Any) -> None:
    for title in ("User:Old", "User:Old/Sub", "User talk:Old", "User talk:Old/Arch", "User:Oldish"):
        _save(world, title, f"text of {title}")
    _save(world, "User:New/Sub", "already here")
    mw = _signed_in("owner")
    result = mw.post(
        action="move",
        token=mw.csrf(),
        **{"from": "User:Old"},
        to="User:New",
        movetalk="1",
        movesubpages="1",
        reason="tidy",
        formatversion="2",
    )["move"]
    assert (result["talkfrom"], result["talkto"]) == ("User talk:Old", "User talk:New")
    assert result["subpages"][0]["from"] == "User:Old/Sub"
    assert result["subpages"][0]["errors"][0]["code"] == "articleexists"
    assert result["subpages-talk"] == [
        {
            "from": "User talk:Old/Arch",
            "to": "User talk:New/Arch",
            "redirectcreated": True,
            "moveoverredirect": False,
        }
    ]
    titles = set(Page.objects.filter(is_redirect=False).values_list("namespace", "title"))
    assert {(3, "New"), (3, "New/Arch"), (2, "Old/Sub"), (2, "Oldish")} <= titles
    plain = mw.post(action="move", token=mw.csrf(), **{"from": "User:Oldish"}, to="User:Plain")
    assert "talkfrom" not in plain["move"] and "subpages" not in plain["move"]


def test_create_log_entry_carries_the_edit_summary(world: Any) -> None:
    _save(world, "Logged", "text", summary="made it")
    data = MW("atlas").get(
        action="query", list="logevents", letype="create", letitle="Logged", leprop="comment|type"
    )
    assert data["query"]["logevents"][0]["comment"] == "made it"


def test_usercontribs_toponly(world: Any) -> None:
    first = _save(world, "Top", "one", user=world.alice)
    second = wiki.page_save(
        user=world.alice,
        space=world.space,
        title="Top",
        text="two",
        base_revision_id=first.revision.pk,
    )
    data = MW("atlas").get(action="query", list="usercontribs", ucuser="Alice", uctoponly="1")
    assert [row["revid"] for row in data["query"]["usercontribs"]] == [second.revision.pk]


def test_query_redirects_follows_a_move_redirect(world: Any) -> None:
    _save(world, "Before", "text")
    wiki.page_move(user=world.owner, page=Page.objects.get(title="Before"), new_title="After")
    data = MW("atlas").get(action="query", titles="Before", redirects="1", formatversion="2")
    assert data["query"]["redirects"] == [{"from": "Before", "to": "After"}]
    assert [page["title"] for page in data["query"]["pages"]] == ["After"]
    data = MW("atlas").get(action="query", titles="Before", formatversion="2")
    assert "redirects" not in data["query"]


def test_paraminfo_describes_the_new_modules(world: Any) -> None:
    paths = "options|clearhasmsg|query+allusers|query+watchlist|query+extlinks|query+categories"
    data = MW("atlas").get(action="paraminfo", modules=paths, formatversion="2")
    modules = {module["path"]: module for module in data["paraminfo"]["modules"]}
    assert modules["options"]["mustbeposted"] is True
    assert modules["query+allusers"]["prefix"] == "au"
    assert modules["query+watchlist"]["generator"] is True
    assert modules["query+categories"]["generator"] is True
    protocol = next(p for p in modules["query+extlinks"]["parameters"] if p["name"] == "protocol")
    assert "ssh" in protocol["type"] and "uwu" not in protocol["type"]


def test_move_with_talk_page_through_rest_and_web(world: Any, api_as: Any, client: Any) -> None:
    for title in ("Rest", "Talk:Rest", "Rest/Part", "Web", "Talk:Web", "Web/Part"):
        _save(world, title, f"text of {title}")
    response = api_as(world.owner).post(
        "/spaces/atlas/moves",
        {"title": "Rest", "new_title": "Rested", "move_talk": True, "move_subpages": True},
    )
    assert response.status_code == 200, response.content
    client.force_login(world.owner)
    response = client.post(
        "/s/atlas/move/Web", {"new_title": "Webbed", "move_talk": "on", "leave_redirect": "on"}
    )
    assert response.status_code == 302
    titles = set(Page.objects.filter(is_redirect=False).values_list("namespace", "title"))
    assert {(0, "Rested"), (1, "Rested"), (0, "Rested/Part")} <= titles
    assert {(0, "Webbed"), (1, "Webbed"), (0, "Web/Part")} <= titles  # no subpages asked


def test_edit_watchlist_parameter_watches_and_unwatches(world: Any) -> None:
    _save(world, "Shared", "by owner")
    mw = _signed_in()

    def watched() -> list[str]:
        data = mw.get(action="query", list="watchlistraw", formatversion="2")
        return [row["title"] for row in data["watchlistraw"]]

    answer = mw.edit(title="Shared", text="by alice", watchlist="nochange")
    assert "watched" in answer["edit"] and watched() == []
    mw.edit(title="Shared", text="by alice again", watchlist="watch")
    assert watched() == ["Shared"]
    answer = mw.edit(title="Shared", text="by alice once more", watchlist="unwatch")
    assert "watched" not in answer["edit"] and watched() == []
    assert mw.edit(title="Shared", text="x", watchlist="sometimes")["error"]["code"] == "badvalue"


def test_exturlusage_lists_visible_pages_linking_out(world: Any, make_space: Any) -> None:
    _save(world, "Ext one", "http://example.org/a and ssh://example.org")
    _save(world, "Ext two", "[https://sub.example.org/b]")
    hidden = make_space(world.owner, "secret", visibility="members", participation="members")
    wiki.page_save(
        user=world.owner,
        space=hidden,
        title="Hid",
        text="http://example.org/x",
        base_revision_id=None,
    )
    mw = MW("atlas")
    data = mw.get(action="query", list="exturlusage", euquery="*.example.org", formatversion="2")
    rows = data["query"]["exturlusage"]
    assert sorted((row["title"], row["url"]) for row in rows) == [
        ("Ext one", "http://example.org/a")
    ]
    data = mw.get(action="query", list="exturlusage", euprotocol="https", formatversion="2")
    assert [row["url"] for row in data["query"]["exturlusage"]] == ["https://sub.example.org/b"]
    data = mw.get(action="query", list="exturlusage", eulimit="1")
    assert len(data["query"]["exturlusage"]) == 1 and "eucontinue" in data["continue"]


def test_site_statistics_count_this_spaces_edits(world: Any) -> None:
    def stats() -> dict[str, Any]:
        data = MW("atlas").get(action="query", meta="siteinfo", siprop="statistics")
        return data["query"]["statistics"]

    before = stats()
    _save(world, "Counted", "one", user=world.alice)
    _save(world, "Counted", "two", user=world.alice)
    after = stats()
    assert after["edits"] == before["edits"] + 2
    assert after["activeusers"] == before["activeusers"] + 1
    assert after["admins"] == 1
    assert after["users"] == User.objects.filter(is_active=True).count()
