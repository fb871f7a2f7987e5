"""Every write to the knowledge commons. No edit is ever lost: it is saved, merged, or refused
as a conflict that hands the person's text back."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from peerwork.accounts.models import Viewer
from peerwork.accounts.selectors import user_by_username
from peerwork.activity import recorder, watching
from peerwork.activity.actions import notifications_set_read, watch_quietly
from peerwork.activity.models import Event
from peerwork.core import jobs, limits, policy, screening
from peerwork.core.errors import (
    ActionError,
    ConfirmRequired,
    Conflict,
    EditConflict,
    Invalid,
    NotFound,
    RefusedByScreen,
)
from peerwork.core.markup import extract_links
from peerwork.search import index
from peerwork.spaces.models import Space
from peerwork.spaces.selectors import is_bot

from .extlinks import extract_external_links
from .models import (
    Categorization,
    Content,
    ExternalLink,
    HeldEdit,
    ImportedRevision,
    Link,
    Page,
    ProtectionLevel,
    Revision,
    Tag,
    TagApplication,
    TitleProtection,
    Transclusion,
)
from .policy_schema import default_content_model
from .preprocess import pre_save_transform
from .sections import append_section, replace_section
from .textops import merge_three, undo
from .titles import USER_TALK_NAMESPACE, TitleError, normalize_title, title_text
from .wikitext import render_page_wikitext

MAX_TEXT_BYTES = 2 * 1024 * 1024
CONTENT_MODEL_NAMES = ("markdown", "wikitext")
REDIRECT_RE = re.compile(r"^\s*#REDIRECT\s*\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]", re.I)


@dataclass
class SaveResult:
    page: Page
    revision: Revision | None
    #: "created", "saved", "merged" (others saved first; the changes did not overlap) or
    #: "unchanged" (the text was already the page's text; nothing stored).
    status: str
    #: The event the save recorded (None when nothing was stored), so a caller reads what
    #: happened from here rather than from the activity table.
    event: Event | None = None
    #: With a dry run (status "preview"): the text the page would have, and its summary.
    text: str = ""
    summary: str = ""
    #: With status "held": the edit waiting for a patroller (the page's text is unchanged).
    held: HeldEdit | None = None
    #: What the space's screens said of the edit (reasons of a hold, tags applied...).
    verdict: screening.Verdict | None = None


@dataclass(frozen=True)
class PageChange:
    """What a move, delete, restore or protect did: the page as it now is, and its event."""

    page: Page
    event: Event
    #: What moved along with a page (its talk page, its subpages): see `page_move`.
    related: list[RelatedMove] = dataclasses.field(default_factory=list)


def parse_title(space: Space, raw: str) -> tuple[int, str]:
    try:
        return normalize_title(raw, capitalize=space.policy.get("capitalize_titles", True))
    except TitleError as error:
        raise Invalid(str(error), field="title") from None


def clean_text(text: str) -> str:
    """All wiki text is stored with '\\n' line ends; browsers send '\\r\\n'."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise Invalid(_("A page may hold at most 2 MB of text; split it into pages."), field="text")
    return text


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def _content_for(text: str) -> Content:
    data = text.encode()
    sha1 = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    content = Content.objects.filter(sha1=sha1).first()
    if content is not None:
        return content
    try:
        with transaction.atomic():
            return Content.objects.create(sha1=sha1, text=text, size=len(data))
    except IntegrityError:
        return Content.objects.get(sha1=sha1)


def _bump_linkers(space: Space, namespace: int, title: str) -> None:
    """Pages linking to a title that appeared or went re-render their red links (and pages
    including it, their copy of its text)."""
    linking = Link.objects.filter(space=space, namespace=namespace, title=title).values(
        "from_page_id"
    )
    Page.objects.filter(pk__in=linking).update(render_epoch=F("render_epoch") + 1)
    _bump_transcluders(space, namespace, title)


def _bump_transcluders(space: Space, namespace: int, title: str) -> None:
    """Pages including a title (a template) re-render when its text changes, and record again
    what they include (after the commit, in a job: a template may be on many pages)."""
    including = Transclusion.objects.filter(space=space, namespace=namespace, title=title).values(
        "from_page_id"
    )
    if Page.objects.filter(pk__in=including).update(render_epoch=F("render_epoch") + 1):
        jobs.enqueue(
            "wiki.refresh_transcluders", space_id=space.pk, namespace=namespace, title=title
        )


def transcluder_ids(*, space_id: int, namespace: int, title: str) -> list[int]:
    """The pages whose current text includes `title`, directly or through another page."""
    return list(
        Transclusion.objects.filter(space_id=space_id, namespace=namespace, title=title)
        .order_by("from_page_id")
        .values_list("from_page_id", flat=True)
    )


def page_refresh_links(*, page_id: int) -> int:
    """Record again what a page's current text links to and includes (no new revision, no
    event: nothing a person did). 1 if the page was refreshed, 0 if it is gone."""
    page = (
        Page.objects.select_related("space", "current_revision__content")
        .filter(pk=page_id, current_revision__isnull=False)
        .first()
    )
    if page is None or page.current_revision is None:
        return 0
    _update_links(page, page.current_revision.content.text)
    return 1


def _update_links(page: Page, text: str) -> None:
    Link.objects.filter(from_page=page).delete()
    Categorization.objects.filter(page=page).delete()
    ExternalLink.objects.filter(from_page=page).delete()
    Transclusion.objects.filter(from_page=page).delete()
    if page.is_deleted:
        return
    ExternalLink.objects.bulk_create(
        [
            ExternalLink(space=page.space, from_page=page, url=url)
            for url in extract_external_links(text)
        ],
        ignore_conflicts=True,
    )
    current = page.current_revision
    if current is not None and current.content_model == "wikitext":
        # Wikitext links are those of the expanded text, and its templates are recorded so
        # that a change to one re-renders the page (as MediaWiki's templatelinks).
        result = render_page_wikitext(page, text)
        links, categories = result.rendered.links, result.rendered.categories
        Transclusion.objects.bulk_create(
            [
                Transclusion(space=page.space, from_page=page, namespace=ns, title=title)
                for ns, title in result.templates
            ],
            ignore_conflicts=True,
        )
    else:
        capitalize = page.space.policy.get("capitalize_titles", True)
        links, categories = extract_links(text, capitalize=capitalize)
    Link.objects.bulk_create(
        [
            Link(space=page.space, from_page=page, namespace=link.namespace, title=link.title)
            for link in {(link.namespace, link.title): link for link in links}.values()
        ],
        ignore_conflicts=True,
    )
    Categorization.objects.bulk_create(
        [Categorization(space=page.space, page=page, category=name) for name in categories],
        ignore_conflicts=True,
    )


