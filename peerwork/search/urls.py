from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_everywhere, name="everywhere"),
    path("s/<slug:slug>/search/", views.search_space, name="space"),
    path("s/<slug:slug>/autocomplete", views.autocomplete, name="autocomplete"),
]
