"""Scoring of scored challenges: read the seeker's truth and a solver's predictions, split the ids
into a public and a private part, and compute the challenge's metric.

Pure functions over bytes and dicts, with no database and no numpy, so that the challenges app
can call them in a request or a job alike. docs/decisions/0011-scored-challenges.md explains the
CSV format, each metric, and why the split is made the way it is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import operator
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import compress, islice
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

__all__ = [
    "METRICS",
    "Metric",
    "Truth",
    "UploadError",
    "parse_predictions",
    "parse_truth",
    "score",
    "split_ids",
]


@dataclass(frozen=True)
class Metric:
    """One way of scoring predictions. `kind` says what the target column holds:
    "label" (any text), "number" (a finite number) or "probability" (truth 0 or 1,
    predictions the probability of 1)."""

    name: str
    label: Any
    higher_is_better: bool
    kind: str


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        Metric("accuracy", gettext_lazy("Accuracy"), higher_is_better=True, kind="label"),
        Metric(
            "rmse", gettext_lazy("Root mean squared error"), higher_is_better=False, kind="number"
        ),
        Metric("mae", gettext_lazy("Mean absolute error"), higher_is_better=False, kind="number"),
        Metric("log_loss", gettext_lazy("Log loss"), higher_is_better=False, kind="probability"),
        Metric("f1", gettext_lazy("F1 score (macro average)"), higher_is_better=True, kind="label"),
    )
}

#: How far log loss clips a probability from 0 and 1: the float epsilon, as scikit-learn does
#: (it clips to [eps, 1 - eps] with eps = numpy.finfo(float64).eps).
LOG_LOSS_EPSILON = 2.220446049250313e-16

#: How many missing ids an error message names.
MISSING_IDS_SHOWN = 5

#: Longer values are cut in error messages.
SHOWN_VALUE_LENGTH = 40


class UploadError(ValueError):
    """A CSV upload that cannot be used. str(error) is a translated, user-facing message saying
    what is wrong, where (line, column) and how to fix it; `line` (1-based, the header is line 1)
    and `column` (the column's name) are None when the fault is the file as a whole."""

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Truth:
    """The seeker's hidden answers: id -> expected value (labels as str, numbers as float)."""

    id_column: str
    target_column: str
    values: dict[str, str | float]


# --- reading CSV -------------------------------------------------------------------------------


def _shown(value: str) -> str:
    """A cell as an error message quotes it: cut when long, so a message stays one line."""
    value = value.replace("\r", " ").replace("\n", " ")
    if len(value) > SHOWN_VALUE_LENGTH:
        return value[: SHOWN_VALUE_LENGTH - 1] + "…"
    return value


def _at(line: int, column: str | None, problem: str) -> str:
    if column is None:
        return _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}
    return _("Line %(line)s, column '%(column)s': %(problem)s") % {
        "line": line,
        "column": _shown(column),
        "problem": problem,
    }


def _error(line: int, column: str | None, problem: str) -> UploadError:
    return UploadError(_at(line, column, problem), line=line, column=column)


def _metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(
            f"unknown metric {name!r}; the metrics are {', '.join(sorted(METRICS))}"
        ) from None


def _check_whole_file(data: bytes, max_bytes: int) -> None:
    """Faults of the file as a whole, found before reading a line of it."""
    if len(data) > max_bytes:
        raise UploadError(
            _(
                "The file is %(size)s; the limit is %(limit)s. Remove columns other than the "
                "id and the target, or shorten long values."
            )
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(max_bytes)}
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(
            _(
                "The file is UTF-16 text; it must be UTF-8. Save it again as "
                "'CSV UTF-8 (comma delimited)'."
            )
        )
    if not data.removeprefix(b"\xef\xbb\xbf").strip():
        raise _empty_file()
    nul = data.find(b"\x00")
    if nul != -1:
        line = data.count(b"\n", 0, nul) + 1
        raise UploadError(
            _at(
                line,
                None,
                _(
                    "the line holds a NUL character, so this is not a text file. Upload the "
                    "CSV file itself, saved as UTF-8 text."
                ),
            ),
            line=line,
        )


