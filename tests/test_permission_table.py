"""The permission table in docs/permissions.md, checked cell by cell and route by route.

The table is the specification: this file only reads it. Three things are checked:
1. every cell against `policy.can`/`policy.require`, for every registered action;
2. every route as every role of its action's table (and every openness, for space routes),
   through real HTTP requests to the pages and the API;
3. every route the project serves is in the routes table, and every row there exists.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver

from peerwork.accounts import actions as accounts
from peerwork.accounts.email_actions import reset_uid, verification_token
from peerwork.accounts.models import (
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    User,
)
from peerwork.core import policy
from peerwork.core.api import api
from peerwork.core.errors import Forbidden, NotAuthenticated, NotFound
from peerwork.discussions import actions as discussions
from peerwork.interop.models import WebhookDelivery, WebhookSubscription
from peerwork.spaces.models import JoinRequest, Space, SpaceInvitation, SpaceMembership
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import TitleProtection
from tests import permission_parts
from tests.challenges.conftest import fund
from tests.conftest import PASSWORD

DOC = Path(__file__).resolve().parents[1] / "docs" / "permissions.md"
#: The tables of later capabilities, one file each, read as parts of the same document.
DOCS = [DOC, *sorted((DOC.parent / "permissions").glob("*.md"))]
#: Their worlds: each module in tests/permission_parts/ adds its people, objects and bodies.
PARTS = [
    importlib.import_module(f"{permission_parts.__name__}.{info.name}")
    for info in pkgutil.iter_modules(permission_parts.__path__)
]
OPENNESS = {
    "public-anyone": ("public", "anyone"),
    "public-members": ("public", "members"),
    "members": ("members", "members"),
}
ROLE_USERS = {
    "anonymous": None,
    "outsider": "out",
    "member": "mem",
    "org-member": "orgmem",
    "steward": "stew",
    "admin": "admin",
    "invitee": "invitee",
    "requester": "requester",
    "org-admin": "orgadmin",
    "other": "out",
    "self": "mem",
    "signed-in": "out",
    "author": "author",
}
for _part in PARTS:
    ROLE_USERS.update(_part.ROLE_USERS)
PSEUDO_ACTIONS = {
    "public": {"anonymous": "allow", "outsider": "allow", "admin": "allow"},
    "signed-in": {"anonymous": "deny", "outsider": "allow", "admin": "allow"},
}


# ---- reading the document ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    action: str
    openness: str
    role: str
    expected: str
    any_openness: bool = False


def _rows(lines: list[str], start: int) -> list[list[str]]:
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([part.strip() for part in line.strip().strip("|").split("|")])
    return rows


def _read_doc() -> tuple[list[Cell], list[tuple[str, str, str]]]:
    lines = [line for doc in DOCS for line in [*doc.read_text().splitlines(), ""]]
    cells: list[Cell] = []
    routes: list[tuple[str, str, str]] = []
    for index, line in enumerate(lines):
        if line.startswith("| action | openness |"):
            roles = [part.strip() for part in line.strip().strip("|").split("|")][2:]
            for row in _rows(lines, index):
                action, openness, *values = row
                assert len(values) == len(roles), f"row {row} does not fill the table"
                for role, value in zip(roles, values, strict=True):
                    assert value in {"allow", "deny", "hidden"}, f"bad cell {value!r} in {row}"
                    for each in OPENNESS if openness == "any" else [openness]:
                        cells.append(Cell(action, each, role, value, openness == "any"))
        elif line.startswith("| method | route | action |"):
            routes += [tuple(row) for row in _rows(lines, index)]  # type: ignore[misc]
    return cells, routes


CELLS, ROUTES = _read_doc()
#: Actions whose rows name each openness (not "any"): their routes run in every openness.
OPENNESS_ACTIONS = {cell.action for cell in CELLS if not cell.any_openness}


def _expectations(action: str) -> dict[tuple[str, str], str]:
    """(openness, role) -> expected, for an action or pseudo-action."""
    if action in PSEUDO_ACTIONS:
        return {("public-anyone", role): value for role, value in PSEUDO_ACTIONS[action].items()}
    found = {(c.openness, c.role): c.expected for c in CELLS if c.action == action}
    assert found, f"the routes table names {action!r}, which no table row covers"
    return found


# ---- the world every check runs in ------------------------------------------------------


class World:
    """A space of one openness with a person in every role, and the objects routes need."""

    def __init__(self, openness: str) -> None:
        visibility, participation = OPENNESS[openness]
        self.users = {
            name: accounts.user_signup(username=name, password=PASSWORD)
            for name in (
                "stew",
                "mem",
                "orgmem",
                "orgadmin",
                "out",
                "admin",
                "invitee",
                "requester",
                "tgt",
                "orgtgt",
                "author",
                *(name for part in PARTS for name in part.EXTRA_USERS),
            )
        }
        User.objects.filter(username="admin").update(is_superuser=True, is_staff=True)
        User.objects.filter(username="tgt").update(email="tgt@example.org")
        self.users["tgt"].email = "tgt@example.org"
        stew = self.users["stew"]
        self.space = Space.objects.create(
            slug="s",
            name="S",
            visibility=visibility,
            participation=participation,
            created_by=stew,
        )
        self.organization = Organization.objects.create(slug="org", name="Org", created_by=stew)
        for name, role in (("orgadmin", "admin"), ("orgmem", "member"), ("orgtgt", "member")):
            OrganizationMembership.objects.create(
                organization=self.organization, user=self.users[name], role=role
            )
        SpaceMembership.objects.create(space=self.space, user=stew, role="steward")
        SpaceMembership.objects.create(space=self.space, user=self.users["mem"], role="member")
        self.target_membership = SpaceMembership.objects.create(
            space=self.space, user=self.users["tgt"], role="member"
        )
        SpaceMembership.objects.create(space=self.space, organization=self.organization)
        self.invitation = SpaceInvitation.objects.create(
            space=self.space, user=self.users["invitee"], invited_by=stew
        )
        self.join_request = JoinRequest.objects.create(
            space=self.space, user=self.users["requester"], message="please"
        )
        self.organization_invitation = OrganizationInvitation.objects.create(
            organization=self.organization,
            user=self.users["invitee"],
            invited_by=self.users["orgadmin"],
        )
        self.tokens = {
            name: accounts.token_create(user=user, person=user, name="t", scope="write")
            for name, user in self.users.items()
        }
        saved = wiki.page_save(
            user=stew,
            space=self.space,
            title="Main page",
            text="Hello [[Category:Maps]]\n",
            base_revision_id=None,
        )
        self.page = saved.page
        self.revision = saved.revision
        SpaceMembership.objects.create(space=self.space, user=self.users["author"], role="member")
        self.comment = discussions.comment_post(
            user=self.users["author"], target=self.page, text="A first comment."
        )
        # A webhook on loopback (never called: these tests run no on-commit jobs) with one
        # finished delivery, so its routes have objects to answer about.
        self.webhook = WebhookSubscription.objects.create(
            space=self.space, url="http://127.0.0.1:9/hook", secret="s", created_by=stew
        )
        self.delivery = WebhookDelivery.objects.create(
            subscription=self.webhook,
            event=self.space.events.order_by("-id").first(),
            body="{}",
            status="failed",
            attempts=1,
        )
        for part in PARTS:
            part.build(self)

    def user(self, role: str) -> User | None:
        name = ROLE_USERS[role]
        return None if name is None else User.objects.get(username=name)

    def object_for(self, action: str) -> Any:
        for part in PARTS:
            if action.startswith(part.PREFIXES):
                return part.object_for(self, action)
        if action.startswith("event."):
            return self.space.events.filter(verb="page:created").first()
        if action.startswith("space.invitation."):
            return self.invitation
        if action.startswith("space.join_request."):
            return self.join_request
        if action.startswith("organization.invitation."):
            return self.organization_invitation
        if action in {"space.create", "organization.create"}:
            return None
        if action.startswith("organization."):
            return self.organization
        if action.startswith("user."):
            return self.users["mem"]
        if action in {"discussion.view", "comment.post"}:
            return self.page
        if action.startswith("comment."):
            return self.comment
        if action.startswith("page.") and action != "page.create":
            return self.page
        if action == "title.create":
            # A title reserved for stewards (MediaWiki's create=sysop), not yet created.
            return TitleProtection(
                space=self.space, namespace=0, title="Reserved", level="stewards"
            )
        if action.startswith("revision."):
            return self.revision
        return self.space


@pytest.fixture(autouse=True)
def _webhooks_on_loopback(settings: Any) -> None:
    """Webhook routes subscribe 127.0.0.1 URLs: no request here may leave this machine."""
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True


# ---- 1. every cell against the policy ---------------------------------------------------


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_every_registered_action_is_in_the_table():
    assert sorted({c.action for c in CELLS}) == policy.registered_actions()


@pytest.mark.django_db
@pytest.mark.parametrize("openness", list(OPENNESS))
def test_policy_matches_table(openness: str) -> None:
    world = World(openness)
    mismatches = []
    for cell in (c for c in CELLS if c.openness == openness):
        user = world.user(cell.role) or _anonymous()
        obj = world.object_for(cell.action)
        try:
            policy.require(user, cell.action, obj)
            got = "allow"
        except NotFound:
            got = "hidden"
        except (Forbidden, NotAuthenticated):
            got = "deny"
        if got != cell.expected or policy.can(user, cell.action, obj) != (got == "allow"):
            mismatches.append(
                f"{cell.action} {openness} {cell.role}: table {cell.expected}, policy {got}"
            )
    assert mismatches == []


# ---- 1b. the queryset form of every read rule agrees with the object form ----------------

#: Read rules that let everyone see everything: no world can have a hidden side for them.
EVERYTHING_VISIBLE = {"organization.view"}


def _add_hidden_side(world: World) -> None:
    """Objects some viewers may not see, so no scoped action agrees with `can` vacuously: a
    members-only second space with a challenge, an invitation and a join request; a draft
    idea; a deleted page (with its revision and a comment); a removed comment; a judged
    challenge; an account that is closed; a second organization invitation."""
    from datetime import timedelta

    from django.utils import timezone

    from peerwork.challenges import actions as challenges
    from peerwork.challenges.models import Challenge
    from peerwork.ideas import actions as ideas
    from tests.permission_parts import challenges as parts

    users = world.users
    hidden = Space.objects.create(
        slug="hidden",
        name="Hidden",
        visibility="members",
        participation="members",
        created_by=users["out"],
    )
    SpaceMembership.objects.create(space=hidden, user=users["out"], role="steward")
    for part in PARTS:
        if hasattr(part, "add_hidden_side"):
            part.add_hidden_side(world, hidden)
    SpaceInvitation.objects.create(space=hidden, user=users["tgt"], invited_by=users["out"])
    JoinRequest.objects.create(space=hidden, user=users["mem"], message="me too")
    OrganizationInvitation.objects.create(
        organization=world.organization, user=users["out"], invited_by=users["orgadmin"]
    )
    fund(hidden, users["out"])
    now = timezone.now()
    challenges.challenge_create(
        user=users["out"],
        space=hidden,
        title="Hidden",
        statement="s",
        kind="ideation",
        currency="EUR",
        prize_pool=10,
        prize_split=[10],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        ip_terms="license",
        criteria=[("Quality", 1)],
    )
    judged = challenges.challenge_create(
        user=users["seeker"],
        space=world.space,
        title="Judged",
        statement="s",
        kind="scored",
        metric="accuracy",
        currency="EUR",
        prize_pool=10,
        prize_split=[10],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        ip_terms="license",
    )
    challenges.truth_upload(user=users["seeker"], challenge=judged, data=parts.TRUTH.encode())
    challenges.submission_create(
        user=users["mem"], challenge=judged, predictions=parts.PREDICTIONS.encode()
    )
    Challenge.objects.filter(pk=judged.pk).update(
        opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=2)
    )
    ideas.idea_create(user=users["ideaauthor"], space=world.space, title="A draft")
    doomed = wiki.page_save(
        user=users["stew"], space=world.space, title="Doomed", text="x", base_revision_id=None
    ).page
    discussions.comment_post(user=users["author"], target=doomed, text="On a doomed page.")
    wiki.page_delete(user=users["stew"], page=doomed, reason="spam")
    removed = discussions.comment_post(user=users["author"], target=world.page, text="Oops.")
    discussions.comment_delete(user=users["author"], comment=removed)
    User.objects.filter(username="tgt").update(is_active=False)


def _viewers(world: World) -> dict[str, Any]:
    """Every role of the tables, and anonymous, each a fresh person (no cached roles)."""
    viewers: dict[str, Any] = {"anonymous": _anonymous()}
    for name in sorted(set(ROLE_USERS.values()) - {None}):
        if name not in viewers:
            viewers[name] = User.objects.get(username=name)
    return viewers


def _agreement(world: World, actions: list[str]) -> tuple[list[str], set[str]]:
    """(disagreements, actions with both sides): an object is in `filter(user, action,
    Model.objects.all())` exactly when `can(user, action, obj)`, for every viewer."""
    wrong: list[str] = []
    both_sides: set[str] = set()
    for action in actions:
        model = type(world.object_for(action))
        objects = list(model._default_manager.all())
        for name, viewer in _viewers(world).items():
            filtered = set(
                policy.filter(viewer, action, model._default_manager.all()).values_list(
                    "pk", flat=True
                )
            )
            allowed = {obj.pk for obj in objects if policy.can(viewer, action, obj)}
            if filtered != allowed:
                wrong.append(
                    f"{action} as {name}: filter only {sorted(filtered - allowed)}, "
                    f"can only {sorted(allowed - filtered)}"
                )
            if allowed and len(allowed) < len(objects):
                both_sides.add(action)
    return wrong, both_sides


def test_every_view_rule_has_a_scope() -> None:
    views = [action for action in policy.registered_actions() if action.endswith(".view")]
    assert [action for action in views if action not in policy.scoped_actions()] == []


def test_filter_refuses_an_action_without_a_scope() -> None:
    with pytest.raises(LookupError):
        policy.filter(_anonymous(), "space.update", Space.objects.all())


@pytest.mark.django_db
def test_filter_agrees_with_can() -> None:
    """For every scoped action, in every world, as every viewer; and each action has, in some
    world, a viewer who sees some of its objects and not others (so it cannot pass vacuously)."""
    from django.db import transaction

    wrong: list[str] = []
    both_sides: set[str] = set()
    for openness in OPENNESS:
        savepoint = transaction.savepoint()
        try:
            world = World(openness)
            _add_hidden_side(world)
            found, sides = _agreement(world, policy.scoped_actions())
        finally:
            transaction.savepoint_rollback(savepoint)
        wrong += [f"{openness}: {line}" for line in found]
        both_sides |= sides
    assert wrong == []
    one_sided = set(policy.scoped_actions()) - both_sides - EVERYTHING_VISIBLE
    assert sorted(one_sided) == []


@pytest.mark.django_db
def test_the_agreement_check_notices_a_wrong_scope(monkeypatch: Any) -> None:
    """A scope that forgets drafts are private lets the check fail."""
    monkeypatch.setitem(policy._SCOPES, "idea.view", lambda user, ideas: ideas)
    world = World("public-anyone")
    _add_hidden_side(world)
    wrong, _sides = _agreement(world, ["idea.view"])
    assert wrong and all(line.startswith("idea.view as ") for line in wrong)


# ---- 2. every route as every role --------------------------------------------------------

# Request bodies that would succeed for a role that is allowed; the API takes JSON, pages forms.
API_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/accounts"): {"username": "newcomer", "password": "a long new password"},
    ("PATCH", "/api/v1/me"): {"bio": "hello"},
    ("POST", "/api/v1/me/password"): {
        "old_password": PASSWORD,
        "new_password": "another long secret",
    },
    ("POST", "/api/v1/me/tokens"): {"name": "bot", "scope": "read"},
    ("POST", "/api/v1/spaces/{slug}/blocks"): {"username": "out", "reason": "spam"},
    ("PUT", "/api/v1/spaces/{slug}/title-protection/{title}"): {"level": "stewards"},
    ("PATCH", "/api/v1/me/email"): {"notifications": "weekly"},
    ("PUT", "/api/v1/me/email/address"): {"address": "new@example.org", "password": PASSWORD},
    ("POST", "/api/v1/email/verify"): {"token": "{verification}"},
    ("POST", "/api/v1/password-reset"): {"email": "tgt@example.org"},
    ("POST", "/api/v1/password-reset/confirm"): {
        "uid": "{uidb64}",
        "token": "{token}",
        "new_password": "another long secret",
    },
    ("POST", "/api/v1/organizations"): {"slug": "new-org", "name": "New"},
    ("PATCH", "/api/v1/organizations/{slug}"): {"name": "Renamed"},
    ("POST", "/api/v1/organizations/{slug}/members"): {"username": "out"},
    ("PATCH", "/api/v1/organizations/{slug}/members/{username}"): {"role": "admin"},
    ("POST", "/api/v1/organizations/{slug}/invitations"): {"username": "out"},
    ("POST", "/api/v1/organization-invitations/{invitation_id}/response"): {"accept": True},
    ("POST", "/api/v1/spaces"): {"slug": "new-space", "name": "New"},
    ("PATCH", "/api/v1/spaces/{slug}"): {"name": "Renamed"},
    ("PUT", "/api/v1/spaces/{slug}/policy"): {"capitalize_titles": False},
    ("POST", "/api/v1/spaces/{slug}/policy/preset"): {"preset": "small-team"},
    ("POST", "/api/v1/spaces/{slug}/members"): {"username": "invitee"},
    ("PATCH", "/api/v1/spaces/{slug}/members/{member_id}"): {"role": "steward"},
    ("POST", "/api/v1/spaces/{slug}/join"): {},
    ("POST", "/api/v1/spaces/{slug}/leave"): {},
    ("POST", "/api/v1/spaces/{slug}/join-requests"): {"message": "hi"},
    ("POST", "/api/v1/spaces/{slug}/join-requests/{request_id}/decision"): {"decision": "approve"},
    ("POST", "/api/v1/spaces/{slug}/invitations"): {"username": "out"},
    ("POST", "/api/v1/space-invitations/{invitation_id}/response"): {"accept": True},
    ("PUT", "/api/v1/spaces/{slug}/pages/{title}"): {"text": "x", "base_revision": "{revision_id}"},
    ("POST", "/api/v1/spaces/{slug}/preview"): {"title": "Main page", "text": "*x*"},
    ("POST", "/api/v1/spaces/{slug}/moves"): {"title": "Main page", "new_title": "Moved"},
    ("POST", "/api/v1/spaces/{slug}/deletions"): {"title": "Main page", "reason": "spam"},
    ("POST", "/api/v1/spaces/{slug}/restorations"): {"title": "Main page", "reason": "back"},
    ("PUT", "/api/v1/spaces/{slug}/protection/{title}"): {"edit": "members", "move": "members"},
    ("POST", "/api/v1/spaces/{slug}/discussion/{title}"): {"text": "A reply."},
    ("PATCH", "/api/v1/comments/{comment_id}"): {"text": "An edited comment."},
    ("PATCH", "/api/v1/me/notifications/{notification_id}"): {"read": True},
    ("POST", "/api/v1/spaces/{slug}/webhooks"): {"url": "http://127.0.0.1:9/new-hook"},
}
WEB_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/i18n/setlang/"): {"language": "es", "next": "/"},
    ("POST", "/password-reset/"): {"email": "tgt@example.org"},
    ("POST", "/settings/email/"): {"notifications": "weekly"},
    ("POST", "/settings/email/address"): {"email": "new@example.org", "password": PASSWORD},
    ("POST", "/signup/"): {
        "username": "newcomer",
        "password1": "a long new password",
        "password2": "a long new password",
    },
    ("POST", "/login/"): {"username": "out", "password": PASSWORD},
    ("POST", "/settings/profile/"): {"display_name": "Me", "time_zone": "UTC"},
    ("POST", "/settings/password/"): {
        "old_password": PASSWORD,
        "new_password1": "another long secret",
        "new_password2": "another long secret",
    },
    ("POST", "/settings/tokens/"): {"name": "bot", "scope": "read"},
    ("POST", "/organizations/new/"): {"slug": "new-org", "name": "New"},
    ("POST", "/organizations/{slug}/edit/"): {"name": "Renamed"},
    ("POST", "/organizations/{slug}/members/add"): {"username": "out", "role": "member"},
    ("POST", "/organizations/{slug}/members/{username}/role"): {"role": "admin"},
    ("POST", "/organizations/{slug}/invitations/"): {"username": "out", "role": "member"},
    ("POST", "/invitations/organization/{invitation_id}/respond"): {"accept": "1"},
    ("POST", "/spaces/new/"): {
        "slug": "new-space",
        "name": "New",
        "visibility": "public",
        "participation": "anyone",
        "licence": "CC-BY-SA-4.0",
    },
    ("POST", "/s/{slug}/settings/"): {
        "name": "Renamed",
        "description": "",
        "visibility": "members",
        "participation": "members",
        "licence": "CC-BY-SA-4.0",
    },
    ("POST", "/s/{slug}/settings/policy"): {"policy": '{"capitalize_titles": false}'},
    ("POST", "/s/{slug}/settings/policy/preset"): {"preset": "small-team"},
    ("POST", "/s/{slug}/members/add"): {"username": "invitee", "role": "member"},
    ("POST", "/s/{slug}/blocks/new"): {"username": "out", "duration": "1w", "reason": "spam"},
    ("POST", "/s/{slug}/members/{member_id}/role"): {"role": "steward"},
    ("POST", "/s/{slug}/join-requests/"): {"message": "hi"},
    ("POST", "/s/{slug}/join-requests/{request_id}/decide"): {"decision": "approve"},
    ("POST", "/s/{slug}/invitations/"): {"username": "out", "role": "member"},
    ("POST", "/invitations/space/{invitation_id}/respond"): {"accept": "1"},
    ("POST", "/s/{slug}/edit/{title}"): {"text": "x", "base_revision": "{revision_id}"},
    ("POST", "/s/{slug}/preview"): {"title": "Main page", "text": "*x*"},
    ("POST", "/s/{slug}/watch/{title}"): {"watch": "1"},
    ("POST", "/s/{slug}/move/{title}"): {"new_title": "Moved", "leave_redirect": "on"},
    ("POST", "/s/{slug}/delete/{title}"): {"reason": "spam"},
    ("POST", "/s/{slug}/protect/{title}"): {"edit": "members", "move": "members"},
    ("POST", "/s/{slug}/discussion/{title}"): {"text": "A reply.", "parent": "{comment_id}"},
    ("POST", "/comments/{comment_id}/edit"): {"text": "An edited comment."},
    ("POST", "/comments/{comment_id}/remove"): {"reason": "off topic"},
    ("POST", "/discussions/{object_type}/{object_id}/comments"): {"text": "A comment."},
    ("POST", "/discussions/comments/{comment_id}/edit"): {"text": "An edited comment."},
    ("POST", "/discussions/comments/{comment_id}/remove"): {"reason": "off topic"},
    ("POST", "/s/{slug}/webhooks/"): {"url": "http://127.0.0.1:9/new-hook"},
}
# Query strings some GET routes need to answer at all (filled like the path).
QUERIES: dict[tuple[str, str], str] = {
    ("GET", "/s/{slug}/diff"): "?from={revision_id}&to={revision_id}",
    ("GET", "/api/v1/spaces/{slug}/diff"): "?from={revision_id}&to={revision_id}",
}
for _part in PARTS:
    API_BODIES.update(_part.API_BODIES)
    WEB_BODIES.update(_part.WEB_BODIES)
    QUERIES.update(_part.QUERIES)


def _own_notification(person: User | None) -> int:
    """A notification of the person asking (one of someone else's answers 404, tested apart)."""
    from peerwork.activity.models import Event, Notification

    if person is None:
        return 1
    event = Event.objects.order_by("id").first()
    assert event is not None
    return Notification.objects.get_or_create(user=person, event=event)[0].pk


def _fill(route: str, world: World, role_user: User | None) -> str:
    space_route = route.startswith(("/s/", "/api/v1/spaces/", "/api/v1/space-"))
    values = {
        "slug": "validation"
        if route.startswith("/problems/")
        else (world.space.slug if space_route else world.organization.slug),
        "username": "orgtgt" if "organizations" in route else "mem",
        "member_id": world.target_membership.pk,
        "request_id": world.join_request.pk,
        "invitation_id": world.invitation.pk
        if "space" in route
        else world.organization_invitation.pk,
        "token_id": world.tokens[role_user.username][0].pk if role_user else 1,
        # made only for a route that names one: the sweeps fill routes outside their rollbacks
        "notification_id": _own_notification(role_user) if "{notification_id}" in route else 1,
        "target_type": "spaces.space",
        "target_id": world.space.pk,
        "title": "Main_page",
        "revision_id": world.revision.pk,
        "name": "Maps",
        "comment_id": world.comment.pk,
        "object_type": "wiki.page",
        "object_id": world.page.pk,
        "webhook_id": world.webhook.pk,
        "delivery_id": world.delivery.pk,
        # A working password reset link and address verification link, both for tgt.
        "uidb64": reset_uid(world.users["tgt"]),
        "token": default_token_generator.make_token(world.users["tgt"]),
        "verification": verification_token(world.users["tgt"]),
    }
    for part in PARTS:
        added = part.values(world)
        # A part naming a placeholder another already fills would send some routes the wrong
        # object (and pass only where both ids happen to agree, as on a fresh SQLite database).
        clash = set(added) & set(values)
        assert not clash, f"{part.__name__} reuses the placeholders {sorted(clash)}"
        values.update(added)
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), route)


