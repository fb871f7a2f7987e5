"""Web addresses of discussions on any commentable object (namespace `discussions`)."""

from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path(
        "discussions/<str:object_type>/<str:object_id>/comments",
        views.comments,
        name="post",
    ),
    path(
        "discussions/<str:object_type>/<str:object_id>/summary",
        views.summary_update,
        name="summary",
    ),
    path("discussions/comments/<int:comment_id>/edit", views.comment_edit, name="edit"),
    path("discussions/comments/<int:comment_id>/remove", views.comment_remove, name="remove"),
    path("discussions/comments/<int:comment_id>/history", views.comment_history, name="history"),
]
