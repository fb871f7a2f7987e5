"""A confirmation step before an action that destroys or cannot be undone, without JavaScript.

A destructive form posts as usual. Its view checks permission first (a person who may not act
is refused, never asked), then `ask` answers a small page that says what will happen and what
cannot be undone, carrying the posted fields along with `confirmed=yes`; only that second post
acts. With JavaScript, site.js asks in a native <dialog> instead and adds `confirmed=yes`
itself, so the extra page is skipped. A post without the confirmation changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_stubs_ext import StrOrPromise

FIELD = "confirmed"
VALUE = "yes"
#: Fields never carried into the confirmation form (the token is written afresh).
NOT_CARRIED = frozenset({"csrfmiddlewaretoken", FIELD})


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(FIELD) == VALUE


@dataclass(frozen=True)
class Question:
    """What the confirmation says: a heading, what will happen, what cannot be undone."""

    title: StrOrPromise
    consequence: StrOrPromise
    button: StrOrPromise
    cancel_url: str
    irreversible: StrOrPromise = ""


def ask(request: HttpRequest, question: Question) -> HttpResponse:
    """The confirmation page for this post: the same address, the same fields, confirmed."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_CARRIED
        for value in values
    ]
    context = {
        "question": question,
        "action": request.get_full_path(),
        "carried": carried,
        "field": FIELD,
        "value": VALUE,
    }
    return render(request, "core/confirm.html", context)