def _fill_body(
    body: dict[str, Any] | None, route: str, world: World, role_user: User | None
) -> dict[str, Any] | None:
    """Placeholders like "{revision_id}" in a body take the world's value (as an int if whole)."""
    if body is None:
        return None
    filled: dict[str, Any] = {}
    for key, value in body.items():
        if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
            text = _fill(value, world, role_user)
            filled[key] = int(text) if text.isdigit() else text
        elif isinstance(value, str) and "{" in value:
            filled[key] = _fill(value, world, role_user)
        else:
            filled[key] = value
    return filled


#: CI runs SQLite and PostgreSQL side by side; its SQLite run sets this and leaves to the
#: PostgreSQL run the cases that run there anyway, so each case runs once in CI.
SHARED_WITH_POSTGRESQL = "PEERWORK_TABLE_SHARED_WITH_POSTGRESQL"


def _opennesses_here() -> set[str]:
    """The opennesses this run meets the routes whose answer depends on openness in.

    A run on its own (the README's `make test`) meets every route in every openness. The
    PostgreSQL run meets each route and role once, in a public space open to anyone, where
    the most roles get through to the work the route does: which roles an openness lets in is
    the policy's decision, the same on both databases, and the table was half of that run's
    time. Beside it in CI, the SQLite run meets the other two (docs/decisions/0063)."""
    import os

    from django.db import connection

    if connection.vendor == "postgresql":
        return {"public-anyone"}
    if os.environ.get(SHARED_WITH_POSTGRESQL) == "1":
        return set(OPENNESS) - {"public-anyone"}
    return set(OPENNESS)


