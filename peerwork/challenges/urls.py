"""Web pages of challenges."""

from django.urls import path

from . import views

app_name = "challenges"

C = "s/<slug:slug>/challenges/<int:challenge_id>/"
S = C + "submissions/<int:submission_id>/"

urlpatterns = [
    path("s/<slug:slug>/challenges/", views.challenge_list, name="list"),
    path("s/<slug:slug>/challenges/new", views.challenge_new, name="new"),
    path(C, views.challenge_detail, name="detail"),
    path(C + "leaderboard", views.challenge_leaderboard, name="leaderboard"),
    path(C + "edit", views.challenge_edit, name="edit"),
    path(C + "withdraw", views.challenge_withdraw, name="withdraw"),
    path(C + "judges", views.challenge_judges, name="judges"),
    path(C + "truth", views.challenge_truth, name="truth"),
    path(C + "award", views.challenge_award, name="award"),
    path(C + "watch", views.challenge_watch, name="watch"),
    path(C + "submit", views.challenge_submit, name="submit"),
    path(C + "discussion", views.challenge_comment, name="comment"),
    path(S, views.submission_detail, name="submission"),
    path(S + "file", views.submission_file, name="submission_file"),
    path(S + "score", views.submission_score, name="score"),
    path(S + "invite", views.submission_invite, name="invite"),
    path(S + "join", views.submission_join, name="join"),
    path(S + "final", views.submission_final, name="final"),
]
