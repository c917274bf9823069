"""The Markdown after-action report: scorecard, figures, findings, timeline, plan, and the
text of each process principle it cites (its links point there, never to a file)."""

from __future__ import annotations

from scoring.outcome import rows
from scoring.process_text import cited_markdown
from scoring.scorecard import Scorecard
from scoring.templating import environment


def render_markdown(card: Scorecard) -> str:
    expert = card.comparison["expert"] if card.comparison else None
    template = environment(markdown=True).get_template("report.md.j2")
    return template.render(card=card, figures=rows(card.outcome, expert),
                           process=cited_markdown(card.cited))
