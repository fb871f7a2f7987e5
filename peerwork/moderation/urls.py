"""Web addresses of moderation (namespace `moderation`)."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("s/<slug:slug>/moderation/filters/", views.filter_list, name="filters"),
    path("s/<slug:slug>/moderation/filters/new", views.filter_new, name="filter_new"),
    path("s/<slug:slug>/moderation/filters/<int:filter_id>/", views.filter_edit, name="filter"),
    path("s/<slug:slug>/moderation/queue/", views.queue, name="queue"),
    path("s/<slug:slug>/moderation/queue/<int:item_id>/decide", views.decide, name="decide"),
    path("s/<slug:slug>/moderation/report", views.report, name="report"),
    path("moderation/reports/", views.my_reports, name="my_reports"),
    path("site/blocks/", views.site_blocks, name="site_blocks"),
    path("site/blocks/<str:username>/lift", views.site_block_lift, name="site_block_lift"),
]
