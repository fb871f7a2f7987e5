"""Text operations of the wiki: three-way merge, undo and diffs for display.

All wiki text is stored with ``"\\n"`` line endings only. Browsers submit ``"\\r\\n"`` from
textareas, so every function here first passes its inputs through :func:`normalize_newlines`
(``"\\r\\n"`` and a lone ``"\\r"`` become ``"\\n"``) and returns ``"\\n"``-only text; callers
should store ``normalize_newlines(text)`` so that what is saved is what gets merged and diffed.

Lines are split on ``"\\n"`` only (not ``str.splitlines``), so form feeds, U+2028 and the like
stay inside a line, and line numbers match what an editor shows.

Nothing here imports Django; the results are frozen dataclasses that ``dataclasses.asdict``
turns into JSON-ready dicts for the REST API.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import merge3

__all__ = [
    "DiffLine",
    "Hunk",
    "MergeResult",
    "Segment",
    "diff_lines",
    "diff_stats",
    "inline_diff",
    "merge_three",
    "normalize_newlines",
    "undo",
]

# A replaced block with more lines than this on either side is shown as plain removed + added
# lines: pairing similar lines costs up to PAIR_WINDOW similarity checks per old line.
MAX_PAIR_BLOCK = 200
# How many new lines ahead of the last pairing an old line looks for a similar partner.
PAIR_WINDOW = 50
# Lines whose (character-weighted) token similarity reaches this are shown as "changed".
PAIR_RATIO = 0.5
# An anchorless gap whose equal-item pairs exceed this is matched with difflib's autojunk.
MATCHER_BUDGET = 2_000_000
# Work (in difflib inner-loop steps, about 0.5 s per million) one diff may spend pairing
# similar lines and finding their changed words; past it, replaced lines are shown as plain
# removed + added. Bounds the time for huge rewrites and for very long, repetitive lines.
PAIR_BUDGET = 1_000_000

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")

Block = tuple[int, int, int]
Opcode = tuple[str, int, int, int, int]


def normalize_newlines(text: str) -> str:
    """Turn CRLF (what browsers send) and stray CR into LF, the only ending the wiki stores."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------
# Line matching shared by merge and diff
# --------------------------------------------------------------------------------------------


def _unique_anchors(
    a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[list[tuple[int, int]], int]:
    """Lines occurring exactly once on each side, as the longest run in the same order.

    This is the anchoring step of "patience diff": such lines are almost surely the same
    line, and matching them first leaves difflib only the small gaps between them. Without
    anchors, also returns how many equal (a, b) pairs difflib's matcher would walk through
    per pass, its cost.
    """
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1 and count_a.get(b[j]) == 1}
    if not where_b:
        return [], sum(count * count_b.get(item, 0) for item, count in count_a.items())
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if a[i] in where_b]
    # Longest increasing subsequence of the b positions (patience sorting with back links).
    tops: list[int] = []  # b position ending the best run of each length
    ends: list[int] = []  # index into pairs of that run's last pair
    back: list[int] = []
    for k, (_i, j) in enumerate(pairs):
        pos = bisect.bisect_left(tops, j)
        back.append(ends[pos - 1] if pos else -1)
        if pos == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[pos] = j
            ends[pos] = k
    run: list[tuple[int, int]] = []
    k = ends[-1]
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    run.reverse()
    return run, 0


class _OverBudget(Exception):
    """Raised when matching would cost more work than the caller allowed."""


class _Budget:
    """Work allowance (roughly, inner-loop steps of difflib) for the optional niceties."""

    def __init__(self, amount: int) -> None:
        self.remaining = amount

    def spend(self, amount: int) -> None:
        self.remaining -= amount
        if self.remaining < 0:
            raise _OverBudget


class _BudgetedMatcher(difflib.SequenceMatcher[str]):
    """SequenceMatcher (no autojunk) that charges each longest-match search to a budget.

    A search over ``a[alo:ahi]`` walks every position in ``b`` of each item, so it costs
    about ``(ahi - alo)`` times the items' mean count in ``b``.
    """

    def __init__(self, a: Sequence[str], b: Sequence[str], budget: _Budget, per_item: float):
        self._budget = budget
        self._per_item = per_item
        self._len_a = len(a)
        super().__init__(None, a, b, autojunk=False)

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> difflib.Match:
        high = self._len_a if ahi is None else ahi
        self._budget.spend(1 + int((high - alo) * self._per_item))
        return super().find_longest_match(alo, ahi, blo, bhi)


