"""Event verbs of governance, registered with the one registry from GovernanceConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("proposal:created", _("opened a proposal"))
register("proposal:voted", _("voted on a proposal"))
register("proposal:cancelled", _("withdrew a proposal"))
register("proposal:closed", _("closed a proposal"))
register("proposal:outcome", _("wrote the outcome of a proposal"))
register("proposal:executed", _("applied a decision"))
register("proposal:execution_failed", _("could not apply a decision"))
register("proposal:watched", _("watched a proposal"), audience="private")
register("proposal:unwatched", _("stopped watching a proposal"), audience="private")
register("delegation:set", _("delegated their vote"))
register("delegation:revoked", _("took back a delegated vote"))
