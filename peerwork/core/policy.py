"""The one permission door: `can(user, action, obj)`, `require(user, action, obj)` and, for
reads of many objects, `filter(user, action, queryset)`.

Every view, API endpoint, selector and command asks here. Apps register their rules in their
own `policy.py`; each rule names the action that decides whether the object is visible at all,
so `require` can answer "not found" for what the viewer may not see (nothing leaks) and
"forbidden" only for what it may see but not change.

A read rule also registers its queryset form with `@scope(action)`, beside the object rule (as
Wagtail pairs `user_has_permission_for_instance` with `instances_user_has_permission_for`).
`filter` applies it with the same visibility chain and administrator pass as `can`, so a list
holds exactly the objects `can` allows; the permission-table test checks that they agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet

from .errors import Forbidden, NotAuthenticated, NotFound

if TYPE_CHECKING:
    from peerwork.accounts.models import User

Rule = Callable[[Any, Any], bool]
#: `scope(user, queryset) -> queryset`: the objects of `queryset` the rule's own check allows.
Scope = Callable[[Any, QuerySet[Any]], QuerySet[Any]]
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class RegisteredRule:
    action: str
    check: Rule
    visible_via: str | None
    #: site administrators pass every rule unless it makes no sense for them (e.g. leaving).
    admin_passes: bool
    #: a denied "view" answers not found, never forbidden.
    conceals: bool


_RULES: dict[str, RegisteredRule] = {}
_SCOPES: dict[str, Scope] = {}


def rule(
    action: str,
    *,
    visible_via: str | None = None,
    admin_passes: bool = True,
    conceals: bool = False,
) -> Callable[[Rule], Rule]:
    """Register `check(user, obj) -> bool` as the rule for `action`."""

    def decorator(check: Rule) -> Rule:
        if action in _RULES:
            raise RuntimeError(f"permission rule {action!r} registered twice")
        _RULES[action] = RegisteredRule(action, check, visible_via, admin_passes, conceals)
        return check

    return decorator


def scope(action: str) -> Callable[[Scope], Scope]:
    """Register `scope(user, queryset) -> queryset` as the queryset form of `action`'s rule.

    Like the rule's check, the scope states the rule's own condition only: `filter` applies
    the `visible_via` chain and the administrator pass itself, as `can` does.
    """

    def decorator(function: Scope) -> Scope:
        if action not in _RULES:
            raise RuntimeError(f"register the rule {action!r} before its scope")
        if action in _SCOPES:
            raise RuntimeError(f"scope of {action!r} registered twice")
        _SCOPES[action] = function
        return function

    return decorator


def registered_actions() -> list[str]:
    return sorted(_RULES)


def scoped_actions() -> list[str]:
    """The actions `filter` answers for."""
    return sorted(_SCOPES)


def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def can(user: Any, action: str, obj: Any = None) -> bool:
    try:
        registered = _RULES[action]
    except KeyError:
        raise KeyError(
            f"no permission rule for {action!r}; register one in an app's policy.py"
        ) from None
    if registered.visible_via and not can(user, registered.visible_via, obj):
        return False
    if registered.admin_passes and is_site_admin(user):
        return True
    return bool(registered.check(user, obj))


def filter(user: Any, action: str, queryset: QuerySet[M]) -> QuerySet[M]:  # noqa: A001
    """The objects of `queryset` for which `can(user, action, obj)` holds, as one query.

    An action without a registered scope raises LookupError: nobody silently gets everything.
    """
    try:
        restrict = _SCOPES[action]
    except KeyError:
        raise LookupError(
            f"no scope for {action!r}; register one with @policy.scope in the app's policy.py"
        ) from None
    registered = _RULES[action]
    if registered.visible_via:
        queryset = filter(user, registered.visible_via, queryset)
    if registered.admin_passes and is_site_admin(user):
        return queryset
    return restrict(user, queryset)


#: `explain(user, action, obj) -> str | None`: why a signed-in person is refused (a block,
#: say), registered by the app that knows; the first answer becomes the Forbidden's detail.
Explainer = Callable[[Any, str, Any], "str | None"]
_EXPLAINERS: list[Explainer] = []


def explain_refusals(explainer: Explainer) -> None:
    """Register a way to tell a refused person why (from an app's `apps.py`)."""
    if explainer not in _EXPLAINERS:
        _EXPLAINERS.append(explainer)


def _why(user: Any, action: str, obj: Any) -> str:
    for explainer in _EXPLAINERS:
        detail = explainer(user, action, obj)
        if detail:
            return detail
    return ""


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise NotFound, NotAuthenticated or Forbidden unless `user` may do `action` to `obj`."""
    if can(user, action, obj):
        return
    registered = _RULES[action]
    if registered.conceals:
        raise NotFound()
    if registered.visible_via and not can(user, registered.visible_via, obj):
        raise NotFound()
    if not getattr(user, "is_authenticated", False):
        raise NotAuthenticated()
    raise Forbidden(_why(user, action, obj))


def require_person(user: Any, action: str, obj: Any = None) -> User:
    """`require` for writes, which only a signed-in person can make; returns that person."""
    require(user, action, obj)
    if not signed_in(user):
        raise NotAuthenticated()
    person: User = user
    return person


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
