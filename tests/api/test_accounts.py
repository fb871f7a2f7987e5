"""People, tokens and organizations through the REST API."""

from __future__ import annotations

from django.utils import timezone

from peerwork.accounts.models import ApiToken, OrganizationMembership, User
from peerwork.activity.models import Event
from tests.conftest import ApiClient


def test_signup_then_profile(db):
    client = ApiClient()
    response = client.post(
        "/accounts",
        {"username": "ada", "password": "analytical engine 1843", "display_name": "Ada"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["username"] == "ada"
    user = User.objects.get(username="ada")
    assert user.password.startswith("md5$")  # the test hasher; production uses Argon2
    assert Event.objects.filter(verb="user:signed_up", actor=user).count() == 1


def test_signup_refuses_taken_name_in_any_case_and_weak_password(make_user):
    make_user("ada")
    client = ApiClient()
    response = client.post("/accounts", {"username": "ADA", "password": "analytical engine 1843"})
    assert response.status_code == 409
    assert response.json()["detail"] == "The username 'ADA' is taken; choose another."
    response = client.post("/accounts", {"username": "bob", "password": "123"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "password"
    assert User.objects.count() == 1


def test_argon2_is_the_production_hasher(settings):
    from peerwork import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_profile_update_records_old_and_new(make_user, api_as):
    ada = make_user("ada")
    client = api_as(ada)
    response = client.patch(
        "/me",
        {
            "display_name": "Ada L.",
            "skills": ["maths", "maths", " poetry "],
            "time_zone": "Europe/London",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == ["maths", "poetry"]
    event = Event.objects.filter(verb="user:profile_updated").get()
    assert event.data["display_name"] == {"old": "", "new": "Ada L."}
    response = client.patch("/me", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "Unknown time zone 'Mars/Olympus'" in response.json()["detail"]
    assert User.objects.get(pk=ada.pk).time_zone == "Europe/London"


def test_password_change(make_user, api_as):
    ada = make_user("ada")
    client = api_as(ada)
    response = client.post(
        "/me/password", {"old_password": "wrong", "new_password": "a new long secret"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "old_password"
    response = client.post(
        "/me/password",
        {"old_password": "correct horse battery staple", "new_password": "a new long secret"},
    )
    assert response.status_code == 204
    assert User.objects.get(pk=ada.pk).check_password("a new long secret")


def test_token_lifecycle(make_user, api_as):
    ada = make_user("ada")
    client = api_as(ada)
    response = client.post("/me/tokens", {"name": "bot", "scope": "write"})
    assert response.status_code == 201
    created = response.json()
    secret = created["token"]
    assert secret.startswith("pw_") and created["hint"] == secret[:10]
    stored = ApiToken.objects.get(pk=created["id"])
    assert stored.digest == ApiToken.digest_of(secret) and secret not in stored.digest
    assert stored.last_used_at is None
    bot = ApiClient(secret)
    assert bot.get("/me").json()["username"] == "ada"
    stored.refresh_from_db()
    assert stored.last_used_at is not None and stored.last_used_at <= timezone.now()
    listed = client.get("/me/tokens").json()
    assert all("token" not in item for item in listed)
    assert client.delete(f"/me/tokens/{created['id']}").json()["revoked_at"] is not None
    assert bot.get("/me").status_code == 401
    # Someone else's token id answers not found.
    other = api_as(make_user("bob"))
    assert other.delete(f"/me/tokens/{created['id']}").status_code == 404


def test_organization_roles_and_invitations(make_user, api_as):
    ada, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    as_ada, as_bob, as_cy = api_as(ada), api_as(bob), api_as(cy)
    response = as_ada.post("/organizations", {"slug": "lab", "name": "Commons Lab"})
    assert response.status_code == 201 and response.json()["your_role"] == "admin"
    assert as_ada.post("/organizations", {"slug": "lab", "name": "Again"}).status_code == 409
    assert as_ada.post("/organizations/lab/members", {"username": "bob"}).status_code == 201
    # A plain member may not add people.
    response = as_bob.post("/organizations/lab/members", {"username": "cy"})
    assert response.status_code == 403
    assert response.json()["type"] == "/problems/forbidden"
    response = as_ada.post("/organizations/lab/invitations", {"username": "cy", "role": "admin"})
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    assert (
        as_bob.post(
            f"/organization-invitations/{invitation_id}/response", {"accept": True}
        ).status_code
        == 404
    )
    assert [i["id"] for i in as_cy.get("/organization-invitations").json()] == [invitation_id]
    response = as_cy.post(f"/organization-invitations/{invitation_id}/response", {"accept": True})
    assert response.json()["status"] == "accepted"
    assert OrganizationMembership.objects.get(organization__slug="lab", user=cy).role == "admin"
    # The last admin cannot be demoted away; with two admins it works.
    assert as_ada.patch("/organizations/lab/members/cy", {"role": "member"}).status_code == 200
    response = as_ada.patch("/organizations/lab/members/ada", {"role": "member"})
    assert response.status_code == 409
    assert as_bob.delete("/organizations/lab/members/bob").status_code == 204  # leaving
    members = as_ada.get("/organizations/lab/members").json()["items"]
    assert sorted(m["username"] for m in members) == ["ada", "cy"]


def test_organization_invitation_can_be_cancelled_by_an_admin_only(make_user, api_as):
    ada, cy = make_user("ada"), make_user("cy")
    as_ada, as_cy = api_as(ada), api_as(cy)
    as_ada.post("/organizations", {"slug": "lab", "name": "Lab"})
    invitation_id = as_ada.post("/organizations/lab/invitations", {"username": "cy"}).json()["id"]
    assert as_cy.delete(f"/organization-invitations/{invitation_id}").status_code == 403
    response = as_ada.delete(f"/organization-invitations/{invitation_id}")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert as_cy.get("/organization-invitations").json() == []
    response = as_cy.post(f"/organization-invitations/{invitation_id}/response", {"accept": True})
    assert response.status_code == 409
    assert not OrganizationMembership.objects.filter(organization__slug="lab", user=cy).exists()
