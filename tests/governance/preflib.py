"""Reading PrefLib election files (.soi, .toi) into ballots for the tabulation tests."""

from __future__ import annotations

import re
from pathlib import Path

from peerwork.governance.tally import Ballot

DATA = Path(__file__).resolve().parent / "data"
_RANK = re.compile(r"\{[^}]*\}|[^,]+")


def load(name: str) -> tuple[list[str], list[Ballot]]:
    """The options (PrefLib's alternative names, in file order) and one Ballot per line.

    A tie written `{a,b}` is one rank holding both options: an overvote for a runoff count.
    """
    names: dict[str, str] = {}
    ballots: list[Ballot] = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("# ALTERNATIVE NAME"):
            number, _, label = line[len("# ALTERNATIVE NAME ") :].partition(": ")
            names[number] = label
        elif line and not line.startswith("#"):
            count, _, order = line.partition(": ")
            ranking = tuple(
                tuple(names[number] for number in rank.strip("{}").split(","))
                for rank in _RANK.findall(order)
            )
            ballots.append(Ballot(ranking, int(count)))
    return list(names.values()), ballots
