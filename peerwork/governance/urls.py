"""Web pages of governance (a space's "Decisions")."""

from django.urls import path

from . import opinion_views, views

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
    path(P + "opinion", opinion_views.opinion_page, name="opinion"),
    path(P + "opinion/statements", opinion_views.statement_add, name="statement_add"),
    path(
        P + "opinion/statements/<int:statement_id>/vote",
        opinion_views.statement_vote,
        name="statement_vote",
    ),
    path(
        P + "opinion/statements/<int:statement_id>/hide",
        opinion_views.statement_hide,
        name="statement_hide",
    ),
    path(
        P + "opinion/statements/<int:statement_id>/withdraw",
        opinion_views.statement_withdraw,
        name="statement_withdraw",
    ),
    path(P + "opinion/draft", opinion_views.draft_from_consensus, name="opinion_draft"),
]