def _store(
    *,
    page: Page,
    user: Any,
    text: str,
    summary: str,
    minor: bool,
    content_model: str | None = None,
    created_at: datetime | None = None,
    author_name: str = "",
    reviewed: bool | None = None,
    refresh: bool = True,
) -> Revision:
    """Write the page's next revision. `refresh=False` leaves the links table and the search
    index to the caller (an import refreshes them once per page, not once per revision)."""
    parent = page.current_revision
    # A page keeps its content model: an imported wikitext page stays wikitext when edited,
    # undone or rolled back.
    content_model = content_model or (parent.content_model if parent else "markdown")
    content = _content_for(text)
    now = created_at or timezone.now()
    if reviewed is None:
        reviewed = policy.signed_in(user) and policy.can(user, "page.autopatrol", page)
    revision = Revision.objects.create(
        page=page,
        parent=parent,
        content=content,
        content_model=content_model,
        author=user if policy.signed_in(user) else None,
        author_name=author_name or (user.username if policy.signed_in(user) else ""),
        created_at=now,
        summary=summary,
        is_minor=minor,
        size=content.size,
        size_delta=content.size - (parent.size if parent else 0),
        sha1=content.sha1,
        is_reviewed=reviewed,
        reviewed_at=now if reviewed else None,
    )
    page.current_revision = revision
    page.touched_at = now
    page.is_redirect = bool(REDIRECT_RE.match(text))
    page.save(update_fields=["current_revision", "touched_at", "is_redirect"])
    if refresh:
        page_refresh_derived(page, text)
    return revision


def page_refresh_derived(page: Page, text: str) -> None:
    """Bring what is derived from the current text (links, categories, search) up to date,
    and re-render the pages that include this one."""
    _update_links(page, text)
    index.page_changed(page)
    _bump_transcluders(page.space, page.namespace, page.title)


def _record_edit(
    *, user: Any, page: Page, revision: Revision, created: bool, **extra: Any
) -> Event:
    event = recorder.record(
        actor=user,
        verb="page:created" if created else "page:edited",
        target=page,
        space=page.space,
        data={
            "revision": revision.pk,
            "parent": revision.parent_id,
            "namespace": page.namespace,
            "title": page.title,
            "summary": revision.summary,
            "minor": revision.is_minor,
            "size": revision.size,
            "size_delta": revision.size_delta,
            **extra,
        },
    )
    owner = _talk_page_owner(page)
    recorder.notify(users=[*watching.watcher_ids(page), *([owner] if owner else [])], event=event)
    return event


def _talk_page_owner(page: Page) -> int | None:
    """The person whose user talk page this is (`User talk:Name`, not its subpages): others'
    edits there are messages to them, so they hear of them whether or not they watch it."""
    if page.namespace != USER_TALK_NAMESPACE or "/" in page.title:
        return None
    owner = user_by_username(page.title)
    return owner.pk if owner is not None else None


def talk_messages_seen(*, user: Viewer, space: Space) -> int:
    """The person read their user talk page in this space: its new messages are no longer
    new (MediaWiki's "You have new messages" ends so). Returns how many were marked read."""
    from .selectors import new_talk_messages

    if not policy.signed_in(user):
        return 0
    unread = list(new_talk_messages(user=user, space=space).values_list("pk", flat=True))
    if not unread:
        return 0
    return notifications_set_read(user=user, ids=unread)


def _lock_or_create(space: Space, namespace: int, title: str) -> tuple[Page, bool]:
    lookup = {"space": space, "namespace": namespace, "title": title}
    page = Page.objects.select_for_update().filter(**lookup).first()
    if page is not None:
        return page, False
    try:
        with transaction.atomic():
            return Page.objects.create(**lookup), True
    except IntegrityError:
        return Page.objects.select_for_update().get(**lookup), False


@transaction.atomic
def page_save(
    *,
    user: Viewer,
    space: Space,
    title: str,
    text: str,
    base_revision_id: int | None,
    summary: str = "",
    minor: bool = False,
    section: int | Literal["new"] | None = None,
    section_title: str = "",
    undid: int | None = None,
    restored: int | None = None,
    bot: bool = False,
    content_model: str | None = None,
    confirmed: bool = False,
) -> SaveResult:
    """Save `text` as the page's next revision, written from `base_revision_id`.

    If others saved since that base, their changes and these are merged three ways when they
    do not overlap; when they do, EditConflict carries all three texts and nothing is saved.
    With `section`, `text` is that section's new text (or, with "new", a section to add under
    the heading `section_title`): the whole text is built from the *base* revision's, so an
    edit of one section merges with others' edits of other sections exactly as whole-page
    edits do.

    `undid` or `restored` name the revision this edit undoes or restores, when the text was
    proposed by `revision_undo` or `revision_restore` with `dry_run` and then confirmed (and
    perhaps changed) by the person, as MediaWiki's undo is an edit; the log says so.

    `bot` asks to flag the edit as a bot's (hidden from recent changes unless bots are asked
    for); it counts only for an account the space marks as a bot, and is ignored for others.

    `content_model` ("markdown" or "wikitext") is the markup of the text; without it a page
    keeps its own, and a new page takes the space's default (decision 0051). Wikitext gets
    MediaWiki's pre-save transform: `~~~~` becomes the author's signature.

    Before anything is stored, the space's screens judge the edit (`core/screening.py`): a
    refusal raises RefusedByScreen, a warning ConfirmRequired unless `confirmed`; a hold
    stores the edit as a HeldEdit for a patroller (status "held", the page unchanged), except
    for people whose edits are autopatrolled and the space's bots (decision 0059).
    """
    namespace, title = parse_title(space, title)
    text = clean_text(text)
    if content_model is not None and content_model not in CONTENT_MODEL_NAMES:
        raise Invalid(
            _("Unknown markup '%(model)s'; use markdown or wikitext.") % {"model": content_model},
            field="content_model",
        )
    if len(summary) > 500:
        raise Invalid(_("An edit summary may be at most 500 characters."), field="summary")
    existing = Page.objects.filter(space=space, namespace=namespace, title=title).first()
    if existing is not None:
        existing.space = space  # the same row: spare the policy a query for it
    if existing is not None and existing.is_deleted and not policy.can(user, "page.view", existing):
        raise Conflict(
            _(
                "A page called '%(title)s' was deleted; "
                "ask a steward to restore it or choose another title."
            )
            % {"title": title_text(namespace, title)},
            field="title",
        )
    title_protection = None
    if existing is not None:
        user = policy.require_person(user, "page.edit", existing)
    else:
        user = policy.require_person(user, "page.create", space)
        title_protection = TitleProtection.objects.filter(
            space=space, namespace=namespace, title=title
        ).first()
        if title_protection is not None:
            title_protection.space = space
            user = policy.require_person(user, "title.create", title_protection)
    limits.hit("edit", user=user, space=space)
    page, created = _lock_or_create(space, namespace, title)
    page.space = space
    current = page.current_revision
    model = content_model or (current.content_model if current else default_content_model(space))
    if model == "wikitext":
        text = clean_text(pre_save_transform(text, username=user.username, now=timezone.now()))
    if not created and existing is None:
        # Someone created it between our look and our lock: check again against the row.
        user = policy.require_person(user, "page.edit", page)
    if (
        base_revision_id is not None
        and not Revision.objects.filter(pk=base_revision_id, page=page).exists()
    ):
        raise Invalid(
            _("Revision %(revision)s is not a revision of this page.")
            % {"revision": base_revision_id},
            field="base_revision",
        )
    reverting: dict[str, Any] = {"undid": undid, "restored": restored}
    for key, revision_id in reverting.items():
        if (
            revision_id is not None
            and not Revision.objects.filter(pk=revision_id, page=page).exists()
        ):
            raise Invalid(
                _("Revision %(revision)s is not a revision of this page.")
                % {"revision": revision_id},
                field=key,
            )
    reverting = {key: value for key, value in reverting.items() if value is not None}
    if bot and is_bot(user, space):
        reverting["bot"] = True
    if section is not None:
        if base_revision_id is None and current is not None:
            base_revision_id = current.pk  # no base given: the section of the current text
        text = _with_section(base_revision_id, current, section, section_title, text)
    status = "created" if current is None else "saved"
    if current is not None and current.pk != base_revision_id:
        base_text = (
            Revision.objects.select_related("content").get(pk=base_revision_id).content.text
            if base_revision_id is not None
            else ""
        )
        current_text = current.content.text
        merged = merge_three(base_text, current_text, text)
        if merged.conflicted:
            raise EditConflict(
                _(
                    "Someone else changed the same part of the page since you started; "
                    "nothing was saved. Your text is kept in 'yours'."
                ),
                yours=text,
                current=current_text,
                merged=merged.text,
                current_revision=current.pk,
                **_saved_by(current),
            )
        text, status = merged.text, "merged"
    unchanged_model = current is None or current.content_model == model
    if current is not None and current.sha1 == _sha1(text) and unchanged_model:
        return SaveResult(page, None, "unchanged")  # the text is stored by its SHA-1
    verdict = _screen_edit(
        user=user,
        page=page,
        current=current,
        text=text,
        summary=summary,
        confirmed=confirmed,
        reverting=reverting,
    )
    if verdict.action == "hold" and not _hold_exempt(user, page, reverting):
        return _hold(
            user=user,
            page=page,
            created=created,
            current=current,
            text=text,
            summary=summary,
            minor=minor,
            model=model,
            verdict=verdict,
        )
    revision = _store(
        page=page, user=user, text=text, summary=summary, minor=minor, content_model=model
    )
    if verdict.tags:
        _apply_screen_tags(page, revision, verdict.tags)
    if verdict.findings:
        reverting["screening"] = verdict.as_log()
    event = _record_edit(
        user=user,
        page=page,
        revision=revision,
        created=current is None,
        merged=status == "merged",
        **reverting,
    )
    if current is None:
        _bump_linkers(space, namespace, title)
        watch_quietly(user=user, target=page)
        # A create protection has done its work once the page exists (MediaWiki drops it too).
        if title_protection is not None:
            TitleProtection.objects.filter(pk=title_protection.pk).delete()
    return SaveResult(page, revision, status, event, verdict=verdict)


