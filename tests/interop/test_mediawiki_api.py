"""The MediaWiki Action API through Django's test client: each module, its errors, both format
versions, continuation, hidden spaces, token scopes, and odd input that must never give a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.activity.models import Event
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision
from tests.conftest import PASSWORD

API = "/s/{slug}/w/api.php"


class MW:
    """A MediaWiki API client over Django's test client (cookies kept, like requests)."""

    def __init__(self, slug: str, **headers: Any) -> None:
        self.client = Client(**headers)
        self.url = API.format(slug=slug)

    def get(self, **params: Any) -> Any:
        response = self.client.get(self.url, {"format": "json", **params})
        self.last = response
        return response.json()

    def post(self, **params: Any) -> Any:
        response = self.client.post(self.url, {"format": "json", **params})
        self.last = response
        return response.json()

    def login(self, name: str, password: str = PASSWORD) -> Any:
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]
        return self.post(
            action="login", lgname=name, lgpassword=password, lgtoken=token["logintoken"]
        )

    def csrf(self) -> str:
        return self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]

    def edit(self, **params: Any) -> Any:
        return self.post(action="edit", token=self.csrf(), **params)


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        alice = make_user("alice")
        space = make_space(owner, "atlas")
        hidden = make_space(owner, "secret", visibility="members", participation="members")

    wiki.page_save(
        user=World.owner,
        space=World.space,
        title="Main page",
        text="Hello.\n",
        base_revision_id=None,
        summary="first",
    )
    wiki.page_save(
        user=World.owner,
        space=World.hidden,
        title="Plans",
        text="Secret plans.\n",
        base_revision_id=None,
    )
    return World


def test_siteinfo_and_userinfo_formatversion_1(world: Any) -> None:
    data = MW("atlas").get(
        action="query",
        meta="siteinfo|userinfo",
        siprop="general|namespaces",
        uiprop="groups|rights|blockinfo|hasmsg",
        **{"continue": ""},
    )
    general = data["query"]["general"]
    assert general["generator"] == "MediaWiki 1.39.17"
    assert general["sitename"] == "Atlas"
    assert general["wikiid"] == "atlas"
    assert general["case"] == "first-letter"
    assert general["articlepath"] == "/s/atlas/wiki/$1"
    assert general["server"] == "http://testserver"
    assert data["query"]["namespaces"]["14"]["*"] == "Category"
    assert data["query"]["namespaces"]["0"]["content"] == ""
    assert data["query"]["userinfo"]["anon"] == ""
    assert data["query"]["userinfo"]["rights"] == ["read", "createaccount"]
    assert data["batchcomplete"] == ""


def test_siteinfo_formatversion_2(world: Any) -> None:
    data = MW("atlas").get(
        action="query",
        meta="siteinfo",
        siprop="general|namespaces|namespacealiases",
        formatversion="2",
    )
    assert data["query"]["namespaces"]["14"]["name"] == "Category"
    assert data["query"]["namespaces"]["0"]["content"] is True
    assert data["query"]["namespacealiases"][0] == {"id": 6, "alias": "Image"}
    assert data["batchcomplete"] is True


def test_login_with_password_then_userinfo(world: Any) -> None:
    mw = MW("atlas")
    assert mw.login("Alice", "wrong")["login"]["result"] == "Failed"
    result = mw.login("Alice")["login"]
    assert result == {"result": "Success", "lguserid": world.alice.pk, "lgusername": "Alice"}
    info = mw.get(action="query", meta="userinfo", uiprop="groups|rights")["query"]["userinfo"]
    assert info["name"] == "Alice"
    assert "edit" in info["rights"]
    assert "anon" not in info


def test_login_needs_the_session_token(world: Any) -> None:
    mw = MW("atlas")
    first = mw.post(action="login", lgname="alice", lgpassword=PASSWORD)
    assert first["login"]["result"] == "NeedToken"
    other = MW("atlas")
    wrong = other.post(
        action="login", lgname="alice", lgpassword=PASSWORD, lgtoken=first["login"]["token"]
    )
    assert wrong["login"]["result"] == "WrongToken"
    again = mw.post(
        action="login", lgname="alice", lgpassword=PASSWORD, lgtoken=first["login"]["token"]
    )
    assert again["login"]["result"] == "Success"


