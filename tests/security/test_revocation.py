"""Revocation reaches every channel at once.

Three revocations: a public space turns members-only, a member is removed from a members-only
space, an API token is revoked. For each, a reader first reads through a channel (so the test
proves the channel worked), the revocation commits (its after-commit hooks run, as the page
cache purge does in production), and the very next request through that channel must be
refused or show nothing of the space.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from peerwork.activity import actions as activity
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space, SpaceMembership
from peerwork.wiki import actions as wiki
from tests.conftest import PASSWORD

#: Planted in the page's title and text: any answer that carries it shows the space.
MARKER = "quaggamark"
TITLE = "Quaggamark notes"
SLUG = "commons"
REFUSED = {401, 403, 404}


@pytest.fixture(autouse=True)
def _short_streams(settings: Any) -> None:
    settings.PEERWORK_LIVE_LIFETIME = 0.3
    settings.PEERWORK_LIVE_POLL = 0.02
    settings.PEERWORK_LIVE_HEARTBEAT = 0.2
    settings.PEERWORK_LIVE_MAX_STREAMS = 8


def _streamed(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


@dataclass(frozen=True)
class Channel:
    name: str
    path: str
    #: a kept anonymous page (a cacheable answer of a public space's reader)
    cacheable: bool = False
    #: what a signed-in reader has of their own (notifications, watchlist): not for anonymous
    personal: bool = False


MW = f"/s/{SLUG}/w/api.php?format=json&formatversion=2&action=query"
CHANNELS = [
    Channel("page", f"/s/{SLUG}/wiki/Quaggamark_notes", cacheable=True),
    Channel("rest-api", f"/api/v1/spaces/{SLUG}/pages/Quaggamark_notes"),
    Channel("atom-feed", f"/s/{SLUG}/activity.atom"),
    Channel("search", "/search/?q=plan"),
    Channel("space-search", f"/search/?q=plan&space={SLUG}"),
    Channel("live-stream", f"/s/{SLUG}/live?last_event_id=0"),
    Channel("xml-dump", f"/s/{SLUG}/export.xml"),
    Channel("jsonl-dump", f"/s/{SLUG}/export.jsonl"),
    Channel(
        "mediawiki-revisions",
        f"{MW}&prop=revisions&rvprop=content&rvslots=main&titles=Quaggamark_notes",
        cacheable=True,
    ),
    Channel("mediawiki-recentchanges", f"{MW}&list=recentchanges&rcprop=title", cacheable=True),
    Channel("notifications-page", "/notifications/", personal=True),
    Channel("notifications-api", "/api/v1/me/notifications", personal=True),
    Channel("watchlist-api", "/api/v1/me/watchlist", personal=True),
]


class Scene:
    """A steward's space with a marked page, a member, a token of that member, and a reader."""

    def __init__(self, visibility: str, participation: str) -> None:
        self.steward = accounts.user_signup(username="stew", password=PASSWORD)
        self.member = accounts.user_signup(username="mem", password=PASSWORD)
        self.space: Space = spaces.space_create(
            user=self.steward,
            slug=SLUG,
            name="Commons",
            visibility=visibility,
            participation=participation,
        )
        self.membership = SpaceMembership.objects.create(
            space=self.space, user=self.member, role="member"
        )
        self.page = wiki.page_save(
            user=self.steward,
            space=self.space,
            title=TITLE,
            text=f"The {MARKER} plan, for members' eyes once closed.",
            base_revision_id=None,
        ).page
        self.token, self.raw_token = accounts.token_create(
            user=self.member, person=self.member, name="reader", scope="read"
        )
        # A member through an organization that is a member of the space.
        self.guild = accounts.organization_create(user=self.steward, slug="guild", name="Guild")
        self.via_guild = accounts.user_signup(username="guildmem", password=PASSWORD)
        self.guild_membership = accounts.organization_member_add(
            user=self.steward, organization=self.guild, member=self.via_guild
        )
        SpaceMembership.objects.create(space=self.space, organization=self.guild)
        _token, self.guild_raw_token = accounts.token_create(
            user=self.via_guild, person=self.via_guild, name="reader", scope="read"
        )
        # Both readers watch the page, so its next change reaches their notifications and
        # watchlists.
        for reader in (self.member, self.via_guild):
            activity.watch_set(user=reader, target=self.page, watching=True)
        self.edit("Watched.")

    def edit(self, text: str) -> None:
        """A new event in the space (an already-open stream would send it)."""
        latest = self.page.revisions.order_by("-id").first()  # type: ignore[attr-defined]
        wiki.page_save(
            user=self.steward,
            space=self.space,
            title=TITLE,
            text=f"{text} The {MARKER} plan.",
            base_revision_id=latest.pk,
        )


# Each revocation: (space openness before, how the reader reads, the revoking action).
def _close_space(scene: Scene) -> None:
    spaces.space_update(
        user=scene.steward, space=scene.space, visibility="members", participation="members"
    )


def _remove_member(scene: Scene) -> None:
    spaces.space_member_remove(user=scene.steward, space=scene.space, membership=scene.membership)


def _remove_from_organization(scene: Scene) -> None:
    accounts.organization_member_remove(
        user=scene.steward, organization=scene.guild, membership=scene.guild_membership
    )


def _revoke_token(scene: Scene) -> None:
    accounts.token_revoke(user=scene.member, token=scene.token)


