"""REST endpoints of the knowledge commons.

Pages are addressed by title inside a space (`/spaces/{slug}/pages/{title}`, slashes allowed);
the verbs that act on a page come first in the path, so no title can shadow them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from peerwork.accounts.selectors import user_by_username, user_get_visible
from peerwork.activity import watching
from peerwork.activity.actions import watch_set
from peerwork.activity.schemas import EventOut, event_out
from peerwork.core.api import Input, PageOf, PageParams, UtcDatetime, paginate
from peerwork.core.errors import Invalid, NotAuthenticated, NotFound
from peerwork.core.policy import can, signed_in
from peerwork.spaces.selectors import space_get_visible

from . import actions, selectors
from .models import Page, Revision
from .rendering import page_content_model, render_text, revision_html
from .schemas import page_fields, revision_fields
from .sections import section_at
from .textops import diff_lines, diff_stats
from .titles import title_text

router = Router(tags=["wiki"])

Text = Field(..., max_length=2 * 1024 * 1024 + 1024)
TitleField = Field(..., min_length=1, max_length=600)


class RevisionOut(Schema):
    id: int
    page: str
    parent: int | None
    author: str
    created_at: datetime
    summary: str
    minor: bool
    size: int
    size_delta: int
    sha1: str
    content_model: str
    reviewed: bool


def revision_out(revision: Revision, page: Page | None = None) -> dict[str, Any]:
    page = page or revision.page
    return {
        **revision_fields(revision),
        "page": title_text(page.namespace, page.title),
        "author": revision.author.username if revision.author else revision.author_name,
        "created_at": revision.created_at,
        "size_delta": revision.size_delta,
        "reviewed": revision.is_reviewed,
    }


class RevisionDetailOut(RevisionOut):
    text: str
    html: str


class SectionOut(Schema):
    number: int = Field(..., description="0 is the text before the first heading.")
    level: int
    title: str
    anchor: str = Field(..., description="The heading's id in the rendered page.")
    text: str = Field(..., description="The section's text, its heading line included.")


class PageOut(Schema):
    title: str
    namespace: int
    revision: RevisionDetailOut
    section: SectionOut | None = Field(
        None, description="The section asked for with ?section=N (null without it)."
    )
    is_redirect: bool
    is_deleted: bool
    edit_protection: str
    move_protection: str
    protection_expires_at: datetime | None
    move_protection_expires_at: datetime | None
    is_cascading: bool
    watching: bool
    can_edit: bool


def section_out(revision: Revision, number: int) -> dict[str, Any]:
    """One section of a revision's text; a number the text has no section for is refused."""
    text = revision.content.text
    section = section_at(text, revision.content_model, number)
    return {
        "number": section.number,
        "level": section.level,
        "title": section.title,
        "anchor": section.anchor,
        "text": text[section.start : section.end],
    }


def page_out(request: HttpRequest, page: Page, section: int | None = None) -> dict[str, Any]:
    revision = page.current_revision
    assert revision is not None
    return {
        **page_fields(page),
        "section": section_out(revision, section) if section is not None else None,
        "revision": {
            **revision_out(revision, page),
            "text": revision.content.text,
            "html": revision_html(revision),
        },
        "is_deleted": page.is_deleted,
        "edit_protection": page.edit_protection,
        "move_protection": page.move_protection,
        "protection_expires_at": page.protection_expires_at,
        "move_protection_expires_at": page.move_protection_expires_at,
        "is_cascading": page.is_cascading,
        "watching": watching.is_watching(request.user, page),
        "can_edit": can(request.user, "page.edit", page),
    }


class PageListItem(Schema):
    title: str
    namespace: int
    revision: int | None
    size: int
    is_redirect: bool
    touched_at: datetime


