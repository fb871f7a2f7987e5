"""The errors an action may raise; every face (API, pages, CLI) turns them into its own answer.

Each carries a stable problem `type` slug (RFC 9457), documented at /problems/<slug>.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: slug -> (HTTP status, short title, what it means and what to do). The /problems pages read this.
PROBLEM_TYPES: dict[str, tuple[int, Any, Any]] = {
    "not-found": (
        404,
        _("Not found"),
        _("There is nothing here, or you may not see it. Check the address, or sign in."),
    ),
    "forbidden": (
        403,
        _("Not allowed"),
        _("You can see this, but your role does not let you do this to it."),
    ),
    "not-authenticated": (
        401,
        _("Sign-in required"),
        _("Sign in, or send an API token as 'Authorization: Bearer <token>'."),
    ),
    "invalid-token": (
        401,
        _("Invalid API token"),
        _("The bearer token is unknown or revoked. Create a new one on your tokens page."),
    ),
    "insufficient-scope": (
        403,
        _("Token scope too narrow"),
        _("This request changes data and needs a token with the 'write' scope."),
    ),
    "csrf-failed": (
        403,
        _("CSRF check failed"),
        _(
            "Requests signed in by cookie must send the X-CSRFToken header; "
            "programs should use a token."
        ),
    ),
    "validation": (
        422,
        _("Invalid input"),
        _("One or more fields are missing, of the wrong type, or out of range; see 'errors'."),
    ),
    "malformed-request": (
        400,
        _("Malformed request"),
        _("The request body could not be read as JSON."),
    ),
    "too-large": (
        413,
        _("Request too large"),
        _("The request body is larger than the server accepts."),
    ),
    "uri-too-long": (
        414,
        _("Address too long"),
        _(
            "The address with its query is longer than the server reads (8,190 bytes). "
            "Shorten the query, or send long input in a POST body."
        ),
    ),
    "headers-too-large": (
        431,
        _("Headers too large"),
        _("A request header, or all of them together, is larger than the server reads."),
    ),
    "conflict": (
        409,
        _("Conflict"),
        _("The request conflicts with the current state, for example a name already taken."),
    ),
    "edit-conflict": (
        409,
        _("Edit conflict"),
        _(
            "Someone saved the page after the revision you started from, and your changes "
            "overlap theirs. Nothing was saved: 'yours' holds your text, 'current' the page "
            "now, 'current_revision' its revision, 'current_author' and 'current_saved_at' who "
            "saved it and when, and 'merged' both with conflict markers. Resolve and save "
            "again, naming 'current_revision' as your base."
        ),
    ),
    "refused-by-screen": (
        422,
        _("Refused by the space's screens"),
        _(
            "A check the space runs on contributions (a steward's filter, the spam or edit-risk "
            "model) refused this one; 'reasons' says why. Nothing was saved."
        ),
    ),
    "confirm-required": (
        409,
        _("Confirm to save"),
        _(
            "A check the space runs on contributions warns about this one; 'reasons' says why. "
            "Nothing was saved yet: send it again with 'confirm' set to save it anyway."
        ),
    ),
    "insufficient-funds": (
        409,
        _("Not enough funds"),
        _(
            "The account this money would come from holds less than the amount. Nothing was "
            "written. Fund the space's treasury first, or ask for less."
        ),
    ),
    "idempotency-key-reused": (
        409,
        _("Idempotency key already used"),
        _(
            "This idempotency key was first used with a different request. Sending the same "
            "request again with the same key returns the first result; a new request needs a "
            "new key."
        ),
    ),
    "invalid-link": (
        400,
        _("Link invalid or expired"),
        _(
            "The link from the mail is unknown, was used already, or is too old; nothing was "
            "changed. Ask for a new one: a password reset from the log-in page, a verification "
            "link from your email settings."
        ),
    ),
    "method-not-allowed": (
        405,
        _("Method not allowed"),
        _("This address does not take that method."),
    ),
    "server-error": (
        500,
        _("Server error"),
        _("Something failed on the server. Nothing was saved; try again."),
    ),
}


class ActionError(Exception):
    """Base of the errors that actions raise; `type` names an entry of PROBLEM_TYPES."""

    type = "server-error"

    def __init__(self, detail: str = "", *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = str(detail) if detail else str(PROBLEM_TYPES[self.type][2])
        self.field = field
        self.extra = extra

    @property
    def status(self) -> int:
        return PROBLEM_TYPES[self.type][0]


class NotFound(ActionError):
    type = "not-found"


class Forbidden(ActionError):
    type = "forbidden"


class NotAuthenticated(ActionError):
    type = "not-authenticated"


class Invalid(ActionError):
    type = "validation"


class Conflict(ActionError):
    type = "conflict"


class InsufficientFunds(ActionError):
    type = "insufficient-funds"


class KeyReused(ActionError):
    type = "idempotency-key-reused"


class EditConflict(ActionError):
    type = "edit-conflict"


class RefusedByScreen(ActionError):
    type = "refused-by-screen"


class ConfirmRequired(ActionError):
    type = "confirm-required"


class InvalidLink(ActionError):
    type = "invalid-link"


def problem_body(
    type_slug: str, detail: str, *, instance: str = "", **extra: Any
) -> dict[str, Any]:
    status, title, _description = PROBLEM_TYPES[type_slug]
    body: dict[str, Any] = {
        "type": f"/problems/{type_slug}",
        "title": str(title),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body
