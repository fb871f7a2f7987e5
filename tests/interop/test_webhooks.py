"""Webhooks: subscribe, refuse addresses, sign, deliver to a local server, retry, re-send.

Every request goes to a server on 127.0.0.1 started here, with PEERWORK_WEBHOOK_ALLOW_PRIVATE
on; the refusal tests turn it off and check that no connection is even attempted.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from peerwork.activity import recorder
from peerwork.activity.models import Event
from peerwork.core import jobs
from peerwork.interop.models import WebhookDelivery, WebhookSubscription
from peerwork.interop.webhooks import actions, addresses, delivery, signing
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership
from tests.conftest import scheduled_jobs


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    #: status codes to answer, in order; once used up, 200.
    statuses: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def start_receiver() -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = Receiver(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver


# ---- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def hooks(settings: Any) -> Any:
    """Jobs run synchronously after commit; retries wait 0 s; loopback targets are allowed."""
    settings.PEERWORK_JOBS = "inprocess"
    settings.PEERWORK_JOBS_THREADS = 0
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    settings.PEERWORK_WEBHOOK_RETRY_DELAYS = [0, 0]
    settings.PEERWORK_WEBHOOK_TIMEOUT = 5
    yield settings
    jobs.reset()


@pytest.fixture
def receiver() -> Any:
    server = start_receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def no_connections(monkeypatch: Any) -> list[Any]:
    """Record (and refuse) every outgoing connection the delivery code tries to open."""
    attempts: list[Any] = []

    def refuse(address: Any, *args: Any, **kwargs: Any) -> Any:
        attempts.append(address)
        raise ConnectionRefusedError("the test forbids connections")

    monkeypatch.setattr(delivery.socket, "create_connection", refuse)
    return attempts


@pytest.fixture
def fake_dns(monkeypatch: Any) -> dict[str, str]:
    """Names in this dict resolve to the given address; others resolve as usual."""
    names: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            address = names[host]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(addresses.socket, "getaddrinfo", getaddrinfo)
    return names


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        steward = make_user("stew")
        member = make_user("mem")
        outsider = make_user("out")
        space = make_space(steward, "commons")

    SpaceMembership.objects.create(space=World.space, user=World.member, role="member")
    return World


def _change(world: Any, text: str = "new") -> Event:
    """A public event in the space, through the product's own action."""
    spaces.space_update(user=world.steward, space=world.space, description=text)
    return Event.objects.filter(space=world.space).latest("id")


def _subscribe(world: Any, url: str, **kwargs: Any) -> WebhookSubscription:
    return actions.webhook_subscribe(user=world.steward, space=world.space, url=url, **kwargs)


# ---- subscribing ---------------------------------------------------------------------------


def test_steward_subscribes_through_the_api(hooks, world, receiver, api_as):
    response = api_as(world.steward).post(
        "/spaces/commons/webhooks", {"url": receiver.url(), "verbs": ["space:updated"]}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    subscription = WebhookSubscription.objects.get()
    assert body["secret"] == subscription.secret
    assert body["secret"].startswith("whsec_")
    assert body["url"] == receiver.url()
    assert body["verbs"] == ["space:updated"]
    event = Event.objects.filter(verb="webhook:created").get()
    assert event.data == {"host": "127.0.0.1", "verbs": ["space:updated"]}
    listed = api_as(world.steward).get("/spaces/commons/webhooks").json()
    assert [item["id"] for item in listed["items"]] == [subscription.pk]
    assert "secret" not in listed["items"][0]


REFUSED = [
    "http://127.0.0.1/hook",
    "http://10.1.2.3/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://localhost:8000/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://192.168.1.1/hook",
    "http://0.0.0.0/hook",
    "http://100.100.100.200/hook",
    "http://[fd00:ec2::254]/hook",
    "http://private.example.test/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_private_targets_are_refused_when_subscribing(
    hooks, world, api_as, fake_dns, no_connections, url
):
    hooks.PEERWORK_WEBHOOK_ALLOW_PRIVATE = False
    fake_dns["private.example.test"] = "10.0.0.5"
    response = api_as(world.steward).post("/spaces/commons/webhooks", {"url": url})
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "url"
    assert WebhookSubscription.objects.count() == 0
    assert no_connections == []


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "http://user:pw@127.0.0.1/", "nonsense"]
)
def test_only_plain_http_urls_are_taken(hooks, world, api_as, url):
    response = api_as(world.steward).post("/spaces/commons/webhooks", {"url": url})
    assert response.status_code == 422
    assert WebhookSubscription.objects.count() == 0