def test_clientlogin(world: Any) -> None:
    mw = MW("atlas")
    token = mw.get(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
    failed = mw.post(
        action="clientlogin",
        username="alice",
        password="nope",
        logintoken=token,
        loginreturnurl="http://x",
    )
    assert failed["clientlogin"]["status"] == "FAIL"
    passed = mw.post(
        action="clientlogin",
        username="alice",
        password=PASSWORD,
        logintoken=token,
        loginreturnurl="http://x",
    )
    assert passed["clientlogin"] == {"status": "PASS", "username": "Alice"}


def test_tokens(world: Any) -> None:
    mw = MW("atlas")
    tokens = mw.get(action="query", meta="tokens", type="csrf|login|watch")["query"]["tokens"]
    assert tokens["csrftoken"] == "+\\"
    assert tokens["watchtoken"] == "+\\"
    assert tokens["logintoken"].endswith("+\\") and len(tokens["logintoken"]) > 2
    mw.login("alice")
    csrf = mw.csrf()
    assert csrf.endswith("+\\") and len(csrf) > 10


def test_read_page_text_and_info_fv1_and_fv2(world: Any) -> None:
    mw = MW("atlas")
    data = mw.get(
        action="query",
        prop="info|revisions",
        titles="Main_page|Nowhere|Bad[title",
        rvprop="content|timestamp|ids",
        rvslots="main",
        inprop="protection",
        indexpageids="",
    )
    pages = data["query"]["pages"]
    page = Page.objects.get(space=world.space, title="Main page")
    assert data["query"]["normalized"] == [{"from": "Main_page", "to": "Main page"}]
    entry = pages[str(page.pk)]
    assert entry["title"] == "Main page"
    assert entry["contentmodel"] == "markdown"
    assert entry["protection"] == []
    assert entry["revisions"][0]["slots"]["main"]["*"] == "Hello.\n"
    assert entry["revisions"][0]["revid"] == page.current_revision_id
    assert {key: pages["-1"][key] for key in ("ns", "title", "missing")} == {
        "ns": 0,
        "title": "Nowhere",
        "missing": "",
    }
    assert pages["-2"]["invalid"] == ""
    assert data["query"]["pageids"] == [str(page.pk), "-1", "-2"]
    fv2 = mw.get(
        action="query", prop="revisions", titles="Main page", rvprop="content", formatversion="2"
    )
    assert fv2["query"]["pages"][0]["revisions"][0]["content"] == "Hello.\n"
    legacy = mw.get(action="query", prop="revisions", titles="Main page", rvprop="content")
    assert legacy["query"]["pages"][str(page.pk)]["revisions"][0]["*"] == "Hello.\n"
    assert "warnings" in legacy


def test_edit_create_change_and_nochange(world: Any) -> None:
    mw = MW("atlas")
    mw.login("alice")
    created = mw.edit(title="New page", text="One\n", summary="start")["edit"]
    assert created["result"] == "Success" and created["new"] == ""
    assert created["oldrevid"] == 0
    changed = mw.edit(title="New page", text="One\nTwo\n", notminor="1")["edit"]
    assert changed["oldrevid"] == created["newrevid"]
    assert changed["newtimestamp"].endswith("Z")
    same = mw.edit(title="New page", text="One\nTwo\n")["edit"]
    assert same["nochange"] == ""
    appended = mw.edit(title="New page", appendtext="Three\n")["edit"]
    revision = Revision.objects.get(pk=appended["newrevid"])
    assert revision.content.text == "One\nTwo\nThree\n"


def test_edit_errors(world: Any) -> None:
    anonymous = MW("atlas")
    failed = anonymous.post(action="edit", title="X", text="y", token="+\\", **{"assert": "user"})
    assert failed["error"]["code"] == "assertuserfailed"
    assert anonymous.post(action="edit", title="X", text="y", token="+\\")["error"]["code"] == (
        "notloggedin"
    )
    mw = MW("atlas")
    mw.login("alice")
    assert mw.post(action="edit", title="X", text="y", token="bad+\\")["error"]["code"] == (
        "badtoken"
    )
    assert mw.edit(title="Main page", text="z", createonly="1")["error"]["code"] == (
        "articleexists"
    )
    assert mw.edit(title="Nope", text="z", nocreate="1")["error"]["code"] == "missingtitle"
    assert mw.edit(title="a|b", text="z")["error"]["code"] == "invalidtitle"
    assert mw.edit(title="Main page")["error"]["code"] == "missingparam"
    assert mw.get(action="edit", title="Main page", text="x")["error"]["code"] == "mustbeposted"


def test_edit_conflict_and_merge_by_basetimestamp(world: Any) -> None:
    mw = MW("atlas")
    mw.login("alice")
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Doc",
        text="a\nb\nc\nd\ne\n",
        base_revision_id=None,
    )
    read = mw.get(
        action="query",
        prop="revisions",
        titles="Doc",
        rvprop="timestamp|content",
        rvslots="main",
        formatversion="2",
    )
    base = read["query"]["pages"][0]["revisions"][0]["timestamp"]
    page = Page.objects.get(space=world.space, title="Doc")
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Doc",
        text="A\nb\nc\nd\ne\n",
        base_revision_id=page.current_revision_id,
    )
    conflict = mw.edit(title="Doc", text="X\nb\nc\nd\ne\n", basetimestamp=base)
    assert conflict["error"]["code"] == "editconflict"
    merged = mw.edit(
        title="Doc",
        text="a\nb\nc\nd\nE\n",
        basetimestamp=base.replace("-", "").replace(":", "").replace("T", "").replace("Z", ""),
    )
    assert merged["edit"]["result"] == "Success"
    page.refresh_from_db()
    assert page.current_revision.content.text == "A\nb\nc\nd\nE\n"


