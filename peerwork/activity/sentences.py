"""Events in words: what each verb's data says, as a person reads it.

An event's `data` is written for machines (amounts in cents, usernames, status codes, ISO
times, ids of rows). Each app says, for its verbs, which keys a reader sees and how, with a
`Field` per key (registered from its verbs.py, as it registers the verbs themselves, so this
app never imports the apps built on it). A key no app registered is not shown: an internal
key (an id, a hash, ledger entries) stays in the REST API and the dump, where the raw data is.

People named in the data (by username or by id) are read for a whole page in one query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from babel.lists import format_list
from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from peerwork.accounts.names import person_name
from peerwork.core.money import format_money
from peerwork.core.templatetags.numbers import number
from peerwork.core.times import format_when

from .models import Event

KINDS = {
    "text",  # a short value, shown as it is (a name, a licence)
    "quote",  # what a person wrote (a reason, a summary), in quotation marks
    "money",  # minor units, in the currency of the data key `currency`
    "money_by_person",  # {username or id: minor units}
    "person",  # a username or a user id
    "people",  # a list of usernames or user ids
    "status",  # a code of `choices`
    "statuses",  # a list of codes of `choices`
    "time",  # an ISO 8601 time
    "count",  # a whole number
    "yesno",  # a boolean
    "words",  # a list of short values, joined in words
    "changes",  # {key: {"old": ..., "new": ...}} read with the nested `fields`
    "custom",  # `render(value, data, names)`; `refs(value)` names the people it shows
}


@dataclass(frozen=True)
class Field:
    """How one data key of a verb is shown: its label and the kind of its value."""

    label: Any
    kind: str = "text"
    choices: Mapping[Any, Any] | Sequence[tuple[Any, Any]] | None = None
    #: for money: the data key that holds the currency code.
    currency: str = "currency"
    #: for changes: how each changed key is shown (keys not listed are not shown).
    fields: Mapping[str, Field] | None = None
    #: for custom: the value (a whole {"old", "new"} change too), the event's data, the names.
    render: Callable[[Any, Mapping[str, Any], Names], str] | None = None
    refs: Callable[[Any], Iterable[Any]] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown field kind {self.kind!r}; use one of {sorted(KINDS)}")
        if self.kind == "custom" and self.render is None:
            raise ValueError("a custom field needs render=")


_FIELDS: dict[str, dict[str, Field]] = {}
_TARGET_KINDS: dict[str, Any] = {}
_TARGET_TITLES: dict[str, Callable[[Event], str]] = {}


def describe(verb: str, **fields: Field) -> None:
    """Show these data keys of `verb`'s events (the others are not shown)."""
    if verb in _FIELDS:
        raise ValueError(f"the data of {verb!r} is described twice")
    _FIELDS[verb] = dict(fields)


def describe_target(
    target_type: str, kind: Any, *, title: Callable[[Event], str] | None = None
) -> None:
    """Name `target_type` ("app.model") in words: "challenge", "task"...; `title(event)`
    names one such target when its stored name is not for people (a ledger transaction's)."""
    _TARGET_KINDS[target_type] = kind
    if title is not None:
        _TARGET_TITLES[target_type] = title


def target_title(event: Event) -> str:
    """The name of an event's target as a reader reads it."""
    title = _TARGET_TITLES.get(event.target_type)
    return title(event) if title is not None else event.target_repr


def target_kind(target_type: str) -> str:
    """An event target's kind in words, never its model label."""
    if target_type in _TARGET_KINDS:
        return str(_TARGET_KINDS[target_type])
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return _("item")


@dataclass(frozen=True)
class Line:
    """One shown fact: `label: text`, or `label: old → new`."""

    label: str
    text: str = ""
    old: str = ""
    new: str = ""
    is_change: bool = False


@dataclass
class Names:
    """Display names of the people a page's events name, read in one query."""

    by_username: dict[str, str] = field(default_factory=dict)
    by_id: dict[int, str] = field(default_factory=dict)

    @classmethod
    def read(cls, refs: Iterable[Any]) -> Names:
        from peerwork.accounts.models import User

        usernames, ids = set(), set()
        for ref in refs:
            if isinstance(ref, bool) or ref is None:
                continue
            if isinstance(ref, int):
                ids.add(ref)
            elif isinstance(ref, str) and ref:
                usernames.add(ref)
                if ref.isdigit():  # a user id written as text (a JSON object's key)
                    ids.add(int(ref))
        names = cls()
        if not usernames and not ids:
            return names
        people = User.objects.filter(Q(username__in=usernames) | Q(pk__in=ids)).only(
            "id", "username", "display_name"
        )
        for person in people:
            names.by_username[person.username] = person_name(person)
            names.by_id[person.pk] = person_name(person)
        return names

    def name(self, ref: Any) -> str:
        if isinstance(ref, str) and ref in self.by_username:
            return self.by_username[ref]
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            return self.by_id.get(int(ref)) or _("a former member")
        return str(ref)


def _locale() -> str:
    return to_locale(get_language() or "en")


