"""Addresses of the wiki pages. Verbs come first, so no page title can shadow them."""

from django.urls import path

from peerwork.activity import views as activity
from peerwork.discussions import views as discussions

from . import held_views, views

app_name = "wiki"

urlpatterns = [
    path("s/<slug:slug>/wiki/", views.main, name="main"),
    path("s/<slug:slug>/wiki/<path:title>", views.page_view, name="page"),
    path("s/<slug:slug>/edit/<path:title>", views.edit, name="edit"),
    path("s/<slug:slug>/preview", views.preview, name="preview"),
    path("s/<slug:slug>/history/<path:title>", views.history, name="history"),
    path("s/<slug:slug>/diff", views.diff, name="diff"),
    path("s/<slug:slug>/revisions/<int:revision_id>/undo", views.undo, name="undo"),
    path("s/<slug:slug>/revisions/<int:revision_id>/restore", views.restore, name="restore"),
    path("s/<slug:slug>/revisions/<int:revision_id>/review", views.review, name="review"),
    path("s/<slug:slug>/rollback/<path:title>", views.rollback, name="rollback"),
    path("s/<slug:slug>/watch/<path:title>", views.watch, name="watch"),
    path("s/<slug:slug>/move/<path:title>", views.move, name="move"),
    path("s/<slug:slug>/delete/<path:title>", views.delete, name="delete"),
    path("s/<slug:slug>/protect/<path:title>", views.protect, name="protect"),
    path("s/<slug:slug>/discussion/<path:title>", views.discussion, name="discussion"),
    # The first addresses of comment edit, remove and history (kept for links and bookmarks):
    # the one discussion flow answers them, for comments on anything.
    path("comments/<int:comment_id>/edit", discussions.comment_edit, name="comment_edit"),
    path("comments/<int:comment_id>/remove", discussions.comment_remove, name="comment_remove"),
    path("comments/<int:comment_id>/history", discussions.comment_history, name="comment_history"),
    path("s/<slug:slug>/recent-changes", views.recent_changes, name="recent_changes"),
    path("s/<slug:slug>/held-edits", held_views.held_queue, name="held_edits"),
    path(
        "s/<slug:slug>/held-edits/<int:held_id>/release",
        held_views.held_release,
        name="held_release",
    ),
    path(
        "s/<slug:slug>/held-edits/<int:held_id>/reject", held_views.held_reject, name="held_reject"
    ),
    path("recent-changes/", views.all_recent_changes, name="all_recent_changes"),
    path("watchlist/", views.watchlist, name="watchlist"),
    # Notifications live with the activity app (`activity:notifications`); the first names
    # of their addresses still resolve, for links and code that reverse them.
    path("notifications/", activity.notifications, name="notifications"),
    path("notifications/read", activity.notifications_read, name="notifications_read"),
    path("people/<str:username>/edits/", views.contributions, name="contributions"),
    path("s/<slug:slug>/pages/", views.all_pages, name="all_pages"),
    path("s/<slug:slug>/wanted/", views.wanted, name="wanted"),
    path("s/<slug:slug>/tags/", views.tags, name="tags"),
    path("s/<slug:slug>/links-here/<path:title>", views.links_here, name="links_here"),
    path("s/<slug:slug>/category/<path:name>", views.category, name="category"),
]
