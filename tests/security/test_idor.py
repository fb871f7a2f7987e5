"""An IDOR sweep: every id-bearing route, with someone else's ids, as a person who may not see them.

Person A's world is the permission table's members-only world (tests/test_permission_table.py
and tests/permission_parts/): a members-only space with pages, comments, ideas, challenges,
tasks, proposals, ledger payouts, webhooks..., and A's own tokens. Person B is signed up
afresh and belongs to nothing. A unique marker is planted in the text of everything in the
space and in A's personal objects. Then every route with a parameter (found by walking the URL
resolver and the API's OpenAPI schema, so routes added later are swept too) is sent, as B,
with A's ids and with every method, and:

- no successful answer carries the marker;
- no request changes the database (every table, counted and hashed row by row).

A route whose parameters cannot be filled fails the sweep with the name of the placeholder.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import ApiToken
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space
from peerwork.wiki.models import Content, RenderedRevision
from tests.conftest import PASSWORD
from tests.test_permission_table import (
    API_BODIES,
    QUERIES,
    WEB_BODIES,
    World,
    _fill,
    _fill_body,
    _own_notification,
)

MARKER = "idorzq7mark"
#: Text fields of a space's objects that hold what people wrote (not names used in addresses).
MARKED_NAMES = {
    "name",
    "title",
    "summary",
    "memo",
    "label",
    "url",
    "secret",
}
#: Names that appear in addresses the sweep fills: marking them would unfill the routes.
UNMARKED = {("wiki.Page", "title"), ("wiki.Link", "title"), ("spaces.Space", "slug")}
#: Columns that change when a request merely signs in (B's own token, B's last login).
VOLATILE = {"last_used_at", "last_login"}
#: Tables a refused request may still write: B's own session.
VOLATILE_TABLES = {"sessions.Session"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Links mailed to a person, whose signed token is the authority itself (whoever holds the mail
#: may reset the password or prove the address), not an id of someone else's: left out.
CAPABILITY_LINKS = ("/password-reset/{", "/email/verify/{")
#: Extra queries that make a parameterised entry point read what A wrote, by name and by id.
SWEEP_QUERIES: dict[str, list[str]] = {
    "/s/{slug}/w/api.php": [
        "?action=query&prop=revisions&rvprop=content&titles=Main_page&format=json",
        "?action=query&list=recentchanges&rcprop=title|comment&format=json",
        "?action=parse&page=Main_page&format=json",
        "?action=query&list=allpages&format=json",
        "?action=query&prop=revisions|info&rvprop=content&revids={revision_id}&format=json",
        "?action=query&prop=revisions|info&rvprop=content&pageids={object_id}&format=json",
        "?action=parse&oldid={revision_id}&format=json",
        "?action=parse&pageid={object_id}&format=json",
        "?action=query&list=backlinks&blpageid={object_id}&format=json",
    ],
}
#: Extra bodies, each sent; "{mw_token}" is B's MediaWiki csrf token for the space addressed.
SWEEP_BODIES: dict[tuple[str, str], list[dict[str, Any]]] = {
    ("POST", "/s/{slug}/w/api.php"): [
        {"action": "edit", "title": "Main_page", "text": "Overwritten", "token": "{mw_token}"},
        {"action": "edit", "pageid": "{object_id}", "text": "Overwritten", "token": "{mw_token}"},
        {"action": "edit", "title": "Taken", "undo": "{revision_id}", "token": "{mw_token}"},
        {"action": "move", "fromid": "{object_id}", "to": "Taken", "token": "{mw_token}"},
        {"action": "delete", "pageid": "{object_id}", "reason": "x", "token": "{mw_token}"},
    ],
}
for _sweep_bodies in SWEEP_BODIES.values():
    for _sweep_body in _sweep_bodies:
        _sweep_body["format"] = "json"


# ---- what to send ------------------------------------------------------------------------


def _web_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every page route, placeholders written {name} (the API is read from its schema)."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith("api/v1/"):
                continue
            found += _web_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            found.append(
                "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern).lstrip("^").rstrip("$")
            )
    return found


def _api_operations() -> list[tuple[str, str]]:
    from peerwork.urls import api

    schema = api.get_openapi_schema()
    operations = []
    for path, item in schema["paths"].items():
        for method in item:
            if method.upper() in METHODS:
                operations.append((method.upper(), re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", path)))
    return operations


def _requests() -> list[tuple[str, str]]:
    """(method, route) for every route with a parameter: pages with every method, the API
    with the methods its schema names."""
    web = sorted(
        {
            route
            for route in _web_routes()
            if "{" in route and not route.startswith(("/static/", *CAPABILITY_LINKS))
        }
    )
    api = sorted({(m, route) for m, route in _api_operations() if "{" in route})
    return [(method, route) for route in web for method in METHODS] + api


# ---- A's world, marked -------------------------------------------------------------------


def _space_models() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to its space) for every model in a space, directly or one step away."""
    found: list[tuple[type[models.Model], str]] = []
    owners: dict[type[models.Model], str] = {}
    for model in apps.get_models():
        if model is Space:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Space:
                owners[model] = field.name
                found.append((model, field.name))
    for model in apps.get_models():
        if model in owners or model is Space:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model in owners:
                found.append((model, f"{field.name}__{owners[field.related_model]}"))
                break
    return found


