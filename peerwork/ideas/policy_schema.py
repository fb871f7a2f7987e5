"""The `ideas` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class IdeasPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
