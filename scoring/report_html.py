"""The HTML after-action report: one self-contained file (inline CSS and SVG, no scripts,
no remote assets) that a facilitator can put on a projector or mail around. Links to the
process point inside the file: each cited principle's text is embedded at the end."""

from __future__ import annotations

from collections import Counter

from scoring.chart import render_svg
from scoring.outcome import rows
from scoring.process_text import cited
from scoring.scorecard import Scorecard
from scoring.templating import environment


def render_html(card: Scorecard) -> str:
    expert = card.comparison["expert"] if card.comparison else None
    counts = Counter(c.rating for c in card.criteria)
    template = environment().get_template("report.html.j2")
    return template.render(card=card, chart=card.chart, svg=render_svg(card.chart),
                           figures=rows(card.outcome, expert),
                           process=cited(card.cited),
                           counts={r: counts.get(r, 0) for r in ("P", "S", "M", "U", "N/A")})
