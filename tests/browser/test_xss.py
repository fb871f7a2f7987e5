"""Stored XSS: hostile page text, edit summaries and titles, rendered by Chromium on every
wiki page that shows them. No payload may run: no dialog opens and `window.__xss` stays unset.

Every payload tries `window.__xss = 1` or `alert(...)`; many share one page to stay fast.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from peerwork.accounts import actions as accounts
from peerwork.discussions import actions as discussions
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Revision
from peerwork.wiki.titles import TitleError, normalize_title
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JS = "window.__xss=1"
ALERT = "alert(1)"

_RAW_HTML = [
    f"<script>{JS}</script>",
    f"<SCRIPT>{ALERT}</SCRIPT>",
    f"<script src=data:text/javascript,{JS}></script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f'<img src=x onerror="{JS}">',
    f"<img src=x onerror={ALERT}>",
    f"<IMG SRC=x OnErRoR={JS}>",
    f'<img src="javascript:{JS}">',
    f"<img src=`x` onerror=`{JS}`>",
    f'<img """><script>{JS}</script>">',
    '<img src=x:alert(1) onerror="eval(src)">',
    f'<svg onload="{JS}"></svg>',
    f"<svg><script>{JS}</script></svg>",
    f'<svg><animate onbegin="{JS}" attributeName=x dur=1s>',
    f'<svg><a xlink:href="javascript:{JS}"><text x=20 y=20>x</text></a></svg>',
    "<math><mtext><table><mglyph><style>"
    f'<img src=x onerror="{JS}"></style></mglyph></table></mtext></math>',
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<iframe srcdoc="<script>parent.{JS}</script>"></iframe>',
    f'<iframe src="data:text/html,<script>parent.{JS}</script>"></iframe>',
    f'<object data="javascript:{JS}"></object>',
    f'<embed src="javascript:{JS}">',
    f'<body onload="{JS}">',
    f'<div onmouseover="{JS}" style="position:fixed;inset:0">cover</div>',
    f'<input autofocus onfocus="{JS}">',
    f'<select autofocus onfocus="{JS}"></select>',
    f'<textarea autofocus onfocus="{JS}"></textarea>',
    f'<details open ontoggle="{JS}">x</details>',
    f'<video><source onerror="{JS}"></video>',
    f'<audio src=x onerror="{JS}"></audio>',
    f'<marquee onstart="{JS}">x</marquee>',
    f'<a href="javascript:{JS}" id=go>go</a>'
    "<img src=x onerror=\"document.getElementById('go').click()\">",
    f'<a href="  javascript:{JS}">spaced</a>',
    f'<a href="jav&#x09;ascript:{JS}">tabbed</a>',
    f'<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}">entities</a>',
    f'<a href="vbscript:msgbox(1)">vb</a><img src=x onerror="{JS}">',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>'
    f"<img src=x onerror={JS}>",
    f'<form action="javascript:{JS}"><button>x</button></form>',
    f'<button formaction="javascript:{JS}">x</button>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<base href="javascript:{JS}//">',
    f'<link rel=stylesheet href="javascript:{JS}">',
    f"<style>@import 'javascript:{JS}';</style>",
    f'<div style="background:url(javascript:{JS})">bg</div>',
    f'<div style="width:expression({JS})">ie</div>',
    f"<template><img src=x onerror={JS}></template>",
    f'<noscript><p title="</noscript><img src=x onerror={JS}>"></noscript>',
    f'<p title="</p><img src=x onerror={JS}>">attr</p>',
    f'<img src=x title="a" onerror="{JS}"/>',
    f'"><script>{JS}</script>',
    f"'><img src=x onerror={JS}>",
    f"</textarea><script>{JS}</script>",
    f"</title><script>{JS}</script>",
    f"<!--<img src=x onerror={JS}>-->",
    f"<!-- --!><img src=x onerror={JS}>",
    f"<![CDATA[<img src=x onerror={JS}>]]>",
    f'<xmp><img src=x onerror="{JS}"></xmp>',
    f'<table background="javascript:{JS}"><tr><td>t</td></tr></table>',
    f'<input type=image src=x onerror="{JS}">',
    f'<isindex type=image src=x onerror="{JS}">',
    f'<img srcset="x 1x" onerror="{JS}">',
    f'<picture><source srcset=x><img src=x onerror="{JS}"></picture>',
    f'<span id="x" tabindex=1 onfocus="{JS}" autofocus>f</span>',
    f'<abbr title="x" onclick="{JS}">a</abbr>',
    f'<code class="language-x" onmouseenter="{JS}">c</code>',
    f'<img src="x" alt="`<img src=x onerror={JS}>`">',
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&#60;img src=x onerror={JS}&#62;",
    f"\\u003cimg src=x onerror={JS}\\u003e",
    "<img src=x onerror=&#119;&#105;&#110;&#100;&#111;&#119;.__xss=1>",
    f'<a href="java\nscript:{JS}">newline</a>',
]

