"""Wikitext as MediaWiki renders it through api.php: a space's default markup, action=parse,
action=expandtemplates, templates and their limits, the pre-save transform, and pages that
re-render when a template they include changes."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.test import Client

from peerwork.core.errors import Invalid
from peerwork.spaces import actions as spaces
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Page, Transclusion
from peerwork.wiki.preprocess import MAX_DEPTH, PageFacts, expand
from peerwork.wiki.rendering import revision_html
from peerwork.wiki.wikitext import render_wikitext
from tests.conftest import PASSWORD
from tests.interop.test_mediawiki_api import MW

pytestmark = pytest.mark.django_db


def _wikitext(space: Any, steward: Any) -> Any:
    """The space's markup for new pages set as a steward sets it."""
    return spaces.space_policy_update(
        user=steward,
        space=space,
        document={**space.policy, "wiki": {"default_content_model": "wikitext"}},
    )


@pytest.fixture
def world(make_user: Any, make_space: Any) -> Any:
    class World:
        owner = make_user("owner")
        alice = make_user("alice")
        space = _wikitext(make_space(owner, "atlas"), owner)
        plain = make_space(owner, "plain")

    return World


def _signed_in(name: str = "alice", slug: str = "atlas") -> MW:
    mw = MW(slug)
    assert mw.login(name)["login"]["result"] == "Success"
    return mw


def _save(world: Any, title: str, text: str, **extra: Any) -> Any:
    """Save over the current text (whatever it is)."""
    namespace, name = wiki.parse_title(world.space, title)
    current = Page.objects.filter(space=world.space, namespace=namespace, title=name).first()
    return wiki.page_save(
        user=world.owner,
        space=world.space,
        title=title,
        text=text,
        base_revision_id=current.current_revision_id if current else None,
        **extra,
    )


def _parse(mw: MW, **params: Any) -> Any:
    return mw.get(action="parse", **params)


def _html(answer: Any) -> str:
    return re.sub(r"<!--.*?-->", "", answer["parse"]["text"]["*"], flags=re.S)


# ---------------------------------------------------------------------------- default markup


def test_new_pages_take_the_space_default_and_keep_their_own(world: Any) -> None:
    created = _save(world, "Wiki page", "''x''")
    assert created.revision.content_model == "wikitext"
    plain = wiki.page_save(
        user=world.owner, space=world.plain, title="Notes", text="*x*", base_revision_id=None
    )
    assert plain.revision.content_model == "markdown"
    # The space changes its default: existing pages keep the markup they were created with.
    spaces.space_policy_update(
        user=world.owner,
        space=world.space,
        document={**world.space.policy, "wiki": {"default_content_model": "markdown"}},
    )
    world.space.refresh_from_db()
    edited = _save(world, "Wiki page", "''y''")
    assert edited.revision.content_model == "wikitext"
    assert _save(world, "Other", "*y*").revision.content_model == "markdown"


def test_an_unknown_default_markup_is_refused_and_nothing_changes(world: Any) -> None:
    before = dict(world.space.policy)
    with pytest.raises(Invalid) as error:
        spaces.space_policy_update(
            user=world.owner,
            space=world.space,
            document={**before, "wiki": {"default_content_model": "html"}},
        )
    assert error.value.extra.get("key") == "wiki.default_content_model" or "wiki" in str(
        error.value.detail
    )
    world.space.refresh_from_db()
    assert world.space.policy == before


def test_api_edits_use_the_space_default_unless_contentmodel_says(world: Any) -> None:
    mw = _signed_in()
    assert mw.edit(title="Default", text="a")["edit"]["contentmodel"] == "wikitext"
    answer = mw.edit(title="Chosen", text="a", contentmodel="markdown")["edit"]
    assert answer["contentmodel"] == "markdown"
    refused = mw.edit(title="Bad", text="a", contentmodel="html")
    assert refused["error"]["code"] == "badvalue"
    mismatch = mw.edit(
        title="Bad", text="a", contentmodel="wikitext", contentformat="text/markdown"
    )
    assert mismatch["error"]["code"] == "badformat"
    assert not Page.objects.filter(title="Bad").exists()


