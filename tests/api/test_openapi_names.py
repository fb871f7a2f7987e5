"""Each schema name in the OpenAPI document stands for one shape.

django-ninja files schemas under their class name; two classes of one name silently overwrite
each other, and clients then validate answers against the wrong shape."""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import OpenAPISchema

from peerwork.core.api import api


def test_no_two_schemas_share_a_name(monkeypatch: Any) -> None:
    clashes: dict[str, int] = {}
    original = OpenAPISchema.add_schema_definitions

    def add(self: OpenAPISchema, definitions: dict) -> None:
        for name, shape in definitions.items():
            if name in self.schemas and self.schemas[name] != shape:
                clashes[name] = clashes.get(name, 1) + 1
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add)
    api.get_openapi_schema()
    assert clashes == {}, f"schema names used by classes of different shapes: {sorted(clashes)}"
