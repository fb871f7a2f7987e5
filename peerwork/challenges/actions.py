"""Every write of challenges: one function each, one transaction, one permission check, one
activity event (docs/challenges.md explains the rules these enforce).

Events about submissions are private and belong to no space's chain until the award, so that
no public list, feed, stream, webhook or dump can tell that a submission exists.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerwork.accounts.models import Organization, OrganizationMembership, User
from peerwork.accounts.selectors import user_by_username
from peerwork.activity import watching
from peerwork.activity.actions import watch_quietly
from peerwork.activity.recorder import notify, record
from peerwork.core import policy
from peerwork.core.errors import Conflict, InsufficientFunds, Invalid
from peerwork.core.money import format_money, known_currency
from peerwork.core.times import format_when
from peerwork.core.validation import clean_text as _text
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Kind as LedgerKind
from peerwork.ledger.models import Payout
from peerwork.ledger.models import Transaction as LedgerTransaction

from . import prizes
from .models import (
    METRIC_CHOICES,
    Award,
    AwardShare,
    Challenge,
    Criterion,
    Entrant,
    IpTerms,
    Judge,
    Kind,
    Score,
    State,
    Submission,
    SubmissionMember,
    Truth,
)
from .policy import is_judge, is_seeker
from .policy_schema import challenges_policy

MAX_PLACES = 20
MAX_CRITERIA = 20
MAX_JUDGES = 50
MAX_POOL = 10**15
MAX_TITLE = 200
MAX_STATEMENT = 100_000
CURRENCY = re.compile(r"^[A-Z]{3}$")


# ---- validation helpers ---------------------------------------------------------------------


def _split(prize_pool: int, prize_split: Sequence[int], currency: str) -> list[int]:
    if isinstance(prize_pool, bool) or not isinstance(prize_pool, int) or prize_pool < 0:
        raise Invalid(
            _("The prize pool is a whole number of minor units, 0 or more."), field="prize_pool"
        )
    if prize_pool > MAX_POOL:
        raise Invalid(_("The prize pool is too large."), field="prize_pool")
    split = list(prize_split)
    if not split or len(split) > MAX_PLACES:
        raise Invalid(
            ngettext(
                "Give the prize of each place, 1 to %(n)d place.",
                "Give the prize of each place, 1 to %(n)d places.",
                MAX_PLACES,
            )
            % {"n": MAX_PLACES},
            field="prize_split",
        )
    if any(isinstance(x, bool) or not isinstance(x, int) or x < 0 for x in split):
        raise Invalid(
            _("Each place's prize is a whole number of minor units, 0 or more."),
            field="prize_split",
        )
    if sum(split) != prize_pool:
        raise Invalid(
            _("The places' prizes add up to %(sum)s, not to the prize pool of %(pool)s.")
            % {
                "sum": format_money(sum(split), currency),
                "pool": format_money(prize_pool, currency),
            },
            field="prize_split",
        )
    return split


def _criteria(kind: str, criteria: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    cleaned: list[tuple[str, int]] = []
    names: set[str] = set()
    for name, weight in criteria:
        name = _text(name, "criteria", limit=100)
        if name.casefold() in names:
            raise Invalid(
                _("The criterion '%(name)s' is named twice.") % {"name": name}, field="criteria"
            )
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
            raise Invalid(
                _("A criterion's weight is a whole number from 1 to 100."), field="criteria"
            )
        names.add(name.casefold())
        cleaned.append((name, weight))
    if kind != Kind.SCORED and not cleaned:
        raise Invalid(_("Name at least one judging criterion with its weight."), field="criteria")
    if len(cleaned) > MAX_CRITERIA:
        raise Invalid(
            ngettext("At most %(n)d criterion.", "At most %(n)d criteria.", MAX_CRITERIA)
            % {"n": MAX_CRITERIA},
            field="criteria",
        )
    return cleaned


def _file_name(name: str) -> str:
    """A file name safe to send back in a download header: no paths, quotes or control codes."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable() and ch not in '"').strip()[:200]


def _deadline(challenge: Challenge) -> str:
    return format_when(challenge.closes_at)


def _lock(challenge: Challenge) -> Challenge:
    """The challenge row, locked: submissions, withdrawal, prize changes and awards queue here."""
    return Challenge.objects.select_for_update().get(pk=challenge.pk)


