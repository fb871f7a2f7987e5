"""The ledger's pages, CSV, flows chart, open data dump and `peerwork ledger verify`."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.cli import main
from peerwork.interop.dumps.jsonl import open_data
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Entry, Transaction

from .test_actions import balance, fund
from .test_api import held_payout

PAGE = "/s/fund/ledger/"
SVG = "{http://www.w3.org/2000/svg}"


def client_for(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def rows_of(count: int, book: Any) -> None:
    for n in range(count):
        fund(book, amount=1000 + n, key=f"k{n}")


@pytest.mark.parametrize("count", [0, 1, 7])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["anonymous", "member", "steward"])
def test_the_ledger_pages_render(book, count, language, who):
    rows_of(count, book)
    user = {"anonymous": None, "member": book.member, "steward": book.steward}[who]
    client = client_for(user, language)
    for path in (PAGE, f"{PAGE}people/member/", f"{PAGE}flows.svg", f"{PAGE}transactions.csv"):
        assert client.get(path).status_code == 200, path
    page = client.get(PAGE).content.decode()
    assert ("Record funding" in page or "Registrar una financiación" in page) == (who == "steward")
    if count:
        assert (
            client.get(f"{PAGE}transactions/{Transaction.objects.first().pk}/").status_code == 200
        )
        money = "€10.06" if language == "en" else "10,06\xa0€"
        assert (money in page) == (count == 7)
    if language == "es":
        assert "Libro de cuentas" in page


def test_amounts_in_the_readers_language(book):
    fund(book, amount=123_456)
    assert "€1,234.56" in client_for(None).get(PAGE).content.decode()
    assert "1.234,56\xa0€" in client_for(None, "es").get(PAGE).content.decode()


def test_private_notes_only_on_the_stewards_page(book):
    fund(book)
    assert "GR-2026-17" in client_for(book.steward).get(PAGE).content.decode()
    assert "GR-2026-17" not in client_for(book.member).get(PAGE).content.decode()
    tx = Transaction.objects.get()
    assert "GR-2026-17" not in client_for(None).get(f"{PAGE}transactions/{tx.pk}/").content.decode()


def test_funding_through_the_page_pays_once_on_a_double_submit(book):
    client = client_for(book.steward)
    form = {
        "funding-amount": "1,500.50",
        "funding-currency": "eur",
        "funding-memo": "Sponsor",
        "funding-key": "form-key-1",
    }
    assert client.post(f"{PAGE}funding", form).status_code == 302
    assert client.post(f"{PAGE}funding", form).status_code == 302
    assert balance(book.space, "treasury") == 150_050
    assert Transaction.objects.count() == 1


def test_the_funding_form_carries_a_fresh_key(book):
    page = client_for(book.steward).get(PAGE).content.decode()
    keys = re.findall(r'name="funding-key" value="([0-9a-f-]{36})"', page)
    assert len(keys) == 1


def test_a_bad_amount_shows_on_the_page_and_writes_nothing(book):
    client = client_for(book.steward, "es")
    response = client.post(
        f"{PAGE}funding",
        {"funding-amount": "12,345", "funding-currency": "EUR", "funding-key": "k"},
    )
    assert response.status_code == 400
    assert "EUR" in response.content.decode()
    assert not Transaction.objects.exists()


def test_a_refund_beyond_the_treasury_shows_on_the_page(book):
    fund(book, amount=100)
    response = client_for(book.steward).post(
        f"{PAGE}refund", {"refund-amount": "2", "refund-currency": "EUR", "refund-key": "k"}
    )
    assert response.status_code == 409
    assert "cannot come out of it" in response.content.decode()
    assert Transaction.objects.count() == 1


def test_a_member_cannot_post_funding(book):
    response = client_for(book.member).post(
        f"{PAGE}funding", {"funding-amount": "1", "funding-currency": "EUR", "funding-key": "k"}
    )
    assert response.status_code == 403
    assert not Transaction.objects.exists()


def test_disbursement_and_reversal_through_the_pages(book):
    fund(book)
    ledger.payout_create(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        kind="bounty",
        to=[(book.member, 5_000)],
        currency="EUR",
        key="p",
        from_treasury=True,
    )
    client = client_for(book.steward)
    response = client.post(
        f"{PAGE}disbursement",
        {
            "disbursement-username": "member",
            "disbursement-amount": "20",
            "disbursement-currency": "EUR",
            "disbursement-key": "d1",
        },
    )
    assert response.status_code == 302
    assert balance(book.space, "earnings", user=book.member) == 3_000
    nobody = client.post(
        f"{PAGE}disbursement",
        {
            "disbursement-username": "ghost",
            "disbursement-amount": "1",
            "disbursement-currency": "EUR",
            "disbursement-key": "d2",
        },
    )
    assert nobody.status_code == 400
    tx = Transaction.objects.get(kind="disbursement")
    reversed_ = client.post(
        f"{PAGE}transactions/{tx.pk}/reverse", {"reason": "Bounced", "key": "r"}
    )
    assert reversed_.status_code == 302
    assert balance(book.space, "earnings", user=book.member) == 5_000
    again = client.post(f"{PAGE}transactions/{tx.pk}/reverse", {"reason": "Again", "key": "r2"})
    assert again.status_code == 409
    earnings = client_for(None).get(f"{PAGE}people/member/").content.decode()
    assert "€50.00" in earnings


def test_held_payouts_are_approved_and_turned_down_on_the_page(book):
    fund(book)
    first, second = held_payout(book, 20_000), held_payout(book, 30_000)
    page = client_for(book.steward).get(PAGE).content.decode()
    assert "Payouts awaiting approval" in page
    assert "Payouts awaiting approval" not in client_for(book.member).get(PAGE).content.decode()
    mine = client_for(book.second).post(f"{PAGE}payouts/{first.pk}/approve")
    assert mine.status_code == 403
    assert "You asked for this payout" in mine.content.decode()
    client = client_for(book.steward)
    assert client.post(f"{PAGE}payouts/{first.pk}/approve").status_code == 302
    assert client.post(f"{PAGE}payouts/{second.pk}/reject", {"reason": ""}).status_code == 400
    # Turning down asks first, carrying the reason; unconfirmed, nothing changes.
    asked = client.post(f"{PAGE}payouts/{second.pk}/reject", {"reason": "No"})
    assert asked.status_code == 200
    assert '<h1 id="confirm-title">Turn down this payout?</h1>' in asked.content.decode()
    assert '<input type="hidden" name="reason" value="No">' in asked.content.decode()
    second.refresh_from_db()
    assert second.state == "awaiting"
    confirmed = {"reason": "No", "confirmed": "yes"}
    assert client.post(f"{PAGE}payouts/{second.pk}/reject", confirmed).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("paid", "rejected")
    assert client_for(book.member).post(f"{PAGE}payouts/{first.pk}/approve").status_code == 403


def test_filters(book):
    fund(book, amount=111, key="a")
    ledger.treasury_fund(actor=book.steward, space=book.space, amount=222, currency="USD", key="b")
    old = fund(book, amount=333, key="c")
    Transaction.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=90))
    client = client_for(None)
    usd = client.get(f"{PAGE}?currency=USD").content.decode()
    assert "$2.22" in usd and "€1.11" not in usd.split("Transactions")[-1]
    since = (timezone.now() - timedelta(days=10)).date().isoformat()
    recent = client.get(f"{PAGE}?since={since}&kind=funding").content.decode()
    assert "€3.33" not in recent.split("Transactions")[-1]


def test_csv_has_private_columns_only_for_stewards(book):
    fund(book)
    steward = list(
        csv.reader(
            io.StringIO(client_for(book.steward).get(f"{PAGE}transactions.csv").content.decode())
        )
    )
    assert steward[0] == [
        "id",
        "created_at",
        "kind",
        "currency",
        "amount",
        "amount_minor",
        "memo",
        "subject",
        "actor",
        "reverses",
        "earnings",
        "reference",
        "note",
    ]
    tx = Transaction.objects.get()
    assert steward[1] == [
        str(tx.pk),
        tx.created_at.isoformat(),
        "funding",
        "EUR",
        "1000.00",
        "100000",
        "Grant from the city",
        "",
        "stew",
        "",
        "",
        "GR-2026-17",
        "",
    ]
    public = list(
        csv.reader(io.StringIO(client_for(None).get(f"{PAGE}transactions.csv").content.decode()))
    )
    assert len(public[0]) == 11 and "reference" not in public[0]
    assert public[1] == steward[1][:11]


def test_flows_chart_is_valid_svg_with_one_series_per_kind(book):
    fund(book)
    ledger.funds_reserve(
        space=book.space,
        actor=book.steward,
        subject="tasks.task:1",
        amount=10,
        currency="EUR",
        key="r",
    )
    ledger.treasury_refund(actor=book.steward, space=book.space, amount=5, currency="EUR", key="f")
    body = client_for(None, "es").get(f"{PAGE}flows.svg").content.decode()
    root = ElementTree.fromstring(body)
    assert root.tag == f"{SVG}svg"
    assert "EUR" in root.find(f"{SVG}title").text
    assert root.find(f"{SVG}desc").text
    kinds = [g.get("data-kind") for g in root.iter(f"{SVG}g")]
    assert kinds == ["funding", "refund", "reserve"]
    months = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "month"]
    assert len(months) == 1
    empty = ElementTree.fromstring(
        client_for(None).get("/s/fund/ledger/flows.svg?currency=USD").content
    )
    assert empty.find(f"{SVG}title") is not None


def test_flows_span_every_month_between_the_first_and_the_last(book):
    old = fund(book, key="old")
    Transaction.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=70))
    fund(book, key="new")
    root = ElementTree.fromstring(client_for(None).get(f"{PAGE}flows.svg").content)
    months = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "month"]
    assert len(months) in {3, 4}


def test_the_dump_has_public_transactions_without_private_columns(book):
    fund(book)
    lines = [json.loads(line) for line in open_data(book.space)]
    found = [line for line in lines if line["type"] == "ledger_transaction"]
    assert len(found) == 1
    assert "reference" not in found[0] and "note" not in found[0]
    assert sorted(e["amount"] for e in found[0]["entries"]) == [-100_000, 100_000]
    book.space.policy = {"ledger": {"visibility": "members"}}
    book.space.save(update_fields=["policy"])
    lines = [json.loads(line) for line in open_data(book.space)]
    assert not [line for line in lines if line["type"] == "ledger_transaction"]


def test_cli_verify_passes_then_names_the_changed_transaction(book, capsys):
    tx = fund(book)
    assert main(["ledger", "verify"]) == 0
    assert "1 transactions, 2 accounts and 0 payouts" in capsys.readouterr().out
    Entry.objects.filter(transaction=tx, amount__gt=0).update(amount=99_999)
    assert main(["ledger", "verify"]) == 1
    assert f"transaction {tx.pk}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("visibility", "shown_to"),
    [
        ("public", {"anonymous", "outsider", "member", "steward"}),
        ("members", {"member", "steward"}),
        ("stewards", {"steward"}),
    ],
)
def test_the_ledger_tab_shows_only_to_who_may_open_it(book, visibility, shown_to):
    book.space.policy = {"ledger": {"visibility": visibility}}
    book.space.save()
    people = {
        "anonymous": None,
        "outsider": book.outsider,
        "member": book.member,
        "steward": book.steward,
    }
    for role, person in people.items():
        body = client_for(person).get("/s/fund/").content.decode()
        assert (f'href="{PAGE}"' in body) == (role in shown_to), role


@pytest.mark.parametrize(
    ("visibility", "readers"),
    [
        ("public", {"anonymous", "outsider", "member", "steward"}),
        ("members", {"member", "steward"}),
        ("stewards", {"steward"}),
    ],
)
def test_ledger_events_in_the_activity_log_follow_the_ledgers_visibility(book, visibility, readers):
    """A ledger narrowed to stewards does not show its amounts in the space's activity, its
    open data dump, or anyone else's history of the transaction."""
    from peerwork.activity.models import Event
    from peerwork.activity.policy import public_events
    from peerwork.activity.selectors import object_events, space_events
    from peerwork.core import policy

    book.space.policy = {"ledger": {"visibility": visibility}}
    book.space.save()
    tx = fund(book)
    people = {
        "anonymous": None,
        "outsider": book.outsider,
        "member": book.member,
        "steward": book.second,
    }
    for role, person in people.items():
        listed = space_events(viewer=person, space=book.space).filter(verb="ledger:funding")
        assert listed.exists() == (role in readers), role
        assert object_events(viewer=person, obj=tx).exists() == (role in readers), role
        event = Event.objects.get(verb="ledger:funding")
        assert policy.can(person, "event.view", event) == (role in readers), role
    dumped = public_events(Event.objects.filter(space=book.space, verb="ledger:funding"))
    assert dumped.exists() == (visibility == "public")
    assert Event.objects.filter(verb="space:created", space=book.space).exists()
    assert space_events(viewer=None, space=book.space).filter(verb="space:created").exists()
