from django.urls import path

from . import mail_views, views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password-reset/", mail_views.password_reset, name="password_reset"),
    path("password-reset/sent/", mail_views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        mail_views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("email/verify/<str:verification>/", mail_views.email_verify, name="email_verify"),
    path("settings/email/", mail_views.email_settings, name="email_settings"),
    path("settings/email/address", mail_views.email_address, name="email_address"),
    path("settings/email/verification", mail_views.email_verification, name="email_verification"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
    path("settings/password/", views.password_change, name="password_change"),
    path("settings/tokens/", views.tokens, name="tokens"),
    path("settings/tokens/<int:token_id>/revoke", views.token_revoke, name="token_revoke"),
    path("people/", views.directory, name="directory"),
    path("people/<str:username>/", views.profile, name="profile"),
    path("people/<str:username>/activity/", views.contributions, name="contributions"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<slug:slug>/members/add",
        views.organization_member_add,
        name="organization_member_add",
    ),
    path(
        "organizations/<slug:slug>/members/<str:username>/role",
        views.organization_member_role,
        name="organization_member_role",
    ),
    path(
        "organizations/<slug:slug>/members/<str:username>/remove",
        views.organization_member_remove,
        name="organization_member_remove",
    ),
    path(
        "organizations/<slug:slug>/invitations/",
        views.organization_invite,
        name="organization_invite",
    ),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/organization/<int:invitation_id>/respond",
        views.organization_invitation_respond,
        name="organization_invitation_respond",
    ),
    path(
        "invitations/organization/<int:invitation_id>/cancel",
        views.organization_invitation_cancel,
        name="organization_invitation_cancel",
    ),
]
