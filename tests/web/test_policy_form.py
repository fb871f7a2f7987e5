"""The policy as a form on the settings page: generated from the schema, labelled in both
languages, saved through the policy action; and the presets, on the page and in the API."""

from __future__ import annotations

import inspect
import json
import re
from html.parser import HTMLParser
from typing import Any, get_args, get_origin

import pytest
from django.test import Client
from django.utils import translation
from pydantic import BaseModel

from peerwork.activity.models import Event
from peerwork.activity.sentences import sentences
from peerwork.spaces.models import Space
from peerwork.spaces.presets import PRESETS, preset_policy
from peerwork.spaces.space_policy import policy_defaults, policy_schema, policy_validate


class _FormReader(HTMLParser):
    """What a browser would send for the form posting to `action`: every input's value."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.data = action, False, {}
        self.select: str | None = None
        self.textarea: str | None = None
        self.first_option: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        if not self.inside:
            return
        name = found.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if found.get("type") in ("checkbox", "radio"):
                if "checked" in found:
                    self.data[name] = found.get("value", "on")
            else:
                self.data[name] = found.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            self.first_option.setdefault(self.select, found.get("value", ""))
            if "selected" in found:
                self.data[self.select] = found.get("value", "")
        elif tag == "textarea":
            self.textarea = name
            self.data[name] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            if self.select and self.select not in self.data:
                self.data[self.select] = self.first_option.get(self.select, "")
            self.select = None
        elif tag == "textarea":
            if self.textarea:
                self.data[self.textarea] = self.data[self.textarea].removeprefix("\n")
            self.textarea = None


def form_data(html: str, action: str) -> dict[str, str]:
    reader = _FormReader(action)
    reader.feed(html)
    return reader.data


def _keys(model: type[BaseModel], prefix: str = "") -> list[tuple[str, Any]]:
    """Every key of the schema, nested ones and the columns of lists of rows too."""
    out = []
    for key, info in model.model_fields.items():
        out.append((f"{prefix}{key}", info))
        annotation = info.annotation
        inner = get_args(annotation)[0] if get_origin(annotation) is list else annotation
        if inspect.isclass(inner) and issubclass(inner, BaseModel):
            out.extend(_keys(inner, f"{prefix}{key}."))
    return out


@pytest.fixture
def steward(make_user: Any, make_space: Any, client_as: Any) -> tuple[Space, Client]:
    ana = make_user("ana")
    space = make_space(ana, "garden")
    return space, client_as(ana)


SETTINGS = "/s/garden/settings/"
POLICY = "/s/garden/settings/policy"


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_schema_key_has_a_label_and_help_in_both_languages(language: str) -> None:
    keys = _keys(policy_schema())
    assert len(keys) == 124
    missing = []
    for path, info in keys:
        with translation.override("en"):
            english = (str(info.title or ""), str(info.description or ""))
        with translation.override(language):
            title, help_text = str(info.title or ""), str(info.description or "")
        if not title.strip() or not help_text.strip():
            missing.append(path)
        if language == "es" and (title == english[0] != "Ideas" or help_text == english[1]):
            missing.append(f"{path} (not in Spanish)")
    assert missing == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_has_an_input_with_label_and_help_for_every_key(
    steward: tuple[Space, Client], language: str
) -> None:
    space, client = steward
    client.cookies["django_language"] = language
    html = client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    data = form_data(html, POLICY)
    with translation.override(language):
        for path, info in _keys(policy_schema()):
            assert str(info.title) in html.replace("&#x27;", "'"), path
            assert str(info.description) in html.replace("&#x27;", "'"), path
            if inspect.isclass(info.annotation) and issubclass(info.annotation, BaseModel):
                continue
            name = path.replace(".", "__")
            if get_origin(info.annotation) is dict or name.startswith("ideas__support_milestones"):
                continue  # rows: checked below
            assert name in data or info.annotation is bool, path
    assert data["ideas__support_milestones__0__supporters"] == "100"
    assert data["ideas__support_milestones__3__days"] == "182"
    assert data["ideas__support_milestones__4__supporters"] == ""  # a blank row to add one
    assert data["ideas__support_milestones__5__supporters"] == ""
    assert "ideas__support_milestones__6__supporters" not in data
    assert data["governance__timelock_hours"] == "0"
    assert data["ideas__revenue_share_basis_points"] == "1.00"  # 100 basis points = 1 %
    assert data["challenges__max_upload_bytes"] == "2048"  # kilobytes
    assert data["capitalize_titles"] == "on"


def test_saving_the_form_unchanged_keeps_the_policy_and_records_nothing(
    steward: tuple[Space, Client],
) -> None:
    space, client = steward
    events = Event.objects.count()
    data = form_data(client.get(SETTINGS).content.decode(), POLICY)

    response = client.post(POLICY, data)

    assert response.status_code == 302
    space.refresh_from_db()
    assert space.policy == policy_defaults()
    assert Event.objects.count() == events


def test_a_form_save_gives_the_same_policy_as_the_json(
    steward: tuple[Space, Client], make_user: Any, make_space: Any, client_as: Any
) -> None:
    space, client = steward
    data = form_data(client.get(SETTINGS).content.decode(), POLICY)
    data.update(
        {
            "ideas__support_milestones__1__supporters": "400",
            "ideas__support_milestones__4__supporters": "20000",
            "ideas__support_milestones__4__days": "90",
            "ideas__revenue_share_basis_points": "2.5",
            "ideas__reviewers": "grace\r\n\r\n linus \r\n",
            "governance__voting_days": "10",
            "governance__default_method": "majority",
            "governance__eligibility": "steward",
            "governance__secret_ballots": "on",
            "challenges__max_upload_bytes": "512",
            "tasks__claim_privilege": "member",
            "ledger__approval_above__0__currency": "eur",
            "ledger__approval_above__0__amount": "500.50",
        }
    )
    del data["capitalize_titles"]
    document = {
        "capitalize_titles": False,
        "ideas": {
            "support_milestones": [
                {"supporters": 100, "days": 60},
                {"supporters": 400, "days": 365},
                {"supporters": 5000, "days": 182},
                {"supporters": 10000, "days": 182},
                {"supporters": 20000, "days": 90},
            ],
            "revenue_share_basis_points": 250,
            "reviewers": ["grace", "linus"],
        },
        "governance": {
            "voting_days": 10,
            "default_method": "majority",
            "eligibility": "steward",
            "secret_ballots": True,
        },
        "challenges": {"max_upload_bytes": 512 * 1024},
        "tasks": {"claim_privilege": "member"},
        "ledger": {"approval_above": {"EUR": 50050}},
    }

    response = client.post(POLICY, data)

    assert response.status_code == 302
    space.refresh_from_db()
    defaults = policy_defaults()
    expected = {
        key: {**defaults[key], **value} if isinstance(value, dict) else value
        for key, value in {**defaults, **document}.items()
    }
    assert space.policy == expected
    make_space(space.created_by, "twin")
    json_response = client.post("/s/twin/settings/policy", {"policy": json.dumps(document)})
    assert json_response.status_code == 302
    assert Space.objects.get(slug="twin").policy == space.policy
    event = Event.objects.filter(verb="space:policy_updated", space=space).get()
    with translation.override("en"):
        said = sentences([event])[0]
        lines = {line.label: line.text for line in said.lines}
    assert said.label == "changed the space's policy"
    assert lines["ideas policy"] == "support milestones, creators' share of revenue, and reviewers"
    assert lines["governance policy"] == (
        "decision method, voting lasts, who may vote, and secret ballots"
    )
    with translation.override("es"):
        lines = {line.label: line.text for line in sentences([event])[0].lines}
    assert lines["política de ideas"].startswith("hitos de apoyo, ")


def test_rows_are_removed_by_ticking_remove_or_emptying_them(steward: tuple[Space, Client]) -> None:
    space, client = steward
    data = form_data(client.get(SETTINGS).content.decode(), POLICY)
    data["ideas__support_milestones__1__remove"] = "on"
    data["ideas__support_milestones__3__supporters"] = ""
    data["ideas__support_milestones__3__days"] = ""

    assert client.post(POLICY, data).status_code == 302

    space.refresh_from_db()
    assert space.policy["ideas"]["support_milestones"] == [
        {"supporters": 100, "days": 60},
        {"supporters": 5000, "days": 182},
    ]


def test_rows_added_by_the_script_beyond_the_blank_ones_are_read(
    steward: tuple[Space, Client],
) -> None:
    space, client = steward
    data = form_data(client.get(SETTINGS).content.decode(), POLICY)
    data.update(
        {
            "ideas__support_milestones__4__supporters": "20000",
            "ideas__support_milestones__4__days": "30",
            "ideas__support_milestones__5__supporters": "30000",
            "ideas__support_milestones__5__days": "30",
            "ideas__support_milestones__6__supporters": "40000",
            "ideas__support_milestones__6__days": "30",
        }
    )

    assert client.post(POLICY, data).status_code == 302

    space.refresh_from_db()
    assert [s["supporters"] for s in space.policy["ideas"]["support_milestones"]] == [
        100,
        1000,
        5000,
        10000,
        20000,
        30000,
        40000,
    ]


@pytest.mark.parametrize(
    ("language", "changes", "named", "kept"),
    [
        ("en", {"governance__voting_days": "900"}, "Decisions: Voting lasts", 'value="900"'),
        ("es", {"governance__voting_days": "900"}, "Decisiones: La votación dura", 'value="900"'),
        (
            "en",
            {"tasks__claim_days": "soon"},
            "Tasks: A quiet claim is released after",
            'value="soon"',
        ),
        (
            "en",
            {"ideas__support_milestones__0__days": ""},
            "Ideas: Support milestones, row 1: Within",
            'value="100"',
        ),
        (
            "en",
            {"ideas__support_milestones__1__supporters": "50"},
            "Ideas: Support milestones: each milestone must need more supporters than the one "
            "before",
            'value="50"',
        ),
        (
            "es",
            {"ideas__support_milestones__1__supporters": "50"},
            "Ideas: Hitos de apoyo: cada hito debe pedir más apoyos que el anterior",
            'value="50"',
        ),
        (
            "en",
            {
                "ledger__approval_above__0__currency": "XYZ",
                "ledger__approval_above__0__amount": "5",
            },
            "Ledger: Payouts needing a second steward",
            'value="XYZ"',
        ),
        (
            "en",
            {f"ideas__support_milestones__{row}__remove": "on" for row in range(4)},
            "Ideas: Support milestones: Keep at least one row.",
            'value="100"',
        ),
        (
            "en",
            {"ideas__support_milestones__1__days": "4000"},
            "Ideas: Support milestones, row 2: Within",
            'value="4000"',
        ),
        ("en", {"governance__supermajority": "1/3"}, "Decisions: Supermajority", 'value="1/3"'),
        (
            "en",
            {"ideas__revenue_share_basis_points": "100.001"},
            "Ideas: Creators",
            'value="100.001"',
        ),
        ("en", {"governance__eligibility": "everyone"}, "Decisions: Who may vote", ""),
    ],
)
def test_invalid_values_name_the_setting_keep_the_input_and_change_nothing(
    steward: tuple[Space, Client], language: str, changes: dict[str, str], named: str, kept: str
) -> None:
    space, client = steward
    client.cookies["django_language"] = language
    data = form_data(client.get(SETTINGS, HTTP_ACCEPT_LANGUAGE=language).content.decode(), POLICY)
    data["governance__dots"] = "12"  # a valid change alongside the bad one is not saved either
    data.update(changes)
    events = Event.objects.count()

    response = client.post(POLICY, data, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    problems = html[html.index('id="policy-problems"') :]
    problems = re.sub(r"<[^>]+>", "", problems[: problems.index("</div>")])
    assert named in problems
    assert kept in html
    assert 'value="12"' in html
    space.refresh_from_db()
    assert space.policy == policy_defaults()
    assert Event.objects.count() == events


def test_the_json_tab_edits_the_same_policy(steward: tuple[Space, Client]) -> None:
    space, client = steward
    page = client.get(SETTINGS + "?policy=json").content.decode()
    assert 'name="policy"' in page
    assert "ideas__support_milestones__0__supporters" not in page

    response = client.post(POLICY, {"policy": '{"governance": {"voting_days": 900}}'})

    assert response.status_code == 422
    assert "governance.voting_days" in response.content.decode()
    space.refresh_from_db()
    assert space.policy == policy_defaults()


# --- presets -------------------------------------------------------------------------------


def test_every_preset_is_a_valid_policy_and_lego_scale_is_the_defaults() -> None:
    for key in PRESETS:
        assert preset_policy(key) == policy_validate(PRESETS[key].document)
    assert preset_policy("lego-scale") == policy_defaults()
    small = preset_policy("small-team")
    assert small["ideas"]["support_milestones"] == [
        {"supporters": 3, "days": 14},
        {"supporters": 6, "days": 30},
    ]
    assert small["governance"]["quorum_percent"] == 50
    assert preset_policy("open-community")["ideas"]["support_milestones"][-1] == {
        "supporters": 250,
        "days": 180,
    }


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_create_page_makes_a_space_from_the_chosen_preset(
    make_user: Any, client_as: Any, preset: str
) -> None:
    client = client_as(make_user("ana"))
    page = client.get("/spaces/new/").content.decode()
    assert page.count('class="preset-card"') == 3
    assert 'value="open-community" id="id_preset_1" checked' in page

    response = client.post(
        "/spaces/new/",
        {
            "slug": "orchard",
            "name": "Orchard",
            "visibility": "public",
            "participation": "anyone",
            "licence": "CC-BY-SA-4.0",
            "preset": preset,
        },
    )

    assert response.status_code == 302
    assert Space.objects.get(slug="orchard").policy == preset_policy(preset)
    created = Event.objects.get(verb="space:created")
    lines = {line.label: line.text for line in sentences([created])[0].lines}
    assert lines["preset"] == str(PRESETS[preset].name)


def test_the_create_page_without_a_preset_takes_the_default_and_refuses_an_unknown_one(
    make_user: Any, client_as: Any
) -> None:
    client = client_as(make_user("ana"))
    base = {"name": "Orchard", "visibility": "public", "participation": "anyone"}
    base["licence"] = "CC-BY-SA-4.0"

    unknown = client.post("/spaces/new/", {**base, "slug": "a", "preset": "huge"})
    none = client.post("/spaces/new/", {**base, "slug": "b"})

    assert unknown.status_code == 400
    assert not Space.objects.filter(slug="a").exists()
    assert none.status_code == 302
    assert Space.objects.get(slug="b").policy == preset_policy("open-community")


def test_the_api_creates_a_space_from_a_preset_with_the_open_community_by_default(
    make_user: Any, api_as: Any
) -> None:
    api = api_as(make_user("ana"))

    default = api.call("POST", "/spaces", {"slug": "a", "name": "A"})
    small = api.call(
        "POST",
        "/spaces",
        {
            "slug": "b",
            "name": "B",
            "preset": "small-team",
            "policy": {"governance": {"voting_days": 3}},
        },
    )
    unknown = api.call("POST", "/spaces", {"slug": "c", "name": "C", "preset": "huge"})

    assert default.status_code == 201
    assert default.json()["policy"] == preset_policy("open-community")
    assert small.status_code == 201
    expected = preset_policy("small-team")
    expected["governance"]["voting_days"] = 3
    assert small.json()["policy"] == expected
    assert unknown.status_code == 422
    assert not Space.objects.filter(slug="c").exists()


def test_a_steward_resets_to_a_preset_on_the_page_and_in_the_api(
    steward: tuple[Space, Client], api_as: Any
) -> None:
    space, client = steward

    response = client.post("/s/garden/settings/policy/preset", {"preset": "small-team"})

    assert response.status_code == 302
    space.refresh_from_db()
    assert space.policy == preset_policy("small-team")
    event = Event.objects.filter(verb="space:policy_updated").get()
    assert event.data["preset"] == "small-team"
    assert "Small team" in str(sentences([event])[0])

    api = api_as(space.created_by)
    answer = api.call("POST", "/spaces/garden/policy/preset", {"preset": "lego-scale"})
    assert answer.status_code == 200
    assert answer.json() == policy_defaults()
    bad = api.call("POST", "/spaces/garden/policy/preset", {"preset": "huge"})
    assert bad.status_code == 422
    space.refresh_from_db()
    assert space.policy == policy_defaults()


def test_only_stewards_reset_a_preset(
    steward: tuple[Space, Client], make_user: Any, client_as: Any, api_as: Any
) -> None:
    space, _client = steward
    outsider = make_user("bob")

    page = client_as(outsider).post("/s/garden/settings/policy/preset", {"preset": "small-team"})
    api = api_as(outsider).call("POST", "/spaces/garden/policy/preset", {"preset": "small-team"})

    assert page.status_code == 403
    assert api.status_code == 403
    space.refresh_from_db()
    assert space.policy == policy_defaults()


def test_the_documentation_lists_every_preset_value() -> None:
    from tests.spaces.test_space_policy import DOCS, _leaves

    text = DOCS.read_text()
    for key, preset in PRESETS.items():
        assert f"`{key}`" in text
        for leaf in _leaves(preset.document):
            assert re.search(rf"`{re.escape(leaf)}`", text), (key, leaf)