def _empty_file() -> UploadError:
    return UploadError(
        _(
            "The file is empty. It needs a header line naming the id column and the target "
            "column, such as 'id,target', then one line per id."
        )
    )


def _encoding_error(data: bytes) -> UploadError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    else:  # pragma: no cover - the stream said it was not UTF-8
        line = 1
    return _error(
        line,
        None,
        _(
            "the file is not UTF-8 text from here on. Save it again as "
            "'CSV UTF-8 (comma delimited)', or choose the UTF-8 encoding when exporting."
        ),
    )


def _reader(data: bytes, max_bytes: int) -> Any:
    """A csv reader streaming over the bytes (no decoded copy of the whole file)."""
    _check_whole_file(data, max_bytes)
    return csv.reader(
        io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline=""), strict=True
    )


@contextmanager
def _faults_of(data: bytes, reader: Any) -> Iterator[None]:
    """Decoding and quoting faults met while reading, as UploadError naming the line."""
    try:
        yield
    except UnicodeDecodeError:
        raise _encoding_error(data) from None
    except csv.Error as error:
        if "field limit" in str(error):
            limit = csv.field_size_limit()
            problem = ngettext(
                "a value is longer than %(limit)s character. Check for a quote that is never "
                "closed.",
                "a value is longer than %(limit)s characters. Check for a quote that is never "
                "closed.",
                limit,
            ) % {"limit": limit}
        else:
            problem = _(
                "the line is not valid CSV. A value holding a comma, a quote or a line break "
                "must be in double quotes, with each quote inside it doubled."
            )
        raise _error(reader.line_num, None, problem) from None


def _header(reader: Any) -> list[str]:
    for cells in reader:
        if cells:
            return [cell.strip() for cell in cells]
    raise _empty_file()  # only blank lines


def _wrong_count(line: int, cells: list[str]) -> UploadError:
    problem = ngettext(
        "the line has %(count)s value; each line needs exactly two, the id and the target, "
        "separated by a comma.",
        "the line has %(count)s values; each line needs exactly two, the id and the target, "
        "separated by a comma.",
        len(cells),
    ) % {"count": len(cells)}
    return _error(line, None, problem + _separator_hint(cells))


def _separator_hint(cells: list[str]) -> str:
    """A hint for the commonest wrong file: a spreadsheet's export with ';' or tabs."""
    if len(cells) == 1 and (";" in cells[0] or "\t" in cells[0]):
        return " " + _("Semicolons or tabs do not separate columns here; use commas.")
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _first_line_of(data: bytes, index: int, ident: str) -> int:
    """The line where `ident` first appears in column `index` (for a duplicate's message)."""
    reader = _reader(data, len(data))
    _header(reader)
    for cells in reader:
        if len(cells) > index and cells[index].strip() == ident:
            return reader.line_num
    return 0  # pragma: no cover - only called for an id already seen


def _duplicate(data: bytes, line: int, index: int, column: str, ident: str) -> UploadError:
    return _error(
        line,
        column,
        _(
            "the id '%(id)s' appears again; it is first on line %(first)s. Keep one line for "
            "each id."
        )
        % {"id": _shown(ident), "first": _first_line_of(data, index, ident)},
    )


# --- reading values ----------------------------------------------------------------------------