def _audience(challenge: Challenge) -> set[int]:
    """Who hears about a challenge's public events: watchers, entrants and judges."""
    users = set(watching.watcher_ids(challenge))
    users |= set(challenge.entrants.values_list("user_id", flat=True))
    users |= set(challenge.judges.values_list("user_id", flat=True))
    return users


# ---- the prize pool's money ------------------------------------------------------------------


def _reserve(challenge: Challenge, person: Any, amount: int, key: str) -> None:
    """Set `amount` of the treasury aside for the challenge; a short treasury refuses the
    prize (409 insufficient-funds, on the prize pool field), so no prize is promised unfunded."""
    try:
        ledger.funds_reserve(
            space=challenge.space,
            actor=person,
            subject=challenge,
            amount=amount,
            currency=challenge.currency,
            key=key,
            memo=_("Prize pool of “%(title)s”") % {"title": challenge.title},
        )
    except InsufficientFunds as error:
        raise InsufficientFunds(error.detail, field="prize_pool") from None


def _release(challenge: Challenge, person: Any, key: str) -> None:
    ledger.funds_release(
        space=challenge.space,
        actor=person,
        subject=challenge,
        key=key,
        memo=_("Prize pool of “%(title)s”") % {"title": challenge.title},
    )


def _pool_key(challenge: Challenge) -> str:
    """A new key for each change of the pool: the count of the challenge's movements so far,
    read under the challenge's lock, so two changes never share a key."""
    moves = LedgerTransaction.objects.filter(
        space=challenge.space, subject=ledger.subject_of(challenge)
    ).count()
    return f"challenge:{challenge.pk}:pool:{moves}"


def _resize_pool(challenge: Challenge, person: Any, pool: int) -> None:
    """Make the reservation hold `pool`: reserve the difference, or give it all back and set
    the smaller pool aside again (the ledger releases a reservation whole)."""
    held = ledger.reserved(challenge.space, challenge).get(challenge.currency, 0)
    if pool == held:
        return
    key = _pool_key(challenge)
    if pool > held:
        _reserve(challenge, person, pool - held, key)
        return
    _release(challenge, person, f"{key}:release")
    if pool:
        _reserve(challenge, person, pool, key)


# ---- challenges -----------------------------------------------------------------------------


@transaction.atomic
def challenge_create(
    *,
    user: Any,
    space: Any,
    title: str,
    statement: str,
    kind: str,
    currency: str,
    prize_pool: int,
    prize_split: Sequence[int],
    opens_at: datetime,
    closes_at: datetime,
    ip_terms: str,
    criteria: Sequence[tuple[str, int]] = (),
    eligibility: str = "",
    metric: str = "",
    leaderboard_public: bool = False,
    organization: str | None = None,
    judges: Sequence[str] = (),
) -> Challenge:
    """Post a challenge, as a person or for an organization one administers."""
    person = policy.require_person(user, "challenge.create", space)
    title = _text(title, "title", limit=MAX_TITLE)
    statement = _text(statement, "statement", limit=MAX_STATEMENT)
    eligibility = _text(eligibility, "eligibility", limit=10_000, required=False)
    if kind not in Kind.values:
        raise Invalid(_("Choose one of the kinds of challenge."), field="kind")
    if ip_terms not in IpTerms.values:
        raise Invalid(_("Choose one of the IP terms templates."), field="ip_terms")
    currency = (currency or "").strip().upper()
    if not CURRENCY.match(currency) or not known_currency(currency):
        raise Invalid(
            _("The currency is a three-letter ISO 4217 code, like EUR."), field="currency"
        )
    split = _split(prize_pool, prize_split, currency)
    if closes_at <= opens_at:
        raise Invalid(_("The challenge must close after it opens."), field="closes_at")
    if closes_at <= timezone.now():
        raise Invalid(_("The closing time is in the past."), field="closes_at")
    metrics = dict(METRIC_CHOICES)
    if kind == Kind.SCORED:
        if metric not in metrics:
            raise Invalid(_("A scored challenge needs a metric."), field="metric")
    else:
        metric, leaderboard_public = "", False
    cleaned = _criteria(kind, criteria)
    seeker_org = None
    if organization:
        seeker_org = Organization.objects.filter(slug=organization).first()
        if (
            seeker_org is None
            or not OrganizationMembership.objects.filter(
                organization=seeker_org, user=person, role=OrganizationMembership.Role.ADMIN
            ).exists()
        ):
            raise Invalid(
                _("You can post only for an organization you administer."), field="organization"
            )
    challenge = Challenge.objects.create(
        space=space,
        posted_by=person,
        organization=seeker_org,
        title=title,
        statement=statement,
        kind=kind,
        currency=currency,
        prize_pool=prize_pool,
        prize_split=split,
        opens_at=opens_at,
        closes_at=closes_at,
        ip_terms=ip_terms,
        eligibility=eligibility,
        metric=metric,
        leaderboard_public=bool(leaderboard_public),
    )
    if prize_pool:
        _reserve(challenge, person, prize_pool, f"challenge:{challenge.pk}:pool")
    Criterion.objects.bulk_create(
        Criterion(challenge=challenge, name=name, weight=weight, position=index)
        for index, (name, weight) in enumerate(cleaned)
    )
    watch_quietly(user=person, target=challenge)
    record(
        actor=person,
        verb="challenge:posted",
        target=challenge,
        space=space,
        data={
            "kind": kind,
            "prize_pool": prize_pool,
            "currency": currency,
            "closes_at": closes_at,
            "organization": seeker_org.slug if seeker_org else None,
        },
    )
    if judges:
        challenge_judges_set(user=person, challenge=challenge, usernames=judges)
    return challenge


