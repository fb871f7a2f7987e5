"""`peerwork tally`: count a CSV of ranked ballots and print the rounds, then the winners.

The CSV has one ballot per row, rank 1 in the first column; an empty cell is a skipped rank
and `A=B` is an overvote (A and B at one rank). An optional header row is recognised by a
`count` column or by cells such as `rank 1` / `choice 1`; a `count` column says how many
identical ballots the row stands for. The optional --config JSON holds the counting rules
(docs/governance-tally.md) and may list "options" to fix their order (the order the
option_order tie-break uses); otherwise options are taken in order of first appearance.

Nothing here needs Django, so the command checks a published count on any machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import METHODS, Ballot, RankedRules, Report, TallyError, tabulate

_HEADER_CELL = re.compile(r"^(rank|choice|preference)\s*#?\s*\d+$", re.IGNORECASE)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command's arguments, on the parser peerwork/cli.py gives it (and others extend)."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ballots", metavar="FILE.csv", help="the ballots, one per row")
    source.add_argument(
        "--from-dump",
        metavar="DUMP.jsonl",
        help="recount a proposal of a space's open data dump (with --proposal)",
    )
    parser.add_argument("--proposal", type=int, metavar="ID", help="the proposal to recount")
    parser.add_argument(
        "--receipt", metavar="CODE", help="with --from-dump: check that this ballot was counted"
    )
    parser.add_argument(
        "--opinion-map",
        action="store_true",
        help="with --from-dump: compute the proposal's opinion map again instead",
    )
    parser.add_argument("--method", choices=METHODS, help="the counting method (with --ballots)")
    parser.add_argument("--seats", type=int, default=1, help="seats to fill (default 1)")
    parser.add_argument(
        "--config", metavar="FILE.json", help="the counting rules, and optionally the options"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run_tally(args: argparse.Namespace) -> int:
    """Count and print; raise TallyError with a one-line reason for a file it cannot count."""
    if args.from_dump and getattr(args, "opinion_map", False):
        return run_opinion_recount(args)
    if args.from_dump:
        return run_recount(args)
    if not args.method:
        raise TallyError("--ballots needs --method irv, stv, schulze or ranked-pairs")
    rules, options = read_config(args.config) if args.config else (RankedRules(), None)
    found, ballots = read_ballots(args.ballots, options)
    report = tabulate(args.method, options or found, ballots, seats=args.seats, rules=rules)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render(report))
    return 0


def run_recount(args: argparse.Namespace) -> int:
    """Recount a stored result from the dump: print it, then say whether it matches.

    Exit 0 when the recount equals the stored result (and the receipt, if given, was counted);
    1 when it differs, naming the first key that differs."""
    from ..recount import RecountError, read

    if args.proposal is None:
        raise TallyError("--from-dump needs --proposal ID (the number in the proposal's address)")
    try:
        with open(args.from_dump, encoding="utf-8") as handle:
            recount = read(handle, args.proposal)
    except OSError as error:
        raise TallyError(
            "cannot read %(path)s: %(reason)s",
            path=args.from_dump,
            reason=error.strerror or str(error),
        ) from None
    except RecountError as error:
        raise TallyError("%(reason)s", reason=str(error)) from None
    print(json.dumps(recount.recounted, indent=2, ensure_ascii=False, sort_keys=True))
    if not recount.matches:
        print(
            f"The recount differs from the stored result of proposal {args.proposal} "
            f"at '{recount.first_difference()}'."
        )
        return 1
    print(f"The recount matches the stored result of proposal {args.proposal}.")
    if args.receipt:
        if not recount.receipt_counted(args.receipt):
            print(f"No counted ballot has the receipt {args.receipt}.")
            return 1
        print(f"The ballot with receipt {args.receipt} was counted.")
    return 0


def run_opinion_recount(args: argparse.Namespace) -> int:
    """Compute a proposal's opinion map again from the dump; exit 0 if it is the stored one."""
    from ..opinion_recount import RecomputeError, recompute

    if args.proposal is None:
        raise TallyError("--from-dump needs --proposal ID (the number in the proposal's address)")
    try:
        with open(args.from_dump, encoding="utf-8") as handle:
            result = recompute(handle, args.proposal)
    except OSError as error:
        raise TallyError(
            "cannot read %(path)s: %(reason)s",
            path=args.from_dump,
            reason=error.strerror or str(error),
        ) from None
    except RecomputeError as error:
        raise TallyError("%(reason)s", reason=str(error)) from None
    print(json.dumps(result.recomputed, indent=2, ensure_ascii=False, sort_keys=True))
    if not result.matches:
        print(f"The map computed again differs from the stored map of proposal {args.proposal}.")
        return 1
    print(f"The map computed again matches the stored map of proposal {args.proposal}.")
    return 0


