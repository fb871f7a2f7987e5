"""The space policy holds only keys that code reads, and docs/space-policy.md lists them all."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from pydantic import BaseModel

from peerwork.core.errors import Invalid
from peerwork.spaces import space_policy
from peerwork.spaces.models import Space
from peerwork.spaces.space_policy import policy_defaults, policy_validate, register_section

DOCS = Path(__file__).resolve().parents[2] / "docs" / "space-policy.md"
UNREAD = [
    "claim_days",
    "voting_method",
    "voting_days",
    "quorum_percent",
    "privileges.patrol",
    "privileges.autopatrol",
    "privileges.rollback",
]
MIGRATION = "0002_policy_drop_unread_keys"


def _nest(dotted: str, value: Any) -> dict[str, Any]:
    head, _, rest = dotted.partition(".")
    return {head: _nest(rest, value) if rest else value}


def _leaves(document: dict[str, Any], prefix: str = "") -> set[str]:
    keys = set()
    for key, value in document.items():
        if isinstance(value, dict) and value:  # an empty mapping ({currency: limit}) is a key
            keys |= _leaves(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def test_defaults_hold_the_space_keys_and_each_registered_section() -> None:
    defaults = policy_defaults()
    assert list(defaults) == [
        "capitalize_titles",
        "privileges",
        "wiki",
        "ideas",
        "challenges",
        "ledger",
        "tasks",
        "governance",
        "credit",
        "reputation",
        "limits",
        "risk",
        "bridging",
    ]
    assert defaults["privileges"] == {"autoconfirmed_days": 4, "autoconfirmed_edits": 10}
    assert defaults["challenges"]["daily_submissions"] == 5
    assert defaults["ideas"]["revenue_share_basis_points"] == 100
    assert defaults["ledger"] == {"visibility": "public", "approval_above": {}}


def test_the_documentation_lists_exactly_the_schema_keys() -> None:
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", DOCS.read_text(), flags=re.M))
    assert documented == _leaves(policy_defaults())


@pytest.mark.parametrize("key", UNREAD)
def test_a_key_nothing_reads_is_refused_naming_it(key: str) -> None:
    with pytest.raises(Invalid) as refused:
        policy_validate(_nest(key, 1))
    assert refused.value.extra["key"] == key
    assert "Unknown policy key" in refused.value.detail


def test_a_section_registers_once() -> None:
    class Other(BaseModel):
        pass

    with pytest.raises(RuntimeError):
        register_section("ideas", Other)
    with pytest.raises(RuntimeError):
        register_section("privileges", Other)
    assert "ideas" in space_policy._SECTIONS


@pytest.mark.django_db
def test_the_migration_drops_the_unread_keys_and_keeps_the_rest(
    make_user: Any, make_space: Any
) -> None:
    ada = make_user("ada")
    old = make_space(ada, "old")
    plain = make_space(ada, "plain")
    stored = {
        **policy_defaults(),
        "capitalize_titles": False,
        "claim_days": 3,
        "voting_method": "ranked",
        "voting_days": 9,
        "quorum_percent": 20,
        "privileges": {"autoconfirmed_days": 7, "patrol": 1, "autopatrol": 2, "rollback": 3},
    }
    Space.objects.filter(pk=old.pk).update(policy=stored)
    Space.objects.filter(pk=plain.pk).update(policy={})

    migration = importlib.import_module(f"peerwork.spaces.migrations.{MIGRATION}")
    migration.drop_unread_keys(django_apps, None)

    old.refresh_from_db()
    assert old.policy == {
        **policy_defaults(),
        "capitalize_titles": False,
        "privileges": {"autoconfirmed_days": 7},
    }
    assert policy_validate(old.policy)["privileges"]["autoconfirmed_edits"] == 10
    plain.refresh_from_db()
    assert plain.policy == {}


@pytest.mark.django_db
def test_the_migration_ran_on_the_test_database() -> None:
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("spaces", MIGRATION) in applied