def test_rapid_saves_by_one_person_never_conflict_with_themselves(world: Any) -> None:
    mw = MW("atlas")
    mw.login("alice")
    first = mw.edit(title="Bot page", text="v0 line\nsame\n")
    stamp = first["edit"]["newtimestamp"]
    # Saves within one second, each sending the timestamp it last saw (second precision).
    for n in range(1, 4):
        saved = mw.edit(title="Bot page", text=f"v{n} line\nsame\n", basetimestamp=stamp)
        assert saved["edit"]["result"] == "Success", saved
    page = Page.objects.get(space=world.space, title="Bot page")
    assert page.current_revision.content.text == "v3 line\nsame\n"
    # Someone else's change since that timestamp still conflicts.
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Bot page",
        text="owner line\nsame\n",
        base_revision_id=page.current_revision_id,
    )
    conflict = mw.edit(title="Bot page", text="v4 line\nsame\n", basetimestamp=stamp)
    assert conflict["error"]["code"] == "editconflict"


def test_read_token_cannot_edit(world: Any) -> None:
    _token, raw = accounts.token_create(
        user=world.alice, person=world.alice, name="r", scope="read"
    )
    bearer = MW("atlas", HTTP_AUTHORIZATION=f"Bearer {raw}")
    info = bearer.get(action="query", meta="userinfo", uiprop="rights")["query"]["userinfo"]
    assert info["name"] == "Alice" and "edit" not in info["rights"]
    assert bearer.edit(title="Main page", text="vandal")["error"]["code"] == "permissiondenied"
    by_login = MW("atlas")
    assert by_login.login("Alice@bot", raw)["login"]["result"] == "Success"
    assert by_login.edit(title="Main page", text="vandal")["error"]["code"] == "permissiondenied"
    _token, write = accounts.token_create(
        user=world.alice, person=world.alice, name="w", scope="write"
    )
    writer = MW("atlas")
    assert writer.login("Alice@bot", write)["login"]["result"] == "Success"
    assert writer.edit(title="Main page", text="Better.\n")["edit"]["result"] == "Success"
    assert MW("atlas").login("Alice@bot", PASSWORD)["login"]["result"] == "Failed"


def test_members_only_space_gives_nothing_to_outsiders(world: Any) -> None:
    for mw in (MW("secret"), MW("no-such-space")):
        for params in (
            {"action": "query", "meta": "siteinfo"},
            {"action": "query", "prop": "revisions", "titles": "Plans", "rvprop": "content"},
            {"action": "query", "list": "allpages"},
            {"action": "parse", "page": "Plans"},
        ):
            data = mw.get(**params)
            assert mw.last.status_code == 404
            assert data["error"]["code"] == "readapidenied"
        assert mw.login("alice")["login"]["result"] == "Success"
        assert mw.get(action="query", list="search", srsearch="plans")["error"]["code"] == (
            "readapidenied"
        )
    member = MW("secret")
    member.login("owner")
    data = member.get(
        action="query", prop="revisions", titles="Plans", rvprop="content", formatversion="2"
    )
    assert data["query"]["pages"][0]["revisions"][0]["content"] == "Secret plans.\n"


