"""The `wiki` section of a space's policy (docs/space-policy.md)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict

from peerwork.spaces.space_policy import Choices, Text, setting

CONTENT_MODELS: Choices = (
    ("markdown", gettext_lazy("Markdown")),
    ("wikitext", gettext_lazy("Wikitext, as MediaWiki writes it")),
)


class WikiPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section_title: ClassVar[Text] = gettext_lazy("Wiki pages")
    section_help: ClassVar[Text] = gettext_lazy("How the space's pages are written.")

    default_content_model: Literal["markdown", "wikitext"] = setting(
        "markdown",
        choices=CONTENT_MODELS,
        title=gettext_lazy("Markup of new pages"),
        help=gettext_lazy(
            "The markup a new page is written in unless its author chooses another. Choose "
            "wikitext for a wiki imported from MediaWiki or edited with MediaWiki's tools; a "
            "page keeps the markup it was created with."
        ),
    )


def default_content_model(space: Any) -> str:
    """The markup new pages of `space` are written in (decision 0051)."""
    section = space.policy.get("wiki") or {}
    model = section.get("default_content_model", "markdown")
    return model if model in ("markdown", "wikitext") else "markdown"