# --------------------------------------------------------------------------- screening, holds


def lines_changed(before: str, after: str) -> tuple[str, str]:
    """The lines an edit adds and the lines it removes (each joined by newlines)."""
    added: list[str] = []
    removed: list[str] = []
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(old[i1:i2])
        if tag in ("replace", "insert"):
            added.extend(new[j1:j2])
    return "\n".join(added), "\n".join(removed)


def _screen_edit(
    *,
    user: Any,
    page: Page,
    current: Revision | None,
    text: str,
    summary: str,
    confirmed: bool,
    reverting: dict[str, Any],
) -> screening.Verdict:
    """Ask the space's screens about this edit; refuse or ask to confirm as they say."""
    if not screening.registered():
        return screening.PUBLISH
    previous = current.content.text if current is not None else ""
    added, removed = lines_changed(previous, text)
    verdict = screening.screen(
        screening.Contribution(
            kind="wiki.edit",
            space=page.space,
            user=user,
            added=added,
            removed=removed,
            text=text,
            title=title_text(page.namespace, page.title),
            summary=summary,
            confirmed=confirmed,
            extra={"page": page, "previous": previous, "created": current is None, **reverting},
        )
    )
    reasons = verdict.reasons
    if verdict.action in ("refuse", "block"):
        raise RefusedByScreen(
            _("This edit was not saved: %(reasons)s")
            % {"reasons": "; ".join(reasons) or _("a screen refused it")},
            reasons=reasons,
            findings=verdict.as_log(),
        )
    if verdict.action == "warn":
        raise ConfirmRequired(
            _("Please check this edit before saving it: %(reasons)s")
            % {"reasons": "; ".join(reasons)},
            reasons=reasons,
            findings=verdict.as_log(),
        )
    return verdict


def _hold_exempt(user: Any, page: Page, reverting: dict[str, Any]) -> bool:
    """Whose edits are never held: those saved already reviewed (autopatrol: members and
    stewards, or earned) and the space's bots, as MediaWiki's pending changes exempt the
    autoreviewed. Their screens' findings are still logged with the edit."""
    return bool(reverting.get("bot")) or policy.can(user, "page.autopatrol", page)


def _apply_screen_tags(page: Page, revision: Revision, names: list[str]) -> None:
    """Put the tags the screens named on the revision (defining any the space lacks)."""
    tags = []
    for name in names:
        tag, _created = Tag.objects.get_or_create(space=page.space, name=name[:255])
        if tag.is_active:
            tags.append(tag)
    TagApplication.objects.bulk_create(
        [TagApplication(tag=tag, revision=revision) for tag in tags], ignore_conflicts=True
    )


def _held_about(held: HeldEdit) -> dict[str, Any]:
    return {
        "held": held.pk,
        "namespace": held.namespace,
        "title": held.title,
        "summary": held.summary,
        "size_delta": held.size_delta,
        "minor": held.is_minor,
    }


def _hold(
    *,
    user: Any,
    page: Page,
    created: bool,
    current: Revision | None,
    text: str,
    summary: str,
    minor: bool,
    model: str,
    verdict: screening.Verdict,
) -> SaveResult:
    """Store the edit for a patroller; the page keeps its text (a new page is not created)."""
    content = _content_for(text)
    space = page.space
    held = HeldEdit.objects.create(
        space=space,
        page=None if created else page,
        namespace=page.namespace,
        title=page.title,
        base_revision=current,
        content=content,
        content_model=model,
        author=user,
        summary=summary,
        is_minor=minor,
        size_delta=content.size - (current.size if current is not None else 0),
        findings=verdict.as_log(),
        created_at=timezone.now(),
    )
    if created:
        Page.objects.filter(pk=page.pk).delete()  # created by this save, so nothing refers to it
    event = recorder.record(
        actor=user,
        verb="edit:held",
        target=held,
        space=space,
        data={**_held_about(held), "screening": held.findings},
    )
    return SaveResult(page, None, "held", event, held=held, verdict=verdict)


