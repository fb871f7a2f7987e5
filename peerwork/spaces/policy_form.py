"""The space policy as a form a steward fills in, generated from the schema (space_policy.py).

Each key becomes an input from its type: a number with its bounds (a duration in days or
hours, a share in percent, a size in kilobytes), a checkbox, a select with labels, text; a
nested model is a fieldset, a list of models (idea milestones) and a currency table are
repeatable rows that work without script (blank rows to fill; policy_rows.js adds more), and
a list of texts is one per line. Labels and help are the keys' `title` and `description`.

The form reads what was typed, turns it into a policy document and checks the whole of it
against the schema, so every problem is shown at its input in words; the action judges the
document again when it saves it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, TypeGuard, get_args, get_origin

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from peerwork.accounts.forms import Form
from peerwork.core.errors import Invalid
from peerwork.core.money import money_input, parse_money

from .space_policy import policy_schema

SEP = "__"
#: blank rows offered under a list's rows, to add without script.
BLANK_ROWS = 2


@dataclass
class Entry:
    """One thing the form shows, in schema order: an input, a fieldset or a table of rows."""

    kind: Literal["field", "section", "rows"]
    path: str  # the dotted key, "ideas.support_milestones"
    title: str
    help: str
    name: str = ""  # kind "field": its form field
    children: list[Entry] = field(default_factory=list)  # kind "section"
    columns: list[tuple[str, str]] = field(default_factory=list)  # kind "rows": (title, help)
    rows: list[list[str]] = field(default_factory=list)  # kind "rows": each row's field names
    errors: list[str] = field(default_factory=list)  # problems of the whole section or list

    @property
    def anchor(self) -> str:
        return "policy-" + self.path.replace(".", "-").replace("_", "-")


def _bound(info: FieldInfo, name: str) -> Any:
    for item in info.metadata:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    return extra if isinstance(extra, dict) else {}


def _text(value: Any) -> str:
    return str(value) if value else ""


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return inspect.isclass(annotation) and issubclass(annotation, BaseModel)


UNIT_WORDS = {
    "days": lambda: _("days"),
    "hours": lambda: _("hours"),
    "percent": lambda: "%",
    "basis_points": lambda: "%",
    "bytes": lambda: _("KB"),
}


def _scalar(info: FieldInfo) -> forms.Field:
    """The form field of one key that holds one value."""
    annotation, extra = info.annotation, _extra(info)
    label, help_text = _text(info.title), _text(info.description)
    common: dict[str, Any] = {"label": label, "help_text": help_text}
    choices = extra.get("choices")
    if callable(choices):
        choices = choices()
    if annotation is bool:
        return forms.BooleanField(required=False, **common)
    if get_origin(annotation) is Literal:
        labels = dict(choices or ())
        options = [(value, labels.get(value, value)) for value in get_args(annotation)]
        return forms.ChoiceField(choices=options, **common)
    if annotation is str:
        if choices:
            return forms.ChoiceField(choices=list(choices), **common)
        max_length = _bound(info, "max_length")
        widget = forms.Textarea(attrs={"rows": 5}) if (max_length or 0) > 200 else None
        return forms.CharField(
            required=False, max_length=max_length, strip=True, widget=widget, **common
        )
    low, high, unit = _bound(info, "ge"), _bound(info, "le"), extra.get("unit")
    made: forms.Field
    if unit == "basis_points":
        made = forms.DecimalField(
            min_value=Decimal(low) / 100, max_value=Decimal(high) / 100, decimal_places=2, **common
        )
    elif unit == "bytes":
        made = forms.DecimalField(
            min_value=Decimal(low) / 1024,
            max_value=Decimal(high) / 1024,
            widget=forms.NumberInput(attrs={"step": "any"}),
            **common,
        )
    else:
        made = forms.IntegerField(min_value=low, max_value=high, **common)
    made.unit = UNIT_WORDS[unit]() if unit in UNIT_WORDS else ""  # type: ignore[attr-defined]
    return made


def _shown(info: FieldInfo, value: Any) -> Any:
    """A stored value as its input shows it."""
    unit = _extra(info).get("unit")
    if unit == "basis_points":
        return (Decimal(value) / 100).quantize(Decimal("0.01"))
    if unit == "bytes":
        return (Decimal(value) / 1024).normalize()
    return value


def _stored(info: FieldInfo, value: Any) -> Any:
    """What an input's cleaned value stores."""
    unit = _extra(info).get("unit")
    if unit == "basis_points":
        return int((value * 100).to_integral_value(ROUND_HALF_UP))
    if unit == "bytes":
        return int((value * 1024).to_integral_value(ROUND_HALF_UP))
    if info.annotation is str and value is None:
        return ""
    return value


