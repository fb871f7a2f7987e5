"""Permission rules of ideas, registered with the one policy in peerwork.core.policy."""

from __future__ import annotations
