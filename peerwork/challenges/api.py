"""REST endpoints of challenges: thin faces on the actions and selectors.

Uploads travel inside JSON: prediction and answer CSVs as text, an optional file as base64.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.activity.actions import watch_set
from peerwork.core.api import Input, PageOf, PageParams, UtcDatetime, paginate
from peerwork.core.errors import Invalid
from peerwork.core.policy import can
from peerwork.discussions.api import (
    CommentOut,
    DiscussionOut,
    PostIn,
    comment_on,
    discussion_of,
)
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .models import Challenge, Submission
from .schemas import award_fields, challenge_terms, submission_fields

router = Router(tags=["challenges"])

KindField = Literal["ideation", "theoretical", "prototype", "scored"]
IpField = Literal["license", "assign", "open"]
MetricField = Literal["", "accuracy", "rmse", "mae", "log_loss", "f1"]
CSV_LIMIT = 3 * 1024 * 1024


class CriterionIO(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    weight: int = Field(..., ge=1, le=100)


class ChallengeIn(Input):
    title: str = Field(..., min_length=1, max_length=200)
    statement: str = Field(..., min_length=1, max_length=100_000)
    kind: KindField
    currency: str = Field(..., min_length=3, max_length=3)
    prize_pool: int = Field(..., ge=0, description="Integer minor units (cents).")
    prize_split: list[int] = Field(..., description="Each place's prize; they add up to the pool.")
    opens_at: UtcDatetime
    closes_at: UtcDatetime
    ip_terms: IpField
    criteria: list[CriterionIO] = Field(default_factory=list)
    eligibility: str = Field("", max_length=10_000)
    metric: MetricField = ""
    leaderboard_public: bool = False
    organization: str | None = Field(None, description="Post for an organization you administer.")
    judges: list[str] = Field(default_factory=list, description="Usernames of the judges.")


class ChallengePatch(Input):
    title: str | None = Field(None, min_length=1, max_length=200)
    statement: str | None = Field(None, min_length=1, max_length=100_000)
    eligibility: str | None = Field(None, max_length=10_000)
    prize_pool: int | None = Field(None, ge=0)
    prize_split: list[int] | None = None
    opens_at: UtcDatetime | None = None
    closes_at: UtcDatetime | None = None
    leaderboard_public: bool | None = None


class ChallengeOut(Schema):
    id: int
    space: str
    title: str
    statement: str
    kind: str
    state: str
    seeker: str
    organization: str | None
    currency: str
    prize_pool: int
    prize_split: list[int]
    opens_at: datetime
    closes_at: datetime
    ip_terms: str
    eligibility: str
    metric: str
    leaderboard_public: bool
    criteria: list[CriterionIO]
    judges: list[str]
    has_truth: bool
    submission_count: int | None = Field(
        None, description="Only for the seeker and the judges until the challenge is judged."
    )
    awarded_at: datetime | None
    withdrawn_at: datetime | None
    can_submit: bool
    can_update: bool
    watching: bool


def challenge_out(request: HttpRequest, challenge: Challenge) -> dict[str, Any]:
    user = request.user
    return {
        **challenge_terms(challenge),
        "space": challenge.space.slug,
        "seeker": challenge.posted_by.username,
        "organization": challenge.organization.slug if challenge.organization else None,
        "metric": challenge.metric,
        "leaderboard_public": challenge.leaderboard_public,
        "judges": sorted(judge.user.username for judge in challenge.judges.all()),
        "has_truth": challenge.is_scored and hasattr(challenge, "truth"),
        "submission_count": selectors.submission_count(user=user, challenge=challenge),
        "withdrawn_at": challenge.withdrawn_at,
        "can_submit": challenge.is_open and can(user, "challenge.submit", challenge),
        "can_update": can(user, "challenge.update", challenge),
        "watching": selectors.is_watching(user=user, challenge=challenge),
    }


class TeamMemberOut(Schema):
    username: str
    accepted: bool


class SubmissionOut(Schema):
    id: int
    challenge: int
    title: str
    submitted_by: str
    submitted_at: datetime
    team: list[TeamMemberOut]
    is_final: bool
    public_score: float | None
    private_score: float | None = Field(None, description="Shown once the challenge closes.")
    description: str | None = Field(None, description="Null when the IP terms withhold it.")
    file_name: str | None
    file_base64: str | None = None
    my_scores: dict[str, int] = Field(default_factory=dict)


def submission_out(
    request: HttpRequest, submission: Submission, *, with_file: bool = False
) -> dict[str, Any]:
    user = request.user
    readable = can(user, "challenge.submission.content", submission)
    data = submission.file_data if (with_file and readable and submission.file_data) else None
    return {
        **submission_fields(
            submission,
            content=readable,
            private_score=can(user, "challenge.submission.score", submission),
        ),
        "submitted_by": submission.submitted_by.username,
        "team": selectors.team(submission),
        "is_final": submission.is_final,
        "file_base64": base64.b64encode(bytes(data)).decode() if data else None,
        "my_scores": selectors.judged_scores(user=user, submission=submission),
    }


class SubmissionIn(Input):
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=100_000)
    predictions: str | None = Field(
        None, max_length=CSV_LIMIT, description="For scored challenges: the CSV, as text."
    )
    file_name: str = Field("", max_length=200)
    file_base64: str | None = Field(None, max_length=CSV_LIMIT)


class WithdrawIn(Input):
    reason: str = Field("", max_length=1000)


class JudgesIn(Input):
    judges: list[str] = Field(..., max_length=50)


class TruthIn(Input):
    csv: str = Field(..., max_length=CSV_LIMIT, description="The answers: 'id,target' lines.")


class TruthOut(Schema):
    csv: str
    id_column: str
    target_column: str
    rows: int
    uploaded_at: datetime


class WatchIn(Input):
    watch: bool


class ScoresIn(Input):
    scores: dict[str, int] = Field(..., description="Criterion name -> 0 to 10.")


class TeamInviteIn(Input):
    username: str = Field(..., min_length=1, max_length=150)


class FinalIn(Input):
    final: bool


class LeaderboardRowOut(Schema):
    rank: int = Field(..., description="0 when the board shows only your own row.")
    solver: str
    submission_id: int
    public_score: float | None
    private_score: float | None
    entries: int
    submitted_at: datetime
    is_viewer: bool


class LeaderboardOut(Schema):
    metric: str
    higher_is_better: bool
    final: bool
    rows: list[LeaderboardRowOut]


class PrizeShareOut(Schema):
    username: str
    amount: int


class AwardOut(Schema):
    place: int
    submission: int
    title: str
    amount: int
    currency: str
    shares: list[PrizeShareOut]


class RankedEntryOut(Schema):
    rank: int
    submission: int
    title: str
    username: str
    score: float | None
    place: int | None


class AwardPlanOut(Schema):
    """What awarding would do (`?dry_run=true`): nothing is written."""

    currency: str
    pool: int
    awarded: int
    unawarded: int
    places: list[AwardOut]
    ranking: list[RankedEntryOut]


class AwardParams(Schema):
    dry_run: bool = Field(
        False,
        description="Only compute the awards (places, winners, shares, totals); write nothing.",
    )


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    return selectors.challenge_get_visible(user=request.user, challenge_id=challenge_id)


def _submission(request: HttpRequest, submission_id: int) -> Submission:
    return selectors.submission_get_visible(user=request.user, submission_id=submission_id)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


@router.get(
    "/spaces/{slug}/challenges", response=PageOf[ChallengeOut], summary="A space's challenges"
)
def list_challenges(request: HttpRequest, slug: str, page: Query[PageParams]) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    challenges = selectors.challenges_of_space(user=request.user, space=space)
    return paginate(challenges, page, serialize=lambda c: challenge_out(request, c))


@router.post("/spaces/{slug}/challenges", response={201: ChallengeOut}, summary="Post a challenge")
def create_challenge(request: HttpRequest, slug: str, payload: ChallengeIn) -> Any:
    space = space_get_visible(user=request.user, slug=slug)
    data = payload.model_dump()
    data["criteria"] = [(c["name"], c["weight"]) for c in data["criteria"]]
    challenge = actions.challenge_create(user=request.user, space=space, **data)
    return 201, challenge_out(request, challenge)


@router.get("/challenges/{challenge_id}", response=ChallengeOut, summary="One challenge")
def get_challenge(request: HttpRequest, challenge_id: int) -> Any:
    return challenge_out(request, _challenge(request, challenge_id))


@router.patch("/challenges/{challenge_id}", response=ChallengeOut, summary="Change a challenge")
def update_challenge(request: HttpRequest, challenge_id: int, payload: ChallengePatch) -> Any:
    challenge = _challenge(request, challenge_id)
    changes = payload.model_dump(exclude_unset=True)
    for key, value in changes.items():
        if value is None:
            raise Invalid(_("This field cannot be null."), field=key)
    challenge = actions.challenge_update(user=request.user, challenge=challenge, **changes)
    return challenge_out(request, challenge)


@router.post(
    "/challenges/{challenge_id}/withdrawal",
    response=ChallengeOut,
    summary="Withdraw a challenge nobody has answered",
)
def withdraw_challenge(request: HttpRequest, challenge_id: int, payload: WithdrawIn) -> Any:
    challenge = actions.challenge_withdraw(
        user=request.user, challenge=_challenge(request, challenge_id), reason=payload.reason
    )
    return challenge_out(request, challenge)


@router.put("/challenges/{challenge_id}/judges", response=ChallengeOut, summary="Name the judges")
def set_judges(request: HttpRequest, challenge_id: int, payload: JudgesIn) -> Any:
    challenge = _challenge(request, challenge_id)
    actions.challenge_judges_set(user=request.user, challenge=challenge, usernames=payload.judges)
    return challenge_out(request, _challenge(request, challenge_id))


@router.put("/challenges/{challenge_id}/watch", response=ChallengeOut, summary="Watch or not")
def watch_challenge(request: HttpRequest, challenge_id: int, payload: WatchIn) -> Any:
    challenge = _challenge(request, challenge_id)
    watch_set(user=request.user, target=challenge, watching=payload.watch)
    return challenge_out(request, challenge)


@router.put(
    "/challenges/{challenge_id}/truth",
    response=TruthOut,
    summary="Upload the hidden answers of a scored challenge (seeker only)",
)
def put_truth(request: HttpRequest, challenge_id: int, payload: TruthIn) -> Any:
    challenge = _challenge(request, challenge_id)
    truth = actions.truth_upload(user=request.user, challenge=challenge, data=_utf8(payload.csv))
    return _truth_out(truth)


@router.get(
    "/challenges/{challenge_id}/truth",
    response=TruthOut,
    summary="The hidden answers (seeker only)",
)
def get_truth(request: HttpRequest, challenge_id: int) -> Any:
    challenge = selectors.truth_get(user=request.user, challenge=_challenge(request, challenge_id))
    return _truth_out(challenge)


def _truth_out(truth: Any) -> dict[str, Any]:
    return {
        "csv": bytes(truth.data).decode("utf-8", errors="replace"),
        "id_column": truth.id_column,
        "target_column": truth.target_column,
        "rows": truth.row_count,
        "uploaded_at": truth.uploaded_at,
    }


@router.get(
    "/challenges/{challenge_id}/submissions",
    response=PageOf[SubmissionOut],
    summary="The submissions you may see (sealed until judged)",
)
def list_submissions(request: HttpRequest, challenge_id: int, page: Query[PageParams]) -> Any:
    challenge = _challenge(request, challenge_id)
    submissions = selectors.submissions_visible(user=request.user, challenge=challenge)
    return paginate(submissions, page, serialize=lambda s: submission_out(request, s))


@router.post(
    "/challenges/{challenge_id}/submissions",
    response={201: SubmissionOut},
    summary="Submit a solution or predictions",
)
def create_submission(request: HttpRequest, challenge_id: int, payload: SubmissionIn) -> Any:
    challenge = _challenge(request, challenge_id)
    file_data = None
    if payload.file_base64:
        try:
            file_data = base64.b64decode(payload.file_base64, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(_("file_base64 is not valid base64."), field="file_base64") from None
    submission = actions.submission_create(
        user=request.user,
        challenge=challenge,
        title=payload.title,
        description=payload.description,
        file_name=payload.file_name,
        file_data=file_data,
        predictions=_utf8(payload.predictions) if payload.predictions is not None else None,
    )
    return 201, submission_out(request, submission)


@router.get(
    "/challenges/{challenge_id}/leaderboard",
    response=LeaderboardOut,
    summary="Live public-part leaderboard; the private ranking once closed",
)
def get_leaderboard(request: HttpRequest, challenge_id: int) -> Any:
    from .scoring import METRICS

    challenge = _challenge(request, challenge_id)
    rows, final = selectors.leaderboard(user=request.user, challenge=challenge)
    metric = METRICS.get(challenge.metric)
    return {
        "metric": challenge.metric,
        "higher_is_better": bool(metric and metric.higher_is_better),
        "final": final,
        "rows": [row.__dict__ for row in rows],
    }


@router.post(
    "/challenges/{challenge_id}/award",
    response={200: AwardPlanOut, 201: list[AwardOut]},
    summary="Award the prizes after the close (seeker only); with dry_run, only the plan",
)
def award_challenge(request: HttpRequest, challenge_id: int, params: Query[AwardParams]) -> Any:
    challenge = _challenge(request, challenge_id)
    if params.dry_run:
        plan = actions.challenge_award_plan(user=request.user, challenge=challenge)
        return 200, _award_plan(plan)
    actions.challenge_award(user=request.user, challenge=challenge)
    return 201, _awards(request, challenge)


def _award_plan(plan: actions.AwardPlan) -> dict[str, Any]:
    currency = plan.challenge.currency
    places = {planned.submission.pk: planned.place for planned in plan.places}
    return {
        "currency": currency,
        "pool": plan.pool,
        "awarded": plan.awarded,
        "unawarded": plan.unawarded,
        "places": [
            {
                "place": planned.place,
                "submission": planned.submission.pk,
                "title": planned.submission.title,
                "amount": planned.amount,
                "currency": currency,
                "shares": [
                    {"username": share.user.username, "amount": share.amount}
                    for share in planned.shares
                ],
            }
            for planned in plan.places
        ],
        "ranking": [
            {
                "rank": index,
                "submission": submission.pk,
                "title": submission.title,
                "username": submission.submitted_by.username,
                "score": None if score is None else float(score),
                "place": places.get(submission.pk),
            }
            for index, (submission, score) in enumerate(plan.ranking, start=1)
        ],
    }


@router.get("/challenges/{challenge_id}/awards", response=list[AwardOut], summary="The awards")
def list_awards(request: HttpRequest, challenge_id: int) -> Any:
    return _awards(request, _challenge(request, challenge_id))


def _awards(request: HttpRequest, challenge: Challenge) -> list[dict[str, Any]]:
    return [
        {
            **award_fields(award),
            "title": award.submission.title,
            "shares": [
                {"username": share.user.username, "amount": share.amount}
                for share in award.shares.all()
            ],
        }
        for award in selectors.awards(user=request.user, challenge=challenge)
    ]


@router.get(
    "/challenge-submissions/{submission_id}", response=SubmissionOut, summary="One submission"
)
def get_submission(request: HttpRequest, submission_id: int) -> Any:
    return submission_out(request, _submission(request, submission_id), with_file=True)


@router.put(
    "/challenge-submissions/{submission_id}/scores",
    response=SubmissionOut,
    summary="Score a submission on each criterion (judges)",
)
def score_submission(request: HttpRequest, submission_id: int, payload: ScoresIn) -> Any:
    submission = _submission(request, submission_id)
    actions.submission_score(user=request.user, submission=submission, scores=payload.scores)
    return submission_out(request, submission)


@router.post(
    "/challenge-submissions/{submission_id}/members",
    response={201: SubmissionOut},
    summary="Invite a team member",
)
def invite_member(request: HttpRequest, submission_id: int, payload: TeamInviteIn) -> Any:
    submission = _submission(request, submission_id)
    actions.submission_invite(user=request.user, submission=submission, username=payload.username)
    return 201, submission_out(request, submission)


@router.post(
    "/challenge-submissions/{submission_id}/membership",
    response=SubmissionOut,
    summary="Accept an invitation to a team",
)
def join_team(request: HttpRequest, submission_id: int) -> Any:
    submission = _submission(request, submission_id)
    actions.submission_join(user=request.user, submission=submission)
    return submission_out(request, submission)


@router.put(
    "/challenge-submissions/{submission_id}/final",
    response=SubmissionOut,
    summary="Pick or unpick a final submission",
)
def pick_final(request: HttpRequest, submission_id: int, payload: FinalIn) -> Any:
    submission = _submission(request, submission_id)
    submission = actions.submission_pick_final(
        user=request.user, submission=submission, is_final=payload.final
    )
    return submission_out(request, submission)


@router.get(
    "/challenges/{challenge_id}/discussion",
    response=DiscussionOut,
    summary="Questions and answers about a challenge, in thread order",
)
def get_discussion(request: HttpRequest, challenge_id: int) -> Any:
    return discussion_of(request, _challenge(request, challenge_id))


@router.post(
    "/challenges/{challenge_id}/discussion",
    response={201: CommentOut},
    summary="Ask or answer a question about a challenge",
)
def post_comment(request: HttpRequest, challenge_id: int, payload: PostIn) -> Any:
    return 201, comment_on(request, _challenge(request, challenge_id), payload)
