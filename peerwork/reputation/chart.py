"""A person's reputation over time, drawn on the server as SVG (as the ledger's flows chart).

No JavaScript: the SVG carries a <title> and a <desc>, each point a <title> of its own, and
the page lists the same entries as a table.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 60, 20, 20, 40


def history_svg(points: list[tuple[date, int]], *, person: str, space: str) -> str:
    """`points`: the running total at the end of each day something counted, oldest first."""
    title = _("Reputation of %(person)s in %(space)s") % {"person": person, "space": space}
    if points:
        desc = _("From %(first)s (%(low)s) to %(last)s (%(high)s).") % {
            "first": date_format(points[0][0]),
            "low": points[0][1],
            "last": date_format(points[-1][0]),
            "high": points[-1][1],
        }
    else:
        desc = _("No reputation yet.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" '
        'aria-labelledby="reputation-title reputation-desc" font-family="sans-serif" '
        'font-size="12">',
        f'<title id="reputation-title">{escape(title)}</title>',
        f'<desc id="reputation-desc">{escape(desc)}</desc>',
    ]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    values = [value for _day, value in points] + [0]
    high, low = max(values), min(values)
    span = (high - low) or 1
    bottom_y = TOP + plot_h

    def y_of(value: int) -> float:
        return bottom_y - plot_h * (value - low) / span

    parts.append(
        f'<line x1="{LEFT}" y1="{bottom_y}" x2="{LEFT + plot_w}" y2="{bottom_y}" stroke="#333"/>'
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom_y}" stroke="#333"/>'
        f'<text x="{LEFT - 6}" y="{y_of(high) + 4:.1f}" text-anchor="end">{high}</text>'
        f'<text x="{LEFT - 6}" y="{y_of(low) + 4:.1f}" text-anchor="end">{low}</text>'
    )
    count = len(points)
    coordinates = []
    for index, (day, value) in enumerate(points):
        x = LEFT + (plot_w * (index + 0.5) / count)
        coordinates.append(f"{x:.1f},{y_of(value):.1f}")
        label = f"{date_format(day)}: {value}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y_of(value):.1f}" r="3" fill="#1b6ca8">'
            f"<title>{escape(label)}</title></circle>"
        )
    if count > 1:
        parts.append(
            f'<polyline points="{" ".join(coordinates)}" fill="none" stroke="#1b6ca8" '
            'stroke-width="2"/>'
        )
    if points:
        parts.append(
            f'<text x="{LEFT}" y="{HEIGHT - 12}">{escape(date_format(points[0][0]))}</text>'
            f'<text x="{LEFT + plot_w}" y="{HEIGHT - 12}" text-anchor="end">'
            f"{escape(date_format(points[-1][0]))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