UPDATABLE = {
    "title",
    "statement",
    "eligibility",
    "prize_pool",
    "prize_split",
    "opens_at",
    "closes_at",
    "leaderboard_public",
}


@transaction.atomic
def challenge_update(*, user: Any, challenge: Challenge, **changes: Any) -> Challenge:
    """Change a challenge's terms. Once submissions exist no place's prize may go down."""
    person = policy.require_person(user, "challenge.update", challenge)
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise Invalid(
            _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    challenge = _lock(challenge)
    state = challenge.state
    if state not in {State.UPCOMING, State.OPEN}:
        raise Conflict(_("A challenge can be changed only until it closes."))
    values: dict[str, Any] = {}
    if "title" in changes:
        values["title"] = _text(changes["title"], "title", limit=MAX_TITLE)
    if "statement" in changes:
        values["statement"] = _text(changes["statement"], "statement", limit=MAX_STATEMENT)
    if "eligibility" in changes:
        values["eligibility"] = _text(
            changes["eligibility"], "eligibility", limit=10_000, required=False
        )
    if "leaderboard_public" in changes and challenge.is_scored:
        values["leaderboard_public"] = bool(changes["leaderboard_public"])
    if "prize_pool" in changes or "prize_split" in changes:
        pool = changes.get("prize_pool", challenge.prize_pool)
        split = _split(pool, changes.get("prize_split", challenge.prize_split), challenge.currency)
        if challenge.submissions.exists():
            old = list(challenge.prize_split)
            lowered = (
                pool < challenge.prize_pool
                or len(split) < len(old)
                or any(new < before for new, before in zip(split, old, strict=False))
            )
            if lowered:
                raise Conflict(
                    _(
                        "Solutions have been submitted, so the prize can no longer be lowered: "
                        "neither the pool nor any place's amount may go down."
                    ),
                    field="prize_pool",
                )
        values["prize_pool"], values["prize_split"] = pool, split
    opens_at = changes.get("opens_at", challenge.opens_at)
    closes_at = changes.get("closes_at", challenge.closes_at)
    if "opens_at" in changes and state != State.UPCOMING and opens_at != challenge.opens_at:
        raise Conflict(
            _("The challenge is already open; its opening time cannot change."), field="opens_at"
        )
    if "opens_at" in changes or "closes_at" in changes:
        if closes_at <= opens_at:
            raise Invalid(_("The challenge must close after it opens."), field="closes_at")
        if closes_at <= timezone.now():
            raise Invalid(_("The closing time is in the past."), field="closes_at")
        if challenge.submissions.exists() and closes_at < challenge.closes_at:
            raise Conflict(
                _("Solutions have been submitted, so the deadline can no longer move earlier."),
                field="closes_at",
            )
        values["opens_at"], values["closes_at"] = opens_at, closes_at
    from peerwork.activity.recorder import changes as diff

    changed = diff(challenge, values)
    if not changed:
        return challenge
    if "prize_pool" in changed:
        _resize_pool(challenge, person, values["prize_pool"])
    for field, value in values.items():
        setattr(challenge, field, value)
    challenge.save(update_fields=list(values))
    event = record(
        actor=person,
        verb="challenge:updated",
        target=challenge,
        space=challenge.space,
        data={"changes": changed, "currency": challenge.currency},
    )
    notify(users=_audience(challenge), event=event)
    return challenge


@transaction.atomic
def challenge_withdraw(*, user: Any, challenge: Challenge, reason: str = "") -> Challenge:
    """Withdraw a challenge nobody has answered yet.

    The refusal tells the seeker that submissions exist, which they may know (they see the
    count; docs/challenges.md, "What the seeker learns").
    """
    person = policy.require_person(user, "challenge.update", challenge)
    reason = _text(reason, "reason", limit=1000, required=False)
    challenge = _lock(challenge)
    if challenge.withdrawn_at is not None:
        raise Conflict(_("The challenge is already withdrawn."))
    if challenge.awarded_at is not None or challenge.is_judged:
        raise Conflict(_("A judged challenge cannot be withdrawn."))
    if challenge.submissions.exists():
        raise Conflict(
            _("Solutions have been submitted, so the challenge can no longer be withdrawn.")
        )
    challenge.withdrawn_at = timezone.now()
    challenge.save(update_fields=["withdrawn_at"])
    _release(challenge, person, f"challenge:{challenge.pk}:withdrawn")
    event = record(
        actor=person,
        verb="challenge:withdrawn",
        target=challenge,
        space=challenge.space,
        data={"reason": reason},
    )
    notify(users=_audience(challenge), event=event)
    return challenge


@transaction.atomic
def challenge_judges_set(
    *, user: Any, challenge: Challenge, usernames: Sequence[str]
) -> list[User]:
    """Name the judges. A person on a submission's team cannot judge this challenge."""
    person = policy.require_person(user, "challenge.update", challenge)
    challenge = _lock(challenge)
    if challenge.state in {State.JUDGED, State.WITHDRAWN}:
        raise Conflict(_("The judges of a judged or withdrawn challenge cannot change."))
    names = list(dict.fromkeys(name.strip() for name in usernames if name.strip()))
    if len(names) > MAX_JUDGES:
        raise Invalid(
            ngettext("At most %(n)d judge.", "At most %(n)d judges.", MAX_JUDGES)
            % {"n": MAX_JUDGES},
            field="judges",
        )
    judges = []
    for name in names:
        judge = user_by_username(name)
        if judge is None or not policy.can(judge, "space.view", challenge.space):
            raise Invalid(
                _("There is no person '%(name)s' who can read this space.") % {"name": name},
                field="judges",
            )
        if SubmissionMember.objects.filter(submission__challenge=challenge, user=judge).exists():
            raise Invalid(
                _("%(name)s cannot judge this challenge.") % {"name": name}, field="judges"
            )
        judges.append(judge)
    before = set(challenge.judges.values_list("user__username", flat=True))
    challenge.judges.exclude(user__in=judges).delete()
    for judge in judges:
        Judge.objects.get_or_create(challenge=challenge, user=judge)
    if before != set(names):
        event = record(
            actor=person,
            verb="challenge:judges_named",
            target=challenge,
            space=challenge.space,
            data={"judges": sorted(names)},
        )
        notify(users={judge.pk for judge in judges}, event=event)
    return judges


@transaction.atomic
def truth_upload(*, user: Any, challenge: Challenge, data: bytes) -> Truth:
    """The hidden answers of a scored challenge; replaceable until the first submission."""
    from . import scoring

    person = policy.require_person(user, "challenge.update", challenge)
    challenge = _lock(challenge)
    if not challenge.is_scored:
        raise Conflict(_("Only scored challenges have hidden answers."))
    if challenge.state not in {State.UPCOMING, State.OPEN}:
        raise Conflict(_("The challenge has closed; its answers cannot change."))
    if challenge.submissions.exists():
        raise Conflict(
            _("Predictions have been scored against these answers, so they can no longer change.")
        )
    limit = challenges_policy(challenge.space).max_upload_bytes
    try:
        truth = scoring.parse_truth(bytes(data), metric=challenge.metric, max_bytes=limit)
    except scoring.UploadError as error:
        raise Invalid(str(error), field="truth") from None
    if len(truth.values) < 2:
        raise Invalid(
            _("The answers need at least two rows: one for the public part, one for the private."),
            field="truth",
        )
    row, _created = Truth.objects.update_or_create(
        challenge=challenge,
        defaults={
            "data": bytes(data),
            "id_column": truth.id_column,
            "target_column": truth.target_column,
            "row_count": len(truth.values),
            "seed": secrets.token_hex(16),
            "uploaded_at": timezone.now(),
        },
    )
    record(
        actor=person,
        verb="challenge:truth_uploaded",
        target=challenge,
        space=challenge.space,
        data={"rows": len(truth.values), "id_column": truth.id_column},
    )
    return row


def parsed_truth(challenge: Challenge) -> Any:
    from . import scoring

    row = challenge.truth
    return scoring.parse_truth(
        bytes(row.data), metric=challenge.metric, max_bytes=len(row.data) + 1
    )


def public_private_ids(challenge: Challenge, truth: Any) -> tuple[frozenset[str], frozenset[str]]:
    from . import scoring

    percent = challenges_policy(challenge.space).public_percent
    return scoring.split_ids(truth.values.keys(), seed=challenge.truth.seed, public_percent=percent)


# ---- submissions ----------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    user: Any,
    challenge: Challenge,
    title: str = "",
    description: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
    predictions: bytes | None = None,
) -> Submission:
    """Submit a solution (or, for a scored challenge, predictions) before the deadline.

    Bad uploads are refused before anything is stored, so they count against no cap.
    """
    from . import scoring

    person = policy.require_person(user, "challenge.submit", challenge)
    challenge = _lock(challenge)
    now = timezone.now()
    state = challenge.state_at(now)
    if state == State.WITHDRAWN:
        raise Conflict(_("The challenge was withdrawn."))
    if state == State.UPCOMING:
        raise Conflict(
            _("The challenge opens at %(opens)s; submissions are accepted from then.")
            % {"opens": format_when(challenge.opens_at)}
        )
    if state != State.OPEN:
        raise Conflict(
            _("The deadline was %(deadline)s; this challenge no longer accepts submissions.")
            % {"deadline": _deadline(challenge)},
            deadline=challenge.closes_at.isoformat(),
        )
    settings = challenges_policy(challenge.space)
    description = _text(description, "description", limit=MAX_STATEMENT, required=False)
    public_score = private_score = None
    if challenge.is_scored:
        if predictions is None:
            raise Invalid(_("Upload a CSV file of predictions."), field="predictions")
        if not hasattr(challenge, "truth"):
            raise Conflict(
                _("The seeker has not uploaded the hidden answers yet; try again later.")
            )
        truth = parsed_truth(challenge)
        try:
            values = scoring.parse_predictions(
                bytes(predictions),
                truth,
                metric=challenge.metric,
                max_bytes=settings.max_upload_bytes,
            )
        except scoring.UploadError as error:
            raise Invalid(str(error), field="predictions") from None
        public_ids, private_ids = public_private_ids(challenge, truth)
        public_score = scoring.score(challenge.metric, truth, values, public_ids)
        private_score = scoring.score(challenge.metric, truth, values, private_ids)
        file_name = (
            _file_name(_text(file_name, "predictions", limit=200, required=False))
            or "predictions.csv"
        )
        file_data = bytes(predictions)
        title = _text(title, "title", limit=MAX_TITLE, required=False) or file_name
    else:
        if predictions is not None:
            raise Invalid(
                _("Only scored challenges take predictions; describe your solution instead."),
                field="predictions",
            )
        title = _text(title, "title", limit=MAX_TITLE)
        if file_data is not None:
            if len(file_data) > settings.max_upload_bytes:
                raise Invalid(
                    ngettext(
                        "The file is larger than %(limit)d byte.",
                        "The file is larger than %(limit)d bytes.",
                        settings.max_upload_bytes,
                    )
                    % {"limit": settings.max_upload_bytes},
                    field="file",
                )
            file_name = _file_name(_text(file_name, "file", limit=200)) if file_data else ""
    today = now.date()
    used = Submission.objects.filter(challenge=challenge, submitted_by=person, day=today).count()
    if used >= settings.daily_submissions:
        raise Conflict(
            ngettext(
                "You have made %(n)d submission today, the daily limit; you can submit again "
                "after midnight UTC.",
                "You have made %(n)d submissions today, the daily limit; you can submit again "
                "after midnight UTC.",
                used,
            )
            % {"n": used},
        )
    submission = Submission.objects.create(
        challenge=challenge,
        submitted_by=person,
        title=title,
        description=description,
        submitted_at=now,
        day=today,
        file_name=file_name if file_data else "",
        file_data=bytes(file_data) if file_data else None,
        public_score=public_score,
        private_score=private_score,
    )
    SubmissionMember.objects.create(
        submission=submission, user=person, invited_by=person, created_at=now, accepted_at=now
    )
    Entrant.objects.get_or_create(challenge=challenge, user=person)
    watch_quietly(user=person, target=challenge)
    # Private and in no space's chain: see the module docstring.
    record(
        actor=person,
        verb="submission:submitted",
        target=submission,
        space=None,
        data={"challenge": challenge.pk},
    )
    return submission


