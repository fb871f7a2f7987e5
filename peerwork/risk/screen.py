"""The edit-risk screen: scores every wiki edit at save, and holds it above the space's
threshold when the space asks for that (registered with core/screening.py from apps.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.screening import Contribution, Finding
from peerwork.wiki.models import Revision

from . import features
from .policy_schema import risk_policy
from .selectors import scorer_for


def edit_of(contribution: Contribution) -> features.Edit:
    user = contribution.user
    space = contribution.space
    if policy.signed_in(user):
        age = (timezone.now() - user.date_joined).total_seconds() / 86400
        count = Revision.objects.filter(author=user, page__space=space).count()
    else:
        age, count = 0.0, 0
    return features.Edit(
        previous=contribution.extra.get("previous", ""),
        text=contribution.text,
        added=contribution.added,
        removed=contribution.removed,
        summary=contribution.summary,
        account_age_days=age,
        edit_count=count,
    )


def risk_screen(contribution: Contribution) -> Finding | None:
    if contribution.kind != "wiki.edit":
        return None
    space = contribution.space
    scorer = scorer_for(space)
    score, top = scorer.explain(features.vector(edit_of(contribution)))
    for item in top:
        item["words"] = features.in_words(item["feature"], item["value"])
    settings = risk_policy(space)
    percent = round(score * 100)
    held = settings.hold_risky_edits and percent >= settings.threshold_percent
    why = ", ".join(item["words"] for item in top) or _("nothing stands out")
    return Finding(
        screen="risk",
        action="hold" if held else "publish",
        reason=_("edit risk %(score)d%% (%(why)s)") % {"score": percent, "why": why},
        score=round(score, 4),
        data={"top": top, "model": scorer.source},
    )