def _route_cases() -> list[Any]:
    """One case per route and openness; the roles of that openness run inside it."""
    cases = []
    opennesses = _opennesses_here()
    for method, route, action in ROUTES:
        roles: dict[str, list[tuple[str, str]]] = {}
        for (openness, role), expected in sorted(_expectations(action).items()):
            varies_with_openness = action in OPENNESS_ACTIONS
            if varies_with_openness and openness not in opennesses:
                continue
            if not varies_with_openness and openness not in {"members", "public-anyone"}:
                continue
            if not varies_with_openness and action not in PSEUDO_ACTIONS and openness != "members":
                continue  # objects without openness: one run is enough
            roles.setdefault(openness, []).append((role, expected))
        for openness, expectations in roles.items():
            cases.append(
                pytest.param(
                    method, route, action, openness, expectations, id=f"{method} {route} {openness}"
                )
            )
    return cases


def _send(client: Any, method: str, path: str, body: dict[str, Any] | None, is_api: bool) -> Any:
    import json

    call = getattr(client, method.lower())
    if is_api:
        if method == "GET" or method == "DELETE":
            return call(path)
        # Money-moving POSTs need an idempotency key; other routes ignore the header.
        return call(
            path,
            json.dumps(body or {}),
            content_type="application/json",
            headers={"Idempotency-Key": f"table-{method}-{path}"},
        )
    if method == "GET":
        return call(path)
    return call(path, body or {})


