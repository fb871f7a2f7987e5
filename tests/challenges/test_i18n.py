"""Challenges in the reader's language: the countdown's words, state badges that agree with
"challenge", counts in the singular and plural, and labels that say what they mean."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from peerwork.challenges import actions

from .conftest import HALF, People, make_challenge, make_scored

SPANISH_COUNTDOWN = (
    'data-day="{n} d"\n  data-hour="{n} h"\n  data-minute="{n} min"\n  data-second="{n} s"\n'
    '  data-left="quedan {time}"\n  data-closed="cerrado"'
)
ENGLISH_COUNTDOWN = (
    'data-day="{n}d"\n  data-hour="{n}h"\n  data-minute="{n}m"\n  data-second="{n}s"\n'
    '  data-left="{time} left"\n  data-closed="closed"'
)


def _client(language: str, user: object = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_countdown_s_words_come_in_the_page_s_language(people: People) -> None:
    challenge = make_challenge(people)
    base = f"/s/{people.space.slug}/challenges/"
    pages = [base, f"{base}{challenge.pk}/", f"{base}{challenge.pk}/submit"]
    for path in pages:
        spanish = _client("es", people.solver).get(path)
        assert spanish.status_code == 200, path
        assert SPANISH_COUNTDOWN in spanish.content.decode(), path
        english = _client("en", people.solver).get(path).content.decode()
        assert ENGLISH_COUNTDOWN in english, path
    detail = _client("es").get(f"{base}{challenge.pk}/").content.decode()
    assert 'data-countdown id="countdown"' in detail


@pytest.mark.django_db
def test_a_withdrawn_challenge_s_badge_agrees_with_challenge(people: People) -> None:
    challenge = make_challenge(people)
    actions.challenge_withdraw(user=people.seeker, challenge=challenge)
    url = f"/s/{people.space.slug}/challenges/{challenge.pk}/"
    spanish = _client("es").get(url).content.decode()
    assert 'data-state="withdrawn">retirado</span>' in spanish  # el desafío, masculine
    english = _client("en").get(url).content.decode()
    assert 'data-state="withdrawn">withdrawn</span>' in english


@pytest.mark.django_db
def test_a_limit_of_one_reads_in_the_singular(people: People, api_as, time_machine) -> None:
    people.space.policy = {"challenges": {"daily_submissions": 1, "final_submissions": 1}}
    people.space.save()
    challenge = make_scored(people)
    api = api_as(people.solver)
    path = f"/challenges/{challenge.pk}/submissions"
    first = api.post(path, {"predictions": HALF.decode()})
    assert first.status_code == 201

    english = api.post(path, {"predictions": HALF.decode()}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert english.json()["detail"] == (
        "You have made 1 submission today, the daily limit; you can submit again after "
        "midnight UTC."
    )
    spanish = api.post(path, {"predictions": HALF.decode()}, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["detail"] == (
        "Hoy has enviado 1 propuesta, el límite diario; puedes volver a enviar después de la "
        "medianoche UTC."
    )

    time_machine.move_to(timezone.now() + timedelta(days=1), tick=False)
    second = api.post(path, {"predictions": HALF.decode()})
    assert second.status_code == 201
    final = f"/challenge-submissions/{first.json()['id']}/final"
    assert api.put(final, {"final": True}).status_code == 200
    other = f"/challenge-submissions/{second.json()['id']}/final"
    english = api.put(other, {"final": True}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert english.json()["detail"] == (
        "You have picked 1 final submission, the most allowed; unpick it first."
    )
    spanish = api.put(other, {"final": True}, HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["detail"] == (
        "Has elegido 1 propuesta definitiva, el máximo permitido; quítala primero."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit", "english", "spanish"),
    [
        (
            1,
            "if you pick none, your latest submission is used.",
            "si no eliges ninguna, se usa tu propuesta más reciente.",
        ),
        (
            2,
            "if you pick none, your 2 latest submissions are used.",
            "si no eliges ninguna, se usan tus 2 propuestas más recientes.",
        ),
    ],
)
def test_the_final_picks_note_says_which_submissions_are_used(
    people: People, limit: int, english: str, spanish: str
) -> None:
    people.space.policy = {"challenges": {"final_submissions": limit}}
    people.space.save()
    challenge = make_scored(people)
    actions.submission_create(user=people.solver, challenge=challenge, predictions=HALF)
    url = f"/s/{people.space.slug}/challenges/{challenge.pk}/"
    assert english in _client("en", people.solver).get(url).content.decode()
    assert spanish in _client("es", people.solver).get(url).content.decode()


@pytest.mark.django_db
def test_the_close_notice_says_what_closed(people: People, time_machine) -> None:
    challenge = make_challenge(people)
    time_machine.move_to(challenge.closes_at + timedelta(seconds=1), tick=False)
    assert actions.challenge_close_notice(challenge=challenge)
    url = f"/s/{people.space.slug}/activity/"
    english = _client("en").get(url).content.decode()
    assert '<span class="verb">closed a challenge to submissions</span>' in english
    spanish = _client("es").get(url).content.decode()
    assert '<span class="verb">cerró la recepción de propuestas de un desafío</span>' in spanish


@pytest.mark.django_db
def test_the_post_form_names_the_organization_field_in_plain_words(people: People) -> None:
    page = _client("en", people.seeker).get(f"/s/{people.space.slug}/challenges/new")
    html = page.content.decode()
    assert ">Post for an organization:</label>" in html
    assert "The organization's short name, the last part of its page's address" in html
    assert "(its slug)" not in html