def _held_locked(held: HeldEdit) -> HeldEdit:
    held = (
        HeldEdit.objects.select_for_update(of=("self",))
        .select_related("space", "content", "author", "base_revision__content")
        .get(pk=held.pk)
    )
    if held.state != HeldEdit.State.HELD:
        raise Conflict(
            _("This edit was already %(state)s; nothing was changed.")
            % {"state": held.get_state_display()},
            reason="decided",
        )
    return held


@transaction.atomic
def held_edit_release(*, user: Viewer, held: HeldEdit, reason: str = "") -> HeldEdit:
    """Publish a held edit: it becomes the page's next revision, by its author, reviewed by
    the patroller. If the page changed since it was held, the changes are merged three ways
    as `page_save` merges; when they overlap, EditConflict and nothing changes."""
    user = policy.require_person(user, "held.decide", held.space)
    if len(reason) > 500:
        raise Invalid(_("A reason may be at most 500 characters."), field="reason")
    held = _held_locked(held)
    space = held.space
    page, created = _lock_or_create(space, held.namespace, held.title)
    page.space = space
    if page.is_deleted:
        raise Conflict(
            _("The page was deleted since this edit was held; restore it first."),
            reason="pagedeleted",
        )
    current = page.current_revision
    text = held.content.text
    base = held.base_revision
    if current is not None and (base is None or current.pk != base.pk):
        merged = merge_three(base.content.text if base else "", current.content.text, text)
        if merged.conflicted:
            raise EditConflict(
                _(
                    "The page changed since this edit was held, in the same place; nothing "
                    "was changed. Edit the page by hand, or reject the held edit."
                ),
                yours=text,
                current=current.content.text,
                merged=merged.text,
                current_revision=current.pk,
                **_saved_by(current),
            )
        text = merged.text
    revision = None
    if current is None or current.sha1 != _sha1(text):
        revision = _store(
            page=page,
            user=held.author,
            text=text,
            summary=held.summary,
            minor=held.is_minor,
            content_model=held.content_model,
            reviewed=True,
        )
        Revision.objects.filter(pk=revision.pk).update(reviewed_by=user)
        _record_edit(
            user=held.author,
            page=page,
            revision=revision,
            created=current is None,
            merged=base is not None and current is not None and current.pk != base.pk,
            released=held.pk,
            released_by=user.pk,
        )
        if current is None:
            _bump_linkers(space, page.namespace, page.title)
    now = timezone.now()
    held.state = HeldEdit.State.RELEASED
    held.decided_by, held.decided_at, held.reason = user, now, reason
    held.page, held.revision = page, revision
    held.save(update_fields=["state", "decided_by", "decided_at", "reason", "page", "revision"])
    recorder.record(
        actor=user,
        verb="edit:released",
        target=held,
        space=space,
        data={
            **_held_about(held),
            "reason": reason,
            "revision": revision.pk if revision else None,
        },
    )
    return held


@transaction.atomic
def held_edit_reject(*, user: Viewer, held: HeldEdit, reason: str = "") -> HeldEdit:
    """Keep a held edit out of the page for good: it stays, rejected, never current."""
    user = policy.require_person(user, "held.decide", held.space)
    if len(reason) > 500:
        raise Invalid(_("A reason may be at most 500 characters."), field="reason")
    held = _held_locked(held)
    held.state = HeldEdit.State.REJECTED
    held.decided_by, held.decided_at, held.reason = user, timezone.now(), reason
    held.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    recorder.record(
        actor=user,
        verb="edit:rejected",
        target=held,
        space=held.space,
        data={**_held_about(held), "reason": reason},
    )
    return held


def _saved_by(revision: Revision) -> dict[str, Any]:
    """Who saved `revision` and when, as an edit conflict names them (plain data for the API)."""
    author = revision.author
    return {
        "current_author": {
            "username": author.username if author is not None else "",
            "display_name": author.name if author is not None else revision.author_name,
        },
        "current_saved_at": revision.created_at.isoformat(),
    }


def _with_section(
    base_revision_id: int | None,
    current: Revision | None,
    section: int | str,
    section_title: str,
    text: str,
) -> str:
    """The whole text: the base revision's with `text` in place of (or added as) a section."""
    if base_revision_id is None:
        base_text, model = "", current.content_model if current else "markdown"
    else:
        base = Revision.objects.select_related("content").get(pk=base_revision_id)
        base_text, model = base.content.text, base.content_model
    if section == "new":
        return clean_text(append_section(base_text, model, section_title, text))
    if not isinstance(section, int):
        raise Invalid(
            _("The section must be a number: 0 for the text before the first heading."),
            field="section",
        )
    return clean_text(replace_section(base_text, model, section, text))


def _revision_of(page: Page, revision_id: int) -> Revision:
    revision = (
        Revision.objects.select_related("content", "parent__content", "author")
        .filter(page=page, pk=revision_id)
        .first()
    )
    if revision is None:
        raise NotFound(
            _("Revision %(revision)s is not a revision of this page.") % {"revision": revision_id}
        )
    return revision


@transaction.atomic
def revision_undo(
    *,
    user: Viewer,
    page: Page,
    revision_id: int,
    summary: str = "",
    after_revision_id: int | None = None,
    dry_run: bool = False,
) -> SaveResult:
    """Take one revision's change back out of the page, keeping every later edit.

    With `after_revision_id` (an older revision of the page, MediaWiki's `undoafter`), every
    change from just after that revision up to `revision_id` is taken out together. With
    `dry_run`, nothing is stored: the result (status "preview") carries the text the page
    would have and the summary, for the person to confirm.
    """
    user = policy.require_person(user, "page.edit", page)
    page = (Page.objects if dry_run else Page.objects.select_for_update()).get(pk=page.pk)
    revision = _revision_of(page, revision_id)
    current = page.current_revision
    assert current is not None
    if after_revision_id is not None and after_revision_id != revision.parent_id:
        after = _revision_of(page, after_revision_id)
        if after.pk >= revision.pk:
            raise Invalid(
                _("Revision %(after)s is not older than revision %(revision)s.")
                % {"after": after.pk, "revision": revision.pk},
                field="after_revision",
            )
        before = after.content.text
    else:
        before = revision.parent.content.text if revision.parent else ""
    result = undo(base=before, undone=revision.content.text, current=current.content.text)
    if result.conflicted:
        raise EditConflict(
            _(
                "Later edits changed the same part as revision %(revision)s; it cannot be "
                "undone automatically. Edit the page by hand."
            )
            % {"revision": revision.pk},
            yours=before,
            current=current.content.text,
            merged=result.text,
            current_revision=current.pk,
            **_saved_by(current),
        )
    if result.text == current.content.text:
        return SaveResult(page, None, "unchanged")
    author = revision.author.username if revision.author else revision.author_name
    summary = summary or f"Undo revision {revision.pk} by {author}"
    if dry_run:
        return SaveResult(page, None, "preview", text=result.text, summary=summary[:500])
    new = _store(page=page, user=user, text=result.text, summary=summary[:500], minor=False)
    event = _record_edit(user=user, page=page, revision=new, created=False, undid=revision.pk)
    return SaveResult(page, new, "saved", event)


