"""The edit-risk model: features, precision and recall on a held-out generated history, the
risk screen holding an edit above the space's threshold, and training on a space's history."""

from __future__ import annotations

from typing import Any

import pytest

from peerwork.risk import features, scoring, synthetic
from peerwork.risk.actions import risk_train
from peerwork.risk.selectors import risk_status
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import HeldEdit, Page

#: The bounds the decision (docs/decisions/0059) states; measured: about 0.94 and 0.83.
MIN_PRECISION = 0.85
MIN_RECALL = 0.75


def test_features_read_an_edit() -> None:
    edit = features.Edit(
        previous="a long page of text " * 10,
        text="AAAAAAAAAAAA idiot https://spam.example",
        added="AAAAAAAAAAAA idiot https://spam.example",
        removed="a long page of text " * 10,
        summary="",
        account_age_days=1,
        edit_count=0,
    )
    row = dict(zip(features.NAMES, features.vector(edit), strict=True))
    assert row["longest_repeat"] == 12
    assert row["bad_words"] == 1
    assert row["links_added"] == 1
    assert row["is_new_account"] == 1
    assert row["summary_is_empty"] == 1
    assert row["blanked_share"] > 0.8
    assert features.in_words("blanked_share", 0.92) == "removes 92% of the page"


def test_precision_and_recall_on_a_held_out_history() -> None:
    data = synthetic.history(4000, seed=5)
    rows = [features.vector(edit) for edit, _ in data]
    labels = [label for _, label in data]
    scorer = scoring.fit(rows[:3000], labels[:3000])
    measured = scoring.precision_recall(scorer, rows[3000:], labels[3000:])
    assert measured["precision"] >= MIN_PRECISION
    assert measured["recall"] >= MIN_RECALL


def test_an_explanation_names_the_blanking() -> None:
    scorer = scoring.default_scorer()
    edit = features.Edit("x " * 400, "", "", "x " * 400, "", 0.5, 0)
    score, top = scorer.explain(features.vector(edit))
    assert score > 0.9
    assert "blanked_share" in [item["feature"] for item in top]


@pytest.mark.django_db
def test_a_risky_edit_is_held_and_precision_counts_decisions(
    make_user: Any, make_space: Any
) -> None:
    ada, eve = make_user("ada"), make_user("eve")
    space = make_space(ada, "atlas")
    spaces.space_policy_update(
        user=ada,
        space=space,
        document={**space.policy, "risk": {"hold_risky_edits": True, "threshold_percent": 80}},
    )
    space.refresh_from_db()
    text = "\n".join(f"A careful sentence about the commons, number {n}." for n in range(30))
    first = wiki.page_save(user=ada, space=space, title="Home", text=text, base_revision_id=None)
    good = wiki.page_save(
        user=eve,
        space=space,
        title="Home",
        text=text + "\nOne more careful sentence.",
        base_revision_id=first.revision.pk,
        summary="add a sentence",
    )
    assert good.status == "saved"
    assert good.event.data["screening"][0]["screen"] == "risk"
    base = Page.objects.get(title="Home").current_revision_id
    bad = wiki.page_save(
        user=eve, space=space, title="Home", text="LOL IDIOT!!!!!!!!!!!!", base_revision_id=base
    )
    assert bad.status == "held"
    assert Page.objects.get(title="Home").current_revision_id == base
    risk = bad.held.risk
    assert risk["score"] >= 0.8 and len(risk["data"]["top"]) >= 1
    wiki.held_edit_reject(user=ada, held=bad.held)
    status = risk_status(user=ada, space=space)
    assert (status.rejected, status.released, status.precision) == (1, 0, 1.0)
    with pytest.raises(Exception, match="threshold_percent"):
        spaces.space_policy_update(
            user=ada, space=space, document={**space.policy, "risk": {"threshold_percent": 10}}
        )


@pytest.mark.django_db
def test_training_on_a_space_history_with_reverts(make_user: Any, make_space: Any) -> None:
    ada, eve = make_user("ada"), make_user("eve")
    space = make_space(ada, "atlas")
    for n in range(40):
        title = f"Page {n}"
        saved = wiki.page_save(
            user=ada,
            space=space,
            title=title,
            text=f"Good text {n}\nmore\n",
            base_revision_id=None,
        )
        current = saved.revision.pk
        if n % 4 == 0:
            bad = wiki.page_save(
                user=eve,
                space=space,
                title=title,
                text="HAHAHA STUPID!!!!!!!!",
                base_revision_id=current,
            )
            wiki.revision_restore(user=ada, page=saved.page, revision_id=current, summary="revert")
            assert bad.revision is not None
        else:
            wiki.page_save(
                user=eve,
                space=space,
                title=title,
                text=f"Good text {n}\nmore\nand more\n",
                base_revision_id=current,
                summary="more",
            )
    stored = risk_train(user=ada, space=space)
    assert stored.samples >= 50 and stored.positives == 10
    assert risk_status(user=ada, space=space).model == "space"
    assert HeldEdit.objects.count() == 0
