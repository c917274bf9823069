"""The trainee's briefing (no spoilers) and the facilitator's MSEL view of a scenario."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from simulator.ui.terminal import title

if TYPE_CHECKING:
    from simulator.format.scenario import Scenario


def reflow(text: str) -> str:
    """Paragraphs joined into single lines, so the terminal wraps them to its width.

    Scenario files wrap prose at whatever width their author liked (often in a literal
    block); printed as is, an 80-column terminal breaks those lines a second time. Blank
    lines still separate paragraphs. `tabletop show` and `tabletop run` both use this.
    """
    paragraphs = [" ".join(block.split()) for block in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _bullets(items: list[str]) -> Table:
    """A bulleted list whose long items wrap under their own text, not under the bullet."""
    grid = Table.grid()
    grid.add_column(width=4, no_wrap=True)
    grid.add_column()
    for item in items:
        grid.add_row("  • ", Text(item))
    return grid


def _source_line(scenario: Scenario, msel: bool) -> Text:
    """Where the facts come from. The trainee sees only who published the postmortem: its
    full reference tells the incident (the root cause, the fix), so the facilitator's view
    (`--msel`) cites it in full."""
    from simulator.ui.names import source_name

    source = scenario.source or ""
    if msel:
        return Text.assemble(("Source: ", "bold"), reflow(source))
    return Text.assemble(("Source: ", "bold"), f"a public postmortem ({source_name(source)}); "
                         "the facilitator's view (show --msel) cites it in full")


def render_briefing(scenario: Scenario, msel: bool = False) -> RenderableType:
    parts: list[RenderableType] = [
        Text(scenario.title, style="bold"),
        Text(f"{scenario.difficulty} · about {scenario.expected_minutes} simulated minutes · "
             f"starts {scenario.start_time} UTC", style="dim"),
        Text(""),
        Text(reflow(scenario.briefing)),
        Text(""),
        Text("What you will practise:", style="bold"),
        _bullets(scenario.learning_objectives),
    ]
    if scenario.source:
        parts += [Text(""), _source_line(scenario, msel)]
    team = Table(title=title("Your team"), show_edge=False)
    team.add_column("who")
    team.add_column("role")
    team.add_column("knows")
    roster = scenario.roster
    team.add_row(roster.ic.name, "you: incident commander", "")
    for p in roster.responders:
        team.add_row(p.name, p.role, ", ".join(p.skills))
    if roster.comms_lead:
        team.add_row(roster.comms_lead.name, roster.comms_lead.role, "")
    for s in roster.stakeholders:
        team.add_row(s.name, s.role, f"wants updates ({s.audience})")
    parts += [Text(""), team]
    if msel:
        table = Table(title=title("MSEL: injects (facilitator only)"))
        for col in ("at", "when", "from", "inject", "expected action", "objective"):
            table.add_column(col)
        for inj in scenario.injects:
            table.add_row(f"T+{inj.at_minutes:g}", "conditional" if inj.when else "timed",
                          inj.source, inj.text, inj.expects, inj.objective)
        parts += [Text(""), table]
        if scenario.variants:
            from simulator.format.variants import options

            varies = Table(title=title("Variants: the seed picks one of each"))
            for col in ("choice point", "sets", "options"):
                varies.add_column(col)
            for v in scenario.variants:
                picks = (f"{v.range[0]:g} to {v.range[1]:g}" if v.range is not None
                         else ", ".join(label for label, _ in options(v)))
                varies.add_row(v.id, v.path or "(per option)", picks)
            parts += [Text(""), varies]
    return Panel(Group(*parts), title=title(f"scenario: {scenario.id}"),
                 expand=False)