@transaction.atomic
def revision_restore(
    *, user: Viewer, page: Page, revision_id: int, summary: str = "", dry_run: bool = False
) -> SaveResult:
    """Make an old revision's text the current one again (a new revision; history stays).

    With `dry_run`, nothing is stored: the result (status "preview") carries the text and the
    summary, for the person to confirm.
    """
    user = policy.require_person(user, "page.edit", page)
    page = (Page.objects if dry_run else Page.objects.select_for_update()).get(pk=page.pk)
    revision = _revision_of(page, revision_id)
    current = page.current_revision
    assert current is not None
    if current.content_id == revision.content_id:
        return SaveResult(page, None, "unchanged")
    summary = summary or f"Restore revision {revision.pk}"
    if dry_run:
        return SaveResult(page, None, "preview", text=revision.content.text, summary=summary[:500])
    new = _store(
        page=page, user=user, text=revision.content.text, summary=summary[:500], minor=False
    )
    event = _record_edit(user=user, page=page, revision=new, created=False, restored=revision.pk)
    return SaveResult(page, new, "saved", event)


@transaction.atomic
def page_rollback(
    *,
    user: Viewer,
    page: Page,
    editor: str | None = None,
    summary: str = "",
    bot: bool = False,
) -> SaveResult:
    """Revert the last editor's consecutive edits to the revision before them.

    `editor` names whose edits the person means to roll back (as they saw the page): if
    someone else edited since, nothing is rolled back (Conflict with reason "alreadyrolled"),
    so a rollback never reverts an edit its author did not see. With `bot`, the rollback is
    flagged as a bot change, hidden from recent changes unless bots are asked for.
    """
    user = policy.require_person(user, "page.rollback", page)
    if len(summary) > 500:
        raise Invalid(_("An edit summary may be at most 500 characters."), field="summary")
    page = Page.objects.select_for_update().get(pk=page.pk)
    current = page.current_revision
    assert current is not None
    name = current.author.username if current.author else current.author_name
    if editor is not None and editor.replace("_", " ").strip().lower() != name.lower():
        raise Conflict(
            _(
                "The last edit of this page is by %(name)s, not by %(editor)s; someone edited "
                "it since, or rolled it back already. Nothing was changed."
            )
            % {"name": name, "editor": editor},
            reason="alreadyrolled",
        )
    last_author = (current.author_id, current.author_name)
    target = current.parent
    reverted = [current.pk]
    while target is not None and (target.author_id, target.author_name) == last_author:
        reverted.append(target.pk)
        target = target.parent
    if target is None:
        raise Conflict(
            _("Every revision of this page is by the same person; nothing to roll back to."),
            reason="onlyauthor",
        )
    target_name = target.author.username if target.author else target.author_name
    new = _store(
        page=page,
        user=user,
        text=target.content.text,
        summary=summary or f"Reverted edits by {name} to last revision by {target_name}",
        minor=True,
    )
    extra: dict[str, Any] = {"rolled_back_to": target.pk, "reverted": reverted}
    if bot:
        extra["bot"] = True
    event = _record_edit(user=user, page=page, revision=new, created=False, **extra)
    return SaveResult(page, new, "saved", event)


#: The most subpages one move takes along (MediaWiki's limit too).
MAX_SUBPAGES_MOVED = 100
#: Namespaces whose pages have no subpages (a File: or Category: title's "/" is its own).
NO_SUBPAGES = {6, 14}


@dataclass
class RelatedMove:
    """A page that moved along with another (its talk page, a subpage), or why it did not."""

    kind: Literal["talk", "subpage", "talk-subpage"]
    old_title: str
    new_title: str
    page: Page | None = None
    error: str = ""


@transaction.atomic
def page_move(
    *,
    user: Viewer,
    page: Page,
    new_title: str,
    reason: str = "",
    leave_redirect: bool = True,
    move_talk: bool = False,
    move_subpages: bool = False,
) -> PageChange:
    """Rename a page (leaving a redirect at the old title unless asked not to), and with
    `move_talk` its talk page, with `move_subpages` its subpages (and its talk page's).

    Returns the page under its new title and its `page:moved` event (not the redirect's);
    `related` tells what moved along, each such move its own `page:moved` with its own
    permission check. One that cannot move (its new title is taken, the person may not move
    it) is told with its reason and leaves the others to move, as MediaWiki does.
    """
    space = page.space
    namespace, title = parse_title(space, new_title)
    old_namespace, old_title = page.namespace, page.title
    moved = _move_one(
        user=user,
        page=page,
        namespace=namespace,
        title=title,
        reason=reason,
        leave_redirect=leave_redirect,
    )
    plan: list[tuple[Literal["talk", "subpage", "talk-subpage"], Page, int, str]] = []
    if move_subpages and old_namespace not in NO_SUBPAGES and namespace not in NO_SUBPAGES:
        for sub in _subpages(space, old_namespace, old_title):
            plan.append(("subpage", sub, namespace, title + sub.title[len(old_title) :]))
    if move_talk and old_namespace % 2 == 0 and old_namespace >= 0 and namespace >= 0:
        talk = (
            Page.objects.filter(
                space=space, namespace=old_namespace + 1, title=old_title, is_deleted=False
            )
            .select_related("space")
            .first()
        )
        if talk is not None:
            plan.append(("talk", talk, namespace + 1, title))
        if move_subpages:
            for sub in _subpages(space, old_namespace + 1, old_title):
                plan.append(
                    ("talk-subpage", sub, namespace + 1, title + sub.title[len(old_title) :])
                )
    for kind, other, other_namespace, other_title in plan:
        related = RelatedMove(
            kind, title_text(other.namespace, other.title), title_text(other_namespace, other_title)
        )
        try:
            with transaction.atomic():
                related.page = _move_one(
                    user=user,
                    page=other,
                    namespace=other_namespace,
                    title=other_title,
                    reason=reason,
                    leave_redirect=leave_redirect,
                ).page
        except ActionError as error:
            related.error = error.detail
        moved.related.append(related)
    return moved


def _subpages(space: Space, namespace: int, title: str) -> list[Page]:
    return list(
        Page.objects.filter(
            space=space, namespace=namespace, title__startswith=title + "/", is_deleted=False
        )
        .select_related("space")
        .order_by("title")[:MAX_SUBPAGES_MOVED]
    )


