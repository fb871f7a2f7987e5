"""The method agrees with the WikiWho authors' own worked example, token by token.

Their 28-revision history has additions, deletions, undos, vandalism blanking the page and
reverts of it, a partial revert, and a word deleted by a vandal and put back by the next edit
(tests/authorship/wikiwho_example/README.md says where it comes from).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405  (the authors' own small example file)
from pathlib import Path

import pytest

from peerwork.authorship.method import Attribution, PageHistory

HERE = Path(__file__).parent / "wikiwho_example"
NS = {"m": "http://www.mediawiki.org/xml/export-0.8/"}
EXPECTED: dict[str, dict[str, list]] = json.loads((HERE / "expected.json").read_text())


def _history() -> list[tuple[int, str, str]]:
    root = ET.parse(HERE / "Finger_Lakes3_dummy.xml").getroot()  # noqa: S314
    return [
        (
            int(revision.findtext("m:id", namespaces=NS)),
            revision.findtext("m:contributor/m:username", namespaces=NS),
            revision.findtext("m:text", namespaces=NS) or "",
        )
        for revision in root.iter(f"{{{NS['m']}}}revision")
    ]


def _walk() -> dict[int, Attribution]:
    """The dump's ids start at 0; peerwork's revisions start at 1, so each is shifted by one."""
    state = PageHistory()
    return {number: state.add(number + 1, text, editor) for number, editor, text in _history()}


WALKED = _walk()


def test_the_example_is_whole() -> None:
    assert sorted(WALKED) == list(range(28))
    assert sorted(int(number) for number in EXPECTED) == list(range(28))


@pytest.mark.parametrize("number", range(28))
def test_every_token_of_every_revision_has_the_authors_origin(number: int) -> None:
    attribution = WALKED[number]
    expected = EXPECTED[str(number)]
    assert attribution.tokens == [token.lower() for token in expected["tokens"]]
    assert [origin - 1 for origin in attribution.origins] == expected["origins"]


def test_the_same_history_gives_the_same_attribution_every_run() -> None:
    assert _walk() == WALKED
