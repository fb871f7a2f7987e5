"""Event verbs of bridging, registered with the one registry from BridgingConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

# Who rated what is their own business, as a support is (idea:supported is private).
register("bridging:rated", _("rated a contribution"), audience="private")
register("bridging:fitted", _("refit the bridging model"))
# The accounts of a group are evidence for stewards (their page), not a public accusation:
# the log keeps the events for site administrators and the audit of the chain.
register(
    "bridging:coordination_found",
    _("found a group of coordinated accounts"),
    audience="private",
)
register(
    "bridging:coordination_ended",
    _("no longer finds a group of coordinated accounts"),
    audience="private",
)


def _describe() -> None:
    from peerwork.activity.sentences import Field, describe

    describe("bridging:rated", value=Field(_("rating")))
    describe("bridging:fitted", ratings=Field(_("ratings"), "count"))
    describe(
        "bridging:coordination_found",
        people=Field(_("people"), "people"),
        items=Field(_("things supported together"), "count"),
    )
    describe("bridging:coordination_ended", people=Field(_("people"), "people"))


_describe()
