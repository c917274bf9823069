"""The first screen of an interactive drill: the briefing, the team, how time passes.

It is drawn from plain data (``first_screen``), not from a loaded scenario, so that
`tabletop run ID` can show it straight from scenarios/index.json while the scenario models
and the engine load in the background: building the models took longer than importing
every dependency, and the trainee spends that time reading anyway (issue 11, item 13).
`PromptDecider.brief` draws the same screen from a loaded scenario (a scenario file, or an
index that does not match its file).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import questionary
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from simulator.runs.signals import at_prompt
from simulator.ui import terminal
from simulator.ui.briefing import reflow

if TYPE_CHECKING:
    from simulator.format.scenario import Scenario

PROMPT = "Press any key to take the call…"


def first_screen(scenario: Scenario) -> dict[str, Any]:
    """What the first screen shows of a scenario, as plain data (kept in the index)."""
    roster = scenario.roster
    team = [[p.name, p.role] for p in roster.responders]
    if roster.comms_lead:
        team.append([roster.comms_lead.name, f"{roster.comms_lead.role} (can run "
                     "communications)"])
    team += [[s.name, f"{s.role}, wants updates"] for s in roster.stakeholders]
    return {"title": scenario.title, "briefing": scenario.briefing, "team": team}


def render(screen: dict[str, Any], coach: str, pressure: float) -> Panel:
    """The briefing panel: short enough for one 80x24 screen; every string is text."""
    text = Text()
    text.append(reflow(str(screen["briefing"])) + "\n\n")
    text.append("Your team\n", style="bold")
    for name, role in screen["team"]:
        text.append(f"  {name}: {role}\n")
    text.append(f"\nCoaching: {coach}. Simulated time passes only when you act"
                + (f"; each second you think costs {pressure:g} simulated seconds."
                   if pressure else ".") + " Ctrl-C pauses.", style="dim")
    return Panel(text, title=terminal.title(str(screen["title"])), expand=False)


def show(console: Console, screen: dict[str, Any], coach: str, pressure: float,
         while_reading: Callable[[], None] | None = None) -> None:
    """Print the briefing and wait for a key; ``while_reading`` starts once the prompt is
    on screen (not before: it would compete with drawing it)."""
    console.print(render(screen, coach, pressure))
    question = questionary.press_any_key_to_continue(PROMPT)
    if while_reading is not None:
        started: list[bool] = []

        def drawn(_app: Any) -> None:
            if not started:
                started.append(True)
                while_reading()

        question.application.after_render += drawn
    with at_prompt():
        terminal.ask(question)
    console.clear()  # play starts on a clean screen: the briefing stays in scrollback
