"""On PostgreSQL a row lock taken through select_related must lock only its own table.

`SELECT ... FOR UPDATE` over a join locks the joined rows too: an idea locked with its space
locked the space row, and a comment committing in the same space (whose deferred foreign key
check takes KEY SHARE on that row while it holds the space's activity chain) deadlocked with
it. bench/kill9.py found this as a 500 under concurrent writes.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peerwork.ideas import actions as ideas

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks (one writer at a time)"
)


def test_supporting_an_idea_locks_the_idea_row_and_not_its_space(make_user, make_space):
    steward, supporter = make_user("ada"), make_user("grace")
    space = make_space(steward, "notes")
    idea = ideas.idea_create(user=steward, space=space, title="Benches", description="More.")
    idea = ideas.idea_publish(user=steward, idea=idea)
    with CaptureQueriesContext(connection) as queries:
        ideas.idea_support(user=supporter, idea=idea)
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert any('FROM "ideas_idea"' in sql for sql in locking)
    assert all("FOR UPDATE OF" in sql for sql in locking if "JOIN" in sql)