class SaveIn(Input):
    text: str = Text
    base_revision: int | None = Field(
        ..., description="The revision your text started from; null when creating the page."
    )
    summary: str = Field("", max_length=500)
    minor: bool = False
    section: Annotated[int, Field(ge=0, le=100_000)] | Literal["new"] | None = Field(
        None,
        description=(
            "Save only this section: `text` replaces section N of the base revision's text "
            "(0 is the text before the first heading), or with `new` is added as a new section "
            "titled `section_title`."
        ),
    )
    section_title: str = Field("", max_length=255)
    undid: int | None = Field(
        None,
        description="The revision this edit undoes, when its text came from an undo's dry run.",
    )
    restored: int | None = Field(
        None,
        description="The revision this edit restores, when its text came from a restore's dry run.",
    )
    confirm: bool = Field(
        False,
        description="Save although a screen warned (after a 409 confirm-required answer).",
    )


class HeldBriefOut(Schema):
    id: int
    reasons: list[str]


class SaveOut(Schema):
    status: Literal["created", "saved", "merged", "unchanged"]
    page: PageOut


class HeldSaveOut(Schema):
    """202: the edit waits for a patroller; the page (null for a page not created yet) is
    unchanged."""

    status: Literal["held"]
    page: PageOut | None
    held: HeldBriefOut


class RevertParams(Schema):
    dry_run: bool = Field(
        False,
        description=(
            "Only propose: answer the text the page would have and its summary, saving nothing. "
            "Save it (or a changed text) with PUT on the page, naming `base_revision` and "
            "`undid` or `restored`."
        ),
    )


class EditProposalOut(Schema):
    text: str
    summary: str
    base_revision: int


class RevertOut(Schema):
    status: Literal["saved", "unchanged", "preview"]
    page: PageOut
    #: With dry_run: what saving would make the page (null otherwise).
    proposal: EditProposalOut | None = None


class PreviewIn(Input):
    title: str = TitleField
    text: str = Text


class PreviewOut(Schema):
    html: str


class DiffLineOut(Schema):
    kind: str
    old_number: int | None
    new_number: int | None
    old: list[dict[str, Any]]
    new: list[dict[str, Any]]


class HunkOut(Schema):
    old_start: int
    new_start: int
    lines: list[DiffLineOut]


class DiffOut(Schema):
    from_revision: RevisionOut
    to_revision: RevisionOut
    added: int
    removed: int
    hunks: list[HunkOut]


class DiffParams(Schema):
    from_: int = Field(..., alias="from", ge=1)
    to: int = Field(..., ge=1)
    context: int = Field(3, ge=0, le=50)


class SummaryIn(Input):
    summary: str = Field("", max_length=500)


class MoveIn(Input):
    title: str = TitleField
    new_title: str = TitleField
    reason: str = Field("", max_length=500)
    leave_redirect: bool = True
    move_talk: bool = Field(False, description="Move the page's talk page too.")
    move_subpages: bool = Field(
        False, description="Move its subpages (and, with move_talk, its talk page's) too."
    )


class ReasonIn(Input):
    title: str = TitleField
    reason: str = Field(..., min_length=1, max_length=500)


class ProtectIn(Input):
    edit: Literal["anyone", "autoconfirmed", "members", "stewards"]
    move: Literal["anyone", "autoconfirmed", "members", "stewards"]
    expires_at: UtcDatetime | None = None
    #: When the move protection ends; left out, it ends with the edit protection.
    move_expires_at: UtcDatetime | None = None
    #: Protect the pages this one transcludes too (needs `edit` at `stewards`).
    cascade: bool = False
    reason: str = Field("", max_length=500)


class RecentParams(PageParams):
    namespace: int | None = Field(None, ge=0, le=10000)
    user: str | None = Field(None, max_length=150)
    minor: bool | None = None
    #: Only bot changes (true), none (false), or all (left out, as MediaWiki's API lists them).
    bot: bool | None = None
    unreviewed: bool = False
    since: UtcDatetime | None = None
    until: UtcDatetime | None = None


class RollbackParams(Schema):
    #: Whose edits the caller means to roll back: refused (409) if someone else edited since.
    editor: str | None = Field(None, max_length=150)
    summary: str = Field("", max_length=500)
    #: Flag the rollback as a bot change (hidden from recent changes unless bots are asked for).
    bot: bool = False