def _matching_blocks(
    a: Sequence[str], b: Sequence[str], budget: _Budget | None = None
) -> list[Block]:
    """Matching blocks like SequenceMatcher's, fast enough for a 1 MB page.

    Used on lines (merge, diff) and on the word tokens of a long line. difflib's matcher is
    quadratic in bad cases (blank lines repeat thousands of times in a long page), so: match
    the common prefix and suffix directly, anchor on items unique to both sides (patience
    diff), and only hand the gaps between anchors to ``SequenceMatcher(autojunk=False)``.
    A gap without anchors whose repeated items would make that too slow (a wholesale
    rewrite, or a page of near-identical rows) gets autojunk, which ignores popular items:
    the alignment is coarser there (possibly one big replacement), never wrong. With a
    ``budget`` there is no such fallback: the work is charged and _OverBudget raised instead.
    """
    blocks: list[Block] = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        start_a, start_b = alo, blo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start_a:
            blocks.append((start_a, start_b, alo - start_a))
        tail = 0
        while alo < ahi - tail and blo < bhi - tail and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
            tail += 1
        if tail:
            ahi -= tail
            bhi -= tail
            blocks.append((ahi, bhi, tail))
        if alo == ahi or blo == bhi:
            continue
        anchors, cost = _unique_anchors(a, b, alo, ahi, blo, bhi)
        if budget is not None:
            budget.spend(ahi - alo + bhi - blo)
        if anchors:
            first = True
            for i, j in anchors:
                if i == alo and j == blo and not first:
                    last = blocks[-1]  # right after the previous anchor: extend it, no gap
                    blocks[-1] = (last[0], last[1], last[2] + 1)
                else:
                    blocks.append((i, j, 1))
                    if i > alo or j > blo:
                        todo.append((alo, i, blo, j))
                alo, blo, first = i + 1, j + 1, False
            todo.append((alo, ahi, blo, bhi))
            continue
        # No anchor: take difflib's longest match as one, then treat both sides anew (they
        # are smaller, so more of their items are unique).
        matcher: difflib.SequenceMatcher[str]
        if budget is None:
            matcher = difflib.SequenceMatcher(
                None, a[alo:ahi], b[blo:bhi], autojunk=cost > MATCHER_BUDGET
            )
        else:
            matcher = _BudgetedMatcher(a[alo:ahi], b[blo:bhi], budget, cost / (ahi - alo))
        i, j, size = matcher.find_longest_match(0, ahi - alo, 0, bhi - blo)
        if size:
            blocks.append((alo + i, blo + j, size))
            todo.append((alo, alo + i, blo, blo + j))
            todo.append((alo + i + size, ahi, blo + j + size, bhi))
    blocks.sort()
    merged: list[Block] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    merged.append((len(a), len(b), 0))
    return merged


class _LineMatcher:
    """A drop-in for difflib.SequenceMatcher that merge3 uses, built on _matching_blocks."""

    def __init__(
        self,
        isjunk: Any = None,
        a: Sequence[str] = (),
        b: Sequence[str] = (),
        autojunk: bool = False,
    ) -> None:
        self._a = a
        self._b = b

    def get_matching_blocks(self) -> list[Block]:
        return _matching_blocks(self._a, self._b)


def _opcodes(blocks: list[Block]) -> Iterator[Opcode]:
    """SequenceMatcher-style opcodes from matching blocks."""
    i = j = 0
    for ai, bj, size in blocks:
        if i < ai and j < bj:
            yield ("replace", i, ai, j, bj)
        elif i < ai:
            yield ("delete", i, ai, j, bj)
        elif j < bj:
            yield ("insert", i, ai, j, bj)
        if size:
            yield ("equal", ai, ai + size, bj, bj + size)
        i, j = ai + size, bj + size


# --------------------------------------------------------------------------------------------
# Three-way merge and undo
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    """The merged text; when ``conflicted`` it holds git-style conflict markers to resolve."""

    text: str
    conflicted: bool


def _merge_lines(text: str) -> tuple[list[str], bool]:
    """Lines that all end in '\\n', plus whether the text itself ended in one.

    Giving the last line a newline for the merge means appending after an unterminated last
    line, or editing it, does not clash with the other side merely because of the missing
    '\\n'; the trailing newline is then merged on its own (see _merge).
    """
    if not text:
        return [], True
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last + "\n")
        return out, False
    return out, True


