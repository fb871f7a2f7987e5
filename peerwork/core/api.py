"""The REST API root at /api/v1/: authentication, problem+json errors and cursor pagination.

Apps add their routers in `peerwork/urls.py`; endpoints stay thin and call actions and selectors.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict, Field, model_validator

from .errors import ActionError, RateLimited, problem_body
from .pagination import decode_cursor, encode_cursor, keyset_page

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PROBLEM_CONTENT_TYPE = "application/problem+json"


def _reject_nul(value: Any, path: str = "") -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(
                _("%(field)s contains a NUL character, which cannot be stored")
                % {"field": path or "value"}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _reject_nul(item, f"{path}[{index}]")


def _to_utc(value: datetime) -> datetime:
    # Offsets such as +22:59 are valid ISO 8601 but PostgreSQL refuses them, and years near
    # 1 or 9999 overflow once shifted; answer 422 for those rather than fail in the database.
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(_("The time is out of range once converted to UTC.")) from None


UtcDatetime = Annotated[datetime, AfterValidator(_to_utc)]
"""A datetime from a request, normalized to UTC; naive values are taken as UTC."""


class Input(Schema):
    """Base of request bodies: unknown fields are refused rather than silently ignored, and
    text with NUL characters (which PostgreSQL cannot store) is refused on every database."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        _reject_nul(data)
        return data


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def problem_response(
    request: HttpRequest, type_slug: str, detail: str, **extra: Any
) -> HttpResponse:
    body = problem_body(type_slug, detail, instance=request.path, **extra)
    return JsonResponse(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


class ApiAuth(HttpBearer):
    """Anyone may call the API; a session must pass CSRF and a token must have the scope.

    Returns the user (anonymous included), so endpoints read `request.user` as usual.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """Unused: the token middleware has already resolved the bearer token."""
        return request.user

    def __call__(self, request: HttpRequest) -> Any:
        if getattr(request, "api_token_invalid", False):
            raise _AuthProblem("invalid-token", _("The bearer token is unknown or revoked."))
        token = getattr(request, "api_token", None)
        if token is not None:
            if request.method not in SAFE_METHODS and token.scope != "write":
                raise _AuthProblem(
                    "insufficient-scope",
                    _("The token '%(name)s' has the 'read' scope; this request needs 'write'.")
                    % {"name": token.name},
                )
            return request.user
        if request.user.is_authenticated and request.method not in SAFE_METHODS:
            if check_csrf(request) is not None:
                raise _AuthProblem(
                    "csrf-failed",
                    _(
                        "Send the csrftoken cookie's value in the X-CSRFToken header, "
                        "or use a token."
                    ),
                )
        return request.user


class _AuthProblem(Exception):
    def __init__(self, type_slug: str, detail: str) -> None:
        super().__init__(detail)
        self.type_slug = type_slug
        self.detail = detail


class PeerworkAPI(NinjaAPI):
    """Documents the problem+json answers every operation may give, so clients can rely on them."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = {
            "type": "object",
            "title": "Problem",
            "description": "RFC 9457 problem details; `type` is stable, see /problems/.",
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                        },
                    },
                },
            },
            "required": ["type", "title", "status", "detail"],
        }
        problem = {
            "description": "A problem: see `type` and `detail`.",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {}).setdefault("4XX", problem)
        return schema


api = PeerworkAPI(
    title="peerwork API",
    version="1",
    description=(
        "The open API of peerwork. Read anonymously; sign in with a browser session "
        "(send X-CSRFToken on writes) or with `Authorization: Bearer <token>`. "
        "Errors are RFC 9457 problem+json with a stable `type`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=ApiAuth(),
)


@api.exception_handler(_AuthProblem)
def _on_auth_problem(request: HttpRequest, exc: _AuthProblem) -> HttpResponse:
    return problem_response(request, exc.type_slug, exc.detail)


@api.exception_handler(ActionError)
def _on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if exc.field:
        extra["errors"] = [{"field": exc.field, "message": exc.detail}]
    for key, value in exc.extra.items():
        extra[key] = value
    response = problem_response(request, exc.type, exc.detail, **extra)
    if isinstance(exc, RateLimited):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", [])]
        if (
            location
            and location[0] == "body"
            and location[1:2]
            and location[1] in {"payload", "data"}
        ):
            location = location[2:]
        elif location and location[0] in {"body", "query", "path"}:
            location = location[1:] if location[0] != "body" else location[1:]
        errors.append({"field": ".".join(location), "message": str(error.get("msg", ""))})
    if any(error.get("type") == "json_invalid" for error in exc.errors):
        return problem_response(
            request, "malformed-request", _("The request body is not valid JSON."), errors=errors
        )
    first = errors[0] if errors else {"field": "", "message": "invalid input"}
    detail = f"{first['field'] or 'request'}: {first['message']}"
    return problem_response(request, "validation", detail, errors=errors)


@api.exception_handler(DjangoValidationError)
def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problem_response(request, "validation", " ".join(exc.messages))


@api.exception_handler(AuthenticationError)
def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, "not-authenticated", _("Sign in or send a bearer token."))


@api.exception_handler(Http404)
def _on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        request, "not-found", _("There is nothing here, or you may not see it.")
    )


@api.exception_handler(RequestDataTooBig)
def _on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, "too-large", _("The request body is larger than 2.5 MB."))


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    slug = {
        400: "malformed-request",
        401: "not-authenticated",
        403: "forbidden",
        404: "not-found",
        405: "method-not-allowed",
        409: "conflict",
        413: "too-large",
        422: "validation",
    }.get(exc.status_code, "server-error")
    return problem_response(request, slug, str(exc.message))


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    logging.getLogger("peerwork.api").exception("unexpected error in %s", request.path)
    return problem_response(
        request, "server-error", _("Something failed on the server; nothing was saved.")
    )


# ---- cursor pagination -------------------------------------------------------------------

T = TypeVar("T")


class PageOf(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page.")


class PageParams(Schema):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(50, ge=1, le=100, description="How many items, 1 to 100.")
    cursor: str | None = Field(None, max_length=100, description="From `next_cursor`.")


def paginate(
    queryset: QuerySet[Any],
    params: PageParams,
    *,
    newest_first: bool = True,
    serialize: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """Keyset pagination on the primary key (core/pagination.py): stable while rows are added."""
    key = decode_cursor(params.cursor) if params.cursor else None
    page = keyset_page(queryset, size=params.limit, key=key, newest_first=newest_first)
    items = [serialize(row) for row in page.items] if serialize else page.items
    next_key = page.next_key
    return {
        "items": items,
        "next_cursor": encode_cursor(next_key) if next_key is not None else None,
    }


__all__ = ["api", "Input", "PageOf", "PageParams", "paginate", "problem_response"]
