"""action=createaccount, action=userrights and index.php (the signed job runner, action=raw):
what MediaWiki's own API tests lean on before any of their tests starts."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from peerwork.accounts.models import User
from peerwork.activity.models import Event
from peerwork.interop.mediawiki.index import _signature
from peerwork.spaces.models import SpaceMembership
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD
from tests.interop.test_mediawiki_api import MW

GOOD = "a long enough password 1"


def _create(client: MW, **params: Any) -> Any:
    token = client.get(action="query", meta="tokens", type="createaccount")["query"]["tokens"]
    fields = {"username": "New_person", "password": GOOD, "retype": GOOD}
    fields.update(params)
    return client.post(
        action="createaccount",
        createtoken=token["createaccounttoken"],
        createreturnurl="http://example.test/",
        **fields,
    )


@pytest.mark.django_db
def test_an_anonymous_caller_signs_up_and_then_logs_in_by_either_spelling(
    make_user: Any, make_space: Any
) -> None:
    make_space(make_user("owner"), "atlas")
    client = MW("atlas")
    token = client.get(action="query", meta="tokens", type="createaccount")["query"]["tokens"]
    assert token["createaccounttoken"] != "+\\" and token["createaccounttoken"].endswith("+\\")
    answer = _create(client)
    assert answer == {"createaccount": {"status": "PASS", "username": "New person"}}
    assert User.objects.filter(username="New_person").exists()
    assert Event.objects.filter(verb="user:signed_up", data__username="New_person").exists()
    # The caller is not signed in by creating; each spelling of the name signs in.
    assert client.get(action="query", meta="userinfo")["query"]["userinfo"]["id"] == 0
    for spelling in ("New person", "New_person", "new person"):
        fresh = MW("atlas")
        assert fresh.login(spelling, GOOD)["login"]["result"] == "Success", spelling


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"username": "Owner"}, "userexists"),  # another case of a taken name
        ({"username": "owner"}, "userexists"),
        ({"retype": "something else"}, "badretype"),
        ({"password": "short", "retype": "short"}, "passwordtooshort"),
        ({"username": ""}, "noname"),
        ({"username": "bad/name"}, "noname"),
    ],
)
def test_a_refused_sign_up_is_an_answer_that_changes_nothing(
    make_user: Any, make_space: Any, fields: dict[str, str], code: str
) -> None:
    make_space(make_user("owner"), "atlas")
    people = User.objects.count()
    answer = _create(MW("atlas"), **fields)["createaccount"]
    assert answer["status"] == "FAIL" and answer["messagecode"] == code, answer
    assert answer["message"]
    assert User.objects.count() == people


@pytest.mark.django_db
def test_sign_up_needs_the_sessions_token_and_a_post(make_user: Any, make_space: Any) -> None:
    make_space(make_user("owner"), "atlas")
    client = MW("atlas")
    wrong = client.post(
        action="createaccount",
        createtoken="0123+\\",
        createreturnurl="http://example.test/",
        username="Someone",
        password=GOOD,
    )
    assert wrong["error"]["code"] == "badtoken"
    got = client.get(action="createaccount", username="Someone", password=GOOD, createtoken="x")
    assert got["error"]["code"] == "mustbeposted"
    assert not User.objects.filter(username="Someone").exists()


@pytest.fixture
def rights_world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        rick = make_user("rick")
        space = make_space(owner, "atlas")

    return World


def _rights(client: MW, **params: Any) -> Any:
    if "token" not in params:
        tokens = client.get(action="query", meta="tokens", type="userrights")["query"]["tokens"]
        params["token"] = tokens["userrightstoken"]
    return client.post(action="userrights", **params)


@pytest.mark.django_db
def test_a_steward_gives_and_takes_sysop_and_bot(rights_world: Any) -> None:
    steward = MW("atlas")
    steward.login("owner")
    answer = _rights(steward, user="Rick", add="sysop|bot")
    assert answer["userrights"] == {
        "user": "Rick",
        "userid": rights_world.rick.pk,
        "added": ["sysop", "bot"],
        "removed": [],
    }
    membership = SpaceMembership.objects.get(space=rights_world.space, user=rights_world.rick)
    assert membership.role == "steward" and membership.bot
    rick = MW("atlas")
    rick.login("rick")
    info = rick.get(action="query", meta="userinfo", uiprop="groups|rights")["query"]["userinfo"]
    assert {"sysop", "bureaucrat", "bot"} <= set(info["groups"])
    assert "bot" in info["rights"] and "userrights" in info["rights"]
    # Adding what is held adds nothing; taking sysop away leaves a member with the bot mark.
    assert _rights(steward, user="Rick", add="bot")["userrights"]["added"] == []
    answer = _rights(steward, userid=rights_world.rick.pk, remove="sysop")["userrights"]
    assert answer["removed"] == ["sysop"]
    membership.refresh_from_db()
    assert membership.role == "member" and membership.bot
    verbs = list(
        Event.objects.filter(space=rights_world.space, verb__startswith="space:member")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "space:member_added",
        "space:member_bot_changed",
        "space:member_role_changed",
    ]


@pytest.mark.django_db
def test_userrights_refuses_without_changing_anything(rights_world: Any) -> None:
    stranger = MW("atlas")
    stranger.login("rick")
    assert _rights(stranger, user="Owner", remove="sysop")["error"]["code"] == "permissiondenied"
    assert _rights(stranger, user="Rick", add="sysop")["error"]["code"] == "permissiondenied"
    steward = MW("atlas")
    steward.login("owner")
    assert _rights(steward, user="Rick", add="interface-admin")["error"]["code"] == "badvalue"
    assert _rights(steward, user="Nobody here")["error"]["code"] == "nosuchuser"
    assert _rights(steward, userid=99999, add="bot")["error"]["code"] == "nosuchuserid"
    assert _rights(steward, user="Rick", add="bot", token="+\\")["error"]["code"] == "badtoken"
    assert not SpaceMembership.objects.filter(user=rights_world.rick).exists()


KEY = "a test key for the job runner"


def _signed(**extra: Any) -> dict[str, Any]:
    params = {
        "title": "Special:RunJobs",
        "maxjobs": "10",
        "maxtime": "5",
        "async": "",
        "stats": "1",
        "tasks": "",
        "sigexpiry": str(int(time.time()) + 3600),
        **extra,
    }
    params["signature"] = _signature(params, KEY)
    return params


@pytest.mark.django_db
def test_the_job_runner_answers_only_signed_fresh_requests(
    rights_world: Any, settings: Any
) -> None:
    client = Client()
    url = "/s/atlas/w/index.php"
    settings.PEERWORK_MEDIAWIKI_JOBS_KEY = ""
    assert client.post(url, _signed()).status_code == 403
    settings.PEERWORK_MEDIAWIKI_JOBS_KEY = KEY
    answer = client.post(url, _signed())
    assert answer.status_code == 200
    assert answer.json() == {"jobs": {}, "reached": "none-ready"}
    forged = _signed()
    forged["maxjobs"] = "11"
    assert client.post(url, forged).status_code == 400
    stale = _signed(sigexpiry=str(int(time.time()) - 1))
    assert client.post(url, stale).status_code == 400
    assert client.get(url, {"title": "Special:RunJobs"}).status_code == 405


@pytest.mark.django_db
def test_index_php_gives_raw_text_and_hides_what_it_must(
    rights_world: Any, make_space: Any
) -> None:
    wiki.page_save(
        user=rights_world.owner,
        space=rights_world.space,
        title="Water points",
        text="Wells and ''pumps''.",
        base_revision_id=None,
    )
    hidden = make_space(rights_world.owner, "secret", visibility="members", participation="members")
    wiki.page_save(
        user=rights_world.owner, space=hidden, title="Plans", text="Secret.", base_revision_id=None
    )
    client = Client()
    raw = client.get("/s/atlas/w/index.php", {"title": "Water_points", "action": "raw"})
    assert raw.status_code == 200 and raw.content.decode() == "Wells and ''pumps''."
    assert raw["Content-Type"].startswith("text/x-wiki")
    missing = client.get("/s/atlas/w/index.php", {"title": "No such page", "action": "raw"})
    assert missing.status_code == 404
    hidden_raw = client.get("/s/secret/w/index.php", {"title": "Plans", "action": "raw"})
    assert hidden_raw.status_code == 404
    view = client.get("/s/atlas/w/index.php", {"title": "Water points"})
    assert view.status_code == 302 and view["Location"] == "/s/atlas/wiki/Water_points"
    member = Client()
    member.login(username="owner", password=PASSWORD)
    allowed = member.get("/s/secret/w/index.php", {"title": "Plans", "action": "raw"})
    assert allowed.status_code == 200 and allowed.content.decode() == "Secret."
