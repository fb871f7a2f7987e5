"""Event verbs of challenges, registered with the one registry from ChallengesConfig.ready().

Everything about a submission is `private` and recorded outside the space's chain until the
award (docs/decisions/0010-challenges-sealing.md): a private event in the space's public chain
would still show as a gap in its sequence numbers, and a gap says that something happened.
"""

from __future__ import annotations

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
