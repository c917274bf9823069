"""The debrief shown when a drill ends: what happened, read back from the journal.

It reveals what the drill hid while it ran (the root cause, the red herrings) next to
what the trainee wrote in the postmortem, the outcome figures, and what the coach said.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from simulator.drill import Outcome
from simulator.journal import Journal, read_journal
from simulator.scenario import Scenario


def at(seconds: int | None) -> str:
    return "never" if seconds is None else f"T+{seconds // 60}:{seconds % 60:02d}"


def figures(outcome: Outcome) -> Table:
    d = outcome.data
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("Outcome", outcome.status),
        ("Service recovered", at(d.get("recovered_at"))),
        ("Declared resolved", at(d.get("resolved_at"))),
        ("User impact", f"{d.get('failed', 0):,} {d.get('impact_unit', '')}"),
        ("Evidence lost", ", ".join(d.get("evidence_lost", [])) or "none"),
        ("Second incident caused", ", ".join(d.get("second_incident", [])) or "no"),
        ("Decisions", str(d.get("decisions", 0))),
    ]
    for name, value in rows:
        table.add_row(name, value)
    return table


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


def render_debrief(scenario: Scenario, outcome: Outcome, journal_path: Path) -> RenderableType:
    journal = read_journal(journal_path)
    d = scenario.debrief
    parts: list[RenderableType] = [figures(outcome), Text("")]
    parts += [Text("What was really going on", style="bold"), Text(" ".join(d.root_cause.split()))]
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
    if d.follow_ups:
        parts += [Text("Follow-ups an experienced IC would list", style="bold"),
                  *[Text(f"  • {f}") for f in d.follow_ups]]
    if any(True for _ in journal.events("coaching")):
        parts += [Text("Coaching", style="bold"), _coaching(journal)]
    parts.append(Text(f"\nJournal: {journal_path}", style="dim"))
    return Panel(Group(*parts), title=f"Debrief: {scenario.title}", expand=True)
