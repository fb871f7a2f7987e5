"""Revenue of an accepted idea through the ledger: in to the treasury, the creators' agreed
share out to their earnings, split exactly, recorded once per key."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from peerwork.activity.models import Event, Notification
from peerwork.core.errors import Conflict, Forbidden, KeyReused
from peerwork.ideas import actions
from peerwork.ideas.models import Idea
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Account, Payout, Transaction
from peerwork.ledger.verify import verify
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> dict[str, Any]:
    """An idea by ada, bob and cy (agreed shares 3:2:1) accepted in a space whose creators get
    25 % of net revenue: 1250, 833 and 417 basis points."""
    people = {name: make_user(name) for name in ("stew", "ada", "bob", "cy", "fan", "out")}
    space = make_space(people["stew"], "shop")
    for name in ("ada", "bob", "cy", "fan"):
        SpaceMembership.objects.create(space=space, user=people[name], role="member")
    space = spaces.space_policy_update(
        user=people["stew"],
        space=space,
        document={
            "ideas": {
                "support_milestones": [{"supporters": 1, "days": 30}],
                "revenue_share_basis_points": 2500,
            }
        },
    )
    idea = actions.idea_create(user=people["ada"], space=space, title="Seed library", share=3)
    for name, share in (("bob", 2), ("cy", 1)):
        actions.idea_invite_creator(
            user=people["ada"], idea=idea, invitee=people[name], share=share
        )
        actions.idea_invitation_respond(user=people[name], idea=idea, accept=True)
    idea = actions.idea_publish(user=people["ada"], idea=idea)
    actions.idea_support(user=people["fan"], idea=idea)
    idea = actions.idea_review(
        user=people["stew"], idea=Idea.objects.get(pk=idea.pk), decision="accept", reason="Yes."
    )
    return {**people, "space": space, "idea": idea}


def earnings(world: dict[str, Any]) -> dict[str, int]:
    return dict(
        Account.objects.filter(space=world["space"], kind="earnings").values_list(
            "user__username", "balance"
        )
    )


def treasury(world: dict[str, Any], kind: str = "treasury") -> int:
    found = Account.objects.filter(space=world["space"], kind=kind, currency="EUR").first()
    return found.balance if found else 0


def record(world: dict[str, Any], amount: int = 12345, key: str = "sales-2026-q1", **extra: Any):
    return actions.idea_revenue_record(
        user=extra.pop("user", world["stew"]),
        idea=world["idea"],
        amount=amount,
        currency="EUR",
        key=key,
        **extra,
    )


def test_the_agreed_basis_points_are_in_place(world):
    shares = dict(world["idea"].revenue_shares.values_list("user__username", "basis_points"))
    assert shares == {"ada": 1250, "bob": 833, "cy": 417}


def test_revenue_comes_in_and_the_creators_share_is_split_exactly(world):
    recorded = record(world, reference="INV-7", note="First quarter")
    # 25 % of 123.45 is 30.8625: 30.86 to the creators (rounded down), split 1250:833:417 by
    # largest remainder (15.43, 10.2826, 5.1474 -> the last unit to cy).
    assert earnings(world) == {"ada": 1543, "bob": 1028, "cy": 515}
    assert treasury(world) == 12345 - 3086
    assert treasury(world, "external") == -12345
    revenue = recorded.revenue
    assert (revenue.kind, revenue.amount, revenue.key, revenue.reference, revenue.subject) == (
        "revenue",
        12345,
        "sales-2026-q1:in",
        "INV-7",
        f"ideas.idea:{world['idea'].pk}",
    )
    payout = recorded.payout
    assert (payout.kind, payout.state, payout.amount, payout.key) == (
        "revenue_share",
        "paid",
        3086,
        "sales-2026-q1:share",
    )
    event = Event.objects.get(verb="idea:revenue_recorded")
    assert event.data["transaction"] == revenue.pk and event.data["payout"] == payout.pk
    told = set(Notification.objects.filter(event=event).values_list("user__username", flat=True))
    assert told == {"ada", "bob", "cy"}
    assert verify().ok


def test_the_same_key_records_once_and_another_body_is_refused(world):
    first = record(world)
    again = record(world)
    assert (again.revenue.pk, again.payout.pk) == (first.revenue.pk, first.payout.pk)
    assert Event.objects.filter(verb="idea:revenue_recorded").count() == 1
    with pytest.raises(KeyReused):
        record(world, amount=500)
    assert Transaction.objects.filter(kind="revenue").count() == 1
    assert earnings(world) == {"ada": 1543, "bob": 1028, "cy": 515}
    assert verify().ok


def test_revenue_of_an_idea_not_accepted_is_refused(world):
    open_idea = actions.idea_publish(
        user=world["ada"],
        idea=actions.idea_create(user=world["ada"], space=world["space"], title="Open one"),
    )
    with pytest.raises(Conflict):
        actions.idea_revenue_record(
            user=world["stew"], idea=open_idea, amount=100, currency="EUR", key="k"
        )
    assert not Transaction.objects.exists()
    assert not Event.objects.filter(verb="idea:revenue_recorded").exists()


@pytest.mark.parametrize("who", ["ada", "fan", "out"])
def test_only_a_steward_who_is_no_creator_records_revenue(world, who):
    if who == "ada":  # a steward who co-creates the idea leaves it to another steward
        SpaceMembership.objects.filter(space=world["space"], user=world["ada"]).update(
            role="steward"
        )
    with pytest.raises(Forbidden):
        record(world, user=world[who])
    assert not Transaction.objects.exists()
    assert earnings(world) == {}


def test_a_share_that_rounds_to_nothing_records_the_revenue_alone(world):
    recorded = record(world, amount=3)
    assert recorded.payout is None
    assert treasury(world) == 3
    assert not Payout.objects.exists()
    assert verify().ok


def test_a_share_over_the_limit_waits_for_a_second_steward(world, make_user):
    document = dict(world["space"].policy)
    document["ledger"] = {"approval_above": {"EUR": 1000}}
    spaces.space_policy_update(user=world["stew"], space=world["space"], document=document)
    recorded = record(world)
    assert recorded.payout.state == "awaiting"
    assert earnings(world) == {}
    assert treasury(world, "pending") == 3086
    second = make_user("second")
    SpaceMembership.objects.create(space=world["space"], user=second, role="steward")
    ledger.payout_approve(actor=second, payout=recorded.payout)
    assert earnings(world) == {"ada": 1543, "bob": 1028, "cy": 515}
    assert verify().ok


# ---- the API --------------------------------------------------------------------------------


def test_the_api_records_revenue_with_an_idempotency_key(world, api_as):
    steward = api_as(world["stew"])
    path = f"/spaces/shop/ideas/{world['idea'].pk}/revenue"
    body = {"amount": 12345, "currency": "EUR", "reference": "INV-7"}
    missing = steward.post(path, body)
    assert missing.status_code == 422
    assert not Transaction.objects.exists()
    answer = steward.post(path, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert answer.status_code == 201, answer.content
    out = answer.json()
    assert (out["amount"], out["currency"]) == (12345, "EUR")
    assert out["payout"]["state"] == "paid" and out["payout"]["amount"] == 3086
    assert out["payout"]["lines"] == [
        {"username": "ada", "amount": 1543},
        {"username": "bob", "amount": 1028},
        {"username": "cy", "amount": 515},
    ]
    again = steward.post(path, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again.json() == out
    reused = steward.post(path, {**body, "amount": 1}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert reused.status_code == 409
    assert reused.json()["type"] == "/problems/idempotency-key-reused"
    assert Transaction.objects.filter(kind="revenue").count() == 1
    assert verify().ok


def test_the_api_refuses_members_and_ideas_not_accepted(world, api_as):
    path = f"/spaces/shop/ideas/{world['idea'].pk}/revenue"
    body = {"amount": 100, "currency": "EUR"}
    denied = api_as(world["fan"]).post(path, body, HTTP_IDEMPOTENCY_KEY="k")
    assert denied.status_code == 403
    assert denied.json()["type"] == "/problems/forbidden"
    Idea.objects.filter(pk=world["idea"].pk).update(status="rejected")
    refused = api_as(world["stew"]).post(path, body, HTTP_IDEMPOTENCY_KEY="k")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/conflict"
    assert not Transaction.objects.exists()


# ---- the page -------------------------------------------------------------------------------


def _text(html: str, test_id: str) -> str:
    found = re.search(rf'data-testid="{test_id}"[^>]*>(.*?)</table>', html, re.S)
    assert found, f"no {test_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_steward_records_revenue_on_the_page_and_everyone_sees_the_payments(world):
    client = Client()
    client.force_login(world["stew"])
    url = f"/s/shop/ideas/{world['idea'].pk}/"
    form = client.get(url).content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', form).group(1)
    bad = client.post(url + "revenue", {"amount": "12.3.4", "currency": "EUR", "key": key})
    assert bad.status_code == 400
    assert not Transaction.objects.exists()
    done = client.post(url + "revenue", {"amount": "123.45", "currency": "EUR", "key": key})
    assert done.status_code == 302
    resent = client.post(url + "revenue", {"amount": "123.45", "currency": "EUR", "key": key})
    assert resent.status_code == 302
    assert Transaction.objects.filter(kind="revenue").count() == 1
    assert earnings(world) == {"ada": 1543, "bob": 1028, "cy": 515}
    shown = _text(Client().get(url).content.decode(), "revenue")
    assert "€123.45" in shown
    assert "ada: €15.43, bob: €10.28, cy: €5.15" in shown


def test_the_revenue_follows_the_ledger_visibility(world):
    record(world)
    document = dict(world["space"].policy)
    document["ledger"] = {"visibility": "stewards"}
    spaces.space_policy_update(user=world["stew"], space=world["space"], document=document)
    url = f"/s/shop/ideas/{world['idea'].pk}/"
    assert 'data-testid="revenue"' not in Client().get(url).content.decode()
    steward = Client()
    steward.force_login(world["stew"])
    assert 'data-testid="revenue"' in steward.get(url).content.decode()
