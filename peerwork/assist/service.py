"""Similar work, related pages and suggestions for people, each with its reasons.

    from peerwork.assist import service

    service.similar(user=viewer, space=space, text="Fix the water point", kinds=["idea", "task"])
    service.related(user=viewer, space=space, kind="page", object_id=page.pk)
    service.tasks_for(user=person, space=space)
    service.reviewers_for(user=viewer, space=space, kind="task", object_id=task.pk)

Every answer is filtered through the one policy: the space must be visible to `user`, and each
object passes its kind's read rule, so a private space's work is never suggested to someone
who cannot see it. The score of a match is 0.6 × the cosine of the embeddings ("similar in
meaning") + 0.4 × the best lexical score: TF-IDF cosine of the folded words, or the share of
the title's words found in the other's title ("same title words"). wordllama is weak across
languages; the lexical half is what keeps accents and case from mattering within Spanish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from peerwork.core import policy
from peerwork.core.errors import Invalid, NotFound

from . import index, registry, text

#: Below this combined score nothing is shown.
THRESHOLD = 0.36
SEMANTIC_WEIGHT = 0.6
#: A cosine of the embeddings above this is said to be "similar in meaning".
MEANING_REASON = 0.55
#: Candidates scored in full (titles compared) before the read rules are asked.
CANDIDATES = 60
MAX_QUERY = 2000


@dataclass
class Match:
    kind: str
    label: str
    object: Any
    object_id: int
    title: str
    url: str
    score: float
    semantic: float
    lexical: float
    shared_words: list[str] = field(default_factory=list)
    same_title_words: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Query:
    dense: np.ndarray
    #: TF-IDF row in the space's vocabulary (dense).
    lexical: np.ndarray
    title_words: frozenset[str]
    #: stem -> the word as written (for the reasons).
    shown: dict[str, str]


def _shown_words(query: str) -> dict[str, str]:
    shown: dict[str, str] = {}
    for raw in query.split():
        word = raw.strip(".,;:!?¿¡()[]\"'“”«»").lower()
        stems = text.words(word)
        if stems and stems[0] not in shown:
            shown[stems[0]] = word
    return shown


def _kinds(names: list[str] | None) -> list[registry.Kind]:
    if not names:
        return registry.kinds()
    found = []
    for name in names:
        kind = registry.kind_named(name)
        if kind is None:
            known = ", ".join(k.name for k in registry.kinds())
            raise Invalid(
                _("There is no kind %(kind)s; choose from %(known)s.")
                % {"kind": name, "known": known},
                field="kinds",
            )
        found.append(kind)
    return found


def _rank(
    space_index: index.SpaceIndex,
    query: _Query,
    kinds: list[registry.Kind],
    exclude: tuple[str, int] | None,
) -> list[tuple[int, float, float, float, list[str]]]:
    """(position, score, semantic, lexical, same title words) of the best candidates."""
    if not len(space_index) or not (query.dense.any() or query.lexical.any()):
        return []
    semantic = (
        space_index.dense @ query.dense
        if query.dense.shape[0] == space_index.dense.shape[1]
        else np.zeros(len(space_index), dtype=np.float32)
    )
    lexical = space_index.sparse @ query.lexical
    rough = SEMANTIC_WEIGHT * semantic + (1 - SEMANTIC_WEIGHT) * lexical
    wanted = {k.name for k in kinds}
    if not set(space_index.kind_names) <= wanted:
        codes = [c for c, name in enumerate(space_index.kind_names) if name in wanted]
        rough[~np.isin(space_index.kind_codes, codes)] = -1.0
    if exclude is not None:
        position = space_index.position(*exclude)
        if position is not None:
            rough[position] = -1.0
    # Titles sharing words count too: give those rows a chance before cutting.
    count = min(CANDIDATES, len(rough))
    top = np.argpartition(-rough, count - 1)[:count]
    ranked = []
    for position in top:
        if rough[position] < 0:
            continue
        title_words = space_index.title_words[position]
        same = query.title_words & title_words
        title_share = text.lexical_overlap(set(query.title_words), set(title_words))
        best_lexical = max(float(lexical[position]), 0.9 * title_share)
        score = SEMANTIC_WEIGHT * float(semantic[position]) + (1 - SEMANTIC_WEIGHT) * best_lexical
        if score >= THRESHOLD:
            ranked.append(
                (int(position), score, float(semantic[position]), best_lexical, sorted(same))
            )
    ranked.sort(key=lambda row: (-row[1], -int(space_index.ids[row[0]])))
    return ranked


def _visible(user: Any, space: Any, wanted: list[tuple[str, int]]) -> dict[tuple[str, int], Any]:
    found: dict[tuple[str, int], Any] = {}
    by_kind: dict[str, list[int]] = {}
    for kind_name, object_id in wanted:
        by_kind.setdefault(kind_name, []).append(object_id)
    for kind_name, ids in by_kind.items():
        kind = registry.kind_named(kind_name)
        if kind is None:
            continue
        objects = kind.objects().filter(space=space, pk__in=ids).select_related("space")
        for obj in policy.filter(user, kind.view_action, objects):
            found[(kind_name, obj.pk)] = obj
    return found


def _matches(
    user: Any,
    space: Any,
    space_index: index.SpaceIndex,
    query: _Query,
    kinds: list[registry.Kind],
    limit: int,
    exclude: tuple[str, int] | None = None,
) -> list[Match]:
    ranked = _rank(space_index, query, kinds, exclude)[: limit * 4]
    keys = [(str(space_index.kinds[p]), int(space_index.ids[p])) for p, *_ in ranked]
    visible = _visible(user, space, keys)
    vocabulary = space_index.vocabulary()
    matches = []
    for (position, score, semantic, lexical, same_title), key in zip(ranked, keys, strict=True):
        obj = visible.get(key)
        if obj is None:
            continue
        kind = registry.kind_named(key[0])
        assert kind is not None
        row = space_index.sparse[position]
        theirs = {vocabulary[i] for i in row.indices}
        shared = [query.shown[w] for w in query.shown if w in theirs]
        same = [query.shown[w] for w in query.shown if w in same_title] or same_title
        match = Match(
            kind=kind.name,
            label=str(kind.label),
            object=obj,
            object_id=obj.pk,
            title=kind.text(obj)[0],
            url=kind.url(obj),
            score=round(score, 3),
            semantic=round(semantic, 3),
            lexical=round(lexical, 3),
            shared_words=shared,
            same_title_words=same,
        )
        match.reasons = reasons_of(match)
        matches.append(match)
        if len(matches) == limit:
            break
    return matches


def reasons_of(match: Match) -> list[str]:
    reasons = []
    if match.same_title_words:
        reasons.append(
            _("same title words: %(words)s") % {"words": ", ".join(match.same_title_words)}
        )
    elif match.shared_words:
        reasons.append(
            _("shares the words: %(words)s") % {"words": ", ".join(match.shared_words[:6])}
        )
    if match.semantic >= MEANING_REASON:
        reasons.append(
            _("similar in meaning (%(percent)s%%)") % {"percent": round(match.semantic * 100)}
        )
    return reasons


def _space_visible(user: Any, space: Any) -> None:
    policy.require(user, "space.view", space)


def similar(
    *,
    user: Any,
    space: Any,
    query: str,
    kinds: list[str] | None = None,
    limit: int = 5,
    exclude: tuple[str, int] | None = None,
) -> list[Match]:
    """The space's work most like `query` (what is being typed), best first, each with why."""
    query_text = query[:MAX_QUERY]
    _space_visible(user, space)
    chosen = _kinds(kinds)
    if not text.words(query_text):
        return []
    space_index = index.space_index(space)
    if not len(space_index):
        return []
    first_line = query_text.strip().splitlines()[0] if query_text.strip() else ""
    asked = _Query(
        dense=space_index.embed_query(query_text),
        lexical=space_index.lexical_query(query_text),
        title_words=frozenset(text.words(first_line)),
        shown=_shown_words(query_text),
    )
    return _matches(user, space, space_index, asked, chosen, limit, exclude)