_MARKDOWN = [
    f"[click](javascript:{JS})",
    f"[click](JaVaScRiPt:{ALERT})",
    f"[click]( javascript:{JS})",
    f"[click](<javascript:{JS}>)",
    f"[click](jav&#x09;ascript:{JS})",
    f"[click](&#106;avascript:{JS})",
    f"[click](javascript&colon;{JS})",
    f"[click](java%0ascript:{JS})",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[click](data:text/html,<script>{JS}</script>)",
    f"![img](javascript:{JS})",
    f'![img](x "title\\" onerror=\\"{JS}")',
    f'![x" onerror="{JS}](x)',
    f'[x](https://example.org/" onclick="{JS})',
    f"[ref][1]\n\n[1]: javascript:{JS}",
    f"<javascript:{JS}>",
    f"<vbscript:{ALERT}>",
    f"[a](file:///etc/passwd)<img src=x onerror={JS}>",
    f"`<script>{JS}</script>`",
    f"```html\n<script>{JS}</script>\n```",
    f"| a | b |\n|---|---|\n| <img src=x onerror={JS}> | <script>{ALERT}</script> |",
    f"- [ ] <img src=x onerror={JS}>",
    f"Footnote[^1]\n\n[^1]: <img src=x onerror={JS}>",
    f"# Heading <img src=x onerror={JS}>",
    f"> quote <svg onload={JS}>",
    f"**bold <a href=javascript:{JS}>x</a>**",
]

_WIKILINKS = [
    f"[[javascript:{JS}]]",
    f"[[Page|<img src=x onerror={JS}>]]",
    f'[[Page|" onmouseover="{JS}]]',
    f'[[Page#" onclick="{JS}]]',
    f"[[Page#<script>{JS}</script>]]",
    f"[[:Category:X|<svg onload={JS}>]]",
    f"[[Category:<img src=x onerror={JS}>]]",
    f"[[Category:Real]] [[Category:javascript:{JS}]]",
    f"[[#<img src=x onerror={JS}>]]",
    f"[[Data:text/html,<script>{JS}</script>]]",
    f"[[Vbscript:msgbox(1)]] <img src=x onerror={JS}>",
    f"[[&#106;avascript:{JS}]]",
    f"[[ javascript : {JS} ]]",
    f"[[Talk:x|[click](javascript:{JS})]]",
    f"[[x]]<script>{ALERT}</script>[[y]]",
]

PAYLOADS = _RAW_HTML + _MARKDOWN + _WIKILINKS