def _marker(sign: str, label: str) -> str:
    label = " ".join(label.split())  # a label must not break the marker line
    return f"{sign * 7} {label}\n" if label else f"{sign * 7}\n"


def _merge(ancestor: str, ours: str, other: str, ours_label: str, other_label: str) -> MergeResult:
    """Three-way merge of ``ours`` and ``other``, both descended from ``ancestor``."""
    base_lines, base_nl = _merge_lines(normalize_newlines(ancestor))
    our_lines, our_nl = _merge_lines(normalize_newlines(ours))
    other_lines, other_nl = _merge_lines(normalize_newlines(other))

    merger = merge3.Merge3(
        base_lines,
        our_lines,
        other_lines,
        sequence_matcher=_LineMatcher,
    )
    out: list[str] = []
    conflicted = False
    for group in merger.merge_groups():
        if group[0] != "conflict":
            out.extend(group[1])
            continue
        conflicted = True
        a, b = list(group[2]), list(group[3])
        # Like git's "zealous" merge: lines both sides agree on at the edges of the clash stay
        # outside the markers, so the person resolving it sees only what really differs.
        head = 0
        while head < len(a) and head < len(b) and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        out.extend(a[:head])
        out.append(_marker("<", ours_label))
        out.extend(a[head : len(a) - tail])
        out.append("=======\n")
        out.extend(b[head : len(b) - tail])
        out.append(_marker(">", other_label))
        out.extend(a[len(a) - tail :])

    # The trailing newline merges like a one-bit line: whichever side changed it wins (two
    # sides can only change a bit to the same value, so this never conflicts).
    final_nl = other_nl if our_nl == base_nl else our_nl
    text = "".join(out)
    if not final_nl and text.endswith("\n"):
        text = text[:-1]
    return MergeResult(text=text, conflicted=conflicted)


def merge_three(
    base: str,
    current: str,
    theirs: str,
    *,
    current_label: str = "current",
    theirs_label: str = "yours",
) -> MergeResult:
    """Merge an edit made from an old revision into the page as it is now.

    ``base`` is the revision the person started editing from, ``current`` the page now (with
    other people's saves since), ``theirs`` what this person submitted. Changes to different
    lines merge; overlapping or adjacent-but-different changes conflict, and the text then
    carries ``<<<<<<< current`` / ``=======`` / ``>>>>>>> yours`` markers around both
    versions. The same change made on both sides is not a conflict.
    """
    return _merge(base, current, theirs, current_label, theirs_label)


def undo(
    *,
    base: str,
    undone: str,
    current: str,
    current_label: str = "current",
    undo_label: str = "undo",
) -> MergeResult:
    """Take back the change that turned ``base`` into ``undone``, keeping later edits.

    This is a reverse patch: a three-way merge whose common ancestor is ``undone``, with
    ``current`` on one side and ``base`` on the other. If later edits touched the same (or
    adjacent) lines, the result is conflicted.
    """
    return _merge(undone, current, base, current_label, undo_label)


# --------------------------------------------------------------------------------------------
# Diffs for display
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A piece of a line; ``changed`` marks the words that differ inside a "changed" line.

    Whole added, removed and context lines carry one segment with ``changed=False``: the
    line's kind already says what happened to it.
    """

    text: str
    changed: bool


@dataclass(frozen=True)
class DiffLine:
    """One displayed line of a hunk.

    ``kind`` is "context", "added", "removed" or "changed" (a removed line paired with the
    similar added line that replaced it). ``old``/``new`` hold the line's segments on each
    side (an empty line is ``[Segment("", False)]``) and are ``[]`` where the line is absent;
    line numbers are 1-based and ``None`` where absent.
    """

    kind: str
    old_number: int | None
    new_number: int | None
    old: list[Segment]
    new: list[Segment]


@dataclass(frozen=True)
class Hunk:
    """A run of changes with context, as in a unified diff.

    ``old_start``/``new_start`` follow the unified-diff convention: the 1-based number of the
    hunk's first line on that side, or, when the hunk has no lines on that side, the number
    of the line after which they would go (0 at the very start).
    """

    old_start: int
    new_start: int
    lines: list[DiffLine]


def _display_lines(text: str) -> list[str]:
    """Lines without their '\\n'; a final newline does not make an extra empty line."""
    text = normalize_newlines(text)
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _whole(line: str) -> list[Segment]:
    return [Segment(line, False)]


def _segments(tokens: list[str], flags: list[bool]) -> list[Segment]:
    """Join tokens into segments, merging neighbours with the same changed flag."""
    out: list[Segment] = []
    text: list[str] = []
    flag = False
    for tok, changed in zip(tokens, flags, strict=True):
        if text and changed != flag:
            out.append(Segment("".join(text), flag))
            text = []
        flag = changed
        text.append(tok)
    if text:
        out.append(Segment("".join(text), flag))
    return out


class _Pairing(_Budget):
    """Token cache and work budget for pairing the lines of one diff."""

    def __init__(self) -> None:
        super().__init__(PAIR_BUDGET)
        self._tokens: dict[str, tuple[list[str], list[int], Counter[str]]] = {}

    def tokens(self, line: str) -> tuple[list[str], list[int], Counter[str]]:
        """The line's tokens, the positions of those that are not whitespace, their counts."""
        found = self._tokens.get(line)
        if found is None:
            tokens = _TOKEN.findall(line)
            words = [k for k, tok in enumerate(tokens) if not tok.isspace()]
            found = self._tokens[line] = (tokens, words, Counter(tokens))
        return found