def read_config(path: str) -> tuple[RankedRules, list[str] | None]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise TallyError(
            "cannot read config %(path)s: %(reason)s",
            path=path,
            reason=error.strerror or str(error),
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise TallyError(
            "config %(path)s is not JSON (%(reason)s); fix its syntax", path=path, reason=error
        ) from None
    if not isinstance(data, dict):
        raise TallyError("config %(path)s must be a JSON object of rules", path=path)
    data = dict(data)
    options = data.pop("options", None)
    if options is not None and (
        not isinstance(options, list) or not all(isinstance(item, str) for item in options)
    ):
        raise TallyError("config %(path)s: 'options' must be a list of option ids", path=path)
    try:
        rules = RankedRules.from_dict(data)
    except TallyError as error:
        raise TallyError(
            "config %(path)s: %(reason)s (or 'options')", path=path, reason=str(error)
        ) from None
    return rules, options


def read_ballots(path: str, options: list[str] | None) -> tuple[list[str], list[Ballot]]:
    """The options in order of first appearance, and the ballots of the file."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as error:
        raise TallyError(
            "cannot read %(path)s: %(reason)s", path=path, reason=error.strerror or str(error)
        ) from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise TallyError(
            "%(path)s is not a UTF-8 CSV file (%(reason)s)", path=path, reason=error
        ) from None
    count_column: int | None = None
    start = 0
    if rows and _is_header(rows[0]):
        start = 1
        names = [cell.strip().lower() for cell in rows[0]]
        count_column = names.index("count") if "count" in names else None
    known = set(options) if options is not None else None
    found: dict[str, None] = {}
    ballots: list[Ballot] = []
    for number, row in enumerate(rows[start:], start=start + 1):
        weight: int | Decimal = 1
        cells = [cell.strip() for cell in row]
        if count_column is not None:
            raw = cells[count_column] if count_column < len(cells) else ""
            weight = _count(raw, number)
            del cells[count_column]
        while cells and not cells[-1]:
            cells.pop()
        ranking = tuple(
            tuple(part.strip() for part in cell.split("=")) if cell else () for cell in cells
        )
        for rank in ranking:
            for option in rank:
                if not option:
                    raise TallyError(
                        "row %(row)s: an empty name in '%(rank)s'", row=number, rank="=".join(rank)
                    )
                if known is not None and option not in known:
                    raise TallyError(
                        "row %(row)s: '%(option)s' is not one of the options in the config; "
                        "add it there or fix the row",
                        row=number,
                        option=option,
                    )
                found.setdefault(option, None)
        ballots.append(Ballot(ranking, weight))
    if not ballots:
        raise TallyError("%(path)s has no ballots; put one ballot per row, rank 1 first", path=path)
    if not found and options is None:
        raise TallyError("%(path)s ranks no option at all", path=path)
    return list(found), ballots


def _is_header(row: list[str]) -> bool:
    cells = [cell.strip() for cell in row if cell.strip()]
    return bool(cells) and (
        any(cell.lower() == "count" for cell in cells)
        or all(_HEADER_CELL.match(cell) for cell in cells)
    )


def _count(raw: str, number: int) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise TallyError(
            "row %(row)s: count '%(count)s' is not a whole number 1 or more; "
            "give how many identical ballots the row stands for",
            row=number,
            count=raw,
        )
    return int(raw)


def render(report: Report) -> str:
    """The report as text: each round's votes and decisions, then the winners one per line."""
    text = report.rules.text
    seats = f"{report.seats} seat{'s' if report.seats != 1 else ''}"
    lines = [f"{report.method}: {seats}, {report.ballots} ballot rows, {text(report.weight)} votes"]
    width = max(len(option) for option in [*report.options, "(exhausted)"])
    for one in report.rounds:
        threshold = f" (threshold {text(one.threshold)})" if one.threshold is not None else ""
        lines.append(f"Round {one.number}{threshold}")
        for option, votes in sorted(one.tally.items(), key=lambda item: -item[1]):
            lines.append(f"  {option:<{width}}  {text(votes):>14}")
        exhausted = sum(one.exhausted.values(), Decimal(0))
        lines.append(f"  {'(exhausted)':<{width}}  {text(exhausted):>14}")
        for option in one.elected:
            lines.append(f"  elected: {option}")
        for option in one.eliminated:
            lines.append(f"  eliminated: {option}")
        for record in one.tie_breaks:
            lines.append(_tie_line(record))
        for source, moved in one.transfers.items():
            parts = ", ".join(f"{target} {text(votes)}" for target, votes in moved.items())
            lines.append(f"  {source} transferred: {parts or 'nothing'}")
    if report.pairwise is not None:
        lines.append("Pairwise (row over column):")
        for row, cells in report.pairwise.items():
            cols = ", ".join(f"{col} {text(votes)}" for col, votes in cells.items())
            lines.append(f"  {row}: {cols}")
    if report.locked_pairs is not None:
        lines.append("Locked pairs:")
        for winner, loser, margin in report.locked_pairs:
            lines.append(f"  {winner} over {loser} by {text(margin)}")
    for record in report.tie_breaks:
        lines.append(_tie_line(record))
    lines.append("Winners:")
    lines.extend(report.winners)
    return "\n".join(lines)


def _tie_line(record: dict[str, Any]) -> str:
    if "chosen" not in record:
        return f"  tie order ({record['context']}): {', '.join(record['tie_ranking'])}"
    return (
        f"  tie ({record['context']}) among {', '.join(record['tied'])}: "
        f"{record['chosen']} by {record['by']}"
    )
