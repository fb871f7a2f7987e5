from django.urls import path

from . import feeds, views

app_name = "activity"

urlpatterns = [
    path("activity/", views.all_activity, name="all"),
    path("s/<slug:slug>/activity/", views.space_activity, name="space"),
    path("s/<slug:slug>/activity.atom", feeds.SpaceFeed(), name="space_feed"),
    path("history/<str:target_type>/<str:target_id>/", views.object_history, name="history"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read", views.notifications_read, name="notifications_read"),
    path(
        "notifications/<int:notification_id>/read",
        views.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/<int:notification_id>/unread",
        views.notification_unread,
        name="notification_unread",
    ),
]
