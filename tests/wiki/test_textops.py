"""The wiki's text operations: merging concurrent edits, undoing a revision, diffs to show."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.wiki import textops
from peerwork.wiki.textops import (
    MAX_PAIR_BLOCK,
    DiffLine,
    Hunk,
    MergeResult,
    Segment,
    diff_lines,
    diff_stats,
    inline_diff,
    merge_three,
    normalize_newlines,
    undo,
)

BASE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


# ---------------------------------------------------------------------------------- merge


def test_disjoint_edits_merge():
    current = BASE.replace("First paragraph.", "First paragraph, improved.")
    theirs = BASE.replace("Third paragraph.", "Third paragraph, expanded.")
    result = merge_three(BASE, current, theirs)
    assert result == MergeResult(
        text="# Title\n\nFirst paragraph, improved.\n\nSecond paragraph.\n\n"
        "Third paragraph, expanded.\n",
        conflicted=False,
    )


def test_overlapping_edits_conflict_with_both_texts_between_markers():
    current = BASE.replace("Second paragraph.", "Second, by Ada.")
    theirs = BASE.replace("Second paragraph.", "Second, by Bo.")
    result = merge_three(BASE, current, theirs)
    assert result.conflicted
    assert result.text == (
        "# Title\n\nFirst paragraph.\n\n"
        "<<<<<<< current\nSecond, by Ada.\n=======\nSecond, by Bo.\n>>>>>>> yours\n"
        "\nThird paragraph.\n"
    )


def test_adjacent_different_edits_conflict():
    base = "a\nb\nc\nd\n"
    result = merge_three(base, "a\nB\nc\nd\n", "a\nb\nC\nd\n")
    assert result.conflicted
    assert result.text == "a\n<<<<<<< current\nB\nc\n=======\nb\nC\n>>>>>>> yours\nd\n"


def test_identical_changes_on_both_sides_are_clean():
    changed = BASE.replace("Second paragraph.", "Second paragraph, fixed.")
    assert merge_three(BASE, changed, changed) == MergeResult(changed, False)


def test_partly_identical_changes_keep_agreed_lines_outside_markers():
    base = "a\nb\nc\n"
    current = "a\nsame\nmine\nc\n"
    theirs = "a\nsame\nyours\nc\n"
    result = merge_three(base, current, theirs)
    assert result.text == "a\nsame\n<<<<<<< current\nmine\n=======\nyours\n>>>>>>> yours\nc\n"


def test_labels_name_the_sides():
    result = merge_three("x\n", "y\n", "z\n", current_label="rev 7 by ada", theirs_label="bo")
    assert result.text == "<<<<<<< rev 7 by ada\ny\n=======\nz\n>>>>>>> bo\n"


def test_insert_at_start_by_one_side_and_edit_in_middle_by_other():
    base = "a\nb\nc\n"
    assert merge_three(base, "intro\na\nb\nc\n", "a\nB\nc\n") == MergeResult(
        "intro\na\nB\nc\n", False
    )
    assert merge_three(base, "a\nB\nc\n", "intro\na\nb\nc\n") == MergeResult(
        "intro\na\nB\nc\n", False
    )


def test_insert_at_end_by_one_side_and_edit_in_middle_by_other():
    base = "a\nb\nc\n"
    assert merge_three(base, "a\nb\nc\nend\n", "a\nB\nc\n") == MergeResult("a\nB\nc\nend\n", False)
    assert merge_three(base, "a\nB\nc\n", "a\nb\nc\nend\n") == MergeResult("a\nB\nc\nend\n", False)


def test_without_trailing_newline_append_and_edit_merge():
    # The unterminated last line "c" gaining a "\n" to make room for "d" is not an edit of it.
    base = "a\nb\nc"
    result = merge_three(base, "a\nb\nc\nd", "A\nb\nc")
    assert result == MergeResult("A\nb\nc\nd", False)


def test_without_trailing_newline_edits_of_last_line_merge_with_others():
    base = "a\nb\nc"
    assert merge_three(base, "a\nb\nC", "A\nb\nc") == MergeResult("A\nb\nC", False)
    assert merge_three(base, "a\nb\nc", "a\nb\nC") == MergeResult("a\nb\nC", False)


def test_without_trailing_newline_conflict_on_last_line():
    result = merge_three("a\nb", "a\nX", "a\nY")
    assert result == MergeResult("a\n<<<<<<< current\nX\n=======\nY\n>>>>>>> yours", True)


def test_trailing_newline_added_by_one_side_is_kept():
    base = "a\nb\nc"
    assert merge_three(base, "a\nb\nc\n", "A\nb\nc") == MergeResult("A\nb\nc\n", False)
    assert merge_three(base, "A\nb\nc", "a\nb\nc\n") == MergeResult("A\nb\nc\n", False)
    # ...and so is one removed by one side.
    assert merge_three("a\nb\n", "a\nb", "A\nb\n") == MergeResult("A\nb", False)


def test_empty_texts():
    assert merge_three("", "", "") == MergeResult("", False)
    assert merge_three("", "", "new page") == MergeResult("new page", False)
    assert merge_three("", "one\n", "two\n") == MergeResult(
        "<<<<<<< current\none\n=======\ntwo\n>>>>>>> yours\n", True
    )
    assert merge_three("a\n", "", "a\n") == MergeResult("", False)


def test_crlf_input_is_normalized():
    base = "a\r\nb\r\nc\r\n"
    current = "A\nb\nc\n"  # stored text, already normalized
    theirs = "a\r\nb\r\nC\r\n"  # what the browser submitted
    assert merge_three(base, current, theirs) == MergeResult("A\nb\nC\n", False)
    assert merge_three("a\r\n", "a\r\n", "a\r\nb\r\n").text == "a\nb\n"
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"


# ----------------------------------------------------------------------------------- undo

R1 = "one\ntwo\nthree\nfour\nfive\n"
R2 = "one\nTWO\nthree\nfour\nfive\n"  # the revision to undo: two -> TWO
R3 = "one\nTWO\nthree\nfour\nFIVE\n"  # a later, unrelated edit


def test_undo_of_a_middle_revision_keeps_later_edits():
    result = undo(base=R1, undone=R2, current=R3)
    assert result == MergeResult("one\ntwo\nthree\nfour\nFIVE\n", False)


def test_undo_of_the_latest_revision_restores_its_base():
    assert undo(base=R1, undone=R2, current=R2) == MergeResult(R1, False)


def test_undo_of_an_insertion_and_a_deletion():
    assert undo(base="a\nc\n", undone="a\nb\nc\n", current="a\nb\nc\nd\n") == MergeResult(
        "a\nc\nd\n", False
    )
    assert undo(base="a\nb\nc\nd\n", undone="a\nc\nd\n", current="a\nc\nd\nend\n") == (
        MergeResult("a\nb\nc\nd\nend\n", False)
    )


def test_undo_conflicts_when_later_edits_touched_the_same_lines():
    current = "one\n2\nthree\nfour\nfive\n"  # a later edit rewrote the undone line
    result = undo(base=R1, undone=R2, current=current)
    assert result.conflicted
    assert result.text == (
        "one\n<<<<<<< current\n2\n=======\ntwo\n>>>>>>> undo\nthree\nfour\nfive\n"
    )


# ----------------------------------------------------------------------------------- diff


def _page(n: int) -> list[str]:
    return [f"line {k} of the page" for k in range(1, n + 1)]


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _joined(segments: list[Segment]) -> str:
    return "".join(s.text for s in segments)


def test_identical_texts_have_no_hunks():
    assert diff_lines(BASE, BASE) == []
    assert diff_lines("", "") == []
    assert diff_stats(BASE, BASE) == (0, 0)


def test_only_a_trailing_newline_change_has_no_hunks():
    assert diff_lines("a\nb", "a\nb\n") == []
    assert diff_lines("a\r\nb\r\n", "a\nb\n") == []


def test_one_word_change_marks_exactly_that_word():
    old = "The quick brown fox jumps.\n"
    new = "The quick red fox jumps.\n"
    [hunk] = diff_lines(old, new)
    [line] = hunk.lines
    assert line == DiffLine(
        kind="changed",
        old_number=1,
        new_number=1,
        old=[Segment("The quick ", False), Segment("brown", True), Segment(" fox jumps.", False)],
        new=[Segment("The quick ", False), Segment("red", True), Segment(" fox jumps.", False)],
    )


def test_punctuation_is_its_own_token():
    [hunk] = diff_lines("Hello, world.\n", "Hello, world!\n")
    assert hunk.lines[0].new == [Segment("Hello, world", False), Segment("!", True)]


def test_added_and_removed_lines_have_the_right_numbers():
    old = _text(["a", "b", "c", "d"])
    new = _text(["a", "c", "d", "e"])
    [hunk] = diff_lines(old, new, context=1)
    assert hunk == Hunk(
        old_start=1,
        new_start=1,
        lines=[
            DiffLine("context", 1, 1, [Segment("a", False)], [Segment("a", False)]),
            DiffLine("removed", 2, None, [Segment("b", False)], []),
            DiffLine("context", 3, 2, [Segment("c", False)], [Segment("c", False)]),
            DiffLine("context", 4, 3, [Segment("d", False)], [Segment("d", False)]),
            DiffLine("added", None, 4, [], [Segment("e", False)]),
        ],
    )


def test_context_lines_count():
    old = _page(20)
    new = list(old)
    new[9] = "line 10 of the book"
    for context, expected in [(3, 7), (0, 1), (1, 3), (30, 20)]:
        [hunk] = diff_lines(_text(old), _text(new), context=context)
        assert len(hunk.lines) == expected
        assert [line.kind for line in hunk.lines].count("changed") == 1
        first = 10 - min(context, 9)
        assert (hunk.old_start, hunk.new_start) == (first, first)
        assert hunk.lines[0].old_number == first


def test_hunks_split_when_changes_are_far_apart():
    old = _page(40)
    near, far = list(old), list(old)
    # Changes at lines 10 and 17: six unchanged lines between them, exactly 2 * context.
    near[9], near[16] = "line 10 of the book", "line 17 of the book"
    assert len(diff_lines(_text(old), _text(near))) == 1
    # Changes at lines 10 and 18: seven unchanged lines between them, one too many.
    far[9], far[17] = "line 10 of the book", "line 18 of the book"
    first, second = diff_lines(_text(old), _text(far))
    assert (first.old_start, second.old_start) == (7, 15)
    assert [line.old_number for line in first.lines] == list(range(7, 14))
    assert [line.old_number for line in second.lines] == list(range(15, 22))


def test_hunk_numbers_after_a_shift():
    old = _page(30)
    new = ["new first line", *old]
    new[24] = "changed"  # old line 24
    first, second = diff_lines(_text(old), _text(new))
    assert (first.old_start, first.new_start) == (1, 1)
    assert [(line.old_number, line.new_number) for line in first.lines] == [
        (None, 1),
        (1, 2),
        (2, 3),
        (3, 4),
    ]
    assert first.lines[0] == DiffLine("added", None, 1, [], [Segment("new first line", False)])
    assert (second.old_start, second.new_start) == (21, 22)
    changed = [line for line in second.lines if line.kind != "context"]
    assert [(line.old_number, line.new_number) for line in changed] == [(24, None), (None, 25)]


def test_insertion_into_an_empty_page_and_deleting_everything():
    [hunk] = diff_lines("", "a\nb\n")
    assert (hunk.old_start, hunk.new_start) == (0, 1)
    assert [(line.kind, line.new_number) for line in hunk.lines] == [("added", 1), ("added", 2)]
    [hunk] = diff_lines("a\nb", "")
    assert (hunk.old_start, hunk.new_start) == (1, 0)
    assert [line.kind for line in hunk.lines] == ["removed", "removed"]


def test_dissimilar_replaced_lines_are_removed_and_added_not_paired():
    old = "Completely different sentence here.\n"
    new = "Nothing alike whatsoever, friend.\n"
    [hunk] = diff_lines(old, new)
    assert [line.kind for line in hunk.lines] == ["removed", "added"]


def test_similar_lines_pair_inside_a_replaced_block_in_order():
    old = _text(["keep", "alpha beta gamma", "to be dropped entirely", "delta epsilon zeta"])
    new = _text(["keep", "alpha beta GAMMA", "brand new words inserted", "delta epsilon ETA"])
    [hunk] = diff_lines(old, new)
    kinds = [(line.kind, line.old_number, line.new_number) for line in hunk.lines]
    assert kinds == [
        ("context", 1, 1),
        ("changed", 2, 2),
        ("removed", 3, None),
        ("added", None, 3),
        ("changed", 4, 4),
    ]
    assert [s for s in hunk.lines[1].new if s.changed] == [Segment("GAMMA", True)]


def test_long_replaced_blocks_are_not_paired():
    n = MAX_PAIR_BLOCK + 1
    old = _text([f"row {k} old" for k in range(n)])
    new = _text([f"row {k} new" for k in range(n)])
    [hunk] = diff_lines(old, new)
    kinds = [line.kind for line in hunk.lines]
    assert kinds == ["removed"] * n + ["added"] * n


def test_crlf_diff_matches_lf_diff():
    assert diff_lines("a\r\nb\r\n", "a\r\nc\r\n") == diff_lines("a\nb\n", "a\nc\n")


def test_diff_stats_counts_a_changed_line_as_added_and_removed():
    old = _text(["a", "b", "c", "d"])
    new = _text(["a", "B", "c", "d", "e", "f"])
    assert diff_stats(old, new) == (3, 1)
    assert diff_stats("", "x\ny") == (2, 0)
    assert diff_stats("x\ny\n", "") == (0, 2)


def test_inline_diff_is_diff_lines():
    assert inline_diff("a\nb\n", "a\nc\n", context=1) == diff_lines("a\nb\n", "a\nc\n", context=1)


def test_hunks_are_json_serializable():
    hunks = diff_lines("The cat sat.\n", "The dog sat.\nNew.\n")
    data = json.loads(json.dumps([dataclasses.asdict(h) for h in hunks]))
    assert data[0]["lines"][0]["new"][1] == {"text": "dog", "changed": True}
    assert data[0]["lines"][1] == {
        "kind": "added",
        "old_number": None,
        "new_number": 2,
        "old": [],
        "new": [{"text": "New.", "changed": False}],
    }


def test_big_page_with_scattered_edits():
    old = [f"Paragraph {k} says something about topic {k % 7}." for k in range(5000)]
    old[::5] = [""] * len(old[::5])  # many repeated blank lines
    new = list(old)
    for k in range(3, 5000, 250):
        new[k] = new[k].replace("says", "claims")
    hunks = diff_lines(_text(old), _text(new))
    assert len(hunks) == 20
    assert all([line.kind for line in h.lines].count("changed") == 1 for h in hunks)
    assert diff_stats(_text(old), _text(new)) == (20, 20)


# ----------------------------------------------------------------------------- properties

_lines = st.lists(st.sampled_from(["a", "b", "c", "", "d e", "f, g.", "héllo wörld"]), max_size=8)
_texts = st.one_of(
    st.builds(
        lambda lines, nl: "\n".join(lines) + ("\n" if nl and lines else ""), _lines, st.booleans()
    ),
    st.text(alphabet=st.characters(blacklist_characters="\r", blacklist_categories=["Cs"])),
)


@settings(max_examples=150, deadline=None)
@given(base=_texts, theirs=_texts)
def test_merge_without_concurrent_edits_returns_theirs(base, theirs):
    assert merge_three(base, base, theirs) == MergeResult(theirs, False)


@settings(max_examples=150, deadline=None)
@given(base=_texts, current=_texts)
def test_merge_without_own_edits_returns_current(base, current):
    assert merge_three(base, current, base) == MergeResult(current, False)


@settings(max_examples=100, deadline=None)
@given(text=_texts)
def test_merge_of_three_identical_texts_is_that_text(text):
    assert merge_three(text, text, text) == MergeResult(text, False)


@settings(max_examples=100, deadline=None)
@given(base=_texts, changed=_texts)
def test_same_change_on_both_sides_merges_cleanly(base, changed):
    assert merge_three(base, changed, changed) == MergeResult(changed, False)


@settings(max_examples=100, deadline=None)
@given(base=_texts, undone=_texts)
def test_undo_of_the_latest_revision_is_its_base(base, undone):
    assert undo(base=base, undone=undone, current=undone) == MergeResult(base, False)


def _display(text: str) -> list[str]:
    return text.split("\n")[:-1] if text.endswith("\n") else (text.split("\n") if text else [])


def _check_hunks(old: str, new: str, hunks: list[Hunk]) -> None:
    """The hunks agree with both texts and, applied to the old one, rebuild the new one."""
    a, b = _display(old), _display(new)
    if a == b:
        assert hunks == []
    rebuilt: list[str] = []
    pos = 0  # next old line (0-based) not yet copied
    added = removed = 0
    for hunk in hunks:
        old_side = [line for line in hunk.lines if line.kind != "added"]
        new_side = [line for line in hunk.lines if line.kind != "removed"]
        # Each side's numbers run on without gaps from the hunk's start, and match the text.
        old_first = hunk.old_start if old_side else hunk.old_start + 1
        new_first = hunk.new_start if new_side else hunk.new_start + 1
        assert [line.old_number for line in old_side] == list(
            range(old_first, old_first + len(old_side))
        )
        assert [line.new_number for line in new_side] == list(
            range(new_first, new_first + len(new_side))
        )
        assert [_joined(line.old) for line in old_side] == a[old_first - 1 :][: len(old_side)]
        assert [_joined(line.new) for line in new_side] == b[new_first - 1 :][: len(new_side)]
        for line in hunk.lines:
            assert (line.old == []) == (line.old_number is None)
            assert (line.new == []) == (line.new_number is None)
            if line.kind != "changed":
                assert not any(s.changed for s in line.old + line.new)
            if line.kind == "context":
                assert line.old == line.new
            added += line.kind in ("added", "changed")
            removed += line.kind in ("removed", "changed")
        assert old_first - 1 >= pos
        rebuilt.extend(a[pos : old_first - 1])
        rebuilt.extend(_joined(line.new) for line in new_side)
        pos = old_first - 1 + len(old_side)
    rebuilt.extend(a[pos:])
    assert rebuilt == b
    assert diff_stats(old, new) == (added, removed)


@settings(max_examples=200, deadline=None)
@given(old=_texts, new=_texts, context=st.integers(min_value=0, max_value=4))
def test_hunks_reconstruct_both_texts(old, new, context):
    _check_hunks(old, new, diff_lines(old, new, context=context))


@settings(max_examples=100, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=30),
    data=st.data(),
)
def test_edits_two_lines_apart_always_merge(n, data):
    base = [f"line {k}" for k in range(n)]
    spots = data.draw(st.sets(st.integers(min_value=0, max_value=n - 1)))
    spots = sorted(spots)
    # Keep edits of different people at least one untouched line apart.
    owner: dict[int, str] = {}
    for k in spots:
        who = data.draw(st.sampled_from(["current", "theirs"]))
        if any(owner.get(k + d) not in (None, who) for d in (-1, 1)):
            continue
        owner[k] = who
    current = [
        f"{line} by current" if owner.get(k) == "current" else line for k, line in enumerate(base)
    ]
    theirs = [
        f"{line} by theirs" if owner.get(k) == "theirs" else line for k, line in enumerate(base)
    ]
    expected = [f"{line} by {owner[k]}" if k in owner else line for k, line in enumerate(base)]
    ending = data.draw(st.sampled_from(["", "\n"]))
    result = merge_three(
        "\n".join(base) + ending, "\n".join(current) + ending, "\n".join(theirs) + ending
    )
    assert result == MergeResult("\n".join(expected) + ending, False)


# ------------------------------------------------------------------- words, budgets, limits


def test_changed_whitespace_is_marked_only_where_it_changed():
    [hunk] = diff_lines("a,b and c\n", "a, b and  c\n")
    [line] = hunk.lines
    assert line.kind == "changed"
    assert line.old == [Segment("a,b and", False), Segment(" ", True), Segment("c", False)]
    assert line.new == [
        Segment("a,", False),
        Segment(" ", True),
        Segment("b and", False),
        Segment("  ", True),
        Segment("c", False),
    ]


def test_inserted_words_are_marked_without_their_surrounding_spaces():
    [hunk] = diff_lines("one two three four\n", "one two and a half three four\n")
    assert hunk.lines[0].new == [
        Segment("one two ", False),
        Segment("and a half", True),
        Segment(" three four", False),
    ]


def test_repeated_words_in_a_long_line_are_aligned():
    old = "the cat and the dog and the bird. " * 200
    new = old.replace("the dog", "a dog", 1)
    [hunk] = diff_lines(old, new)
    [line] = hunk.lines
    assert [s.text for s in line.old if s.changed] == ["the"]
    assert [s.text for s in line.new if s.changed] == ["a"]


def test_pairing_stops_when_the_work_budget_is_spent(monkeypatch):
    monkeypatch.setattr(textops, "PAIR_BUDGET", 0)
    [hunk] = diff_lines("The quick brown fox.\n", "The quick red fox.\n")
    assert [line.kind for line in hunk.lines] == ["removed", "added"]


def test_autojunk_fallback_still_gives_a_valid_diff(monkeypatch):
    monkeypatch.setattr(textops, "MATCHER_BUDGET", 0)
    old = _text([f"row {k % 3}" for k in range(60)] + ["", "end"])
    new = _text(["start"] + [f"row {k % 3}" for k in range(60) if k != 30] + ["", "END"])
    _check_hunks(old, new, diff_lines(old, new))
    result = merge_three(old, new, old.replace("end", "fin"))
    assert result.conflicted
    assert result.text.startswith("start\nrow 0\n")
    assert result.text.endswith("\n<<<<<<< current\nEND\n=======\nfin\n>>>>>>> yours\n")


def test_insertion_in_the_middle_without_context_numbers_the_preceding_line():
    assert diff_lines("a\nb\n", "a\nx\nb\n", context=0) == [
        Hunk(1, 2, [DiffLine("added", None, 2, [], [Segment("x", False)])])
    ]
    assert diff_lines("a\nx\nb\n", "a\nb\n", context=0) == [
        Hunk(2, 1, [DiffLine("removed", 2, None, [Segment("x", False)], [])])
    ]


def test_lines_split_on_newlines_only():
    # Form feeds and U+2028 are not line breaks in the wiki; str.splitlines would split them.
    old = "a\x0cb\u2028c\nd\ne\n"
    new = "a\x0cb\u2028C\nd\ne\n"
    [hunk] = diff_lines(old, new)
    assert [(line.kind, line.old_number) for line in hunk.lines] == [
        ("changed", 1),
        ("context", 2),
        ("context", 3),
    ]
    assert merge_three(old, new, old.replace("e", "E")) == MergeResult(
        "a\x0cb\u2028C\nd\nE\n", False
    )