@transaction.atomic
def submission_invite(*, user: Any, submission: Submission, username: str) -> SubmissionMember:
    """Invite a person to one's team; they count once they accept."""
    person = policy.require_person(user, "challenge.submission.update", submission)
    challenge = _lock(submission.challenge)
    if challenge.state != State.OPEN:
        raise Conflict(_("Teams can change only while the challenge is open."))
    invitee = user_by_username(username)
    if (
        invitee is None
        or not policy.can(invitee, "space.contribute", challenge.space)
        or is_seeker(invitee, challenge)
        or is_judge(invitee, challenge)
    ):
        raise Invalid(
            _("There is no person '%(name)s' who may take part in this challenge.")
            % {"name": username},
            field="username",
        )
    try:
        with transaction.atomic():
            member = SubmissionMember.objects.create(
                submission=submission, user=invitee, invited_by=person
            )
    except IntegrityError:
        raise Conflict(
            _("%(name)s is already on this team or invited.") % {"name": invitee.username},
            field="username",
        ) from None
    Entrant.objects.get_or_create(challenge=challenge, user=invitee)
    record(
        actor=person,
        verb="submission:member_invited",
        target=submission,
        space=None,
        data={"user": invitee.username},
    )
    return member


@transaction.atomic
def submission_join(*, user: Any, submission: Submission) -> SubmissionMember:
    """Accept an invitation to a team."""
    person = policy.require_person(user, "challenge.submission.join", submission)
    challenge = _lock(submission.challenge)
    if challenge.state != State.OPEN:
        raise Conflict(_("Teams can change only while the challenge is open."))
    member = SubmissionMember.objects.select_for_update().get(submission=submission, user=person)
    member.accepted_at = timezone.now()
    member.save(update_fields=["accepted_at"])
    watch_quietly(user=person, target=challenge)
    record(actor=person, verb="submission:member_joined", target=submission, space=None)
    return member