class LinkedPageOut(Schema):
    title: str
    namespace: int


class WantedOut(Schema):
    title: str
    namespace: int
    links: int


def _space(request: HttpRequest, slug: str) -> Any:
    return space_get_visible(user=request.user, slug=slug)


def _page(request: HttpRequest, slug: str, title: str) -> Page:
    return selectors.page_get_visible(user=request.user, space=_space(request, slug), title=title)


def _fresh(page: Page) -> Page:
    return Page.objects.select_related("space", "current_revision__content").get(pk=page.pk)


@router.get("/spaces/{slug}/pages", response=PageOf[PageListItem], summary="All pages of a space")
def list_pages(
    request: HttpRequest, slug: str, page: Query[PageParams], namespace: int | None = None
) -> Any:
    pages = selectors.pages_in_space(
        user=request.user, space=_space(request, slug), namespace=namespace
    )

    def item(p: Page) -> dict[str, Any]:
        revision = p.current_revision
        return {
            **page_fields(p),
            "revision": revision.pk if revision else None,
            "size": revision.size if revision else 0,
            "touched_at": p.touched_at,
        }

    return paginate(pages, page, newest_first=False, serialize=item)


@router.get("/spaces/{slug}/pages/{path:title}", response=PageOut, summary="A page, rendered")
def get_page(
    request: HttpRequest,
    slug: str,
    title: str,
    section: int | None = None,
) -> Any:
    """With `?section=N`, the answer's `section` holds that section's text."""
    return page_out(request, _page(request, slug, title), section)


@router.put(
    "/spaces/{slug}/pages/{path:title}",
    response={200: SaveOut, 201: SaveOut, 202: HeldSaveOut},
    summary="Create or edit a page (409 edit-conflict when changes overlap; 202 held for review)",
)
def save_page(request: HttpRequest, slug: str, title: str, payload: SaveIn) -> Any:
    result = actions.page_save(
        user=request.user,
        space=_space(request, slug),
        title=title,
        text=payload.text,
        base_revision_id=payload.base_revision,
        summary=payload.summary,
        minor=payload.minor,
        section=payload.section,
        section_title=payload.section_title,
        undid=payload.undid,
        restored=payload.restored,
        confirmed=payload.confirm,
    )
    if result.status == "held":
        assert result.held is not None
        held = {"id": result.held.pk, "reasons": result.held.reasons}
        shown = page_out(request, _fresh(result.page)) if result.held.page_id else None
        return 202, {"status": "held", "page": shown, "held": held}
    status = 201 if result.status == "created" else 200
    return status, {"status": result.status, "page": page_out(request, _fresh(result.page))}


@router.post("/spaces/{slug}/preview", response=PreviewOut, summary="Render text without saving")
def preview(request: HttpRequest, slug: str, payload: PreviewIn) -> Any:
    space = _space(request, slug)
    namespace, title = actions.parse_title(space, payload.title)
    page = selectors.page_find_existing(
        user=request.user, space=space, title=title_text(namespace, title)
    ) or Page(space=space, namespace=namespace, title=title)
    # In the page's own markup (a new page: the space's default).
    return {"html": render_text(page, actions.clean_text(payload.text), page_content_model(page))}


@router.get(
    "/spaces/{slug}/history/{path:title}", response=PageOf[RevisionOut], summary="A page's history"
)
def history(request: HttpRequest, slug: str, title: str, page: Query[PageParams]) -> Any:
    wiki_page = _page(request, slug, title)
    return paginate(
        selectors.page_history(wiki_page), page, serialize=lambda r: revision_out(r, wiki_page)
    )


@router.get(
    "/spaces/{slug}/revisions/{revision_id}", response=RevisionDetailOut, summary="One revision"
)
def get_revision(request: HttpRequest, slug: str, revision_id: int) -> Any:
    revision = selectors.revision_get_visible(
        user=request.user, space=_space(request, slug), revision_id=revision_id
    )
    return {
        **revision_out(revision),
        "text": revision.content.text,
        "html": revision_html(revision),
    }