def join_words(items: Iterable[str]) -> str:
    """["a", "b", "c"] -> "a, b and c" ("a, b y c" in Spanish)."""
    words = [item for item in items if item]
    return format_list(words, locale=_locale()) if words else ""


def quote(text: str) -> str:
    return _("“%(text)s”") % {"text": text}


def format_time(value: Any) -> str:
    """An ISO time (or a datetime) in the viewer's zone and their language's format."""
    when = value
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(when, datetime):
        return str(value)
    if timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return format_when(when)


def format_status(value: Any, choices: Any) -> str:
    if value is None:
        return ""
    labels = dict(choices or ())
    if value in labels:
        return str(labels[value])
    return str(value).replace("_", " ")


def _money(value: Any, data: Mapping[str, Any], spec: Field) -> str:
    currency = data.get(spec.currency) or ""
    if not currency:
        return ""  # cents without their currency would mislead: not shown
    return format_money(int(value), str(currency))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def format_value(spec: Field, value: Any, data: Mapping[str, Any], names: Names) -> str:
    """One value of a data key as a reader reads it; "" when there is nothing to show."""
    kind = spec.kind
    if kind == "custom":
        assert spec.render is not None
        return spec.render(value, data, names)
    if kind == "yesno":
        return _("yes") if value else _("no")
    if _empty(value):
        return ""
    if kind == "money":
        return _money(value, data, spec)
    if kind == "money_by_person":
        return join_words(
            f"{names.name(ref)} ({_money(amount, data, spec)})" for ref, amount in value.items()
        )
    if kind == "person":
        return names.name(value)
    if kind == "people":
        return join_words(names.name(ref) for ref in value)
    if kind == "status":
        return format_status(value, spec.choices)
    if kind == "statuses":
        return join_words(format_status(item, spec.choices) for item in value)
    if kind == "time":
        return format_time(value)
    if kind == "count":
        return number(int(value))
    if kind == "quote":
        return quote(str(value))
    if kind == "words":
        items = value if isinstance(value, list | tuple) else [value]
        return join_words(str(item) for item in items)
    if isinstance(value, list | tuple | dict):
        return ""  # a structure a plain text field cannot say
    return str(value)


def _refs(spec: Field, value: Any) -> Iterable[Any]:
    if spec.refs is not None:
        return spec.refs(value) if not _empty(value) else ()
    if spec.kind == "person":
        return [value]
    if spec.kind == "people" and isinstance(value, list):
        return value
    if spec.kind == "money_by_person" and isinstance(value, dict):
        return list(value)
    return ()


def _is_change(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"old", "new"}


def _walk(fields: Mapping[str, Field], data: Mapping[str, Any]) -> Iterable[Any]:
    """Every person reference `fields` would show of `data`."""
    for key, spec in fields.items():
        value = data.get(key)
        if spec.kind == "changes" and isinstance(value, dict):
            yield from _walk(spec.fields or {}, value)
        elif isinstance(value, dict) and _is_change(value) and spec.kind != "custom":
            yield from _refs(spec, value["old"])
            yield from _refs(spec, value["new"])
        elif value is not None:
            yield from _refs(spec, value)


def _lines(fields: Mapping[str, Field], data: Mapping[str, Any], names: Names) -> list[Line]:
    lines: list[Line] = []
    for key, spec in fields.items():
        if key not in data:
            continue
        value = data[key]
        if spec.kind == "changes":
            if isinstance(value, dict):
                lines += _lines(spec.fields or {}, {**data, **value}, names)
            continue
        if _is_change(value) and spec.kind != "custom":
            old = format_value(spec, value["old"], data, names)
            new = format_value(spec, value["new"], data, names)
            if not old and not new:
                continue
            lines.append(Line(str(spec.label), old=old or "—", new=new or "—", is_change=True))
            continue
        text = format_value(spec, value, data, names)
        if text:
            lines.append(Line(str(spec.label), text=text))
    return lines


def fields_of(verb: str) -> Mapping[str, Field]:
    return _FIELDS.get(verb, {})


def is_self(event: Event) -> bool:
    """An event whose target is its own actor (a person joined, updated their profile)."""
    return (
        event.target_type == "accounts.user"
        and event.actor_id is not None
        and event.target_id == str(event.actor_id)
    )


@dataclass(frozen=True)
class Sentence:
    """An event as a reader reads it: who did what to what, and the facts worth showing."""

    actor: str
    label: str
    #: the target's name; "" when the target is the actor (they are named already).
    title: str
    lines: list[Line]
    #: the target's name, even when it is the actor (for a heading about the target).
    name: str = ""

    @property
    def text(self) -> str:
        said = f"{self.actor} {self.label}"
        return f"{said}: {self.title}" if self.title else said

    def details(self) -> str:
        """The lines in one paragraph, for a feed entry."""
        return "; ".join(
            f"{capfirst(line.label)}: {line.old} → {line.new}"
            if line.is_change
            else f"{capfirst(line.label)}: {line.text}"
            for line in self.lines
        )