@transaction.atomic
def submission_pick_final(*, user: Any, submission: Submission, is_final: bool) -> Submission:
    """Pick (or unpick) one of one's scored submissions for the final ranking."""
    person = policy.require_person(user, "challenge.submission.update", submission)
    challenge = _lock(submission.challenge)
    if not challenge.is_scored:
        raise Conflict(_("Only scored challenges have final submissions."))
    if challenge.state != State.OPEN:
        raise Conflict(_("Final submissions can be picked only while the challenge is open."))
    submission = Submission.objects.get(pk=submission.pk)
    if submission.is_final == is_final:
        return submission
    if is_final:
        limit = challenges_policy(challenge.space).final_submissions
        picked = Submission.objects.filter(
            challenge=challenge, submitted_by=person, is_final=True
        ).count()
        if picked >= limit:
            raise Conflict(
                ngettext(
                    "You have picked %(n)d final submission, the most allowed; unpick it first.",
                    "You have picked %(n)d final submissions, the most allowed; unpick one first.",
                    picked,
                )
                % {"n": picked}
            )
    submission.is_final = is_final
    submission.save(update_fields=["is_final"])
    record(
        actor=person,
        verb="submission:final_picked",
        target=submission,
        space=None,
        data={"final": is_final},
    )
    return submission


