"""The credit pages: the overview, an explanation, the what-if, a distribution started from
its form, and an epoch where members give points."""

from __future__ import annotations

from typing import Any

from django.test import Client

from peerwork.credit.models import Allocation, Distribution, Epoch

from .conftest import Commons, edit


def client_of(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_overview_explanation_and_what_if(commons: Commons) -> None:
    edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    page = client_of().get("/s/commons/credit/")
    assert page.status_code == 200
    assert "ana" in page.content.decode() and "100.00%" in page.content.decode()
    why = client_of().get("/s/commons/credit/people/ana/")
    assert "revision" in why.content.decode() and "[[Water points]]" in why.content.decode()
    what_if = client_of().get("/s/commons/credit/what-if?nodes.revision=0")
    assert what_if.status_code == 200
    bad = client_of().get("/s/commons/credit/what-if?nodes.revision=-4")
    assert bad.status_code == 400


def test_a_steward_distributes_from_the_page(commons: Commons) -> None:
    edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    form = {"method": "immediate", "amount": "12.50", "currency": "EUR", "key": "page-1"}
    refused = client_of(commons.ana).post("/s/commons/credit/distributions/new", form)
    assert refused.status_code == 403 and not Distribution.objects.exists()
    bad = client_of(commons.steward).post(
        "/s/commons/credit/distributions/new", {**form, "amount": "a lot"}
    )
    assert bad.status_code == 400 and not Distribution.objects.exists()
    done = client_of(commons.steward).post("/s/commons/credit/distributions/new", form)
    distribution = Distribution.objects.get()
    assert done.status_code == 302 and distribution.amount == 1250
    client_of(commons.steward).post("/s/commons/credit/distributions/new", form)
    assert Distribution.objects.count() == 1
    shown = client_of().get(f"/s/commons/credit/distributions/{distribution.pk}/")
    assert shown.status_code == 200 and "ana" in shown.content.decode()


def test_an_epoch_from_the_pages(commons: Commons) -> None:
    commons.space.policy = {"credit": {"peer_epochs": True}}
    commons.space.save(update_fields=["policy"])
    client_of(commons.steward).post("/s/commons/credit/epochs/new", {"title": "May"})
    epoch = Epoch.objects.get()
    ana = client_of(commons.ana)
    assert ana.get(f"/s/commons/credit/epochs/{epoch.pk}/").status_code == 200
    gave = ana.post(
        f"/s/commons/credit/epochs/{epoch.pk}/give", {"username": "ben", "points": "30"}
    )
    assert gave.status_code == 302
    assert Allocation.objects.get().points == 30
    over = ana.post(
        f"/s/commons/credit/epochs/{epoch.pk}/give", {"username": "stew", "points": "71"}
    )
    assert over.status_code == 422 and Allocation.objects.count() == 1
    client_of(commons.steward).post(f"/s/commons/credit/epochs/{epoch.pk}/close")
    epoch.refresh_from_db()
    assert epoch.state == "closed"
