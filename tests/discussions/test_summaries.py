"""Extractive summaries of long threads: the thread's own sentences, kept, marked outdated."""

from __future__ import annotations

import pytest
from django.test import Client

from peerwork.discussions import actions as discussions
from peerwork.discussions.models import Comment, Summary
from peerwork.discussions.selectors import comments_for
from peerwork.discussions.summary import split_sentences, summarize
from peerwork.wiki import actions as wiki

pytestmark = pytest.mark.django_db

ENGLISH = [
    "The community garden needs a new water tank before the summer. I measured the old one.",
    "A bigger water tank would let the garden survive the dry summer weeks.",
    "Thanks!",
    "Who has a truck? We could fetch the tank on Saturday morning.",
    "The water tank from the hardware store holds two thousand litres of rain water.",
    "I can pay for part of the tank if others share the cost.",
    "Rain water from the shed roof could fill the new tank quickly.",
    "Let us vote on the tank size at the next garden meeting.",
    "My cat likes the garden too.",
    "Sharing the cost of the water tank among all gardeners seems fair.",
    "The summer is dry and the garden plants need the rain water most in July.",
]
SPANISH = [
    "El huerto comunitario necesita un depósito de agua nuevo antes del verano.",
    "Un depósito de agua más grande salvaría el huerto en las semanas secas del verano.",
    "¡Gracias!",
    "¿Quién tiene una furgoneta? Podemos traer el depósito el sábado por la mañana.",
    "El depósito de la ferretería guarda dos mil litros de agua de lluvia.",
    "Puedo pagar una parte del depósito si otros comparten el coste.",
    "El agua de lluvia del tejado del cobertizo llenaría el depósito nuevo.",
    "Votemos el tamaño del depósito en la próxima reunión del huerto.",
    "A mi gato también le gusta el huerto.",
    "Compartir el coste del depósito de agua entre todas las hortelanas es justo.",
    "El verano es seco y las plantas del huerto necesitan el agua de lluvia en julio.",
]


@pytest.fixture
def thread(make_user, make_space):
    owner = make_user("owner")
    people = [owner, make_user("bea"), make_user("cai")]
    space = make_space(owner, "garden")
    page = wiki.page_save(
        user=owner, space=space, title="Water", text="Water.\n", base_revision_id=None
    ).page

    def fill(texts):
        return [
            discussions.comment_post(user=people[n % 3], target=page, text=text)
            for n, text in enumerate(texts)
        ]

    return owner, page, fill


def test_sentences_split_in_both_languages():
    assert split_sentences("One thing. Another thing!\n\n> quoted line\n- a list item") == [
        "One thing.",
        "Another thing!",
        "quoted line",
        "a list item",
    ]
    assert split_sentences("Hola a todas. ¿Venís el sábado? ¡Claro que sí!") == [
        "Hola a todas.",
        "¿Venís el sábado?",
        "¡Claro que sí!",
    ]
    assert split_sentences("See [the plan](https://example.org/p). Then vote.") == [
        "See the plan.",
        "Then vote.",
    ]


def test_short_threads_are_offered_no_summary(thread, api_as):
    owner, page, fill = thread
    fill(ENGLISH[:9])
    client = api_as(owner)
    body = client.get(f"/discussions/wiki.page/{page.pk}/summary").json()
    assert body["offered"] is False
    assert body["min_comments"] == 10
    # Asking anyway makes nothing and says so, as the read does.
    response = client.post(f"/discussions/wiki.page/{page.pk}/summary")
    assert response.status_code == 200
    assert response.json()["offered"] is False
    assert not Summary.objects.exists()


