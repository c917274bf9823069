"""The reveal shown when an interactive drill ends, before the scorer's debrief.

It tells what the drill hid while it ran (the root cause, the red herrings) next to what
the trainee wrote in the postmortem, and what the coach said. The grading, the figures
and the improvement plan are the scorer's (scoring.debrief); this part only reads the
journal and the scenario.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from simulator.engine.drill import Outcome
from simulator.engine.incidents import describe
from simulator.format.scenario import Scenario
from simulator.runs.journal import Journal, read_journal
from simulator.ui.terminal import title


def _postmortem(journal: Journal) -> dict[str, Any] | None:
    found = list(journal.events("postmortem"))
    return dict(found[-1].get("data") or {}) if found else None


def _coaching(journal: Journal) -> Text:
    tips = [r for r in journal.events("coaching") if (r.get("data") or {}).get("mode") == "tip"]
    warnings = [r for r in journal.events("coaching")
                if (r.get("data") or {}).get("mode") == "warning"]
    heeded = sum(1 for r in warnings if r["data"].get("heeded"))
    faded = [r["data"]["principle"] for r in journal.events("coaching_faded")]
    line = Text(f"{len(tips)} tips, {len(warnings)} warnings ({heeded} heeded).")
    if faded:
        line.append(f" You applied these without being told, so the coach let go: "
                    f"{', '.join(faded)}.")
    return line


def render_reveal(scenario: Scenario, outcome: Outcome, journal_path: Path) -> RenderableType:
    journal = read_journal(journal_path)
    d = scenario.debrief
    parts: list[RenderableType] = [
        Text(f"The drill ended: {outcome.status}.", style="bold"), Text(""),
        Text("What was really going on", style="bold"), Text(" ".join(d.root_cause.split()))]
    if d.contributing_factors:
        parts += [Text("Contributing factors", style="bold"),
                  *[Text(f"  • {f}") for f in d.contributing_factors]]
    if d.red_herrings:
        parts += [Text("Red herrings", style="bold"), *[Text(f"  • {f}") for f in d.red_herrings]]
    written = _postmortem(journal)
    parts.append(Text("Your postmortem", style="bold"))
    if written is None:
        parts.append(Text("  (none written)", style="yellow"))
    else:
        parts.append(Text(f"  Root cause: {written.get('root_cause', '(empty)')}"))
        items = written.get("action_items") or []
        parts.append(Text(f"  {len(items)} action item(s), "
                          f"{sum(1 for i in items if i.get('owner') and i.get('due'))} "
                          "with an owner and a due date"))
    caused = describe(scenario, outcome.data.get("second_incident") or [],
                      journal.events("second_incident"))
    if caused:
        parts += [Text("A second incident the response caused", style="bold"),
                  *[Text(f"  • {c}") for c in caused]]
    landed = {str((e.get("data") or {}).get("change")) for e in journal.events("change_applied")}
    follow_ups = d.follow_ups_for(landed)
    if follow_ups:
        parts += [Text("Follow-ups an experienced IC would list after this run", style="bold"),
                  *[Text(f"  • {f}") for f in follow_ups]]
    if any(True for _ in journal.events("coaching")):
        parts += [Text("Coaching", style="bold"), _coaching(journal)]
    return Panel(Group(*parts), title=title(f"Debrief: {scenario.title}"),
                 expand=True)
