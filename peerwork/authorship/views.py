"""The authorship page: a page's current text coloured by who wrote each part."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerwork.spaces.selectors import space_get_visible
from peerwork.wiki.views import page_tabs_context

from . import selectors


@require_GET
def page_authorship(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    space = space_get_visible(user=request.user, slug=slug)
    oldid = request.GET.get("oldid")
    if oldid is not None and not oldid.isdigit():
        raise Http404()
    result = selectors.authorship_of(
        user=request.user,
        space=space,
        title=title,
        revision_id=int(oldid) if oldid is not None else None,
    )
    context = page_tabs_context(request, result.page, "authorship")
    context.update(
        authorship=result,
        is_current=result.revision.pk == result.page.current_revision_id,
    )
    return render(request, "authorship/page.html", context)