def _move_one(
    *, user: Viewer, page: Page, namespace: int, title: str, reason: str, leave_redirect: bool
) -> PageChange:
    user = policy.require_person(user, "page.move", page)
    space = page.space
    page = Page.objects.select_for_update().get(pk=page.pk)
    if (namespace, title) == (page.namespace, page.title):
        raise Invalid(_("The new title is the same as the old one."), field="title")
    target = Page.objects.filter(space=space, namespace=namespace, title=title).first()
    if target is not None:
        raise Conflict(
            _(
                "A page called '%(title)s' already exists; "
                "choose another title or ask a steward to delete it first."
            )
            % {"title": title_text(namespace, title)},
            field="title",
        )
    old = (page.namespace, page.title)
    page.namespace, page.title = namespace, title
    page.save(update_fields=["namespace", "title"])
    index.page_changed(page)
    event = recorder.record(
        actor=user,
        verb="page:moved",
        target=page,
        space=space,
        data={
            "namespace": namespace,
            "title": title,
            "from": title_text(*old),
            "to": title_text(namespace, title),
            "reason": reason[:500],
            "redirect": leave_redirect,
        },
    )
    _bump_linkers(space, namespace, title)
    if leave_redirect:
        redirect = Page.objects.create(space=space, namespace=old[0], title=old[1])
        revision = _store(
            page=redirect,
            user=user,
            text=f"#REDIRECT [[{title_text(namespace, title)}]]\n",
            summary=f"Moved to [[{title_text(namespace, title)}]]",
            minor=False,
        )
        _record_edit(user=user, page=redirect, revision=revision, created=True)
    else:
        _bump_linkers(space, *old)
    return PageChange(page, event)


def _about(page: Page, reason: str | None = None) -> dict[str, Any]:
    """What every page event carries, so change lists need no lookup."""
    data: dict[str, Any] = {"namespace": page.namespace, "title": page.title}
    if reason is not None:
        data["reason"] = reason[:500]
    return data


@transaction.atomic
def page_delete(*, user: Viewer, page: Page, reason: str) -> PageChange:
    user = policy.require_person(user, "page.delete", page)
    if not reason.strip():
        raise Invalid(_("Give a reason; it goes on the public log."), field="reason")
    page = Page.objects.select_for_update().get(pk=page.pk)
    if page.is_deleted:
        raise Conflict(_("This page is already deleted."))
    page.is_deleted = True
    page.save(update_fields=["is_deleted"])
    index.page_removed(page)
    _update_links(page, "")
    _bump_linkers(page.space, page.namespace, page.title)
    event = recorder.record(
        actor=user, verb="page:deleted", target=page, space=page.space, data=_about(page, reason)
    )
    return PageChange(page, event)


@transaction.atomic
def page_restore(*, user: Viewer, page: Page, reason: str) -> PageChange:
    user = policy.require_person(user, "page.delete", page)
    if not reason.strip():
        raise Invalid(_("Give a reason; it goes on the public log."), field="reason")
    page = Page.objects.select_for_update().get(pk=page.pk)
    if not page.is_deleted:
        raise Conflict(_("This page is not deleted."))
    page.is_deleted = False
    page.save(update_fields=["is_deleted"])
    index.page_changed(page)
    if page.current_revision is not None:
        _update_links(page, page.current_revision.content.text)
    _bump_linkers(page.space, page.namespace, page.title)
    event = recorder.record(
        actor=user, verb="page:restored", target=page, space=page.space, data=_about(page, reason)
    )
    return PageChange(page, event)


_SAME: Any = object()


def _check_level(field: str, value: str) -> None:
    if value not in ProtectionLevel.values:
        raise Invalid(
            _("Protection must be one of %(choices)s.")
            % {"choices": ", ".join(ProtectionLevel.values)},
            field=field,
        )


def _check_expiry(field: str, expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid(_("The expiry must be in the future (or none, for no expiry)."), field=field)


def _iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def page_protect(
    *,
    user: Viewer,
    page: Page,
    edit: str,
    move: str,
    expires_at: datetime | None,
    reason: str,
    move_expires_at: datetime | None = _SAME,
    cascade: bool = False,
) -> PageChange:
    """Set who may edit and move a page, each until its expiry (None: no expiry; the move
    protection expires with the edit protection unless given its own). `cascade` extends the
    edit protection to the pages this one transcludes; it needs an edit level above `anyone`."""
    user = policy.require_person(user, "page.protect", page)
    if move_expires_at is _SAME:
        move_expires_at = expires_at
    _check_level("edit", edit)
    _check_level("move", move)
    _check_expiry("expires_at", expires_at)
    _check_expiry("move_expires_at", move_expires_at)
    if edit == ProtectionLevel.ANYONE:
        expires_at, cascade = None, False
    if move == ProtectionLevel.ANYONE:
        move_expires_at = None
    page = Page.objects.select_for_update().get(pk=page.pk)
    old = {
        "edit": page.edit_protection,
        "move": page.move_protection,
        "expires_at": _iso_or_none(page.protection_expires_at),
        "move_expires_at": _iso_or_none(page.move_protection_expires_at),
        "cascade": page.is_cascading,
    }
    page.edit_protection, page.move_protection = edit, move
    page.protection_expires_at = expires_at
    page.move_protection_expires_at = move_expires_at
    page.is_cascading = cascade
    page.save(
        update_fields=[
            "edit_protection",
            "move_protection",
            "protection_expires_at",
            "move_protection_expires_at",
            "is_cascading",
        ]
    )
    page.space.__dict__.pop("_cascading_pages", None)
    new = {
        "edit": edit,
        "move": move,
        "expires_at": _iso_or_none(expires_at),
        "move_expires_at": _iso_or_none(move_expires_at),
        "cascade": cascade,
    }
    event = recorder.record(
        actor=user,
        verb="page:protected",
        target=page,
        space=page.space,
        data={
            **_about(page, reason),
            **{key: {"old": old[key], "new": new[key]} for key in new if old[key] != new[key]},
            # What stands after the change, so the log shows it without replaying history.
            "now": new,
        },
    )
    return PageChange(page, event)


@dataclass(frozen=True)
class TitleProtectionChange:
    protection: TitleProtection | None
    event: Event


@transaction.atomic
def title_protect(
    *,
    user: Viewer,
    space: Space,
    title: str,
    level: str,
    expires_at: datetime | None,
    reason: str,
) -> TitleProtectionChange:
    """Reserve a title no page holds for those at `level` (`anyone` lifts the reservation).
    The page, once created, is an ordinary page; the protection goes with the creation."""
    policy.require(user, "space.view", space)
    namespace, bare = parse_title(space, title)
    probe = Page(space=space, namespace=namespace, title=bare)
    user = policy.require_person(user, "page.protect", probe)
    _check_level("create", level)
    _check_expiry("expires_at", expires_at)
    if Page.objects.filter(space=space, namespace=namespace, title=bare, is_deleted=False).exists():
        raise Conflict(_("A page with this title exists; protect the page instead."))
    existing = (
        TitleProtection.objects.select_for_update()
        .filter(space=space, namespace=namespace, title=bare)
        .first()
    )
    old_level = existing.level if existing else ProtectionLevel.ANYONE
    protection: TitleProtection | None = None
    if level == ProtectionLevel.ANYONE:
        if existing is not None:
            existing.delete()
    else:
        protection, _created = TitleProtection.objects.update_or_create(
            space=space,
            namespace=namespace,
            title=bare,
            defaults={
                "level": level,
                "expires_at": expires_at,
                "protected_by": user,
                "reason": reason.strip()[:500],
            },
        )
    event = recorder.record(
        actor=user,
        verb="title:protected",
        target=space,
        space=space,
        data={
            **_about(probe, reason),
            "create": {"old": old_level, "new": level},
            "expires_at": _iso_or_none(expires_at),
        },
    )
    return TitleProtectionChange(protection, event)


@transaction.atomic
def revision_review(*, user: Viewer, revision: Revision) -> Revision:
    """Mark a revision reviewed (patrolled). The only change a revision row ever takes."""
    user = policy.require_person(user, "revision.patrol", revision)
    revision = (
        Revision.objects.select_for_update(of=("self",))
        .select_related("page__space")
        .get(pk=revision.pk)
    )
    if revision.is_reviewed:
        return revision
    revision.is_reviewed = True
    revision.reviewed_by = user
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["is_reviewed", "reviewed_by", "reviewed_at"])
    recorder.record(
        actor=user,
        verb="revision:reviewed",
        target=revision.page,
        space=revision.page.space,
        data={**_about(revision.page), "revision": revision.pk},
    )
    return revision


