"""action=createaccount and action=userrights: peerwork's sign-up and space roles, as MediaWiki
names them.

MediaWiki's groups map onto a space's memberships: `sysop` and `bureaucrat` are its stewards
(one role does both jobs), `bot` is the bot mark on a person's membership, and every signed-in
person is in `user` (docs/mediawiki-api.md, "Groups").
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from peerwork.accounts.actions import user_signup
from peerwork.accounts.models import User
from peerwork.accounts.selectors import user_by_id, user_by_username
from peerwork.core.errors import ActionError
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import SpaceMembership
from peerwork.spaces.selectors import membership_of

from .. import auth
from ..context import Ctx, user_name
from ..errors import ApiError, missing_param

#: The groups userrights can change, and what they are in a space.
STEWARD_GROUPS = ("sysop", "bureaucrat")
CHANGEABLE_GROUPS = ("bot", "bureaucrat", "sysop")


def _fail(message: str, code: str) -> dict[str, Any]:
    return {"createaccount": {"status": "FAIL", "message": message, "messagecode": code}}


def action_createaccount(ctx: Ctx) -> dict[str, Any]:
    """Sign a new person up. Like MediaWiki, a refusal is an answer (`FAIL` with a message),
    not an error; the caller stays signed in as they were."""
    params = ctx.params
    given = params.text("createtoken")
    if not given:
        raise missing_param("createtoken")
    if not auth.login_token_valid(ctx.request, given):
        raise ApiError("badtoken", "Invalid CSRF token.")
    if params.has("createcontinue"):
        return _fail(
            "There is no account creation in progress to continue.",
            "authmanager-create-not-in-progress",
        )
    if not params.has("createreturnurl"):
        raise ApiError(
            "missingparam",
            'One of the parameters "createcontinue" and "createreturnurl" is required.',
        )
    name = (params.text("username") or "").strip()
    password = params.text("password") or ""
    if not name:
        return _fail("You have not specified a valid username.", "noname")
    if not password:
        return _fail("The password must not be empty.", "passwordtooshort")
    if params.has("retype") and params.text("retype") != password:
        return _fail("The passwords you entered do not match.", "badretype")
    username = name.replace(" ", "_")
    if user_by_username(username, include_inactive=True) is not None:
        return _fail(
            "Username entered already in use. Please choose a different name.", "userexists"
        )
    try:
        with transaction.atomic():
            person = user_signup(
                username=username,
                password=password,
                email=params.text("email", "") or "",
                display_name=params.text("realname", "") or "",
            )
    except ActionError as error:
        code = "userexists" if error.type == "conflict" else "acct_creation_throttle_hit"
        if getattr(error, "field", None) == "password":
            code = "passwordtooshort"
        elif getattr(error, "field", None) == "username":
            code = "noname" if error.type != "conflict" else "userexists"
        return _fail(str(error.detail), code)
    return {"createaccount": {"status": "PASS", "username": user_name(person.username)}}


def _person(ctx: Ctx) -> User:
    params = ctx.params
    if params.has("userid"):
        person = user_by_id(params.integer("userid"))
        if person is None:
            raise ApiError("nosuchuserid", f"There is no user with ID {params.text('userid')}.")
        return person
    raw = params.text("user")
    if not raw:
        raise ApiError("missingparam", 'One of the parameters "user" and "userid" is required.')
    person = user_by_username(raw.strip())
    if person is None:
        raise ApiError("nosuchuser", f'The user "{raw}" does not exist.')
    return person


def _groups(ctx: Ctx, name: str) -> list[str]:
    groups = ctx.params.values(name)
    for group in groups:
        if group not in CHANGEABLE_GROUPS:
            raise ApiError("badvalue", f'Unrecognized value for parameter "{name}": {group}.')
    return groups


def held_groups(membership: SpaceMembership | None) -> set[str]:
    if membership is None:
        return set()
    held = set(STEWARD_GROUPS) if membership.role == SpaceMembership.Role.STEWARD else set()
    if membership.bot:
        held.add("bot")
    return held


def action_userrights(ctx: Ctx) -> dict[str, Any]:
    """Add or remove `sysop`/`bureaucrat` (the space's steward role) and `bot`, through the
    space's membership actions, so the same rule decides who may (stewards)."""
    auth.check_csrf(ctx)
    auth.require_write_scope(ctx)
    assert ctx.space is not None
    space = ctx.space
    person = _person(ctx)
    add, remove = _groups(ctx, "add"), _groups(ctx, "remove")
    membership = membership_of(person, space)
    before = held_groups(membership)
    steward = membership is not None and membership.role == SpaceMembership.Role.STEWARD
    if any(group in STEWARD_GROUPS for group in add):
        steward = True
    elif any(group in STEWARD_GROUPS for group in remove):
        steward = False
    bot = bool(membership and membership.bot)
    if "bot" in add:
        bot = True
    elif "bot" in remove:
        bot = False
    role = SpaceMembership.Role.STEWARD if steward else SpaceMembership.Role.MEMBER
    try:
        if membership is None:
            if steward or bot:
                membership = spaces.space_member_add(
                    user=ctx.user, space=space, member=person, role=role
                )
        elif membership.role != role:
            membership = spaces.space_member_change_role(
                user=ctx.user, space=space, membership=membership, role=role
            )
        if membership is not None and membership.bot != bot:
            membership = spaces.space_member_set_bot(
                user=ctx.user, space=space, membership=membership, bot=bot
            )
    except ActionError as error:
        if error.type in ("forbidden", "not-authenticated"):
            raise ApiError(
                "permissiondenied", "You don't have permission to change user rights."
            ) from None
        raise
    after = held_groups(membership)
    return {
        "userrights": {
            "user": user_name(person.username),
            "userid": person.pk,
            "added": [group for group in add if group in after and group not in before],
            "removed": [group for group in remove if group in before and group not in after],
        }
    }
