"""Forms of the decision pages: they only parse what people type; the actions and the methods
decide. `ballot_from_post` turns a ballot form (radio buttons, check boxes, rank menus) into
the ballot the API takes, so both faces are checked by the same method."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peerwork.core.errors import Invalid
from peerwork.core.money import known_currency, parse_money
from peerwork.core.widgets import MarkupTextarea

from .count import ALL_METHODS
from .labels import METHOD_LABELS

RANKED = ("irv", "stv", "schulze", "ranked_pairs")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Proposal"),
        widget=MarkupTextarea(attrs={"rows": 8}),
        max_length=100_000,
        required=False,
        help_text=_("Say what you propose and why."),
    )
    method = forms.ChoiceField(
        label=_("Decision method"), choices=[(m, METHOD_LABELS.get(m, m)) for m in ALL_METHODS]
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=50_000,
        help_text=_(
            "One per line. For a budget, put the cost after a bar: Benches in the park | 1200. "
            "A consent proposal needs none."
        ),
    )
    currency = forms.CharField(
        label=_("Currency of costs"), max_length=3, initial="EUR", required=False
    )
    budget = forms.CharField(
        label=_("Budget"), max_length=40, required=False, help_text=_("For a budget vote: 5000.")
    )
    reserve = forms.BooleanField(
        label=_("Reserve the winning projects' costs from the treasury (stewards)"),
        required=False,
    )
    seats = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("How many options win (ranked choice, approval)."),
    )
    tags = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=600,
        help_text=_(
            "Separated by commas; delegations on a topic apply to proposals tagged with it."
        ),
    )
    days = forms.IntegerField(
        label=_("Voting lasts (days)"), min_value=1, max_value=365, required=False
    )
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percent of eligible voters)"), min_value=0, max_value=100, required=False
    )
    eligibility = forms.ChoiceField(
        label=_("Who may vote"),
        choices=[
            ("", _("as the space's policy says")),
            ("member", _("members and stewards")),
            ("steward", _("stewards")),
        ],
        required=False,
    )
    secret = forms.BooleanField(label=_("Secret ballots"), required=False)
    live_results = forms.BooleanField(
        label=_("Show results while voting (public ballots only)"), required=False
    )
    policy_change = forms.CharField(
        label=_("Policy change if it passes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
        help_text=_('JSON sections of the space policy, such as {"tasks": {"claim_days": 21}}.'),
    )
    tasks = forms.CharField(
        label=_("Tasks to post if it passes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
        help_text=_("One task title per line."),
    )
    settings = forms.CharField(
        label=_("Method settings"),
        required=False,
        max_length=20_000,
        help_text=_('JSON: the method\'s rules, e.g. {"rules": {"tie_break": "option_order"}}'),
    )

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def _json(self, name: str) -> dict[str, Any]:
        text = self.cleaned_data.get(name) or ""
        if not text.strip():
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give a JSON object: {...}."))
        return value

    def clean_policy_change(self) -> dict[str, Any]:
        return self._json("policy_change")

    def clean_settings(self) -> dict[str, Any]:
        return self._json("settings")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method", "")
        currency = (data.get("currency") or "EUR").strip().upper()
        options: list[dict[str, Any]] = []
        for line in _lines(data.get("options", "")):
            label, bar, cost = line.rpartition("|") if "|" in line else (line, "", "")
            entry: dict[str, Any] = {"label": label.strip()}
            if bar and method == "budget":
                if not known_currency(currency):
                    self.add_error("currency", _("Name a currency such as EUR."))
                    break
                try:
                    entry["cost"] = parse_money(cost.strip(), currency, field="options")
                except Invalid:
                    self.add_error("options", _("Write each cost as an amount: 1200 or 1200.50."))
                    break
            elif bar:
                entry = {"label": line}
            options.append(entry)
        settings = dict(data.get("settings") or {})
        if method == "budget" and (data.get("budget") or "").strip():
            try:
                settings["budget"] = parse_money(data["budget"].strip(), currency, field="budget")
            except Invalid:
                self.add_error("budget", _("Write the budget as an amount: 5000."))
        if data.get("seats"):
            settings["seats" if method in RANKED else "winners"] = data["seats"]
        changes: dict[str, Any] = {}
        if data.get("policy_change"):
            changes["policy"] = data["policy_change"]
        if _lines(data.get("tasks", "")):
            changes["tasks"] = [{"title": t} for t in _lines(data["tasks"])]
        if data.get("reserve"):
            changes["reserve"] = {"currency": currency}
        days = data.get("days")
        return {
            "title": data.get("title", ""),
            "body": data.get("body", ""),
            "method_name": method,
            "options": options,
            "settings": settings,
            "tags": data.get("tags", []),
            "closes_at": timezone.now() + timedelta(days=days) if days else None,
            "quorum_percent": data.get("quorum_percent"),
            "eligibility": data.get("eligibility", ""),
            "secret": data.get("secret", False),
            "live_results": data.get("live_results", False),
            "changes": changes,
        }


def ballot_from_post(method: str, options: list[Any], post: Any) -> dict[str, Any]:
    """The ballot a form posted, in the shape the method reads (docs/governance.md)."""
    keys = [option.key for option in options]
    if method == "consent":
        return {"position": post.get("position", ""), "reason": post.get("reason", "")}
    if method in ("majority", "supermajority"):
        choice = post.get("choice", "")
        return {"abstain": True} if choice == "abstain" else {"choice": choice}
    if method == "approval":
        return {"approve": [k for k in post.getlist("approve") if k in keys]}
    if method == "budget":
        return {"projects": [k for k in post.getlist("projects") if k in keys]}
    if method == "score":
        return {
            "scores": {
                k: _number(post.get(f"score-{k}")) for k in keys if post.get(f"score-{k}", "") != ""
            }
        }
    if method == "dot":
        return {
            "dots": {
                k: _number(post.get(f"dots-{k}")) for k in keys if post.get(f"dots-{k}", "") != ""
            }
        }
    if method == "quadratic":
        return {
            "votes": {
                k: _number(post.get(f"votes-{k}")) for k in keys if post.get(f"votes-{k}", "") != ""
            }
        }
    if method == "time_poll":
        return {"slots": {k: post.get(f"slot-{k}") for k in keys if post.get(f"slot-{k}")}}
    if method in RANKED:
        ranks: dict[int, list[str]] = {}
        for key in keys:
            value = post.get(f"rank-{key}", "")
            if value.isdigit() and int(value) >= 1:
                ranks.setdefault(int(value), []).append(key)
        if not ranks:
            return {"ranking": []}
        return {"ranking": [ranks.get(n, []) for n in range(1, max(ranks) + 1)]}
    return {}


def _number(value: Any) -> Any:
    """A whole number if it is one; otherwise the text, for the method to refuse by name."""
    text = (value or "").strip()
    try:
        return int(text)
    except ValueError:
        return text


class DelegationForm(forms.Form):
    delegate = forms.CharField(label=_("Member who votes for you"), max_length=150)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=50,
        required=False,
        help_text=_("Leave empty to delegate on every proposal of the space."),
    )


class OutcomeForm(forms.Form):
    text = forms.CharField(
        label=_("Outcome statement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=100_000,
        help_text=_("What was decided, and what happens next."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
