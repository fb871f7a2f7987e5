"""Web pages of credit."""

from django.urls import path

from . import views

app_name = "credit"

C = "s/<slug:slug>/credit/"

urlpatterns = [
    path(C, views.credit_page, name="overview"),
    path(C + "people/<str:username>/", views.person_page, name="person"),
    path(C + "what-if", views.what_if_page, name="what_if"),
    path(C + "distributions/new", views.distribution_new, name="distribute"),
    path(C + "distributions/<int:distribution_id>/", views.distribution_page, name="distribution"),
    path(C + "epochs/new", views.epoch_new, name="epoch_open"),
    path(C + "epochs/<int:epoch_id>/", views.epoch_page, name="epoch"),
    path(C + "epochs/<int:epoch_id>/give", views.epoch_give, name="give"),
    path(C + "epochs/<int:epoch_id>/close", views.epoch_close, name="close"),
]
