"""HTML of revisions, rendered once and cached until a linked page appears or goes."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Sequence
from urllib.parse import quote

from peerwork.core.markup import extract_links, render_markdown

from .models import Page, RenderedRevision, Revision
from .policy import standing
from .policy_schema import default_content_model
from .sections import Section
from .titles import title_text


def page_url(space_slug: str, namespace: int, title: str) -> str:
    """The address of a page: /s/<space>/wiki/<Title_with_underscores> (wiki:page)."""
    path = quote(title_text(namespace, title).replace(" ", "_"), safe="/:,()!*'@$;=")
    return f"/s/{space_slug}/wiki/{path}"


def page_content_model(page: Page) -> str:
    """The markup of `page`: its current revision's, or for a new page the space's default."""
    current = page.current_revision if page.current_revision_id else None
    return current.content_model if current is not None else default_content_model(page.space)


def render_text(page: Page, text: str, content_model: str = "markdown") -> str:
    """Render text as it would show on `page` (used for previews too) in `content_model`'s
    markup (a page's own: `page_content_model`)."""
    if content_model == "wikitext":
        from .wikitext import render_page_wikitext

        return render_page_wikitext(page, text).rendered.html
    space = page.space
    capitalize = space.policy.get("capitalize_titles", True)
    links, _categories = extract_links(text, capitalize=capitalize)
    titles = {(link.namespace, link.title) for link in links}
    existing: set[tuple[int, str]] = set()
    if titles:
        candidates = standing(
            Page.objects.filter(space=space, title__in={title for _ns, title in titles})
        ).values_list("namespace", "title")
        existing = set(candidates) & titles
    return render_markdown(
        text,
        link_exists=lambda ns, title: (ns, title) in existing,
        link_url=lambda ns, title: page_url(space.slug, ns, title),
        capitalize=capitalize,
    ).html


def revision_html(revision: Revision) -> str:
    page = revision.page
    try:
        cached: RenderedRevision | None = revision.rendered  # joined by the caller, or a query
    except RenderedRevision.DoesNotExist:
        cached = None
    if cached is not None and cached.epoch == page.render_epoch:
        return cached.html
    if revision.content_model == "wikitext":
        from .wikitext import render_page_wikitext

        html = render_page_wikitext(
            page,
            revision.content.text,
            revision_id=revision.pk,
            revision_user=revision.author_name,
        ).rendered.html
    else:
        html = render_text(page, revision.content.text)
    RenderedRevision.objects.update_or_create(
        revision=revision, defaults={"epoch": page.render_epoch, "html": html}
    )
    return html


def with_section_edit_links(
    html: str, sections: Sequence[Section], link: Callable[[Section], str]
) -> str:
    """Put `link(section)` at the end of each section's heading, as MediaWiki's [edit] links.

    The HTML is the shared, cached rendering; the links depend on who looks, so they are
    added afterwards. Each section's heading is found by the id the renderer gave it, in
    order, so the ids stay as they are and a heading that is no section (one in a quote, or
    written as raw HTML without that id) gets no link.
    """
    out: list[str] = []
    position = 0
    for section in sections:
        if not section.number or not section.anchor:
            continue
        anchor = re.escape(html_lib.escape(section.anchor))
        opening = re.compile(rf'<h([1-6]) id="{anchor}">').search(html, position)
        if opening is None:
            continue
        end = html.find(f"</h{opening.group(1)}>", opening.end())
        if end < 0:
            continue
        out.append(html[position:end])
        out.append(link(section))
        position = end
    out.append(html[position:])
    return "".join(out)
