"""PageRank with a seed on small graphs, against values worked out by hand, and the exact
decomposition of every person's score into the parts its explanation names."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peerwork.credit.rank import Graph, pagerank


def test_one_contribution_and_its_author() -> None:
    """c (seed 1) -> a, alpha 1/2; a has no way out, so it jumps back to the seed:
    c = 1/2 + 1/2 a and a = 1/2 c, so c = 2/3 and a = 1/3."""
    graph = Graph()
    c = graph.node("revision:1", "revision", seed=1.0)
    a = graph.node("user:7", "user", user=7)
    graph.edge(c, a, 1.0, "authored")
    ranking = pagerank(graph, alpha=0.5)
    assert ranking.scores[c] == pytest.approx(2 / 3, abs=1e-13)
    assert ranking.scores[a] == pytest.approx(1 / 3, abs=1e-13)
    assert ranking.person_scores() == {7: pytest.approx(1 / 3, abs=1e-13)}


def test_two_contributions_two_people_with_a_way_back() -> None:
    """Seeds c1: 3/4, c2: 1/4; c1 -> a; c2 -> a and b (1/2 each); a -> c1; b dangles;
    alpha 1/5. The stationary equations
        c1 = 3/20 + 4/5 (a + 3/4 b)      c2 = 1/20 + 4/5 (1/4 b)
        a = 4/5 (c1 + c2/2)              b = 4/5 (c2/2)
    solve to c1 = 415/828, c2 = 5/92, a = 175/414, b = 1/46."""
    graph = Graph()
    c1 = graph.node("idea:1", "idea", seed=3.0)
    c2 = graph.node("idea:2", "idea", seed=1.0)
    a = graph.node("user:1", "user", user=1)
    b = graph.node("user:2", "user", user=2)
    graph.edge(c1, a, 5.0, "authored")
    graph.edge(c2, a, 2.0, "authored")
    graph.edge(c2, b, 2.0, "authored")
    graph.edge(a, c1, 1.0, "authored_back")
    ranking = pagerank(graph, alpha=0.2)
    expected = [Fraction(415, 828), Fraction(5, 92), Fraction(175, 414), Fraction(1, 46)]
    for node, value in zip((c1, c2, a, b), expected, strict=True):
        assert ranking.scores[node] == pytest.approx(float(value), abs=1e-13)
    # a's score comes 4/5 * c1 from idea 1 and 4/5 * c2 / 2 from idea 2.
    parts = dict(ranking.explain(1))
    assert parts[c1] == pytest.approx(0.8 * 415 / 828, abs=1e-13)
    assert parts[c2] == pytest.approx(0.8 * 5 / 92 / 2, abs=1e-13)
    assert list(parts) == [c1, c2]  # largest first


def test_no_seed_ranks_nothing() -> None:
    graph = Graph()
    graph.node("user:1", "user", user=1)
    assert pagerank(graph, alpha=0.15).person_scores() == {1: 0.0}
    with pytest.raises(ValueError, match="alpha"):
        pagerank(graph, alpha=1.0)


def test_the_same_graph_gives_the_same_numbers() -> None:
    def build() -> Graph:
        graph = Graph()
        for i in range(30):
            c = graph.node(f"comment:{i}", "comment", seed=1 + i % 4)
            graph.edge(c, graph.node(f"user:{i % 5}", "user", user=i % 5), 1 + i % 3, "authored")
            graph.edge(c, graph.node(f"comment:{(i * 7) % 30}", "comment"), 1, "replies_to")
        return graph

    first, second = pagerank(build(), alpha=0.15), pagerank(build(), alpha=0.15)
    assert first.person_scores() == second.person_scores()


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    graph = Graph()
    people = draw(st.integers(1, 6))
    things = draw(st.integers(1, 12))
    for person in range(people):
        graph.node(f"user:{person}", "user", user=person)
    for thing in range(things):
        graph.node(f"task:{thing}", "task", seed=draw(st.floats(0.0, 50.0)))
    size = people + things
    for _edge in range(draw(st.integers(0, 40))):
        graph.edge(
            draw(st.integers(0, size - 1)),
            draw(st.integers(0, size - 1)),
            draw(st.floats(0.01, 20.0)),
            "built_on",
        )
    return graph


@settings(max_examples=60, deadline=None)
@given(graph=graphs(), alpha=st.floats(0.05, 0.9))
def test_the_parts_sum_to_the_score_exactly(graph: Graph, alpha: float) -> None:
    """A person's score is the fsum of its parts, and that is the walk's stationary value."""
    ranking = pagerank(graph, alpha=alpha)
    scores = ranking.person_scores()
    for user, score in scores.items():
        parts = ranking.explain(user)
        assert math.fsum(value for _node, value in parts) == score
        assert score == pytest.approx(ranking.scores[graph.index[f"user:{user}"]], abs=1e-12)
