"""Web pages of ideas: /s/<space>/ideas/..."""

from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("s/<slug:slug>/ideas/", views.idea_list, name="list"),
    path("s/<slug:slug>/ideas/new", views.idea_new, name="new"),
    path("s/<slug:slug>/ideas/similar", views.similar, name="similar"),
    path("s/<slug:slug>/ideas/<int:idea_id>/", views.idea_detail, name="detail"),
    path("s/<slug:slug>/ideas/<int:idea_id>/edit", views.idea_edit, name="edit"),
    path("s/<slug:slug>/ideas/<int:idea_id>/publish", views.publish, name="publish"),
    path("s/<slug:slug>/ideas/<int:idea_id>/creators", views.invite, name="invite"),
    path("s/<slug:slug>/ideas/<int:idea_id>/invitation", views.respond, name="respond"),
    path("s/<slug:slug>/ideas/<int:idea_id>/support", views.support, name="support"),
    path("s/<slug:slug>/ideas/<int:idea_id>/review", views.review, name="review"),
    path("s/<slug:slug>/ideas/<int:idea_id>/done", views.done, name="done"),
    path("s/<slug:slug>/ideas/<int:idea_id>/revenue", views.revenue, name="revenue"),
    path("s/<slug:slug>/ideas/<int:idea_id>/flags", views.flag, name="flag"),
    path("s/<slug:slug>/ideas/<int:idea_id>/merge", views.merge, name="merge"),
    path("s/<slug:slug>/ideas/<int:idea_id>/unmerge", views.unmerge, name="unmerge"),
    path("s/<slug:slug>/ideas/<int:idea_id>/watch", views.watch, name="watch"),
    path("s/<slug:slug>/ideas/<int:idea_id>/comments", views.comment, name="comment"),
    path(
        "s/<slug:slug>/ideas/<int:idea_id>/comments/<int:idea_comment_id>/edit",
        views.comment_edit,
        name="comment_edit",
    ),
    path(
        "s/<slug:slug>/ideas/<int:idea_id>/comments/<int:idea_comment_id>/remove",
        views.comment_remove,
        name="comment_remove",
    ),
]
