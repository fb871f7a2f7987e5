"""The method on its own: the hand-annotated history, the cases it stands for, and properties
that hold for every history of a kind, not only for one example."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.authorship.method import (
    Attribution,
    PageHistory,
    expand,
    run_length,
    token_spans,
    tokenize,
)

from .history import EXPECTED, FINAL_SHARES, HISTORY


def walk(history: list[tuple[str, str]]) -> dict[int, Attribution]:
    state = PageHistory()
    return {
        number: state.add(number, text, editor)
        for number, (editor, text) in enumerate(history, start=1)
    }


def authors(attribution: Attribution, history: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (token, history[origin - 1][0])
        for token, origin in zip(attribution.tokens, attribution.origins, strict=True)
    ]


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_annotated_token_has_its_first_author(number: int) -> None:
    result = walk(HISTORY)
    assert authors(result[number], HISTORY) == EXPECTED[number]


def test_the_history_is_at_least_twenty_revisions_and_the_last_is_annotated() -> None:
    assert len(HISTORY) >= 20
    assert len(HISTORY) in EXPECTED


def test_shares_of_the_last_revision() -> None:
    final = authors(walk(HISTORY)[len(HISTORY)], HISTORY)
    counts: dict[str, int] = {}
    for _token, editor in final:
        counts[editor] = counts.get(editor, 0) + 1
    assert counts == FINAL_SHARES


def test_origins_name_the_revision_not_only_the_person() -> None:
    """bob wrote "wasps build ... nests" in revision 2 and "wooden" in revision 22."""
    final = walk(HISTORY)[22]
    origin_of = dict(zip(final.tokens, final.origins, strict=False))
    assert origin_of["wooden"] == 22
    assert origin_of["wasps"] == 2
    assert origin_of["grey"] == 8
    assert origin_of["many"] == 17
    assert origin_of["strong"] == 4  # deleted in 7, back in 13: still revision 4's


def test_the_same_history_gives_the_same_attribution_every_time() -> None:
    first, second = walk(HISTORY), walk(HISTORY)
    assert first == second


def test_a_big_page_cut_to_a_stub_and_restored_keeps_its_authors() -> None:
    """The package takes a cut of a long page to a stub for vandalism and skips it; the
    skipped revision is still attributed (what survived keeps its author)."""
    long_text = "\n\n".join(
        f"Paragraph {n} tells the story of the river number {n}. It flows to the sea."
        for n in range(20)
    )
    assert len(long_text) > 1000
    stub = "Paragraph 0 tells the story of the river number 0. Lol."
    history = [("ann", long_text), ("eve", stub), ("bob", long_text)]
    result = walk(history)
    cut = authors(result[2], history)
    # Only "lol" is new; every other token, the full stops too, was there before the cut.
    assert [token for token, editor in cut if editor == "eve"] == ["lol"]
    assert len(cut) == 13
    assert set(editor for _token, editor in authors(result[3], history)) == {"ann"}


def test_a_flood_of_one_word_is_attributed_to_the_flooder_and_reverted_cleanly() -> None:
    history = [
        ("ann", "Rivers flow to the sea. Lakes stay."),
        ("eve", "spam " * 200),
        ("bob", "Rivers flow to the sea. Lakes stay."),
    ]
    result = walk(history)
    assert set(authors(result[2], history)) == {("spam", "eve")}
    assert len(result[2].tokens) == 200
    assert set(editor for _token, editor in authors(result[3], history)) == {"ann"}


def test_revisions_must_come_in_order() -> None:
    state = PageHistory()
    state.add(5, "One.", "ann")
    with pytest.raises(ValueError, match="in order"):
        state.add(5, "Two.", "bob")


# ---- wikitext, as the method's authors test it: a token in its context, and its origin ----

WIKITEXT = [
    ("ann", "'''Rivers''' flow.<ref>Smith 2001</ref>\n\n== Course ==\n[[Sea|The sea]] waits."),
    (
        "bob",
        "'''Rivers''' flow.<ref>Smith 2001</ref> {{citation needed}}\n\n"
        "== Course ==\n[[Sea|The sea]] waits.",
    ),
    (
        "cy",
        "'''Rivers''' flow.<ref>Smith 2001</ref> {{citation needed}}\n\n"
        "== Course ==\n[[Sea|The deep sea]] waits. <!-- check -->",
    ),
]


@pytest.mark.parametrize(
    ("token", "before", "editor"),
    [
        ("[[", None, "ann"),  # a link's brackets are one token
        ("|", "sea", "ann"),
        ("deep", "the", "cy"),
        ("{{", None, "bob"),  # a template's braces too
        ("citation", "{{", "bob"),
        ("<!--", None, "cy"),  # and a comment's opening
        ("smith", ">", "ann"),  # a reference's text, after its tag
        ("waits", "]]", "ann"),
    ],
)
def test_wikitext_tokens_in_context(token: str, before: str | None, editor: str) -> None:
    final = walk(WIKITEXT)[3]
    pairs = authors(final, WIKITEXT)
    positions = [
        i
        for i, (value, _e) in enumerate(pairs)
        if value == token and (before is None or (i > 0 and pairs[i - 1][0].endswith(before)))
    ]
    assert positions, f"{token!r} after {before!r} is not a token of {final.tokens}"
    assert pairs[positions[0]][1] == editor


# ---- properties of every history of a kind ----

WORDS = st.sampled_from(
    "river lake sea hill stone tree bird wind rain snow road town field cloud".split()
)
SENTENCE = st.lists(WORDS, min_size=2, max_size=6).map(lambda words: " ".join(words) + ".")


@st.composite
def unique_paragraphs(draw: st.DrawFn) -> list[str]:
    """Paragraphs that never repeat one another (each carries its own number)."""
    count = draw(st.integers(1, 4))
    return [
        f"Part{n} " + " ".join(draw(st.lists(SENTENCE, min_size=1, max_size=3)))
        for n in range(count)
    ]


EDITS = st.lists(
    st.tuples(st.sampled_from(["add", "drop", "change", "move", "undo"]), st.integers(0, 99)),
    min_size=1,
    max_size=12,
)


def _edit(paragraphs: list[str], kind: str, seed: int, number: int) -> list[str]:
    result = list(paragraphs)
    at = seed % len(result) if result else 0
    if kind == "add" or not result:
        result.insert(at, f"Part{100 + number} new words here.")
    elif kind == "drop" and len(result) > 1:
        del result[at]
    elif kind == "change":
        words = result[at].split(" ")
        spot = 1 + seed % max(1, len(words) - 1)
        words.insert(spot, f"fresh{number}")
        result[at] = " ".join(words)
    elif kind == "move" and len(result) > 1:
        result.append(result.pop(at))
    return result


@settings(max_examples=40, deadline=None)
@given(start=unique_paragraphs(), edits=EDITS)
def test_undoing_the_last_edit_gives_back_the_authors_before_it(
    start: list[str], edits: list[tuple[str, int]]
) -> None:
    """Whatever the edits, a revision that restores the text two revisions back is attributed
    exactly as that revision was (the vandalism-and-revert case, for every history)."""
    texts = [start]
    for number, (kind, seed) in enumerate(edits, start=2):
        texts.append(
            texts[-2] if kind == "undo" and len(texts) > 1 else _edit(texts[-1], kind, seed, number)
        )
    history = [(f"editor{n}", "\n\n".join(t)) for n, t in enumerate(texts, start=1)]
    history.append(("reverter", history[-2][1]))
    result = walk(history)
    assert result[len(history)].origins == result[len(history) - 2].origins


@settings(max_examples=40, deadline=None)
@given(start=unique_paragraphs(), edits=EDITS)
def test_every_token_comes_from_a_revision_that_had_it(
    start: list[str], edits: list[tuple[str, int]]
) -> None:
    texts = [start]
    for number, (kind, seed) in enumerate(edits, start=2):
        texts.append(_edit(texts[-1], kind, seed, number))
    history = [(f"editor{n}", "\n\n".join(t)) for n, t in enumerate(texts, start=1)]
    result = walk(history)
    for number, attribution in result.items():
        assert attribution.tokens == tokenize(history[number - 1][1])
        for token, origin in zip(attribution.tokens, attribution.origins, strict=True):
            assert 1 <= origin <= number
            assert token in tokenize(history[origin - 1][1])


@settings(max_examples=40, deadline=None)
@given(sentence=st.lists(WORDS, min_size=3, max_size=8), spot=st.integers(0, 99))
def test_a_word_changed_inside_a_sentence_is_the_only_new_token(
    sentence: list[str], spot: int
) -> None:
    changed = list(sentence)
    at = spot % len(changed)
    changed[at] = "replaced"
    history = [
        ("ann", "Intro stays here.\n\n" + " ".join(sentence) + "."),
        ("bob", "Intro stays here.\n\n" + " ".join(changed) + "."),
    ]
    final = walk(history)[2]
    new = [token for token, origin in zip(final.tokens, final.origins, strict=True) if origin == 2]
    assert new == ["replaced"]


def test_run_length_round_trip() -> None:
    origins = [3, 3, 3, 7, 3, 3, 9]
    assert run_length(origins) == [[3, 3], [7, 1], [3, 2], [9, 1]]
    assert expand(run_length(origins)) == origins
    assert run_length([]) == []


def test_token_spans_find_each_token_in_the_text_keeping_its_case() -> None:
    text = "Bees  LIVE\nin [[Hives]]."
    shown, spans = token_spans(text, tokenize(text))
    assert shown == text
    assert [shown[a:b] for a, b in spans] == ["Bees", "LIVE", "in", "[[", "Hives", "]]", "."]
