"""Event verbs of challenges, registered with the one registry from ChallengesConfig.ready().

Everything about a submission is `private` and recorded outside the space's chain until the
award (docs/decisions/0010-challenges-sealing.md): a private event in the space's public chain
would still show as a gap in its sequence numbers, and a gap says that something happened.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("challenge:posted", _("posted a challenge"))
register("challenge:updated", _("changed a challenge"))
register("challenge:withdrawn", _("withdrew a challenge"))
register("challenge:judges_named", _("named the judges of a challenge"))
register("challenge:truth_uploaded", _("uploaded the hidden answers of a challenge"))
register("challenge:closed", _("closed a challenge to submissions"))
register("challenge:awarded", _("awarded the prizes of a challenge"))
register("challenge:watched", _("watched a challenge"), audience="private")
register("challenge:unwatched", _("stopped watching a challenge"), audience="private")
register("submission:submitted", _("submitted a solution"), audience="private")
register("submission:member_invited", _("invited a team member"), audience="private")
register("submission:member_joined", _("joined a team"), audience="private")
register("submission:final_picked", _("changed their final submissions"), audience="private")
register("submission:scored", _("scored a submission"), audience="private")


def _describe() -> None:
    """What the data of these verbs says to a reader (peerwork/activity/sentences.py)."""
    from peerwork.activity.sentences import (
        Field,
        You,
        address,
        describe,
        describe_target,
        join_words,
        ordinal,
        quote,
    )
    from peerwork.core.money import format_money

    from .models import Kind

    def places(value: Any, data: Any, names: Any) -> str:
        currency = data.get("currency") or ""
        said = []
        for place in value or []:
            people = join_words(
                f"{names.name(ref)} ({format_money(int(amount), currency)})"
                if currency
                else names.name(ref)
                for ref, amount in (place.get("shares") or {}).items()
            )
            said.append(
                _("place %(place)s, %(title)s: %(people)s")
                % {
                    "place": place.get("place"),
                    "title": quote(place.get("title") or ""),
                    "people": people,
                }
            )
        return "; ".join(said)

    def place_refs(value: Any) -> list[Any]:
        return [ref for place in value or [] for ref in (place.get("shares") or {})]

    def prizes(value: Any, data: Any, names: Any) -> str:
        currency = data.get("currency") or ""
        if not currency or not isinstance(value, list):
            return ""
        return join_words(format_money(int(amount), currency) for amount in value)

    describe_target("challenges.challenge", _("challenge"))
    describe_target("challenges.submission", _("submission"))
    kind = Field(_("kind"), "status", choices=Kind.choices)
    closes_at = Field(_("closes"), "time")
    pool = Field(_("prize pool"), "money")
    describe("challenge:posted", kind=kind, prize_pool=pool, closes_at=closes_at)
    describe(
        "challenge:updated",
        changes=Field(
            _("changes"),
            "changes",
            fields={
                "title": Field(_("title"), "quote"),
                "prize_pool": pool,
                "prize_split": Field(_("prize per place"), "custom", render=prizes),
                "opens_at": Field(_("opens"), "time"),
                "closes_at": closes_at,
            },
        ),
    )
    describe("challenge:withdrawn", reason=Field(_("reason"), "quote"))
    describe("challenge:judges_named", judges=Field(_("judges"), "people"))
    describe("challenge:truth_uploaded", rows=Field(_("rows"), "count"))
    describe("challenge:closed", closes_at=Field(_("closed"), "time"))
    describe(
        "challenge:awarded",
        places=Field(_("prizes"), "custom", render=places, refs=place_refs),
        unawarded=Field(_("not awarded"), "money"),
    )

    def awarded(event: Any, you: Any, names: Any, loaded: Any) -> Any:
        """ "You won 1st place: €600 in Clean water" to a winner; the share of a team's prize."""
        data = event.data or {}
        currency = data.get("currency") or ""
        for place in data.get("places") or []:
            shares = place.get("shares") or {}
            if you.username not in shares or not currency:
                continue
            values = {
                "place": ordinal(int(place.get("place") or 0)),
                "amount": format_money(int(place.get("amount") or 0), currency),
            }
            if len(shares) == 1:
                return You(_("You won %(place)s place: %(amount)s in %(object)s"), values)
            values["share"] = format_money(int(shares[you.username]), currency)
            return You(
                _(
                    "Your team won %(place)s place: %(amount)s in %(object)s; "
                    "your share is %(share)s"
                ),
                values,
            )
        return You(_("%(actor)s awarded the prizes of %(object)s"))

    address("challenge:awarded", awarded)
    describe("submission:member_invited", user=Field(_("invitee"), "person"))
    for verb in (
        "challenge:watched",
        "challenge:unwatched",
        "submission:submitted",
        "submission:member_joined",
        "submission:final_picked",
        "submission:scored",
    ):
        describe(verb)


_describe()