@router.get("/spaces/{slug}/diff", response=DiffOut, summary="Compare two revisions")
def diff(request: HttpRequest, slug: str, params: Query[DiffParams]) -> Any:
    space = _space(request, slug)
    old = selectors.revision_get_visible(user=request.user, space=space, revision_id=params.from_)
    new = selectors.revision_get_visible(user=request.user, space=space, revision_id=params.to)
    added, removed = diff_stats(old.content.text, new.content.text)
    return {
        "from_revision": revision_out(old),
        "to_revision": revision_out(new),
        "added": added,
        "removed": removed,
        "hunks": [
            asdict(h)
            for h in diff_lines(old.content.text, new.content.text, context=params.context)
        ],
    }


def _revision_and_page(request: HttpRequest, slug: str, revision_id: int) -> tuple[Revision, Page]:
    revision = selectors.revision_get_visible(
        user=request.user, space=_space(request, slug), revision_id=revision_id
    )
    return revision, revision.page


def _revert_out(request: HttpRequest, result: actions.SaveResult) -> dict[str, Any]:
    page = _fresh(result.page)
    proposal = None
    if result.status == "preview":
        assert page.current_revision_id is not None
        proposal = {
            "text": result.text,
            "summary": result.summary,
            "base_revision": page.current_revision_id,
        }
    return {"status": result.status, "page": page_out(request, page), "proposal": proposal}


@router.post(
    "/spaces/{slug}/revisions/{revision_id}/undo",
    response=RevertOut,
    summary="Undo one revision (with dry_run, only propose the result)",
)
def undo_revision(
    request: HttpRequest,
    slug: str,
    revision_id: int,
    payload: SummaryIn,
    params: Query[RevertParams],
) -> Any:
    _revision, page = _revision_and_page(request, slug, revision_id)
    result = actions.revision_undo(
        user=request.user,
        page=page,
        revision_id=revision_id,
        summary=payload.summary,
        dry_run=params.dry_run,
    )
    return _revert_out(request, result)


@router.post(
    "/spaces/{slug}/revisions/{revision_id}/restore",
    response=RevertOut,
    summary="Make an old revision current again (with dry_run, only propose the result)",
)
def restore_revision(
    request: HttpRequest,
    slug: str,
    revision_id: int,
    payload: SummaryIn,
    params: Query[RevertParams],
) -> Any:
    _revision, page = _revision_and_page(request, slug, revision_id)
    result = actions.revision_restore(
        user=request.user,
        page=page,
        revision_id=revision_id,
        summary=payload.summary,
        dry_run=params.dry_run,
    )
    return _revert_out(request, result)


@router.post(
    "/spaces/{slug}/revisions/{revision_id}/review", response=RevisionOut, summary="Mark reviewed"
)
def review_revision(request: HttpRequest, slug: str, revision_id: int) -> Any:
    revision, _page_obj = _revision_and_page(request, slug, revision_id)
    return revision_out(actions.revision_review(user=request.user, revision=revision))


@router.post(
    "/spaces/{slug}/rollback/{path:title}",
    response=SaveOut,
    summary="Revert the last editor's consecutive edits",
)
def rollback(request: HttpRequest, slug: str, title: str, params: Query[RollbackParams]) -> Any:
    result = actions.page_rollback(
        user=request.user,
        page=_page(request, slug, title),
        editor=params.editor,
        summary=params.summary,
        bot=params.bot,
    )
    return {"status": result.status, "page": page_out(request, _fresh(result.page))}


@router.post("/spaces/{slug}/moves", response=PageOut, summary="Rename a page")
def move(request: HttpRequest, slug: str, payload: MoveIn) -> Any:
    moved = actions.page_move(
        user=request.user,
        page=_page(request, slug, payload.title),
        new_title=payload.new_title,
        reason=payload.reason,
        leave_redirect=payload.leave_redirect,
        move_talk=payload.move_talk,
        move_subpages=payload.move_subpages,
    )
    return page_out(request, _fresh(moved.page))


