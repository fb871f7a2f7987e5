"""The moderation app's events (activity's one registry of verbs)."""

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("filter:created", _("created a filter"))
register("filter:updated", _("changed a filter"))
register("moderation:reported", _("reported something to the moderators"), audience="private")
register("moderation:decided", _("decided on a report or a held contribution"))
register("site:blocked", _("blocked someone from the whole site"))
register("site:unblocked", _("lifted a site-wide block"))