@transaction.atomic
def submission_score(*, user: Any, submission: Submission, scores: dict[str, int]) -> list[Score]:
    """A judge's scores (0-10) of a submission, by criterion name; later scores replace earlier."""
    person = policy.require_person(user, "challenge.submission.judge", submission)
    challenge = _lock(submission.challenge)
    if challenge.is_scored:
        raise Conflict(_("Scored challenges are ranked by their metric, not by judges."))
    if challenge.state not in {State.OPEN, State.JUDGING}:
        raise Conflict(_("The challenge is already judged."))
    criteria = {criterion.name: criterion for criterion in challenge.criteria.all()}
    if not scores:
        raise Invalid(_("Give a score for at least one criterion."), field="scores")
    for name, value in scores.items():
        if name not in criteria:
            raise Invalid(_("There is no criterion '%(name)s'.") % {"name": name}, field="scores")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
            raise Invalid(_("Scores are whole numbers from 0 to 10."), field="scores")
    saved = []
    for name, value in scores.items():
        row, _created = Score.objects.update_or_create(
            submission=submission,
            judge=person,
            criterion=criteria[name],
            defaults={"value": value, "scored_at": timezone.now()},
        )
        saved.append(row)
    record(
        actor=person,
        verb="submission:scored",
        target=submission,
        space=None,
        data={"scores": dict(scores)},
    )
    return saved


