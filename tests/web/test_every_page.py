"""Every page of the site map, in every language, as every kind of person.

The site map is the routes table of docs/permissions.md (the list the permission-table test
reads); each address is filled with the demo's own objects: every space, page, idea, challenge,
submission, task, proposal and comment. Each page is rendered signed out, as each demo person,
and as people with 0, 1, 2, 5 and 1,000,000 unread notifications and pending invitations, with
the browser asking for each language of settings.LANGUAGES. A page fails on a server error, on
a `%(name)s` placeholder left in what a person reads, on answering differently in one
language than in another, or on lacking the Content-Security-Policy or holding inline code it
would block.

This is the test that would have caught every page answering 500 to people who read Spanish:
English's plural rule never did arithmetic on the lazy count handed to it, Spanish's does.
"""

from __future__ import annotations

import copy
import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.accounts.email_actions import reset_uid
from peerwork.accounts.models import User
from peerwork.activity.actions import watch_set
from peerwork.activity.models import Event
from peerwork.challenges.models import Challenge, Submission
from peerwork.core import context_processors
from peerwork.core.errors import PROBLEM_TYPES
from peerwork.core.security import DEFAULT_CSP, format_csp
from peerwork.credit import actions as credit
from peerwork.credit.models import Distribution, Epoch
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.discussions.models import Comment
from peerwork.governance.models import Proposal
from peerwork.ideas.models import Idea
from peerwork.interop.webhooks import actions as webhooks
from peerwork.ledger import actions as ledger
from peerwork.ledger.models import Payout, Transaction
from peerwork.moderation.models import Filter, QueueItem
from peerwork.spaces import actions as spaces
from peerwork.spaces.models import Space
from peerwork.tasks.models import Task
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Categorization, Page, Revision
from peerwork.wiki.titles import title_text
from tests.test_permission_table import ROUTES

# Rendering in every language is the same on both databases; the PostgreSQL run reads the same
# objects through the HTML and API tests (docs/decisions/0047).
pytestmark = pytest.mark.one_database