def _marked_fields(model: type[models.Model]) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if (model._meta.label, field.name) in UNMARKED or field.choices:
            continue
        if isinstance(field, models.TextField) or (
            isinstance(field, models.CharField) and field.name in MARKED_NAMES
        ):
            names.append(field.name)
    return names


def _plant_marker(world: World) -> None:
    """The marker in everything of the members-only space, and in A's and others' tokens."""
    space = world.space
    for model, lookup in _space_models():
        fields = _marked_fields(model)
        if fields:
            model._base_manager.filter(**{lookup: space}).update(
                **{name: Concat(name, Value(f" {MARKER}")) for name in fields}
            )
    Space.objects.filter(pk=space.pk).update(
        name=Concat("name", Value(f" {MARKER}")),
        description=Concat("description", Value(f" {MARKER}")),
    )
    # Page text lives in content rows (shared by hash) and their rendering.
    from peerwork.wiki.models import Revision

    contents = Revision.objects.filter(page__space=space).values("content_id")
    Content.objects.filter(pk__in=contents).update(text=Concat("text", Value(f"\n{MARKER}")))
    RenderedRevision.objects.filter(revision__page__space=space).update(
        html=Concat("html", Value(f"<p>{MARKER}</p>"))
    )
    ApiToken.objects.update(name=Concat("name", Value(f" {MARKER}")))


def _checksum() -> dict[str, tuple[int, str]]:
    """Per table: (rows, hash of every row in primary-key order)."""
    sums = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in VOLATILE_TABLES or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in VOLATILE]
        rows = list(model._base_manager.order_by("pk").values_list(*fields))
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=12).hexdigest()
        sums[label] = (len(rows), digest)
    return sums


def _writes() -> int | None:
    """Rows written so far on this connection, or None where the database cannot say: a
    cheap way to know a request wrote nothing, so the full checksum runs only when it did."""
    from django.db import connection

    query = {
        "sqlite": "SELECT total_changes()",
        "postgresql": "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
        " FROM pg_stat_xact_user_tables",
    }.get(connection.vendor)
    if query is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(query)
        return int(cursor.fetchone()[0])


def _changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> list[str]:
    return [
        f"{label} {before.get(label)} -> {after.get(label)}"
        for label in sorted(set(before) | set(after))
        if before.get(label) != after.get(label)
    ]


# ---- the sweep ---------------------------------------------------------------------------


def _bodies(method: str, route: str) -> list[dict[str, Any]]:
    """Plausible bodies: the sweep's own, else the table's for the route and method, else
    the table's for another method of the route (a PUT where a POST is expected)."""
    table = API_BODIES if route.startswith("/api/") else WEB_BODIES
    if (method, route) in SWEEP_BODIES:
        return SWEEP_BODIES[(method, route)]
    body = table.get((method, route))
    if body is None:
        body = next((b for (m, r), b in table.items() if r == route), {})
    return [body]


def _send(client: Client, method: str, path: str, body: dict[str, Any] | None, is_api: bool) -> Any:
    call = getattr(client, method.lower())
    if method == "GET":
        return call(path)
    if is_api:
        return call(
            path,
            json.dumps(body or {}),
            content_type="application/json",
            headers={"Idempotency-Key": f"idor-{method}-{path}"},
        )
    if method == "POST":
        return call(path, body or {})
    from urllib.parse import urlencode

    return call(path, urlencode(body or {}), content_type="application/x-www-form-urlencoded")


