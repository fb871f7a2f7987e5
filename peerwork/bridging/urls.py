"""Web pages of bridging."""

from django.urls import path

from . import views

app_name = "bridging"

urlpatterns = [
    path("s/<slug:slug>/rate/<str:rated_kind>/<int:rated_id>", views.rate, name="rate"),
    path("s/<slug:slug>/ideas/<int:idea_id>/supports/", views.audit, name="audit"),
    path("s/<slug:slug>/coordination/", views.coordination, name="coordination"),
    path("s/<slug:slug>/coordination/check", views.coordination_check, name="check"),
]
