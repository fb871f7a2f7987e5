"""Event verbs of tasks, registered with the one registry from TasksConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("task:created", _("posted a task"))
register("task:updated", _("changed a task"))
register("task:bounty_set", _("put a bounty on a task"))
register("task:claim_requested", _("asked to claim a task"))
register("task:claim_approved", _("approved a claim on a task"))
register("task:claim_declined", _("declined a claim on a task"))
register("task:claimed", _("claimed a task"))
register("task:unclaimed", _("gave up a claim on a task"))
register("task:claim_expiring", _("was reminded that a claim will expire"), audience="private")
register("task:claim_expired", _("had a claim on a task expire"))
register("task:delivered", _("delivered work on a task"))
register("task:changes_requested", _("asked for changes to a task's delivery"))
register("task:approved", _("approved a task's delivery"))
register("task:cancelled", _("cancelled a task"))
register("task:delivery_released", _("released a delivery to the commons"))
register("task:watched", _("watched a task"), audience="private")
register("task:unwatched", _("stopped watching a task"), audience="private")