# ---------------------------------------------------------------------------- rendering


def test_paragraphs_and_emphasis_are_written_as_mediawiki_writes_them() -> None:
    html = render_wikitext("Undo Page\n\nFoo\n\nThis is a ''test'' and '''bold'''").html
    assert html == ("<p>Undo Page\n</p><p>Foo\n</p><p>This is a <i>test</i> and <b>bold</b>\n</p>")


def test_table_of_contents_follows_mediawikis_rules() -> None:
    two = "== One ==\n== Two ==\n"
    four = two + "=== Three ===\n== Four ==\n"
    assert 'id="toc"' not in render_wikitext(two).html
    assert 'id="toc"' in render_wikitext("__FORCETOC__\n" + two).html
    assert 'id="toc"' not in render_wikitext("__NOTOC__\n" + four).html
    html = render_wikitext(four).html
    assert html.index('id="toc"') < html.index('<h2 id="One">')
    assert '<span class="tocnumber">2.1</span> <span class="toctext">Three</span>' in html
    placed = render_wikitext("Lead\n== A ==\n__TOC__\n== B ==\n").html
    assert placed.index('<h2 id="A">') < placed.index('id="toc"') < placed.index('<h2 id="B">')


def test_templates_take_positional_named_and_default_parameters(world: Any) -> None:
    _save(world, "Template:Greet", "{{{greeting|Hello}}} {{{1|world}}}!<noinclude>docs</noinclude>")
    page = Page(space=world.space, namespace=0, title="Sandbox")
    mw = MW("atlas")
    for text, expected in (
        ("{{Greet}}", "Hello world!"),
        ("{{Greet|you}}", "Hello you!"),
        ("{{Template:Greet|greeting= Ciao |1=there}}", "Ciao there!"),
        ("{{:Template:Greet}}", "Hello world!"),
    ):
        html = _html(_parse(mw, title=page.title, text=text))
        assert f"<p>{expected}\n</p>" in html, (text, html)
    assert "docs" not in _html(_parse(mw, title="Sandbox", text="{{Greet}}"))
    assert "docs" in _html(_parse(mw, page="Template:Greet"))


def test_parser_functions_and_variables() -> None:
    facts = PageFacts(namespace=2, title="Ada Lovelace", revision_id=7, revision_user="Ada")
    cases = {
        "{{plural:1|one|many}} {{plural:3|one|many}}": "one many",
        "{{ns:1}}, {{ns:2}}, {{ns:14}}": "Talk, User, Category",
        "{{uc:Foo}} {{lc:FOO}} {{ucfirst:foo}} {{lcfirst:Foo}}": "FOO foo Foo foo",
        "{{#if: |yes|no}} {{#if:x|yes|no}}": "no yes",
        "{{#ifeq: 01 | 1 |same|differ}} {{#ifeq:a|b|same|differ}}": "same differ",
        "{{#switch:b|a=1|b|c=2|#default=d}} {{#switch:z|a=1|other}}": "2 other",
        "{{PAGENAME}}|{{PAGENAMEE}}|{{FULLPAGENAME}}|{{NAMESPACE}}": (
            "Ada Lovelace|Ada_Lovelace|User:Ada Lovelace|User"
        ),
        "{{REVISIONID}} by {{REVISIONUSER}}": "7 by Ada",
        "{{pagename}}": "[[:Template:Pagename]]",  # variables are capitals only
    }
    for text, expected in cases.items():
        assert expand(text, facts=facts, fetch=lambda ns, title: None).text == expected, text


