"""Every event of the demo, on every surface that shows events, reads as sentences.

The demo is loaded (with a webhook, a treasury funding, a refund and its reversal, as
tests/web/test_every_page.py loads it) and each event of every space and of the site is
rendered through the activity pages (the site's, each space's, each person's), each object's
history, each demo person's notifications and each space's Atom feed, in every language. What
a reader reads there fails on anything written for machines: a raw dict or list, the word
None, an ISO timestamp, a model label (`tasks.task`), or cents next to a currency code.
"""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client

from peerwork.accounts.models import User
from peerwork.activity import feeds
from peerwork.activity.models import Event
from peerwork.activity.selectors import notifications_for
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.interop.webhooks import actions as webhooks
from peerwork.ledger import actions as ledger
from peerwork.spaces.models import Space

LANGUAGES = [code for code, _name in settings.LANGUAGES]
DEMO_PEOPLE = ["ada", "grace", "linus", "ostrom"]
ATOM = "{http://www.w3.org/2005/Atom}"

RAW = re.compile(r"\{'|\['|\[\{")
NONE = re.compile(r"\bNone\b")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
CURRENCIES = r"(?:EUR|USD|GBP|JPY|CHF)"
CENTS = re.compile(rf"\b\d+\s?{CURRENCIES}\b|\b{CURRENCIES}\s?\d+\b|(?<![\d.,])\d{{5,}}(?![\d.,])")


def _model_label() -> re.Pattern[str]:
    labels = sorted(c.label for c in apps.get_app_configs() if c.name.startswith("peerwork."))
    return re.compile(rf"\b(?:{'|'.join(labels)})\.[a-z_]+\b")


def faults(text: str) -> list[str]:
    """What, in text a person reads, was written for machines."""
    found = []
    for name, pattern in [
        ("a raw dict or list", RAW),
        ("None", NONE),
        ("an ISO timestamp", ISO_TIME),
        ("a model label", _model_label()),
        ("cents", CENTS),
    ]:
        hits = pattern.findall(text)
        if hits:
            found.append(f"{name}: {sorted(set(hits))[:3]}")
    return found


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _events_part(page: str) -> str:
    """The part of an activity page that shows events (and the history's heading)."""
    parts = re.findall(r'<ol class="(?:events|changes notifications)">.*?</ol>', page, re.S)
    heading = re.findall(r"<h1>.*?</h1>\s*<p>.*?</p>", page, re.S)
    return " ".join(_text(part) for part in [*heading, *parts])


@pytest.fixture
def demo(db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    assert load_demo()
    ada = User.objects.get(username="ada")
    atlas = Space.objects.get(slug="open-atlas")
    webhooks.webhook_subscribe(user=ada, space=atlas, url="http://127.0.0.1:9/hook")
    ledger.treasury_fund(
        actor=ada, space=atlas, amount=150_000, currency="EUR", key="walk-1", reference="G-9"
    )
    refund = ledger.treasury_refund(
        actor=ada, space=atlas, amount=2_500, currency="EUR", key="walk-2"
    )
    ledger.transaction_reverse(actor=ada, transaction=refund, key="walk-3", reason="Bounced")
    User.objects.create_superuser("root", "root@example.org", DEMO_PASSWORD)
    monkeypatch.setattr(feeds, "FEED_SIZE", 10_000)


def _client(language: str, person: str | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if person is not None:
        assert client.login(username=person, password=DEMO_PASSWORD)
    return client


def _pages(client: Client, path: str) -> list[tuple[str, Any]]:
    """Every page of a paged list of events, following ?before=."""
    read, before = [], None
    while True:
        response = client.get(path if before is None else f"{path}?before={before}")
        assert response.status_code == 200, (path, response.status_code)
        read.append((response.content.decode(), response.context))
        before = response.context.get("next_before")
        if before is None:
            return read


def _shown_ids(context: Any) -> set[int]:
    if "events" in context:
        return {event.pk for event in context["events"]}
    return {item.notification.event_id for entry in context["entries"] for item in entry.items}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_reads_as_sentences_everywhere(demo: None, language: str) -> None:
    wrong: list[str] = []
    root = _client(language, "root")
    every_event = set(Event.objects.values_list("pk", flat=True))

    def check(path: str, client: Client) -> set[int]:
        shown: set[int] = set()
        for page, context in _pages(client, path):
            shown |= _shown_ids(context)
            wrong.extend(f"{language} {path}: {fault}" for fault in faults(_events_part(page)))
        return shown

    shown = check("/activity/", root)
    assert shown == every_event, "the site's activity, read by an administrator, lost events"
    for slug in Space.objects.values_list("slug", flat=True):
        check(f"/s/{slug}/activity/", root)
        feed = root.get(f"/s/{slug}/activity.atom")
        assert feed.status_code == 200
        entries = ElementTree.fromstring(feed.content).iter(f"{ATOM}entry")
        for entry in entries:
            said = " ".join(entry.findtext(f"{ATOM}{name}") or "" for name in ("title", "summary"))
            link = entry.find(f"{ATOM}link")
            assert link is not None and "#event-" not in link.get("href", ""), link
            wrong.extend(f"{language} {slug} feed: {fault}" for fault in faults(said))
    targets = set(Event.objects.values_list("target_type", "target_id"))
    history = set()
    for target_type, target_id in sorted(targets):
        history |= check(f"/history/{target_type}/{target_id}/", root)
    assert history == every_event
    for username in DEMO_PEOPLE:
        person = _client(language, username)
        check(f"/people/{username}/activity/", person)
        notified = check("/notifications/", person)
        mine = notifications_for(user=User.objects.get(username=username))
        assert notified == set(mine.values_list("event", flat=True))
    assert wrong == [], "\n".join(wrong)


def test_the_check_notices_each_fault() -> None:
    """Each class of machine text is caught, and sentences pass."""
    assert faults("Reason: “Checked three crossings.” Bounty paid: Grace Hopper (€120.00)") == []
    assert faults("Premio: 1.500,00 € cerrado el 7 dic 2026 10:15") == []
    assert faults("bounty: {'grace': 12000}")[0].startswith("a raw dict or list")
    assert faults("judges: ['grace']")[0].startswith("a raw dict or list")
    assert faults("entries: [{x}]")[0].startswith("a raw dict or list")
    assert faults("parent: None") == ["None: ['None']"]
    assert faults("closes: 2027-01-04T03:27:59.078Z")[0].startswith("an ISO timestamp")
    assert faults("Every change to challenges.challenge #2")[0].startswith("a model label")
    assert faults("reserve 4000 EUR")[0].startswith("cents")
    assert faults("prize_pool: 50000")[0].startswith("cents")
    assert faults("EUR 4000")[0].startswith("cents")


def test_the_check_reads_only_the_events() -> None:
    """A page with a fault in its events fails; the check reads the events, not the page."""
    page = (
        "<h1>History</h1>\n<p>Every change to the challenge “Water”</p>"
        '<ol class="events"><li>x</li></ol>'
    )
    assert faults(_events_part(page)) == []
    broken = page.replace("<li>x</li>", "<li>bounty: {&#x27;grace&#x27;: 12000}</li>")
    assert len(faults(_events_part(broken))) == 2
