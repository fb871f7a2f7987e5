"""The one door screens answer through: the strictest action wins, findings are all kept."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from peerwork.core import screening
from peerwork.core.screening import Contribution, Finding


@pytest.fixture(autouse=True)
def _no_screens(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(screening, "_SCREENS", {})
    yield


def _edit(**extra: object) -> Contribution:
    return Contribution(kind="wiki.edit", space=None, user=None, added="hello", **extra)  # type: ignore[arg-type]


def test_without_screens_everything_is_published() -> None:
    assert screening.screen(_edit()).action == "publish"


def test_the_strictest_answer_wins_and_every_finding_is_kept() -> None:
    screening.register("a", lambda c: Finding("a", "tag", "looks odd", tag="odd"))
    screening.register("b", lambda c: Finding("b", "hold", "risky", score=0.9))
    screening.register("c", lambda c: None)
    verdict = screening.screen(_edit())
    assert verdict.action == "hold"
    assert [f.screen for f in verdict.findings] == ["a", "b"]
    assert verdict.tags == ["odd"]
    assert verdict.reasons == ["looks odd", "risky"]


def test_a_confirmed_warning_no_longer_stops_the_save() -> None:
    screening.register("w", lambda c: Finding("w", "warn", "are you sure?"))
    assert screening.screen(_edit()).action == "warn"
    assert screening.screen(_edit(confirmed=True)).action == "publish"


def test_a_failing_screen_is_skipped_not_fatal() -> None:
    def broken(c: Contribution) -> Finding:
        raise RuntimeError("model file missing")

    screening.register("broken", broken)
    screening.register("ok", lambda c: Finding("ok", "refuse", "spam"))
    assert screening.screen(_edit()).action == "refuse"


def test_an_unknown_action_is_a_programming_error() -> None:
    screening.register("bad", lambda c: Finding("bad", "explode", ""))
    with pytest.raises(ValueError):
        screening.screen(_edit())