@pytest.mark.parametrize("texts", [ENGLISH, SPANISH], ids=["english", "spanish"])
def test_the_summary_is_the_threads_central_sentences_linked_to_their_comments(
    thread, api_as, texts
):
    owner, page, fill = thread
    comments = fill(texts)
    by_id = {c.pk: c for c in comments}
    body = api_as(owner).post(f"/discussions/wiki.page/{page.pk}/summary").json()
    assert body["offered"] is True
    assert body["summarized_count"] == 11
    assert body["outdated"] is False
    sentences = body["sentences"]
    assert 3 <= len(sentences) <= 8
    for sentence in sentences:
        comment = by_id[sentence["comment"]]
        assert sentence["text"] in comment.text  # taken from the thread itself
        assert sentence["anchor"] == f"comment-{comment.pk}"
        assert sentence["author"] == comment.author.username
    ids = [s["comment"] for s in sentences]
    assert ids == sorted(ids)  # in thread order
    chosen = " ".join(s["text"] for s in sentences)
    assert "cat" not in chosen and "gato" not in chosen  # off topic
    assert "Thanks" not in chosen and "Gracias" not in chosen  # too short
    central = "tank" if texts is ENGLISH else "depósito"
    assert sum(central in s["text"] for s in sentences) >= 2


def test_a_new_comment_outdates_it_and_updating_clears_that(thread, api_as):
    owner, page, fill = thread
    fill(ENGLISH)
    client = api_as(owner)
    url = f"/discussions/wiki.page/{page.pk}/summary"
    first = client.post(url).json()
    discussions.comment_post(user=owner, target=page, text="The tank arrived today.")
    discussions.comment_post(user=owner, target=page, text="It is installed now.")
    later = client.get(url).json()
    assert later["outdated"] is True
    assert later["new_since"] == 2
    assert later["comment_count"] == 13
    assert later["summarized_count"] == 11
    assert later["sentences"] == first["sentences"]  # kept until someone asks again
    updated = client.post(url).json()
    assert updated["outdated"] is False
    assert updated["new_since"] == 0
    assert updated["summarized_count"] == 13
    assert Summary.objects.count() == 1


def test_a_removed_comment_leaves_the_summary_at_once(thread, api_as):
    owner, page, fill = thread
    fill(ENGLISH)
    client = api_as(owner)
    url = f"/discussions/wiki.page/{page.pk}/summary"
    first = client.post(url).json()
    removed = Comment.objects.get(pk=first["sentences"][0]["comment"])
    discussions.comment_delete(user=owner, comment=removed, reason="off topic")
    after = client.get(url).json()
    assert after["outdated"] is True
    assert removed.pk not in [s["comment"] for s in after["sentences"]]


def test_the_summary_follows_what_the_reader_may_see(make_user, make_space, api_as):
    owner, outsider = make_user("owner"), make_user("outsider")
    space = make_space(owner, "secret", visibility="members", participation="members")
    page = wiki.page_save(
        user=owner, space=space, title="Plans", text="x\n", base_revision_id=None
    ).page
    assert api_as(outsider).get(f"/discussions/wiki.page/{page.pk}/summary").status_code == 404
    assert api_as(None).post(f"/discussions/wiki.page/{page.pk}/summary").status_code == 404


def test_the_thread_page_shows_the_panel_and_updates_it(thread):
    owner, page, fill = thread
    fill(ENGLISH)
    client = Client()
    client.force_login(owner)
    html = client.get("/s/garden/discussion/Water").content.decode()
    assert 'id="summary"' in html
    assert "Summarize this thread" in html
    response = client.post(f"/discussions/wiki.page/{page.pk}/summary")
    assert response.status_code == 302
    assert response["Location"].endswith("#summary")
    html = client.get("/s/garden/discussion/Water").content.decode()
    assert "Summary of 11 comments." in html
    first = summarize(comments_for(user=owner, target=page))[0]
    assert f'href="#comment-{first.comment}"' in html
    discussions.comment_post(user=owner, target=page, text="One more thought on the tank.")
    html = client.get("/s/garden/discussion/Water").content.decode()
    assert "1 new since." in html
    assert "Update the summary" in html
