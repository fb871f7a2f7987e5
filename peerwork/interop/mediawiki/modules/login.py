"""action=login (password, or `User@anything` with an API token), action=clientlogin and
action=logout. All sign in through Django's session, which the clients keep as a cookie."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout

from peerwork.accounts.actions import token_authenticate
from peerwork.accounts.models import ApiToken, User
from peerwork.accounts.selectors import user_by_username
from peerwork.core import limits
from peerwork.core.errors import RateLimited

from .. import auth
from ..context import Ctx, user_name
from ..errors import ApiError, missing_param

FAILED = "Incorrect username or password entered. Please try again."
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _check_password(ctx: Ctx, name: str, password: str) -> tuple[User | None, ApiToken | None]:
    """The person these credentials name: a password, or (for `User@anything` or `User`) one of
    their active API tokens."""
    account, _at, _label = name.replace("_", " ").strip().partition("@")
    # Counted before anything is checked; throttled, the caller answers as MediaWiki does.
    limits.login_attempt(username=account.strip())
    person = user_by_username(account.strip())
    if person is None:
        return None, None
    if password.startswith(ApiToken.PREFIX):
        token = token_authenticate(password)
        if token is not None and token.user_id == person.pk:
            limits.login_succeeded(username=account.strip())
            return person, token
    if _at:
        return None, None  # a bot-password name signs in with an API token only
    checked = authenticate(ctx.request, username=person.username, password=password)
    if checked is None:
        return None, None
    limits.login_succeeded(username=account.strip())
    return checked, None


def _sign_in(ctx: Ctx, person: User, token: ApiToken | None) -> None:
    request = ctx.request
    login(request, person, backend=BACKEND)
    if token is not None:
        request.session[auth.SESSION_API_TOKEN] = token.pk
        request.mediawiki_api_token = token  # type: ignore[attr-defined]
    else:
        request.session.pop(auth.SESSION_API_TOKEN, None)
    request.session.pop(auth.SESSION_LOGIN_TOKEN, None)


def action_login(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    name = params.text("lgname")
    password = params.text("lgpassword")
    given = params.text("lgtoken")
    if not given:
        return {"login": {"result": "NeedToken", "token": auth.login_token(ctx.request)}}
    if not auth.login_token_valid(ctx.request, given):
        return {"login": {"result": "WrongToken"}}
    if not name:
        return {"login": {"result": "Failed", "reason": "The username is missing."}}
    if password is None:
        return {"login": {"result": "Failed", "reason": "The password is missing."}}
    try:
        person, token = _check_password(ctx, name, password)
    except RateLimited as refusal:
        # MediaWiki answers a throttled action=login with result "Failed" and the wait.
        return {
            "login": {"result": "Failed", "reason": refusal.detail, "wait": refusal.retry_after}
        }
    if person is None:
        return {"login": {"result": "Failed", "reason": FAILED}}
    _sign_in(ctx, person, token)
    return {
        "login": {
            "result": "Success",
            "lguserid": person.pk,
            "lgusername": user_name(person.username),
        }
    }


def action_clientlogin(ctx: Ctx) -> dict[str, Any]:
    params = ctx.params
    if params.flag("logincontinue"):
        raise ApiError("badcontinue", "There is no sign-in to continue.")
    if not params.text("loginreturnurl"):
        raise ApiError(
            "missingparam", 'Exactly one of "loginreturnurl" or "logincontinue" is required.'
        )
    given = params.text("logintoken")
    if not given:
        raise missing_param("logintoken")
    if not auth.login_token_valid(ctx.request, given):
        raise ApiError("badtoken", "Invalid CSRF token.")
    name = params.text("username")
    password = params.text("password")
    if not name or password is None:
        return {
            "clientlogin": {
                "status": "FAIL",
                "message": "Give a username and a password.",
                "messagecode": "authmanager-authn-no-primary",
            }
        }
    try:
        person, token = _check_password(ctx, name, password)
    except RateLimited as refusal:
        return {
            "clientlogin": {
                "status": "FAIL",
                "message": refusal.detail,
                "messagecode": "login-throttled",
            }
        }
    if person is None:
        return {
            "clientlogin": {"status": "FAIL", "message": FAILED, "messagecode": "wrongpassword"}
        }
    _sign_in(ctx, person, token)
    return {"clientlogin": {"status": "PASS", "username": user_name(person.username)}}


def action_logout(ctx: Ctx) -> dict[str, Any]:
    if ctx.user.is_authenticated and ctx.request.session.session_key:
        auth.check_csrf(ctx)
    logout(ctx.request)
    return {}
