"""The knowledge commons: pages, their immutable revisions, and the links between them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProtectionLevel(models.TextChoices):
    ANYONE = "anyone", _("anyone who may contribute")
    AUTOCONFIRMED = "autoconfirmed", _("autoconfirmed people")
    MEMBERS = "members", _("members")
    STEWARDS = "stewards", _("stewards")


class Content(models.Model):
    """A text stored once however many revisions share it, keyed by its SHA-1 like rev_sha1."""

    sha1 = models.CharField(max_length=40, unique=True)
    text = models.TextField(blank=True)
    size = models.PositiveIntegerField(help_text="UTF-8 bytes")

    def __str__(self) -> str:
        return self.sha1


class Page(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="pages")
    namespace = models.IntegerField(default=0)
    title = models.CharField(max_length=255)
    current_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_redirect = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    edit_protection = models.CharField(
        max_length=15, choices=ProtectionLevel.choices, default=ProtectionLevel.ANYONE
    )
    move_protection = models.CharField(
        max_length=15, choices=ProtectionLevel.choices, default=ProtectionLevel.ANYONE
    )
    #: When the edit protection lifts (None: never); the move protection has its own.
    protection_expires_at = models.DateTimeField(null=True, blank=True)
    move_protection_expires_at = models.DateTimeField(null=True, blank=True)
    #: MediaWiki's cascading protection: the pages this one transcludes are edit-protected at
    #: its edit level too, for as long as its edit protection stands.
    is_cascading = models.BooleanField(default=False)
    #: Bumped when a page this one links to appears or goes, so cached red links refresh.
    render_epoch = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    touched_at = models.DateTimeField(auto_now_add=True)

    #: the people watching it (one `activity.Watch` table for every watchable model).
    watches = GenericRelation("activity.Watch", related_query_name="page")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "namespace", "title"], name="wiki_page_one_per_title"
            ),
            models.CheckConstraint(
                condition=Q(namespace__gte=0), name="wiki_page_namespace_not_negative"
            ),
        ]
        indexes = [
            models.Index(
                fields=["space", "is_deleted", "namespace", "title"], name="wiki_page_listing_idx"
            )
        ]

    def __str__(self) -> str:
        from .titles import title_text

        return title_text(self.namespace, self.title)


class TitleProtection(models.Model):
    """A title no page holds yet that only some may create (MediaWiki's `create=` protection).
    It ends when it expires, when it is lifted, or when the page is created."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    namespace = models.IntegerField(default=0)
    title = models.CharField(max_length=255)
    level = models.CharField(max_length=15, choices=ProtectionLevel.choices)
    expires_at = models.DateTimeField(null=True, blank=True)
    protected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "namespace", "title"], name="wiki_title_protection_once"
            ),
        ]

    def __str__(self) -> str:
        return f"create protection of {self.namespace}:{self.title}"


