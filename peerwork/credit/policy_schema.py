"""The `credit` section of a space's policy (docs/credit.md, docs/space-policy.md).

Weights are whole numbers because only their ratios matter: a node's weight is its share of
the seed, an edge's weight its share of what leaves its source node.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt

from peerwork.spaces.space_policy import Text, setting

#: Node kinds that mint credit, with their labels (the what-if form lists them).
NODE_KINDS: tuple[tuple[str, Text], ...] = (
    ("revision", gettext_lazy("Wiki revision")),
    ("idea", gettext_lazy("Published idea")),
    ("support", gettext_lazy("Support of an idea")),
    ("task", gettext_lazy("Task")),
    ("delivery", gettext_lazy("Task delivery")),
    ("review", gettext_lazy("Review of a delivery")),
    ("challenge", gettext_lazy("Challenge")),
    ("submission", gettext_lazy("Challenge submission")),
    ("comment", gettext_lazy("Comment")),
    ("proposal", gettext_lazy("Governance proposal")),
)
EDGE_KINDS: tuple[tuple[str, Text], ...] = (
    ("authored", gettext_lazy("Authored (contribution to its author)")),
    ("authored_back", gettext_lazy("Author back to their contribution")),
    ("reviewed", gettext_lazy("Reviewed (to the reviewer)")),
    ("supported", gettext_lazy("Support to the idea it supports")),
    ("built_on", gettext_lazy("Built on (to the thing it answers or builds on)")),
    ("edits", gettext_lazy("Revision to the page it edits")),
    ("page_revisions", gettext_lazy("Page back to its revisions")),
    ("links_to", gettext_lazy("Page to the pages it links to")),
    ("replies_to", gettext_lazy("Comment to what it discusses")),
)


def _weight(default: int, label: Text) -> Any:
    return setting(
        default,
        ge=0,
        le=1000,
        title=label,
        help=gettext_lazy(
            "A relative weight: only its ratio to the others matters; 0 turns it off."
        ),
    )


class NodeWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Weight of each kind of contribution")

    revision: StrictInt = _weight(4, NODE_KINDS[0][1])
    idea: StrictInt = _weight(8, NODE_KINDS[1][1])
    support: StrictInt = _weight(1, NODE_KINDS[2][1])
    task: StrictInt = _weight(4, NODE_KINDS[3][1])
    delivery: StrictInt = _weight(8, NODE_KINDS[4][1])
    review: StrictInt = _weight(4, NODE_KINDS[5][1])
    challenge: StrictInt = _weight(4, NODE_KINDS[6][1])
    submission: StrictInt = _weight(8, NODE_KINDS[7][1])
    comment: StrictInt = _weight(1, NODE_KINDS[8][1])
    proposal: StrictInt = _weight(4, NODE_KINDS[9][1])


class EdgeWeights(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Weight of each kind of link")

    authored: StrictInt = _weight(16, EDGE_KINDS[0][1])
    authored_back: StrictInt = _weight(1, EDGE_KINDS[1][1])
    reviewed: StrictInt = _weight(4, EDGE_KINDS[2][1])
    supported: StrictInt = _weight(4, EDGE_KINDS[3][1])
    built_on: StrictInt = _weight(4, EDGE_KINDS[4][1])
    edits: StrictInt = _weight(2, EDGE_KINDS[5][1])
    page_revisions: StrictInt = _weight(16, EDGE_KINDS[6][1])
    links_to: StrictInt = _weight(1, EDGE_KINDS[7][1])
    replies_to: StrictInt = _weight(2, EDGE_KINDS[8][1])


class CreditPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Credit")
    section_help: ClassVar[Text] = gettext_lazy(
        "How the contribution graph weighs work, and how distributions and peer allocation run."
    )

    jump_percent: StrictInt = setting(
        15,
        ge=1,
        le=99,
        unit="percent",
        title=gettext_lazy("Return to the seed"),
        help=gettext_lazy(
            "At each step, the chance that credit goes back to the contributions of the period "
            "rather than along a link. Higher keeps credit near the work itself."
        ),
    )
    period_days: StrictInt = setting(
        7,
        ge=1,
        le=366,
        unit="days",
        title=gettext_lazy("Length of a credit period"),
        help=gettext_lazy("Credit is computed per period, a week unless this says otherwise."),
    )
    recent_discount_percent: StrictInt = setting(
        10,
        ge=0,
        le=100,
        unit="percent",
        title=gettext_lazy("Discount per period for recent distributions"),
        help=gettext_lazy(
            "How much less each earlier period counts when a distribution pays recent credit."
        ),
    )
    nodes: NodeWeights = setting(
        default_factory=NodeWeights,
        title=gettext_lazy("Weight of each kind of contribution"),
        help=gettext_lazy("How much credit each kind of contribution brings into the graph."),
    )
    edges: EdgeWeights = setting(
        default_factory=EdgeWeights,
        title=gettext_lazy("Weight of each kind of link"),
        help=gettext_lazy("How credit flows along each kind of link between nodes."),
    )
    peer_epochs: StrictBool = setting(
        False,
        title=gettext_lazy("Peer allocation epochs"),
        help=gettext_lazy(
            "Members give each other points each epoch; points not given vanish at its end."
        ),
    )
    epoch_points: StrictInt = setting(
        100,
        ge=1,
        le=100000,
        title=gettext_lazy("Points per member per epoch"),
        help=gettext_lazy("How many points each member may give in one epoch."),
    )


def credit_policy(space: Any) -> CreditPolicy:
    """The space's credit settings, defaults filled in."""
    return CreditPolicy.model_validate((space.policy or {}).get("credit") or {})
