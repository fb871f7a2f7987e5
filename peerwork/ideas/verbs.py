"""The event verbs of ideas.

Private (seen by the actor and site administrators only): everything about a draft, which is its
creators' business, and supports, which are counted in public but never named (like a ballot).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("idea:drafted", _("started a draft idea"), audience="private")
register("idea:draft_edited", _("edited a draft idea"), audience="private")
register(
    "idea:draft_creator_invited", _("invited a co-creator to a draft idea"), audience="private"
)
register(
    "idea:draft_creator_responded", _("answered an invitation to a draft idea"), audience="private"
)
register("idea:published", _("published the idea"))
register("idea:edited", _("edited the idea"))
register("idea:creator_invited", _("invited a co-creator to the idea"))
register("idea:creator_accepted", _("became a co-creator of the idea"))
register("idea:creator_declined", _("declined to co-create the idea"))
register("idea:supported", _("supported the idea"), audience="private")
register("idea:support_withdrawn", _("withdrew their support of the idea"), audience="private")
register("idea:milestone_reached", _("reached a support milestone"))
register("idea:sent_to_review", _("went to review"))
register("idea:accepted", _("accepted the idea"))
register("idea:rejected", _("rejected the idea"))
register("idea:done", _("marked the idea done"))
register("idea:revenue_recorded", _("recorded revenue of the idea and paid its creators' share"))
register("idea:expired", _("expired: a support milestone was missed"))
register("idea:flagged", _("flagged the idea as a duplicate"))
register("idea:merged", _("merged the idea into another"))
register("idea:unmerged", _("undid the merge of the idea"))
register("idea:watched", _("watched the idea"), audience="private")
register("idea:unwatched", _("stopped watching the idea"), audience="private")
