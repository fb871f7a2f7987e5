"""Web pages of governance (a space's "Decisions")."""

from django.urls import path

from . import views

app_name = "governance"

P = "s/<slug:slug>/decisions/<int:proposal_id>/"

urlpatterns = [
    path("s/<slug:slug>/decisions/", views.proposal_list, name="list"),
    path("s/<slug:slug>/decisions/new", views.proposal_new, name="new"),
    path("s/<slug:slug>/decisions/delegation", views.delegation_page, name="delegation"),
    path(
        "s/<slug:slug>/decisions/delegation/revoke",
        views.delegation_revoke,
        name="delegation_revoke",
    ),
    path(P, views.proposal_detail, name="detail"),
    path(P + "vote", views.proposal_vote, name="vote"),
    path(P + "cancel", views.proposal_cancel, name="cancel"),
    path(P + "outcome", views.proposal_outcome, name="outcome"),
    path(P + "watch", views.proposal_watch, name="watch"),
    path(P + "comments", views.proposal_comment, name="comment"),
]