class PolicySettingsForm(Form):
    """Every key of the policy as an input; `document()` is the policy it describes."""

    def __init__(self, data: Any = None, *, policy: dict[str, Any]) -> None:
        super().__init__(data, auto_id="id_policy_%s")
        self.schema = policy_schema()
        #: document path (tuple) -> the form field it came from, to put problems in place.
        self.places: dict[tuple[Any, ...], str] = {}
        self.label_of: dict[str, str] = {}
        self.entries = self._walk(self.schema, (), policy or {}, "")

    # --- building --------------------------------------------------------------------------

    def _add(self, name: str, made: forms.Field, initial: Any, label: str) -> None:
        self.fields[name] = made
        self.initial[name] = initial
        self.label_of[name] = label

    def _walk(
        self, model: type[BaseModel], path: tuple[str, ...], value: dict[str, Any], context: str
    ) -> list[Entry]:
        entries = []
        for key, info in model.model_fields.items():
            here = (*path, key)
            dotted, name = ".".join(here), SEP.join(here)
            title, help_text = _text(info.title), _text(info.description)
            current = value.get(key) if isinstance(value, dict) else None
            annotation = info.annotation
            origin, args = get_origin(annotation), get_args(annotation)
            named = f"{context}{title}"
            if _is_model(annotation):
                children = self._walk(annotation, here, current or {}, f"{title}: ")
                entries.append(Entry("section", dotted, title, help_text, children=children))
            elif origin is list and args and _is_model(args[0]):
                entries.append(self._model_rows(info, args[0], here, current or [], named))
            elif origin is dict:
                entries.append(self._money_rows(info, here, current or {}, named))
            elif origin is list:
                made = forms.CharField(
                    label=title,
                    help_text=help_text,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
                self._add(name, made, "\n".join(current or []), named)
                self.places[here] = name
                entries.append(Entry("field", dotted, title, help_text, name=name))
            else:
                if current is None:
                    current = info.get_default(call_default_factory=True)
                initial = _shown(info, current) if current is not None else None
                self._add(name, _scalar(info), initial, named)
                self.places[here] = name
                entries.append(Entry("field", dotted, title, help_text, name=name))
        return entries

    def _row_count(self, prefix: str, existing: int) -> int:
        """Rows to show: the stored ones and some blank ones, or as many as were sent."""
        if not self.is_bound:
            return existing + BLANK_ROWS
        sent = [key[len(prefix) :].split(SEP, 1)[0] for key in self.data if key.startswith(prefix)]
        indexes = [int(index) for index in sent if index.isdigit() and int(index) < 100]
        return max(indexes, default=-1) + 1

    def _model_rows(
        self,
        info: FieldInfo,
        row_model: type[BaseModel],
        here: tuple[str, ...],
        current: list[Any],
        named: str,
    ) -> Entry:
        entry = Entry(
            "rows", ".".join(here), _text(info.title), _text(info.description), name=SEP.join(here)
        )
        columns = row_model.model_fields
        entry.columns = [(_text(c.title), _text(c.description)) for c in columns.values()]
        prefix = SEP.join(here) + SEP
        for index in range(self._row_count(prefix, len(current))):
            stored = current[index] if index < len(current) else {}
            row = []
            for key, column in columns.items():
                name = f"{prefix}{index}{SEP}{key}"
                made = _scalar(column)
                made.required = False
                label = _("%(list)s, row %(row)s: %(column)s") % {
                    "list": named,
                    "row": index + 1,
                    "column": _text(column.title),
                }
                value = stored.get(key)
                self._add(name, made, _shown(column, value) if value is not None else None, label)
                row.append(name)
            remove = f"{prefix}{index}{SEP}remove"
            self._add(remove, forms.BooleanField(label=_("Remove"), required=False), False, "")
            row.append(remove)
            entry.rows.append(row)
        return entry

    def _money_rows(
        self, info: FieldInfo, here: tuple[str, ...], current: dict[str, int], named: str
    ) -> Entry:
        entry = Entry(
            "rows", ".".join(here), _text(info.title), _text(info.description), name=SEP.join(here)
        )
        entry.columns = [
            (_("Currency"), _("Its ISO 4217 code, such as EUR or USD.")),
            (_("Largest payout"), _("Paid without a second steward's approval.")),
        ]
        prefix = SEP.join(here) + SEP
        stored = list(current.items())
        for index in range(self._row_count(prefix, len(stored))):
            code, limit = stored[index] if index < len(stored) else ("", None)
            context = {"list": named, "row": index + 1}
            currency, amount = f"{prefix}{index}{SEP}currency", f"{prefix}{index}{SEP}amount"
            self._add(
                currency,
                forms.CharField(label=_("Currency"), required=False, max_length=3),
                code,
                _("%(list)s, row %(row)s: currency") % context,
            )
            self._add(
                amount,
                forms.CharField(label=_("Largest payout"), required=False, max_length=30),
                money_input(limit, code) if limit is not None else "",
                _("%(list)s, row %(row)s: largest payout") % context,
            )
            remove = f"{prefix}{index}{SEP}remove"
            self._add(remove, forms.BooleanField(label=_("Remove"), required=False), False, "")
            entry.rows.append([currency, amount, remove])
        return entry

    # --- reading ---------------------------------------------------------------------------

    def document(self) -> dict[str, Any] | None:
        """The policy the form describes, or None with every problem added to the form."""
        if not self.is_valid():
            return None
        document = self._read(self.schema, (), self.entries)
        if self.errors:
            return None
        try:
            self.schema.model_validate(document)
        except ValidationError as error:
            for problem in error.errors():
                self._place(tuple(problem["loc"]), _problem_words(problem))
            return None
        return document

    def _read(
        self, model: type[BaseModel], path: tuple[str, ...], entries: list[Entry]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        data = self.cleaned_data
        for (key, info), entry in zip(model.model_fields.items(), entries, strict=True):
            here = (*path, key)
            annotation = info.annotation
            origin, args = get_origin(annotation), get_args(annotation)
            if entry.kind == "section" and _is_model(annotation):
                out[key] = self._read(annotation, here, entry.children)
            elif entry.kind == "rows" and origin is dict:
                out[key] = self._read_money(here, entry)
            elif entry.kind == "rows":
                out[key] = self._read_rows(args[0], here, entry)
            elif origin is list:
                lines = (data.get(entry.name) or "").splitlines()
                out[key] = [line.strip() for line in lines if line.strip()]
            else:
                out[key] = _stored(info, data.get(entry.name))
        return out

    def _read_rows(
        self, row_model: type[BaseModel], here: tuple[str, ...], entry: Entry
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        columns = list(row_model.model_fields.items())
        for names in entry.rows:
            *cells, remove = names
            values = [self.cleaned_data.get(name) for name in cells]
            if self.cleaned_data.get(remove) or all(value is None for value in values):
                continue
            row: dict[str, Any] = {}
            for (key, column), name, value in zip(columns, cells, values, strict=True):
                if value is None:
                    self.add_error(name, _("Fill this in, or empty the whole row."))
                row[key] = _stored(column, value) if value is not None else None
                self.places[(*here, len(rows), key)] = name
            self.places[(*here, len(rows))] = cells[0]
            rows.append(row)
        return rows

    def _read_money(self, here: tuple[str, ...], entry: Entry) -> dict[str, int]:
        out: dict[str, int] = {}
        for currency, amount, remove in entry.rows:
            code = (self.cleaned_data.get(currency) or "").upper()
            text = self.cleaned_data.get(amount) or ""
            if self.cleaned_data.get(remove) or not (code or text):
                continue
            if not code:
                self.add_error(currency, _("Fill this in, or empty the whole row."))
                continue
            if code in out:
                self.add_error(currency, _("This currency is listed twice."))
                continue
            try:
                out[code] = parse_money(text, code)
            except Invalid as error:
                self.add_error(amount, str(error.detail))
                continue
            self.places[(*here, code)] = currency
        return out

    def _place(self, loc: tuple[Any, ...], message: str) -> None:
        """Put a schema problem at its input, or at the list or section it is about."""
        for cut in range(len(loc), 0, -1):
            name = self.places.get(loc[:cut])
            if name and cut == len(loc):
                self.add_error(name, message)
                return
            entry = self._entry(".".join(str(part) for part in loc[:cut]))
            if entry is not None:
                entry.errors.append(message)
                return
        self.add_error(None, message)

    def _entry(self, dotted: str, entries: list[Entry] | None = None) -> Entry | None:
        for entry in self.entries if entries is None else entries:
            if entry.path == dotted and entry.kind != "field":
                return entry
            found = self._entry(dotted, entry.children)
            if found is not None:
                return found
        return None

    # --- showing ---------------------------------------------------------------------------

    def problems(self) -> list[tuple[str, str, str]]:
        """Every problem as (what it is about, in words; the problem; the input's anchor)."""
        out = [("", str(message), "") for message in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            for message in errors:
                out.append((self.label_of.get(name, name), str(message), self[name].auto_id))
        out.extend(self._entry_problems(self.entries, ""))
        return out

    def _entry_problems(self, entries: list[Entry], context: str) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for entry in entries:
            out.extend(
                (f"{context}{entry.title}", message, entry.anchor) for message in entry.errors
            )
            out.extend(self._entry_problems(entry.children, f"{context}{entry.title}: "))
        return out


def _problem_words(problem: Any) -> str:
    """A schema problem as a sentence for a person (the validators' own words when they have
    them)."""
    kind, context = problem["type"], problem.get("ctx") or {}
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind == "too_short":
        count = int(context.get("min_length") or 1)
        return ngettext("Keep at least one row.", "Keep at least %(count)s rows.", count) % {
            "count": count
        }
    if kind == "too_long":
        return _("Give at most %(count)s.") % {"count": context.get("max_length")}
    return str(problem["msg"])