class Revision(models.Model):
    """One saved state of a page. Never changed after it is written, except its review mark."""

    page = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="revisions")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.ForeignKey(Content, on_delete=models.PROTECT, related_name="+")
    content_model = models.CharField(max_length=20, default="markdown")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
    )
    #: Who wrote it when no account did (imported identities).
    author_name = models.CharField(max_length=255, blank=True)
    #: An imported contributor's user id on the wiki the dump came from (None: not registered
    #: there, or not imported); `author_is_ip` marks a dump's `<ip>` contributor, whatever it
    #: holds, so it goes back out as it came.
    author_source_id = models.BigIntegerField(null=True, blank=True)
    author_is_ip = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    summary = models.CharField(max_length=500, blank=True)
    is_minor = models.BooleanField(default=False)
    size = models.PositiveIntegerField()
    size_delta = models.IntegerField()
    sha1 = models.CharField(max_length=40)
    #: The `<sha1>` an imported dump gave when it is not the base-36 SHA-1 of the text, as
    #: written there; `sha1` is always the text's own (docs/decisions/0023).
    source_sha1 = models.CharField(max_length=64, null=True, blank=True)
    is_reviewed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["page", "-id"], name="wiki_revision_history_idx"),
            models.Index(fields=["author", "-id"], name="wiki_revision_author_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_model__in=["markdown", "wikitext"]),
                name="wiki_revision_content_model_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"revision {self.pk} of {self.page}"


class ImportedRevision(models.Model):
    """Where an imported revision came from: its wiki and its id there. An import is resumed
    and re-run by this identity, never by (time, text), so a revert in the same second as the
    revision it restores is kept; `revids=` finds a revision by its old id through it."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="imported")
    #: The dump's <siteinfo><dbname>, else its <base> URL, else its <sitename>.
    source_wiki = models.CharField(max_length=255, blank=True)
    source_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["space", "source_wiki", "source_id"], name="wiki_imported_revision_once"
            ),
        ]
        indexes = [models.Index(fields=["space", "source_id"], name="wiki_imported_source_idx")]

    def __str__(self) -> str:
        return f"{self.source_wiki}#{self.source_id} -> {self.revision_id}"


class RenderedRevision(models.Model):
    """The HTML of a revision, cached; valid while the page's render_epoch is unchanged."""

    revision = models.OneToOneField(Revision, on_delete=models.CASCADE, related_name="rendered")
    epoch = models.PositiveIntegerField()
    html = models.TextField()

    def __str__(self) -> str:
        return f"html of {self.revision_id}"


class Link(models.Model):
    """One [[link]] from the current revision of a page: what links here, wanted pages."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    from_page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="links_out")
    namespace = models.IntegerField()
    title = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_page", "namespace", "title"], name="wiki_link_once_per_target"
            ),
        ]
        indexes = [models.Index(fields=["space", "namespace", "title"], name="wiki_link_to_idx")]

    def __str__(self) -> str:
        return f"{self.from_page_id} -> {self.namespace}:{self.title}"


class ExternalLink(models.Model):
    """One external address (http://..., ssh://...) in the current revision of a page, kept on
    every save as `Link` is: MediaWiki's `prop=extlinks` and `list=exturlusage` read it."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    from_page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="external_links")
    url = models.CharField(max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_page", "url"], name="wiki_extlink_once"),
        ]

    def __str__(self) -> str:
        return f"{self.from_page_id} -> {self.url}"


class Transclusion(models.Model):
    """One page a wikitext page's current revision includes (a template, MediaWiki's
    templatelinks), directly or through another: when it changes, the page re-renders."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    from_page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="transclusions")
    namespace = models.IntegerField()
    title = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_page", "namespace", "title"], name="wiki_transclusion_once"
            ),
        ]
        indexes = [
            models.Index(fields=["space", "namespace", "title"], name="wiki_transclusion_to_idx")
        ]

    def __str__(self) -> str:
        return f"{self.from_page_id} includes {self.namespace}:{self.title}"


class Categorization(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="categorizations")
    category = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "category"], name="wiki_category_once"),
        ]
        indexes = [models.Index(fields=["space", "category"], name="wiki_category_idx")]

    def __str__(self) -> str:
        return f"{self.page_id} in {self.category}"


class Tag(models.Model):
    """A change tag, as MediaWiki's: a label a space's stewards define, which people and tools
    put on revisions and log entries (say, "possible vandalism" or "made with a bot")."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=255)
    description = models.CharField(max_length=500, blank=True)
    #: An inactive tag stays on what it marks and may be removed, but not added again.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["space", "name"], name="wiki_tag_one_per_name"),
            models.CheckConstraint(condition=~Q(name=""), name="wiki_tag_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class TagApplication(models.Model):
    """One tag on one revision or one log entry (an activity event)."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="applications")
    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, null=True, blank=True, related_name="tag_applications"
    )
    event = models.ForeignKey(
        "activity.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(revision__isnull=False, event__isnull=True)
                | Q(revision__isnull=True, event__isnull=False),
                name="wiki_tagapplication_one_target",
            ),
            models.UniqueConstraint(
                fields=["tag", "revision"],
                condition=Q(revision__isnull=False),
                name="wiki_tagapplication_once_per_revision",
            ),
            models.UniqueConstraint(
                fields=["tag", "event"],
                condition=Q(event__isnull=False),
                name="wiki_tagapplication_once_per_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on {self.revision_id or self.event_id}"


class HeldEdit(models.Model):
    """An edit a screen held for review ("pending changes"): stored, but not the page's text.

    Readers keep seeing the page's current revision; a patroller releases it (it is saved as
    the page's next revision, merged three ways if the page changed since) or rejects it (it
    stays here, rejected, and never becomes current). It lives in its own table rather than
    among the revisions, so nothing that reads revisions (the MediaWiki API, the dumps,
    authorship, credit) can serve it as the page's text (docs/decisions/0059).
    """

    class State(models.TextChoices):
        HELD = "held", _("waiting for review")
        RELEASED = "released", _("released")
        REJECTED = "rejected", _("rejected")

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    #: None while a held new page does not exist yet.
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="held_edits"
    )
    namespace = models.IntegerField(default=0)
    title = models.CharField(max_length=255)
    #: The page's current revision when the edit was held: the base of a later merge.
    base_revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.ForeignKey(Content, on_delete=models.PROTECT, related_name="+")
    content_model = models.CharField(max_length=20, default="markdown")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="held_edits"
    )
    summary = models.CharField(max_length=500, blank=True)
    is_minor = models.BooleanField(default=False)
    size_delta = models.IntegerField(default=0)
    #: The screens' findings (`Verdict.as_log()`): why it was held, with any risk score.
    findings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    #: The revision a release saved (None: not released, or the text was already the page's).
    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, null=True, blank=True, related_name="held_edit"
    )

    class Meta:
        indexes = [
            models.Index(fields=["space", "state", "-id"], name="wiki_held_queue_idx"),
            models.Index(fields=["page", "-id"], name="wiki_held_page_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="held", decided_at__isnull=True)
                | (~Q(state="held") & Q(decided_at__isnull=False)),
                name="wiki_held_decided_when_not_held",
            ),
        ]

    def __str__(self) -> str:
        return f"held edit {self.pk} of {self.namespace}:{self.title} ({self.state})"

    @property
    def risk(self) -> dict | None:
        """The risk screen's finding, if it scored this edit."""
        return next((f for f in self.findings if f.get("screen") == "risk"), None)

    @property
    def reasons(self) -> list[str]:
        return [f["reason"] for f in self.findings if f.get("action") != "publish" and f["reason"]]
