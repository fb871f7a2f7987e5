"""Who may rate and see what, and the pages in Spanish."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.bridging import actions as bridging
from peerwork.bridging.models import Rating
from peerwork.core.errors import NotFound
from peerwork.ideas import actions as ideas
from tests.conftest import PASSWORD


@pytest.fixture
def private(make_user, make_space):
    stew = make_user("stew")
    member = make_user("mem")
    outsider = make_user("out")
    space = make_space(stew, "hidden", visibility="members", participation="members")
    from peerwork.spaces import actions as spaces

    spaces.space_member_add(user=stew, space=space, member=member)
    idea = ideas.idea_publish(
        user=stew, idea=ideas.idea_create(user=stew, space=space, title="Secret")
    )
    return stew, member, outsider, space, idea


def test_members_only_space_hides_everything_from_outsiders(private, api_as):
    stew, member, outsider, space, idea = private
    with pytest.raises(NotFound):
        bridging.rating_set(user=outsider, obj=idea, value="helpful")
    assert (
        api_as(outsider)
        .post(f"/spaces/hidden/ratings/idea/{idea.pk}", {"value": "helpful"})
        .status_code
        == 404
    )
    assert api_as(outsider).get(f"/spaces/hidden/ideas/{idea.pk}/supports/audit").status_code == (
        404
    )
    assert not Rating.objects.exists()
    assert (
        api_as(member)
        .post(f"/spaces/hidden/ratings/idea/{idea.pk}", {"value": "helpful"})
        .status_code
        == 200
    )
    assert api_as(member).get("/spaces/hidden/coordination").status_code == 403
    assert api_as(stew).post("/spaces/hidden/coordination/check").status_code == 200


@pytest.mark.parametrize("language", ["en", "es"])
def test_pages_render_in_both_languages(private, language):
    stew, member, _outsider, _space, idea = private
    ideas.idea_support(user=member, idea=idea)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username="stew", password=PASSWORD)
    audit = client.get(f"/s/hidden/ideas/{idea.pk}/supports/")
    coordination = client.get("/s/hidden/coordination/")
    assert audit.status_code == coordination.status_code == 200
    words = {
        "en": ("How supports count", "Coordinated support"),
        "es": ("Cómo cuentan los apoyos", "Apoyo coordinado"),
    }[language]
    assert words[0] in audit.content.decode()
    assert words[1] in coordination.content.decode()
    listed = client.get("/s/hidden/ideas/?sort=bridged").content.decode()
    assert {"en": "support across viewpoints", "es": "apoyo entre puntos de vista"}[
        language
    ] in listed
