"""The Spanish catalog is complete, compiled, and used by pages and by the API alike."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

import peerwork
from peerwork.accounts.models import OrganizationInvitation
from peerwork.challenges.models import State as ChallengeState
from peerwork.ideas.models import Creator
from peerwork.ideas.models import Status as IdeaStatus
from peerwork.spaces.models import JoinRequest, SpaceInvitation

CATALOG = Path(peerwork.__file__).resolve().parent / "locale" / "es" / "LC_MESSAGES"


@dataclass
class Entry:
    msgctxt: str | None = None  # pgettext's context, which tells apart the same English word
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)  # one per plural form
    flags: set[str] = field(default_factory=set)


def _entries() -> list[Entry]:
    """The catalog's entries, the header first. Enough of the PO format for Django's catalogs:
    quoted strings, continuation lines, flags, contexts, plural forms."""
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
                elif key == "msgctxt":
                    entry.msgctxt = (entry.msgctxt or "") + value
                elif key == "msgid_plural":
                    entry.msgid_plural = (entry.msgid_plural or "") + value
                else:
                    entry.msgstr[-1] += value
            else:
                key, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                if key == "msgid":
                    entry.msgid, seen = value, True
                elif key == "msgctxt":
                    entry.msgctxt = value
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


#: a number that picks each of Spanish's plural forms: 1, a whole million, any other.
PLURAL_FORM_NUMBERS = (1, 1_000_000, 2)


def _compiled(compiled: gettext.GNUTranslations, entry: Entry) -> list[str]:
    """What the .mo answers for the entry: its one translation, or each of its plural forms."""
    if entry.msgid_plural is None:
        if entry.msgctxt is None:
            return [compiled.gettext(entry.msgid)]
        return [compiled.pgettext(entry.msgctxt, entry.msgid)]
    if entry.msgctxt is None:
        return [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in PLURAL_FORM_NUMBERS]
    return [
        compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
        for n in PLURAL_FORM_NUMBERS
    ]


def test_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [e.msgid for e in _entries()[1:] if _compiled(compiled, e) != e.msgstr]
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


def test_status_labels_agree_with_the_noun_they_describe() -> None:
    """The same English word is a different Spanish one for a challenge (masculine), a request,
    an idea or an invitation (feminine) and a person, so each label carries its context."""
    labels = {
        "challenge withdrawn": ChallengeState.WITHDRAWN.label,
        "join request withdrawn": JoinRequest.Status.WITHDRAWN.label,
        "idea accepted": IdeaStatus.ACCEPTED.label,
        "space invitation accepted": SpaceInvitation.Status.ACCEPTED.label,
        "organization invitation declined": OrganizationInvitation.Status.DECLINED.label,
        "co-creator accepted": Creator.State.ACCEPTED.label,
        "co-creator declined": Creator.State.DECLINED.label,
    }
    with translation.override("es"):
        spanish = {name: str(label) for name, label in labels.items()}
    assert spanish == {
        "challenge withdrawn": "retirado",
        "join request withdrawn": "retirada",
        "idea accepted": "aceptada",
        "space invitation accepted": "aceptada",
        "organization invitation declined": "rechazada",
        "co-creator accepted": "ha aceptado",
        "co-creator declined": "ha rechazado",
    }
    with translation.override("en"):
        english = {name: str(label) for name, label in labels.items()}
    assert english == {
        "challenge withdrawn": "withdrawn",
        "join request withdrawn": "withdrawn",
        "idea accepted": "accepted",
        "space invitation accepted": "accepted",
        "organization invitation declined": "declined",
        "co-creator accepted": "accepted",
        "co-creator declined": "declined",
    }


# ---- counts -------------------------------------------------------------------------------

#: Counts that pick each plural form of each language, and the badge's limit.
COUNTS = (0, 1, 2, 21, 1_000_000)
#: Spanish's rule, as Django's own catalog states it: one, a whole million ("de"), other.
SPANISH_FORM = {0: 2, 1: 0, 2: 2, 21: 2, 1_000_000: 1}


def test_every_plural_entry_picks_its_form_for_every_count() -> None:
    """What Django answers (our catalog merged with its own) is the catalog's form for each
    count; a placeholder of the English plural is filled in every form."""
    from django.utils.translation import ngettext, npgettext

    wrong = []
    plurals = [e for e in _entries()[1:] if e.msgid_plural is not None]
    assert len(plurals) > 20
    for entry in plurals:
        assert entry.msgid_plural is not None
        names = {name: 7 for name in re.findall(r"%\((\w+)\)", entry.msgid_plural)}
        for count in COUNTS:
            with translation.override("es"):
                if entry.msgctxt is None:
                    got = ngettext(entry.msgid, entry.msgid_plural, count)
                else:
                    got = npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, count)
            if got != entry.msgstr[SPANISH_FORM[count]]:
                wrong.append(f"{entry.msgid!r} for {count}: {got!r}")
            try:
                got % names
            except (KeyError, ValueError, TypeError) as error:
                wrong.append(f"{entry.msgid!r} for {count}: {error!r}")
    assert wrong == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian's gettext) is missing")
def test_catalogs_pass_msgfmt_check(tmp_path: Path) -> None:
    """GNU msgfmt checks the header, plural forms and every format string against its msgid."""
    catalogs = sorted(CATALOG.parents[1].glob("*/LC_MESSAGES/*.po"))
    assert catalogs
    for catalog in catalogs:
        result = subprocess.run(  # noqa: S603
            ["msgfmt", "--check", "--check-format", "-o", str(tmp_path / "out.mo"), str(catalog)],  # noqa: S607
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr


HEADER = {
    "en": {
        1: ("1 unread notification", "1 pending invitation", "1"),
        2: ("2 unread notifications", "2 pending invitations", "2"),
        21: ("21 unread notifications", "21 pending invitations", "21"),
        1_000_000: ("1,000,000 unread notifications", "1,000,000 pending invitations", "99+"),
    },
    "es": {
        1: ("1 notificación sin leer", "1 invitación pendiente", "1"),
        2: ("2 notificaciones sin leer", "2 invitaciones pendientes", "2"),
        21: ("21 notificaciones sin leer", "21 invitaciones pendientes", "21"),
        1_000_000: (
            "1.000.000 de notificaciones sin leer",
            "1.000.000 de invitaciones pendientes",
            "99+",
        ),
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("count", COUNTS)
def test_header_counts_read_right_in_each_language(
    make_user: Any, language: str, count: int
) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = make_user("ada")
    context = {"unread_notification_count": count, "pending_invitation_count": count}
    with translation.override(language):
        html = render_to_string("base.html", context, request=request)
    notifications = html[html.index('data-testid="nav-notifications"') :].split("</li>")[0]
    invitations = html[html.index('data-testid="nav-invitations"') :].split("</li>")[0]
    if count == 0:
        assert 'class="count"' not in notifications + invitations
        assert "visually-hidden" not in notifications + invitations
        return
    said_notifications, said_invitations, badge = HEADER[language][count]
    assert f'<span class="count" aria-hidden="true">{badge}</span>' in notifications
    assert f'<span class="visually-hidden">({said_notifications})</span>' in notifications
    assert f'<span class="count" aria-hidden="true">{badge}</span>' in invitations
    assert f'<span class="visually-hidden">({said_invitations})</span>' in invitations