def test_template_loops_and_depth_stop_with_an_error() -> None:
    pages = {(10, "Loop"): "a{{Loop}}", (10, "Deep"): "{{Deep2}}"}
    for level in range(2, MAX_DEPTH + 5):
        pages[(10, f"Deep{level}")] = f"{{{{Deep{level + 1}}}}}"
    fetched: list[tuple[int, str]] = []

    def fetch(namespace: int, title: str) -> str | None:
        fetched.append((namespace, title))
        return pages.get((namespace, title))

    loop = render_wikitext("{{Loop}}")  # no fetcher: a red link, no expansion
    assert "Template:Loop" in loop.html
    expanded = expand("{{Loop}}", facts=PageFacts(), fetch=fetch).text
    assert expanded == 'a<span class="error">Template loop detected: [[:Template:Loop]]</span>'
    deep = expand("{{Deep}}", facts=PageFacts(), fetch=fetch).text
    assert f"depth limit ({MAX_DEPTH})" in deep
    assert len(fetched) <= MAX_DEPTH + 2


def test_a_template_that_grows_exponentially_is_stopped() -> None:
    # Each level calls the next ten times: 10**8 calls unless the limits stop it.
    pages = {(10, f"L{level}"): f"{{{{L{level + 1}}}}}" * 10 for level in range(8)}
    pages[(10, "L8")] = "x" * 1000
    result = expand("{{L0}}", facts=PageFacts(), fetch=lambda ns, title: pages.get((ns, title)))
    assert result.text == "{{L0}}"  # past the limits: the text as written


