"""Web pages of the ledger."""

from django.urls import path

from . import views

app_name = "ledger"

L = "s/<slug:slug>/ledger/"

urlpatterns = [
    path(L, views.ledger_page, name="ledger"),
    path(L + "transactions.csv", views.transactions_csv, name="csv"),
    path(L + "flows.svg", views.flows_chart, name="flows"),
    path(L + "funding", views.record_funding, name="funding"),
    path(L + "refund", views.record_refund, name="refund"),
    path(L + "disbursement", views.record_disbursement, name="disbursement"),
    path(L + "transactions/<int:transaction_id>/", views.transaction_detail, name="transaction"),
    path(
        L + "transactions/<int:transaction_id>/reverse",
        views.transaction_reverse,
        name="reverse",
    ),
    path(L + "payouts/<int:payout_id>/approve", views.payout_approve, name="approve"),
    path(L + "payouts/<int:payout_id>/reject", views.payout_reject, name="reject"),
    path(L + "people/<str:username>/", views.person_earnings, name="person"),
]