@transaction.atomic
def challenge_close_notice(*, challenge: Challenge) -> bool:
    """Tell watchers, solvers and judges that a challenge has closed (once; by the system).

    The event says nothing about the submissions, which stay sealed until the award.
    """
    challenge = _lock(challenge)
    if (
        challenge.close_noticed_at is not None
        or challenge.withdrawn_at is not None
        or challenge.closes_at > timezone.now()
    ):
        return False
    challenge.close_noticed_at = timezone.now()
    challenge.save(update_fields=["close_noticed_at"])
    event = record(
        actor=None,
        verb="challenge:closed",
        target=challenge,
        space=challenge.space,
        data={"closes_at": challenge.closes_at, "kind": challenge.kind},
    )
    participants = set(
        SubmissionMember.objects.filter(submission__challenge=challenge).values_list(
            "user_id", flat=True
        )
    )
    notify(users=_audience(challenge) | participants, event=event)
    return True


# ---- ranking and award ----------------------------------------------------------------------


def ranking(challenge: Challenge) -> list[tuple[Submission, Any]]:
    """The final order of the entries (submission, score), best first, ties broken by the rule.

    Judged challenges rank every submission by its weighted judges' score; scored challenges
    rank each solver once, by the best private score among their final picks (or, if they
    picked none, their latest N submissions).
    """
    submissions = list(challenge.submissions.select_related("submitted_by"))
    by_id = {submission.pk: submission for submission in submissions}
    if challenge.is_scored:
        from . import scoring

        higher = scoring.METRICS[challenge.metric].higher_is_better
        limit = challenges_policy(challenge.space).final_submissions
        per_solver: dict[int, list[Submission]] = {}
        for submission in submissions:
            per_solver.setdefault(submission.submitted_by_id, []).append(submission)
        entries = []
        for own in per_solver.values():
            finals = [s for s in own if s.is_final] or sorted(
                own, key=lambda s: (s.submitted_at, s.pk)
            )[-limit:]
            best = prizes.rank(
                [prizes.Entry(s.pk, s.private_score, s.submitted_at) for s in finals],
                higher_is_better=higher,
            )[0]
            entries.append(best)
        ordered = prizes.rank(entries, higher_is_better=higher)
    else:
        weights = {c.pk: c.weight for c in challenge.criteria.all()}
        scores: dict[int, list[tuple[int, int]]] = {}
        for submission_id, criterion_id, value in Score.objects.filter(
            submission__challenge=challenge
        ).values_list("submission_id", "criterion_id", "value"):
            scores.setdefault(submission_id, []).append((criterion_id, value))
        ordered = prizes.rank(
            prizes.Entry(s.pk, prizes.weighted_score(weights, scores.get(s.pk, [])), s.submitted_at)
            for s in submissions
        )
    return [(by_id[entry.key], entry.score) for entry in ordered]


def _pay_prizes(challenge: Challenge, person: Any, awards: Sequence[Award]) -> Payout | None:
    """Pay every share out of the reservation in one payout (held for a second steward over
    the space's limit), then give the unawarded rest back to the treasury."""
    to = [
        (share.user, share.amount)
        for award in awards
        for share in award.shares.select_related("user")
        if share.amount
    ]
    total = sum(amount for _user, amount in to)
    payout = None
    if total:
        held = ledger.reserved(challenge.space, challenge).get(challenge.currency, 0)
        if held < total:
            # A challenge posted before prizes were reserved: set the shortfall aside now.
            _reserve(challenge, person, total - held, f"challenge:{challenge.pk}:pool:award")
        payout = ledger.payout_create(
            space=challenge.space,
            actor=person,
            subject=challenge,
            kind=LedgerKind.PRIZE,
            to=to,
            currency=challenge.currency,
            key=f"challenge:{challenge.pk}:prizes",
            memo=_("Prizes of “%(title)s”") % {"title": challenge.title},
        )
    _release(challenge, person, f"challenge:{challenge.pk}:unawarded")
    return payout


