"""Scoring of scored challenges: CSV uploads refused with a message saying where and how to fix,
metrics that agree with scikit-learn, and a public/private split no one can predict."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import random
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from peerwork.challenges.scoring import (
    LOG_LOSS_EPSILON,
    METRICS,
    Truth,
    UploadError,
    parse_predictions,
    parse_truth,
    score,
    split_ids,
)


def close(ours: float, theirs: float) -> bool:
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


def csv_bytes(header: tuple[str, str], rows: list[tuple[object, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" ends rows, so a value holding \r or \n is quoted
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def truth_of(values: list[str] | list[float]) -> Truth:
    return Truth("id", "target", {f"r{i}": value for i, value in enumerate(values)})


def predictions_of(values: list[str] | list[float]) -> dict[str, str | float]:
    return {f"r{i}": value for i, value in enumerate(values)}


def everything(truth: Truth) -> list[str]:
    return list(truth.values)


# ------------------------------------------------------------------------------- the metrics


def test_the_five_metrics_and_their_direction():
    assert sorted(METRICS) == ["accuracy", "f1", "log_loss", "mae", "rmse"]
    assert {name: m.higher_is_better for name, m in METRICS.items()} == {
        "accuracy": True,
        "f1": True,
        "log_loss": False,
        "mae": False,
        "rmse": False,
    }
    assert {name: m.kind for name, m in METRICS.items()} == {
        "accuracy": "label",
        "f1": "label",
        "log_loss": "probability",
        "mae": "number",
        "rmse": "number",
    }
    assert all(m.name == name for name, m in METRICS.items())
    assert str(METRICS["rmse"].label) == "Root mean squared error"


LABELS = st.sampled_from(["cat", "dog", "1", "1.0", "0", "bird"])
PAIRS_OF_LABELS = st.lists(st.tuples(LABELS, LABELS), min_size=1, max_size=200)
NUMBERS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
PAIRS_OF_NUMBERS = st.lists(st.tuples(NUMBERS, NUMBERS), min_size=1, max_size=200)
PROBABILITIES = st.one_of(
    st.floats(min_value=0.0, max_value=1.0),
    st.sampled_from([0.0, 1.0, 1e-17, 1 - 1e-17, LOG_LOSS_EPSILON, 0.5]),
)
PAIRS_FOR_LOG_LOSS = st.lists(
    st.tuples(st.sampled_from([0.0, 1.0]), PROBABILITIES), min_size=1, max_size=200
)


@settings(max_examples=200, deadline=None)
@given(PAIRS_OF_LABELS)
def test_accuracy_agrees_with_scikit_learn(pairs):
    expected, predicted = [p[0] for p in pairs], [p[1] for p in pairs]
    truth = truth_of(expected)
    ours = score("accuracy", truth, predictions_of(predicted), everything(truth))
    assert close(ours, sk.accuracy_score(expected, predicted))


@settings(max_examples=200, deadline=None)
@given(PAIRS_OF_LABELS)
def test_f1_is_scikit_learns_macro_average(pairs):
    expected, predicted = [p[0] for p in pairs], [p[1] for p in pairs]
    truth = truth_of(expected)
    ours = score("f1", truth, predictions_of(predicted), everything(truth))
    theirs = sk.f1_score(expected, predicted, average="macro", zero_division=0.0)
    assert close(ours, theirs)


@settings(max_examples=200, deadline=None)
@given(PAIRS_OF_NUMBERS)
def test_rmse_agrees_with_scikit_learn(pairs):
    expected, predicted = [p[0] for p in pairs], [p[1] for p in pairs]
    truth = truth_of(expected)
    ours = score("rmse", truth, predictions_of(predicted), everything(truth))
    assert close(ours, math.sqrt(sk.mean_squared_error(expected, predicted)))
    assert close(ours, sk.root_mean_squared_error(expected, predicted))


@settings(max_examples=200, deadline=None)
@given(PAIRS_OF_NUMBERS)
def test_mae_agrees_with_scikit_learn(pairs):
    expected, predicted = [p[0] for p in pairs], [p[1] for p in pairs]
    truth = truth_of(expected)
    ours = score("mae", truth, predictions_of(predicted), everything(truth))
    assert close(ours, sk.mean_absolute_error(expected, predicted))


@settings(max_examples=300, deadline=None)
@given(PAIRS_FOR_LOG_LOSS)
def test_log_loss_agrees_with_scikit_learn_including_its_clipping(pairs):
    expected, predicted = [p[0] for p in pairs], [p[1] for p in pairs]
    truth = truth_of(expected)
    ours = score("log_loss", truth, predictions_of(predicted), everything(truth))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "do not sum to one" at 1 - 1e-17
        theirs = sk.log_loss(expected, y_proba=predicted, labels=[0.0, 1.0])
    assert close(ours, theirs)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(METRICS)), st.data())
def test_ids_restrict_the_score_and_their_order_changes_nothing(metric, data):
    kind = METRICS[metric].kind
    if kind == "label":
        pairs = data.draw(st.lists(st.tuples(LABELS, LABELS), min_size=2, max_size=100))
    elif kind == "number":
        pairs = data.draw(st.lists(st.tuples(NUMBERS, NUMBERS), min_size=2, max_size=100))
    else:
        pairs = data.draw(PAIRS_FOR_LOG_LOSS.filter(lambda p: len(p) >= 2))
    truth = truth_of([p[0] for p in pairs])
    predictions = predictions_of([p[1] for p in pairs])
    subset = data.draw(
        st.lists(st.sampled_from(everything(truth)), min_size=1, unique=True), label="subset"
    )
    shuffled = data.draw(st.permutations(subset), label="shuffled")

    ours = score(metric, truth, predictions, subset)
    assert score(metric, truth, predictions, shuffled) == ours  # exactly: math.fsum
    assert score(metric, truth, predictions, frozenset(subset)) == ours
    # Only the subset counts: the same as scoring a truth that holds nothing else.
    alone = Truth("id", "target", {i: truth.values[i] for i in subset})
    assert close(score(metric, alone, {i: predictions[i] for i in subset}, subset), ours)


def test_hand_checked_scores():
    labels = truth_of(["1", "1", "0", "0"])
    guesses = predictions_of(["1", "0", "0", "0"])
    ids = everything(labels)
    assert score("accuracy", labels, guesses, ids) == 0.75
    # Label "1": TP 1, FN 1 -> 2/3; label "0": TP 2, FP 1 -> 4/5; the mean of both classes.
    assert math.isclose(score("f1", labels, guesses, ids), (2 / 3 + 4 / 5) / 2)

    numbers = truth_of([1.0, 2.0, 3.0])
    off = predictions_of([1.0, 2.0, 6.0])
    assert math.isclose(score("rmse", numbers, off, everything(numbers)), math.sqrt(3))
    assert score("mae", numbers, off, everything(numbers)) == 1.0
    assert score("mae", numbers, {"r0": 1, "r1": 2, "r2": 6}, everything(numbers)) == 1.0

    binary = truth_of([1.0, 0.0])
    assert math.isclose(
        score("log_loss", binary, predictions_of([0.5, 0.5]), ["r0", "r1"]), math.log(2)
    )
    # A certain wrong answer is clipped to the float epsilon instead of costing infinity.
    assert math.isclose(
        score("log_loss", binary, predictions_of([0.0, 0.0]), ["r0"]), -math.log(LOG_LOSS_EPSILON)
    )
    assert score("log_loss", binary, predictions_of([1.0, 0.0]), ["r0", "r1"]) == pytest.approx(
        -math.log(1 - LOG_LOSS_EPSILON)
    )


def test_labels_are_text_so_1_and_1_point_0_differ():
    truth = truth_of(["1", "0"])
    guesses = predictions_of(["1.0", "0"])
    assert score("accuracy", truth, guesses, ["r0", "r1"]) == 0.5
    # Labels "1", "1.0" and "0": F1 0, 0 and 1.
    assert math.isclose(score("f1", truth, guesses, ["r0", "r1"]), 1 / 3)


def test_huge_differences_do_not_overflow():
    truth = truth_of([0.0, 0.0])
    assert score("rmse", truth, predictions_of([1e200, 1e200]), ["r0", "r1"]) == pytest.approx(
        1e200
    )
    assert score("rmse", truth, predictions_of([1e200, 0.0]), ["r0", "r1"]) == pytest.approx(
        1e200 / math.sqrt(2)
    )
    spread = truth_of([-1e308, 0.0])
    assert score("mae", spread, predictions_of([1e308, 0.0]), ["r0", "r1"]) == pytest.approx(1e308)
    assert score("rmse", spread, predictions_of([1e308, 0.0]), ["r0", "r1"]) == pytest.approx(
        2e308 / math.sqrt(2)
    )


def test_score_refuses_what_it_cannot_score():
    truth = truth_of([1.0, 2.0])
    predictions = predictions_of([1.0, 2.0])
    with pytest.raises(ValueError, match="at least one id"):
        score("rmse", truth, predictions, [])
    with pytest.raises(ValueError, match="at least one id"):
        score("rmse", truth, predictions, frozenset())
    with pytest.raises(ValueError, match="unknown metric 'auc'"):
        score("auc", truth, predictions, ["r0"])
    with pytest.raises(ValueError, match="'r9' is not in both"):
        score("rmse", truth, predictions, ["r9"])
    with pytest.raises(ValueError, match="'r9' is not in both"):
        score("rmse", truth, predictions, ["r0", "r9"])
    with pytest.raises(ValueError, match="not parsed for 'accuracy'"):
        score("accuracy", truth, predictions, ["r0"])


# ---------------------------------------------------------------------------- reading truth


def test_truth_is_read_with_its_column_names_and_typed_values():
    data = "\ufeffrow_id , price\r\n a1 ,3.5\r\n\r\nb2,-1e3\r\n".encode()
    truth = parse_truth(data, metric="rmse")
    assert truth == Truth("row_id", "price", {"a1": 3.5, "b2": -1000.0})

    labels = parse_truth(b'id,species\n1,"cat, tabby"\n2,1.0\n3,1\n', metric="accuracy")
    assert labels.values == {"1": "cat, tabby", "2": "1.0", "3": "1"}

    binary = parse_truth(b"id,clicked\nx,1\ny,0\nz,1.0\nw,0e0\n", metric="log_loss")
    assert binary.values == {"x": 1.0, "y": 0.0, "z": 1.0, "w": 0.0}


IDS = (
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(IDS, IDS, min_size=2, max_size=50), st.randoms(use_true_random=False))
def test_any_text_survives_the_round_trip(values, rng):
    truth = parse_truth(csv_bytes(("id", "label"), list(values.items())), metric="f1")
    assert truth.values == values
    rows = [(label, ident) for ident, label in values.items()]
    rng.shuffle(rows)
    predictions = parse_predictions(csv_bytes(("label", "id"), rows), truth, metric="f1")
    assert predictions == values
    assert score("f1", truth, predictions, list(values)) == 1.0


GOOD_TRUTH = b"id,target\na,1\nb,2\nc,3\n"

TRUTH_ERRORS = [
    # (name, data, metric, line, column, words the message must hold)
    ("empty", b"", "rmse", None, None, ["empty", "'id,target'"]),
    ("only a BOM and blanks", b"\xef\xbb\xbf \r\n\n", "rmse", None, None, ["empty"]),
    ("only blank lines", b"\n\n\n", "rmse", None, None, ["empty"]),
    ("UTF-16", "id,target\n".encode("utf-16"), "rmse", None, None, ["UTF-16", "UTF-8"]),
    ("latin-1", b"id,target\na,1\n\xe9t\xe9,2\n", "accuracy", 3, None, ["not UTF-8", "Save"]),
    ("NUL", b"id,target\na,1\nb\x00,2\n", "rmse", 3, None, ["NUL", "text"]),
    ("three columns", b"id,target,extra\na,1,2\n", "rmse", 1, None, ["exactly two", "has 3"]),
    ("semicolons", b"id;target\na;1\n", "rmse", 1, None, ["Semicolons", "use commas"]),
    ("same names", b"id,id\na,1\nb,2\n", "rmse", 1, None, ["both columns", "'id'"]),
    ("nameless", b"id,\na,1\nb,2\n", "rmse", 1, None, ["no name"]),
    ("no header", b"1,0.5\n2,0.7\n3,0.1\n", "rmse", 1, None, ["looks like data", "header"]),
    ("wide row", b"id,target\na,1\nb,2,3\n", "rmse", 3, None, ["3 values", "exactly two"]),
    ("narrow row", b"id,target\na,1\nb\n", "rmse", 3, None, ["1 value;", "exactly two"]),
    ("empty id", b"id,target\na,1\n  ,2\n", "rmse", 3, "id", ["id is empty"]),
    ("empty value", b"id,target\na,1\nb, \n", "rmse", 3, "target", ["empty", "number"]),
    ("empty label", b"id,target\na,x\nb,\n", "f1", 3, "target", ["empty", "label"]),
    ("duplicate", b"id,target\na,1\nb,2\na,3\n", "rmse", 4, "id", ["'a'", "line 2"]),
    ("text", b"id,target\na,1\nb,two\n", "mae", 3, "target", ["'two' is not a number"]),
    ("decimal comma", b'id,target\na,1\nb,"2,5"\n', "mae", 3, "target", ["'2,5'", "dot"]),
    ("NaN", b"id,target\na,1\nb,NaN\n", "rmse", 3, "target", ["'NaN'", "finite"]),
    ("infinity", b"id,target\na,1\nb,-inf\n", "rmse", 3, "target", ["'-inf'", "finite"]),
    ("not binary", b"id,target\na,1\nb,0.5\n", "log_loss", 3, "target", ["'0.5'", "0 or 1"]),
    ("two", b"id,target\na,1\nb,2\n", "log_loss", 3, "target", ["'2'", "0 or 1"]),
    ("one row", b"id,target\na,1\n", "rmse", None, None, ["at least two ids"]),
    ("header only", b"id,target\n", "rmse", None, None, ["at least two ids"]),
    ("open quote", b'id,target\na,1\nb,"2\n', "rmse", 3, None, ["not valid CSV", "quotes"]),
    ("stray quote", b'id,target\na,1\n"b"x,2\n', "rmse", 3, None, ["not valid CSV"]),
]


@pytest.mark.parametrize(
    ("data", "metric", "line", "column", "words"),
    [case[1:] for case in TRUTH_ERRORS],
    ids=[case[0] for case in TRUTH_ERRORS],
)
def test_bad_truth_is_refused_saying_where(data, metric, line, column, words):
    with pytest.raises(UploadError) as caught:
        parse_truth(data, metric=metric)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    message = str(error)
    for word in words:
        assert word in message
    if line is not None:
        assert message.startswith(f"Line {line}")
    if column is not None:
        assert f"column '{column}'" in message


def test_a_file_over_the_limit_is_refused_before_reading_it():
    assert parse_truth(GOOD_TRUTH, metric="rmse", max_bytes=len(GOOD_TRUTH)).values["c"] == 3.0
    with pytest.raises(UploadError) as caught:
        parse_truth(GOOD_TRUTH, metric="rmse", max_bytes=len(GOOD_TRUTH) - 1)
    assert str(caught.value) == (
        "The file is 22\xa0bytes; the limit is 21\xa0bytes. Remove columns other than the id "
        "and the target, or shorten long values."
    )
    assert (caught.value.line, caught.value.column) == (None, None)
    with pytest.raises(UploadError, match="60.0\xa0MB; the limit is 47.7\xa0MB"):
        parse_truth(b"x" * 60 * 1024 * 1024, metric="rmse")


def test_a_bad_byte_deep_in_a_large_file_is_found_on_its_line():
    rows = b"".join(b"r%d,%d\n" % (i, i) for i in range(50_000))
    with pytest.raises(UploadError) as caught:
        parse_truth(b"id,target\n" + rows + b"r\xff,1\n", metric="rmse")
    assert caught.value.line == 50_002


def test_unknown_metric_is_a_programming_error_not_an_upload_error():
    with pytest.raises(ValueError, match="unknown metric 'auc'") as caught:
        parse_truth(GOOD_TRUTH, metric="auc")
    assert not isinstance(caught.value, UploadError)


# ------------------------------------------------------------------------ reading predictions

TRUTH = Truth("id", "target", {f"r{i}": float(i) for i in range(1, 9)})
LABEL_TRUTH = Truth("id", "target", {"a": "x", "b": "y"})
BINARY_TRUTH = Truth("id", "clicked", {"a": 1.0, "b": 0.0})


def test_predictions_may_swap_the_columns():
    data = b"target,id\n" + b"".join(b"%d.5,r%d\n" % (i, i) for i in range(8, 0, -1))
    predictions = parse_predictions(data, TRUTH, metric="rmse")
    assert predictions == {f"r{i}": i + 0.5 for i in range(8, 0, -1)}
    assert score("rmse", TRUTH, predictions, list(TRUTH.values)) == 0.5

    assert parse_predictions(
        b"\xef\xbb\xbfclicked,id\r\n0,b\r\n1,a\r\n", BINARY_TRUTH, metric="log_loss"
    ) == {"b": 0.0, "a": 1.0}
    assert parse_predictions(b"id,target\na,1.0\nb,y\n", LABEL_TRUTH, metric="accuracy") == {
        "a": "1.0",
        "b": "y",
    }


def rows_for(count: int, skip: set[int] = frozenset()) -> bytes:
    return b"".join(b"r%d,1\n" % i for i in range(1, count + 1) if i not in skip)


PREDICTION_ERRORS = [
    ("empty", b"", TRUTH, "rmse", None, None, ["empty"]),
    ("too large", b"id,target\n" + b"r1,1\n" * 30, TRUTH, "rmse", None, None, ["limit"]),
    ("latin-1", b"id,target\nr\xe91,1\n", TRUTH, "rmse", 2, None, ["not UTF-8"]),
    (
        "other names",
        b"id,prediction\n" + rows_for(8),
        TRUTH,
        "rmse",
        1,
        None,
        ["'id,target'", "either order", "found 'id,prediction'"],
    ),
    ("no header", rows_for(8), TRUTH, "rmse", 1, None, ["'id,target'", "found 'r1,1'"]),
    ("three names", b"id,target,x\n", TRUTH, "rmse", 1, None, ["found 'id,target,x'"]),
    ("semicolons", b"id;target\n", TRUTH, "rmse", 1, None, ["Semicolons"]),
    (
        "unknown id",
        b"id,target\n" + rows_for(3) + b"r99,1\n",
        TRUTH,
        "rmse",
        5,
        "id",
        ["'r99'", "not one of this challenge's ids"],
    ),
    (
        "duplicate",
        b"id,target\n" + rows_for(3) + b"r2,1\n",
        TRUTH,
        "rmse",
        5,
        "id",
        ["'r2' appears again", "first on line 3", "one line for each id"],
    ),
    (
        "one missing",
        b"id,target\n" + rows_for(8, {5}),
        TRUTH,
        "rmse",
        None,
        "id",
        ["1 id of the test data has no prediction: 'r5'."],
    ),
    (
        "a few missing",
        b"id,target\n" + rows_for(8, {2, 7}),
        TRUTH,
        "rmse",
        None,
        "id",
        ["2 ids of the test data have no prediction: 'r2', 'r7'."],
    ),
    (
        "many missing",
        b"id,target\nr8,1\n",
        TRUTH,
        "rmse",
        None,
        "id",
        ["7 ids", "among them 'r1', 'r2', 'r3', 'r4', 'r5'.", "Add one line"],
    ),
    ("header only", b"id,target\n", TRUTH, "rmse", None, "id", ["8 ids"]),
    ("empty id", b"id,target\n,1\n", TRUTH, "rmse", 2, "id", ["id is empty"]),
    ("empty value", b"id,target\nr1,\n", TRUTH, "rmse", 2, "target", ["empty"]),
    ("empty label", b"id,target\na,\n", LABEL_TRUTH, "f1", 2, "target", ["label"]),
    ("text", b"id,target\nr1,high\n", TRUTH, "rmse", 2, "target", ["'high' is not a number"]),
    ("NaN", b"id,target\nr1,nan\n", TRUTH, "mae", 2, "target", ["'nan'", "finite"]),
    ("infinity", b"target,id\nInfinity,r1\n", TRUTH, "mae", 2, "target", ["'Infinity'"]),
    ("wide row", b"id,target\nr1,1,2\n", TRUTH, "rmse", 2, None, ["3 values"]),
    (
        "above 1",
        b"id,clicked\na,1.0000001\n",
        BINARY_TRUTH,
        "log_loss",
        2,
        "clicked",
        ["'1.0000001' is not a probability", "from 0 to 1"],
    ),
    ("below 0", b"id,clicked\na,-0.1\n", BINARY_TRUTH, "log_loss", 2, "clicked", ["'-0.1'"]),
    ("bad quote", b'id,target\nr1,"1\n', TRUTH, "rmse", 2, None, ["not valid CSV"]),
]


@pytest.mark.parametrize(
    ("data", "truth", "metric", "line", "column", "words"),
    [case[1:] for case in PREDICTION_ERRORS],
    ids=[case[0] for case in PREDICTION_ERRORS],
)
def test_bad_predictions_are_refused_saying_where(data, truth, metric, line, column, words):
    with pytest.raises(UploadError) as caught:
        parse_predictions(data, truth, metric=metric, max_bytes=100)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    message = str(error)
    for word in words:
        assert word in message
    if line is not None:
        assert message.startswith(f"Line {line}")


def test_long_values_are_cut_in_messages():
    long_id = "x" * 500
    with pytest.raises(UploadError) as caught:
        parse_predictions(f"id,target\n{long_id},1\n".encode(), TRUTH, metric="rmse")
    assert "'" + "x" * 39 + "…'" in str(caught.value)
    assert len(str(caught.value)) < 200


# ------------------------------------------------------------------------------ the split


def expected_public_size(n: int, percent: int) -> int:
    size = round(n * percent / 100)
    return min(max(size, 1), n - 1) if n >= 2 else size


@settings(max_examples=200, deadline=None)
@given(
    st.sets(IDS, max_size=60),
    st.integers(min_value=0, max_value=100),
    st.text(min_size=1, max_size=20),
    st.randoms(use_true_random=False),
)
def test_the_split_has_the_exact_size_and_ignores_order(ids, percent, seed, rng):
    public, private = split_ids(ids, seed=seed, public_percent=percent)
    assert len(public) == expected_public_size(len(ids), percent)
    assert public | private == ids
    assert not public & private
    if len(ids) >= 2:
        assert public and private

    shuffled = list(ids)
    rng.shuffle(shuffled)
    assert split_ids(shuffled + shuffled[:3], seed=seed, public_percent=percent) == (
        public,
        private,
    )


def test_the_split_sizes_follow_the_percentage():
    ids = [f"row-{i}" for i in range(1000)]
    assert [len(split_ids(ids, seed="s", public_percent=p)[0]) for p in (0, 1, 30, 50, 100)] == [
        1,
        10,
        300,
        500,
        999,
    ]
    assert [len(split_ids(ids[:n], seed="s")[0]) for n in (0, 1, 2, 3, 5, 15, 25)] == [
        0,  # nothing to split
        0,  # round(0.3) = 0: the one id is private
        1,
        1,
        2,  # round(1.5) = 2
        4,  # round(4.5) = 4: Python rounds halves to even
        8,  # round(7.5) = 8
    ]


def test_the_split_is_deterministic_and_depends_on_the_seed():
    ids = [f"row-{i}" for i in range(100)]
    first = split_ids(ids, seed="4f1c9b0e")
    assert split_ids(reversed(ids), seed="4f1c9b0e") == first
    assert split_ids(ids, seed="4f1c9b0f") != first
    splits = {split_ids(ids, seed=f"seed-{n}")[0] for n in range(20)}
    assert len(splits) == 20


def test_the_split_ranks_ids_by_sha256_of_the_seed_digest_and_the_id():
    ids = [f"row-{i}" for i in range(50)]
    seed = "a secret seed"
    prefix = hashlib.sha256(seed.encode()).digest()
    ranked = sorted(ids, key=lambda i: hashlib.sha256(prefix + i.encode()).digest())
    public, private = split_ids(ids, seed=seed, public_percent=30)
    assert public == frozenset(ranked[:15])
    assert private == frozenset(ranked[15:])


def test_the_split_of_a_fixed_seed_never_changes():
    """A golden value: changing the rule would move ids between the public and private parts
    of challenges already running."""
    public, private = split_ids([f"id{i}" for i in range(10)], seed="peerwork")
    assert sorted(public) == ["id6", "id7", "id8"]
    assert len(private) == 7


def test_the_split_refuses_a_missing_seed_or_a_bad_percentage():
    with pytest.raises(ValueError, match="seed"):
        split_ids(["a", "b"], seed="")
    with pytest.raises(ValueError, match="public_percent"):
        split_ids(["a", "b"], seed="s", public_percent=101)
    with pytest.raises(ValueError, match="public_percent"):
        split_ids(["a", "b"], seed="s", public_percent=-1)


def test_an_upload_end_to_end():
    rng = random.Random(7)
    truth_rows = [(f"q{i}", rng.choice(["spam", "ham"])) for i in range(200)]
    truth = parse_truth(csv_bytes(("question", "answer"), truth_rows), metric="f1")
    guesses = [(answer if rng.random() < 0.8 else "spam", ident) for ident, answer in truth_rows]
    predictions = parse_predictions(csv_bytes(("answer", "question"), guesses), truth, metric="f1")
    public, private = split_ids(truth.values, seed="s3cret")
    assert (len(public), len(private)) == (60, 140)
    for part in (public, private):
        ordered = sorted(part)
        expected = [truth.values[i] for i in ordered]
        predicted = [predictions[i] for i in ordered]
        assert close(
            score("f1", truth, predictions, part),
            sk.f1_score(expected, predicted, average="macro"),
        )
        assert close(
            score("accuracy", truth, predictions, part), sk.accuracy_score(expected, predicted)
        )
