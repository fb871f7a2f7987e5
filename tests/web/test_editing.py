"""Where people type markup: the editor's help line and toolbar, the markup help page whose
examples the one renderer draws live, and people named by their display names."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from peerwork.accounts import actions as accounts
from peerwork.accounts.models import User
from peerwork.challenges.models import Challenge
from peerwork.core.markup import render_markdown
from peerwork.demo import DEMO_PASSWORD, load_demo
from peerwork.governance.models import Proposal
from peerwork.ideas.models import Idea
from peerwork.spaces import actions as spaces
from peerwork.tasks.models import Task
from peerwork.wiki import actions as wiki
from peerwork.wiki.models import Revision

pytestmark = pytest.mark.django_db

#: What each language's editor and help page say.
SAYS = {
    "en": {
        "line": "Markdown: **bold**, *italic*, [a link](https://example.org), [[Page title]] "
        "links to a page of this space, and [[Category:Name]] files the page in a category.",
        "wikitext": "This page is written in MediaWiki wikitext",
        "how": "How to write it",
        "buttons": ["Heading", "Bold", "Italic", "Link to a web address", "Link to a page", "List"],
        "title": "How to write pages and comments",
        "bold": ("**Bold**, *italic*, ~~struck out~~ and `code`.", "<strong>Bold</strong>"),
    },
    "es": {
        "line": "Markdown: **negrita**, *cursiva*, [un enlace](https://example.org); [[Título de "
        "página]] enlaza con una página de este espacio y [[Categoría:Nombre]] archiva la "
        "página en una categoría.",
        "wikitext": "Esta página está escrita en wikitexto de MediaWiki",
        "how": "Cómo se escribe",
        "buttons": [
            "Título",
            "Negrita",
            "Cursiva",
            "Enlace a una dirección web",
            "Enlace a una página",
            "Lista",
        ],
        "title": "Cómo escribir páginas y comentarios",
        "bold": ("**Negrita**, *cursiva*, ~~tachado~~ y `código`.", "<strong>Negrita</strong>"),
    },
}
LANGUAGES = list(SAYS)


@pytest.fixture
def garden(make_user: Any, make_space: Any) -> Any:
    ana = make_user("ana", display_name="Ana Alvarez")
    space = make_space(ana, "garden")
    wiki.page_save(user=ana, space=space, title="Plants", text="Roses.", base_revision_id=None)
    client = Client()
    client.force_login(ana)
    return space, ana


def _client(user: User, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _toolbar(page: str, target: str) -> str:
    found = re.search(
        rf'<div class="markup-toolbar"[^>]*data-markup-toolbar="{target}".*?</div>', page, re.S
    )
    assert found, f"no toolbar for #{target}"
    return found.group(0)


def _labels(toolbar: str) -> list[str]:
    return re.findall(r'data-markup="\w+" aria-label="([^"]+)"', toolbar)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_wiki_editor_says_what_it_takes_and_carries_a_toolbar(
    garden: Any, language: str
) -> None:
    space, ana = garden
    page = _client(ana, language).get("/s/garden/edit/Plants").content.decode()
    says = SAYS[language]
    assert html.escape(says["line"], quote=False) in html.unescape(page).replace(
        "&", "&amp;"
    ) or says["line"] in html.unescape(page)
    assert f'href="/help/markup/" target="_blank" rel="noopener">{says["how"]}</a>' in page
    toolbar = _toolbar(page, "id_text")
    assert " hidden>" in toolbar.split("\n")[0] + toolbar  # shown by the script only
    assert 'role="toolbar"' in toolbar and 'data-markup-model="markdown"' in toolbar
    assert _labels(toolbar) == says["buttons"]
    assert 'aria-keyshortcuts="Control+B Meta+B"' in toolbar
    assert '<script src="/static/peerwork/editor.js' in page
    # The text area is described by the help line and still works as a plain text area.
    assert re.search(
        r'<textarea name="text" id="id_text"[^>]*aria-describedby="id_text-markup"', page
    )
    assert 'id="id_text-markup"' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_kept_in_wikitext_says_so_and_its_toolbar_writes_wikitext(
    garden: Any, language: str
) -> None:
    space, ana = garden
    Revision.objects.filter(page__title="Plants").update(content_model="wikitext")
    page = _client(ana, language).get("/s/garden/edit/Plants").content.decode()
    assert SAYS[language]["wikitext"] in page
    assert 'data-markup-model="wikitext"' in _toolbar(page, "id_text")


@pytest.mark.parametrize("language", LANGUAGES)
def test_ideas_tasks_proposals_and_comments_share_the_editor(garden: Any, language: str) -> None:
    space, ana = garden
    client = _client(ana, language)
    for path, target in [
        ("/s/garden/ideas/new", "id_description"),
        ("/s/garden/tasks/new", "id_description"),
        ("/s/garden/decisions/new", "id_body"),
    ]:
        page = client.get(path).content.decode()
        assert _labels(_toolbar(page, target)) == SAYS[language]["buttons"], path
        assert re.search(rf'id="{target}"[^>]*|aria-describedby="{target}-markup', page)
    thread = client.get("/s/garden/discussion/Plants").content.decode()
    toolbar = _toolbar(thread, r"[\w-]+")
    assert _labels(toolbar) == SAYS[language]["buttons"][1:]  # comments have no headings


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_markup_help_shows_each_example_beside_what_the_renderer_makes(
    language: str, db: Any
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/help/markup/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"<h1>{SAYS[language]['title']}</h1>" in body
    sources = [
        html.unescape(s) for s in re.findall(r'data-testid="source"><code>(.*?)</code>', body, re.S)
    ]
    results = re.findall(r'data-testid="result">(.*?)</div></div>\n', body, re.S)
    assert len(sources) == len(results) == 7
    for source, result in zip(sources, results, strict=True):
        assert result == render_markdown(source).html
    source, bold = SAYS[language]["bold"]
    assert source in sources
    assert bold in body
    assert '<li class="task-list-item' in body or 'type="checkbox"' in body


def test_the_markup_help_is_open_to_everyone_and_kept(db: Any) -> None:
    response = Client().get("/help/markup/")
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_people_with_one_display_name_are_told_apart_by_username(
    garden: Any, language: str
) -> None:
    space, ana = garden
    other = accounts.user_signup(
        username="ana2", password="x-long-password-1", display_name="Ana Alvarez"
    )
    spaces.space_member_add(user=ana, space=space, member=other, role="member")
    page = _client(ana, language).get("/s/garden/activity/").content.decode()
    assert "Ana Alvarez (@ana)" in page or "Ana Alvarez (@ana2)" in page
    accounts.user_update_profile(user=other, person=other, display_name="Ana Beltran")
    page = _client(ana, language).get("/s/garden/activity/").content.decode()
    assert "(@ana)" not in page and "(@ana2)" not in page
    assert "Ana Alvarez" in page and "Ana Beltran" in page


# --- the demo's screens name people by their display names ---------------------------------

#: What a person reads: the page without tags, scripts, text areas or code, entities decoded.
HIDDEN = re.compile(r"<(script|style|textarea|pre|code)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def _read(page: str) -> str:
    main = page[page.find("<main") : page.find("</main>")] if "<main" in page else page
    return " ".join(html.unescape(TAG.sub(" ", HIDDEN.sub(" ", main))).split())


def bare_usernames(page: str, people: dict[str, str]) -> list[str]:
    """The usernames that stand alone in what a person reads, where the person has a display
    name (a username beside its display name, "Ada Lovelace (@ada)", is meant)."""
    text = _read(page)
    return sorted(
        username
        for username, name in people.items()
        if name and re.search(rf"(?<![@\w/.-]){re.escape(username)}(?![\w/.-])", text)
    )


def test_the_username_check_sees_a_bare_username() -> None:
    people = {"ada": "Ada Lovelace", "bob": ""}
    assert bare_usernames("<main><p>Posted by ada</p></main>", people) == ["ada"]
    assert bare_usernames("<main><p>Jurado: ada, bob</p></main>", people) == ["ada"]
    assert bare_usernames("<main><p>Ada Lovelace (@ada)</p></main>", people) == []
    assert bare_usernames('<main><a href="/u/ada">Ada Lovelace</a></main>', people) == []
    assert bare_usernames("<main><textarea>ada</textarea></main>", people) == []


def _demo_screens() -> list[str]:
    challenge = Challenge.objects.order_by("pk").first()
    idea = Idea.objects.order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    proposal = Proposal.objects.order_by("pk").first()
    assert challenge and idea and task and proposal
    return [
        f"/s/{challenge.space.slug}/challenges/{challenge.pk}/",
        f"/s/{challenge.space.slug}/challenges/",
        f"/s/{idea.space.slug}/ideas/{idea.pk}/",
        f"/s/{task.space.slug}/tasks/{task.pk}/",
        f"/s/{task.space.slug}/tasks/",
        f"/s/{proposal.space.slug}/decisions/{proposal.pk}/",
        f"/s/{idea.space.slug}/wiki/Main_page",
        f"/s/{idea.space.slug}/history/Main_page",
        f"/s/{idea.space.slug}/activity/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_s_screens_name_people_by_their_display_names(language: str, db: Any) -> None:
    assert load_demo()
    people = dict(User.objects.values_list("username", "display_name"))
    wrong = {}
    for username in ["ada", "grace"]:
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        assert client.login(username=username, password=DEMO_PASSWORD)
        for path in _demo_screens():
            response = client.get(path, follow=True)
            assert response.status_code == 200, path
            bare = bare_usernames(response.content.decode(), people)
            if bare:
                wrong[f"{username} {path}"] = bare
    assert wrong == {}
