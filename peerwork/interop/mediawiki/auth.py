"""Sessions, tokens and rights as MediaWiki clients expect them.

* A login token is a random value kept in the (anonymous) Django session; `action=login` and
  `action=clientlogin` must send it back with the session cookie.
* A csrf token is an HMAC (Django's signing key) of the signed-in person, their password hash
  and the session, ending in `+\\` like MediaWiki's; the anonymous csrf token is exactly `+\\`.
* Signing in with a peerwork API token (`User@anything` + `pw_...`, or `Authorization: Bearer`)
  carries the token's scope: a `read` token may read but never write.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from django.contrib.auth import logout
from django.utils.crypto import salted_hmac

from peerwork.accounts.models import ApiToken
from peerwork.core import policy
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import is_bot, space_role
from peerwork.wiki.models import Page, ProtectionLevel, Revision

from .context import Ctx
from .errors import ApiError

TOKEN_SUFFIX = "+\\"
ANONYMOUS_TOKEN = TOKEN_SUFFIX
SESSION_LOGIN_TOKEN = "mediawiki_login_token"
SESSION_API_TOKEN = "mediawiki_api_token"
TOKEN_TYPES = ("createaccount", "csrf", "login", "patrol", "rollback", "userrights", "watch")


def login_token(request: Any) -> str:
    token = request.session.get(SESSION_LOGIN_TOKEN)
    if not token:
        token = secrets.token_hex(20)
        request.session[SESSION_LOGIN_TOKEN] = token
    return str(token) + TOKEN_SUFFIX


def login_token_valid(request: Any, given: str) -> bool:
    stored = request.session.get(SESSION_LOGIN_TOKEN)
    return bool(stored) and hmac.compare_digest(str(stored) + TOKEN_SUFFIX, given)


def csrf_token(request: Any) -> str:
    user = request.user
    if not policy.signed_in(user):
        return ANONYMOUS_TOKEN
    bearer = getattr(request, "api_token", None)
    session_key = request.session.session_key or ""
    basis = f"{user.pk}|{user.get_session_auth_hash()}|{session_key}|{bearer.pk if bearer else ''}"
    digest = salted_hmac("peerwork.interop.mediawiki.csrf", basis, algorithm="sha256")
    return digest.hexdigest()[:40] + TOKEN_SUFFIX


def check_csrf(ctx: Ctx) -> None:
    given = ctx.params.text("token")
    if given is None or given == "":
        raise ApiError("missingparam", 'The "token" parameter must be set.')
    if not hmac.compare_digest(given, csrf_token(ctx.request)):
        raise ApiError("badtoken", "Invalid CSRF token.")


def session_api_token(request: Any) -> ApiToken | None:
    """The API token the session signed in with (`lgpassword=pw_...`), still valid; a revoked
    token ends the session."""
    token_id = request.session.get(SESSION_API_TOKEN)
    if token_id is None or not policy.signed_in(request.user):
        return None
    token = (
        ApiToken.objects.filter(pk=token_id, user=request.user, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if token is None:
        logout(request)
    return token


def active_api_token(request: Any) -> ApiToken | None:
    return getattr(request, "api_token", None) or getattr(request, "mediawiki_api_token", None)


def require_write_scope(ctx: Ctx) -> None:
    token = active_api_token(ctx.request)
    if token is not None and token.scope != ApiToken.Scope.WRITE:
        raise ApiError(
            "permissiondenied",
            f"The API token '{token.name}' has the 'read' scope; this request needs 'write'.",
        )


def check_assert(ctx: Ctx) -> None:
    wanted = ctx.params.choice("assert", ("anon", "user", "bot"))
    signed_in = policy.signed_in(ctx.user)
    if wanted == "user" and not signed_in:
        raise ApiError("assertuserfailed", "You are no longer logged in, so the action fails.")
    if wanted == "bot" and not signed_in:
        raise ApiError("assertbotfailed", "You do not have the bot right, so the action fails.")
    if wanted == "anon" and signed_in:
        raise ApiError("assertanonfailed", "You are no longer logged out, so the action fails.")
    named = ctx.params.text("assertuser")
    if named is not None and (
        not signed_in or named.strip().replace(" ", "_").lower() != ctx.user.username.lower()
    ):
        raise ApiError("assertnameduserfailed", f'You are no longer logged in as "{named}".')


PROTECTION_LEVELS = {"anyone": "", "autoconfirmed": "autoconfirmed", "members": "members"}
PROTECTION_LEVELS["stewards"] = "sysop"


def groups_and_rights(ctx: Ctx, space: Space | None) -> tuple[list[str], list[str]]:
    """MediaWiki groups and rights of the viewer in this space. `member` says the person
    belongs to the space; every other group and each right is the policy's answer for a page
    of the space at the matching protection level, so the API promises exactly what the
    actions allow (a site administrator is `sysop` everywhere, as the policy lets them act)."""
    user = ctx.user
    if not policy.signed_in(user):
        rights = ["read", "createaccount"] if space is not None else ["createaccount"]
        return ["*"], rights
    groups = ["*", "user"]
    rights = [
        "read",
        "writeapi",
        "createaccount",
        "viewmywatchlist",
        "editmywatchlist",
        "applychangetags",
    ]
    if space is None:
        return groups, rights

    def may(action: str, level: str = ProtectionLevel.ANYONE) -> bool:
        page = Page(space=space, namespace=0, title="", edit_protection=level)
        subject: Any = Revision(page=page) if action.startswith("revision.") else page
        return policy.can(user, action, subject)

    if space_role(user, space) is not None:
        groups.append("member")
    if may("page.delete") and may("page.protect"):
        groups.append("sysop")
    if policy.can(user, "space.members.manage", space):
        groups.append("bureaucrat")
        rights.append("userrights")
    if is_bot(user, space):
        groups.append("bot")
        rights.append("bot")
    if has_privilege(user, space, "autoconfirmed"):
        groups.append("autoconfirmed")
    writable = True
    token = active_api_token(ctx.request)
    if token is not None and token.scope != ApiToken.Scope.WRITE:
        writable = False
    if not (writable and policy.can(user, "page.create", space)):
        return groups, rights
    rights += ["edit", "createpage", "createtalk", "minoredit"]
    if may("page.move"):
        rights += ["autoconfirmed", "editsemiprotected", "move", "move-subpages"]
    if may("page.edit", ProtectionLevel.MEMBERS):
        rights.append("members")
    if may("page.edit", ProtectionLevel.STEWARDS):
        rights += ["editprotected", "sysop"]
    for action, right in (
        ("page.delete", "delete"),
        ("page.protect", "protect"),
        ("page.rollback", "rollback"),
        ("revision.patrol", "patrol"),
        ("page.autopatrol", "autopatrol"),
    ):
        if may(action):
            rights.append(right)
    if "delete" in rights:
        rights += ["undelete", "deletedhistory", "deletedtext"]
    return groups, rights
