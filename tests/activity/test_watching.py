"""One watch for every watchable object: the action, the reads and the migration that kept
every watch of the three old tables."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.activity.models import Event, Watch
from peerwork.challenges.models import Challenge
from peerwork.core.errors import NotAuthenticated
from peerwork.ideas import actions as ideas
from peerwork.ideas.models import Idea
from peerwork.spaces.models import SpaceMembership
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page
from tests.challenges.conftest import People, fund, make_challenge


def _world(make_user: Any, make_space: Any) -> dict[str, Any]:
    steward = make_user("stew")
    space = make_space(steward, "lab")
    users = {name: make_user(name) for name in ("seeker", "judge", "solver", "other", "member")}
    for user in users.values():
        SpaceMembership.objects.create(space=space, user=user, role="member")
    people = People(outsider=make_user("outsider"), steward=steward, space=space, **users)
    fund(space, steward)
    page = wiki.page_save(
        user=steward, space=space, title="Doc", text="Hello.", base_revision_id=None
    ).page
    idea = ideas.idea_publish(
        user=steward, idea=ideas.idea_create(user=steward, space=space, title="Rain barrels")
    )
    challenge = make_challenge(people)
    return {"people": people, "page": page, "idea": idea, "challenge": challenge}


@pytest.mark.django_db
def test_watch_set_works_alike_for_every_registered_model(make_user: Any, make_space: Any) -> None:
    world = _world(make_user, make_space)
    member = world["people"].member
    for target, noun in (
        (world["page"], "page"),
        (world["idea"], "idea"),
        (world["challenge"], "challenge"),
    ):
        assert not watching.is_watching(member, target)
        assert watch_set(user=member, target=target, watching=True) is True
        assert watch_set(user=member, target=target, watching=True) is False
        assert watching.is_watching(member, target)
        assert member.pk in set(watching.watcher_ids(target))
        assert list(watching.watched_ids(member, type(target))) == [target.pk]
        assert watch_set(user=member, target=target, watching=False) is True
        assert watch_set(user=member, target=target, watching=False) is False
        assert not watching.is_watching(member, target)
        verbs = list(
            Event.objects.filter(actor=member, target_id=str(target.pk), verb__startswith=noun)
            .order_by("id")
            .values_list("verb", flat=True)
        )
        assert verbs == [f"{noun}:watched", f"{noun}:unwatched"]


@pytest.mark.django_db
def test_watching_exists_annotates_a_list(make_user: Any, make_space: Any) -> None:
    world = _world(make_user, make_space)
    member = world["people"].member
    watch_set(user=member, target=world["page"], watching=True)
    other = wiki.page_save(
        user=world["people"].steward,
        space=world["people"].space,
        title="Other",
        text="x",
        base_revision_id=None,
    ).page
    rows = Page.objects.annotate(watching=watching.watching_exists(member, Page)).order_by("pk")
    assert [(row.pk, row.watching) for row in rows] == [(world["page"].pk, True), (other.pk, False)]
    anonymous = Page.objects.annotate(watching=watching.watching_exists(None, Page))
    assert not any(row.watching for row in anonymous)


@pytest.mark.django_db
def test_signed_out_cannot_watch_and_nothing_changes(
    make_user: Any, make_space: Any, client: Any
) -> None:
    world = _world(make_user, make_space)
    before = Watch.objects.count()
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAuthenticated):
        watch_set(user=AnonymousUser(), target=world["page"], watching=True)
    assert Watch.objects.count() == before


@pytest.mark.django_db
def test_deleting_an_object_deletes_its_watches(make_user: Any, make_space: Any) -> None:
    world = _world(make_user, make_space)
    member = world["people"].member
    watch_set(user=member, target=world["idea"], watching=True)
    Idea.objects.filter(pk=world["idea"].pk).delete()
    assert not Watch.objects.filter(idea=world["idea"].pk).exists()


def test_an_unregistered_model_cannot_be_watched() -> None:
    with pytest.raises(TypeError):
        watching.watchable_for(Event)


OLD = [("activity", "0002_notification")]
NEW = [
    ("activity", "0004_copy_old_watches"),
    ("wiki", "0002_watch_moves_to_activity"),
    ("ideas", "0003_watch_moves_to_activity"),
    ("challenges", "0003_watch_moves_to_activity"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_watch_of_the_three_old_tables(
    make_user: Any, make_space: Any
) -> None:
    world = _world(make_user, make_space)
    people: People = world["people"]
    page, idea, challenge = world["page"], world["idea"], world["challenge"]
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    try:
        old = (
            MigrationExecutor(connection)
            .loader.project_state(
                [
                    *OLD,
                    ("wiki", "0001_initial"),
                    ("ideas", "0002_merge_keeps_dropped_supports"),
                    ("challenges", "0002_close_notice"),
                ]
            )
            .apps
        )
        wanted = set()
        for app_label, field, target, users in (
            ("wiki", "page_id", page, [people.member, people.solver]),
            ("ideas", "idea_id", idea, [people.member, people.steward]),
            ("challenges", "challenge_id", challenge, [people.member, people.judge, people.other]),
        ):
            model = old.get_model(app_label, "Watch")
            for user in users:
                model.objects.get_or_create(user_id=user.pk, **{field: target.pk})
            # Going back copied the new rows (the creators' own watches) into the old tables.
            wanted |= {
                (user_id, type(target), object_id)
                for user_id, object_id in model.objects.values_list("user_id", field)
            }
        assert len(wanted) >= 7
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    kept = {
        (watch.user_id, watch.content_type.model_class(), watch.object_id)
        for watch in Watch.objects.select_related("content_type")
    }
    assert kept == wanted
    assert set(watching.watcher_ids(challenge)) == {
        user_id for user_id, model, _pk in wanted if model is Challenge
    }
    assert {people.member.pk, people.judge.pk, people.other.pk} <= set(
        watching.watcher_ids(challenge)
    )
