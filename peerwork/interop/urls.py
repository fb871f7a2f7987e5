from django.urls import path

from . import live
from .dumps import views as dumps
from .mediawiki import index as mediawiki_index
from .mediawiki import views as mediawiki
from .webhooks import views as webhooks

app_name = "interop"

# Each piece adds its routes here (the MediaWiki API, dump downloads, webhooks, live feeds).
urlpatterns: list = [
    # MediaWiki-compatible Action API
    path("s/<slug:slug>/w/api.php", mediawiki.api, name="mediawiki_api"),
    path("s/<slug:slug>/w/index.php", mediawiki_index.index, name="mediawiki_index"),
    # dump downloads
    path("s/<slug:slug>/export.xml", dumps.export_xml, name="export_xml"),
    path("s/<slug:slug>/export.jsonl", dumps.export_jsonl, name="export_jsonl"),
    # webhooks and live updates
    path("s/<slug:slug>/live", live.space_live, name="live"),
    path("s/<slug:slug>/webhooks/", webhooks.webhooks, name="webhooks"),
    path("s/<slug:slug>/webhooks/<int:webhook_id>/", webhooks.webhook, name="webhook"),
    path(
        "s/<slug:slug>/webhooks/<int:webhook_id>/delete",
        webhooks.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "s/<slug:slug>/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/resend",
        webhooks.delivery_resend,
        name="delivery_resend",
    ),
]
