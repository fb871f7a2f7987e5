"""Web pages of tasks."""

from django.urls import path

from . import views

app_name = "tasks"

T = "s/<slug:slug>/tasks/<int:task_id>/"

urlpatterns = [
    path("s/<slug:slug>/tasks/", views.task_board, name="board"),
    path("s/<slug:slug>/tasks/new", views.task_new, name="new"),
    path("s/<slug:slug>/tasks/for-you", views.tasks_for_you, name="for_you"),
    path("tasks/skills", views.skills_save, name="skills"),
    path(T, views.task_detail, name="detail"),
    path(T + "edit", views.task_edit, name="edit"),
    path(T + "cancel", views.task_cancel, name="cancel"),
    path(T + "bounty", views.task_bounty, name="bounty"),
    path(T + "claim", views.task_claim, name="claim"),
    path(T + "unclaim", views.task_unclaim, name="unclaim"),
    path(T + "claims/<int:claim_id>/decide", views.claim_decide, name="claim_decide"),
    path(T + "deliver", views.task_deliver, name="deliver"),
    path(T + "deliveries/<int:task_delivery_id>/review", views.delivery_review, name="review"),
    path(T + "deliveries/<int:task_delivery_id>/release", views.delivery_release, name="release"),
    path(T + "watch", views.task_watch, name="watch"),
    path(T + "comments", views.task_comment, name="comment"),
]
