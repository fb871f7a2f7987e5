"""The refusals of the decision methods and the tally engine reach the reader in their language:
every message template has a Spanish entry, and the API and the pages answer with it."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

import peerwork.governance
from peerwork.governance.count import method
from peerwork.governance.messages import translated
from peerwork.governance.methods import InvalidBallot, InvalidSettings, Option, get_method
from peerwork.governance.tally import TallyError
from tests.test_translations import _entries

from .conftest import propose

GOVERNANCE = Path(peerwork.governance.__file__).resolve().parent
SOURCES = sorted(
    [
        *GOVERNANCE.glob("methods/*.py"),
        *GOVERNANCE.glob("tally/*.py"),
        GOVERNANCE / "ranked.py",
        GOVERNANCE / "count.py",
    ]
)
ERRORS = {"InvalidBallot", "InvalidSettings", "TallyError"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]")


def _constants(node: ast.expr) -> list[str] | None:
    """The templates a first argument can be: a string, or either side of `a if n == 1 else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _constants(node.body), _constants(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _templates() -> dict[str, str]:
    """Every message template raised in the sources -> where it is raised."""
    found: dict[str, str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ERRORS
                and node.args
            ):
                continue
            where = f"{path.relative_to(GOVERNANCE)}:{node.lineno}"
            templates = _constants(node.args[0])
            if templates is None:
                # Only a re-raise may pass a template it did not write: it keeps the original's.
                assert ast.unparse(node.args[0]) == "error.template", where
                continue
            for template in templates:
                found.setdefault(template, where)
    return found


def test_every_refusal_template_has_spanish_with_the_same_placeholders() -> None:
    templates = _templates()
    assert len(templates) > 80
    spanish = {e.msgid: e.msgstr[0] for e in _entries()[1:] if e.msgid_plural is None and e.msgstr}
    missing, mismatched = [], []
    for template, where in templates.items():
        if PLACEHOLDER.fullmatch(template):
            continue  # a message passed on whole ("%(reason)s"): nothing of its own to translate
        if not spanish.get(template):
            missing.append(f"{where}: {template!r}")
        elif sorted(PLACEHOLDER.findall(template)) != sorted(
            PLACEHOLDER.findall(spanish[template])
        ):
            mismatched.append(f"{where}: {template!r}")
    assert missing == [], "add a Spanish entry to peerwork/locale/es/LC_MESSAGES/django.po"
    assert mismatched == []


def test_a_refusal_keeps_its_template_and_reads_in_english_by_default() -> None:
    with pytest.raises(InvalidBallot) as caught:
        get_method("approval").clean_ballot(
            {"approve": ["z"]}, [Option("a", "A"), Option("b", "B")], {"winners": 1}
        )
    error = caught.value
    assert error.template == "Unknown option %(option)r; choose among: %(known)s."
    assert error.params == {"option": "z", "known": "a, b"}
    assert str(error) == "Unknown option 'z'; choose among: a, b."
    with translation.override("es"):
        assert translated(error) == "Opción desconocida 'z'; elige entre: a, b."
    with translation.override("en"):
        assert translated(error) == str(error)


def test_the_plural_sensitive_messages_pick_their_english_form() -> None:
    majority = get_method("majority")
    with pytest.raises(InvalidSettings, match=r"at least 2 options; got 1\.") as caught:
        majority.clean_settings({}, [Option("a", "A")])
    with translation.override("es"):
        assert translated(caught.value).startswith("majority necesita al menos 2 opciones; hay 1.")


def test_a_ranked_ballot_refused_by_the_engine_keeps_the_engine_template() -> None:
    irv = method("irv")
    options = [Option("a", "A"), Option("b", "B"), Option("c", "C")]
    settings = irv.clean_settings({"rules": {"duplicates": "reject"}}, options)
    with pytest.raises(InvalidBallot) as caught:
        irv.clean_ballot({"ranking": ["a", "a"]}, options, settings)
    assert caught.value.template == "'%(option)s' is ranked twice; rank each option once"
    assert str(caught.value) == "'a' is ranked twice; rank each option once"
    with translation.override("es"):
        assert translated(caught.value) == (
            "'a' aparece dos veces en la clasificación; ordena cada opción una sola vez"
        )
    with pytest.raises(InvalidSettings) as bad_rules:
        irv.clean_settings({"rules": {"tie_break": "coin"}}, options)
    assert bad_rules.value.template == "%(name)s must be one of %(allowed)s, not %(value)r"
    with translation.override("es"):
        assert translated(bad_rules.value).startswith("tie_break debe ser uno de estos valores:")


def test_a_translation_that_does_not_fit_falls_back_to_english() -> None:
    """A catalog mistake (a placeholder the params lack) must not hide why a ballot is refused."""
    error = TallyError("seats must be a whole number 1 or more, not %(seats)r", seats=0)
    error.params = {}  # as if the Spanish named a placeholder the code does not give
    with translation.override("es"):
        assert translated(error) == "seats must be a whole number 1 or more, not 0"
    assert translated(ValueError("plain")) == "plain"


@pytest.mark.django_db
def test_the_api_refuses_a_bad_ballot_in_spanish(people, api_as) -> None:
    ada = api_as(people.ada)
    approval = propose(people, "approval")
    unknown = ada.put(
        f"/spaces/town/proposals/{approval.pk}/ballot",
        {"ballot": {"approve": ["z"]}},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert unknown.status_code == 422, unknown.content
    assert unknown.json()["detail"] == "Opción desconocida 'z'; elige entre: a, b, c."

    dots = propose(people, "dot")
    allowed = dots.settings["dots"]
    over = ada.put(
        f"/spaces/town/proposals/{dots.pk}/ballot",
        {"ballot": {"dots": {"a": allowed + 3}}},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert over.status_code == 422, over.content
    assert over.json()["detail"] == (
        f"Esta papeleta reparte {allowed + 3} puntos, pero cada votante tiene {allowed}; quita 3."
    )
    english = ada.put(
        f"/spaces/town/proposals/{dots.pk}/ballot",
        {"ballot": {"dots": {"a": allowed + 3}}},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["detail"] == (
        f"This ballot places {allowed + 3} dots but each voter has {allowed}; remove 3."
    )


@pytest.mark.django_db
def test_the_page_shows_a_refused_ballot_in_spanish(people) -> None:
    from peerwork.governance.models import Ballot

    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(people.grace)
    dots = propose(people, "dot")
    allowed = dots.settings["dots"]
    refused = client.post(
        f"/s/town/decisions/{dots.pk}/vote", {"dots-a": str(allowed + 2), "dots-b": "0"}
    )
    text = html.unescape(refused.content.decode())
    assert (
        f"Esta papeleta reparte {allowed + 2} puntos, pero cada votante tiene {allowed}; quita 2."
    ) in text
    assert "This ballot places" not in text

    consent = propose(people)
    objection = client.post(
        f"/s/town/decisions/{consent.pk}/vote", {"position": "object", "reason": ""}
    )
    text = html.unescape(objection.content.decode())
    assert "Una objeción necesita un motivo" in text
    assert not Ballot.objects.exists()
