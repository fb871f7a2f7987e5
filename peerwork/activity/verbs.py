"""The one registry of event verbs (`noun:verb`). An event with an unregistered verb is refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    name: str
    label: Any
    #: "public": seen by whoever may see the space (or everyone, for site events);
    #: "private": seen only by the actor, the subject and site administrators.
    audience: str = "public"
    #: a permission action on the event's space that a viewer must also hold (the ledger's
    #: events follow the ledger's own visibility, which a space may narrow to its stewards).
    read_via: str | None = None
    #: the data keys a public event may show to others; an event of this verb whose data holds
    #: none of them is seen as a private one (events written before a verb's data was split
    #: into a public and a private verb keep their hash, so they are narrowed when read).
    public_keys: tuple[str, ...] | None = None


VERBS: dict[str, Verb] = {}


def register(
    name: str,
    label: Any,
    *,
    audience: str = "public",
    read_via: str | None = None,
    public_keys: tuple[str, ...] | None = None,
) -> Verb:
    noun, sep, action = name.partition(":")
    if not (noun and sep and action) or audience not in {"public", "private"}:
        raise ValueError(f"bad verb {name!r}: use noun:verb and audience public or private")
    if name in VERBS:
        raise ValueError(f"verb {name!r} registered twice")
    VERBS[name] = Verb(name, label, audience, read_via, public_keys)
    return VERBS[name]


register("user:signed_up", _("joined peerwork"))
#: What a profile shows everyone; every other setting of a person is private (decision 0043).
PUBLIC_PROFILE_FIELDS = ("display_name", "bio", "skills")
register("user:profile_updated", _("updated their profile"), public_keys=PUBLIC_PROFILE_FIELDS)
register("user:settings_changed", _("changed their personal settings"), audience="private")
register("user:password_changed", _("changed their password"), audience="private")
register("token:created", _("created an API token"), audience="private")
register("token:revoked", _("revoked an API token"), audience="private")
register("user:password_reset", _("set a new password with a link by mail"), audience="private")
register("user:email_changed", _("changed their email address"), audience="private")
register("user:email_verified", _("verified their email address"), audience="private")
register(
    "user:email_notifications_changed",
    _("changed how notifications reach them by email"),
    audience="private",
)
register("organization:created", _("created the organization"))
register("organization:updated", _("updated the organization"))
register("organization:member_added", _("added a member to the organization"))
register("organization:member_role_changed", _("changed a member's role in the organization"))
register("organization:member_removed", _("removed a member from the organization"))
register("organization:invitation_sent", _("invited someone to the organization"))
register("organization:invitation_accepted", _("accepted an invitation to the organization"))
register("organization:invitation_declined", _("declined an invitation to the organization"))
register("organization:invitation_cancelled", _("cancelled an invitation to the organization"))
register("space:created", _("created the space"))
register("space:updated", _("changed the space's settings"))
register("space:policy_updated", _("changed the space's policy"))
register("space:member_added", _("added a member"))
register("space:member_role_changed", _("changed a member's role"))
register("space:member_bot_changed", _("changed whether a member is a bot account"))
register("space:member_removed", _("removed a member"))
register("space:member_left", _("left the space"))
register("space:blocked", _("blocked someone from contributing"))
register("space:unblocked", _("lifted a block"))
register("space:joined", _("joined the space"))
register("space:join_requested", _("asked to join"))
register("space:join_approved", _("approved a request to join"))
register("space:join_rejected", _("turned down a request to join"))
register("space:join_withdrawn", _("withdrew a request to join"))
register("space:invitation_sent", _("invited someone"))
register("space:invitation_accepted", _("accepted an invitation"))
register("space:invitation_declined", _("declined an invitation"))
register("space:invitation_cancelled", _("cancelled an invitation"))
register("page:created", _("created the page"))
register("page:edited", _("edited the page"))
register("page:moved", _("moved the page"))
register("page:deleted", _("deleted the page"))
register("page:restored", _("restored the page"))
register("page:protected", _("changed the page's protection"))
register("title:protected", _("changed who may create a page"))
register("page:imported", _("imported the page's history"))
register("revision:reviewed", _("marked a revision reviewed"))
register("tag:created", _("created a change tag"))
register("tag:activated", _("activated a change tag"))
register("tag:deactivated", _("deactivated a change tag"))
register("tag:deleted", _("deleted a change tag"))
register("change:tagged", _("changed the tags of a change"))
register("page:watched", _("watched the page"), audience="private")
register("page:unwatched", _("stopped watching the page"), audience="private")
register("comment:posted", _("commented"))
register("comment:edited", _("edited a comment"))
register("comment:deleted", _("removed a comment"))
register("comment:released", _("published a comment held for review"))
register("webhook:created", _("added a webhook"))
register("webhook:deleted", _("removed a webhook"))
register("webhook:redelivered", _("sent a webhook delivery again"))


def shown_data(verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as the open log shows it: only the public keys of a verb that names
    them (an old profile edit may also hold a time zone, which is nobody else's business)."""
    registered = VERBS.get(verb)
    if registered is None or registered.public_keys is None:
        return data
    return {key: value for key, value in data.items() if key in registered.public_keys}
