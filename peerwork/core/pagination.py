"""One keyset pagination for the web lists and the REST API.

Pages are cut on the primary key, never with OFFSET or COUNT(*): a row added while someone
reads does not shift the next page, and a deep page costs what the first one does. The key is
unique, so rows that tie on whatever else they are sorted or shown by (a timestamp shared by
the events of one action) are neither repeated nor skipped.

The web passes the key in the query string as a plain id (`?before=123`, which people may read
and bookmark); the API passes an opaque cursor (`encode_cursor` / `decode_cursor`), and a cursor
it did not give out is a clear validation error on the `cursor` field.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .errors import Invalid

T = TypeVar("T")


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    items: list[T]
    #: the key to pass for the next page, or None on the last page.
    next_key: int | None
    #: a key was given: this is not the first page.
    is_later: bool


def keyset_page(
    rows: QuerySet[Any], *, size: int, key: int | None = None, newest_first: bool = True
) -> KeysetPage[Any]:
    """`size` rows after `key` (below it when newest first), and the key of the next page."""
    if key is not None:
        rows = rows.filter(pk__lt=key) if newest_first else rows.filter(pk__gt=key)
    found = list(rows.order_by("-pk" if newest_first else "pk")[: size + 1])
    items, has_more = found[:size], len(found) > size
    return KeysetPage(items, items[-1].pk if has_more and items else None, key is not None)


def key_from_query(value: str | None) -> int | None:
    """A key from the query string; anything but a whole number reads as the first page."""
    return int(value) if value and value.isdigit() else None


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(str(key).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        key = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Invalid(
            _("The cursor is not one this API gave out; start again without it."), field="cursor"
        ) from None
    return key


def offset_slice(rows: QuerySet[Any], *, size: int, offset: int) -> tuple[list[Any], int | None]:
    """`size` rows from `offset`, and the offset of the next page (None on the last page): for
    lists sorted by something other than the id (votes, progress), where no keyset fits. The
    web passes the offset as a plain number (`?start=25`), the API inside an opaque cursor."""
    found = list(rows[offset : offset + size + 1])
    return found[:size], offset + size if len(found) > size else None


def offset_from_query(value: str | None) -> int:
    """An offset from the query string; anything but a whole number reads as the first page."""
    return int(value) if value and value.isdigit() else 0


def offset_page(
    rows: QuerySet[Any], *, size: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """`offset_slice` for the API: the cursor carries the offset ("o<n>"), opaque to clients
    like the keyset one."""
    offset = 0
    if cursor:
        try:
            raw = base64.urlsafe_b64decode(cursor.encode() + b"==").decode()
            offset = int(raw[1:])
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise Invalid(
                _("The cursor is not one this API gave out; start again without it."),
                field="cursor",
            ) from None
    found, following = offset_slice(rows, size=size, offset=offset)
    if following is None:
        return found, None
    return found, base64.urlsafe_b64encode(f"o{following}".encode()).decode().rstrip("=")
