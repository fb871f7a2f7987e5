"""The remembered `{% url %}` answers as Django's reverse() would, in every case its key must
tell apart; and the URLconf stays free of what would make an answer depend on the language."""

from __future__ import annotations

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse, set_script_prefix
from django.urls.resolvers import LocalePrefixPattern
from django.utils.html import conditional_escape

from peerwork.core.templatetags import urls as url_tag


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


@pytest.fixture(autouse=True)
def fresh() -> None:
    url_tag.forget()


def test_every_template_uses_the_remembered_tag() -> None:
    template = engines["django"].from_string("{% url 'wiki:watchlist' %}")
    nodes = template.template.nodelist.get_nodes_by_type(url_tag.RememberedURLNode)
    assert len(nodes) == 1


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("wiki:watchlist", ()),
        ("wiki:history", ("open-atlas", "Main_Page")),
        ("wiki:history", ("open-atlas", "Caf\u00e9 & \u201cquotes\u201d/sub page")),
        ("accounts:profile", ("ada",)),
        ("accounts:profile", ("grace",)),
    ],
)
def test_same_answer_as_reverse_twice(name: str, args: tuple[str, ...]) -> None:
    expected = reverse(name, args=args)
    for _ in range(2):  # the first call fills the memory, the second reads it
        assert url_tag.reverse_remembered(name, args) == expected


def test_arguments_are_part_of_the_key() -> None:
    first = render("{% url 'accounts:profile' who %}", who="ada")
    second = render("{% url 'accounts:profile' who %}", who="grace")
    assert first != second
    assert second == reverse("accounts:profile", args=["grace"])


def test_escaped_and_as_variable_like_django() -> None:
    title = 'A "quoted" <b> page'
    source = "{% url 'wiki:history' 'open-atlas' title %}"
    expected = conditional_escape(reverse("wiki:history", args=["open-atlas", title]))
    assert render(source, title=title) == expected
    assert "&" in expected or "%22" in expected
    assert render("{% url 'wiki:history' 'x' t as u %}[{{ u }}]", t="P") == (
        f"[{reverse('wiki:history', args=['x', 'P'])}]"
    )
    assert render("{% url 'no-such-view' as u %}[{{ u }}]") == "[]"


def test_unknown_view_still_raises() -> None:
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-view' %}")


def test_script_prefix_is_part_of_the_key() -> None:
    plain = url_tag.reverse_remembered("wiki:watchlist")
    set_script_prefix("/mounted/")
    try:
        assert url_tag.reverse_remembered("wiki:watchlist") == "/mounted" + plain
    finally:
        set_script_prefix("/")
    assert url_tag.reverse_remembered("wiki:watchlist") == plain


def test_a_changed_urlconf_forgets() -> None:
    url_tag.reverse_remembered("wiki:watchlist")
    assert url_tag._REVERSED
    with override_settings(ROOT_URLCONF="peerwork.urls"):
        assert not url_tag._REVERSED


def test_unhashable_arguments_are_reversed_every_time() -> None:
    class Unhashable(str):
        __hash__ = None  # type: ignore[assignment]

    assert url_tag.reverse_remembered("accounts:profile", [Unhashable("ada")]) == reverse(
        "accounts:profile", args=["ada"]
    )


def _patterns(resolver: URLResolver) -> list[URLPattern | URLResolver]:
    found: list[URLPattern | URLResolver] = []
    for entry in resolver.url_patterns:
        found.append(entry)
        if isinstance(entry, URLResolver):
            found.extend(_patterns(entry))
    return found


def test_no_url_depends_on_the_language() -> None:
    """The remembered tag keys by neither language nor translation: if a pattern gains a
    language prefix or a translated route, its memory must learn the language first."""
    from django.utils.functional import Promise

    for entry in _patterns(get_resolver()):
        assert not isinstance(entry.pattern, LocalePrefixPattern), entry
        assert not isinstance(getattr(entry.pattern, "_route", None), Promise), entry
        assert not isinstance(getattr(entry.pattern, "_regex", None), Promise), entry
