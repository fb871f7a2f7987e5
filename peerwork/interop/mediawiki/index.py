"""`/s/<slug>/w/index.php`: the entry point MediaWiki tools call besides api.php.

`title=Special:RunJobs` is MediaWiki's signed job runner (its own API test suite calls it after
every edit): with `PEERWORK_MEDIAWIKI_JOBS_KEY` set, a request signed with that key waits for this
process's due jobs and answers as MediaWiki does; without it the runner is off. Any other title
goes to the page (`action=raw` answers its wikitext), as MediaWiki's short URLs do.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from peerwork.core import jobs
from peerwork.core.errors import Invalid, NotFound
from peerwork.spaces.selectors import space_get_visible
from peerwork.wiki import selectors as wiki

RUNJOBS = "Special:RunJobs"


def _signature(params: dict[str, str], key: str) -> str:
    """MediaWiki's: HMAC-SHA1 over the parameters but `signature`, sorted and form-encoded."""
    data = {name: params[name] for name in sorted(params) if name != "signature"}
    query = urlencode(data, quote_via=quote, safe="!~*'()")
    return hmac.new(key.encode(), query.encode(), hashlib.sha1).hexdigest()


def _run_jobs(request: HttpRequest) -> HttpResponse:
    key = getattr(settings, "PEERWORK_MEDIAWIKI_JOBS_KEY", "")
    if not key:
        return JsonResponse(
            {"error": "The job runner is off; set PEERWORK_MEDIAWIKI_JOBS_KEY to sign requests."},
            status=403,
        )
    if request.method != "POST":
        response = HttpResponse(status=405)
        response["Allow"] = "POST"
        return response
    params = {name: request.POST[name] for name in request.POST}
    given = params.get("signature", "")
    if not hmac.compare_digest(given, _signature(params, key)):
        return JsonResponse({"error": "Invalid or stale signature provided."}, status=400)
    try:
        expiry = int(params.get("sigexpiry", "0"))
    except ValueError:
        expiry = 0
    if expiry < time.time():
        return JsonResponse({"error": "Invalid or stale signature provided."}, status=400)
    try:
        maxtime = min(float(params.get("maxtime", "30")), 300.0)
    except ValueError:
        maxtime = 30.0
    settled = jobs.wait_idle(timeout=maxtime)
    return JsonResponse({"jobs": {}, "reached": "none-ready" if settled else "time-limit"})


@csrf_exempt
def index(request: HttpRequest, slug: str) -> HttpResponse:
    title = request.POST.get("title") or request.GET.get("title") or ""
    if title.replace("_", " ").strip().lower() == RUNJOBS.lower():
        return _run_jobs(request)
    try:
        space = space_get_visible(user=request.user, slug=slug)
    except NotFound:
        raise Http404 from None
    if not title:
        return redirect("wiki:main", slug=space.slug)
    if request.GET.get("action") == "raw":
        try:
            page = wiki.page_find_existing(user=request.user, space=space, title=title)
        except Invalid:
            page = None
        if page is None or page.current_revision_id is None:
            raise Http404
        assert page.current_revision is not None
        response = HttpResponse(
            page.current_revision.content.text, content_type="text/x-wiki; charset=utf-8"
        )
        response["Cache-Control"] = "private, must-revalidate, max-age=0"
        return response
    return redirect(reverse("wiki:page", args=[space.slug, title.strip().replace(" ", "_")]))