def _answer_as(method: str, route: str, world: World, role: str, expected: str) -> str | None:
    """Send the route's request as `role`; None if the answer is what the table says, else why."""
    from django.test import Client

    client = Client()
    user = world.user(role)
    is_api = route.startswith("/api/")
    if user is not None:
        if is_api:
            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[user.username][1]}"
        else:
            client.force_login(user)
    path = _fill(route + QUERIES.get((method, route), ""), world, user)
    bodies = API_BODIES if is_api else WEB_BODIES
    body = _fill_body(bodies.get((method, route)), route, world, user)
    response = _send(client, method, path, body, is_api)
    status = response.status_code
    location = response.get("Location", "")
    if status >= 500:
        return f"server error {status}: {response.content[:500]!r}"
    if expected == "hidden":
        return None if status == 404 else f"expected 404, got {status}"
    if expected == "deny":
        if user is None and is_api:
            return None if status == 401 else f"expected 401, got {status}"
        if user is None:
            ok = status == 302 and location.startswith("/login/")
            return None if ok else f"expected a redirect to log in, got {status} {location}"
        return None if status == 403 else f"expected 403, got {status}"
    if status in {401, 403, 404, 405}:
        return f"allowed, but got {status}: {response.content[:300]!r}"
    if location.startswith("/login/"):
        return "allowed, but sent to log in"
    if is_api and status not in {200, 201, 202, 204, 409}:
        return f"{status}: {response.content[:300]!r}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "route", "action", "openness", "roles"), _route_cases())
