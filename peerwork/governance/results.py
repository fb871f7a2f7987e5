"""What a result page shows: the method's tally turned into labelled rows and, for ranked
ballots, one bar chart and table per round (the round-by-round report, drawn on the server)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


def shown(value: Any) -> Any:
    """A count as a reader wants it: whole numbers without decimals, fractions ("7/2") and
    fixed-place strings ("2.5000") as numbers the template writes in the reader's language."""
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        try:
            number = Decimal(top) / Decimal(bottom)
        except (InvalidOperation, ZeroDivisionError):
            return value
        return number.quantize(Decimal("0.01")) if number != number.to_integral() else int(number)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if number == number.to_integral():
        return int(number)
    return number.normalize()


def _number(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _columns(counts: dict[str, Any]) -> list[str]:
    first = next(iter(counts.values()), None)
    if isinstance(first, dict):
        return [key for key in first if key != "total"]
    return []


def _column_label(key: str) -> str:
    labels = {
        "yes": _("yes"),
        "maybe": _("maybe"),
        "no": _("no"),
        "weight": _("people scoring"),
        "mean": _("mean"),
        "median": _("median"),
        "for": _("votes for"),
        "against": _("votes against"),
        "net": _("net votes"),
    }
    return str(labels.get(key, key))


def rule_summary(method: str) -> str:
    """The method's rule in a sentence a reader of the page's language follows; the exact rule
    (in English, as the count states it) stays in the result's `rule` for the record."""
    summaries = {
        "consent": _("Passes unless at least one objection stands at the close."),
        "majority": _("An option needs more than half of the votes cast (abstentions aside)."),
        "supermajority": _("An option needs at least the set fraction of the votes cast."),
        "approval": _("The most approved options win; ties go to the option listed first."),
        "score": _("The highest mean score wins, then the highest median."),
        "dot": _("The option with the most dots wins."),
        "quadratic": _("The option with the most net votes wins; votes cost their square."),
        "time_poll": _("The time with the most yes answers wins, then yes and maybe together."),
        "budget": _("Projects are funded within the budget by the round's rule."),
        "irv": _(
            "Instant runoff: the last option is eliminated round by round until one "
            "holds a majority of the continuing votes."
        ),
        "stv": _(
            "Single transferable vote: options reaching the threshold are elected and "
            "their surplus moves on; the last is eliminated when none reaches it."
        ),
        "schulze": _("Schulze: the option that beats every other by its strongest path wins."),
        "ranked_pairs": _(
            "Ranked pairs: the biggest head-to-head wins are locked in first, "
            "skipping any that would make a cycle."
        ),
    }
    return str(summaries.get(method, ""))


def result_view(proposal: Any, options: list[Any], document: dict[str, Any]) -> dict[str, Any]:
    label = {option.key: option.label for option in options}
    tally = document.get("tally") or {}
    winners = list(document.get("winners") or [])
    view: dict[str, Any] = {
        "passed": document.get("passed"),
        "quorum_met": document.get("quorum_met"),
        "quorum_percent": document.get("quorum_percent"),
        "counted": document.get("counted"),
        "eligible": document.get("eligible"),
        "ballots": document.get("ballots"),
        "winners": [label.get(key, key) for key in winners],
        "rule": tally.get("rule", ""),
        "summary": rule_summary(proposal.method),
        "objections": tally.get("objections") or [],
        "stand_asides": tally.get("stand_asides") or [],
        "rows": [],
        "columns": [],
        "rounds": [],
    }
    if proposal.method == "consent":
        counts = tally.get("counts") or {}
        view["positions"] = [
            (_("consent"), counts.get("consent", 0)),
            (_("stand aside"), counts.get("stand_aside", 0)),
            (_("object"), counts.get("object", 0)),
        ]
        return view
    if "rounds" in tally and proposal.method in {"irv", "stv", "schulze", "ranked_pairs"}:
        view["rounds"] = [_round(r, label) for r in tally["rounds"]]
        if tally.get("pairwise"):
            keys = [o.key for o in options]
            view["pairwise"] = {
                "keys": [label.get(k, k) for k in keys],
                "rows": [
                    (
                        label.get(a, a),
                        [
                            shown(tally["pairwise"].get(a, {}).get(b, "")) if a != b else "—"
                            for b in keys
                        ],
                    )
                    for a in keys
                ],
            }
        return view
    counts = tally.get("counts") or {}
    columns = _columns(counts)
    view["columns"] = [_column_label(c) for c in columns]
    for option in options:
        value = counts.get(option.key)
        cells = (
            [value.get(c) if isinstance(value, dict) else None for c in columns]
            if columns
            else [value]
        )
        view["rows"].append(
            {
                "label": option.label,
                "cells": ["" if cell is None else shown(cell) for cell in cells],
                "winner": option.key in winners,
                "share": (tally.get("shares") or {}).get(option.key),
            }
        )
    if "abstained" in tally:
        view["abstained"] = tally["abstained"]
    if proposal.method == "budget":
        view["budget"] = {
            "total": tally.get("total_cost"),
            "budget": tally.get("budget"),
            "unspent": tally.get("unspent"),
        }
    return view


def _round(data: dict[str, Any], label: dict[str, str]) -> dict[str, Any]:
    counts = data.get("tally") or {}
    top = max((_number(v) for v in counts.values()), default=Decimal(0)) or Decimal(1)
    rows = [
        {
            "label": label.get(key, key),
            "votes": shown(votes),
            "percent": int(_number(votes) * 100 / top),
            "elected": key in (data.get("elected") or []),
            "eliminated": key in (data.get("eliminated") or []),
        }
        for key, votes in sorted(counts.items(), key=lambda kv: -_number(kv[1]))
    ]
    return {
        "number": data.get("round"),
        "rows": rows,
        "threshold": shown(data.get("threshold")),
        "exhausted": shown(data.get("exhausted")),
        "elected": [label.get(k, k) for k in data.get("elected") or []],
        "eliminated": [label.get(k, k) for k in data.get("eliminated") or []],
        "tie_breaks": data.get("tie_breaks") or [],
    }
