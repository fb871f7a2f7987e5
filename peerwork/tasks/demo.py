"""Demo tasks for the embedded run, made through the same actions as the product."""

from __future__ import annotations

from typing import Any

from . import actions


def seed(*, space: Any, people: dict[str, Any]) -> None:
    """A done task (its bounty paid), one in review and open ones, one of them waiting for the
    others. The space's treasury must hold the bounties (peerwork/demo.py funds it first).

    `people`: the demo's users by username; the first posts (a steward of `space`), the second
    and third claim and deliver, the third (a member) reviews what the second delivered.
    """
    poster, worker, peer, *_rest = people.values()
    survey = actions.task_create(
        user=poster,
        space=space,
        title="Survey the river crossings",
        description=(
            "Walk the river from the mill to the harbour and note every bridge, ford and "
            "ferry, with a photo of each. Put the list on the **River maps** wiki page."
        ),
        skills=["cartography", "walking"],
        labels=["rivers", "survey"],
        estimate_hours=6,
        bounty=12000,
        currency="EUR",
    )
    actions.task_claim(user=worker, task=survey)
    delivered = actions.task_deliver(
        user=worker,
        task=survey,
        text="Eleven crossings, each with a photo; the list is on the River maps page.",
        links=["https://example.org/river-photos"],
    )
    actions.delivery_review(
        user=peer,
        delivery=delivered,
        decision="approved",
        reason="Checked three crossings on the ground: all there, all right.",
    )
    legend = actions.task_create(
        user=poster,
        space=space,
        title="Translate the map legend into Spanish",
        description="The legend has 24 entries; keep the symbols' names short.",
        skills=["translation"],
        labels=["legend"],
        language="es",
        estimate_hours=2,
        bounty=4000,
        currency="EUR",
    )
    actions.task_claim(user=peer, task=legend)
    actions.task_deliver(
        user=peer, task=legend, text="All 24 entries translated; two notes in the comments."
    )
    actions.task_create(
        user=worker,
        space=space,
        title="Draw the cycling routes layer",
        description="A team traces the routes from the GPS tracks; shares follow the work.",
        mode="cooperative",
        skills=["cartography", "gis"],
        labels=["cycling"],
        estimate_hours=20,
    )
    actions.task_create(
        user=poster,
        space=space,
        title="Propose a cover for the printed atlas",
        description="Everyone may propose one; the reviewer picks the cover.",
        mode="contest",
        skills=["design"],
        labels=["print"],
    )
    actions.task_create(
        user=poster,
        space=space,
        title="Print the first edition",
        description="Once the survey and the legend are done.",
        labels=["print"],
        depends_on=[survey.pk, legend.pk],
    )