def test_metadata_addresses_are_refused_even_when_private_ones_are_allowed(hooks, world):
    with pytest.raises(addresses.AddressRefused):
        addresses.check("http://169.254.169.254/latest/meta-data/")
    assert addresses.check("http://127.0.0.1:1/").addresses[0].compressed == "127.0.0.1"


def test_a_public_address_passes(world, fake_dns, settings):
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = False
    fake_dns["hooks.example.test"] = "93.184.215.14"
    target = addresses.check("https://hooks.example.test/in?x=1")
    assert (target.host, target.port, target.path) == ("hooks.example.test", 443, "/in?x=1")
    fake_dns["mixed.example.test"] = "10.0.0.1"
    with pytest.raises(addresses.AddressRefused):
        addresses.check("https://mixed.example.test/")


@pytest.mark.parametrize("url", REFUSED)
def test_private_targets_are_refused_again_when_delivering(
    hooks, world, fake_dns, no_connections, django_capture_on_commit_callbacks, url
):
    """The address may have been fine when subscribing (or DNS changed since): checked again."""
    hooks.PEERWORK_WEBHOOK_ALLOW_PRIVATE = False
    fake_dns["private.example.test"] = "10.0.0.5"
    WebhookSubscription.objects.create(
        space=world.space, url=url, secret="s", created_by=world.steward
    )
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_status_code) == ("failed", 1, None)
    assert "does not send there" in sent.last_error
    assert no_connections == []


def test_dns_that_changes_after_subscribing_is_caught(
    hooks, world, fake_dns, no_connections, django_capture_on_commit_callbacks
):
    hooks.PEERWORK_WEBHOOK_ALLOW_PRIVATE = False
    fake_dns["hooks.example.test"] = "93.184.215.14"
    _subscribe(world, "http://hooks.example.test/in")
    fake_dns["hooks.example.test"] = "127.0.0.1"
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    sent = WebhookDelivery.objects.get()
    assert sent.status == "failed"
    assert "127.0.0.1" in sent.last_error
    assert no_connections == []


# ---- delivering ----------------------------------------------------------------------------


def test_delivery_is_signed_json_to_the_url(
    hooks, world, receiver, django_capture_on_commit_callbacks
):
    subscription = _subscribe(world, receiver.url("/hook?x=1"))
    with django_capture_on_commit_callbacks(execute=True):
        event = _change(world, "hello")
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_status_code, sent.last_error) == (
        "succeeded",
        1,
        200,
        "",
    )
    assert got.path == "/hook?x=1"
    assert got.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.headers["Peerwork-Event"] == "space:updated"
    assert got.headers["Peerwork-Delivery"] == str(sent.pk)
    assert signing.verify(subscription.secret, got.headers["Peerwork-Signature"], got.body)
    assert not signing.verify("another secret", got.headers["Peerwork-Signature"], got.body)
    assert not signing.verify(
        subscription.secret, got.headers["Peerwork-Signature"], got.body + b" "
    )
    payload = json.loads(got.body)
    assert payload["type"] == "space:updated"
    assert payload["space"] == "commons"
    assert payload["event"]["id"] == event.pk
    assert payload["event"]["hash"] == event.hash
    assert payload["event"]["data"] == {"description": {"old": "", "new": "hello"}}


def test_signature_format_and_replay_window():
    body = b'{"a": 1}'
    header = signing.header_value("k", body, timestamp=1700000000)
    digest = signing.signature("k", 1700000000, body)
    assert header == f"t=1700000000,v1={digest}"
    assert signing.verify("k", header, body, now=1700000100)
    assert not signing.verify("k", header, body, now=1700000000 + 301)
    assert not signing.verify("k", "t=x,v1=y", body)
    assert not signing.verify("k", "", body)


