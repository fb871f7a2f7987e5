"""The credit REST API: credit and its explanation, the what-if, distributions (idempotent,
read with the ledger) and epochs, with problem+json for bad input."""

from __future__ import annotations

from typing import Any

from peerwork.credit.models import Distribution
from peerwork.ledger.models import Payout

from .conftest import Commons, edit

BASE = "/spaces/commons/credit"


def test_credit_and_its_explanation(commons: Commons, api_as: Any) -> None:
    revision = edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    edit(commons.space, commons.ben, "Maps", "See [[Water points]].")
    anonymous = api_as(None)
    found = anonymous.get(BASE)
    assert found.status_code == 200
    people = {row["username"]: row for row in found.json()["people"]}
    assert set(people) == {"ana", "ben"}
    assert sum(row["share_basis_points"] for row in people.values()) == 10_000

    why = anonymous.get(f"{BASE}/people/ana?method=recent").json()
    assert why["method"] == "recent"
    assert why["parts"][0]["node"] == f"revision:{revision.pk}"
    assert why["parts"][0]["text"] == f"revision {revision.pk} of [[Water points]] (as author)"
    assert sum(part["basis_points"] for part in why["parts"]) == 10_000
    assert anonymous.get(f"{BASE}/people/nobody").status_code == 404
    assert anonymous.get(f"{BASE}?method=lottery").status_code == 422


def test_what_if_moves_and_refuses(commons: Commons, api_as: Any) -> None:
    edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    edit(commons.space, commons.ben, "Maps", "See [[Water points]].")
    client = api_as(commons.ana)
    moved = client.post(f"{BASE}/what-if", {"weights": {"edges.links_to": 1000}})
    assert moved.status_code == 200
    rows = {row["username"]: row for row in moved.json()["people"]}
    # Ben's page links to Ana's: weighing links more sends more of Ben's credit to Ana's page.
    assert rows["ana"]["change"] > 0 > rows["ben"]["change"]
    bad = client.post(f"{BASE}/what-if", {"weights": {"nodes.nothing": 3}})
    assert bad.status_code == 422
    assert bad["Content-Type"] == "application/problem+json"


def test_distribution_over_the_api(commons: Commons, api_as: Any) -> None:
    edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    body = {"method": "immediate", "amount": 999, "currency": "EUR"}
    steward = api_as(commons.steward)
    assert steward.post(f"{BASE}/distributions", body).status_code == 422  # no key
    made = steward.post(f"{BASE}/distributions", body, HTTP_IDEMPOTENCY_KEY="d-1")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["payout_state"] == "paid"
    assert [(s["username"], s["amount"]) for s in data["shares"]] == [("ana", 999)]
    again = steward.post(f"{BASE}/distributions", body, HTTP_IDEMPOTENCY_KEY="d-1")
    assert again.json()["id"] == data["id"]
    assert Distribution.objects.count() == 1 and Payout.objects.count() == 1
    member = api_as(commons.ana)
    refused = member.post(f"{BASE}/distributions", body, HTTP_IDEMPOTENCY_KEY="d-2")
    assert refused.status_code == 403
    assert Distribution.objects.count() == 1
    listed = api_as(None).get(f"{BASE}/distributions").json()["items"]
    assert [row["id"] for row in listed] == [data["id"]]
    one = api_as(None).get(f"{BASE}/distributions/{data['id']}").json()
    assert one["shares"][0]["parts"][0]["kind"] == "revision"


def test_epochs_over_the_api(commons: Commons, api_as: Any) -> None:
    commons.space.policy = {"credit": {"peer_epochs": True, "epoch_points": 10}}
    commons.space.save(update_fields=["policy"])
    steward, ana = api_as(commons.steward), api_as(commons.ana)
    opened = steward.post(f"{BASE}/epochs", {"title": "May"})
    assert opened.status_code == 201
    epoch = opened.json()["id"]
    given = ana.post(
        f"{BASE}/epochs/{epoch}/allocations", {"username": "ben", "points": 7, "note": "maps"}
    )
    assert given.status_code == 200
    assert given.json()["received"] == [{"username": "ben", "points": 7}]
    too_many = ana.post(f"{BASE}/epochs/{epoch}/allocations", {"username": "stew", "points": 4})
    assert too_many.status_code == 422
    assert ana.post(f"{BASE}/epochs/{epoch}/closing").status_code == 403
    closed = steward.post(f"{BASE}/epochs/{epoch}/closing")
    assert closed.json()["state"] == "closed"
    paid = steward.post(
        f"{BASE}/distributions",
        {"method": "peer", "epoch": epoch, "amount": 70, "currency": "EUR"},
        HTTP_IDEMPOTENCY_KEY="peer-1",
    )
    assert paid.status_code == 201
    assert [(s["username"], s["amount"]) for s in paid.json()["shares"]] == [("ben", 70)]
