"""Nothing the assist service does opens a connection: not loading wordllama (its own
`WordLlama.load()` would ask Hugging Face), not embedding, not searching."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from pytest_socket import SocketBlockedError, disable_socket, enable_socket

from peerwork.assist import service, text

from .conftest import idea, task


@pytest.fixture
def no_network() -> Any:
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


def test_sockets_are_really_blocked(no_network: Any) -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def test_wordllama_loads_and_embeds_offline(no_network: Any, monkeypatch: Any) -> None:
    # A fresh load, in this test, with the network blocked.
    monkeypatch.setattr(text, "_wordllama", None)
    monkeypatch.setattr(text, "_wordllama_failed", False)
    assert text.embedder_name() == "wordllama"
    vectors = text.embed(["water point", "punto de agua"])
    assert vectors.shape == (2, 256)
    assert vectors.dtype.name == "float32"
    assert abs(float((vectors[0] ** 2).sum()) - 1) < 1e-4


@pytest.mark.django_db
def test_index_and_search_offline(world: Any, jobs_now: Any, no_network: Any) -> None:
    with jobs_now():
        task(world, "Repair the broken water point in the park")
        idea(world, "Plantar árboles en la plaza")
    assert service.similar(user=world.member, space=world.space, query="water point")
    assert service.similar(user=world.member, space=world.space, query="arboles plaza")
