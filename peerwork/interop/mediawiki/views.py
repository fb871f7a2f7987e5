"""The one endpoint, `/s/<slug>/w/api.php`: parse, dispatch to a module, answer in JSON.

Where the viewer may not see the space (or there is no such space), only the sign-in modules
answer (login, clientlogin, logout, paraminfo, and query with meta=tokens/userinfo alone); their
answers do not depend on the space, so they reveal nothing. Every other request answers HTTP 404
with the `readapidenied` error, identically for a hidden space and a missing one.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from peerwork.core import pagecache, policy
from peerwork.core.errors import ActionError, NotFound
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import auth
from .context import Ctx, Params
from .errors import ApiError, bad_value
from .modules import accounts, admin, changes, edit, login, manage, options, parse, query, tags
from .paraminfo import action_paraminfo

logger = logging.getLogger(__name__)

#: A module answers, or returns an error to report once its change is committed (an edit held
#: for review is kept, yet reported as an error, as MediaWiki's Moderation extension does).
Module = Callable[[Ctx], dict[str, Any] | ApiError]
MODULES: dict[str, Module] = {
    "query": query.run,
    "login": login.action_login,
    "createaccount": accounts.action_createaccount,
    "userrights": accounts.action_userrights,
    "options": options.action_options,
    "clientlogin": login.action_clientlogin,
    "logout": login.action_logout,
    "edit": edit.action_edit,
    "move": manage.action_move,
    "delete": manage.action_delete,
    "watch": manage.action_watch,
    "clearhasmsg": manage.action_clearhasmsg,
    "protect": admin.action_protect,
    "block": admin.action_block,
    "unblock": admin.action_unblock,
    "undelete": admin.action_undelete,
    "parse": parse.action_parse,
    "rollback": changes.action_rollback,
    "patrol": changes.action_patrol,
    "compare": changes.action_compare,
    "tag": tags.action_tag,
    "managetags": tags.action_managetags,
    "expandtemplates": parse.action_expandtemplates,
    "paraminfo": action_paraminfo,
}
POSTED = {
    "login",
    "clientlogin",
    "logout",
    "createaccount",
    "userrights",
    "options",
    "edit",
    "move",
    "delete",
    "watch",
    "clearhasmsg",
    "rollback",
    "patrol",
    "tag",
    "managetags",
    "protect",
    "block",
    "unblock",
    "undelete",
}
SPACE_FREE = {"login", "clientlogin", "logout", "createaccount", "paraminfo"}
DOCREF = "See /s/{slug}/w/api.php for the modules peerwork answers; docs/mediawiki-api.md."


def _params(request: HttpRequest) -> dict[str, str]:
    data = {key: request.GET[key] for key in request.GET}
    if request.method == "POST":
        data.update({key: request.POST[key] for key in request.POST})
    return data


def _formatversion(params: Params) -> int:
    value = params.text("formatversion", "1")
    if value in ("2", "latest"):
        return 2
    if value == "1" or value == "":
        return 1
    raise bad_value("formatversion", value)


def _error_body(ctx: Ctx, error: ApiError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": error.code, "info": error.info, **error.data}
    docref = DOCREF.format(slug=ctx.slug)
    if ctx.fv2:
        body["docref"] = docref
    else:
        body["*"] = docref
    return {"error": body}


def _respond(ctx: Ctx, result: dict[str, Any], status: int = 200) -> HttpResponse:
    if ctx.warnings:
        key = "warnings" if ctx.fv2 else "*"
        result = {
            "warnings": {module: {key: "\n".join(texts)} for module, texts in ctx.warnings.items()},
            **result,
        }
    if ctx.params.flag("curtimestamp"):
        from django.utils import timezone

        from .context import iso

        result["curtimestamp"] = iso(timezone.now())
    if ctx.params.has("requestid"):
        result["requestid"] = ctx.params.text("requestid")
    response = JsonResponse(result, status=status, json_dumps_params={"ensure_ascii": False})
    if "error" in result:
        response["MediaWiki-API-Error"] = result["error"]["code"]
    if not getattr(ctx.request, "page_cache_allowed", False):
        # An answer that depends on the caller or the clock is theirs alone; plain reads are
        # labelled by the page cache (public when anonymous).
        response["Cache-Control"] = "private, must-revalidate, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _visible_space(request: HttpRequest, slug: str) -> Space | None:
    try:
        space = space_get_visible(user=request.user, slug=slug)
    except NotFound:
        return None
    pagecache.note_public(request, policy.can(AnonymousUser(), "space.view", space))
    return space


def _run(ctx: Ctx) -> tuple[dict[str, Any], int]:
    params = ctx.params
    request = ctx.request
    format_name = params.text("format", "json")
    if format_name not in ("json", "jsonfm"):
        raise bad_value("format", format_name)
    ctx.formatversion = _formatversion(params)
    action = params.text("action")
    if action is None or action in ("", "help"):
        return {
            "help": {
                "mime": "application/json",
                "modules": sorted(MODULES),
                "documentation": "docs/mediawiki-api.md",
            }
        }, 200
    module = MODULES.get(action)
    if module is None:
        raise ApiError("unknown_action", f'Unrecognized value for parameter "action": {action}.')
    if action in POSTED and "token" in request.GET:
        # As MediaWiki does: a token in the address may end up in logs and caches.
        raise ApiError(
            "mustpostparams",
            "The following parameter was found in the query string, but must be in the POST "
            "body: token.",
        )
    if action in POSTED and request.method != "POST":
        raise ApiError("mustbeposted", f'The "{action}" module requires a POST request.')
    if ctx.space is None and not (
        action in SPACE_FREE or (action == "query" and query.space_free(ctx))
    ):
        raise ApiError("readapidenied", "You need read permission to use this module.", status=404)
    if action not in SPACE_FREE and action != "query":
        auth.check_assert(ctx)
    if action in WRITE_ACTIONS:
        with transaction.atomic():
            answer = module(ctx)
    else:
        # Reads open no transaction: on SQLite every transaction takes the write lock (BEGIN
        # IMMEDIATE), which would queue readers behind writers.
        answer = module(ctx)
    if isinstance(answer, ApiError):
        raise answer  # returned, not raised, so what the module did is committed and kept
    return answer, 200


#: Modules that change data; each runs in one transaction (the actions they call nest in it).
WRITE_ACTIONS = {
    "createaccount",
    "userrights",
    "options",
    "edit",
    "move",
    "delete",
    "watch",
    "clearhasmsg",
    "rollback",
    "patrol",
    "tag",
    "managetags",
    "protect",
    "block",
    "unblock",
    "undelete",
}


#: Parameters whose answer depends on the clock, the caller or chance, not on the data alone.
_UNKEPT_PARAMS = frozenset({"meta", "curtimestamp", "origin", "crossorigin", "maxlag"})


def _plain_read(data: dict[str, str], request: HttpRequest) -> bool:
    """A query or parse whose answer depends only on the wiki's data, which the page cache may
    keep until the next change (meta=userinfo names the caller's address, random is random)."""
    if (
        data.get("action") not in ("query", "parse", "expandtemplates")
        or "HTTP_ORIGIN" in request.META
    ):
        return False
    if _UNKEPT_PARAMS.intersection(data):
        return False
    modules = data.get("list", "").split("|") + data.get("generator", "").split("|")
    return "random" not in modules


@csrf_exempt
def api(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method not in ("GET", "POST", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, POST"
        return response
    if getattr(request, "api_token_invalid", False):
        ctx = Ctx(request=request, params=Params(_params(request)), space=None, slug=slug)
        error = ApiError("badaccess-groups", "The bearer token is unknown or revoked.")
        return _respond(ctx, _error_body(ctx, error), status=401)
    request.mediawiki_api_token = auth.session_api_token(request)  # type: ignore[attr-defined]
    ctx = Ctx(
        request=request,
        params=Params(_params(request)),
        space=_visible_space(request, slug),
        slug=slug,
    )
    if request.method == "GET" and _plain_read(ctx.params.data, request):
        pagecache.allow(request)
    try:
        result, status = _run(ctx)
    except ApiError as error:
        return _respond(ctx, _error_body(ctx, error), status=error.status)
    except ActionError as error:
        # An action's refusal the module did not map: still MediaWiki's format, never a 500.
        code = {
            "not-found": "missingtitle",
            "forbidden": "permissiondenied",
            "not-authenticated": "notloggedin",
            "edit-conflict": "editconflict",
            "conflict": "conflict",
            "validation": "badvalue",
            "rate-limited": "ratelimited",
        }.get(error.type, "badvalue")
        return _respond(ctx, _error_body(ctx, ApiError(code, error.detail)))
    except Exception as error:
        logger.exception("MediaWiki API request failed: %s", json.dumps(ctx.params.data)[:500])
        name = type(error).__name__
        info = f"[{name}] Caught an unexpected error; it has been logged."
        return _respond(ctx, _error_body(ctx, ApiError(f"internal_api_error_{name}", info)))
    return _respond(ctx, result, status=status)