def test_a_failed_attempt_is_retried_with_backoff_then_succeeds(
    hooks, world, receiver, django_capture_on_commit_callbacks
):
    hooks.PEERWORK_WEBHOOK_RETRY_DELAYS = [60, 300]
    receiver.statuses = [500]
    _subscribe(world, receiver.url())
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_status_code, sent.last_error) == (
        "retrying",
        1,
        500,
        "HTTP 500",
    )
    wait = (sent.next_attempt_at - started).total_seconds()
    assert 59 <= wait <= 62
    assert jobs._inprocess.waiting() == 1  # the retry waits on the scheduler
    jobs.reset()
    assert delivery.deliver(delivery_id=sent.pk) == "not-due"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert delivery.deliver(delivery_id=sent.pk) == "succeeded"
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.last_status_code) == ("succeeded", 2, 200)
    assert len(receiver.requests) == 2
    assert receiver.requests[0].headers["Peerwork-Delivery"] == str(sent.pk)
    assert receiver.requests[1].headers["Peerwork-Attempt"] == "2"


def test_retries_run_through_the_jobs_and_give_up_after_the_last(
    hooks, world, receiver, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 502, 503, 200]
    _subscribe(world, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.attempts, sent.last_status_code, sent.last_error) == (
        "failed",
        3,
        503,
        "HTTP 503",
    )
    assert sent.next_attempt_at is None
    assert len(receiver.requests) == 3