@dataclass(frozen=True)
class PlannedShare:
    """One team member's part of a place's prize."""

    user: Any
    amount: int


@dataclass(frozen=True)
class PlannedPlace:
    """A place, the entry that fills it, its score, its prize and how the team shares it."""

    place: int
    submission: Submission
    score: Any
    amount: int
    shares: list[PlannedShare]


@dataclass(frozen=True)
class AwardPlan:
    """What awarding the prizes would do, computed and never written: the same numbers
    `challenge_award` records, for a person (or a program) to check before confirming."""

    challenge: Challenge
    ranking: list[tuple[Submission, Any]]
    places: list[PlannedPlace]
    unawarded: int

    @property
    def pool(self) -> int:
        return int(self.challenge.prize_pool)

    @property
    def awarded(self) -> int:
        return sum(place.amount for place in self.places)


def _award_checks(challenge: Challenge) -> None:
    state = challenge.state
    if challenge.withdrawn_at is not None:
        raise Conflict(_("The challenge was withdrawn."))
    if challenge.awarded_at is not None:
        raise Conflict(_("The prizes of this challenge are already awarded."))
    if state in {State.UPCOMING, State.OPEN}:
        raise Conflict(
            _("The challenge is open until %(deadline)s; prizes are awarded after it closes.")
            % {"deadline": _deadline(challenge)}
        )


def _award_plan(challenge: Challenge) -> AwardPlan:
    order = ranking(challenge)
    ranked = [(s, score) for s, score in order if score is not None]
    entries = [prizes.Entry(s.pk, score, s.submitted_at) for s, score in ranked]
    filled, unawarded = prizes.places(challenge.prize_split, entries)
    by_id = {s.pk: (s, score) for s, score in ranked}
    planned = []
    for place, entry, amount in filled:
        submission, score = by_id[entry.key]
        members = list(
            submission.members.filter(accepted_at__isnull=False)
            .select_related("user")
            .order_by("accepted_at", "id")
        )
        shares = prizes.split_exact(amount, [1] * len(members))
        planned.append(
            PlannedPlace(
                place=place,
                submission=submission,
                score=score,
                amount=amount,
                shares=[
                    PlannedShare(member.user, share)
                    for member, share in zip(members, shares, strict=True)
                ],
            )
        )
    return AwardPlan(challenge=challenge, ranking=order, places=planned, unawarded=unawarded)


def challenge_award_plan(*, user: Any, challenge: Challenge) -> AwardPlan:
    """The dry run of `challenge_award`: the same checks and numbers, nothing written."""
    policy.require_person(user, "challenge.update", challenge)
    _award_checks(challenge)
    return _award_plan(challenge)


@transaction.atomic
def challenge_award(*, user: Any, challenge: Challenge) -> list[Award]:
    """Record the prize of each place and each team member's share; unseals the submissions.

    Only ranked entries with a score fill places; the prize of a place nobody fills is not
    awarded (it stays with the seeker) and the award event says how much that is.
    """
    person = policy.require_person(user, "challenge.update", challenge)
    challenge = _lock(challenge)
    _award_checks(challenge)
    plan = _award_plan(challenge)
    awards = []
    summary = []
    for planned in plan.places:
        submission = planned.submission
        award = Award.objects.create(
            challenge=challenge, place=planned.place, submission=submission, amount=planned.amount
        )
        AwardShare.objects.bulk_create(
            AwardShare(award=award, user=share.user, amount=share.amount)
            for share in planned.shares
        )
        awards.append(award)
        summary.append(
            {
                "place": planned.place,
                "submission": submission.pk,
                "title": submission.title,
                "amount": planned.amount,
                "shares": {share.user.username: share.amount for share in planned.shares},
            }
        )
    unawarded = plan.unawarded
    challenge.awarded_at = timezone.now()
    challenge.save(update_fields=["awarded_at"])
    _pay_prizes(challenge, person, awards)
    event = record(
        actor=person,
        verb="challenge:awarded",
        target=challenge,
        space=challenge.space,
        data={
            "currency": challenge.currency,
            "places": summary,
            "unawarded": unawarded,
        },
    )
    participants = set(
        SubmissionMember.objects.filter(submission__challenge=challenge).values_list(
            "user_id", flat=True
        )
    )
    notify(users=_audience(challenge) | participants, event=event)
    return awards
