"""The contribution graph of a space, read from the apps' rows in bulk (docs/credit.md).

Nodes are people and contributions; edges say who authored, reviewed or supported what, what
builds on what, and which pages link to which. Only what everyone who may read the space can
see takes part: drafts, removed comments and submissions to a challenge still sealed are left
out, so an explanation never names a thing its reader could not open.

A node's seed is its kind's weight (a revision's scaled by `weights.revision_weight`) times
`when(created_at)`, which a distribution policy uses to count only this period (immediate),
earlier periods less (recent) or every period (balanced). PageRank is linear in the seed, so
one walk with these combined seeds gives the same scores as the weighted sum of one walk per
period over the same graph.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from peerwork.accounts.models import User
from peerwork.challenges.models import Challenge, Submission, SubmissionMember
from peerwork.discussions.models import Comment
from peerwork.governance.models import Proposal
from peerwork.governance.models import State as ProposalState
from peerwork.ideas.models import Creator, Idea, Status, Support
from peerwork.tasks.models import Delivery, Review, Task
from peerwork.wiki.models import Link, Page, Revision

from .policy_schema import CreditPolicy
from .rank import Graph
from .weights import RevisionFacts, revision_weight

#: What a comment's `target_type` names, as a node kind of this graph.
COMMENT_TARGETS = {
    "wiki.page": "page",
    "ideas.idea": "idea",
    "tasks.task": "task",
    "challenges.challenge": "challenge",
    "governance.proposal": "proposal",
}

When = Callable[[datetime], float]


def _always(_moment: datetime) -> float:
    return 1.0


def build_graph(space: Any, *, policy: CreditPolicy, end: datetime, when: When = _always) -> Graph:
    """Every contribution of `space` made before `end`, with seeds weighted by `when`."""
    graph = Graph()
    nodes, edges = policy.nodes, policy.edges
    people: set[int] = set()

    def person(user_id: int) -> int:
        people.add(user_id)
        return graph.node(f"user:{user_id}", "user", user=user_id)

    def authored(contribution: int, user_id: int | None) -> None:
        if user_id is None:
            return
        author = person(user_id)
        graph.edge(contribution, author, edges.authored, "authored")
        graph.edge(author, contribution, edges.authored_back, "authored_back")

    # ---- the wiki: pages, their revisions, and the links between pages
    pages = dict(
        Page.objects.filter(space=space, created_at__lt=end).values_list("pk", "title").iterator()
    )
    by_title: dict[tuple[int, str], int] = {}
    for pk, namespace, title in Page.objects.filter(space=space, created_at__lt=end).values_list(
        "pk", "namespace", "title"
    ):
        by_title[(namespace, title)] = graph.node(f"page:{pk}", "page", title)
    rows = list(
        Revision.objects.filter(page__space=space, created_at__lt=end)
        .order_by("pk")
        .values_list(
            "pk", "page_id", "author_id", "size", "size_delta", "created_at", "reviewed_by_id"
        )
    )
    weigh = revision_weight()(
        [RevisionFacts(pk, page, author, size, delta) for pk, page, author, size, delta, *_ in rows]
    )
    for pk, page_id, author_id, _size, _delta, created_at, reviewer_id in rows:
        if page_id not in pages:
            continue
        weight = float(weigh.get(pk, 0.0))
        revision = graph.node(
            f"revision:{pk}",
            "revision",
            pages[page_id],
            seed=nodes.revision * weight * when(created_at),
        )
        page = graph.index[f"page:{page_id}"]
        authored(revision, author_id)
        if reviewer_id is not None and reviewer_id != author_id:
            graph.edge(revision, person(reviewer_id), edges.reviewed, "reviewed")
        graph.edge(revision, page, edges.edits, "edits")
        graph.edge(page, revision, edges.page_revisions * weight, "page_revisions")
    for from_page, namespace, title in Link.objects.filter(space=space).values_list(
        "from_page_id", "namespace", "title"
    ):
        source, target = graph.index.get(f"page:{from_page}"), by_title.get((namespace, title))
        if source is not None and target is not None:
            graph.edge(source, target, edges.links_to, "links_to")

    # ---- ideas and their supports
    ideas = Idea.objects.filter(space=space, created_at__lt=end).exclude(status=Status.DRAFT)
    creators: dict[int, list[int]] = {}
    for idea_id, user_id in Creator.objects.filter(
        idea__in=ideas, state=Creator.State.ACCEPTED
    ).values_list("idea_id", "user_id"):
        creators.setdefault(idea_id, []).append(user_id)
    for pk, title, created_by, created_at in ideas.values_list(
        "pk", "title", "created_by_id", "created_at"
    ):
        idea = graph.node(f"idea:{pk}", "idea", title, seed=nodes.idea * when(created_at))
        for user_id in creators.get(pk) or [created_by]:
            authored(idea, user_id)
    for pk, idea_id, user_id, created_at in Support.objects.filter(
        idea__in=ideas, created_at__lt=end
    ).values_list("pk", "idea_id", "user_id", "created_at"):
        idea = graph.index[f"idea:{idea_id}"]
        support = graph.node(
            f"support:{pk}", "support", graph.labels[idea], seed=nodes.support * when(created_at)
        )
        authored(support, user_id)
        graph.edge(support, idea, edges.supported, "supported")

    # ---- tasks, deliveries and their reviews
    for pk, title, created_by, created_at in Task.objects.filter(
        space=space, created_at__lt=end
    ).values_list("pk", "title", "created_by_id", "created_at"):
        task = graph.node(f"task:{pk}", "task", title, seed=nodes.task * when(created_at))
        authored(task, created_by)
    for pk, task_id, user_id, revision_id, created_at in Delivery.objects.filter(
        task__space=space, created_at__lt=end
    ).values_list("pk", "task_id", "submitted_by_id", "revision_id", "created_at"):
        task_node = graph.index.get(f"task:{task_id}")
        if task_node is None:
            continue
        delivery = graph.node(
            f"delivery:{pk}",
            "delivery",
            graph.labels[task_node],
            seed=nodes.delivery * when(created_at),
        )
        authored(delivery, user_id)
        graph.edge(delivery, task_node, edges.built_on, "built_on")
        if revision_id is not None and f"revision:{revision_id}" in graph.index:
            graph.edge(delivery, graph.index[f"revision:{revision_id}"], edges.built_on, "built_on")
    for pk, delivery_id, reviewer_id, created_at in Review.objects.filter(
        task__space=space, created_at__lt=end
    ).values_list("pk", "delivery_id", "reviewer_id", "created_at"):
        reviewed = graph.index.get(f"delivery:{delivery_id}")
        if reviewed is None:
            continue
        review = graph.node(
            f"review:{pk}", "review", graph.labels[reviewed], seed=nodes.review * when(created_at)
        )
        authored(review, reviewer_id)
        graph.edge(reviewed, review, edges.reviewed, "reviewed")

    # ---- challenges and their submissions, once the challenge has closed
    for pk, title, posted_by, created_at in Challenge.objects.filter(
        space=space, created_at__lt=end
    ).values_list("pk", "title", "posted_by_id", "created_at"):
        challenge = graph.node(
            f"challenge:{pk}", "challenge", title, seed=nodes.challenge * when(created_at)
        )
        authored(challenge, posted_by)
    submissions = Submission.objects.filter(
        challenge__space=space, challenge__closes_at__lte=end, submitted_at__lt=end
    )
    members: dict[int, list[int]] = {}
    for submission_id, user_id in SubmissionMember.objects.filter(
        submission__in=submissions, accepted_at__isnull=False
    ).values_list("submission_id", "user_id"):
        members.setdefault(submission_id, []).append(user_id)
    for pk, challenge_id, user_id, created_at in submissions.values_list(
        "pk", "challenge_id", "submitted_by_id", "submitted_at"
    ):
        challenge = graph.index[f"challenge:{challenge_id}"]
        submission = graph.node(
            f"submission:{pk}",
            "submission",
            graph.labels[challenge],
            seed=nodes.submission * when(created_at),
        )
        for member in {user_id, *members.get(pk, [])}:
            authored(submission, member)
        graph.edge(submission, challenge, edges.built_on, "built_on")

    # ---- governance proposals
    for pk, title, created_by, created_at in (
        Proposal.objects.filter(space=space, created_at__lt=end)
        .exclude(state=ProposalState.CANCELLED)
        .values_list("pk", "title", "created_by_id", "created_at")
    ):
        proposal = graph.node(
            f"proposal:{pk}", "proposal", title, seed=nodes.proposal * when(created_at)
        )
        authored(proposal, created_by)

    # ---- comments, on whatever they discuss that is in the graph
    comments = list(
        Comment.objects.filter(space=space, created_at__lt=end, is_deleted=False)
        .order_by("pk")
        .values_list("pk", "author_id", "parent_id", "target_type", "target_id", "created_at")
    )
    for pk, author_id, _parent, target_type, target_id, created_at in comments:
        kind = COMMENT_TARGETS.get(target_type)
        target = graph.index.get(f"{kind}:{target_id}") if kind else None
        if target is None:
            continue
        comment = graph.node(
            f"comment:{pk}", "comment", graph.labels[target], seed=nodes.comment * when(created_at)
        )
        authored(comment, author_id)
        graph.edge(comment, target, edges.replies_to, "replies_to")
    for pk, _author, parent_id, *_rest in comments:
        source, parent = graph.index.get(f"comment:{pk}"), graph.index.get(f"comment:{parent_id}")
        if source is not None and parent is not None:
            graph.edge(source, parent, edges.replies_to, "replies_to")

    names = dict(User.objects.filter(pk__in=people).values_list("pk", "username"))
    for user_id in people:
        graph.labels[graph.index[f"user:{user_id}"]] = names.get(user_id, "")
    return graph