@dataclass(frozen=True)
class ImportSource:
    """Who an imported revision was on the wiki it comes from: that wiki, its revision id
    there and its parent's, the dump's `<sha1>` as written, and the contributor's id there."""

    wiki: str
    revision_id: int | None = None
    parent_id: int | None = None
    sha1: str | None = None
    author_id: int | None = None
    author_is_ip: bool = False


def _sha1_from_dump(value: str) -> str | None:
    """The hex digest a dump's base-36 `<sha1>` stands for; None when it is no such value."""
    digits = value.strip().lower()
    if not digits or len(digits) > 31 or not digits.isalnum() or not digits.isascii():
        return None
    number = int(digits, 36)
    return format(number, "040x") if number < 1 << 160 else None


def _bump_revision_ids(at_least: int) -> None:
    """PostgreSQL's id sequence does not see ids written explicitly: move it past them, so the
    next edit anyone saves does not collide. (SQLite's AUTOINCREMENT follows by itself.)"""
    if connection.vendor != "postgresql":
        return
    table = Revision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(seq, GREATEST(%s, COALESCE(pg_sequence_last_value(seq), 0))) "
            "FROM (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) AS s",
            [at_least, table],
        )


class PageImport:
    """Appends one page's revisions from another wiki's dump, inside the caller's transaction.

    The permission (stewards import: `space.update`), the title and the page's row lock are
    settled once per page, the page row is written once and what derives from the text (links,
    categories, search) is refreshed once, in `finish()`: a dump holds many revisions per page,
    and doing that work per revision made imports several times slower. Imported history counts
    as reviewed. The caller records the activity event (one per imported page).

    A revision is known by its source (wiki, revision id), recorded in `ImportedRevision`: one
    already imported into the space is not stored again, so a re-run adds nothing and a resumed
    import picks up where it stopped, while a revert in the same second as the revision it
    restores is kept. The dump's revision id becomes the revision's id when it is free and
    keeps the page's history in order (as MediaWiki keeps them on an empty wiki); else the
    revision gets the next id and the mapping answers for the old one.
    """

    def __init__(self, *, user: Viewer, space: Space, title: str, own_dump: bool = False) -> None:
        policy.require_person(user, "space.update", space)
        self.space = space
        #: The dump is this space's own export: its revision ids are this space's ids.
        self.own_dump = own_dump
        self.namespace, self.title = parse_title(space, title)
        self.page: Page | None = None
        self.created = False
        self.last: Revision | None = None
        #: The source id of `last` when this import wrote it (the usual parent of the next).
        self.last_source_id: int | None = None
        self.appended = 0

    def imported(self, source: ImportSource) -> Revision | None:
        """The revision already imported into the space from `source`, if any."""
        if source.revision_id is None:
            return None
        if self.own_dump:
            own = Revision.objects.filter(pk=source.revision_id, page__space=self.space).first()
            if own is not None:
                return own
        record = (
            ImportedRevision.objects.filter(
                space=self.space, source_wiki=source.wiki, source_id=source.revision_id
            )
            .select_related("revision")
            .first()
        )
        return record.revision if record is not None else None

    def _parent(self, source: ImportSource | None) -> Revision | None:
        """The dump's parent when it was imported (histories merged on the source wiki have
        parents out of order); else the revision before this one in the page."""
        if source is not None and source.parent_id and source.parent_id != self.last_source_id:
            parent = self.imported(ImportSource(wiki=source.wiki, revision_id=source.parent_id))
            if parent is not None:
                return parent
        return self.last

    def _free_id(self, wanted: int | None) -> int | None:
        """`wanted` when no revision holds it and it comes after the page's last revision."""
        if wanted is None or wanted <= 0 or wanted >= 1 << 63:
            return None
        if self.last is not None and wanted <= self.last.pk:
            return None
        _bump_revision_ids(wanted)
        if Revision.objects.filter(pk=wanted).exists():
            return None
        return wanted

    def append(
        self,
        *,
        text: str,
        created_at: datetime,
        author_name: str,
        author: Any,
        summary: str,
        minor: bool,
        content_model: str,
        source: ImportSource | None = None,
    ) -> Revision:
        """Store `text` as the page's next revision, byte for byte. `author` is the account the
        dump's contributor maps to, or None for an imported identity `author_name`. A dump's
        `<sha1>` that is not the text's is kept in `source_sha1`, never a reason to refuse."""
        if content_model not in ("markdown", "wikitext"):
            raise Invalid(
                _("Content model '%(model)s' cannot be imported; use markdown or wikitext.")
                % {"model": content_model},
                field="content_model",
            )
        data = text.encode()
        if len(data) > MAX_TEXT_BYTES:
            raise Invalid(
                _("A page may hold at most 2 MB of text; split it into pages."), field="text"
            )
        if self.page is None:
            self.page, self.created = _lock_or_create(self.space, self.namespace, self.title)
            self.last = self.page.current_revision
        content = _content_for(text)
        given_sha1 = source.sha1 if source is not None else None
        source_sha1 = None
        if given_sha1 and _sha1_from_dump(given_sha1) != content.sha1:
            source_sha1 = given_sha1[:64]
        author = author if policy.signed_in(author) else None
        parent = self._parent(source)
        fields: dict[str, Any] = {}
        wanted = self._free_id(source.revision_id if source is not None else None)
        if wanted is not None:
            fields["id"] = wanted
        revision = Revision.objects.create(
            page=self.page,
            parent=parent,
            content=content,
            content_model=content_model,
            author=author,
            author_name=author_name or (author.username if author else ""),
            author_source_id=source.author_id if source is not None else None,
            author_is_ip=source.author_is_ip if source is not None else False,
            created_at=created_at,
            summary=summary[:500],
            is_minor=minor,
            size=content.size,
            size_delta=content.size - (parent.size if parent else 0),
            sha1=content.sha1,
            source_sha1=source_sha1,
            is_reviewed=True,
            reviewed_at=created_at,
            **fields,
        )
        if source is not None and source.revision_id is not None:
            ImportedRevision.objects.create(
                space=self.space,
                revision=revision,
                source_wiki=source.wiki,
                source_id=source.revision_id,
            )
        revision.content = content
        # Each revision would otherwise hold its parent, and so the page's whole history with
        # every text: one long history would fill the memory.
        revision._state.fields_cache.pop("parent", None)
        self.last = revision
        self.last_source_id = source.revision_id if source is not None else None
        self.appended += 1
        return revision

    def finish(self) -> Page | None:
        """Point the page at its last revision and refresh what derives from its text."""
        if self.page is None or self.last is None or not self.appended:
            return self.page
        text = self.last.content.text
        self.page.current_revision = self.last
        self.page.touched_at = self.last.created_at
        self.page.is_redirect = bool(REDIRECT_RE.match(text))
        self.page.save(update_fields=["current_revision", "touched_at", "is_redirect"])
        page_refresh_derived(self.page, text)
        if self.created:
            _bump_linkers(self.space, self.namespace, self.title)
        return self.page


