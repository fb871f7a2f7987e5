"""Spaces, openness and membership through the REST API."""

from __future__ import annotations

from peerwork.activity.models import Event
from peerwork.spaces.models import Space, SpaceMembership


def test_create_space_makes_creator_steward_with_default_policy(make_user, api_as):
    ada = make_user("ada")
    response = api_as(ada).post("/spaces", {"slug": "atlas", "name": "Open Atlas"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["your_role"] == "steward"
    assert body["licence"] == "CC-BY-SA-4.0"
    assert body["policy"]["privileges"]["autoconfirmed_days"] == 4
    assert body["policy"]["privileges"]["autoconfirmed_edits"] == 10
    assert SpaceMembership.objects.get(space__slug="atlas").user == ada


def test_private_space_is_not_listed_and_answers_404_like_nothing(make_user, make_space, api_as):
    ada, out = make_user("ada"), make_user("out")
    make_space(ada, "secret", visibility="members", participation="members")
    make_space(ada, "open")
    for client in (api_as(None), api_as(out)):
        assert [s["slug"] for s in client.get("/spaces").json()["items"]] == ["open"]
        hidden = client.get("/spaces/secret")
        missing = client.get("/spaces/nothing-here")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["detail"] == missing.json()["detail"]
        assert client.get("/spaces/secret/activity").status_code == 404
    assert sorted(s["slug"] for s in api_as(ada).get("/spaces").json()["items"]) == [
        "open",
        "secret",
    ]


def test_members_only_visibility_requires_members_participation(make_user, api_as):
    client = api_as(make_user("ada"))
    response = client.post(
        "/spaces", {"slug": "x", "name": "X", "visibility": "members", "participation": "anyone"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "participation"
    assert not Space.objects.exists()


def test_organization_members_are_space_members(make_user, make_space, api_as):
    ada, grace = make_user("ada"), make_user("grace")
    make_space(ada, "notes", visibility="members", participation="members")
    as_ada, as_grace = api_as(ada), api_as(grace)
    assert as_grace.get("/spaces/notes").status_code == 404
    as_ada.post("/organizations", {"slug": "lab", "name": "Lab"})
    as_ada.post("/organizations/lab/members", {"username": "grace"})
    assert as_ada.post("/spaces/notes/members", {"organization": "lab"}).status_code == 201
    response = as_grace.get("/spaces/notes")
    assert response.status_code == 200 and response.json()["your_role"] == "member"
    # Leaving the organization takes the space away again.
    as_grace.delete("/organizations/lab/members/grace")
    assert as_grace.get("/spaces/notes").status_code == 404


def test_join_request_flow(make_user, make_space, api_as):
    ada, linus = make_user("ada"), make_user("linus")
    make_space(ada, "budget", participation="members")
    as_ada, as_linus = api_as(ada), api_as(linus)
    assert as_linus.post("/spaces/budget/join").status_code == 403
    response = as_linus.post("/spaces/budget/join-requests", {"message": "roads"})
    assert response.status_code == 201
    request_id = response.json()["id"]
    assert as_linus.get("/spaces/budget/join-requests").status_code == 403
    pending = as_ada.get("/spaces/budget/join-requests").json()["items"]
    assert [(p["username"], p["message"]) for p in pending] == [("linus", "roads")]
    response = as_ada.post(
        f"/spaces/budget/join-requests/{request_id}/decision", {"decision": "approve"}
    )
    assert response.json()["status"] == "approved"
    assert as_linus.get("/spaces/budget").json()["your_role"] == "member"
    again = as_ada.post(
        f"/spaces/budget/join-requests/{request_id}/decision", {"decision": "reject"}
    )
    assert again.status_code == 409
    verbs = list(
        Event.objects.filter(space__slug="budget").order_by("seq").values_list("verb", flat=True)
    )
    assert verbs == ["space:created", "space:join_requested", "space:join_approved"]


def test_open_space_join_and_leave(make_user, make_space, api_as):
    ada, bob = make_user("ada"), make_user("bob")
    make_space(ada, "atlas")
    as_bob = api_as(bob)
    assert as_bob.post("/spaces/atlas/join").status_code == 201
    assert as_bob.post("/spaces/atlas/join").status_code == 403
    assert as_bob.post("/spaces/atlas/leave").status_code == 204
    response = api_as(ada).post("/spaces/atlas/leave")
    assert response.status_code == 409
    assert "last steward" in response.json()["detail"]


def test_invitation_to_private_space(make_user, make_space, api_as):
    ada, linus = make_user("ada"), make_user("linus")
    make_space(ada, "notes", visibility="members", participation="members")
    as_ada, as_linus = api_as(ada), api_as(linus)
    response = as_ada.post("/spaces/notes/invitations", {"username": "linus"})
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    assert as_ada.post("/spaces/notes/invitations", {"username": "linus"}).status_code == 409
    assert as_ada.post("/spaces/notes/invitations", {"username": "nobody"}).status_code == 422
    assert [i["space"] for i in as_linus.get("/space-invitations").json()] == ["notes"]
    response = as_linus.post(f"/space-invitations/{invitation_id}/response", {"accept": True})
    assert response.status_code == 200
    assert as_linus.get("/spaces/notes").json()["your_role"] == "member"


def test_settings_change_is_logged_with_old_and_new(make_user, make_space, api_as):
    ada, bob = make_user("ada"), make_user("bob")
    make_space(ada, "atlas")
    assert api_as(bob).patch("/spaces/atlas", {"name": "Mine"}).status_code == 403
    response = api_as(ada).patch(
        "/spaces/atlas", {"participation": "members", "licence": "CC0-1.0"}
    )
    assert response.status_code == 200
    event = Event.objects.filter(verb="space:updated").get()
    assert event.data == {
        "participation": {"old": "anyone", "new": "members"},
        "licence": {"old": "CC-BY-SA-4.0", "new": "CC0-1.0"},
    }
    response = api_as(ada).patch("/spaces/atlas", {"licence": "WTFPL"})
    assert response.status_code == 422 and "Unknown licence 'WTFPL'" in response.json()["detail"]


def test_cursor_pagination_walks_every_space_once(make_user, make_space, api_as):
    ada = make_user("ada")
    for n in range(7):
        make_space(ada, f"space-{n}")
    client = api_as(None)
    seen, cursor = [], None
    while True:
        path = "/spaces?limit=3" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(path).json()
        seen += [s["slug"] for s in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"space-{n}" for n in range(7)]


def test_private_verbs_stay_private(make_user, api_as):
    ada = make_user("ada")
    as_ada = api_as(ada)  # creating the token records token:created
    as_bob = api_as(make_user("bob"))
    mine = [e["verb"] for e in as_ada.get("/users/ada/activity").json()["items"]]
    theirs = [e["verb"] for e in as_bob.get("/users/ada/activity").json()["items"]]
    assert "token:created" in mine
    assert "token:created" not in theirs and "user:signed_up" in theirs