def _flags(
    a: list[str], a_words: list[int], b: list[str], b_words: list[int], blocks: list[Block]
) -> tuple[list[bool], list[bool]]:
    """Changed flags per token from the matched runs of words.

    Whitespace counts as unchanged between two matched words when the other side has the
    same whitespace there, and at the edge of a matched run when the other side's run has
    the same whitespace at that edge; elsewhere it was inserted, removed or altered.
    """
    a_flags = [True] * len(a)
    b_flags = [True] * len(b)
    for i, j, size in blocks:
        if not size:
            continue
        a1, a2 = a_words[i], a_words[i + size - 1] + 1
        b1, b2 = b_words[j], b_words[j + size - 1] + 1
        if a[a1:a2] == b[b1:b2]:
            a_flags[a1:a2] = [False] * (a2 - a1)
            b_flags[b1:b2] = [False] * (b2 - b1)
        else:
            for d in range(size):
                ka, kb = a_words[i + d], b_words[j + d]
                a_flags[ka] = b_flags[kb] = False
                # Between two words of a run there is at most one (whitespace) token.
                if (
                    d + 1 < size
                    and a_words[i + d + 1] == ka + 2
                    and b_words[j + d + 1] == kb + 2
                    and a[ka + 1] == b[kb + 1]
                ):
                    a_flags[ka + 1] = b_flags[kb + 1] = False
        if a1 > 0 and b1 > 0 and a[a1 - 1] == b[b1 - 1] and a[a1 - 1].isspace():
            a_flags[a1 - 1] = b_flags[b1 - 1] = False
        if a2 < len(a) and b2 < len(b) and a[a2] == b[b2] and a[a2].isspace():
            a_flags[a2] = b_flags[b2] = False
    return a_flags, b_flags


def _word_diff(old: str, new: str, pairing: _Pairing) -> tuple[list[Segment], list[Segment]] | None:
    """Word-level segments of two lines, or None when they are too different to pair.

    Similarity is SequenceMatcher's ratio over word/space/punctuation tokens, weighted by
    their length in characters so a shared space or comma counts for little. Words and
    punctuation are matched with whitespace left out (a space is everywhere, and difflib's
    matcher is quadratic in how often an item repeats), then whitespace is judged by the
    words around it. Cheap upper bounds skip the matching for hopeless pairs, and a pair
    whose matching would overrun the diff's work budget is not paired.
    """
    if old == new:
        return _whole(old), _whole(new)
    total = len(old) + len(new)
    if 2 * min(len(old), len(new)) < PAIR_RATIO * total or pairing.remaining <= 0:
        return None
    a, a_words, a_counts = pairing.tokens(old)
    b, b_words, b_counts = pairing.tokens(new)
    try:
        pairing.spend(len(a) + len(b))
        # Upper bound on the ratio: what the two lines have in common, ignoring order.
        common = a_counts & b_counts
        if 2 * sum(len(tok) * count for tok, count in common.items()) < PAIR_RATIO * total:
            return None
        blocks = _matching_blocks([a[k] for k in a_words], [b[k] for k in b_words], pairing)
    except _OverBudget:
        return None
    a_flags, b_flags = _flags(a, a_words, b, b_words, blocks)
    old_segments = _segments(a, a_flags)
    kept = sum(len(seg.text) for seg in old_segments if not seg.changed)
    if 2 * kept < PAIR_RATIO * total:
        return None
    return old_segments, _segments(b, b_flags)


