"""The faces (views, REST API, interop) read through selectors and write through actions.

import-linter (the contracts in pyproject.toml, run by `make test`) sees modules, not
attributes, so it cannot tell `Page.objects.filter(...)` in a view from a selector call. This
test reads the faces' source and fails on any `<Model>.objects` that is not in ALLOWED below,
each with its reason. Shrink the table by moving a read into a selector (and its permission
into the policy); never grow it without a reason a reviewer accepts.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "peerwork"

#: Modules of a face that are not faces themselves: interop's own domain layers.
_NOT_FACES = {"models.py", "selectors.py", "actions.py", "policy.py", "apps.py", "__init__.py"}


def face_modules() -> list[Path]:
    """views.py and api.py of every app, and every interop module but its domain layers."""
    found = {*PACKAGE.glob("*/views.py"), *PACKAGE.glob("*/api.py")}
    found.update(
        path
        for path in (PACKAGE / "interop").rglob("*.py")
        if "migrations" not in path.parts and path.name not in _NOT_FACES
    )
    return sorted(found)


class _Finder(ast.NodeVisitor):
    """Each `Name.objects` (a capitalised name: a model's manager) with its enclosing function."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[str, str]] = []

    def _enter(self, node: ast.AST, name: str) -> None:
        self.scope.append(name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node, node.name)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node, node.name)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node, node.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (
            node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id[:1].isupper()
        ):
            self.found.append((".".join(self.scope) or "<module>", node.value.id))
        self.generic_visit(node)


def manager_uses() -> Counter[tuple[str, str, str]]:
    """(module path, function, Model) -> how many `Model.objects` it holds."""
    uses: Counter[tuple[str, str, str]] = Counter()
    for path in face_modules():
        finder = _Finder()
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        relative = path.relative_to(ROOT).as_posix()
        uses.update((relative, function, model) for function, model in finder.found)
    return uses


# Today's exceptions, each with why it is (still) here. Key: (module, function, Model).
_REREAD = "re-reads by pk an object already checked visible, after an action changed it"
_EMPTY = "`.none()`: an empty queryset to start from, no read at all"
_MW_LIST = "MediaWiki API list over pages of one space, filtered visible in the module"
_IMPORT = "the dump importer is a write path run by a steward's command, not a read"
_EXPORT = "the dump export of a whole space in batches; wiki.policy.standing leaves out deleted"
_OPEN_DATA = "the open-data dump of a space; events through activity.policy.public_events"
_JOB = "a webhook job, not a face: it reads and writes its own delivery rows"

_MW = "peerwork/interop/mediawiki"
ALLOWED: dict[tuple[str, str, str], str] = {
    ("peerwork/ideas/api.py", "_fresh", "Idea"): _REREAD,
    ("peerwork/ideas/api.py", "_support_out", "Idea"): _REREAD,
    ("peerwork/ideas/views.py", "_detail", "Idea"): _REREAD,
    ("peerwork/wiki/api.py", "_fresh", "Page"): _REREAD,
    ("peerwork/wiki/views.py", "_recent", "Event"): _EMPTY,
    ("peerwork/interop/dumps/exporter.py", "_page_batches", "Page"): _EXPORT,
    ("peerwork/interop/dumps/exporter.py", "_revisions_of", "Revision"): _EXPORT,
    ("peerwork/interop/dumps/importer.py", "default_importer", "SpaceMembership"): _IMPORT,
    ("peerwork/interop/dumps/jsonl.py", "open_data", "Comment"): _OPEN_DATA,
    ("peerwork/interop/dumps/jsonl.py", "open_data", "Event"): _OPEN_DATA,
    ("peerwork/interop/mediawiki/auth.py", "session_api_token", "ApiToken"): (
        "the session's own API token, looked up for the signed-in person who owns it"
    ),
    (f"{_MW}/modules/links.py", "_links_of", "Link"): _MW_LIST,
    (f"{_MW}/modules/lists.py", "usercontribs", "Revision"): _EMPTY,
    (f"{_MW}/modules/lists.py", "usercontribs", "User"): (
        "people by id, each then checked with policy.can(user.view)"
    ),
    (f"{_MW}/modules/pages.py", "prop_categories", "Categorization"): _MW_LIST,
    ("peerwork/interop/webhooks/delivery.py", "_finish", "WebhookDelivery"): _JOB,
    ("peerwork/interop/webhooks/delivery.py", "deliver", "WebhookDelivery"): _JOB,
    ("peerwork/interop/webhooks/delivery.py", "deliver_due", "WebhookDelivery"): _JOB,
    ("peerwork/interop/webhooks/delivery.py", "fan_out", "Event"): _JOB,
    ("peerwork/interop/webhooks/delivery.py", "fan_out", "WebhookDelivery"): _JOB,
    ("peerwork/interop/webhooks/delivery.py", "fan_out", "WebhookSubscription"): _JOB,
}


def test_faces_reach_models_only_through_selectors_and_actions() -> None:
    new = sorted(key for key in manager_uses() if key not in ALLOWED)
    assert not new, (
        "A face reads a model's manager directly; call a selector (reads) or an action "
        "(writes) instead, or add a reasoned entry to ALLOWED in tests/test_layers.py:\n"
        + "\n".join(f"  {path}: {function}() uses {model}.objects" for path, function, model in new)
    )


def test_every_allowed_use_is_still_there() -> None:
    """The table only shrinks: an entry whose read moved into a selector goes with it."""
    gone = sorted(key for key in ALLOWED if key not in manager_uses())
    assert not gone, "ALLOWED names reads that are gone; delete these entries:\n" + "\n".join(
        f"  {path}: {function}() {model}.objects" for path, function, model in gone
    )


def test_every_face_is_scanned() -> None:
    """The scan covers the faces the contracts name (a moved file must not fall out of it)."""
    scanned = {path.relative_to(ROOT).as_posix() for path in face_modules()}
    assert {"peerwork/wiki/views.py", "peerwork/ideas/api.py"} <= scanned
    assert f"{_MW}/modules/pages.py" in scanned
    assert "peerwork/interop/webhooks/selectors.py" not in scanned


def test_the_check_sees_a_new_use() -> None:
    """The finder itself works: a manager call in a function is found with its scope."""
    finder = _Finder()
    finder.visit(ast.parse("def page(request):\n    return Page.objects.get(pk=1)\n"))
    assert finder.found == [("page", "Page")]