@dataclass(frozen=True)
class Revocation:
    name: str
    openness: tuple[str, str]
    #: "anonymous", "session" (the member signed in), "token" (the member's bearer token),
    #: "outsider-token", or "guild-session"/"guild-token" (a member through an organization)
    reader: str
    revoke: Callable[[Scene], None]


REVOCATIONS = [
    Revocation("space-closed", ("public", "anyone"), "anonymous", _close_space),
    Revocation("space-closed-token", ("public", "anyone"), "outsider-token", _close_space),
    Revocation("member-removed", ("members", "members"), "session", _remove_member),
    Revocation("member-removed-token", ("members", "members"), "token", _remove_member),
    Revocation("token-revoked", ("members", "members"), "token", _revoke_token),
    Revocation(
        "organization-member-removed",
        ("members", "members"),
        "guild-session",
        _remove_from_organization,
    ),
    Revocation(
        "organization-member-removed-token",
        ("members", "members"),
        "guild-token",
        _remove_from_organization,
    ),
]


def _reader(scene: Scene, how: str) -> Client:
    client = Client()
    if how == "session":
        client.force_login(scene.member)
    elif how == "token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scene.raw_token}"
    elif how == "guild-session":
        client.force_login(scene.via_guild)
    elif how == "guild-token":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {scene.guild_raw_token}"
    elif how == "outsider-token":
        outsider = User.objects.filter(username="out").first() or accounts.user_signup(
            username="out", password=PASSWORD
        )
        _token, raw = accounts.token_create(user=outsider, person=outsider, name="r", scope="read")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def _shows_the_space(response: Any) -> bool:
    body = _streamed(response)
    return response.status_code not in REFUSED and MARKER.encode() in body.lower()


def _refused_or_empty(response: Any) -> str | None:
    """None if the answer refuses or shows nothing of the space, else what it showed."""
    body = _streamed(response)
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code in REFUSED:
        return None
    if MARKER.encode() in body.lower():
        return f"{response.status_code} with the marker: {body[:300]!r}"
    return None


@pytest.fixture
def scene_for(db: Any, django_capture_on_commit_callbacks: Any) -> Callable[[Revocation], Scene]:
    def make(revocation: Revocation) -> Scene:
        with django_capture_on_commit_callbacks(execute=True):
            return Scene(*revocation.openness)

    return make


def _cases() -> list[Any]:
    cases = []
    for revocation in REVOCATIONS:
        for channel in CHANNELS:
            if channel.personal and revocation.reader in {"anonymous", "outsider-token"}:
                continue  # nothing of their own in the space to lose
            cases.append(pytest.param(revocation, channel, id=f"{revocation.name}-{channel.name}"))
    return cases


@pytest.mark.django_db
@pytest.mark.parametrize(("revocation", "channel"), _cases())
def test_the_next_request_after_a_revocation_is_refused(
    revocation: Revocation,
    channel: Channel,
    scene_for: Callable[[Revocation], Scene],
    django_capture_on_commit_callbacks: Any,
) -> None:
    scene = scene_for(revocation)
    client = _reader(scene, revocation.reader)
    before = client.get(channel.path)
    assert _shows_the_space(before), (
        f"{channel.name} did not show the space before the revocation: "
        f"{before.status_code} {_streamed(before)[:300]!r}"
    )
    if channel.cacheable and revocation.reader == "anonymous":
        # The anonymous answer was kept: the same read again is served without the database.
        with CaptureQueriesContext(connection) as queries:
            again = client.get(channel.path)
        assert _shows_the_space(again)
        assert len(queries) == 0, f"{channel.name} was not kept in the page cache"
    with django_capture_on_commit_callbacks(execute=True):
        revocation.revoke(scene)
    assert _refused_or_empty(client.get(channel.path)) is None


# ---- an already-open live stream -----------------------------------------------------------


def _events_in(chunks: list[bytes]) -> list[str]:
    return [line for chunk in chunks for line in chunk.decode().splitlines() if line[:3] == "id:"]


@pytest.mark.django_db
@pytest.mark.parametrize("revocation", REVOCATIONS, ids=[r.name for r in REVOCATIONS])
def test_an_open_stream_stops_delivering_after_a_revocation(
    revocation: Revocation,
    scene_for: Callable[[Revocation], Scene],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.PEERWORK_LIVE_LIFETIME = 5  # long enough to outlive both edits below
    scene = scene_for(revocation)
    client = _reader(scene, revocation.reader)
    response = client.get(f"/s/{SLUG}/live")
    assert response.status_code == 200
    stream = iter(response.streaming_content)
    assert next(stream).startswith(b"retry:")
    with django_capture_on_commit_callbacks(execute=True):
        scene.edit("Before.")
    chunk = next(stream)
    assert chunk.startswith(b"id:"), "the open stream did not deliver an event before"
    with django_capture_on_commit_callbacks(execute=True):
        revocation.revoke(scene)
    with django_capture_on_commit_callbacks(execute=True):
        scene.edit("After.")
    rest = list(stream)  # the stream must end, not wait out its lifetime with the event
    assert _events_in(rest) == []


@pytest.mark.django_db
def test_the_check_notices_a_channel_that_keeps_showing(
    scene_for: Callable[[Revocation], Scene],
) -> None:
    """A revocation that changes nothing leaves the marker in the next answer."""
    scene = scene_for(REVOCATIONS[0])
    response = Client().get(CHANNELS[0].path)
    assert _shows_the_space(response)
    assert _refused_or_empty(Client().get(CHANNELS[0].path)) is not None
    assert scene.space.visibility == "public"