LANGUAGES = [code for code, _name in settings.LANGUAGES]
#: The policy every page carries (peerwork/core/security.py).
CSP = format_csp(DEFAULT_CSP)
DEMO_PEOPLE = ["ada", "grace", "linus", "ostrom"]
#: People with this many unread notifications and pending invitations each.
COUNTS = [0, 1, 2, 5, 1_000_000]
#: A counted person's notifications and invitations beyond this are counted, not made: a
#: million rows is a load test, while this test is about how any count reads on every page.
MADE_AT_MOST = 5
#: The empty spaces that invite the counted people, left out of the site map.
INVITING_SPACES = "invites-"
#: A format placeholder that reached the page untranslated or unfilled.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]")
#: What the Content-Security-Policy refuses to run or apply: an inline <script> or <style>,
#: a style= attribute (in SVG too) or an on...= handler in any tag of the page.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|<[a-zA-Z][^>]*\s(?:style|on[a-z]+)\s*=", re.I
)
#: A time whose own period is followed by the sentence's: "at 4:30 p.m.." (English formats end
#: "a.m." and "p.m." with a period; CLDR's Spanish writes "a. m." and "p. m.").
DOUBLED_PERIOD = re.compile(r"\b[ap]\.\s?m\.\.")
#: One of something counted in the plural, in what a person reads ("1 lines added", "1 votos"):
#: a count built without ngettext. "1" stands alone (not 11, 2.1 or 1,5) before a plural noun
#: the site counts; the nouns are those whose singular differs by its final s.
ONE_IN_THE_PLURAL = re.compile(
    r"(?<![\d.,\w])1\s+(?:"
    r"lines|changes|edits|revisions|pages|comments|replies|members|supporters|supports|"
    r"submissions|votes|ballots|tasks|ideas|proposals|challenges|judges|places|points|days|"
    r"hours|minutes|seconds|weeks|months|years|notifications|invitations|people|decimals|"
    r"characters|bytes|words|links|categories|options|topics|labels|rounds|seats|winners|"
    r"líneas|cambios|ediciones|revisiones|páginas|comentarios|respuestas|miembros|apoyos|"
    r"votos|papeletas|tareas|ideas|propuestas|retos|jueces|puestos|puntos|días|horas|minutos|"
    r"segundos|semanas|meses|años|notificaciones|invitaciones|personas|decimales|caracteres|"
    r"palabras|enlaces|categorías|opciones|temas|etiquetas|rondas|escaños|ganadores"
    r")\b"
)
#: What a person reads of a page: its text without tags, scripts, styles or text areas (which
#: hold what someone typed), entities decoded.
HIDDEN_PARTS = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def read_text(page: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", HIDDEN_PARTS.sub(" ", page))).split())


def copy_slips(page: str) -> list[str]:
    """Doubled periods after a.m./p.m. and "1 <plural noun>" in what a person reads."""
    text = read_text(page)
    return sorted(set(DOUBLED_PERIOD.findall(text) + ONE_IN_THE_PLURAL.findall(text)))


#: Routes whose answer is a download or a stream rather than a page: checked for status only.
NOT_PAGES = (
    "/export.",
    "/live",
    "/file",
    "/w/api.php",
    "/activity.atom",
    "/autocomplete",
    "/transactions.csv",
    "/flows.svg",
)


def _counted(count: int) -> str:
    return f"count-{count}"


@dataclass(frozen=True)
class Visit:
    path: str
    route: str


def _pages(space: Space) -> list[Page]:
    return list(Page.objects.filter(space=space, is_deleted=False).order_by("pk"))


def _values(placeholder: str, route: str, space: Space | None, chosen: dict[str, Any]) -> list:
    """The demo's objects that can fill one placeholder of a route."""
    if placeholder == "slug":
        if route.startswith("/problems/"):
            return list(PROBLEM_TYPES)
        if route.startswith("/organizations/"):
            return ["commons-lab"]
        spaces_made = Space.objects.exclude(slug__startswith=INVITING_SPACES)
        return list(spaces_made.order_by("pk").values_list("slug", flat=True))
    if placeholder == "username":
        return DEMO_PEOPLE
    if placeholder in {"uidb64", "token"}:
        # A working reset link: it moves its token into the session and redirects.
        ada = User.objects.get(username="ada")
        if placeholder == "uidb64":
            return [reset_uid(ada)]
        return [default_token_generator.make_token(ada)]
    if placeholder == "verification":
        return ["a-link-that-does-not-work"]
    assert space is not None, f"{route}: {placeholder} outside a space"
    if placeholder == "title":
        return [title_text(page.namespace, page.title).replace(" ", "_") for page in _pages(space)]
    if placeholder == "name":
        names = Categorization.objects.filter(space=space).values_list("category", flat=True)
        return sorted(set(names)) or ["Maps"]
    if placeholder == "idea_id":
        return list(Idea.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "challenge_id":
        return list(Challenge.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "submission_id":
        return list(
            Submission.objects.filter(challenge_id=chosen["challenge_id"]).values_list(
                "pk", flat=True
            )
        )
    if placeholder == "task_id":
        return list(Task.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "proposal_id":
        return list(Proposal.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "comment_id":
        return list(Comment.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "transaction_id":
        return list(Transaction.objects.filter(space=space).values_list("pk", flat=True)[:20])
    if placeholder == "payout_id":
        return list(Payout.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "revision_id":
        # The latest edits of a few pages: their undo and restore pages propose a text.
        revisions = Revision.objects.filter(page__space=space, parent__isnull=False)
        return list(revisions.order_by("-pk").values_list("pk", flat=True)[:3])
    if placeholder == "distribution_id":
        return list(Distribution.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "epoch_id":
        return list(Epoch.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "webhook_id":
        return list(space.webhook_subscriptions.values_list("pk", flat=True))
    if placeholder == "filter_id":
        return list(Filter.objects.filter(space=space).values_list("pk", flat=True))
    if placeholder == "item_id":
        return list(QueueItem.objects.filter(space=space).values_list("pk", flat=True))
    raise AssertionError(f"{route}: no demo value for {{{placeholder}}}")


def _expand(route: str) -> Iterator[str]:
    names = re.findall(r"\{(\w+)\}", route)
    if route.startswith("/history/"):
        targets = Event.objects.values_list("target_type", "target_id").distinct()
        for target_type, target_id in sorted(set(targets)):
            yield f"/history/{target_type}/{target_id}/"
        return
    if "{object_type}" in route:
        # An object's comments address (GET opens a comment's form): each commented object.
        targets = Comment.objects.values_list("target_type", "target_id").distinct()
        for target_type, target_id in sorted(set(targets)):
            yield route.replace("{object_type}", target_type).replace("{object_id}", target_id)
        return
    if route.startswith(("/comments/", "/discussions/comments/")):
        for pk in Comment.objects.values_list("pk", flat=True):
            yield route.replace("{comment_id}", str(pk))
        return

    def fill(index: int, chosen: dict[str, Any]) -> Iterator[dict[str, Any]]:
        if index == len(names):
            yield dict(chosen)
            return
        name = names[index]
        space = None
        if "slug" in chosen and route.startswith("/s/"):
            space = Space.objects.get(slug=chosen["slug"])
        for value in _values(name, route, space, chosen):
            yield from fill(index + 1, {**chosen, name: value})

    for chosen in fill(0, {}):
        path = re.sub(r"\{(\w+)\}", lambda m, c=chosen: str(c[m.group(1)]), route)
        if route == "/s/{slug}/diff":
            # An edit and the version before it, or else a page's first version alone.
            revisions = Revision.objects.filter(page__space__slug=chosen["slug"])
            edit = revisions.filter(parent__isnull=False).order_by("pk").first()
            if edit is not None:
                path += f"?from={edit.parent_id}&to={edit.pk}"
            elif (first := revisions.order_by("pk").first()) is not None:
                path += f"?to={first.pk}"
        yield path


def site_map() -> list[Visit]:
    """Every GET page of the routes table, filled with the demo's objects."""
    visits = []
    for method, route, _action in ROUTES:
        if method != "GET" or route.startswith("/api/"):
            continue
        visits += [Visit(path, route) for path in _expand(route)]
    return visits


def _make_counted_people(ada: User) -> None:
    """People with N unread notifications and N pending invitations, made by the same actions
    a person would use: N edits by ada to a page they watch, N spaces that invite them."""
    atlas = Space.objects.get(slug="open-atlas")
    page = wiki.page_save(
        user=ada, space=atlas, title="Counting", text="0\n", base_revision_id=None
    ).page
    for count in COUNTS:
        person = accounts.user_signup(
            username=_counted(count), password=DEMO_PASSWORD, display_name=f"Counted {count}"
        )
        made = min(count, MADE_AT_MOST)
        if made:
            watch_set(user=person, target=page, watching=True)
            for step in range(made):
                page.refresh_from_db()
                wiki.page_save(
                    user=ada,
                    space=atlas,
                    title="Counting",
                    text=f"{count}-{step}\n",
                    base_revision_id=page.current_revision_id,
                )
            watch_set(user=person, target=page, watching=False)
        for step in range(made):
            space = spaces.space_create(
                user=ada, slug=f"{INVITING_SPACES}{count}-{step}", name=f"Invites {count} {step}"
            )
            spaces.space_invitation_create(user=ada, space=space, invitee=person)


@pytest.fixture
def demo(db: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PEERWORK_WEBHOOK_ALLOW_PRIVATE = True
    assert load_demo()
    ada = User.objects.get(username="ada")
    webhooks.webhook_subscribe(
        user=ada, space=Space.objects.get(slug="open-atlas"), url="http://127.0.0.1:9/hook"
    )
    _make_counted_people(ada)
    # The ledger's pages with rows: a funding, a refund and a reversal of the refund.
    atlas = Space.objects.get(slug="open-atlas")
    ledger.treasury_fund(
        actor=ada, space=atlas, amount=150_000, currency="EUR", key="walk-1", reference="G-9"
    )
    refund = ledger.treasury_refund(
        actor=ada, space=atlas, amount=2_500, currency="EUR", key="walk-2"
    )
    ledger.transaction_reverse(actor=ada, transaction=refund, key="walk-3", reason="Bounced")
    # Credit's pages with rows: a distribution, a closed epoch that paid one, an open epoch.
    atlas.policy = {**(atlas.policy or {}), "credit": {"peer_epochs": True}}
    atlas.save(update_fields=["policy"])
    credit.distribution_create(
        actor=ada, space=atlas, method="recent", amount=10_000, currency="EUR", key="walk-4"
    )
    closed = credit.epoch_open(actor=ada, space=atlas, title="Spring")
    linus = User.objects.get(username="linus")
    credit.points_give(actor=linus, epoch=closed, receiver=ada, points=60, note="Maps")
    closed = credit.epoch_close(actor=ada, epoch=closed)
    credit.distribution_create(
        actor=ada,
        space=atlas,
        method="peer",
        epoch=closed,
        amount=600,
        currency="EUR",
        key="walk-5",
    )
    credit.epoch_open(actor=ada, space=atlas, title="Summer")

    # Counts beyond what was made are counted by the selectors as a million would be.
    from peerwork.activity import selectors as activity
    from peerwork.spaces import selectors as space_selectors

    real_notifications = activity.unread_notification_count
    real_invitations = space_selectors.pending_invitation_count
    for count in COUNTS:
        person = User.objects.get(username=_counted(count))
        made = min(count, MADE_AT_MOST)
        assert (real_notifications(person), real_invitations(person)) == (made, made)

    def scaled(real: Any) -> Any:
        def count(user: Any) -> int:
            found = real(user)
            wanted = (
                int(user.username.removeprefix("count-"))
                if user.username.startswith("count-")
                else found
            )
            return wanted if found == min(wanted, MADE_AT_MOST) else found  # until read

        return count

    monkeypatch.setattr(activity, "unread_notification_count", scaled(real_notifications))
    monkeypatch.setattr(space_selectors, "pending_invitation_count", scaled(real_invitations))


def _visit(client: Client, visit: Visit, anonymous: bool = False) -> tuple[int, str | None]:
    """The status, and what is wrong with the answer beyond its status, if anything."""
    response = client.get(visit.path)
    status = response.status_code
    if response.streaming:
        # Not closed: closing sends request_finished, which would close the test's connection.
        return status, None
    if status >= 500:
        return status, f"server error: {response.content[:300]!r}"
    content_type = response.get("Content-Type", "")
    if visit.path.endswith(NOT_PAGES) or not content_type.startswith("text/html"):
        return status, None
    text = response.content.decode()
    leftover = PLACEHOLDER.findall(text)
    if leftover:
        return status, f"untranslated placeholders {sorted(set(leftover))}"
    if response.get("Content-Security-Policy") != CSP:
        return status, f"Content-Security-Policy is {response.get('Content-Security-Policy')!r}"
    inline = INLINE_CODE.findall(text)
    if inline:
        return status, f"inline code the Content-Security-Policy blocks: {sorted(set(inline))}"
    slips = copy_slips(text)
    if slips:
        return status, f"copy slips (a plural after 1, a doubled period): {slips}"
    if anonymous and status == 200 and 'method="post"' not in text:
        # A page with nothing to send carries no form token: reading sets no cookie, and the
        # answer may be kept by any cache (decision 0030).
        if response.cookies:
            return status, f"an anonymous read sets cookies {sorted(response.cookies)}"
        if not response.get("Cache-Control", "").startswith("public"):
            return status, f"an anonymous read is {response.get('Cache-Control')!r}, not public"
    return status, None


PEOPLE = [None, *DEMO_PEOPLE, *(_counted(count) for count in COUNTS)]


@pytest.mark.parametrize("person", PEOPLE, ids=lambda p: p or "anonymous")
def test_every_page_renders_in_every_language(demo: None, person: str | None) -> None:
    visits = site_map()
    assert len(visits) > 100, "the site map lost its demo objects"
    statuses: dict[str, dict[str, int]] = {}
    wrong = []
    for language in LANGUAGES:
        client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
        if person is not None:
            assert client.login(username=person, password=DEMO_PASSWORD)
        if person is not None and person.startswith("count-") and person != _counted(0):
            home = client.get("/").content.decode()
            badge = home[home.index('data-testid="nav-notifications"') :].split("</li>")[0]
            assert 'class="count"' in badge, f"{person} sees no count in {language}"
        for visit in visits:
            status, problem = _visit(client, visit, anonymous=person is None)
            statuses.setdefault(visit.path, {})[language] = status
            if problem:
                wrong.append(f"{language} {visit.path}: {problem}")
    for path, by_language in statuses.items():
        if len(set(by_language.values())) > 1:
            wrong.append(f"{path}: the answer depends on the language: {by_language}")
    assert wrong == []
    tally = Counter(status for by_language in statuses.values() for status in by_language.values())
    print(f"{person or 'anonymous'}: {len(visits)} pages x {len(LANGUAGES)} languages, {tally}")
    seen = sum(1 for by_language in statuses.values() if 200 in by_language.values())
    assert seen > len(visits) // 3, f"only {seen} of {len(visits)} pages answered 200"


def lazy_header_counts(request: Any) -> dict[str, Any]:
    """The header counts as they were before the fix: lazy objects."""
    from django.utils.functional import SimpleLazyObject

    counts = context_processors.header_counts(request)
    return {name: SimpleLazyObject(lambda value=value: value) for name, value in counts.items()}


def test_the_check_notices_a_page_that_fails(demo: None, settings: Any) -> None:
    """The check is worth its runtime only if it sees the old fault and a raw placeholder."""
    client = Client(HTTP_ACCEPT_LANGUAGE="es", raise_request_exception=False)
    assert client.login(username="count-2", password=DEMO_PASSWORD)
    home = Visit("/", "/")
    assert _visit(client, home) == (200, None)

    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    processors[processors.index("peerwork.core.context_processors.header_counts")] = (
        f"{__name__}.lazy_header_counts"
    )
    settings.TEMPLATES = templates
    status, problem = _visit(client, home)
    assert status == 500 and problem is not None and problem.startswith("server error")

    assert PLACEHOLDER.findall("<p>Tienes %(count)s notificaciones</p>") == ["%(count)s"]
    blocked = '<script>x()</script><style>p{}</style><rect style="fill:red"><a onclick="x()">'
    assert len(INLINE_CODE.findall(blocked)) == 4
    allowed = '<script src="/s.js" defer></script><rect fill="red"><p>a style="x" &lt;b onclick=>'
    assert INLINE_CODE.findall(allowed) == []


@pytest.mark.parametrize(
    ("page", "slips"),
    [
        ("<p>1 lines added, 1 line removed.</p>", ["1 lines"]),
        ("<p><span>1</span> votes</p>", ["1 votes"]),
        ("<p>Hoy has enviado 1 propuestas.</p>", ["1 propuestas"]),
        ("<p>Passed: the changes apply at Dec. 7, 2026, 4:30 p.m..</p>", ["p.m.."]),
        ("<p>a las 9:00 a. m..</p>", ["a. m.."]),
        ("<p>1 line added, 11 lines, 2.1 points, 1,5 días, 21 votes.</p>", []),
        ("<p>at 4:30 p.m. (UTC).</p><textarea>1 lines</textarea><code>1 days</code>", []),
    ],
)
def test_the_copy_check_sees_plural_and_punctuation_slips(page: str, slips: list[str]) -> None:
    assert copy_slips(page) == slips


def test_every_route_of_the_site_map_is_visited(demo: None) -> None:
    """A route whose placeholder the demo cannot fill would silently drop out of the check."""
    visited = {visit.route for visit in site_map()}
    routes = {route for method, route, _ in ROUTES if method == "GET" and route[:5] != "/api/"}
    assert routes - visited == set()
    print(f"{len(site_map())} pages x {len(PEOPLE)} people x {len(LANGUAGES)} languages")
