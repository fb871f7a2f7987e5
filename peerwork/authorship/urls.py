"""The authorship page of a wiki page, beside its history."""

from django.urls import path

from . import views

app_name = "authorship"

urlpatterns = [
    path("s/<slug:slug>/authorship/<path:title>", views.page_authorship, name="page"),
]