@router.post("/spaces/{slug}/deletions", response={204: None}, summary="Delete a page")
def delete(request: HttpRequest, slug: str, payload: ReasonIn) -> Any:
    actions.page_delete(
        user=request.user, page=_page(request, slug, payload.title), reason=payload.reason
    )
    return 204, None


@router.post("/spaces/{slug}/restorations", response=PageOut, summary="Restore a deleted page")
def restore(request: HttpRequest, slug: str, payload: ReasonIn) -> Any:
    page = actions.page_restore(
        user=request.user, page=_page(request, slug, payload.title), reason=payload.reason
    ).page
    return page_out(request, _fresh(page))


@router.put("/spaces/{slug}/protection/{path:title}", response=PageOut, summary="Protect a page")
def protect(request: HttpRequest, slug: str, title: str, payload: ProtectIn) -> Any:
    page = actions.page_protect(
        user=request.user,
        page=_page(request, slug, title),
        edit=payload.edit,
        move=payload.move,
        expires_at=payload.expires_at,
        move_expires_at=payload.move_expires_at
        if "move_expires_at" in payload.model_fields_set
        else payload.expires_at,
        cascade=payload.cascade,
        reason=payload.reason,
    ).page
    return page_out(request, _fresh(page))


class TitleProtectIn(Input):
    #: Who may create the page; `anyone` lifts the reservation.
    level: Literal["anyone", "autoconfirmed", "members", "stewards"]
    expires_at: UtcDatetime | None = None
    reason: str = Field("", max_length=500)


class TitleProtectionOut(Schema):
    title: str
    level: str
    expires_at: datetime | None


@router.put(
    "/spaces/{slug}/title-protection/{path:title}",
    response=TitleProtectionOut,
    summary="Reserve a title no page holds for some people (create protection)",
)
def protect_title(request: HttpRequest, slug: str, title: str, payload: TitleProtectIn) -> Any:
    change = actions.title_protect(
        user=request.user,
        space=_space(request, slug),
        title=title,
        level=payload.level,
        expires_at=payload.expires_at,
        reason=payload.reason,
    )
    protection = change.protection
    namespace, bare = change.event.data["namespace"], change.event.data["title"]
    return {
        "title": title_text(namespace, bare),
        "level": protection.level if protection else "anyone",
        "expires_at": protection.expires_at if protection else None,
    }


@router.put("/spaces/{slug}/watch/{path:title}", response={204: None}, summary="Watch a page")
def watch(request: HttpRequest, slug: str, title: str) -> Any:
    watch_set(user=request.user, target=_page(request, slug, title), watching=True)
    return 204, None


@router.delete("/spaces/{slug}/watch/{path:title}", response={204: None}, summary="Stop watching")
def unwatch(request: HttpRequest, slug: str, title: str) -> Any:
    watch_set(user=request.user, target=_page(request, slug, title), watching=False)
    return 204, None


def _recent(request: HttpRequest, params: RecentParams, space: Any = None) -> Any:
    person = None
    if params.user:
        person = user_by_username(params.user)
        if person is None:
            raise Invalid(
                _("There is no person called '%(username)s'.") % {"username": params.user},
                field="user",
            )
    events = selectors.recent_changes(
        user=request.user,
        space=space,
        namespace=params.namespace,
        person=person,
        minor=params.minor,
        bot=params.bot,
        unreviewed=params.unreviewed,
        since=params.since,
        until=params.until,
    )
    return paginate(
        events, PageParams(limit=params.limit, cursor=params.cursor), serialize=event_out
    )


@router.get(
    "/spaces/{slug}/recent-changes", response=PageOf[EventOut], summary="Recent changes of a space"
)
def space_recent_changes(request: HttpRequest, slug: str, params: Query[RecentParams]) -> Any:
    return _recent(request, params, _space(request, slug))


@router.get(
    "/recent-changes", response=PageOf[EventOut], summary="Recent changes in every space you see"
)
def all_recent_changes(request: HttpRequest, params: Query[RecentParams]) -> Any:
    return _recent(request, params)