def test_allpages_continuation(world: Any) -> None:
    for name in ("B", "C", "D"):
        wiki.page_save(
            user=world.owner, space=world.space, title=name, text=name, base_revision_id=None
        )
    mw = MW("atlas")
    first = mw.get(action="query", list="allpages", aplimit="2", **{"continue": ""})
    assert [row["title"] for row in first["query"]["allpages"]] == ["B", "C"]
    assert first["continue"]["apcontinue"] == "D"
    second = mw.get(action="query", list="allpages", aplimit="2", **first["continue"])
    assert [row["title"] for row in second["query"]["allpages"]] == ["D", "Main page"]
    assert "continue" not in second
    generated = mw.get(
        action="query", generator="allpages", gaplimit="max", prop="info", formatversion="2"
    )
    assert len(generated["query"]["pages"]) == 4


def test_revisions_continuation(world: Any) -> None:
    page = Page.objects.get(space=world.space, title="Main page")
    for number in range(3):
        wiki.page_save(
            user=world.owner,
            space=world.space,
            title="Main page",
            text=f"v{number}",
            base_revision_id=page.current_revision_id,
        )
        page.refresh_from_db()
    mw = MW("atlas")
    seen = []
    params: dict[str, Any] = {"continue": ""}
    while True:
        data = mw.get(
            action="query",
            prop="revisions",
            titles="Main page",
            rvlimit="3",
            rvprop="ids|user|comment|size|sha1|timestamp",
            **params,
        )
        revisions = data["query"]["pages"][str(page.pk)]["revisions"]
        seen += [revision["revid"] for revision in revisions]
        if "continue" not in data:
            break
        params = data["continue"]
    assert seen == list(
        Revision.objects.filter(page=page).order_by("-id").values_list("pk", flat=True)
    )
    assert revisions[-1]["user"] == "Owner" and revisions[-1]["comment"] == "first"


def test_recentchanges_usercontribs_categorymembers_search_parse(world: Any) -> None:
    wiki.page_save(
        user=world.alice,
        space=world.space,
        title="Maps",
        text="Maps of the [[Main page]] world.\n\n[[Category:Geo]]\n",
        base_revision_id=None,
        summary="maps",
    )
    mw = MW("atlas")
    changes = mw.get(
        action="query",
        list="recentchanges",
        rcprop="title|ids|user|timestamp|comment|sizes",
        rclimit="1",
    )
    row = changes["query"]["recentchanges"][0]
    assert (row["type"], row["title"], row["user"], row["comment"]) == (
        "new",
        "Maps",
        "Alice",
        "maps",
    )
    assert "rccontinue" in changes["continue"]
    contribs = mw.get(action="query", list="usercontribs", ucuser="Alice")
    assert [r["title"] for r in contribs["query"]["usercontribs"]] == ["Maps"]
    members = mw.get(action="query", list="categorymembers", cmtitle="Category:Geo")
    assert [r["title"] for r in members["query"]["categorymembers"]] == ["Maps"]
    found = mw.get(action="query", list="search", srsearch="maps world")
    assert [r["title"] for r in found["query"]["search"]] == ["Maps"]
    parsed = mw.get(action="parse", page="Maps", prop="text|links|categories")
    assert "Main page" in parsed["parse"]["text"]["*"]
    assert parsed["parse"]["categories"] == [{"sortkey": "", "*": "Geo"}]
    html = mw.get(action="parse", text="*hi*", title="Sandbox", formatversion="2")
    assert "<em>hi</em>" in html["parse"]["text"]


def test_move_and_delete(world: Any) -> None:
    mw = MW("atlas")
    mw.login("alice")
    token = mw.csrf()
    refused = mw.post(action="delete", title="Main page", reason="spam", token=token)
    assert refused["error"]["code"] == "permissiondenied"
    assert not Page.objects.get(space=world.space, title="Main page").is_deleted
    owner = MW("atlas")
    owner.login("owner")
    moved = owner.post(
        action="move", **{"from": "Main page"}, to="Home", reason="rename", token=owner.csrf()
    )
    assert moved["move"]["to"] == "Home" and moved["move"]["redirectcreated"] == ""
    deleted = owner.post(action="delete", title="Home", reason="cleanup", token=owner.csrf())
    assert deleted["delete"]["title"] == "Home"
    assert Page.objects.get(space=world.space, title="Home").is_deleted