def test_red_links_go_to_the_editor_as_mediawikis_do(world: Any) -> None:
    saved = _save(world, "Reparse", "{{Missing}} [[Nowhere]]")
    html = revision_html(saved.revision)
    assert "/s/atlas/w/index.php?title=Template:Missing&amp;action=edit&amp;redlink=1" in html
    assert "/s/atlas/w/index.php?title=Nowhere&amp;action=edit&amp;redlink=1" in html
    response = MW("atlas").client.get(
        "/s/atlas/w/index.php", {"title": "Nowhere", "action": "edit", "redlink": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/s/atlas/edit/Nowhere"


def test_pages_re_render_when_a_template_they_include_changes(
    world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PEERWORK_JOBS = "inprocess"
    settings.PEERWORK_JOBS_THREADS = 0  # the refresh job runs when the save commits
    saved = _save(world, "Uses", "{{Outer}} [[Target]]")
    assert "redlink=1" in revision_html(saved.revision)
    with django_capture_on_commit_callbacks(execute=True):
        _save(world, "Template:Outer", "{{Inner}}")
    _save(world, "Target", "here")
    page = Page.objects.get(title="Uses")
    html = revision_html(page.current_revision)
    assert "Template:Inner" in html and "redlink=1&amp;" not in html.split("Inner")[0][-200:]
    assert set(Transclusion.objects.filter(from_page=page).values_list("namespace", "title")) == {
        (10, "Outer"),
        (10, "Inner"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        _save(world, "Template:Inner", "Howdy")
    page.refresh_from_db()
    assert "<p>Howdy " in revision_html(page.current_revision)
    assert "redlink" not in revision_html(page.current_revision)


# ---------------------------------------------------------------------------- action=parse


def test_parse_reports_templates_sections_links_and_categories(world: Any) -> None:
    _save(world, "Template:Box", "boxed [[Category:Boxes]]")
    _save(world, "Known", "x")
    mw = MW("atlas")
    text = "== One ==\n{{Box}} {{Gone}} [[Known]] [[Unknown]]\n=== Two ===\n[[Category:Things]]"
    answer = mw.get(action="parse", title="Sandbox", text=text, formatversion="2")["parse"]
    assert answer["templates"] == [
        {"ns": 10, "exists": True, "title": "Template:Box"},
        {"ns": 10, "exists": False, "title": "Template:Gone"},
    ]
    assert {row["title"]: row["exists"] for row in answer["links"]} == {
        "Known": True,
        "Unknown": False,
        "Template:Gone": False,
    }
    assert [row["category"] for row in answer["categories"]] == ["Boxes", "Things"]
    assert [
        (row["line"], row["number"], row["level"], row["anchor"]) for row in answer["sections"]
    ] == [
        ("One", "1", "2", "One"),
        ("Two", "1.1", "3", "Two"),
    ]
    assert answer["sections"][0]["byteoffset"] == 0
    assert answer["text"].startswith('<div class="mw-parser-output">')


def test_parse_revision_variables_from_parameters_and_saved_revisions(world: Any) -> None:
    mw = _signed_in()
    answer = _parse(mw, title="X", revid="42", text="This is {{REVISIONID}} by {{REVISIONUSER}}")
    # The name as peerwork stores it, as signatures and saved revisions give it.
    assert "This is 42 by alice" in _html(answer)
    saved = mw.edit(title="Saved", text="This is {{REVISIONID}} by {{REVISIONUSER}}")["edit"]
    assert f"This is {saved['newrevid']} by alice" in _html(_parse(mw, page="Saved"))


def test_parse_pst_and_onlypst(world: Any) -> None:
    mw = _signed_in()
    only = _parse(mw, title="X", text="Hi ~~~", onlypst="1")["parse"]
    assert only["text"]["*"] == "Hi [[User:alice|alice]] ([[User talk:alice|talk]])"
    html = _html(_parse(mw, title="X", text="Hi ~~~", pst="1"))
    assert 'href="/s/atlas/w/index.php?title=User:Alice&amp;action=edit&amp;redlink=1"' in html
    assert "~~~" in _html(_parse(mw, title="X", text="Hi ~~~"))


def test_parse_markdown_pages_stay_markdown(world: Any) -> None:
    wiki.page_save(
        user=world.owner, space=world.plain, title="Notes", text="*x* ''y''", base_revision_id=None
    )
    html = _html(MW("plain").get(action="parse", page="Notes"))
    assert "<em>x</em> ''y''" in html


# ---------------------------------------------------------------------------- expandtemplates


def test_expandtemplates_wikitext_and_parsetree(world: Any) -> None:
    _save(world, "Template:Greet", "Hi {{{1|you}}}")
    mw = MW("atlas")
    text = "{{Greet|Ada}} {{uc:x}} {{{1|d}}} <!--c--> <nowiki>{{x}}</nowiki>\n== H =="
    answer = mw.get(action="expandtemplates", title="Page", text=text, prop="wikitext|parsetree")
    out = answer["expandtemplates"]
    assert out["wikitext"] == "Hi Ada X d  <nowiki>{{x}}</nowiki>\n== H =="
    assert out["parsetree"] == (
        '<root><template><title>Greet</title><part><name index="1"/><value>Ada</value></part>'
        "</template> <template><title>uc:x</title></template> <tplarg><title>1</title>"
        '<part><name index="1"/><value>d</value></part></tplarg> <comment>&lt;!--c--&gt;'
        "</comment> <ext><name>nowiki</name><attr/><inner>{{x}}</inner><close>&lt;/nowiki&gt;"
        '</close></ext>\n<h level="2" i="1">== H ==</h></root>'
    )
    legacy = mw.get(action="expandtemplates", text="{{lc:AB}}")
    assert legacy["expandtemplates"]["*"] == "ab" and "expandtemplates" in legacy["warnings"]
    assert mw.get(action="expandtemplates", title="P")["error"]["code"] == "missingparam"


# ---------------------------------------------------------------------------- action=edit


def test_signatures_are_expanded_on_save_in_wikitext_only(world: Any) -> None:
    mw = _signed_in()
    mw.edit(title="Talk", text="Hi -- ~~~~ <nowiki>~~~~</nowiki>")
    text = Page.objects.get(title="Talk").current_revision.content.text
    assert text.startswith("Hi -- [[User:alice|alice]] ([[User talk:alice|talk]]) ")
    assert re.search(r"\d\d:\d\d, \d{1,2} \w+ \d{4} \(UTC\) <nowiki>~~~~</nowiki>$", text)
    # The web editor saves through the same action: a signature typed there is signed too.
    wiki.page_save(
        user=world.owner, space=world.space, title="Web", text="~~~", base_revision_id=None
    )
    assert Page.objects.get(title="Web").current_revision.content.text == (
        "[[User:owner|owner]] ([[User talk:owner|talk]])"
    )
    wiki.page_save(
        user=world.owner, space=world.plain, title="Md", text="~~~~", base_revision_id=None
    )
    assert Page.objects.get(title="Md").current_revision.content.text == "~~~~"


def test_appendtext_and_prependtext_with_text_and_md5(world: Any) -> None:
    mw = _signed_in()
    mw.edit(title="Both", text="middle")
    added = "top" + "bottom"
    wrong = mw.edit(
        title="Both",
        text="ignored",
        prependtext="top",
        appendtext="bottom",
        md5=hashlib.md5(b"ignored", usedforsecurity=False).hexdigest(),
    )
    assert wrong["error"]["code"] == "badmd5"
    assert Page.objects.get(title="Both").current_revision.content.text == "middle"
    right = mw.edit(
        title="Both",
        text="ignored",
        prependtext="top",
        appendtext="bottom",
        md5=hashlib.md5(added.encode(), usedforsecurity=False).hexdigest(),
    )
    assert right["edit"]["result"] == "Success"
    assert Page.objects.get(title="Both").current_revision.content.text == "topmiddlebottom"


# ---------------------------------------------------------------------------- previews


def test_previews_read_text_in_the_pages_own_markup(world: Any, api_as: Any) -> None:
    wiki.page_save(
        user=world.owner,
        space=world.space,
        title="Old notes",
        text="*x*",
        base_revision_id=None,
        content_model="markdown",
    )
    api = api_as(world.alice)
    new = api.post("/spaces/atlas/preview", {"title": "New", "text": "''x'' **y**"}).json()
    assert new["html"] == "<p><i>x</i> **y**\n</p>"  # a new page: the space's wikitext
    old = api.post("/spaces/atlas/preview", {"title": "Old notes", "text": "''x'' **y**"})
    assert old.json()["html"] == "<p>''x'' <strong>y</strong></p>\n"  # the page's Markdown
    assert not Page.objects.filter(title="New").exists()
    # The web editor's live preview reads the same way.
    web = Client()
    assert web.login(username="alice", password=PASSWORD)
    page = web.post("/s/atlas/preview", {"title": "New", "text": "''x''"}).content.decode()
    assert "<i>x</i>" in page
    page = web.post("/s/atlas/preview", {"title": "Old notes", "text": "*x*"}).content.decode()
    assert "<em>x</em>" in page


def test_parse_gives_wikitext_headings_mediawikis_edit_links(world: Any) -> None:
    _save(world, "Sectioned", "Lead\n== One ==\na\n== Two ==\nb")
    mw = MW("atlas")
    html = _html(_parse(mw, page="Sectioned"))
    assert (
        '<h2 id="One">One<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
        '<a href="/s/atlas/w/index.php?title=Sectioned&amp;action=edit&amp;section=1" '
        'title="Edit section: One">edit</a>'
    ) in html
    assert "section=2" in html
    assert "mw-editsection" not in _html(_parse(mw, page="Sectioned", disableeditsection="1"))
    response = mw.client.get(
        "/s/atlas/w/index.php", {"title": "Sectioned", "action": "edit", "section": "2"}
    )
    assert response["Location"] == "/s/atlas/edit/Sectioned?section=2"


def test_the_create_log_carries_the_creations_summary(world: Any) -> None:
    mw = _signed_in()
    mw.edit(title="Logged", text="x", summary="first words")
    mw.edit(title="Logged", text="y", summary="second words")
    entries = mw.get(action="query", list="logevents", letype="create", letitle="Logged")
    assert [row["comment"] for row in entries["query"]["logevents"]] == ["first words"]