@router.get("/me/watchlist", response=PageOf[EventOut], summary="Changes to pages you watch")
def my_watchlist(request: HttpRequest, page: Query[PageParams]) -> Any:
    if not signed_in(request.user):
        raise NotAuthenticated()
    return paginate(selectors.watchlist(user=request.user), page, serialize=event_out)


@router.get(
    "/users/{username}/contributions",
    response=PageOf[RevisionOut],
    summary="A person's revisions",
)
def contributions(request: HttpRequest, username: str, page: Query[PageParams]) -> Any:
    person = user_get_visible(viewer=request.user, username=username)
    return paginate(
        selectors.contributions(viewer=request.user, person=person), page, serialize=revision_out
    )


@router.get(
    "/spaces/{slug}/links-here/{path:title}",
    response=list[LinkedPageOut],
    summary="Pages that link to a page",
)
def what_links_here(request: HttpRequest, slug: str, title: str) -> Any:
    pages = selectors.links_here(user=request.user, space=_space(request, slug), title=title)
    return [
        {"title": title_text(p.namespace, p.title), "namespace": p.namespace} for p in pages[:1000]
    ]


@router.get("/spaces/{slug}/wanted-pages", response=list[WantedOut], summary="Linked, not written")
def wanted(request: HttpRequest, slug: str) -> Any:
    rows = selectors.wanted_pages(user=request.user, space=_space(request, slug))
    return [{"title": title_text(ns, t), "namespace": ns, "links": n} for ns, t, n in rows]


@router.get(
    "/spaces/{slug}/categories/{path:name}",
    response=list[LinkedPageOut],
    summary="The pages in a category",
)
def category(request: HttpRequest, slug: str, name: str) -> Any:
    space = _space(request, slug)
    namespace, normalized = actions.parse_title(space, f"Category:{name}")
    if namespace != 14:
        raise NotFound()
    pages = selectors.category_members(user=request.user, space=space, category=normalized)
    return [
        {"title": title_text(p.namespace, p.title), "namespace": p.namespace} for p in pages[:5000]
    ]


# ------------------------------------------------------------------------------ change tags


class TagOut(Schema):
    name: str
    description: str
    active: bool
    #: How many revisions and log entries carry it.
    hits: int


class TagIn(Input):
    name: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=500)
    reason: str = Field("", max_length=500)


class TagUpdateIn(Input):
    active: bool
    reason: str = Field("", max_length=500)


class ChangeTagsIn(Input):
    add: list[str] = Field(default_factory=list, max_length=50)
    remove: list[str] = Field(default_factory=list, max_length=50)
    reason: str = Field("", max_length=500)


class ChangeTagsOut(Schema):
    added: list[str]
    removed: list[str]
    tags: list[str]


def _tag_out(tag: Any) -> dict[str, Any]:
    return {
        "name": tag.name,
        "description": tag.description,
        "active": tag.is_active,
        "hits": getattr(tag, "hits", 0),
    }


@router.get("/spaces/{slug}/tags", response=list[TagOut], summary="Change tags of a space")
def list_tags(request: HttpRequest, slug: str) -> Any:
    return [
        _tag_out(tag)
        for tag in selectors.space_tags(user=request.user, space=_space(request, slug))
    ]


@router.post("/spaces/{slug}/tags", response={201: TagOut}, summary="Define a change tag")
def create_tag(request: HttpRequest, slug: str, payload: TagIn) -> Any:
    tag = actions.tag_create(
        user=request.user,
        space=_space(request, slug),
        name=payload.name,
        description=payload.description,
        reason=payload.reason,
    )
    return 201, _tag_out(tag)


@router.patch(
    "/spaces/{slug}/tags/{tag}", response=TagOut, summary="Activate or deactivate a change tag"
)
def update_tag(request: HttpRequest, slug: str, tag: str, payload: TagUpdateIn) -> Any:
    space = _space(request, slug)
    name = tag
    tag_row = selectors.tag_get(user=request.user, space=space, name=name)
    actions.tag_set_active(
        user=request.user, tag=tag_row, active=payload.active, reason=payload.reason
    )
    return _tag_out(selectors.tag_get(user=request.user, space=space, name=name))


