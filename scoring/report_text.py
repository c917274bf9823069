"""The terminal scorecard (rich): total, ratings, the biggest gaps and what to do about them.

Short on purpose: it is the debrief printed at the end of `tabletop run`; the Markdown and
HTML reports carry the full evidence.
"""

from __future__ import annotations

import io

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from scoring.outcome import rows
from scoring.scorecard import Scorecard
from simulator.ui import terminal

STYLE = {"P": "bold green", "S": "bold yellow", "M": "bold dark_orange", "U": "bold red",
         "N/A": "dim"}
SHOW_EVIDENCE = 2


def render_scorecard(card: Scorecard, plan_items: int = 5) -> RenderableType:
    head = Text.assemble(("Score ", "bold"), (f"{card.score}/100", "bold cyan"),
                         f"  ·  {card.scenario_id} seed {card.seed}  ·  {card.player}  ·  "
                         f"{card.status}")
    if card.comparison:
        head.append(f"  ·  expert on this seed: {card.comparison['expert_score']}/100")
    head.append("\n" + card.coverage, style="bold yellow" if card.stopped_at is not None
                else "dim")
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("Criterion", no_wrap=True)
    table.add_column("Rating", justify="center")
    table.add_column("Points", justify="right")
    table.add_column("Why")
    for c in card.criteria:
        table.add_row(c.id, Text(c.rating, style=STYLE[c.rating]),
                      f"{c.points:g}/{c.max_points:g}", c.reason)
    figures = Table.grid(padding=(0, 2))
    figures.add_column(style="bold")
    figures.add_column()
    figures.add_column(style="dim")
    figures.add_row("Figure", "This run", "Expert path")
    expert = card.comparison["expert"] if card.comparison else None
    for label, mine, theirs in rows(card.outcome, expert):
        figures.add_row(label, mine, theirs)
    plan = Text()
    for i, c in enumerate(card.weaknesses[:plan_items], start=1):
        plan.append(f"{i}. [{c.rating}] {c.id}: ", style=STYLE[c.rating])
        plan.append(c.advice + "\n")
        for e in [e for e in c.evidence if not e.good][:SHOW_EVIDENCE]:
            plan.append(f"     {e.when} {e.text}\n", style="dim")
    if not card.weaknesses:
        plan.append(card.clean_plan + "\n")
    parts: list[RenderableType] = [head, Text(card.verification, style="dim"), Text(""), table,
                                  Text("")]
    if card.participants:
        parts += [team_table(card), Text(f"Command held by: {card.command_held}"), Text("")]
    if card.observations:
        parts += [observations_table(card), Text("")]
    return Group(*parts, figures, Text(""),
                 Text("Improvement plan (biggest gaps first)", style="bold"), plan)


def team_table(card: Scorecard) -> Table:
    """The team as a whole and each person on the criteria of their role."""
    table = Table(title=f"Team {card.score}/100; each person on the criteria of their role "
                  "(† judged on their own changes)",
                  show_edge=False, pad_edge=False, expand=False, title_justify="left")
    for col in ("Person", "Role", "Score", "Criteria of the role", "Decided"):
        table.add_column(col, justify="right" if col == "Score" else "left")
    for p in card.participants:
        ratings = Text()
        for c in p["criteria"]:
            ratings.append(c["rating"], style=STYLE[c["rating"]])
            ratings.append(f" {c['id']}{'†' if c.get('own') else ''}  ")
        table.add_row(p["name"], p["role"], "-" if p["score"] is None else f"{p['score']}/100",
                      ratings, p["decided"])
    return table


def observations_table(card: Scorecard) -> Table:
    """Evaluators' ratings beside the scorer's: disagreement shown, never merged."""
    table = Table(title="Evaluator observations beside the automatic rating",
                  show_edge=False, pad_edge=False, expand=False, title_justify="left")
    for col in ("When", "Criterion", "Evaluator", "Automatic", "Agreement", "Note", "By"):
        table.add_column(col)
    for o in card.observations:
        table.add_row(o["when"], o["criterion"], Text(o["rating"], style=STYLE.get(
            o["rating"], "")), Text(o["machine"], style=STYLE.get(o["machine"], "")),
            ("✔ " if o["agree"] else "≠ ") + o["verdict"], o["note"], o["by"])
    return table


def render_text(card: Scorecard, width: int = 100) -> str:
    """Plain text (no colour codes) of the scorecard, for `--format text --output FILE`."""
    buffer = io.StringIO()
    console = terminal.console(file=buffer, width=width, color_system=None,
                               force_terminal=False)
    console.print(render_scorecard(card, plan_items=len(card.weaknesses)))
    return buffer.getvalue()