def _content(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _variants(method: str, route: str) -> list[tuple[str, dict[str, Any]]]:
    """(address with query, body) templates for a route."""
    queries = SWEEP_QUERIES.get(route) if method == "GET" else None
    queries = queries or [QUERIES.get((method, route), "")]
    return [(route + query, body) for query in queries for body in _bodies(method, route)]


SPACE_PREFIXES = ("/s/{slug}", "/api/v1/spaces/{slug}")


def _has_id(route: str) -> bool:
    return any(re.fullmatch(r"id|\w+_id", name) for name in re.findall(r"\{(\w+)\}", route))


def _moved(path: str, route: str, world: World, slug: str) -> str:
    """`path` (filled for A's space) under the space `slug` instead, A's ids kept."""
    for prefix in SPACE_PREFIXES:
        if route.startswith(prefix):
            filled = prefix.replace("{slug}", world.space.slug)
            assert path.startswith(filled)
            return prefix.replace("{slug}", slug) + path[len(filled) :]
    return path


def cross_space_requests(requests: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The space routes that take an object id (in the address, query or body): sent under
    B's own space, with A's ids."""
    return [
        (method, route)
        for method, route in requests
        if route.startswith(SPACE_PREFIXES)
        and any(_has_id(t) or _has_id(json.dumps(b)) for t, b in _variants(method, route))
    ]


def _mediawiki_token(client: Client, slug: str) -> str:
    """B's MediaWiki csrf token for a space's api.php (the anonymous one where B may not read
    the space)."""
    response = client.get(f"/s/{slug}/w/api.php?action=query&meta=tokens&format=json")
    if response.status_code != 200:
        return "+\\"
    return str(response.json()["query"]["tokens"]["csrftoken"])


def sweep(
    world: World, requests: list[tuple[str, str]], *, own_space: bool = False
) -> tuple[list[str], int]:
    """(problems, requests sent): B sends each request, each in a savepoint rolled back after
    it, so one leaky write cannot hide or cause another. With `own_space`, space routes go to
    a public space B stewards, still with A's ids (an object must be reached only through
    its own space)."""
    owner = world.users["mem"]
    intruder = accounts.user_signup(username="intruder", password=PASSWORD)
    if own_space:
        spaces.space_create(user=intruder, slug="bspace", name="B's", visibility="public")
    _token, raw = accounts.token_create(user=intruder, person=intruder, name="b", scope="write")
    web = Client()
    web.force_login(intruder)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    api.get("/api/v1/me")  # B's own token is touched once, before any checksum
    problems: list[str] = []
    sent = 0
    # The notification a route names is made when the route is filled: make it now, so the
    # baseline holds it.
    _own_notification(owner)
    # Every request runs in a savepoint rolled back after it, so each starts from this state.
    baseline = _checksum()
    mw_tokens: dict[str, str] = {}
    for method, route in requests:
        is_api = route.startswith("/api/")
        client = api if is_api else web
        space = "bspace" if own_space and route.startswith(SPACE_PREFIXES) else world.space.slug
        try:
            sends = []
            for template, body in _variants(method, route):
                if own_space and not (_has_id(template) or _has_id(json.dumps(body))):
                    continue  # by name, in B's own space: B's own objects, not A's
                path = _fill(template, world, owner)
                if own_space:
                    path = _moved(path, route, world, space)
                if "{mw_token}" in body.values():
                    if space not in mw_tokens:
                        mw_tokens[space] = _mediawiki_token(client, space)
                    body = {
                        k: mw_tokens[space] if v == "{mw_token}" else v for k, v in body.items()
                    }
                filled = _fill_body(body, route, world, owner) or {}
                sends.append((path, filled))
        except KeyError as missing:
            problems.append(
                f"{method} {route}: no value for the placeholder {missing}; add one to "
                "tests/test_permission_table.py _fill or a part's values() in "
                "tests/permission_parts/"
            )
            continue
        for path, body in sends:
            savepoint = transaction.savepoint()
            try:
                written = _writes()
                response = _send(client, method, path, body, is_api)
                content = _content(response)
                quiet = written is not None and _writes() == written
                changed = [] if quiet else _changed(baseline, _checksum())
            finally:
                transaction.savepoint_rollback(savepoint)
            sent += 1
            status = response.status_code
            if status >= 500:
                problems.append(f"{method} {path}: server error {status}")
            if 200 <= status < 300 and MARKER.encode() in content:
                at = content.find(MARKER.encode())
                problems.append(
                    f"{method} {path} {body}: {status} shows A's data: "
                    f"{content[max(0, at - 200) : at]!r}"
                )
            if changed:
                problems.append(f"{method} {path} {body}: {status} changed {changed}")
    if _changed(baseline, _checksum()):
        problems.append("the sweep left the database changed")
    return problems, sent


@pytest.fixture
def members_world(db: Any, settings: Any) -> World:
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    settings.PEERWORK_LIVE_LIFETIME = 0.1
    settings.PEERWORK_LIVE_POLL = 0.02
    world = World("members")
    _plant_marker(world)
    return world


def test_the_sweep_finds_routes_of_every_kind() -> None:
    requests = _requests()
    routes = {route for _method, route in requests}
    assert "/s/{slug}/wiki/{title}" in routes
    assert "/api/v1/spaces/{slug}/pages/{title}" in routes
    assert ("DELETE", "/api/v1/me/tokens/{token_id}") in requests
    assert len(routes) > 200


@pytest.mark.django_db
def test_no_route_gives_b_what_a_owns(members_world: World) -> None:
    problems, sent = sweep(members_world, _requests())
    assert problems == []
    assert sent >= 800


@pytest.mark.django_db
def test_no_route_reaches_a_object_through_b_own_space(members_world: World) -> None:
    requests = cross_space_requests(_requests())
    problems, sent = sweep(members_world, requests, own_space=True)
    assert problems == []
    assert sent >= len(requests) >= 300


@pytest.mark.django_db
def test_the_marker_is_where_a_member_reads_it(members_world: World) -> None:
    """Planted where the sweep looks: A, a member, reads it through a page and the API."""
    client = Client()
    client.force_login(members_world.users["mem"])
    assert MARKER in client.get("/s/s/wiki/Main_page").content.decode()
    _token, raw = members_world.tokens["mem"]
    own = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert MARKER in own.get("/api/v1/spaces/s/pages/Main_page").content.decode()
    assert MARKER in own.get("/api/v1/me/tokens").content.decode()


@pytest.mark.django_db
def test_the_sweep_notices_a_leak_and_a_write(members_world: World, monkeypatch: Any) -> None:
    """A read rule that lets everyone see members-only spaces makes the sweep fail, both with
    the marker in an answer and with a change in the database."""
    from peerwork.core import policy

    real = policy._RULES["space.view"]
    monkeypatch.setitem(
        policy._RULES,
        "space.view",
        policy.RegisteredRule("space.view", lambda u, o: True, None, True, False),
    )
    monkeypatch.setitem(
        policy._RULES,
        "page.edit",
        policy.RegisteredRule("page.edit", lambda u, o: True, None, True, False),
    )
    assert real.action == "space.view"
    problems, _sent = sweep(
        members_world,
        [("GET", "/s/{slug}/wiki/{title}"), ("POST", "/s/{slug}/edit/{title}")],
    )
    assert any("shows A's data" in line for line in problems)
    assert any("changed" in line and "wiki.Revision" in line for line in problems)


@pytest.mark.django_db
def test_a_route_without_values_is_named(members_world: World) -> None:
    problems, _sent = sweep(members_world, [("GET", "/s/{slug}/novel/{gizmo_id}")])
    assert problems and "placeholder 'gizmo_id'" in problems[0]


# ---- ids in bodies: a reference from B's own object to one of A's -------------------------

#: (method, route under B's space, body): "{theirs:x}" is A's object, "{mine:x}" B's own one of
#: the same kind; the request with B's own object is the control that must succeed.
BODY_REFERENCES: list[tuple[str, str, dict[str, Any]]] = [
    ("PUT", "/api/v1/spaces/bspace/pages/Own", {"text": "x", "base_revision": "{revision}"}),
    ("POST", "/s/bspace/edit/Own", {"text": "x", "base_revision": "{revision}"}),
    ("POST", "/api/v1/spaces/bspace/discussion/Own", {"text": "x", "parent": "{comment}"}),
    ("POST", "/s/bspace/discussion/Own", {"text": "x", "parent": "{comment}"}),
    ("POST", "/api/v1/spaces/bspace/ideas/{b_idea}/flags", {"duplicate_of": "{idea}"}),
    ("POST", "/api/v1/spaces/bspace/ideas/{b_idea}/merge", {"into": "{idea}"}),
    ("POST", "/s/bspace/ideas/{b_idea}/merge", {"into": "{idea}"}),
    (
        "POST",
        "/api/v1/spaces/bspace/ideas/{b_idea}/comments",
        {"text": "x", "parent": "{idea_comment}"},
    ),
    ("POST", "/api/v1/spaces/bspace/tasks", {"title": "Next", "depends_on": ["{task}"]}),
    (
        "POST",
        "/api/v1/spaces/bspace/tasks/{b_task}/deliveries",
        {"text": "done", "revision_id": "{revision}"},
    ),
]


def _b_objects(world: World, intruder: Any) -> dict[str, dict[str, int]]:
    """B's own space with one object of each kind the bodies name; {"theirs": A's ids,
    "mine": B's} by kind."""
    from peerwork.discussions import actions as discussions
    from peerwork.ideas import actions as ideas
    from peerwork.tasks import actions as tasks
    from peerwork.wiki import actions as wiki

    own = spaces.space_create(user=intruder, slug="bspace", name="B's", visibility="public")
    page = wiki.page_save(
        user=intruder, space=own, title="Own", text="Mine.", base_revision_id=None
    )
    comment = discussions.comment_post(user=intruder, target=page.page, text="Mine.")
    b_idea = ideas.idea_publish(
        user=intruder, idea=ideas.idea_create(user=intruder, space=own, title="Bike racks")
    )
    other = ideas.idea_publish(
        user=intruder, idea=ideas.idea_create(user=intruder, space=own, title="Bike sheds")
    )
    idea_comment = discussions.comment_post(user=intruder, target=b_idea, text="Where?")
    b_task = tasks.task_create(user=intruder, space=own, title="Count the racks")
    tasks.task_claim(user=intruder, task=b_task)
    other_task = tasks.task_create(user=intruder, space=own, title="Paint the racks")
    return {
        "theirs": {
            "revision": world.page.current_revision_id,
            "comment": world.comment.pk,
            "idea": world.idea.pk,  # type: ignore[attr-defined]
            "idea_comment": world.idea_comment.pk,  # type: ignore[attr-defined]
            "task": world.task.pk,  # type: ignore[attr-defined]
        },
        "mine": {
            "revision": page.revision.pk,
            "comment": comment.pk,
            "idea": other.pk,
            "idea_comment": idea_comment.pk,
            "task": other_task.pk,
        },
        "path": {"b_idea": b_idea.pk, "b_task": b_task.pk},
    }


def _with(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, list):
        return [_with(item, ids) for item in value]
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return ids[value[1:-1]]
    return value


@pytest.mark.django_db
def test_a_body_cannot_name_a_object_of_another_space(members_world: World) -> None:
    """B, steward of a public space of their own, refers from their objects to A's hidden
    ones (a revision to edit from, a comment to answer, an idea to merge into, a task to
    depend on): refused, nothing changes; the same request naming B's own object succeeds."""
    intruder = accounts.user_signup(username="intruder", password=PASSWORD)
    objects = _b_objects(members_world, intruder)
    _token, raw = accounts.token_create(user=intruder, person=intruder, name="b", scope="write")
    web = Client()
    web.force_login(intruder)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    api.get("/api/v1/me")
    baseline = _checksum()
    problems = []
    for method, route, template in BODY_REFERENCES:
        path = re.sub(r"\{(\w+)\}", lambda m: str(objects["path"][m.group(1)]), route)
        is_api = path.startswith("/api/")
        for whose in ("theirs", "mine"):
            body = {key: _with(value, objects[whose]) for key, value in template.items()}
            savepoint = transaction.savepoint()
            try:
                response = _send(api if is_api else web, method, path, body, is_api)
                content = _content(response)
                changed = _changed(baseline, _checksum())
            finally:
                transaction.savepoint_rollback(savepoint)
            status = response.status_code
            if whose == "mine" and not (status < 400 and changed):
                problems.append(f"control {method} {path} {body}: {status} {content[:200]!r}")
            if whose == "theirs" and (status < 400 or changed or status >= 500):
                problems.append(f"{method} {path} {body}: {status} changed {changed}")
            if whose == "theirs" and MARKER.encode() in content:
                problems.append(f"{method} {path} {body}: {status} shows A's data")
    assert problems == []