@router.delete(
    "/spaces/{slug}/tags/{tag}", response={204: None}, summary="Delete a change tag everywhere"
)
def delete_tag(request: HttpRequest, slug: str, tag: str, reason: str = "") -> Any:
    found = selectors.tag_get(user=request.user, space=_space(request, slug), name=tag)
    actions.tag_delete(user=request.user, tag=found, reason=reason[:500])
    return 204, None


@router.post(
    "/spaces/{slug}/revisions/{revision_id}/tags",
    response=ChangeTagsOut,
    summary="Add and remove change tags on a revision",
)
def tag_revision(request: HttpRequest, slug: str, revision_id: int, payload: ChangeTagsIn) -> Any:
    revision, page = _revision_and_page(request, slug, revision_id)
    done = actions.change_tags_update(
        user=request.user,
        space=page.space,
        revision=revision,
        add=payload.add,
        remove=payload.remove,
        reason=payload.reason,
    )
    return {"added": done.added, "removed": done.removed, "tags": done.tags}


# --------------------------------------------------------------------------- held edits


class HeldEditOut(Schema):
    id: int
    title: str
    page_id: int | None
    author: str
    summary: str
    size_delta: int
    created_at: UtcDatetime
    state: Literal["held", "released", "rejected"]
    reasons: list[str]
    #: The risk screen's score (0 to 1) and its top features, when it scored the edit.
    risk_score: float | None
    risk_features: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    decided_by: str | None
    decided_at: UtcDatetime | None
    reason: str
    base_revision: int | None
    revision: int | None


class HeldDecisionIn(Input):
    reason: str = Field("", max_length=500)


def held_out(held: Any) -> dict[str, Any]:
    risk = held.risk or {}
    return {
        "id": held.pk,
        "title": title_text(held.namespace, held.title),
        "page_id": held.page_id,
        "author": held.author.username,
        "summary": held.summary,
        "size_delta": held.size_delta,
        "created_at": held.created_at,
        "state": held.state,
        "reasons": held.reasons,
        "risk_score": risk.get("score"),
        "risk_features": (risk.get("data") or {}).get("top", []),
        "findings": held.findings,
        "decided_by": held.decided_by.username if held.decided_by else None,
        "decided_at": held.decided_at,
        "reason": held.reason,
        "base_revision": held.base_revision_id,
        "revision": held.revision_id,
    }


@router.get(
    "/spaces/{slug}/held-edits",
    response=PageOf[HeldEditOut],
    summary="Edits held for review (patrollers)",
)
def list_held_edits(
    request: HttpRequest,
    slug: str,
    page: Query[PageParams],
    state: Literal["held", "released", "rejected"] = "held",
) -> Any:
    edits = selectors.held_queue(user=request.user, space=_space(request, slug), state=state)
    return paginate(edits, page, newest_first=state != "held", serialize=held_out)


@router.post(
    "/spaces/{slug}/held-edits/{held_id}/release",
    response=HeldEditOut,
    summary="Publish a held edit (409 edit-conflict when the page changed in the same place)",
)
def release_held_edit(
    request: HttpRequest, slug: str, held_id: int, payload: HeldDecisionIn
) -> Any:
    held = selectors.held_get(user=request.user, space=_space(request, slug), held_id=held_id)
    return held_out(actions.held_edit_release(user=request.user, held=held, reason=payload.reason))


@router.post(
    "/spaces/{slug}/held-edits/{held_id}/reject",
    response=HeldEditOut,
    summary="Keep a held edit out of the page",
)
def reject_held_edit(request: HttpRequest, slug: str, held_id: int, payload: HeldDecisionIn) -> Any:
    held = selectors.held_get(user=request.user, space=_space(request, slug), held_id=held_id)
    return held_out(actions.held_edit_reject(user=request.user, held=held, reason=payload.reason))
