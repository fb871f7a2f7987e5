"""The contribution graph read from the apps' rows: every kind of contribution and link, and
nothing a reader of the space could not open (drafts, removed comments)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from peerwork.credit.graph import build_graph
from peerwork.credit.policy_schema import CreditPolicy
from peerwork.credit.weights import register_revision_weight, size_added_weight
from peerwork.discussions import actions as discussions
from peerwork.governance import actions as governance
from peerwork.ideas import actions as ideas
from peerwork.tasks import actions as tasks
from peerwork.wiki.models import Page

from .conftest import Commons, edit

LATER = datetime(2100, 1, 1, tzinfo=UTC)


def edges_of(graph, source: str) -> set[tuple[str, str]]:
    start = graph.index[source]
    return {
        (graph.keys[target], kind)
        for s, target, kind in zip(graph.sources, graph.targets, graph.edge_kinds, strict=True)
        if s == start
    }


def test_every_kind_of_contribution_and_link(commons: Commons) -> None:
    space, ana, ben, stew = commons.space, commons.ana, commons.ben, commons.steward
    water = edit(space, ana, "Water points", "Wells and taps.")
    maps = edit(space, ben, "Maps", "See [[Water points]].")
    task = tasks.task_create(user=stew, space=space, title="Survey")
    tasks.task_claim(user=ben, task=task)
    delivery = tasks.task_deliver(user=ben, task=task, text="Done.", revision_id=maps.pk)
    review = tasks.delivery_review(
        user=ana, delivery=delivery, decision="changes_requested", reason="More."
    )
    idea = ideas.idea_publish(
        user=ana, idea=ideas.idea_create(user=ana, space=space, title="Rain barrels")
    )
    support, _created = ideas.idea_support(user=ben, idea=idea)
    draft = ideas.idea_create(user=ben, space=space, title="Secret plan")
    page = Page.objects.get(space=space, title="Water points")
    comment = discussions.comment_post(user=ben, target=page, text="Nice.")
    reply = discussions.comment_post(user=ana, target=page, text="Thanks.", parent=comment)
    removed = discussions.comment_post(user=ben, target=idea, text="Oops.")
    discussions.comment_delete(user=ben, comment=removed)
    proposal = governance.proposal_create(
        user=stew, space=space, title="Adopt the map", method_name="consent"
    )

    graph = build_graph(space, policy=CreditPolicy(), end=LATER)
    keys = set(graph.keys)
    assert f"idea:{draft.pk}" not in keys and f"comment:{removed.pk}" not in keys
    user = {person: f"user:{person.pk}" for person in (ana, ben, stew)}
    water_page, maps_page = f"page:{water.page_id}", f"page:{maps.page_id}"
    assert edges_of(graph, f"revision:{water.pk}") == {
        (user[ana], "authored"),
        (water_page, "edits"),
    }
    assert (water_page, "links_to") in edges_of(graph, maps_page)
    assert (f"revision:{maps.pk}", "page_revisions") in edges_of(graph, maps_page)
    assert edges_of(graph, f"delivery:{delivery.pk}") == {
        (user[ben], "authored"),
        (f"task:{task.pk}", "built_on"),
        (f"revision:{maps.pk}", "built_on"),
        (f"review:{review.pk}", "reviewed"),
    }
    assert edges_of(graph, f"review:{review.pk}") == {(user[ana], "authored")}
    assert edges_of(graph, f"support:{support.pk}") == {
        (user[ben], "authored"),
        (f"idea:{idea.pk}", "supported"),
    }
    assert edges_of(graph, f"comment:{reply.pk}") == {
        (user[ana], "authored"),
        (water_page, "replies_to"),
        (f"comment:{comment.pk}", "replies_to"),
    }
    assert edges_of(graph, f"proposal:{proposal.pk}") == {(user[stew], "authored")}
    assert (f"revision:{water.pk}", "authored_back") in edges_of(graph, user[ana])
    # Seeds follow the policy's node weights; a page mints nothing.
    assert graph.seed[graph.index[f"idea:{idea.pk}"]] == 8
    assert graph.seed[graph.index[water_page]] == 0
    assert graph.labels[graph.index[user[ana]]] == "ana"


def test_only_contributions_of_the_period_mint(commons: Commons) -> None:
    old = edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    cut = timezone.now() + timedelta(seconds=1)
    graph = build_graph(
        commons.space,
        policy=CreditPolicy(),
        end=LATER,
        when=lambda moment: 1.0 if moment >= cut else 0.0,
    )
    assert graph.seed[graph.index[f"revision:{old.pk}"]] == 0.0
    before = build_graph(commons.space, policy=CreditPolicy(), end=old.created_at)
    assert f"revision:{old.pk}" not in before.keys and not any(before.seed)


def test_a_registered_revision_weight_is_used(commons: Commons) -> None:
    revision = edit(commons.space, commons.ana, "Water points", "Wells. " * 100)
    try:
        register_revision_weight(lambda revisions: {r.id: 10.0 for r in revisions})
        graph = build_graph(commons.space, policy=CreditPolicy(), end=LATER)
        assert graph.seed[graph.index[f"revision:{revision.pk}"]] == 4 * 10.0
    finally:
        register_revision_weight(size_added_weight)
    graph = build_graph(commons.space, policy=CreditPolicy(), end=LATER)
    assert graph.seed[graph.index[f"revision:{revision.pk}"]] == 4 * (1 + 700 / 1000)
