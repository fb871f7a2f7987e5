"""Reads of authorship: who wrote each token of a revision the viewer may see.

Whoever may view a page may view its authorship: the page and the revision are found through
the wiki's own selectors, so a page the viewer may not see answers as one that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from peerwork.core.errors import NotFound
from peerwork.spaces.models import Space
from peerwork.wiki import selectors as wiki_selectors
from peerwork.wiki.models import Page, Revision

from . import compute
from .method import expand, token_spans, tokenize
from .models import RevisionAuthorship

#: How many colours the view has; the n-th author (by share) wears colour n modulo this.
PALETTE_SIZE = 10


@dataclass
class Author:
    """One person's share of a revision's text."""

    user_id: int | None
    username: str
    name: str
    tokens: int = 0
    percent: float = 0.0
    colour: int = 0


@dataclass(frozen=True)
class Token:
    text: str
    revision_id: int
    author: Author


@dataclass(frozen=True)
class Run:
    """Consecutive tokens by one author, with the text between them; `before` is the text
    (spaces, line breaks) between the previous run and this one."""

    before: str
    text: str
    author: Author


@dataclass
class Authorship:
    page: Page
    revision: Revision
    tokens: list[Token]
    authors: list[Author]
    runs: list[Run] = field(default_factory=list)
    tail: str = ""

    @property
    def token_count(self) -> int:
        return len(self.tokens)


def authorship_of(
    *, user: Any, space: Space, title: str, revision_id: int | None = None
) -> Authorship:
    """The authorship of the page's current revision, or of its revision `revision_id`."""
    page = wiki_selectors.page_get_visible(user=user, space=space, title=title)
    if revision_id is None:
        revision = page.current_revision
        if revision is None:
            raise NotFound()
    else:
        revision = wiki_selectors.revision_get_visible(
            user=user, space=space, revision_id=revision_id
        )
        if revision.page_id != page.pk:
            raise NotFound()
    return _authorship(page, revision)


def authorship_of_page(*, user: Any, page: Page) -> Authorship | None:
    """The current revision's authorship of a page already found visible (the MediaWiki
    API's pages), or None for a page without text."""
    revision = page.current_revision
    return None if revision is None else _authorship(page, revision)


def _row(page: Page, revision: Revision) -> RevisionAuthorship:
    row = RevisionAuthorship.objects.filter(revision_id=revision.pk).first()
    if row is None:
        # The job has not run yet (or the rows were dropped): attribute now, as the
        # rendered-HTML cache renders on a miss.
        compute.update_page(page.pk)
        row = RevisionAuthorship.objects.get(revision_id=revision.pk)
    return row


def _authorship(page: Page, revision: Revision) -> Authorship:
    row = _row(page, revision)
    origins = expand(row.origins)
    text = revision.content.text
    tokens = tokenize(text)
    if len(tokens) != len(origins):  # the tokenizer changed since the row: attribute again
        compute.rebuild(page_id=page.pk)
        row = RevisionAuthorship.objects.get(revision_id=revision.pk)
        origins = expand(row.origins)
    people = _people(set(origins))
    authors: dict[tuple[int | None, str], Author] = {}
    shown, spans = token_spans(text, tokens)
    token_rows: list[Token] = []
    for origin, (start, end) in zip(origins, spans, strict=True):
        author = authors.setdefault(people[origin], _author(people[origin]))
        author.tokens += 1
        token_rows.append(Token(shown[start:end], origin, author))
    ranked = sorted(authors.values(), key=lambda a: (-a.tokens, a.user_id or 0, a.username))
    for position, author in enumerate(ranked):
        author.colour = position % PALETTE_SIZE
        author.percent = round(100 * author.tokens / len(origins), 1) if origins else 0.0
    result = Authorship(page=page, revision=revision, tokens=token_rows, authors=ranked)
    _group(result, shown, spans)
    return result


def _people(origins: set[int]) -> dict[int, tuple[int | None, str]]:
    rows = Revision.objects.filter(pk__in=origins).values_list(
        "pk", "author_id", "author__username", "author__display_name", "author_name"
    )
    return {
        pk: (author_id, f"{username}\x00{display or username}")
        if author_id
        else (None, f"{name}\x00{name}")
        for pk, author_id, username, display, name in rows
    }


def _author(person: tuple[int | None, str]) -> Author:
    user_id, names = person
    username, _, name = names.partition("\x00")
    return Author(user_id=user_id, username=username, name=name)


def _group(result: Authorship, shown: str, spans: list[tuple[int, int]]) -> None:
    cursor = 0
    run_start = run_end = 0
    current: Author | None = None
    before = ""
    for token, (start, end) in zip(result.tokens, spans, strict=True):
        if current is not None and token.author is current:
            run_end = end
            continue
        if current is not None:
            result.runs.append(Run(before, shown[run_start:run_end], current))
            cursor = run_end
        before = shown[cursor:start]
        current, run_start, run_end = token.author, start, end
    if current is not None:
        result.runs.append(Run(before, shown[run_start:run_end], current))
        cursor = run_end
    result.tail = shown[cursor:]
