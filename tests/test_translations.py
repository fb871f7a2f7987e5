"""The Spanish catalog is complete, compiled, and used by pages and by the API alike."""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import peerwork

CATALOG = Path(peerwork.__file__).resolve().parent / "locale" / "es" / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one per plural form
    flags: set[str] = field(default_factory=set)


def _entries() -> list[Entry]:
    """The catalog's entries, the header first. Enough of the PO format for Django's catalogs:
    quoted strings, continuation lines, flags, plural forms."""
    entries: list[Entry] = []
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    for block in text.strip().split("\n\n"):
        entry, key, seen = Entry(), "", False
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if key == "msgid":
                    entry.msgid += value
                elif key == "msgid_plural":
                    entry.msgid_plural = (entry.msgid_plural or "") + value
                else:
                    entry.msgstr[-1] += value
            else:
                key, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if key == "msgid":
                    entry.msgid, seen = value, True
                elif key == "msgid_plural":
                    entry.msgid_plural = value
                else:
                    key = "msgstr"
                    entry.msgstr.append(value)
        if seen:
            entries.append(entry)
    return entries


def test_spanish_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    entries = _entries()
    assert entries[0].msgid == ""  # the header
    messages = entries[1:]
    assert len(messages) > 500
    untranslated = [e.msgid for e in messages if not e.msgstr or not all(e.msgstr)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []
    assert "#, fuzzy" not in (CATALOG / "django.po").read_text(encoding="utf-8")


def test_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        e.msgid
        for e in _entries()[1:]
        if e.msgid_plural is None and compiled.gettext(e.msgid) != e.msgstr[0]
    ]
    assert stale == [], "the .mo is older than the .po: run compilemessages"


@pytest.mark.django_db
def test_pages_follow_accept_language(client) -> None:
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert ">Espacios<" in spanish
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Spaces<" in english


@pytest.mark.django_db
def test_api_errors_from_actions_follow_accept_language(make_user, api_as) -> None:
    client = api_as(make_user("ada"))
    body = {"slug": "atlas", "name": "Atlas"}
    assert client.post("/spaces", body).status_code == 201

    response = client.post("/spaces", body, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 409
    assert response["Content-Language"] == "es"
    problem = response.json()
    assert problem["type"] == "/problems/conflict"
    assert problem["detail"] == "El nombre corto 'atlas' ya está en uso; elige otro."
    assert problem["title"] == "Conflicto"

    english = client.post("/spaces", body, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "The short name 'atlas' is taken; choose another."


@pytest.mark.django_db
def test_wiki_and_auth_errors_follow_accept_language(make_user, make_space, api_as) -> None:
    ada = make_user("ada")
    make_space(ada, "atlas")
    client = api_as(ada)
    saved = client.put("/spaces/atlas/pages/Home", {"text": "Hello", "base_revision": None})
    assert saved.status_code == 201, saved.content

    moved = client.post(
        "/spaces/atlas/moves", {"title": "Home", "new_title": "Home"}, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert moved.status_code == 422, moved.content
    assert moved.json()["detail"] == "El título nuevo es igual que el anterior."

    from tests.conftest import ApiClient

    unknown = ApiClient("not-a-token").get("/me", HTTP_ACCEPT_LANGUAGE="es")
    assert unknown.status_code == 401
    assert unknown.json()["detail"] == "El token es desconocido o está revocado."