def related(
    *,
    user: Any,
    space: Any,
    kind: str,
    object_id: int,
    kinds: list[str] | None = None,
    limit: int = 5,
) -> list[Match]:
    """Work like this object (which the viewer must see: else NotFound), best first, each
    with why. A kind the service does not index has no related work: []."""
    _space_visible(user, space)
    found = registry.kind_of_target(kind)
    if found is None:
        return []
    obj = _visible(user, space, [(found.name, object_id)]).get((found.name, object_id))
    if obj is None:
        raise NotFound()
    title, body = found.text(obj)
    space_index = index.space_index(space)
    if not len(space_index):
        return []
    position = space_index.position(found.name, object_id)
    full = f"{title}\n{body}"[: index.MAX_CHARS]
    query = _Query(
        dense=space_index.dense[position]
        if position is not None
        else space_index.embed_query(full),
        lexical=space_index.lexical_row(position)
        if position is not None
        else space_index.lexical_query(full),
        title_words=frozenset(text.words(title)),
        shown=_shown_words(f"{title} {body[:1000]}"),
    )
    return _matches(user, space, space_index, query, _kinds(kinds), limit, (found.name, object_id))


# ---- people ---------------------------------------------------------------------------------


@dataclass
class PastWork:
    positions: list[int]
    titles: list[str]


