from django.urls import path

from . import views

app_name = "spaces"

urlpatterns = [
    path("spaces/", views.space_list, name="list"),
    path("spaces/new/", views.space_create, name="create"),
    path("s/<slug:slug>/", views.space_home, name="home"),
    path("s/<slug:slug>/settings/", views.space_settings, name="settings"),
    path("s/<slug:slug>/settings/policy", views.space_policy, name="policy"),
    path("s/<slug:slug>/settings/policy/preset", views.space_policy_preset, name="policy_preset"),
    path("s/<slug:slug>/members/", views.members, name="members"),
    path("s/<slug:slug>/members/add", views.member_add, name="member_add"),
    path("s/<slug:slug>/members/<int:member_id>/role", views.member_role, name="member_role"),
    path("s/<slug:slug>/members/<int:member_id>/remove", views.member_remove, name="member_remove"),
    path("s/<slug:slug>/blocks/", views.blocks, name="blocks"),
    path("s/<slug:slug>/blocks/new", views.block_create, name="block_create"),
    path("s/<slug:slug>/blocks/<str:username>/lift", views.block_lift, name="block_lift"),
    path("s/<slug:slug>/join", views.join, name="join"),
    path("s/<slug:slug>/leave", views.leave, name="leave"),
    path("s/<slug:slug>/join-requests/", views.join_request_create, name="join_request_create"),
    path(
        "s/<slug:slug>/join-requests/<int:request_id>/decide",
        views.join_request_decide,
        name="join_request_decide",
    ),
    path(
        "s/<slug:slug>/join-requests/<int:request_id>/withdraw",
        views.join_request_withdraw,
        name="join_request_withdraw",
    ),
    path("s/<slug:slug>/invitations/", views.invitation_create, name="invitation_create"),
    path(
        "invitations/space/<int:invitation_id>/respond",
        views.invitation_respond,
        name="invitation_respond",
    ),
    path(
        "invitations/space/<int:invitation_id>/cancel",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
]