_TITLE_CANDIDATES = [
    f'" onmouseover="{JS}',
    f"' onfocus='{JS}' autofocus='",
    f"javascript:{JS}",
    "Vbscript:msgbox(1) x",
    f"data:text/html,{JS}",
    f'x" autofocus onfocus="{JS}',
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&#60;img src=x onerror={JS}&#62;",
    f"x/../javascript:{JS}",
    f'Help:" onload="{JS}',
    f'Category:" onclick="{ALERT}',
    f"Talk:'\"` {JS}",
    f"%3Cscript%3E{JS}%3C/script%3E",
    f'\\"; {JS}; //',
    f"</script>{JS}",  # refused: '<' and '>' are not allowed in titles
    f"<img src=x onerror={JS}>",  # refused
    f"[[x]] {JS}",  # refused
]


def _valid_titles() -> list[str]:
    valid = []
    for title in _TITLE_CANDIDATES:
        try:
            normalize_title(title)
        except TitleError:
            continue
        valid.append(title)
    return valid


PROBE = """() => {
  const bad = [];
  const names = ['href', 'src', 'action', 'formaction', 'srcdoc', 'data'];
  for (const el of document.querySelectorAll(names.map((n) => `main [${n}]`).join(','))) {
    for (const name of names) {
      if (!el.hasAttribute(name)) continue;
      const value = el.getAttribute(name).replace(/[\\s\\x00-\\x20]/g, '').toLowerCase();
      if (/^(javascript|vbscript|data):/.test(value) || name === 'srcdoc') bad.push(el.outerHTML);
    }
  }
  for (const el of document.querySelectorAll('main *')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) bad.push(el.outerHTML);
    }
  }
  const active = 'main script, main iframe, main object, main embed, main svg';
  const scripts = document.querySelectorAll(active);
  for (const el of scripts) bad.push(el.outerHTML);
  return {xss: typeof window.__xss, bad: bad};
}"""


def test_at_least_a_hundred_payloads() -> None:
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    assert all("__xss" in p or "alert(" in p or "msgbox" in p or "base64" in p for p in PAYLOADS)
    assert len(_valid_titles()) >= 10


