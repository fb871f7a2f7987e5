"""Downloads of a space's dumps: MediaWiki XML and JSON Lines, streamed as they are written.

Guarded by `space.view`: a members-only space's dumps are "not found" to outsiders, like the
space itself. The dumps hold only what anyone who may read the space may see.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from peerwork.spaces.selectors import space_get_visible

from .exporter import mediawiki_xml
from .jsonl import open_data


def _download(body: Iterable[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stamp() -> str:
    return timezone.now().strftime("%Y%m%d")


@require_GET
def export_xml(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    base_url = request.build_absolute_uri(reverse("wiki:main", kwargs={"slug": space.slug}))
    return _download(
        mediawiki_xml(space, base_url=base_url),
        "application/xml; charset=utf-8",
        f"{space.slug}-{_stamp()}.xml",
    )


@require_GET
def export_jsonl(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    return _download(
        open_data(space), "application/jsonl; charset=utf-8", f"{space.slug}-{_stamp()}.jsonl"
    )
