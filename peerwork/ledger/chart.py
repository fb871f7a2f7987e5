"""The flows chart: money moved per month, one line per kind, drawn on the server as SVG.

No JavaScript: the SVG carries a <title> and a <desc>, every point a <title> of its own, the
axes and the legend are text, and the page shows the same numbers as a table.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from peerwork.core.money import format_money

from .models import Kind
from .selectors import Flows

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 90, 170, 30, 50
#: One colour per kind, distinguishable and in the order of Kind.
COLOURS = [
    "#1b6ca8",
    "#2a9d8f",
    "#e76f51",
    "#8d5a97",
    "#6c757d",
    "#f4a261",
    "#264653",
    "#b5838d",
    "#e9c46a",
    "#43aa8b",
    "#d62828",
]


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def flows_svg(flows: Flows, *, space_name: str) -> str:
    title = _("Money in and out of %(space)s by month, in %(currency)s") % {
        "space": space_name,
        "currency": flows.currency,
    }
    kinds = list(flows.series)
    if flows.months:
        desc = _("%(kinds)s, from %(first)s to %(last)s.") % {
            "kinds": ", ".join(str(Kind(kind).label) for kind in kinds),
            "first": date_format(flows.months[0], "YEAR_MONTH_FORMAT"),
            "last": date_format(flows.months[-1], "YEAR_MONTH_FORMAT"),
        }
    else:
        desc = _("No money has moved yet.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="flows-title flows-desc" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="flows-title">{escape(title)}</title>',
        f'<desc id="flows-desc">{escape(desc)}</desc>',
    ]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max([max(values) for values in flows.series.values()] + [1])
    bottom_y = TOP + plot_h
    parts.append(
        f'<line x1="{LEFT}" y1="{bottom_y}" x2="{LEFT + plot_w}" y2="{bottom_y}" stroke="#333"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom_y}" stroke="#333"/>'
    )
    for fraction in (0, 0.5, 1):
        y = bottom_y - fraction * plot_h
        label = format_money(round(top * fraction), flows.currency)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(label)}</text>'
        )
    count = len(flows.months)

    def x_of(index: int) -> float:
        return LEFT + (plot_w * (index + 0.5) / count if count else 0)

    for index, month in enumerate(flows.months):
        label = date_format(month, "YEAR_MONTH_FORMAT")
        parts.append(
            f'<text class="month" x="{x_of(index):.1f}" y="{bottom_y + 18}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for position, kind in enumerate(kinds):
        colour = COLOURS[Kind.values.index(kind) % len(COLOURS)]
        name = str(Kind(kind).label)
        values = flows.series[kind]
        points = " ".join(
            f"{x_of(i):.1f},{bottom_y - plot_h * value / top:.1f}" for i, value in enumerate(values)
        )
        parts.append(f'<g class="series" data-kind="{_attr(kind)}"><title>{escape(name)}</title>')
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        for i, value in enumerate(values):
            tip = f"{name}, {date_format(flows.months[i], 'YEAR_MONTH_FORMAT')}: " + format_money(
                value, flows.currency
            )
            parts.append(
                f'<circle cx="{x_of(i):.1f}" cy="{bottom_y - plot_h * value / top:.1f}" r="3" '
                f'fill="{colour}"><title>{escape(tip)}</title></circle>'
            )
        legend_y = TOP + 16 * position
        parts.append(
            f'<rect x="{LEFT + plot_w + 12}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{colour}"/><text x="{LEFT + plot_w + 28}" y="{legend_y}">{escape(name)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
