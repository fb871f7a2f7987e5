"""Forms of the wiki pages: they read the typed text, the actions judge it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from peerwork.accounts.forms import Form

from .models import ProtectionLevel
from .titles import NAMESPACES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What the actions accept (peerwork.wiki.actions.MAX_TEXT_BYTES) with room for CRLF line ends.
MAX_TEXT_CHARS = 4 * 1024 * 1024


class EditForm(Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true", "class": "code"}),
    )
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    #: The section being edited (MediaWiki's numbering); empty for the whole page.
    section = forms.IntegerField(
        required=False, min_value=0, max_value=100_000, widget=forms.HiddenInput
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=500,
        help_text=_("Briefly describe what you changed."),
    )
    minor = forms.BooleanField(label=_("This is a minor edit"), required=False)
    #: After an edit conflict, the text the person had tried to save: carried along with the
    #: form (shown, read-only) so it survives a preview, an error or a second conflict.
    yours = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)
    #: The revision this edit undoes or restores, when it began as a proposed undo or restore.
    undid = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    restored = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    #: The person read a screen's warning about this edit and saves it anyway.
    confirm = forms.BooleanField(
        label=_("Save anyway: I have read the warning above"), required=False
    )


class PreviewForm(Form):
    title = forms.CharField(max_length=600)
    text = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)


class SummaryForm(Form):
    summary = forms.CharField(label=_("Summary"), required=False, max_length=500)


class WatchForm(Form):
    watch = forms.TypedChoiceField(
        choices=[("1", _("Watch")), ("0", _("Stop watching"))], coerce=lambda value: value == "1"
    )


class MoveForm(Form):
    new_title = forms.CharField(label=_("New title"), max_length=600)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)
    leave_redirect = forms.BooleanField(
        label=_("Leave a redirect behind"), required=False, initial=True
    )
    move_talk = forms.BooleanField(label=_("Move its talk page too"), required=False, initial=True)
    move_subpages = forms.BooleanField(
        label=_("Move its subpages too"),
        required=False,
        help_text=_("Pages whose titles start with this one's and a slash (up to 100)."),
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("It goes on the public log.")
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class ProtectForm(Form):
    edit = forms.ChoiceField(label=_("Who may edit"), choices=ProtectionLevel.choices)
    move = forms.ChoiceField(label=_("Who may move"), choices=ProtectionLevel.choices)
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone. Leave empty for no expiry."),
    )
    move_expires_at = forms.DateTimeField(
        label=_("Move protection expires"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text=_("In your time zone. Leave empty to end it with the edit protection."),
    )
    cascade = forms.BooleanField(
        label=_("Protect the pages it transcludes too (cascading)"),
        required=False,
        help_text=_(
            "Only with edit protection for stewards, so that no one else can change "
            "what this page shows."
        ),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cascade") and data.get("edit") != ProtectionLevel.STEWARDS:
            self.add_error("cascade", _("Cascading protection needs edit protection for stewards."))
        if not data.get("move_expires_at"):
            data["move_expires_at"] = data.get("expires_at")
        return data


class DateInput(forms.DateInput):
    input_type = "date"


def _namespace_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("all"))] + [
        (str(number), name or _("(main)")) for number, name in NAMESPACES.items()
    ]


class RecentChangesForm(Form):
    namespace = forms.TypedChoiceField(
        label=_("Namespace"),
        required=False,
        choices=_namespace_choices,
        coerce=int,
        empty_value=None,
    )
    person = forms.CharField(label=_("Person (username)"), required=False, max_length=150)
    minor = forms.ChoiceField(
        label=_("Minor edits"),
        required=False,
        choices=[("", _("show")), ("hide", _("hide")), ("only", _("only"))],
    )
    #: As MediaWiki's Special:RecentChanges: bot edits are hidden unless asked for.
    bots = forms.ChoiceField(
        label=_("Bot edits"),
        required=False,
        choices=[("", _("hide")), ("show", _("show")), ("only", _("only"))],
    )
    unreviewed = forms.BooleanField(label=_("Only unreviewed"), required=False)
    since = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())


class TagCreateForm(Form):
    name = forms.CharField(label=_("Tag name"), max_length=255)
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    reason = forms.CharField(label=_("Reason (for the log)"), required=False, max_length=500)


class TagManageForm(Form):
    """One steward's button on one tag: activate, deactivate or delete."""

    name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    operation = forms.ChoiceField(
        choices=[("activate", "activate"), ("deactivate", "deactivate"), ("delete", "delete")],
        widget=forms.HiddenInput,
    )


class ChangeTagsForm(Form):
    revision = forms.IntegerField(label=_("Revision number"), min_value=1)
    add = forms.CharField(label=_("Tags to add (separated by commas)"), required=False)
    remove = forms.CharField(label=_("Tags to remove (separated by commas)"), required=False)
    reason = forms.CharField(label=_("Reason (for the log)"), required=False, max_length=500)


class HeldDecisionForm(Form):
    """A patroller's release or reject of a held edit: the reason is optional."""

    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        help_text=_("It goes on the public log."),
    )