def test_a_deletion_without_a_reason_logs_what_the_page_said(world: Any) -> None:
    """mwclient sends `reason=` empty; MediaWiki then logs the page's content as the reason."""
    owner = MW("atlas")
    owner.login("owner")
    deleted = owner.post(action="delete", title="Main page", reason="", token=owner.csrf())
    assert deleted["delete"]["reason"] == 'content was: "Hello."'
    assert Page.objects.get(space=world.space, title="Main page").is_deleted
    event = Event.objects.filter(verb="page:deleted").latest("pk")
    assert event.data["reason"] == 'content was: "Hello."'


def test_paraminfo(world: Any) -> None:
    data = MW("atlas").post(action="paraminfo", modules="main|paraminfo|query|query+tokens")
    modules = {module["path"]: module for module in data["paraminfo"]["modules"]}
    action = next(p for p in modules["main"]["parameters"] if p["name"] == "action")
    assert set(action["type"]) == set(action["submodules"])
    assert modules["query+tokens"]["prefix"] == ""
    missing = MW("atlas").get(action="paraminfo", modules="query+nothing")
    assert missing["paraminfo"]["modules"][0]["missing"] == ""


def test_unknown_action_and_bad_parameters(world: Any) -> None:
    mw = MW("atlas")
    assert mw.get(action="upload")["error"]["code"] == "unknown_action"
    assert mw.get(action="query", list="allpages", aplimit="x")["error"]["code"] == "badinteger"
    assert mw.get(action="query", list="allpages", apdir="up")["error"]["code"] == "badvalue"
    assert mw.get(action="query", list="search")["error"]["code"] == "missingparam"
    assert mw.get(action="query", formatversion="9")["error"]["code"] == "badvalue"
    fv2 = mw.get(action="nope", formatversion="2")
    assert set(fv2["error"]) == {"code", "info", "docref"}


ODD_VALUES = [
    "",
    "|",
    "\x1f",
    "-1",
    "0",
    "99999999999999999999",
    "max",
    "now",
    "a|b|c",
    "Main page",
    "::",
    "Category:",
    "{{x}}",
    "\u00e9\u00e9",
    "<b>",
    "' OR 1=1 --",
    "20991231000000",
    "x" * 400,
]
ODD_KEYS = [
    "action",
    "prop",
    "list",
    "meta",
    "titles",
    "pageids",
    "revids",
    "rvlimit",
    "rvcontinue",
    "rvstart",
    "rvprop",
    "rvslots",
    "aplimit",
    "apnamespace",
    "apcontinue",
    "rccontinue",
    "rcstart",
    "rcnamespace",
    "rcshow",
    "cmtitle",
    "cmcontinue",
    "ucuser",
    "srsearch",
    "sroffset",
    "generator",
    "continue",
    "formatversion",
    "siprop",
    "uiprop",
    "type",
    "page",
    "text",
    "oldid",
    "modules",
    "title",
    "basetimestamp",
    "uccontinue",
    "gaplimit",
]


def test_odd_input_never_gives_a_server_error(world: Any) -> None:
    mw = MW("atlas")
    mw.login("alice")
    bases = [
        {"action": "query", "prop": "revisions|info", "titles": "Main page"},
        {
            "action": "query",
            "list": "allpages|recentchanges|usercontribs|search|categorymembers",
            "ucuser": "Alice",
            "srsearch": "hello",
            "cmtitle": "Category:Geo",
        },
        {"action": "parse"},
        {"action": "edit", "title": "Odd", "text": "x"},
        {"action": "paraminfo"},
    ]
    for base in bases:
        for key in ODD_KEYS:
            for value in ODD_VALUES:
                for send in (mw.post,) if base["action"] == "edit" else (mw.get,):
                    data = send(**{**base, key: value})
                    assert mw.last.status_code in (200, 404), (base, key, value)
                    assert not str(data.get("error", {}).get("code", "")).startswith(
                        "internal_api_error"
                    ), (base, key, value, data)