def sentences(events: Sequence[Event]) -> list[Sentence]:
    """The sentences of a page of events, reading the people they name in one query."""
    from .verbs import VERBS

    names = Names.read(
        ref for event in events for ref in _walk(fields_of(event.verb), event.data or {})
    )
    result = []
    for event in events:
        verb = VERBS.get(event.verb)
        actor = (
            person_name(event.actor) if event.actor_id and event.actor is not None else _("Someone")
        )
        result.append(
            Sentence(
                actor=actor,
                label=str(verb.label) if verb else event.verb,
                title="" if is_self(event) else target_title(event),
                lines=_lines(fields_of(event.verb), event.data or {}, names),
                name=target_title(event),
            )
        )
    return result


def attach(events: Sequence[Event]) -> list[Event]:
    """Each event with its `sentence`, `label`, `title` and `lines`, for the templates."""
    for event, sentence in zip(events, sentences(events), strict=True):
        event.sentence = sentence  # type: ignore[attr-defined]
        event.label = sentence.label  # type: ignore[attr-defined]
        event.title = sentence.title  # type: ignore[attr-defined]
        event.lines = sentence.lines  # type: ignore[attr-defined]
    return list(events)


# ---- sentences addressed to the person told (their notifications) -----------------------


@dataclass(frozen=True)
class You:
    """What an event did to the person told, in the second person: a translated text with
    %(name)s places. `actor` (who did it, by display name) and `object` (the event's target,
    linked where it has an address) are always filled; `values` fills the others, already
    in words (money as money, people by name, times in the reader's zone)."""

    text: Any  # a str or a lazy translation, read in the reader's language when told
    values: Mapping[str, str] = field(default_factory=dict)


#: form(event, recipient, names, loaded) -> You, or None for the generic sentence.
AddressedForm = Callable[[Event, Any, "Names", Any], "You | None"]
#: load(events) -> what the verb's form needs of other rows, read once for a whole page.
Loader = Callable[[Sequence[Event]], Any]

_ADDRESSED: dict[str, tuple[AddressedForm, Loader | None]] = {}


def address(verb: str, form: AddressedForm, *, load: Loader | None = None) -> None:
    """Tell the people notified of `verb`'s events what happened to them with `form`;
    `load(events)` reads, in one query for a page, what the form needs to know (whose
    comment a reply answers, who wrote an idea). Registered from an app's verbs.py."""
    if verb in _ADDRESSED:
        raise ValueError(f"the sentence to the reader of {verb!r} is registered twice")
    _ADDRESSED[verb] = (form, load)


@dataclass(frozen=True)
class Told:
    """A notification's sentence: plain text (the REST API) and HTML with its object linked."""

    text: str
    html: str


def _generic(event: Event) -> You:
    from .verbs import VERBS

    verb = VERBS.get(event.verb)
    label = str(verb.label) if verb else event.verb
    if is_self(event):
        return You(_("%(actor)s %(did)s"), {"did": label})
    return You(_("%(actor)s %(did)s: %(object)s"), {"did": label})


def told(
    events: Sequence[Event], recipient: Any, *, titles: Sequence[str], urls: Sequence[str]
) -> list[Told]:
    """The sentences of a page of `recipient`'s notifications about `events`, each with its
    object's name (`titles`) linked to its address (`urls`, "" for none)."""
    from django.utils.html import escape, format_html

    names = Names.read(
        ref for event in events for ref in _walk(fields_of(event.verb), event.data or {})
    )
    loaded: dict[str, Any] = {}
    for verb in {event.verb for event in events}:
        form_and_load = _ADDRESSED.get(verb)
        if form_and_load and form_and_load[1] is not None:
            loaded[verb] = form_and_load[1]([e for e in events if e.verb == verb])
    result = []
    for event, title, url in zip(events, titles, urls, strict=True):
        form_and_load = _ADDRESSED.get(event.verb)
        you = None
        if form_and_load is not None:
            you = form_and_load[0](event, recipient, names, loaded.get(event.verb))
        if you is None:
            you = _generic(event)
        actor = event.actor.name if event.actor_id and event.actor is not None else _("Someone")
        values = {**you.values, "actor": actor, "object": title}
        text = str(you.text) % values
        linked = format_html('<a href="{}">{}</a>', url, title) if url else escape(title)
        html_values = {key: escape(value) for key, value in values.items()}
        html_values["object"] = linked
        result.append(Told(text=capfirst(text), html=capfirst(escape(str(you.text)) % html_values)))
    return result


def ordinal(place: int) -> str:
    """1 -> "1st" ("1.º" in Spanish): a place in a ranking."""
    if get_language() and get_language().startswith("es"):
        return f"{place}.º"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(place % 10 if place % 100 not in {11, 12, 13} else 0)
    return f"{place}{suffix or 'th'}"


__all__ = [
    "You",
    "Told",
    "address",
    "told",
    "ordinal",
    "Field",
    "Line",
    "Names",
    "Sentence",
    "attach",
    "describe",
    "describe_target",
    "format_status",
    "format_time",
    "format_value",
    "join_words",
    "quote",
    "sentences",
    "target_kind",
]
