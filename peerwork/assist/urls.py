"""Fragments the other apps' pages load with htmx."""

from django.urls import path

from . import views

app_name = "assist"

urlpatterns = [
    path("s/<slug:slug>/assist/similar", views.similar, name="similar"),
    path(
        "s/<slug:slug>/assist/related/<str:object_type>/<int:object_id>",
        views.related,
        name="related",
    ),
    path("s/<slug:slug>/assist/tasks-for-you", views.tasks_for_me, name="tasks_for_you"),
    path(
        "s/<slug:slug>/assist/reviewers/<str:object_type>/<int:object_id>",
        views.reviewers,
        name="reviewers",
    ),
]