def test_timestamps_beyond_the_calendar_are_bad_timestamps(world: Any) -> None:
    mw = MW("atlas")
    answer = mw.get(action="query", list="recentchanges", rcstart="9999-12-31T23:00:00-23:00")
    assert mw.last.status_code == 200 and answer["error"]["code"] == "badtimestamp"


def test_sysop_group_follows_the_policy_not_the_role(world: Any, make_user: Any) -> None:
    """`sysop` is for whoever the policy lets delete and protect pages there: the space's
    steward and a site administrator who is no member, never a plain member."""
    admin = make_user("root")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])

    def groups(name: str) -> list[str]:
        mw = MW("atlas")
        assert mw.login(name)["login"]["result"] == "Success"
        info = mw.get(action="query", meta="userinfo", uiprop="groups|rights")
        return info["query"]["userinfo"]["groups"], info["query"]["userinfo"]["rights"]

    owner_groups, owner_rights = groups("owner")
    assert "sysop" in owner_groups and "member" in owner_groups
    assert {"delete", "protect"} <= set(owner_rights)
    admin_groups, admin_rights = groups("root")
    assert "sysop" in admin_groups and "member" not in admin_groups
    assert {"delete", "protect"} <= set(admin_rights)
    alice_groups, alice_rights = groups("alice")
    assert "sysop" not in alice_groups and "delete" not in alice_rights


@pytest.mark.parametrize(
    "typed", ["Grace_hopper", "Grace hopper", "grace_HOPPER", " Grace hopper "]
)
def test_a_name_with_an_underscore_logs_in_as_mediawiki_writes_it(
    make_user: Any, make_space: Any, typed: str
) -> None:
    """Sign-up takes "grace_hopper"; MediaWiki clients write it "Grace hopper" and get it back
    so, and every form of it names the same account (one rule for names everywhere)."""
    grace = make_user("grace_hopper")
    make_space(grace, "atlas")
    mw = MW("atlas")
    assert mw.login(typed)["login"] == {
        "result": "Success",
        "lguserid": grace.pk,
        "lgusername": "Grace hopper",
    }
    info = mw.get(action="query", meta="userinfo", assertuser="Grace hopper")
    assert info["query"]["userinfo"]["name"] == "Grace hopper"
    other = MW("atlas")
    token = other.get(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
    passed = other.post(
        action="clientlogin",
        username=typed,
        password=PASSWORD,
        logintoken=token,
        loginreturnurl="http://x",
    )
    assert passed["clientlogin"] == {"status": "PASS", "username": "Grace hopper"}


def test_prefixsearch_suggests_titles_by_their_start(world: Any) -> None:
    for name in ("River maps", "River crossings", "Rivet", "Talk:River maps", "Map legend"):
        wiki.page_save(
            user=world.owner, space=world.space, title=name, text=name, base_revision_id=None
        )
    page = Page.objects.get(space=world.space, title="Rivet")
    wiki.page_delete(user=world.owner, page=page, reason="Spam.")
    mw = MW("atlas")
    found = mw.get(action="query", list="prefixsearch", pssearch="river", formatversion="2")
    titles = [row["title"] for row in found["query"]["prefixsearch"]]
    assert titles == ["River crossings", "River maps"]  # first letter as titles have it
    assert all({"ns", "title", "pageid"} <= set(row) for row in found["query"]["prefixsearch"])
    talk = mw.get(action="query", list="prefixsearch", pssearch="Talk:Riv", formatversion="2")
    assert [row["title"] for row in talk["query"]["prefixsearch"]] == ["Talk:River maps"]
    first = mw.get(
        action="query", list="prefixsearch", pssearch="Ri", pslimit="1", **{"continue": ""}
    )
    assert first["continue"]["psoffset"] == "1"
    second = mw.get(
        action="query", list="prefixsearch", pssearch="Ri", pslimit="1", **first["continue"]
    )
    assert [r["title"] for r in second["query"]["prefixsearch"]] == ["River maps"]
    generated = mw.get(
        action="query", generator="prefixsearch", gpssearch="Riv", prop="info", formatversion="2"
    )
    assert sorted(p["title"] for p in generated["query"]["pages"]) == [
        "River crossings",
        "River maps",
    ]
    assert mw.get(action="query", list="prefixsearch")["error"]["code"] == "missingparam"
    hidden = MW("secret").get(action="query", list="prefixsearch", pssearch="Pl")
    assert "error" in hidden or hidden["query"]["prefixsearch"] == []
