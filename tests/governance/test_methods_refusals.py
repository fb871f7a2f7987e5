"""Every kind of ballot a method cannot count is refused with a message that says why.

One case per kind of mistake, named by it; the match is part of the message a voter sees.
"""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.governance.methods import InvalidBallot, Option, get_method

ABC = [Option("a", "A"), Option("b", "B"), Option("c", "C")]
PROJECTS = [
    Option("park", "Park", 400),
    Option("library", "Library", 300),
    Option("bikes", "Bike lanes", 300),
    Option("bench", "Benches", 200),
]
BUDGET = {"budget": 1000}
ANY_SHARE = {"budget": 1000, "min_share": "0"}

CASES: list[tuple[str, str, list[Option], dict, Any, str]] = [
    # -- shape
    ("not-an-object", "approval", ABC, {}, ["a"], "must be an object"),
    ("unexpected-field", "approval", ABC, {}, {"approve": [], "note": "x"}, "Unexpected field"),
    ("missing-field", "approval", ABC, {}, {}, "lacks approve"),
    # -- unknown or repeated options
    ("unknown-option-choice", "majority", ABC, {}, {"choice": "z"}, "Unknown option 'z'"),
    ("unknown-option-approval", "approval", ABC, {}, {"approve": ["a", "z"]}, "Unknown option"),
    ("unknown-option-score", "score", ABC, {}, {"scores": {"z": 1}}, "Unknown option"),
    ("unknown-option-dots", "dot", ABC, {}, {"dots": {"q": 1}}, "Unknown option"),
    ("unknown-option-votes", "quadratic", ABC, {}, {"votes": {"x": 1}}, "Unknown option"),
    ("unknown-option-slot", "time_poll", ABC, {}, {"slots": {"z": "yes"}}, "Unknown option"),
    ("unknown-project", "budget", PROJECTS, BUDGET, {"projects": ["park", "pool"]}, "Unknown"),
    ("option-twice", "approval", ABC, {}, {"approve": ["a", "a"]}, "listed twice"),
    ("project-twice", "budget", PROJECTS, BUDGET, {"projects": ["park", "park"]}, "twice"),
    # -- limits
    ("over-dots", "dot", ABC, {}, {"dots": {"a": 6, "b": 5}}, "places 11 dots but each"),
    ("over-dots-setting", "dot", ABC, {"dots": 3}, {"dots": {"a": 4}}, "voter has 3"),
    ("negative-dots", "dot", ABC, {}, {"dots": {"a": -1}}, ">= 0"),
    ("over-credits", "quadratic", ABC, {}, {"votes": {"a": 10, "b": 1}}, "cost 101 credits"),
    ("over-credits-against", "quadratic", ABC, {"credits": 8}, {"votes": {"b": -3}}, "has 8"),
    ("score-above-max", "score", ABC, {}, {"scores": {"a": 6}}, "from 0 to 5"),
    ("score-below-zero", "score", ABC, {}, {"scores": {"a": -1}}, "from 0 to 5"),
    ("score-above-setting", "score", ABC, {"max_score": 10}, {"scores": {"a": 11}}, "0 to 10"),
    (
        "over-budget",
        "budget",
        PROJECTS,
        BUDGET,
        {"projects": ["park", "library", "bikes", "bench"]},
        "cost 1200 but the budget is 1000",
    ),
    (
        "under-min-share",
        "budget",
        PROJECTS,
        BUDGET,
        {"projects": ["library", "bench"]},
        r"at least 7/10 of the budget \(700\)",
    ),
    (
        "too-few-projects",
        "budget",
        PROJECTS,
        {**ANY_SHARE, "min_projects": 2},
        {"projects": ["park"]},
        "at least 2 projects",
    ),
    (
        "too-many-projects",
        "budget",
        PROJECTS,
        {**ANY_SHARE, "max_projects": 2},
        {"projects": ["library", "bikes", "bench"]},
        "at most 2 projects",
    ),
    # -- consent
    ("objection-without-reason", "consent", [], {}, {"position": "object"}, "needs a reason"),
    (
        "objection-blank-reason",
        "consent",
        [],
        {},
        {"position": "object", "reason": " \n "},
        "needs a reason",
    ),
    ("unknown-position", "consent", [], {}, {"position": "maybe"}, "position must be one of"),
    ("choice-and-abstain", "majority", ABC, {}, {"choice": "a", "abstain": True}, "not both"),
    ("no-choice", "majority", ABC, {}, {}, "Give a choice"),
    # -- wrong types
    ("reason-not-text", "consent", [], {}, {"position": "consent", "reason": 3}, "must be text"),
    ("choice-not-text", "majority", ABC, {}, {"choice": 1}, "must be text"),
    ("abstain-not-bool", "majority", ABC, {}, {"abstain": "yes"}, "true or false"),
    ("approve-not-list", "approval", ABC, {}, {"approve": "a"}, "must be a list"),
    ("scores-not-object", "score", ABC, {}, {"scores": [1, 2]}, "must be an object"),
    ("score-fraction", "score", ABC, {}, {"scores": {"a": 2.5}}, "whole number"),
    ("score-bool", "score", ABC, {}, {"scores": {"a": True}}, "whole number"),
    ("dots-text", "dot", ABC, {}, {"dots": {"a": "2"}}, "whole number"),
    ("votes-float", "quadratic", ABC, {}, {"votes": {"a": 1.0}}, "whole number"),
    ("slot-answer", "time_poll", ABC, {}, {"slots": {"a": "perhaps"}}, "yes, maybe or no"),
    ("slot-bool", "time_poll", ABC, {}, {"slots": {"a": True}}, "yes, maybe or no"),
    ("projects-not-list", "budget", PROJECTS, BUDGET, {"projects": {"park": 1}}, "a list"),
]


@pytest.mark.parametrize(
    ("name", "options", "raw_settings", "ballot", "match"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_ballot_the_method_cannot_count_is_refused(
    name: str, options: list[Option], raw_settings: dict, ballot: Any, match: str
) -> None:
    method = get_method(name)
    settings = method.clean_settings(raw_settings, options)
    with pytest.raises(InvalidBallot, match=match):
        method.clean_ballot(ballot, options, settings)
