"""The moderation app's events (activity's one registry of verbs)."""

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("filter:created", _("created a filter"))
register("filter:updated", _("changed a filter"))
register("moderation:reported", _("reported something to the moderators"), audience="private")
register("moderation:decided", _("decided on a report or a held contribution"))
register("site:blocked", _("blocked someone from the whole site"))
register("site:unblocked", _("lifted a site-wide block"))


def _describe() -> None:
    """What of these events' data a reader is shown: a site-wide block's reason (the list of
    site-wide blocks is public); nothing of filters, reports and decisions, which are for the
    stewards' own pages."""
    from peerwork.activity.sentences import Field, describe

    describe("site:blocked", reason=Field(_("reason"), "quote"))
    for verb in (
        "site:unblocked",
        "filter:created",
        "filter:updated",
        "moderation:reported",
        "moderation:decided",
        "comment:released",
    ):
        describe(verb)


_describe()
