"""Plain SQL for the few reads every signed-in page makes (the header's badges).

Django's ORM spends most of a small query's time compiling it: on this hardware about ten
times what SQLite or PostgreSQL need to answer "has this person anything unread?". Those
reads run on every page a signed-in person opens, so they are written here once as plain SQL
over equality and IS NULL conditions. Table and column names come from the models' metadata,
quoted by the connection; values are always parameters.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from django.db import connection, models


def _column(model: type[models.Model], name: str) -> str:
    column = model._meta.get_field(name).column  # type: ignore[union-attr]
    assert isinstance(column, str), f"{model.__name__}.{name} has no column"
    return connection.ops.quote_name(column)


@functools.lru_cache(maxsize=64)
def _where(model: type[models.Model], names: tuple[str, ...], nulls: tuple[bool, ...]) -> str:
    conditions = [
        f"{_column(model, name)} IS NULL" if is_null else f"{_column(model, name)} = %s"
        for name, is_null in zip(names, nulls, strict=True)
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    return f"FROM {table} WHERE {' AND '.join(conditions)}"


def _part(model: type[models.Model], where: Mapping[str, Any]) -> tuple[str, list[Any]]:
    names = tuple(where)
    values = [where[name] for name in names]
    nulls = tuple(value is None for value in values)
    params = [value.pk if isinstance(value, models.Model) else value for value in values]
    return _where(model, names, nulls), [p for p, n in zip(params, nulls, strict=True) if not n]


def any_row(model: type[models.Model], **where: Any) -> bool:
    """Whether a row has each field equal to its value (None meaning IS NULL)."""
    sql, params = _part(model, where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 {sql} LIMIT 1", params)  # noqa: S608  # nosec B608
        return cursor.fetchone() is not None


def count_rows(*parts: tuple[type[models.Model], Mapping[str, Any]]) -> int:
    """The rows matching each (model, where) part, added up, in one query."""
    if not parts:
        return 0
    sqls, params = [], []
    for model, where in parts:
        sql, values = _part(model, where)
        sqls.append(f"(SELECT COUNT(*) {sql})")
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {' + '.join(sqls)}", params)  # noqa: S608  # nosec B608
        row = cursor.fetchone()
    return int(row[0]) if row else 0