class _BadValue(Exception):
    """A target value that cannot be used; the reading loop adds the line and the column."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _number(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _BadValue(
            _(
                "'%(value)s' is not a number. Write a number such as 3.5, with a dot for the "
                "decimal point and no thousands separator."
            )
            % {"value": _shown(raw)}
        ) from None
    if value - value != 0.0:  # NaN or infinity, without a function call per row
        raise _BadValue(
            _("'%(value)s' is not a finite number. Write a number such as 3.5.")
            % {"value": _shown(raw)}
        )
    return value


def _probability(raw: str) -> float:
    value = _number(raw)
    if not 0.0 <= value <= 1.0:
        raise _BadValue(
            _(
                "'%(value)s' is not a probability. Write the probability that the answer is 1, "
                "a number from 0 to 1."
            )
            % {"value": _shown(raw)}
        )
    return value


def _binary(raw: str) -> float:
    value = _number(raw)
    if value != 0.0 and value != 1.0:
        raise _BadValue(
            _("'%(value)s' is neither 0 nor 1. For log loss the target of each id is 0 or 1.")
            % {"value": _shown(raw)}
        )
    return value


#: kind -> how a truth value, and a predicted value, is read (None: kept as text).
_TRUTH_VALUE: dict[str, Callable[[str], float] | None] = {
    "label": None,
    "number": _number,
    "probability": _binary,
}
_PREDICTED_VALUE: dict[str, Callable[[str], float] | None] = {
    "label": None,
    "number": _number,
    "probability": _probability,
}


def _empty_value(line: int, column: str, kind: str) -> UploadError:
    if kind == "label":
        problem = _("the value is empty. Write the label for this id.")
    elif kind == "probability":
        problem = _("the value is empty. Write a number from 0 to 1 for this id.")
    else:
        problem = _("the value is empty. Write a number for this id.")
    return _error(line, column, problem)


def _empty_id(line: int, column: str) -> UploadError:
    return _error(line, column, _("the id is empty. Each line starts with the id it is about."))


def _body(
    data: bytes,
    reader: Any,
    *,
    id_index: int,
    id_column: str,
    target_column: str,
    kind: str,
    convert: Callable[[str], float] | None,
    known: Mapping[str, object] | None,
) -> dict[str, str | float]:
    """id -> value of every line after the header. One tight loop, as it runs a million times
    for a large file; errors are built only when met."""
    target_index = 1 - id_index
    values: dict[str, str | float] = {}
    labels: dict[str, str] = {}  # one object per distinct label: less memory, faster counting
    for cells in reader:
        if len(cells) != 2:
            if not cells:
                continue  # a blank line
            raise _wrong_count(reader.line_num, cells)
        ident = cells[id_index].strip()
        raw = cells[target_index].strip()
        if not ident:
            raise _empty_id(reader.line_num, id_column)
        if known is not None and ident not in known:
            raise _error(
                reader.line_num,
                id_column,
                _(
                    "the id '%(id)s' is not one of this challenge's ids. Predict exactly the "
                    "ids of the test data, each once."
                )
                % {"id": _shown(ident)},
            )
        if ident in values:
            raise _duplicate(data, reader.line_num, id_index, id_column, ident)
        if not raw:
            raise _empty_value(reader.line_num, target_column, kind)
        if convert is None:
            values[ident] = labels.setdefault(raw, raw)
            continue
        try:
            values[ident] = convert(raw)
        except _BadValue as bad:
            raise _error(reader.line_num, target_column, bad.problem) from None
    return values


# --- the public functions ----------------------------------------------------------------------


def parse_truth(data: bytes, *, metric: str, max_bytes: int = 50_000_000) -> Truth:
    """Read the seeker's answers: a header naming the id column then the target column, then
    one line per id. Refuses what could not be scored fairly later, with a message saying where."""
    kind = _metric(metric).kind
    reader = _reader(data, max_bytes)
    with _faults_of(data, reader):
        header = _header(reader)
        id_column, target_column = _truth_header(header, reader.line_num)
        values = _body(
            data,
            reader,
            id_index=0,
            id_column=id_column,
            target_column=target_column,
            kind=kind,
            convert=_TRUTH_VALUE[kind],
            known=None,
        )
    if len(values) < 2:
        raise UploadError(
            _(
                "The file needs at least two ids after the header: one for the public "
                "leaderboard and one for the private ranking."
            )
        )
    return Truth(id_column=id_column, target_column=target_column, values=values)


def _truth_header(header: list[str], line: int) -> tuple[str, str]:
    if len(header) != 2:
        raise _error(
            line,
            None,
            _(
                "the header must name exactly two columns, the id column then the target "
                "column, such as 'id,target'; it has %(count)s."
            )
            % {"count": len(header)}
            + _separator_hint(header),
        )
    id_column, target_column = header
    if not id_column or not target_column:
        raise _error(
            line,
            None,
            _("a column has no name. Name both columns on the header line, such as 'id,target'."),
        )
    if id_column == target_column:
        raise _error(
            line,
            None,
            _("both columns are named '%(name)s'; give them different names.")
            % {"name": _shown(id_column)},
        )
    if _is_number(id_column) or _is_number(target_column):
        raise _error(
            line,
            None,
            _(
                "the first line must be a header naming the two columns, such as 'id,target', "
                "but '%(id)s,%(target)s' looks like data. Add the header line."
            )
            % {"id": _shown(id_column), "target": _shown(target_column)},
        )
    return id_column, target_column


def parse_predictions(
    data: bytes, truth: Truth, *, metric: str, max_bytes: int = 50_000_000
) -> dict[str, str | float]:
    """Read a solver's predictions: the truth's two column names (in either order), then exactly
    one line for each id of the truth. Returns id -> predicted value."""
    kind = _metric(metric).kind
    reader = _reader(data, max_bytes)
    with _faults_of(data, reader):
        header = _header(reader)
        if len(header) != 2 or set(header) != {truth.id_column, truth.target_column}:
            raise _error(
                reader.line_num,
                None,
                _(
                    "the header must be '%(id)s,%(target)s' (the two columns may be in either "
                    "order); found '%(found)s'. Write these two names on the first line."
                )
                % {
                    "id": _shown(truth.id_column),
                    "target": _shown(truth.target_column),
                    "found": _shown(",".join(header)),
                }
                + _separator_hint(header),
            )
        id_column = truth.id_column
        known = truth.values
        predictions = _body(
            data,
            reader,
            id_index=header.index(id_column),
            id_column=id_column,
            target_column=truth.target_column,
            kind=kind,
            convert=_PREDICTED_VALUE[kind],
            known=known,
        )

    missing = len(known) - len(predictions)
    if missing:
        some = islice((ident for ident in known if ident not in predictions), MISSING_IDS_SHOWN)
        shown = ", ".join(f"'{_shown(ident)}'" for ident in some)
        if missing <= MISSING_IDS_SHOWN:
            message = ngettext(
                "%(count)s id of the test data has no prediction: %(ids)s. Add one line for it.",
                "%(count)s ids of the test data have no prediction: %(ids)s. Add one line for "
                "each.",
                missing,
            )
        else:
            # Always more than one here, but languages choose their plural form by the number.
            message = ngettext(
                "%(count)s id of the test data has no prediction, among them %(ids)s. Add one "
                "line for each id of the test data.",
                "%(count)s ids of the test data have no prediction, among them %(ids)s. Add one "
                "line for each id of the test data.",
                missing,
            )
        raise UploadError(message % {"count": missing, "ids": shown}, column=id_column)
    return predictions


def _rank(seed: str) -> Callable[[str], bytes]:
    prefix = hashlib.sha256(hashlib.sha256(seed.encode()).digest())
    copy = prefix.copy

    def rank(ident: str) -> bytes:
        encoded = ident.encode()
        digest = copy()
        digest.update(encoded)
        return digest.digest() + encoded  # the id breaks a tie, so the order is total

    return rank


def split_ids(
    ids: Iterable[str], *, seed: str, public_percent: int = 30
) -> tuple[frozenset[str], frozenset[str]]:
    """(public, private): the round(n * public_percent / 100) ids with the smallest
    SHA-256(SHA-256(seed) + id) are public, at least one and at most n - 1 when n >= 2.

    The same seed and ids give the same split in any order, and without the secret seed no
    one can tell which ids count on the leaderboard."""
    if not seed:
        raise ValueError("split_ids needs a non-empty secret seed")
    if not 0 <= public_percent <= 100:
        raise ValueError("public_percent must be from 0 to 100")
    distinct = set(ids)
    n = len(distinct)
    count = round(n * public_percent / 100)
    if n >= 2:
        count = min(max(count, 1), n - 1)
    ordered = sorted(distinct, key=_rank(seed))
    return frozenset(ordered[:count]), frozenset(ordered[count:])


def score(
    metric: str,
    truth: Truth,
    predictions: Mapping[str, str | float],
    ids: Collection[str],
) -> float:
    """The metric over `ids` only (the public or the private part). Agrees with scikit-learn to
    1e-9 (see the decision record), and does not depend on the order of `ids`."""
    spec = _metric(metric)
    if not ids:
        raise ValueError("score needs at least one id")
    expected = truth.values
    first = next(iter(ids))
    if first not in expected or first not in predictions:
        raise ValueError(f"id {first!r} is not in both the truth and the predictions")
    wanted: type | tuple[type, ...] = str if spec.kind == "label" else (float, int)
    if not isinstance(expected[first], wanted) or not isinstance(predictions[first], wanted):
        raise ValueError(f"the truth or the predictions were not parsed for {metric!r}")
    ordered = list(ids)
    try:
        # The values in one order, pulled out by C loops: a million ids take a fraction of a
        # second. math.fsum is exact, so the order of `ids` cannot change the result.
        truths = list(map(expected.__getitem__, ordered))
        guesses = list(map(predictions.__getitem__, ordered))
    except KeyError as error:
        raise ValueError(
            f"id {error.args[0]!r} is not in both the truth and the predictions"
        ) from None
    return _SCORERS[metric](truths, guesses)


# --- the metrics -------------------------------------------------------------------------------

_Scorer = Callable[[list[Any], list[Any]], float]


def _accuracy(expected: list[Any], predicted: list[Any]) -> float:
    return sum(map(operator.eq, expected, predicted)) / len(expected)


def _mae(expected: list[float], predicted: list[float]) -> float:
    n = len(expected)
    try:
        total = math.fsum(map(abs, map(operator.sub, predicted, expected)))
    except OverflowError:
        total = math.inf
    if math.isfinite(total):
        return total / n
    # Differences near the float limit: halve them and share out the mean, which cannot overflow.
    return 2 * math.fsum(abs(p / 2 - t / 2) / n for p, t in zip(predicted, expected, strict=True))


def _rmse(expected: list[float], predicted: list[float]) -> float:
    n = len(expected)
    differences = list(map(operator.sub, predicted, expected))
    try:
        total = math.fsum(map(operator.mul, differences, differences))
    except OverflowError:
        total = math.inf
    if math.isfinite(total):
        return math.sqrt(total / n)
    # Squares beyond the float limit: scale by the largest difference first.
    halves = [p / 2 - t / 2 for p, t in zip(predicted, expected, strict=True)]
    largest = max(map(abs, halves))
    return 2 * largest * math.sqrt(math.fsum((half / largest) ** 2 for half in halves) / n)


def _log_loss(expected: list[float], predicted: list[float]) -> float:
    # The probability given to what happened; 1 - p is taken before clipping, as sklearn does.
    given = [p if y == 1.0 else 1.0 - p for y, p in zip(expected, predicted, strict=True)]
    low, high = LOG_LOSS_EPSILON, 1.0 - LOG_LOSS_EPSILON
    clipped = [low if q < low else high if q > high else q for q in given]
    return -math.fsum(map(math.log, clipped)) / len(expected)


def _f1(expected: list[str], predicted: list[str]) -> float:
    times_true = Counter(expected)
    times_predicted = Counter(predicted)
    right = Counter(compress(expected, map(operator.eq, expected, predicted)))
    labels = times_true.keys() | times_predicted.keys()
    # F1 of a label = 2·TP / (2·TP + FP + FN), and 2·TP + FP + FN = times true + times predicted.
    return math.fsum(
        2 * right[label] / (times_true[label] + times_predicted[label]) for label in labels
    ) / len(labels)


_SCORERS: dict[str, _Scorer] = {
    "accuracy": _accuracy,
    "rmse": _rmse,
    "mae": _mae,
    "log_loss": _log_loss,
    "f1": _f1,
}