def _changed_block(
    a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int, pairing: _Pairing
) -> list[DiffLine]:
    """Lines for a replaced block: similar old/new lines paired in order, the rest plain."""
    out: list[DiffLine] = []

    def removed(i: int) -> None:
        out.append(DiffLine("removed", i + 1, None, _whole(a[i]), []))

    def added(j: int) -> None:
        out.append(DiffLine("added", None, j + 1, [], _whole(b[j])))

    if i2 - i1 > MAX_PAIR_BLOCK or j2 - j1 > MAX_PAIR_BLOCK:
        for i in range(i1, i2):
            removed(i)
        for j in range(j1, j2):
            added(j)
        return out

    pending: list[int] = []  # unpaired old lines, shown before the next pair
    ptr = j1
    for i in range(i1, i2):
        for j in range(ptr, min(j2, ptr + PAIR_WINDOW)):
            words = _word_diff(a[i], b[j], pairing)
            if words is not None:
                for k in pending:
                    removed(k)
                pending = []
                for k in range(ptr, j):
                    added(k)
                out.append(DiffLine("changed", i + 1, j + 1, words[0], words[1]))
                ptr = j + 1
                break
        else:
            pending.append(i)
    for k in pending:
        removed(k)
    for k in range(ptr, j2):
        added(k)
    return out


def diff_lines(old: str, new: str, *, context: int = 3) -> list[Hunk]:
    """Hunks of line changes between two texts, with word-level highlights in changed lines.

    Only a change of the final newline gives no hunk (it is invisible on a rendered page).
    Identical texts give ``[]``. Changes closer than ``2 * context`` unchanged lines share a
    hunk.
    """
    a = _display_lines(old)
    b = _display_lines(new)
    context = max(context, 0)
    changes = [code for code in _opcodes(_matching_blocks(a, b)) if code[0] != "equal"]
    if not changes:
        return []

    groups: list[list[Opcode]] = [[changes[0]]]
    for code in changes[1:]:
        if code[1] - groups[-1][-1][2] > 2 * context:
            groups.append([code])
        else:
            groups[-1].append(code)

    pairing = _Pairing()
    hunks: list[Hunk] = []
    for group in groups:
        lines: list[DiffLine] = []

        def equal(i1: int, i2: int, j1: int, lines: list[DiffLine] = lines) -> None:
            for k in range(i2 - i1):
                line = a[i1 + k]
                lines.append(
                    DiffLine("context", i1 + k + 1, j1 + k + 1, _whole(line), _whole(line))
                )

        _tag, first_i, _i2, first_j, _j2 = group[0]
        lead = min(context, first_i)
        start_i, start_j = first_i - lead, first_j - lead
        equal(start_i, first_i, start_j)
        prev_i, prev_j = first_i, first_j
        for tag, i1, i2, j1, j2 in group:
            equal(prev_i, i1, prev_j)
            if tag == "delete":
                lines.extend(
                    DiffLine("removed", i + 1, None, _whole(a[i]), []) for i in range(i1, i2)
                )
            elif tag == "insert":
                lines.extend(
                    DiffLine("added", None, j + 1, [], _whole(b[j])) for j in range(j1, j2)
                )
            else:
                lines.extend(_changed_block(a, b, i1, i2, j1, j2, pairing))
            prev_i, prev_j = i2, j2
        trail = min(context, len(a) - prev_i)
        equal(prev_i, prev_i + trail, prev_j)

        has_old = any(line.old_number is not None for line in lines)
        has_new = any(line.new_number is not None for line in lines)
        hunks.append(
            Hunk(
                old_start=start_i + 1 if has_old else start_i,
                new_start=start_j + 1 if has_new else start_j,
                lines=lines,
            )
        )
    return hunks


def inline_diff(old: str, new: str, *, context: int = 3) -> list[Hunk]:
    """The diff the page history shows inline; the same hunks as :func:`diff_lines`."""
    return diff_lines(old, new, context=context)


def diff_stats(old: str, new: str) -> tuple[int, int]:
    """(lines added, lines removed), counting a changed line as one of each, like git."""
    a = _display_lines(old)
    b = _display_lines(new)
    matched = sum(size for _i, _j, size in _matching_blocks(a, b))
    return len(b) - matched, len(a) - matched