def test_stored_payloads_never_run(new_page: Any) -> None:
    ana = accounts.user_signup(username="ana", password=PASSWORD, display_name="Ana")
    evil = accounts.user_signup(
        username="evil", password=PASSWORD, display_name=f"<img src=x onerror={JS}>"
    )
    space = spaces.space_create(
        user=ana,
        slug="garden",
        name=f"<script>{JS}</script>",
        visibility="public",
        participation="anyone",
    )

    def save(title: str, text: str, summary: str = "", user: Any = evil) -> Any:
        page = Page.objects.filter(space=space, title=normalize_title(title)[1]).first()
        base = page.current_revision_id if page else None
        return wiki.page_save(
            user=user,
            space=space,
            title=title,
            text=text,
            base_revision_id=base,
            summary=summary[:500],
        )

    # All payloads in one page, then each line changed a little, for the diff.
    body = "\n\n".join(PAYLOADS) + "\n"
    first = save("Xss text", body, f"<script>{JS}</script>").revision
    second = save(
        "Xss text",
        "\n\n".join(f"{p} changed" for p in PAYLOADS) + "\n",
        f'"><img src=x onerror={JS}>',
    ).revision
    # Each payload as an edit summary.
    summary_revisions = [
        save("Xss summaries", f"version {n}\n", payload).revision
        for n, payload in enumerate(PAYLOADS)
    ]
    # Payloads as titles, linked from a page and linking to missing pages.
    titles = _valid_titles()
    for title in titles:
        save(title, f"{title}\n\n[[{title}]] [[{title} missing]]\n", f"<svg onload={JS}>")
    save("Xss links", "\n".join(f"* [[{t}]] [[{t} wanted]]" for t in titles) + "\n")
    # A move whose reason is a payload.
    wiki.page_move(
        user=ana,
        page=Page.objects.get(title="Xss links"),
        new_title="Xss links moved",
        reason=f"<script>{JS}</script>",
    )
    assert Revision.objects.filter(page__space=space).count() > len(PAYLOADS) + len(titles)
    # Each payload as a comment in the page's discussion (replies included), one edited.
    xss_page = Page.objects.get(space=space, title="Xss text")
    comments = []
    for n, payload in enumerate(PAYLOADS):
        parent = comments[-1] if n % 3 == 2 else None
        comments.append(
            discussions.comment_post(user=evil, target=xss_page, text=payload, parent=parent)
        )
    discussions.comment_edit(user=evil, comment=comments[0], text=PAYLOADS[1] + " edited")

    browser_page = new_page()
    dialogs: list[str] = []

    def record_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    browser_page.on("dialog", record_dialog)
    # The probe itself notices a payload that runs (so a pass below means something).
    browser_page.set_content(
        f'<main><img src=x onerror="{JS}"><a href=" javascript:x">x</a></main>'
    )
    browser_page.wait_for_function("() => window.__xss === 1")
    caught = browser_page.evaluate(PROBE)
    assert caught["xss"] == "number" and len(caught["bad"]) == 2
    browser_page.evaluate("() => alert('probe')")
    assert dialogs == ["probe"]
    dialogs.clear()
    log_in(browser_page, "ana", PASSWORD)

    def history(title: str) -> str:
        return reverse("wiki:history", args=["garden", title.replace(" ", "_")])

    oldest_summary = summary_revisions[len(summary_revisions) // 2].pk
    paths = [
        "/s/garden/wiki/Xss_text",
        f"/s/garden/wiki/Xss_text?oldid={first.pk}",
        f"/s/garden/diff?from={first.pk}&to={second.pk}",
        f"/s/garden/diff?from={first.pk}&to={second.pk}&view=inline",
        "/s/garden/edit/Xss_text",
        history("Xss text"),
        history("Xss summaries"),
        history("Xss summaries") + f"?before={oldest_summary}",
        f"/s/garden/diff?from={summary_revisions[3].pk}&to={summary_revisions[4].pk}",
        "/s/garden/recent-changes",
        f"/s/garden/recent-changes?before={summary_revisions[60].pk}",
        "/recent-changes/",
        "/watchlist/",
        "/notifications/",
        "/people/evil/edits/",
        "/s/garden/pages/",
        "/s/garden/wanted/",
        "/s/garden/wiki/Xss_links_moved",
        "/s/garden/wiki/Xss_links",
        "/s/garden/category/Real",
        "/s/garden/discussion/Xss_text",
        reverse("wiki:comment_history", args=[comments[0].pk]),
    ]
    for title in titles:
        address = reverse("wiki:page", args=["garden", title.replace(" ", "_")])
        paths += [address, history(title), reverse("wiki:links_here", args=["garden", title])]
    failures = []
    for path in paths:
        response = browser_page.goto(path)
        assert response is not None and response.status in (200, 404), (path, response.status)
        browser_page.wait_for_timeout(30)
        found = browser_page.evaluate(PROBE)
        if found["xss"] != "undefined" or found["bad"] or dialogs:
            failures.append((path, found, list(dialogs)))

    # The live preview swaps rendered payloads into the edit page.
    browser_page.goto("/s/garden/edit/Xss_text")
    text = browser_page.get_by_label("Text", exact=True)
    text.fill("\n\n".join(PAYLOADS[:60]) + "\n\nPREVIEW-DONE")
    text.press("End")
    browser_page.get_by_test_id("preview").get_by_text("PREVIEW-DONE").wait_for()
    text.fill("\n\n".join(PAYLOADS[60:]) + "\n\nPREVIEW-AGAIN")
    text.press("End")
    browser_page.get_by_test_id("preview").get_by_text("PREVIEW-AGAIN").wait_for()
    browser_page.wait_for_timeout(100)
    found = browser_page.evaluate(PROBE)
    if found["xss"] != "undefined" or found["bad"] or dialogs:
        failures.append(("preview", found, list(dialogs)))

    assert failures == []
    assert dialogs == []
