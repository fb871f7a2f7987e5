"""Web pages of reputation."""

from django.urls import path

from . import views

app_name = "reputation"

R = "s/<slug:slug>/people/<str:username>/reputation/"

urlpatterns = [
    path(R, views.person_reputation, name="person"),
    path(R + "history.svg", views.person_chart, name="chart"),
    path(R + "grant", views.person_grant, name="grant"),
]
