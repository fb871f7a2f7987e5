"""Event verbs of reputation, registered with the one registry from ReputationConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from peerwork.activity.verbs import register

register("reputation:reversed", _("reversed reputation from serial or ring supports"))
register("reputation:granted", _("changed a person's privileges"))
