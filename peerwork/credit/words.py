"""How a part of an explanation reads: "revision 812 of [[Water points]] (you wrote it)"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _things() -> dict[str, str]:
    return {
        "revision": _("revision %(id)s of [[%(name)s]]"),
        "page": _("the page [[%(name)s]]"),
        "idea": _("the idea “%(name)s”"),
        "support": _("a support of the idea “%(name)s”"),
        "task": _("the task “%(name)s”"),
        "delivery": _("a delivery for the task “%(name)s”"),
        "review": _("a review of a delivery for “%(name)s”"),
        "challenge": _("the challenge “%(name)s”"),
        "submission": _("a submission to the challenge “%(name)s”"),
        "comment": _("a comment on “%(name)s”"),
        "proposal": _("the proposal “%(name)s”"),
        "user": "%(name)s",
        "gift": _("points from %(name)s"),
    }


def relations() -> dict[str, str]:
    """What the person was to the node, for the edges that reach people."""
    return {"authored": _("as author"), "reviewed": _("as reviewer")}


def describe_part(part: dict[str, Any]) -> str:
    """One stored or computed part of an explanation, in the reader's language."""
    kind = part.get("kind", "")
    if kind == "other":
        count = int(part.get("count", 0))
        return ngettext("%(count)s other contribution", "%(count)s other contributions", count) % {
            "count": count
        }
    pattern = _things().get(kind, "%(name)s")
    node = str(part.get("node", ""))
    text = pattern % {"id": node.partition(":")[2], "name": part.get("name", "")}
    words = [relations()[r] for r in part.get("relations", []) if r in relations()]
    return f"{text} ({', '.join(words)})" if words else text


def percent(basis_points: int) -> str:
    """10,000 basis points read as "100.00 %"."""
    return f"{basis_points / 100:.2f} %"
