"""Permission rules of challenges, registered with the one policy in peerwork.core.policy."""

from __future__ import annotations