def _past_work(viewer: Any, person: Any, space: Any, space_index: index.SpaceIndex) -> PastWork:
    """The person's own work in the space that the viewer may see, as rows of the matrix."""
    past = PastWork([], [])
    for kind in registry.kinds():
        if kind.authored is None:
            continue
        objects = policy.filter(viewer, kind.view_action, kind.authored(person, space))
        for obj in objects.order_by("-pk")[:50]:
            position = space_index.position(kind.name, obj.pk)
            if position is not None:
                past.positions.append(position)
                past.titles.append(kind.text(obj)[0])
    return past


def _like_past(
    space_index: index.SpaceIndex, past: PastWork, position: int | None, skip: tuple[str, int]
) -> tuple[float, str]:
    """The best cosine between a row and the person's past work, and that work's title."""
    if position is None or not past.positions:
        return 0.0, ""
    rows = space_index.dense[past.positions]
    scores = rows @ space_index.dense[position]
    for i, p in enumerate(past.positions):
        if (str(space_index.kinds[p]), int(space_index.ids[p])) == skip or p == position:
            scores[i] = -1
    best = int(np.argmax(scores))
    return float(scores[best]), past.titles[best]


#: A cosine with past work above this is a reason.
PAST_WORK_REASON = 0.5


def tasks_for(*, user: Any, space: Any, limit: int = 5) -> list[Any]:
    """Open tasks for the person: the tasks app's own ranking (skills, languages, what they
    completed before), plus how close each task's text is to their past work here."""
    from peerwork.tasks.selectors import tasks_for as tasks_ranked

    suggestions = tasks_ranked(user=user, space=space, limit=500)
    if not policy.signed_in(user):
        return suggestions[:limit]
    space_index = index.space_index(space)
    past = _past_work(user, user, space, space_index)
    for suggestion in suggestions:
        task = suggestion.task
        similarity, title = _like_past(
            space_index, past, space_index.position("task", task.pk), ("task", task.pk)
        )
        if similarity >= PAST_WORK_REASON:
            suggestion.score += round(4 * similarity)  # the ranking counts whole points
            suggestion.reasons.append(_("like your past work: “%(title)s”") % {"title": title})
    suggestions.sort(key=lambda s: (-s.score, -s.task.pk))
    return [s for s in suggestions if s.score > 0][:limit]


@dataclass
class ReviewerSuggestion:
    person: Any
    score: float
    reasons: list[str] = field(default_factory=list)


def reviewers_for(
    *, user: Any, space: Any, kind: str, object_id: int, limit: int = 5
) -> list[ReviewerSuggestion]:
    """People who may review this task or idea, ranked by their skills and past work here.
    The object must be visible to `user` (else NotFound); other kinds have none: []."""
    from peerwork.spaces.models import SpaceMembership

    _space_visible(user, space)
    found = registry.kind_of_target(kind)
    if found is None:
        return []
    obj = _visible(user, space, [(found.name, object_id)]).get((found.name, object_id))
    if obj is None:
        raise NotFound()
    if found.name not in {"task", "idea"}:
        return []
    action = f"{found.name}.review"
    title, body = found.text(obj)
    wanted_words = set(text.words(f"{title} {body}"))
    wanted_skills = {s.lower() for s in getattr(obj, "skills", [])}
    space_index = index.space_index(space)
    position = space_index.position(found.name, object_id)
    members = (
        SpaceMembership.objects.filter(space=space, user__isnull=False, user__is_active=True)
        .select_related("user")
        .order_by("pk")[:200]
    )
    suggestions = []
    for membership in members:
        person = membership.user
        if (
            person is None
            or person.pk == getattr(user, "pk", None)
            or not policy.can(person, action, obj)
        ):
            continue
        suggestion = ReviewerSuggestion(person, 0.0)
        for skill in person.skills or []:
            folded = skill.strip().lower()
            if folded in wanted_skills or set(text.words(folded)) & wanted_words:
                suggestion.score += 3
                suggestion.reasons.append(_("knows: %(skill)s") % {"skill": skill})
        past = _past_work(user, person, space, space_index)
        similarity, past_title = _like_past(space_index, past, position, (found.name, object_id))
        if similarity >= PAST_WORK_REASON:
            suggestion.score += round(4 * similarity, 2)
            suggestion.reasons.append(_("did similar work: “%(title)s”") % {"title": past_title})
        if suggestion.score > 0:
            suggestions.append(suggestion)
        if len(suggestions) >= limit * 4:
            break
    suggestions.sort(key=lambda s: (-s.score, s.person.username))
    return suggestions[:limit]
