"""Every model of the machine help and the abuse defences works with the network blocked.

The whole suite already runs with only loopback allowed (`--allow-hosts` in pyproject.toml);
here every socket is refused, even to 127.0.0.1, while each model does its work from nothing:
nothing is downloaded, and no code path so much as opens a connection (issue 17).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from pytest_socket import SocketBlockedError, disable_socket, enable_socket

from peerwork.assist import text
from peerwork.bridging import factorize
from peerwork.discussions.summary import textrank
from peerwork.governance.opinion import compute
from peerwork.moderation import classifier
from peerwork.risk import features, scoring, synthetic
from tests.governance.opinion_synthetic import planted


@pytest.fixture
def no_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


def test_no_socket_opens_not_even_to_loopback(no_network: None) -> None:
    with pytest.raises(SocketBlockedError):
        socket.create_connection(("127.0.0.1", 5432), timeout=1)


def test_embeddings_load_and_run(no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "_wordllama", None)
    monkeypatch.setattr(text, "_wordllama_failed", False)
    vectors = text.embed(["Fix the water point", "Arreglar el punto de agua"])
    assert vectors.shape == (2, 256) and text.embedder_name() == "wordllama"


def test_an_opinion_map_is_computed(no_network: None) -> None:
    document = compute(planted(2).votes, seed=0)
    assert document["k"] == 2


def test_support_across_viewpoints_is_fitted(no_network: None) -> None:
    ratings = [(f"a{n}", "bridge", 1.0) for n in range(5)] + [
        (f"b{n}", "bridge", 1.0) for n in range(5)
    ]
    ratings += [(f"a{n}", f"ours{m}", 1.0) for n in range(5) for m in range(3)]
    ratings += [(f"b{n}", f"ours{m}", 0.0) for n in range(5) for m in range(3)]
    result = factorize(ratings, seed=0)
    assert result.item_intercepts["bridge"] > result.item_intercepts["ours0"]


def test_the_default_risk_model_trains_and_scores(
    no_network: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "_default", None)  # trained here, from nothing
    scorer = scoring.default_scorer()
    risky = [edit for edit, label in synthetic.history(200, seed=3) if label][0]
    score, reasons = scorer.explain(features.vector(risky))
    assert 0 <= score <= 1 and len(reasons) == 3


def test_a_thread_is_summarised(no_network: None) -> None:
    ranks = textrank(["The park needs shade.", "Trees give the park shade.", "Cats sleep."])
    assert len(ranks) == 3 and ranks[2] < max(ranks)


def test_the_spam_classifier_learns_and_scores(no_network: None) -> None:
    samples = [(f"cheap pills casino bonus {n}", 1) for n in range(10)] + [
        (f"the library opens on sunday {n}", 0) for n in range(10)
    ]
    weights = classifier._fit(samples)
    assert weights is not None
    assert classifier.score(weights, "casino pills")[0] > 0.5
    assert classifier.score(weights, "the library on sunday")[0] < 0.5
