"""Who may read and change pages. The table is docs/permissions.md."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from peerwork.core import policy
from peerwork.core.policy import can, rule, scope, signed_in
from peerwork.reputation.privileges import has_privilege
from peerwork.spaces.models import Space
from peerwork.spaces.policy import spaces_with_role
from peerwork.spaces.selectors import space_role

from .models import Page, ProtectionLevel, Revision, TitleProtection
from .transclusion import transcluded_titles


def protection_lapsed(expires: Any) -> bool:
    """Whether a protection (or block) with this expiry has ended: None never lapses."""
    return expires is not None and expires <= timezone.now()


def effective_protection(page: Page, kind: str = "edit") -> str:
    """The level that applies now: an expired protection no longer applies, whoever lifts it."""
    if kind == "edit":
        level, expires = page.edit_protection, page.protection_expires_at
    else:
        level, expires = page.move_protection, page.move_protection_expires_at
    if protection_lapsed(expires):
        return ProtectionLevel.ANYONE
    return level


_RANK = {level: rank for rank, level in enumerate(ProtectionLevel.values)}


def cascading_sources(page: Page) -> list[Page]:
    """The cascade-protected pages of the space whose current text transcludes `page`.

    Read once per space object and request (a space holds few cascading pages), so checking
    many pages costs one query."""
    space = page.space
    cached = space.__dict__.get("_cascading_pages")
    if cached is None:
        cached = []
        for source in Page.objects.filter(
            space=space, is_cascading=True, is_deleted=False
        ).select_related("current_revision__content"):
            if source.current_revision is None:
                continue
            used = transcluded_titles(space, source.current_revision.content.text)
            cached.append((source, used))
        space.__dict__["_cascading_pages"] = cached
    key = (page.namespace, page.title)
    return [
        source
        for source, used in cached
        if key in used and source.pk != page.pk and effective_protection(source) != "anyone"
    ]


def cascaded_protection(page: Page) -> str:
    """The strictest edit level that cascades onto `page` from pages that transclude it."""
    levels = [effective_protection(source) for source in cascading_sources(page)]
    return max(levels, key=lambda level: _RANK[level], default=ProtectionLevel.ANYONE)


def _meets(user: Any, page: Page, level: str) -> bool:
    if level == ProtectionLevel.ANYONE:
        return True
    if level == ProtectionLevel.AUTOCONFIRMED:
        return has_privilege(user, page.space, "autoconfirmed")
    if level == ProtectionLevel.MEMBERS:
        return space_role(user, page.space) is not None or has_privilege(
            user, page.space, "edit_protected"
        )
    return space_role(user, page.space) == "steward"


#: What anyone who may read the space sees of its pages: all but deleted ones.
STANDING = Q(is_deleted=False)


def standing(pages: QuerySet[Page]) -> QuerySet[Page]:
    """The pages anyone who may read their space sees (the dumps carry these)."""
    return pages.filter(STANDING)


def is_standing(page: Page) -> bool:
    """`STANDING` for one page already in hand (kept beside it so the two cannot drift)."""
    return not page.is_deleted


@rule("page.view", conceals=True)
def can_view_page(user: Any, page: Page) -> bool:
    if not can(user, "space.view", page.space):
        return False
    return is_standing(page) or has_privilege(user, page.space, "delete")


@scope("page.view")
def pages_viewable(user: Any, pages: QuerySet[Page]) -> QuerySet[Page]:
    """The "delete" privilege is a steward's (site administrators pass in `filter`)."""
    seen = STANDING
    if signed_in(user):
        seen |= Q(space__in=spaces_with_role(user, "steward"))
    return pages.filter(seen, space__in=policy.filter(user, "space.view", Space.objects.all()))


@rule("page.create", visible_via="space.view")
def can_create_page(user: Any, space: Any) -> bool:
    return can(user, "space.contribute", space)


@rule("title.create")
def can_create_protected_title(user: Any, protection: TitleProtection) -> bool:
    """Creating a title under `create=` protection: the level, while it has not expired."""
    if not can(user, "page.create", protection.space):
        return False
    if protection_lapsed(protection.expires_at):
        return True
    probe = Page(space=protection.space, namespace=protection.namespace, title=protection.title)
    return _meets(user, probe, protection.level)


@rule("page.edit", visible_via="page.view")
def can_edit_page(user: Any, page: Page) -> bool:
    return (
        not page.is_deleted
        and can(user, "space.contribute", page.space)
        and _meets(user, page, effective_protection(page, "edit"))
        and _meets(user, page, cascaded_protection(page))
    )


@rule("page.move", visible_via="page.view")
def can_move_page(user: Any, page: Page) -> bool:
    return (
        can_edit_page(user, page)
        and has_privilege(user, page.space, "autoconfirmed")
        and _meets(user, page, effective_protection(page, "move"))
    )


@rule("page.delete", visible_via="page.view")
def can_delete_page(user: Any, page: Page) -> bool:
    return has_privilege(user, page.space, "delete")


@rule("page.protect", visible_via="page.view")
def can_protect_page(user: Any, page: Page) -> bool:
    return has_privilege(user, page.space, "protect")


@rule("page.rollback", visible_via="page.view")
def can_rollback_page(user: Any, page: Page) -> bool:
    return can_edit_page(user, page) and has_privilege(user, page.space, "rollback")


@rule("page.autopatrol", visible_via="page.view")
def can_autopatrol_page(user: Any, page: Page) -> bool:
    """Whose edits count as reviewed as they are saved."""
    return has_privilege(user, page.space, "autopatrol")


@rule("page.watch", visible_via="page.view", admin_passes=False)
def can_watch_page(user: Any, page: Page) -> bool:
    return signed_in(user)


@rule("revision.view", conceals=True)
def can_view_revision(user: Any, revision: Revision) -> bool:
    return can(user, "page.view", revision.page)


@scope("revision.view")
def revisions_viewable(user: Any, revisions: QuerySet[Revision]) -> QuerySet[Revision]:
    return revisions.filter(page__in=policy.filter(user, "page.view", Page.objects.all()))


@rule("revision.patrol", visible_via="revision.view")
def can_patrol_revision(user: Any, revision: Revision) -> bool:
    return has_privilege(user, revision.page.space, "patrol")


@rule("tag.manage", visible_via="space.view")
def can_manage_tags(user: Any, space: Space) -> bool:
    """Defining, deleting and (de)activating change tags: MediaWiki gives it to sysops."""
    return signed_in(user) and space_role(user, space) == "steward"


@rule("tag.apply", visible_via="space.view")
def can_apply_tags(user: Any, space: Space) -> bool:
    """Putting tags on revisions and log entries: whoever may contribute (MediaWiki's
    `changetags` right, which every user holds)."""
    return can(user, "space.contribute", space)


@rule("held.decide", visible_via="space.view")
def can_decide_held_edits(user: Any, space: Space) -> bool:
    """Seeing the queue of held edits and releasing or rejecting them: patrollers (the
    `patrol` privilege: stewards, or earned by reputation), as MediaWiki's reviewers."""
    return signed_in(user) and has_privilege(user, space, "patrol")