# ------------------------------------------------------------------------------ change tags

TAG_NAME_RE = re.compile(r"^[^,|/\x00-\x1f\x7f]{1,255}$")


def _tag_about(tag: Tag, reason: str) -> dict[str, Any]:
    return {"tag": tag.name, "reason": reason[:500]}


@transaction.atomic
def tag_create(
    *, user: Viewer, space: Space, name: str, description: str = "", reason: str = ""
) -> Tag:
    """Define a change tag in the space (stewards)."""
    user = policy.require_person(user, "tag.manage", space)
    name = name.strip()
    if not TAG_NAME_RE.match(name):
        raise Invalid(
            _("A tag name has 1 to 255 characters and no commas, pipes or slashes."), field="name"
        )
    if len(description) > 500:
        raise Invalid(_("A description may be at most 500 characters."), field="description")
    tag, created = Tag.objects.get_or_create(
        space=space, name=name, defaults={"description": description}
    )
    if not created:
        raise Conflict(
            _("A tag called '%(name)s' already exists.") % {"name": name}, reason="exists"
        )
    recorder.record(
        actor=user, verb="tag:created", target=tag, space=space, data=_tag_about(tag, reason)
    )
    return tag


@transaction.atomic
def tag_set_active(*, user: Viewer, tag: Tag, active: bool, reason: str = "") -> Tag:
    """Let a tag be added again (active) or no longer (inactive); where it is stays."""
    user = policy.require_person(user, "tag.manage", tag.space)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    if tag.is_active == active:
        raise Conflict(
            (
                _("The tag '%(name)s' is already active.")
                if active
                else _("The tag '%(name)s' is already inactive.")
            )
            % {"name": tag.name},
            reason="already",
        )
    tag.is_active = active
    tag.save(update_fields=["is_active"])
    recorder.record(
        actor=user,
        verb="tag:activated" if active else "tag:deactivated",
        target=tag,
        space=tag.space,
        data=_tag_about(tag, reason),
    )
    return tag


@transaction.atomic
def tag_delete(*, user: Viewer, tag: Tag, reason: str = "") -> int:
    """Delete a tag and take it off everything it marks; returns how many it marked."""
    user = policy.require_person(user, "tag.manage", tag.space)
    tag = Tag.objects.select_for_update().get(pk=tag.pk)
    hits = tag.applications.count()
    recorder.record(
        actor=user,
        verb="tag:deleted",
        target=tag,
        space=tag.space,
        data={**_tag_about(tag, reason), "hits": hits},
    )
    tag.delete()
    return hits


@dataclass(frozen=True)
class TagsChange:
    """What `change_tags_update` did: the tags added and removed, and the tags now there."""

    added: list[str]
    removed: list[str]
    tags: list[str]
    event: Event | None


@transaction.atomic
def change_tags_update(
    *,
    user: Viewer,
    space: Space,
    revision: Revision | None = None,
    event: Event | None = None,
    add: list[str],
    remove: list[str],
    reason: str = "",
) -> TagsChange:
    """Add and remove change tags on one revision or one log entry of the space.

    Only active tags may be added; any tag may be removed. Adding a tag that is there, or
    removing one that is not, changes nothing; one event records what did change.
    """
    user = policy.require_person(user, "tag.apply", space)
    if (revision is None) == (event is None):
        raise Invalid(_("Tag either a revision or a log entry."), field="target")
    if len(reason) > 500:
        raise Invalid(_("A reason may be at most 500 characters."), field="reason")
    wanted = set(add) | set(remove)
    if set(add) & set(remove):
        raise Invalid(_("A tag cannot be both added and removed."), field="add")
    defined = {tag.name: tag for tag in Tag.objects.filter(space=space, name__in=wanted)}
    unknown = sorted(name for name in wanted if name not in defined)
    if unknown:
        raise Invalid(
            _("No such tag in this space: %(names)s.") % {"names": ", ".join(unknown)},
            field="add" if unknown[0] in add else "remove",
            reason="notdefined",
        )
    inactive = sorted(name for name in add if not defined[name].is_active)
    if inactive:
        raise Invalid(
            _("These tags are inactive and may not be added: %(names)s.")
            % {"names": ", ".join(inactive)},
            field="add",
            reason="inactive",
        )
    on = {"revision": revision} if revision is not None else {"event": event}
    applied = TagApplication.objects.filter(tag__space=space, **on)
    present = set(applied.values_list("tag__name", flat=True))
    added = [name for name in add if name not in present]
    removed = [name for name in remove if name in present]
    TagApplication.objects.bulk_create(
        [TagApplication(tag=defined[name], added_by=user, **on) for name in added],
        ignore_conflicts=True,
    )
    applied.filter(tag__name__in=removed).delete()
    recorded = None
    if added or removed:
        if revision is not None:
            page = revision.page
            data = {**_about(page, reason), "revision": revision.pk}
            target: Any = page
        else:
            assert event is not None
            data = {"reason": reason[:500], "log_entry": event.pk}
            data.update(
                {
                    key: event.data[key]
                    for key in ("namespace", "title")
                    if key in (event.data or {})
                }
            )
            target = event
        recorded = recorder.record(
            actor=user,
            verb="change:tagged",
            target=target,
            space=space,
            data={**data, "added": added, "removed": removed},
        )
    now = sorted(
        TagApplication.objects.filter(tag__space=space, **on).values_list("tag__name", flat=True)
    )
    return TagsChange(added, removed, now, recorded)