def test_redirects_are_not_followed(hooks, world, receiver, django_capture_on_commit_callbacks):
    hooks.PEERWORK_WEBHOOK_RETRY_DELAYS = []
    receiver.statuses = [302]
    _subscribe(world, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    sent = WebhookDelivery.objects.get()
    assert (sent.status, sent.last_status_code) == ("failed", 302)
    assert len(receiver.requests) == 1


def test_a_steward_sends_a_failed_delivery_again(
    hooks, world, receiver, api_as, django_capture_on_commit_callbacks
):
    hooks.PEERWORK_WEBHOOK_RETRY_DELAYS = []
    receiver.statuses = [500]
    subscription = _subscribe(world, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    failed = WebhookDelivery.objects.get()
    assert failed.status == "failed"
    path = f"/spaces/commons/webhooks/{subscription.pk}/deliveries/{failed.pk}/redeliveries"
    member_try = api_as(world.member).post(path)
    assert member_try.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.steward).post(path)
    assert response.status_code == 201, response.content
    again = WebhookDelivery.objects.get(pk=response.json()["id"])
    assert (again.status, again.attempts, again.resend_of_id) == ("succeeded", 1, failed.pk)
    assert again.event_id == failed.event_id
    assert receiver.requests[1].body == receiver.requests[0].body
    assert receiver.requests[1].headers["Peerwork-Delivery"] == str(again.pk)
    logged = Event.objects.filter(verb="webhook:redelivered").get()
    assert logged.data["delivery"] == failed.pk
    log = api_as(world.steward).get(f"/spaces/commons/webhooks/{subscription.pk}/deliveries")
    # The re-send is itself an event of the space, so it is delivered too (newest first).
    assert [
        (d["verb"], d["status"], d["attempts"], d["resend_of"]) for d in log.json()["items"]
    ] == [
        ("webhook:redelivered", "succeeded", 1, None),
        ("space:updated", "succeeded", 1, failed.pk),
        ("space:updated", "failed", 1, None),
    ]


def test_a_delivery_still_being_tried_is_not_sent_again(hooks, world, receiver):
    subscription = _subscribe(world, receiver.url())
    event = _change(world)
    pending = WebhookDelivery.objects.create(subscription=subscription, event=event, body="{}")
    with pytest.raises(actions.Conflict):
        actions.webhook_delivery_resend(user=world.steward, delivery=pending)


def test_private_verbs_never_leave(hooks, world, receiver, django_capture_on_commit_callbacks):
    _subscribe(world, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            private = recorder.record(
                actor=world.member, verb="page:watched", target=world.space, space=world.space
            )
    assert delivery.fan_out(event_id=private.pk) == 0
    assert WebhookDelivery.objects.filter(event=private).count() == 0
    assert receiver.requests == []


def test_members_only_events_go_only_to_that_spaces_subscriptions(
    hooks, world, receiver, make_space, django_capture_on_commit_callbacks
):
    closed = make_space(world.steward, "closed", visibility="members", participation="members")
    open_hook = _subscribe(world, receiver.url("/open"))
    closed_hook = actions.webhook_subscribe(
        user=world.steward, space=closed, url=receiver.url("/closed")
    )
    with django_capture_on_commit_callbacks(execute=True):
        spaces.space_update(user=world.steward, space=closed, description="secret plans")
    assert [r.path for r in receiver.requests] == ["/closed"]
    assert WebhookDelivery.objects.filter(subscription=open_hook).count() == 0
    assert WebhookDelivery.objects.filter(subscription=closed_hook).count() == 1


def test_verb_filter(hooks, world, receiver, django_capture_on_commit_callbacks):
    _subscribe(world, receiver.url(), verbs=["page:edited"])
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    assert receiver.requests == []


def test_fan_out_twice_delivers_once(hooks, world, receiver, django_capture_on_commit_callbacks):
    _subscribe(world, receiver.url())
    with django_capture_on_commit_callbacks(execute=True):
        event = _change(world)
    assert delivery.fan_out(event_id=event.pk) == 0
    assert WebhookDelivery.objects.count() == 1
    assert len(receiver.requests) == 1


def test_no_subscriptions_no_jobs(hooks, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _change(world)
    assert scheduled_jobs(callbacks) == []


def test_deleting_a_subscription(hooks, world, receiver, api_as):
    subscription = _subscribe(world, receiver.url())
    assert api_as(world.member).delete(f"/spaces/commons/webhooks/{subscription.pk}").status_code
    assert WebhookSubscription.objects.count() == 1
    response = api_as(world.steward).delete(f"/spaces/commons/webhooks/{subscription.pk}")
    assert response.status_code == 204
    assert WebhookSubscription.objects.count() == 0
    assert Event.objects.filter(verb="webhook:deleted").get().data == {"host": "127.0.0.1"}


# ---- only stewards manage ------------------------------------------------------------------


def test_only_stewards_see_and_manage_webhooks(hooks, world, receiver, api_as, make_space):
    subscription = _subscribe(world, receiver.url())
    assert api_as(None).get("/spaces/commons/webhooks").status_code == 401
    assert api_as(world.outsider).get("/spaces/commons/webhooks").status_code == 403
    assert api_as(world.member).get("/spaces/commons/webhooks").status_code == 403
    refused = api_as(world.member).post("/spaces/commons/webhooks", {"url": receiver.url()})
    assert refused.status_code == 403
    assert WebhookSubscription.objects.count() == 1
    deliveries = f"/spaces/commons/webhooks/{subscription.pk}/deliveries"
    assert api_as(world.member).get(deliveries).status_code == 403
    assert (
        api_as(world.steward).get("/spaces/commons/webhooks/999999/deliveries").status_code == 404
    )
    make_space(world.steward, "closed", visibility="members", participation="members")
    assert api_as(world.outsider).get("/spaces/closed/webhooks").status_code == 404
    assert api_as(world.outsider).post("/spaces/closed/webhooks", {"url": "x"}).status_code == 404


def test_the_webhooks_pages(hooks, world, receiver, client, django_capture_on_commit_callbacks):
    client.force_login(world.member)
    assert client.get("/s/commons/webhooks/").status_code == 403
    client.force_login(world.steward)
    page = client.get("/s/commons/webhooks/")
    assert page.status_code == 200
    assert b"No webhooks yet." in page.content
    refused = client.post("/s/commons/webhooks/", {"url": "ftp://example.test/"})
    assert refused.status_code == 422
    assert b"Only http and https" in refused.content
    hooks.PEERWORK_WEBHOOK_ALLOW_PRIVATE = False
    refused = client.post("/s/commons/webhooks/", {"url": "http://127.0.0.1:9/"})
    assert refused.status_code == 422
    assert b"loopback" in refused.content
    hooks.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    receiver.statuses = [500, 500, 500]
    added = client.post("/s/commons/webhooks/", {"url": receiver.url(), "verbs": []})
    subscription = WebhookSubscription.objects.get()
    assert added.status_code == 302
    assert added["Location"] == f"/s/commons/webhooks/{subscription.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        _change(world)
    log = client.get(added["Location"])
    assert log.status_code == 200
    assert subscription.secret.encode() in log.content
    failed = WebhookDelivery.objects.get()
    assert failed.status == "failed"
    assert b'data-status="failed"' in log.content
    assert b"HTTP 500" in log.content
    resend = f"/s/commons/webhooks/{subscription.pk}/deliveries/{failed.pk}/resend"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(resend).status_code == 302
    assert WebhookDelivery.objects.filter(resend_of=failed, status="succeeded").count() == 1
    removed = client.post(f"/s/commons/webhooks/{subscription.pk}/delete")
    assert removed.status_code == 302
    assert WebhookSubscription.objects.count() == 0
