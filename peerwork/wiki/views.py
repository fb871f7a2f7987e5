"""Pages of the knowledge commons: thin faces on the wiki actions and selectors.

Every write goes through `peerwork.wiki.actions`, every read through `peerwork.wiki.selectors`
(as the REST API in `api.py` does), so the pages and the API always agree.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerwork.accounts.forms import add_action_error
from peerwork.accounts.selectors import user_by_username, user_get_visible
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.activity.models import Event
from peerwork.activity.rows import EventRow
from peerwork.core import confirm, pagecache, policy, screening
from peerwork.core.errors import (
    ConfirmRequired,
    Conflict,
    EditConflict,
    Invalid,
    NotFound,
    RateLimited,
    RefusedByScreen,
)
from peerwork.core.pagecache import cache_public
from peerwork.core.pagination import key_from_query, keyset_page
from peerwork.discussions import selectors as discussion_selectors
from peerwork.discussions import views as discussion_views
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import block_in_force, space_get_visible

from . import actions, selectors
from .forms import (
    ChangeTagsForm,
    EditForm,
    MoveForm,
    PreviewForm,
    ProtectForm,
    ReasonForm,
    RecentChangesForm,
    TagCreateForm,
    TagManageForm,
    WatchForm,
)
from .models import Page, Revision
from .policy import effective_protection
from .rendering import (
    page_content_model,
    page_url,
    render_text,
    revision_html,
    with_section_edit_links,
)
from .sections import Section, parse_section, section_at, sections, sections_of_stored
from .textops import diff_lines, diff_stats
from .titles import CATEGORY_NAMESPACE, NAMESPACES, USER_TALK_NAMESPACE, title_text

PAGE_SIZE = 50
#: Events about these are rows of the wiki's change lists, linked to the page they concern.
PAGE_TARGETS = frozenset({"wiki.page"})
EXPECTED = (Invalid, Conflict, RateLimited)
MAIN_PAGE = "Main page"
#: Change lists mark an edit's risk score from this percent (the floor of a holding threshold).
RISK_SHOWN_FROM = 50
#: A page's history lists at most this many of its held and rejected edits.
HELD_SHOWN = 20


# --- small helpers --------------------------------------------------------------------------


def _space(request: HttpRequest, slug: str) -> Space:
    space = space_get_visible(user=request.user, slug=slug)
    pagecache.note_public(request, policy.can(AnonymousUser(), "space.view", space))
    return space


def _parse(space: Space, title: str) -> tuple[int, str]:
    """A title from the address; one no page could have is simply not found."""
    try:
        return actions.parse_title(space, title)
    except Invalid:
        raise Http404() from None


def _find(request: HttpRequest, space: Space, title: str) -> Page | None:
    _parse(space, title)
    return selectors.page_find(user=request.user, space=space, title=title)


def _page(request: HttpRequest, space: Space, title: str) -> Page:
    page = _find(request, space, title)
    if page is None:
        raise Http404()
    return page


def _url(page: Page) -> str:
    return page_url(page.space.slug, page.namespace, page.title)


def _full(page: Page) -> str:
    return title_text(page.namespace, page.title)


def _address_title(page: Page) -> str:
    """The title as the URL patterns take it (what `page_url` puts after /wiki/)."""
    return _full(page).replace(" ", "_")


def _author(revision: Revision) -> str:
    if revision.author_id and revision.author is not None:
        return revision.author.username
    return revision.author_name


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _saved_message(request: HttpRequest, status: str) -> None:
    if status == "merged":
        messages.success(request, _("Saved; your changes were merged with an edit made meanwhile."))
    elif status == "unchanged":
        messages.info(request, _("No change: the text is the same as the current one."))
    else:
        messages.success(request, _("Saved."))


def _page_context(request: HttpRequest, page: Page, tab: str) -> dict[str, Any]:
    """What the tabs of a page show: which of the page's actions the viewer may do."""
    user = request.user
    talk_namespace = page.namespace + 1 if page.namespace % 2 == 0 else page.namespace - 1
    return {
        "space": page.space,
        "page": page,
        "full_title": _full(page),
        "address_title": _address_title(page),
        "page_url": _url(page),
        "talk_url": page_url(page.space.slug, talk_namespace, page.title),
        "talk_label": _("Talk page") if page.namespace % 2 == 0 else _("Page"),
        "tab": tab,
        "can_edit": policy.can(user, "page.edit", page),
        "can_move": policy.can(user, "page.move", page),
        "can_delete": policy.can(user, "page.delete", page),
        "can_protect": policy.can(user, "page.protect", page),
        "can_watch": policy.can(user, "page.watch", page),
        "watching": watching.is_watching(user, page),
        "protection": effective_protection(page, "edit"),
        "comment_count": discussion_selectors.comment_count(user=user, target=page),
    }