def test_route_answers_as_table_says(
    method: str, route: str, action: str, openness: str, roles: list[tuple[str, str]]
) -> None:
    """Each role's request runs in a savepoint rolled back after it, so every role meets the
    same world, built once for the route (building it per role made this file the slowest
    part of the suite)."""
    from django.db import transaction

    world = World(openness)
    wrong = []
    for role, expected in roles:
        savepoint = transaction.savepoint()
        try:
            problem = _answer_as(method, route, world, role, expected)
        finally:
            transaction.savepoint_rollback(savepoint)
        if problem:
            wrong.append(f"{role} (table: {expected}): {problem}")
    assert wrong == [], f"{method} {route} {openness}"


@pytest.mark.django_db
def test_the_route_check_notices_a_wrong_answer() -> None:
    world = World("members")
    assert _answer_as("GET", "/s/{slug}/", world, "outsider", "hidden") is None
    assert "expected 404, got 200" in str(
        _answer_as("GET", "/s/{slug}/", world, "member", "hidden")
    )
    assert "allowed, but got 404" in str(
        _answer_as("GET", "/s/{slug}/", world, "outsider", "allow")
    )


# ---- 3. every route is in the table -------------------------------------------------------


def _django_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith("api/v1/"):
                continue  # the API's operations are listed with their methods below
            found += _django_routes(entry, pattern)
        elif isinstance(entry, URLPattern):
            found.append(
                "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern).lstrip("^").rstrip("$")
            )
    return found


def _api_routes() -> set[tuple[str, str]]:
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/api/v1" + re.sub(r"/+", "/", f"/{prefix}/{path}").rstrip("/")
            full = re.sub(r"\{(?:\w+:)?(\w+)\}", r"{\1}", full)
            for operation in path_view.operations:
                for method in operation.methods:
                    found.add((method, full))
    found.add(("GET", "/api/v1/docs"))
    found.add(("GET", "/api/v1/openapi.json"))
    return found


def test_every_route_is_in_the_table() -> None:
    table = {(method, route) for method, route, _action in ROUTES}
    table_paths = {route for _method, route in table}
    web = {route for route in _django_routes() if not route.startswith("/static/")}
    missing_web = sorted(web - table_paths)
    missing_api = sorted(f"{m} {r}" for m, r in _api_routes() - table)
    assert missing_web == [], "routes served but not in docs/permissions.md"
    assert missing_api == [], "API operations served but not in docs/permissions.md"
    stale = sorted(
        f"{m} {r}"
        for m, r in table
        if (r.startswith("/api/") and (m, r) not in _api_routes())
        or (not r.startswith("/api/") and r not in web)
    )
    assert stale == [], "rows in docs/permissions.md for routes that do not exist"
