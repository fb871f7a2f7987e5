"""Web pages of challenges: thin faces on the same actions and selectors as the REST API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.core import confirm, policy
from peerwork.core.errors import Conflict, InsufficientFunds, Invalid
from peerwork.core.money import money_input
from peerwork.discussions import views as discussion_views
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .forms import (
    ChallengeEditForm,
    ChallengeForm,
    InviteForm,
    JudgesForm,
    ReasonForm,
    SubmissionForm,
    TruthForm,
)
from .models import Challenge, Submission
from .policy import is_judge, is_seeker
from .policy_schema import challenges_policy

EXPECTED = (Invalid, Conflict, InsufficientFunds)


def _space(request: HttpRequest, slug: str) -> Space:
    return space_get_visible(user=request.user, slug=slug)


def _challenge(request: HttpRequest, slug: str, challenge_id: int) -> Challenge:
    space = _space(request, slug)
    return selectors.challenge_get_visible(
        user=request.user, challenge_id=challenge_id, space=space
    )


def _submission(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> Submission:
    challenge = _challenge(request, slug, challenge_id)
    submission = selectors.submission_get_visible(user=request.user, submission_id=submission_id)
    if submission.challenge_id != challenge.pk:
        raise Http404()
    return submission


def ledger_url(space: Space) -> str:
    """The space's ledger page (the ledger app's own route when it has one)."""
    try:
        return reverse("ledger:ledger", args=[space.slug])
    except NoReverseMatch:
        return f"/s/{space.slug}/ledger/"


def _url(challenge: Challenge) -> str:
    return reverse("challenges:detail", args=[challenge.space.slug, challenge.pk])


def _submission_url(submission: Submission) -> str:
    challenge = submission.challenge
    return reverse(
        "challenges:submission", args=[challenge.space.slug, challenge.pk, submission.pk]
    )


def _context(request: HttpRequest, space: Space, **extra: Any) -> dict[str, Any]:
    return {
        "space": space,
        "tab": "challenges",
        "can_update": policy.can(request.user, "space.update", space),
        **extra,
    }


def _split_text(values: list[int], currency: str) -> str:
    return "\n".join(money_input(value, currency) for value in values)


@require_GET
def challenge_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    challenges = list(selectors.challenges_of_space(user=request.user, space=space)[:200])
    context = _context(
        request,
        space,
        challenges=challenges,
        can_post=policy.can(request.user, "challenge.create", space),
    )
    return render(request, "challenges/list.html", context)


@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    policy.require(request.user, "challenge.create", space)
    judges_from = selectors.judge_candidates(space=space)
    if request.method == "GET":
        form = ChallengeForm(
            initial={"ip_terms": "license", "kind": "ideation"}, judges_from=judges_from
        )
        return render(request, "challenges/new.html", _context(request, space, form=form))
    form = ChallengeForm(request.POST, judges_from=judges_from)
    if not form.is_valid():
        return render(
            request, "challenges/new.html", _context(request, space, form=form), status=400
        )
    data = dict(form.cleaned_data)
    data["organization"] = data["organization"] or None
    try:
        challenge = actions.challenge_create(user=request.user, space=space, **data)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return render(
            request, "challenges/new.html", _context(request, space, form=form), status=status
        )
    messages.success(request, _("Your challenge is posted."))
    return redirect(_url(challenge))


@require_GET
def challenge_detail(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    user = request.user
    seeker = is_seeker(user, challenge)
    judge = is_judge(user, challenge)
    rows, final = selectors.leaderboard(user=user, challenge=challenge)
    see_all = selectors.sees_all_submissions(user, challenge)
    judges = list(challenge.judges.select_related("user"))
    can_edit = policy.can(user, "challenge.update", challenge)
    context = _context(
        request,
        challenge.space,
        challenge=challenge,
        criteria=list(challenge.criteria.all()),
        judges=judges,
        places=list(enumerate(challenge.prize_split, start=1)),
        is_seeker=seeker,
        is_judge=judge,
        can_edit=can_edit,
        can_submit=challenge.is_open and policy.can(user, "challenge.submit", challenge),
        can_watch=policy.can(user, "challenge.watch", challenge),
        watching=watching.is_watching(user, challenge),
        submission_count=selectors.submission_count(user=user, challenge=challenge),
        submissions=list(selectors.submissions_visible(user=user, challenge=challenge))
        if see_all
        else [],
        mine=list(selectors.my_submissions(user=user, challenge=challenge)),
        invitations=list(selectors.invitations(user=user, challenge=challenge)),
        leaderboard=rows,
        leaderboard_final=final,
        awards=list(selectors.awards(user=user, challenge=challenge)),
        prize_money=selectors.prize_money(user=user, challenge=challenge),
        ledger_url=ledger_url(challenge.space),
        judges_form=_judges_form(challenge, judges) if can_edit else None,
        truth_form=TruthForm(),
        has_truth=challenge.is_scored and hasattr(challenge, "truth"),
        **discussion_views.thread_context(request, challenge),
        final_limit=challenges_policy(challenge.space).final_submissions,
        daily_limit=challenges_policy(challenge.space).daily_submissions,
    )
    return render(request, "challenges/detail.html", context)


def _judges_form(challenge: Challenge, judges: list[Any]) -> JudgesForm:
    people = [judge.user for judge in judges]
    return JudgesForm(
        initial={"judges": [person.username for person in people]},
        judges_from=selectors.judge_candidates(space=challenge.space, judges=people),
    )


@require_GET
def challenge_leaderboard(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    """The leaderboard alone, which the challenge page polls while the challenge is open."""
    challenge = _challenge(request, slug, challenge_id)
    rows, final = selectors.leaderboard(user=request.user, challenge=challenge)
    context = _context(
        request, challenge.space, challenge=challenge, leaderboard=rows, leaderboard_final=final
    )
    return render(request, "challenges/_leaderboard.html", context)


@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.update", challenge)
    template = "challenges/edit.html"
    if request.method == "GET":
        form = ChallengeEditForm(
            currency=challenge.currency,
            initial={
                "title": challenge.title,
                "statement": challenge.statement,
                "eligibility": challenge.eligibility,
                "prize_pool": money_input(challenge.prize_pool, challenge.currency),
                "prize_split": _split_text(challenge.prize_split, challenge.currency),
                "opens_at": challenge.opens_at,
                "closes_at": challenge.closes_at,
                "leaderboard_public": challenge.leaderboard_public,
            },
        )
        if not challenge.is_scored:
            del form.fields["leaderboard_public"]
        return render(
            request, template, _context(request, challenge.space, challenge=challenge, form=form)
        )
    form = ChallengeEditForm(request.POST, currency=challenge.currency)
    if not challenge.is_scored:
        del form.fields["leaderboard_public"]
    status = 400
    if form.is_valid():
        changes = dict(form.cleaned_data)
        for field in ("opens_at", "closes_at"):
            # The form shows minutes: an unchanged time keeps its stored seconds.
            if _same_minute(changes[field], getattr(challenge, field)):
                changes[field] = getattr(challenge, field)
        try:
            actions.challenge_update(user=request.user, challenge=challenge, **changes)
        except EXPECTED as error:
            status = add_action_error(form, error)
        else:
            messages.success(request, _("The challenge is updated."))
            return redirect(_url(challenge))
    context = _context(request, challenge.space, challenge=challenge, form=form)
    return render(request, template, context, status=status)


def _same_minute(a: Any, b: Any) -> bool:
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0)


def _back_with_error(request: HttpRequest, challenge: Challenge, error: Any) -> HttpResponse:
    messages.error(request, str(error.detail))
    response = redirect(_url(challenge))
    return response


@require_POST
def challenge_withdraw(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.update", challenge)
    if not confirm.is_confirmed(request):
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Withdraw the challenge “%(title)s”?") % {"title": challenge.title},
                consequence=_(
                    "The challenge closes for good: no one can submit to it any more, nothing "
                    "is judged or awarded, and the withdrawal and its reason go on the public log."
                ),
                irreversible=_("A withdrawn challenge cannot be reopened."),
                button=_("Withdraw the challenge"),
                cancel_url=_url(challenge),
            ),
        )
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        actions.challenge_withdraw(user=request.user, challenge=challenge, reason=reason)
    except EXPECTED as error:
        return _back_with_error(request, challenge, error)
    messages.success(request, _("The challenge is withdrawn."))
    return redirect(_url(challenge))


@require_POST
def challenge_judges(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.update", challenge)
    people = [judge.user for judge in challenge.judges.select_related("user")]
    form = JudgesForm(
        request.POST,
        judges_from=selectors.judge_candidates(space=challenge.space, judges=people),
    )
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("judges", ())))
    else:
        try:
            actions.challenge_judges_set(
                user=request.user, challenge=challenge, usernames=form.cleaned_data["judges"]
            )
        except EXPECTED as error:
            return _back_with_error(request, challenge, error)
        messages.success(request, _("The judges are named."))
    return redirect(_url(challenge))


@require_http_methods(["GET", "POST"])
def challenge_truth(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    """GET downloads the hidden answers (seeker only); POST uploads them."""
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.update", challenge)
    if request.method == "GET":
        truth = selectors.truth_get(user=request.user, challenge=challenge)
        response = HttpResponse(bytes(truth.data), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="answers-{challenge.pk}.csv"'
        return response
    form = TruthForm(request.POST, request.FILES)
    limit = challenges_policy(challenge.space).max_upload_bytes
    data = form.data_bytes(limit) if form.is_valid() else None
    if data is None:
        messages.error(request, _("Choose a CSV file of answers, or paste it."))
        return redirect(_url(challenge))
    try:
        truth = actions.truth_upload(user=request.user, challenge=challenge, data=data)
    except EXPECTED as error:
        return _back_with_error(request, challenge, error)
    messages.success(
        request,
        ngettext(
            "The hidden answers are saved: %(n)d row.",
            "The hidden answers are saved: %(n)d rows.",
            truth.row_count,
        )
        % {"n": truth.row_count},
    )
    return redirect(_url(challenge))


def _award_rows(plan: actions.AwardPlan) -> list[dict[str, Any]]:
    """The ranking as the confirmation shows it: every entry, its score, and its place if any."""
    placed = {planned.submission.pk: planned for planned in plan.places}
    return [
        {
            "rank": index,
            "submission": submission,
            "score": None if score is None else float(score),
            "planned": placed.get(submission.pk),
        }
        for index, (submission, score) in enumerate(plan.ranking, start=1)
    ]


@require_http_methods(["GET", "POST"])
def challenge_award(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    """Awarding asks first: the ranking, the places, who gets what, the totals and the pool;
    only a post that confirms them awards (the plan is the dry run of the same action)."""
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.update", challenge)
    if request.method == "POST" and confirm.is_confirmed(request):
        try:
            actions.challenge_award(user=request.user, challenge=challenge)
        except EXPECTED as error:
            return _back_with_error(request, challenge, error)
        messages.success(request, _("The prizes are awarded."))
        return redirect(_url(challenge) + "#awards")
    try:
        plan = actions.challenge_award_plan(user=request.user, challenge=challenge)
    except EXPECTED as error:
        return _back_with_error(request, challenge, error)
    context = _context(
        request,
        challenge.space,
        challenge=challenge,
        plan=plan,
        rows=_award_rows(plan),
        score_digits=6 if challenge.is_scored else 2,
    )
    return render(request, "challenges/award_confirm.html", context)


@require_POST
def challenge_watch(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.watch", challenge)
    watch = request.POST.get("watch") == "1"
    watch_set(user=request.user, target=challenge, watching=watch)
    if watch:
        messages.success(request, _("You will be told about changes to this challenge."))
    else:
        messages.success(request, _("You no longer watch this challenge."))
    return redirect(_url(challenge))


@require_http_methods(["GET", "POST"])
def challenge_submit(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    challenge = _challenge(request, slug, challenge_id)
    policy.require(request.user, "challenge.submit", challenge)
    template = "challenges/submit.html"
    scored = challenge.is_scored

    def page(form: SubmissionForm, status: int = 200) -> HttpResponse:
        context = _context(
            request,
            challenge.space,
            challenge=challenge,
            form=form,
            daily_limit=challenges_policy(challenge.space).daily_submissions,
        )
        return render(request, template, context, status=status)

    if request.method == "GET":
        return page(SubmissionForm(scored=scored))
    form = SubmissionForm(request.POST, request.FILES, scored=scored)
    if not form.is_valid():
        return page(form, 400)
    limit = challenges_policy(challenge.space).max_upload_bytes
    upload = form.cleaned_data.get("file")
    try:
        submission = actions.submission_create(
            user=request.user,
            challenge=challenge,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            file_name=upload.name if upload else "",
            file_data=upload.read(limit + 1) if upload else None,
            predictions=form.predictions(limit),
        )
    except EXPECTED as error:
        uploaded = bool(form.cleaned_data.get("predictions_file"))
        field = {"predictions": "predictions_file" if uploaded else "predictions_text"}
        return page(form, add_action_error(form, error, fields=field))
    messages.success(request, _("Your submission is in. Only your team and the judges see it."))
    return redirect(_submission_url(submission))


@require_GET
def submission_detail(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    challenge = submission.challenge
    user = request.user
    context = _context(
        request,
        challenge.space,
        challenge=challenge,
        submission=submission,
        team=selectors.team(submission),
        readable=policy.can(user, "challenge.submission.content", submission),
        criteria=list(challenge.criteria.all()),
        my_scores=selectors.judged_scores(user=user, submission=submission),
        can_judge=not challenge.is_scored
        and policy.can(user, "challenge.submission.judge", submission),
        can_manage=policy.can(user, "challenge.submission.update", submission),
        can_join=policy.can(user, "challenge.submission.join", submission),
        invite_form=InviteForm(),
        show_private=policy.can(user, "challenge.submission.score", submission),
    )
    return render(request, "challenges/submission.html", context)


@require_GET
def submission_file(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    readable = policy.can(request.user, "challenge.submission.content", submission)
    if not submission.file_data or not readable:
        raise Http404()
    response = HttpResponse(bytes(submission.file_data), content_type="application/octet-stream")
    name = submission.file_name.replace('"', "") or "file"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def submission_score(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    policy.require(request.user, "challenge.submission.judge", submission)
    scores: dict[str, int] = {}
    for criterion in submission.challenge.criteria.all():
        raw = request.POST.get(f"score-{criterion.pk}", "").strip()
        if raw == "":
            continue
        try:
            scores[criterion.name] = int(raw)
        except ValueError:
            messages.error(request, _("Scores are whole numbers from 0 to 10."))
            return redirect(_submission_url(submission))
    try:
        actions.submission_score(user=request.user, submission=submission, scores=scores)
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect(_submission_url(submission))
    messages.success(request, _("Your scores are saved."))
    return redirect(_submission_url(submission))


@require_POST
def submission_invite(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    policy.require(request.user, "challenge.submission.update", submission)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            actions.submission_invite(
                user=request.user, submission=submission, username=form.cleaned_data["username"]
            )
        except EXPECTED as error:
            messages.error(request, str(error.detail))
            return redirect(_submission_url(submission))
        messages.success(request, _("The invitation is sent."))
    return redirect(_submission_url(submission))


@require_POST
def submission_join(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    policy.require(request.user, "challenge.submission.join", submission)
    try:
        actions.submission_join(user=request.user, submission=submission)
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect(_submission_url(submission))
    messages.success(request, _("You joined the team."))
    return redirect(_submission_url(submission))


@require_POST
def submission_final(
    request: HttpRequest, slug: str, challenge_id: int, submission_id: int
) -> HttpResponse:
    submission = _submission(request, slug, challenge_id, submission_id)
    policy.require(request.user, "challenge.submission.update", submission)
    final = request.POST.get("final") == "1"
    try:
        actions.submission_pick_final(user=request.user, submission=submission, is_final=final)
    except EXPECTED as error:
        messages.error(request, str(error.detail))
        return redirect(_url(submission.challenge))
    messages.success(request, _("Your final submissions are updated."))
    return redirect(_url(submission.challenge))


@require_POST
def challenge_comment(request: HttpRequest, slug: str, challenge_id: int) -> HttpResponse:
    """Ask or answer a question on the challenge's page (the discussions flow, kept here)."""
    challenge = _challenge(request, slug, challenge_id)
    return discussion_views.comment_post(request, "challenges.challenge", str(challenge.pk))
