"""What a result page shows: the method's tally turned into labelled rows and, for ranked
ballots, one bar chart and table per round (the round-by-round report, drawn on the server)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


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
    }
    return str(labels.get(key, key))


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
                        [tally["pairwise"].get(a, {}).get(b, "") if a != b else "—" for b in keys],
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
                "cells": ["" if cell is None else cell for cell in cells],
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
            "votes": votes,
            "percent": int(_number(votes) * 100 / top),
            "elected": key in (data.get("elected") or []),
            "eliminated": key in (data.get("eliminated") or []),
        }
        for key, votes in sorted(counts.items(), key=lambda kv: -_number(kv[1]))
    ]
    return {
        "number": data.get("round"),
        "rows": rows,
        "threshold": data.get("threshold"),
        "exhausted": data.get("exhausted"),
        "elected": [label.get(k, k) for k in data.get("elected") or []],
        "eliminated": [label.get(k, k) for k in data.get("eliminated") or []],
        "tie_breaks": data.get("tie_breaks") or [],
    }
