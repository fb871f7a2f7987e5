"""The decision methods' names as people read them: in the proposal form, the events, and
the policy form's default method (policy_schema.py), which sits below the forms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

METHOD_LABELS = {
    "consent": _("Consent: passes unless someone objects, with a reason"),
    "majority": _("Simple majority"),
    "supermajority": _("Supermajority"),
    "approval": _("Approval: approve any number of options"),
    "score": _("Score: rate each option 0 to 5"),
    "dot": _("Dot vote: spread your dots"),
    "quadratic": _("Quadratic voting: votes cost their square in credits"),
    "time_poll": _("Time poll: yes, maybe or no per time"),
    "budget": _("Participatory budget: choose projects within the budget"),
    "irv": _("Ranked choice: instant runoff"),
    "stv": _("Ranked choice: single transferable vote (several seats)"),
    "schulze": _("Ranked choice: Schulze"),
    "ranked_pairs": _("Ranked choice: ranked pairs"),
}