# --- reading a page -------------------------------------------------------------------------


@require_GET
@cache_public
def main(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    return redirect(page_url(space.slug, 0, MAIN_PAGE))


def _redirect_target(request: HttpRequest, page: Page) -> tuple[str, Page | None] | None:
    """(title text, page or None) a redirect page points to, or None if it is not one."""
    found = selectors.redirect_target(user=request.user, page=page)
    if found is None:
        return None
    namespace, title, target = found
    return title_text(namespace, title), target


def _own_talk_page(request: HttpRequest, page: Page) -> bool:
    user = request.user
    return (
        page.namespace == USER_TALK_NAMESPACE
        and policy.signed_in(user)
        and page.title.casefold() == user.username.replace("_", " ").casefold()
    )


@require_GET
@cache_public
def page_view(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    space = _space(request, slug)
    namespace, normalized = _parse(space, title)
    page = selectors.page_find(user=request.user, space=space, title=title, rendered=True)
    if page is None or page.current_revision is None:
        # The main page of a wiki with no page at all is where a space's wiki begins: it says
        # how to start (200), where any other missing page is a 404 with a link to create it.
        empty_wiki = (namespace, normalized) == (0, MAIN_PAGE) and not selectors.wiki_has_pages(
            user=request.user, space=space
        )
        context = {
            "space": space,
            "full_title": title_text(namespace, normalized),
            "address_title": title_text(namespace, normalized).replace(" ", "_"),
            "can_create": policy.can(request.user, "page.create", space),
            "empty_wiki": empty_wiki,
        }
        return render(request, "wiki/missing.html", context, status=200 if empty_wiki else 404)

    oldid = _int(request.GET.get("oldid"))
    redirected_from = None
    target = _redirect_target(request, page)
    if oldid is None and request.GET.get("redirect") != "no" and target is not None:
        followed = target[1]
        if followed is not None and followed.current_revision is not None:
            # Like MediaWiki, one redirect is followed; a double redirect shows the second.
            redirected_from, page = page, followed
            target = _redirect_target(request, page)

    revision = page.current_revision
    assert revision is not None
    if oldid is not None and oldid != revision.pk:
        revision = selectors.revision_get_visible(user=request.user, space=space, revision_id=oldid)
        if revision.page_id != page.pk:
            raise Http404()
    revision.page = page
    if _own_talk_page(request, page) and oldid is None:
        actions.talk_messages_seen(user=request.user, space=space)
    context = _page_context(request, page, "read")
    is_old = revision.pk != page.current_revision_id
    html = revision_html(revision)
    if context["can_edit"] and not is_old:
        html = _with_edit_links(page, revision, html)
    context.update(
        revision=revision,
        is_old=is_old,
        html=html,
        redirected_from=redirected_from,
        redirect_target=target,
        held_waiting=selectors.held_waiting_count(user=request.user, page=page),
        redirect_target_url=page_url(space.slug, 0, target[0]) if target else "",
        categories=page.categorizations.order_by("category").values_list("category", flat=True),
        members=(
            _linked(
                space,
                selectors.category_members(user=request.user, space=space, category=page.title)[
                    :2000
                ],
            )
            if page.namespace == CATEGORY_NAMESPACE
            else None
        ),
    )
    return render(request, "wiki/page.html", context)


# --- editing --------------------------------------------------------------------------------


_HEADING_RE = re.compile(r"<h[1-6] id=")


def _with_edit_links(page: Page, revision: Revision, html: str) -> str:
    """An [edit] link in each section's heading, for people who may edit the page."""
    if not _HEADING_RE.search(html):
        return html
    edit_url = reverse("wiki:edit", args=[page.space.slug, _address_title(page)])
    label = _("edit")

    def link(section: Section) -> str:
        title = escape(_("Edit section: %(title)s") % {"title": section.title})
        return (
            f' <span class="section-edit muted" data-section="{section.number}">[<a '
            f'href="{escape(edit_url)}?section={section.number}" aria-label="{title}" '
            f'title="{title}">{escape(label)}</a>]</span>'
        )

    content = revision.content
    found = sections_of_stored(content.sha1, content.text, revision.content_model)
    return with_section_edit_links(html, found, link)


def _edit_page(
    request: HttpRequest,
    space: Space,
    title: str,
    page: Page | None,
    form: EditForm,
    *,
    status: int = 200,
    preview_html: str | None = None,
    conflict: EditConflict | None = None,
    section: Section | None = None,
    typed_section: str | None = None,
) -> HttpResponse:
    namespace, normalized = _parse(space, title)
    context: dict[str, Any] = {
        "space": space,
        "page": page,
        "full_title": title_text(namespace, normalized),
        "address_title": title_text(namespace, normalized).replace(" ", "_"),
        "page_url": page_url(space.slug, namespace, normalized),
        "form": form,
        "preview_html": preview_html,
        "tab": "edit",
        "section": section,
        "editing_section": section is not None or form["section"].value() not in (None, ""),
        # The markup the text is kept in: what the editor's help line and toolbar speak.
        "content_model": (
            page.current_revision.content_model
            if page is not None and page.current_revision is not None
            else "markdown"
        ),
    }
    if page is not None:
        context.update(_page_context(request, page, "edit"))
    yours = form["yours"].value()
    if conflict is not None:
        yours, current = conflict.extra["yours"], conflict.extra["current"]
        context.update(
            conflict=conflict,
            current_revision=selectors.revision_get_visible(
                user=request.user, space=space, revision_id=conflict.extra["current_revision"]
            ),
            hunks=diff_lines(current, yours),
            diff_old_label=_("The current text"),
            diff_new_label=_("Your text"),
            view="side",
        )
    # The text a person tried to save before a conflict stays on the page, under the form,
    # through previews, errors and further conflicts, until they save.
    context.update(yours=yours or None, typed_section=typed_section or None)
    return render(request, "wiki/edit.html", context, status=status)


def _section_of(page: Page | None, value: str | None) -> Section | None:
    """The section `?section=N` names in the page's current text; one it lacks is not found."""
    if value is None or value == "":
        return None
    if page is None or page.current_revision is None:
        raise Http404()
    revision = page.current_revision
    try:
        return section_at(revision.content.text, revision.content_model, parse_section(value))
    except Invalid:
        raise Http404() from None


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    space = _space(request, slug)
    page = _find(request, space, title)
    block = block_in_force(request.user, space)
    if block is not None:
        # Tell the blocked person why and until when, rather than a bare refusal.
        context = {"space": space, "space_block": block, "full_title": title}
        return render(request, "spaces/blocked.html", context, status=403)
    if page is not None:
        policy.require(request.user, "page.edit", page)
    else:
        policy.require(request.user, "page.create", space)
    if request.method == "GET":
        revision = page.current_revision if page is not None else None
        section = _section_of(page, request.GET.get("section"))
        text = revision.content.text if revision else ""
        summary = ""
        if section is not None:
            text = text[section.start : section.end]
            # As MediaWiki does, the summary starts by naming the section.
            summary = f"/* {section.title} */ " if section.title else ""
        form = EditForm(
            initial={
                "text": text,
                "base_revision": revision.pk if revision else None,
                "section": section.number if section is not None else None,
                "summary": summary,
            }
        )
        return _edit_page(request, space, title, page, form, section=section)

    form = EditForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, space, title, page, form, status=400)
    data = form.cleaned_data
    if "preview" in request.POST:
        namespace, normalized = _parse(space, title)
        preview_page = page or Page(space=space, namespace=namespace, title=normalized)
        return _edit_page(
            request,
            space,
            title,
            page,
            form,
            preview_html=render_text(
                preview_page,
                actions.clean_text(data["text"]),
                page_content_model(preview_page),
            ),
        )
    try:
        result = actions.page_save(
            user=request.user,
            space=space,
            title=title,
            text=data["text"],
            base_revision_id=data["base_revision"],
            summary=data["summary"],
            minor=data["minor"],
            section=data["section"],
            undid=data["undid"],
            restored=data["restored"],
            confirmed=data["confirm"],
        )
    except EditConflict as conflict:
        # As MediaWiki does: the page as it is now goes in the box to save (never a text with
        # conflict markers), the differences and the person's own text below it. The conflict
        # is resolved in the whole page; a section's text is also shown as it was typed.
        resolve = EditForm(
            initial={
                "text": conflict.extra["current"],
                "base_revision": conflict.extra["current_revision"],
                "summary": data["summary"],
                "minor": data["minor"],
                "yours": conflict.extra["yours"],
                "undid": data["undid"],
                "restored": data["restored"],
            }
        )
        return _edit_page(
            request,
            space,
            title,
            page,
            resolve,
            status=409,
            conflict=conflict,
            typed_section=data["text"] if data["section"] is not None else None,
        )
    except (*EXPECTED, RefusedByScreen, ConfirmRequired) as error:
        # A section that is gone is the form's error: its field is hidden. A screen's refusal
        # or warning names its reasons above the text, which stays as the person typed it.
        status = add_action_error(form, error, fields={"section": ""})
        return _edit_page(request, space, title, page, form, status=status)
    if result.status == "held":
        assert result.held is not None
        messages.warning(
            request,
            _(
                "Your edit was saved for review and waits for a patroller; readers see the "
                "page as it was until then. Why: %(reasons)s"
            )
            % {"reasons": "; ".join(result.held.reasons)},
        )
        return redirect(_url(result.page))
    _saved_message(request, result.status)
    url = _url(result.page)
    saved_section = data["section"]
    if saved_section and result.page.current_revision is not None:
        # Back to the section that was edited, when its heading is still where it was.
        saved = result.page.current_revision
        found = sections(saved.content.text, saved.content_model)
        if saved_section < len(found) and found[saved_section].anchor:
            url += "#" + found[saved_section].anchor
    return redirect(url)


@require_POST
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    form = PreviewForm(request.POST)
    if not form.is_valid():
        return render(request, "wiki/_preview.html", {"error": _("Nothing to preview.")})
    try:
        namespace, title = actions.parse_title(space, form.cleaned_data["title"])
        text = actions.clean_text(form.cleaned_data["text"])
    except Invalid as error:
        return render(request, "wiki/_preview.html", {"error": error.detail})
    page = selectors.page_find_existing(
        user=request.user, space=space, title=title_text(namespace, title)
    ) or Page(space=space, namespace=namespace, title=title)
    html = render_text(page, text, page_content_model(page))  # in the page's own markup
    return render(request, "wiki/_preview.html", {"html": html})


# --- history and diffs ----------------------------------------------------------------------


def _keyset(request: HttpRequest, rows: QuerySet[Any]) -> tuple[list[Any], int | None, bool]:
    """Newest first, PAGE_SIZE at a time, keyset on id with ?before=<id>; no COUNT(*)."""
    page = keyset_page(rows, size=PAGE_SIZE, key=key_from_query(request.GET.get("before")))
    return page.items, page.next_key, page.is_later


@require_GET
@cache_public
def history(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    space = _space(request, slug)
    page = _page(request, space, title)
    revisions, next_before, is_later = _keyset(request, selectors.page_history(page))
    for revision in revisions:
        revision.page = page
    sample = revisions[0] if revisions else None
    context = _page_context(request, page, "history")
    context.update(
        revisions=revisions,
        next_before=next_before,
        is_later_page=is_later,
        current_id=page.current_revision_id,
        can_patrol=sample is not None and policy.can(request.user, "revision.patrol", sample),
        can_rollback=policy.can(request.user, "page.rollback", page),
        # Patrollers see the page's edits still held, and those rejected, above its revisions.
        held_edits=list(selectors.held_of_page(page)[:HELD_SHOWN])
        if policy.can(request.user, "held.decide", space)
        else [],
        # Whose edits the rollback button reverts, as the person sees them: if someone else
        # edits before they press it, nothing is rolled back.
        rollback_editor=_author_name(sample)
        if sample and sample.pk == page.current_revision_id
        else "",
    )
    return render(request, "wiki/history.html", context)


def _author_name(revision: Revision) -> str:
    return revision.author.username if revision.author else revision.author_name


def _revision_facts(revision: Revision | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    return {"revision": revision, "author": _author(revision)}


@require_GET
@cache_public
def diff(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    to_id = _int(request.GET.get("to"))
    from_id = _int(request.GET.get("from"))
    if to_id is None:
        detail = _("Choose the revisions to compare: ?from=<revision>&to=<revision>.")
        return render(request, "error.html", {"detail": detail}, status=400)
    new = selectors.revision_get_visible(user=request.user, space=space, revision_id=to_id)
    if from_id is not None:
        old: Revision | None = selectors.revision_get_visible(
            user=request.user, space=space, revision_id=from_id
        )
    elif new.parent_id is not None:
        old = selectors.revision_get_visible(
            user=request.user, space=space, revision_id=new.parent_id
        )
    else:
        old = None
    if old is not None and old.pk > new.pk:
        old, new = new, old
    page = new.page
    old_text = old.content.text if old is not None else ""
    view = "inline" if request.GET.get("view") == "inline" else "side"
    newer = selectors.page_history(page).filter(id__gt=new.pk).last()
    added, removed = diff_stats(old_text, new.content.text)
    context = _page_context(request, page, "history")
    context.update(
        old=_revision_facts(old),
        new=_revision_facts(new),
        hunks=diff_lines(old_text, new.content.text),
        added=added,
        removed=removed,
        view=view,
        older_query=urlencode({"from": old.parent_id, "to": old.pk, "view": view})
        if old is not None and old.parent_id
        else None,
        newer_query=urlencode({"from": new.pk, "to": newer.pk, "view": view}) if newer else None,
        this_query={"from": old.pk if old else "", "to": new.pk},
        diff_old_label=_("Old"),
        diff_new_label=_("New"),
    )
    return render(request, "wiki/diff.html", context)


# --- writes on revisions and pages ----------------------------------------------------------


def _revision_page(request: HttpRequest, slug: str, revision_id: int) -> tuple[Revision, Page]:
    revision = selectors.revision_get_visible(
        user=request.user, space=_space(request, slug), revision_id=revision_id
    )
    return revision, revision.page


def _history_url(page: Page) -> str:
    return reverse("wiki:history", args=[page.space.slug, _address_title(page)])


def _revert_page(request: HttpRequest, slug: str, revision_id: int, kind: str) -> HttpResponse:
    """Undo or restore, MediaWiki's way: the resulting text is proposed, never saved at once.

    The page shows the differences from the current text and an edit form holding the result
    and a summary; saving it is an edit (`page_save`) that names the revision it undoes or
    restores. A GET and a POST without the form's text both only propose; nothing changes.
    """
    revision, page = _revision_page(request, slug, revision_id)
    policy.require(request.user, "page.edit", page)
    revert = actions.revision_undo if kind == "undid" else actions.revision_restore
    try:
        proposal = revert(user=request.user, page=page, revision_id=revision_id, dry_run=True)
    except EditConflict as conflict:
        context = _page_context(request, page, "history")
        context["detail"] = conflict.detail
        return render(request, "wiki/undo_conflict.html", context, status=409)
    except EXPECTED as error:
        messages.error(request, error.detail)
        return redirect(_history_url(page))
    current = proposal.page.current_revision
    assert current is not None
    if proposal.status == "unchanged":
        messages.info(request, _("No change: the text is the same as the current one."))
        return redirect(_history_url(page))
    form = EditForm(
        initial={
            "text": proposal.text,
            "base_revision": current.pk,
            "summary": proposal.summary,
            kind: revision.pk,
        }
    )
    context = _page_context(request, page, "history")
    revision.page = page
    context.update(
        form=form,
        kind=kind,
        reverted=revision,
        reverted_facts=_revision_facts(revision),
        hunks=diff_lines(current.content.text, proposal.text),
        diff_old_label=_("The current text"),
        diff_new_label=_("After saving"),
        view="side",
    )
    return render(request, "wiki/revert_confirm.html", context)


@require_http_methods(["GET", "POST"])
def undo(request: HttpRequest, slug: str, revision_id: int) -> HttpResponse:
    return _revert_page(request, slug, revision_id, "undid")


@require_http_methods(["GET", "POST"])
def restore(request: HttpRequest, slug: str, revision_id: int) -> HttpResponse:
    return _revert_page(request, slug, revision_id, "restored")


@require_POST
def review(request: HttpRequest, slug: str, revision_id: int) -> HttpResponse:
    revision, page = _revision_page(request, slug, revision_id)
    try:
        actions.revision_review(user=request.user, revision=revision)
    except EXPECTED as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect(_history_url(page))


@require_POST
def rollback(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    page = _page(request, _space(request, slug), title)
    policy.require(request.user, "page.rollback", page)
    if not confirm.is_confirmed(request):
        last = page.current_revision
        editor = (last.author.name if last.author else last.author_name) if last else ""
        return confirm.ask(
            request,
            confirm.Question(
                title=_("Roll back %(title)s?") % {"title": _full(page)},
                consequence=_(
                    "Every edit %(name)s made in a row at the top of the history is reverted "
                    "at once, to the version before them, without asking for a summary."
                )
                % {"name": editor},
                irreversible=_(
                    "The edits stay in the history, but a rollback is marked as one on the "
                    "public log; to keep part of them, undo single edits instead."
                ),
                button=_("Roll back"),
                cancel_url=_history_url(page),
            ),
        )
    try:
        actions.page_rollback(
            user=request.user, page=page, editor=request.POST.get("editor") or None
        )
    except EXPECTED as error:
        messages.error(request, error.detail)
        return redirect(_history_url(page))
    messages.success(request, _("Rolled back."))
    return redirect(_url(page))


@require_POST
def watch(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    page = _page(request, _space(request, slug), title)
    policy.require(request.user, "page.watch", page)
    form = WatchForm(request.POST)
    wanted = form.cleaned_data["watch"] if form.is_valid() else True
    watch_set(user=request.user, target=page, watching=wanted)
    if wanted:
        messages.success(request, _("You are watching this page."))
    else:
        messages.success(request, _("You no longer watch this page."))
    return redirect(_url(page))


def _form_page(
    request: HttpRequest, page: Page, template: str, form: Any, status: int = 200
) -> HttpResponse:
    context = _page_context(request, page, template.rsplit("/", 1)[-1].removesuffix(".html"))
    context["form"] = form
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    page = _page(request, _space(request, slug), title)
    policy.require(request.user, "page.move", page)
    if request.method == "GET":
        return _form_page(
            request, page, "wiki/move.html", MoveForm(initial={"new_title": _full(page)})
        )
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _form_page(request, page, "wiki/move.html", form, 400)
    try:
        moved = actions.page_move(user=request.user, page=page, **form.cleaned_data).page
    except EXPECTED as error:
        status = add_action_error(form, error, fields={"title": "new_title"})
        return _form_page(request, page, "wiki/move.html", form, status)
    messages.success(request, _("The page is moved to %(title)s.") % {"title": _full(moved)})
    return redirect(_url(moved))


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    """Delete a page, or restore it when it is deleted: the same right guards both."""
    page = _page(request, _space(request, slug), title)
    policy.require(request.user, "page.delete", page)
    if request.method == "GET":
        return _form_page(request, page, "wiki/delete.html", ReasonForm())
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_page(request, page, "wiki/delete.html", form, 400)
    was_deleted = page.is_deleted
    write = actions.page_restore if was_deleted else actions.page_delete
    try:
        write(user=request.user, page=page, reason=form.cleaned_data["reason"])
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _form_page(request, page, "wiki/delete.html", form, status)
    if was_deleted:
        messages.success(request, _("The page is restored."))
    else:
        messages.success(request, _("The page is deleted."))
    return redirect(_url(page))


@require_http_methods(["GET", "POST"])
def protect(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    page = _page(request, _space(request, slug), title)
    policy.require(request.user, "page.protect", page)
    if request.method == "GET":
        expires = page.protection_expires_at
        move_expires = page.move_protection_expires_at
        initial = {
            "edit": page.edit_protection,
            "move": page.move_protection,
            "expires_at": timezone.localtime(expires) if expires else None,
            "move_expires_at": timezone.localtime(move_expires) if move_expires else None,
            "cascade": page.is_cascading,
        }
        return _form_page(request, page, "wiki/protect.html", ProtectForm(initial=initial))
    form = ProtectForm(request.POST)
    if not form.is_valid():
        return _form_page(request, page, "wiki/protect.html", form, 400)
    try:
        actions.page_protect(user=request.user, page=page, **form.cleaned_data)
    except EXPECTED as error:
        status = add_action_error(form, error)
        return _form_page(request, page, "wiki/protect.html", form, status)
    messages.success(request, _("The protection is saved."))
    return redirect(_url(page))


# --- lists of changes -----------------------------------------------------------------------


class Change(EventRow):
    """One row of recent changes or a watchlist, from a page event: the generic row, with the
    page's title, history and diff."""

    def __init__(self, event: Event) -> None:
        super().__init__(event)
        data = event.data or {}
        if "title" in data and "namespace" in data:
            self.title = title_text(data["namespace"], data["title"])
        elif event.verb == "page:moved":
            self.title = str(data.get("to", event.target_repr))
        slug = event.space.slug if event.space else ""
        if event.target_type in PAGE_TARGETS:
            self.url = page_url(slug, 0, self.title) if slug else ""
            self.history_url = (
                reverse("wiki:history", args=[slug, self.title.replace(" ", "_")]) if slug else ""
            )
        # Else an idea or a challenge (in notifications): its own page (the generic row's
        # address), never a wiki page that happens to share its title.
        self.revision = data.get("revision")
        self.parent = data.get("parent")
        self.minor = bool(data.get("minor"))
        self.size_delta = data.get("size_delta")
        self.moved_from = data.get("from") if event.verb == "page:moved" else None
        self.unreviewed = False
        # The edit-risk screen's score and top feature, when it found the edit risky enough to
        # look at (the floor a space's holding threshold cannot go under).
        risk = next((f for f in data.get("screening") or [] if f.get("screen") == "risk"), None)
        score = risk.get("score") if risk else None
        self.risk_percent = round(score * 100) if isinstance(score, int | float) else None
        if self.risk_percent is not None and self.risk_percent < RISK_SHOWN_FROM:
            self.risk_percent = None
        top = ((risk or {}).get("data") or {}).get("top") or [{}]
        self.risk_why = screening.in_words("risk", top[0]) if self.risk_percent is not None else ""
        if slug and self.revision and self.parent and event.verb == "page:edited":
            query = urlencode({"from": self.parent, "to": self.revision})
            self.diff_url = reverse("wiki:diff", args=[slug]) + "?" + query


def _changes(events: list[Event]) -> list[Change]:
    rows = [Change(event) for event in events]
    ids = [
        row.revision for row in rows if row.revision and row.verb in ("page:created", "page:edited")
    ]
    if ids:
        # Which of these revisions still wait for review (one query for the whole page).
        pending = selectors.unreviewed_among(ids)
        for row in rows:
            row.unreviewed = row.revision in pending
    return rows


def _query(params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    for key in ("before", "after"):
        query.pop(key, None)
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _change_list(
    request: HttpRequest, events: QuerySet[Event], template: str, context: dict[str, Any]
) -> HttpResponse:
    """Keyset pages of page events; htmx asks for newer rows (?after=) or the next page."""
    events = events.select_related("actor", "space")
    after = _int(request.GET.get("after"))
    is_htmx = bool(getattr(request, "htmx", False))
    if after is not None:
        newer = list(events.filter(id__gt=after)[:PAGE_SIZE])
        newest = newer[0].pk if newer else after
        context = {
            **context,
            "changes": _changes(newer),
            "newest": newest,
            "poll_query": _query(request.GET, after=newest),
            "poll_swap": bool(newer),
        }
        return render(request, "wiki/_changes.html#new", context)
    rows, next_before, is_later = _keyset(request, events)
    context = {
        **context,
        "changes": _changes(rows),
        "next_before": next_before,
        "next_query": _query(request.GET, before=next_before) if next_before else "",
        "is_later_page": is_later,
        "poll_query": _query(request.GET, after=rows[0].pk if rows else 0),
    }
    if is_htmx and is_later:
        template = "wiki/_changes.html#page"
    return render(request, template, context)


def _day_start(day: date | None) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time.min))


def _recent(request: HttpRequest, space: Space | None) -> HttpResponse:
    form = RecentChangesForm(request.GET)
    events = Event.objects.none()
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            person = None
            if data["person"]:
                person = user_by_username(data["person"])
                if person is None:
                    raise Invalid(
                        _("There is no person called '%(username)s'.")
                        % {"username": data["person"]},
                        field="person",
                    )
            # The last day counts whole; the calendar's last day has no end to compare against.
            last = data["until"]
            until = _day_start(last + timedelta(days=1)) if last and last < date.max else None
            events = selectors.recent_changes(
                user=request.user,
                space=space,
                namespace=data["namespace"],
                person=person,
                minor={"hide": False, "only": True}.get(data["minor"]),
                bot={"": False, "show": None, "only": True}.get(data["bots"] or "", False),
                unreviewed=data["unreviewed"],
                since=_day_start(data["since"]),
                until=until,
            )
        except Invalid as error:
            status = add_action_error(form, error)
    else:
        status = 400
    response = _change_list(
        request,
        events,
        "wiki/recent_changes.html",
        {
            "space": space,
            "form": form,
            "poll_url": request.path,
            "can_decide_held": space is not None and policy.can(request.user, "held.decide", space),
            # A space's list refreshes when its live stream (interop/live.py) says something
            # happened; the list of every space still polls.
            "live_url": reverse("interop:live", args=[space.slug]) if space else "",
        },
    )
    if status != 200:
        response.status_code = status
    return response


@require_GET
@cache_public
def recent_changes(request: HttpRequest, slug: str) -> HttpResponse:
    return _recent(request, _space(request, slug))


@require_GET
def all_recent_changes(request: HttpRequest) -> HttpResponse:
    return _recent(request, None)


@require_GET
def watchlist(request: HttpRequest) -> HttpResponse:
    if not policy.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    return _change_list(
        request,
        selectors.watchlist(user=request.user),
        "wiki/watchlist.html",
        {"poll_url": request.path},
    )


@require_GET
def contributions(request: HttpRequest, username: str) -> HttpResponse:
    person = user_get_visible(viewer=request.user, username=username)
    revisions, next_before, is_later = _keyset(
        request, selectors.contributions(viewer=request.user, person=person)
    )
    rows = [
        (revision, page_url(revision.page.space.slug, revision.page.namespace, revision.page.title))
        for revision in revisions
    ]
    context = {
        "person": person,
        "rows": rows,
        "next_before": next_before,
        "next_query": _query(request.GET, before=next_before) if next_before else "",
        "is_later_page": is_later,
    }
    return render(request, "wiki/contributions.html", context)


# --- lists of pages -------------------------------------------------------------------------


def _linked(space: Space, pages: Any) -> list[tuple[str, str]]:
    return [(_full(p), page_url(space.slug, p.namespace, p.title)) for p in pages]


@require_GET
@cache_public
def all_pages(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    namespace = _int(request.GET.get("namespace"))
    pages = selectors.pages_in_space(user=request.user, space=space, namespace=namespace)
    after = request.GET.get("from", "")
    if after:
        pages = pages.filter(title__gte=after)
    found = list(pages[: PAGE_SIZE * 10 + 1])
    shown = found[: PAGE_SIZE * 10]
    context = {
        "space": space,
        "pages": [(p, t, u) for p, (t, u) in zip(shown, _linked(space, shown), strict=True)],
        "namespaces": [(number, name or _("(main)")) for number, name in NAMESPACES.items()],
        "namespace": namespace,
        "next_from": found[-1].title if len(found) > len(shown) else None,
    }
    return render(request, "wiki/all_pages.html", context)


@require_GET
@cache_public
def wanted(request: HttpRequest, slug: str) -> HttpResponse:
    space = _space(request, slug)
    rows = [
        (
            title_text(namespace, title),
            page_url(space.slug, namespace, title),
            count,
            title_text(namespace, title).replace(" ", "_"),
        )
        for namespace, title, count in selectors.wanted_pages(user=request.user, space=space)
    ]
    return render(request, "wiki/wanted.html", {"space": space, "rows": rows})


@require_GET
@cache_public
def links_here(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    space = _space(request, slug)
    namespace, normalized = _parse(space, title)
    pages = selectors.links_here(user=request.user, space=space, title=title)[:1000]
    context = {
        "space": space,
        "full_title": title_text(namespace, normalized),
        "target_url": page_url(space.slug, namespace, normalized),
        "pages": _linked(space, pages),
    }
    return render(request, "wiki/links_here.html", context)


@require_GET
@cache_public
def category(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    space = _space(request, slug)
    namespace, normalized = _parse(space, f"Category:{name}")
    if namespace != CATEGORY_NAMESPACE:
        raise NotFound()
    pages = selectors.category_members(user=request.user, space=space, category=normalized)[:5000]
    context = {
        "space": space,
        "name": normalized,
        "category_url": page_url(space.slug, CATEGORY_NAMESPACE, normalized),
        "pages": _linked(space, pages),
    }
    return render(request, "wiki/category.html", context)


# --- discussions ----------------------------------------------------------------------------
#
# A page's discussion tab shows the one thread (`discussions/_thread.html`) inside the page's
# tabs; its forms post to the one flow (`peerwork.discussions.views`), which also answers a
# post to this address and the htmx Reply and Edit forms asked of it.


def page_tabs_context(request: HttpRequest, page: Page, tab: str) -> dict[str, Any]:
    """What the page's tabs need, for pages of other apps shown among them (authorship)."""
    return _page_context(request, page, tab)


def discussion_frame_context(request: HttpRequest, page: Page) -> dict[str, Any]:
    """The page's tabs around the shared discussion pages (a comment's history)."""
    context = _page_context(request, page, "discussion")
    context["target_title"] = context["full_title"]
    return context


@require_http_methods(["GET", "POST"])
def discussion(request: HttpRequest, slug: str, title: str) -> HttpResponse:
    page = _page(request, _space(request, slug), title)
    if request.method == "POST":
        return discussion_views.comment_post(request, "wiki.page", str(page.pk))
    if getattr(request, "htmx", False) and ("reply" in request.GET or "edit" in request.GET):
        return discussion_views.comment_form(request, page)
    context = {
        **_page_context(request, page, "discussion"),
        **discussion_views.thread_context(request, page),
        "closed_text": _("This page is deleted; its discussion takes no new comments.")
        if page.is_deleted
        else _("Only members of this space may comment here."),
    }
    return render(request, "wiki/discussion.html", context)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


@require_http_methods(["GET", "POST"])
def tags(request: HttpRequest, slug: str) -> HttpResponse:
    """The space's change tags (MediaWiki's Special:Tags): stewards define, (de)activate and
    delete them; contributors put them on revisions and take them off."""
    space = _space(request, slug)
    create_form = TagCreateForm(prefix="create")
    tag_form = ChangeTagsForm(prefix="tag")
    if request.method == "POST":
        kind = request.POST.get("form")
        try:
            if kind == "create":
                create_form = TagCreateForm(request.POST, prefix="create")
                if create_form.is_valid():
                    data = create_form.cleaned_data
                    actions.tag_create(
                        user=request.user,
                        space=space,
                        name=data["name"],
                        description=data["description"],
                        reason=data["reason"],
                    )
                    messages.success(request, _("Tag created."))
                    return redirect(request.path)
            elif kind == "manage":
                manage = TagManageForm(request.POST)
                if manage.is_valid():
                    tag = selectors.tag_get(
                        user=request.user, space=space, name=manage.cleaned_data["name"]
                    )
                    operation = manage.cleaned_data["operation"]
                    if operation == "delete":
                        actions.tag_delete(user=request.user, tag=tag)
                        messages.success(request, _("Tag deleted."))
                    else:
                        actions.tag_set_active(
                            user=request.user, tag=tag, active=operation == "activate"
                        )
                        messages.success(request, _("Tag updated."))
                    return redirect(request.path)
            elif kind == "tag":
                tag_form = ChangeTagsForm(request.POST, prefix="tag")
                if tag_form.is_valid():
                    data = tag_form.cleaned_data
                    revision = selectors.revision_get_visible(
                        user=request.user, space=space, revision_id=data["revision"]
                    )
                    actions.change_tags_update(
                        user=request.user,
                        space=space,
                        revision=revision,
                        add=_names(data["add"]),
                        remove=_names(data["remove"]),
                        reason=data["reason"],
                    )
                    messages.success(request, _("The revision's tags are saved."))
                    return redirect(request.path)
        except (*EXPECTED, NotFound) as error:
            messages.error(request, error.detail)
    context = {
        "space": space,
        "tags": selectors.space_tags(user=request.user, space=space),
        "may_manage": policy.can(request.user, "tag.manage", space),
        "may_apply": policy.can(request.user, "tag.apply", space),
        "create_form": create_form,
        "tag_form": tag_form,
    }
    return render(request, "wiki/tags.html", context)
