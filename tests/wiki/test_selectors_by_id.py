"""The selectors that reach pages by id and by (namespace, title): only what the viewer may
see, deleted pages only when asked for and only for those who may see them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from peerwork.core.errors import NotFound
from peerwork.wiki import actions, selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    ada, bob = make_user("ada"), make_user("bob")
    space = make_space(ada, "atlas")
    hidden = make_space(ada, "secret", visibility="members", participation="members")

    def save(space: Any, title: str) -> Any:
        return actions.page_save(
            user=ada, space=space, title=title, text="x\n", base_revision_id=None
        ).page

    kept, gone, secret = save(space, "Kept"), save(space, "Gone"), save(hidden, "Plans")
    actions.page_delete(user=ada, page=gone, reason="spam")
    return ada, bob, space, hidden, kept, gone, secret


def test_by_id_leaves_out_deleted_pages_and_other_spaces(world: Any) -> None:
    ada, bob, space, _hidden, kept, gone, secret = world
    for viewer in (ada, bob, AnonymousUser()):
        ids = [kept.pk, gone.pk, secret.pk, 999_999]
        found = selectors.pages_visible_by_id(user=viewer, space=space, ids=ids)
        assert list(found) == [kept.pk]
        assert found[kept.pk].space == space
        page = selectors.page_get_visible_by_id(user=viewer, space=space, page_id=kept.pk)
        assert page == kept
        for missing in (gone.pk, secret.pk):
            with pytest.raises(NotFound):
                selectors.page_get_visible_by_id(user=viewer, space=space, page_id=missing)
    assert selectors.pages_visible_by_id(user=bob, space=space, ids=[]) == {}


def test_deleted_pages_only_when_asked_and_only_for_who_may_see_them(world: Any) -> None:
    ada, bob, space, _hidden, kept, gone, _secret = world
    both = {kept.pk, gone.pk}
    found = selectors.pages_visible_by_id(user=ada, space=space, ids=both, include_deleted=True)
    assert set(found) == both
    found = selectors.pages_visible_by_id(user=bob, space=space, ids=both, include_deleted=True)
    assert set(found) == {kept.pk}


def test_by_key_matches_namespace_and_title_together(world: Any) -> None:
    ada, bob, space, _hidden, kept, _gone, _secret = world
    actions.page_save(user=ada, space=space, title="Talk:Other", text="x\n", base_revision_id=None)
    keys = [(0, "Kept"), (0, "Gone"), (1, "Kept"), (0, "Other"), (0, "Plans")]
    found = selectors.pages_visible_by_key(user=bob, space=space, keys=keys)
    assert found == {(0, "Kept"): kept}
    assert set(
        selectors.pages_visible_by_key(user=ada, space=space, keys=keys, include_deleted=True)
    ) == {
        (0, "Kept"),
        (0, "Gone"),
    }


def test_a_hidden_space_is_refused_as_a_whole(world: Any) -> None:
    _ada, bob, _space, hidden, _kept, _gone, secret = world
    with pytest.raises(NotFound):
        selectors.pages_visible_by_id(user=bob, space=hidden, ids=[secret.pk])


def test_find_existing_is_none_for_a_deleted_page(world: Any) -> None:
    ada, _bob, space, *_rest = world
    assert selectors.page_find_existing(user=ada, space=space, title="Gone") is None
    assert selectors.page_find(user=ada, space=space, title="Gone") is not None
    assert selectors.page_find_existing(user=ada, space=space, title="kept") is not None


def test_by_key_without_text_leaves_the_current_revision_unloaded(world: Any) -> None:
    from peerwork.wiki.models import Page

    _ada, bob, space, _hidden, kept, *_rest = world
    with_text = selectors.pages_visible_by_key(user=bob, space=space, keys=[(0, "Kept")])
    assert Page.current_revision.is_cached(with_text[(0, "Kept")])
    bare = selectors.pages_visible_by_key(
        user=bob, space=space, keys=[(0, "Kept")], with_text=False
    )
    assert bare == {(0, "Kept"): kept}
    assert not Page.current_revision.is_cached(bare[(0, "Kept")])
