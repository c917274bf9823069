"""The incident view: one static picture of the incident, drawn between two decisions.

It is rendered, never kept live: a `rich.live.Live` running while questionary prompts
garbles the screen, so the view is printed once and the prompt goes below it. The layout
is budgeted in lines so that view + menu fit an 80x24 terminal; a wide terminal gets the
channel in a second column with more history. Out-of-SLO metrics carry a "!" as well as a
colour, so NO_COLOR terminals (and plain-text tests) see the same warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from io import StringIO
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from simulator.engine.core import Change, Engine
from simulator.engine.numbers import metric_value, number
from simulator.engine.world import SECONDS
from simulator.format.scenario import Metric
from simulator.ui import terminal

SPARKS = "▁▂▃▄▅▆▇█"
WIDE = 110  # from this width the channel moves to a second column


@dataclass(frozen=True)
class Budget:
    """The space the view may use: terminal width and the lines left above the prompt."""

    width: int = 80
    lines: int = 14


@dataclass(frozen=True)
class Layout:
    """How much the narrow view folds to leave the channel its rows (see choose_layout)."""

    fold_status: bool = False  # team on one row; waiting and changes share one row
    no_titles: bool = False    # no metric column titles
    hide_calm: bool = False    # metrics within their SLO (not user-facing) left out
    no_rule: bool = False      # no "channel" rule (its entries start with a time)


#: tried in order until the channel gets MIN_CHANNEL rows
LAYOUTS = (Layout(), Layout(fold_status=True), Layout(fold_status=True, no_titles=True),
           Layout(fold_status=True, hide_calm=True),
           Layout(fold_status=True, no_titles=True, hide_calm=True),
           Layout(fold_status=True, no_titles=True, hide_calm=True, no_rule=True))
MIN_CHANNEL = 5


def clock(seconds: float) -> str:
    """Simulated time since the drill started, as T+mm:ss."""
    total = int(seconds)
    return f"T+{total // 60:02d}:{total % 60:02d}"


def sparkline(values: list[float], low: float, high: float) -> str:
    """One character per minute, scaled between ``low`` and ``high``."""
    span = high - low
    if span <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(len(SPARKS) - 1, max(0, int((v - low) / span * len(SPARKS))))]
                   for v in values)


FLAT = 0.02  # a metric that moved less than 2% of its baseline draws a flat line


def metric_spark(metric: Metric, series: list[float]) -> str:
    """The sparkline of one metric, on a scale that includes its baseline and its SLO bound.

    Noise is not news: a series that moved less than 2% of the baseline is drawn flat, and
    the scale is never narrower than six standard deviations of the metric's declared
    noise, so sampling jitter moves the line a notch, not from floor to ceiling.
    """
    if not series:
        return ""
    low = min([metric.baseline, *series])
    high = max([metric.baseline, *series, *(x for x in (metric.slo.max,) if x is not None)])
    high = max(high, low + 6 * metric.noise)
    if max(series) - min(series) < FLAT * abs(metric.baseline):
        level = sum(series) / len(series)
        return sparkline([level] * len(series), low, high)
    return sparkline(series, low, high)


def rows(text: Text, width: int) -> int:
    """How many terminal rows ``text`` takes once word-wrapped to ``width``."""
    console = terminal.console(file=StringIO(), width=width, color_system=None)
    return len(text.wrap(console, width))


def header(engine: Engine) -> Table:
    """Title on the left (cut to fit), clock, severity and commander on the right."""
    commander = engine.name(engine.commander) if engine.commander else "nobody"
    right = Text()
    right.append(f"{clock(engine.now)} {engine.clock(engine.now)} UTC", style="bold cyan")
    right.append(f"  {engine.severity or 'undeclared'}",
                 style="bold red" if engine.severity in (None, "P1") else "bold yellow")
    right.append(f"  IC {commander}")
    grid = Table.grid(expand=True, padding=(0, 1))
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    grid.add_row(Text(engine.scenario.title, style="bold"), right)
    return grid


def calm(engine: Engine, metric: Metric) -> bool:
    """A metric with an SLO, within it, and not user-facing: first to go when space is short."""
    has_slo = metric.slo.max is not None or metric.slo.min is not None
    return has_slo and not metric.key and engine.world.within_slo(metric.id)


def shown_metrics(engine: Engine, layout: Layout) -> list[Metric]:
    metrics = list(engine.scenario.metrics)
    return [m for m in metrics if not (layout.hide_calm and calm(engine, m))]


def metrics_table(engine: Engine, spark_width: int, space: int = 80,
                  layout: Layout | None = None) -> Table:
    """Metric rows; names get whatever ``space`` the numbers and sparkline leave over."""
    layout = layout or Layout()
    world = engine.world
    metrics = shown_metrics(engine, layout)
    hidden = len(engine.scenario.metrics) - len(metrics)
    name_width = max(20, min(40, space - 23 - spark_width))
    table = Table(box=None, padding=(0, 1), show_edge=False, pad_edge=False, expand=False,
                  show_header=not layout.no_titles)
    table.add_column(f"metric (+{hidden} within SLO)" if hidden else "metric", no_wrap=True,
                     overflow="ellipsis", max_width=name_width)
    table.add_column("now", justify="right", no_wrap=True)
    table.add_column("base", justify="right", no_wrap=True, style="dim")
    table.add_column("SLO", justify="right", no_wrap=True, style="dim")
    table.add_column(f"last {spark_width} min", no_wrap=True)
    for metric in metrics:
        value = world.values[metric.id]
        bad = not world.within_slo(metric.id)
        slo = (f"≤{number(metric.slo.max)}" if metric.slo.max is not None else
               f"≥{number(metric.slo.min)}" if metric.slo.min is not None else "-")
        series = [h[metric.id] for h in engine.history[-spark_width:]]
        style = "bold red" if bad else ""
        table.add_row(Text(("! " if bad else "  ") + metric.title, style=style),
                      Text(metric_value(metric, value), style=style),
                      metric_value(metric, metric.baseline), slo,
                      Text(metric_spark(metric, series), style="red" if bad else "green"))
    return table


def entry(engine: Engine, record: dict[str, Any], new: bool) -> Text:
    line = Text()
    line.append(engine.clock(record["t"]) + " ", style="dim")
    line.append(" ".join(str(record["text"]).split()), style="bold" if new else "")
    return line


def oldest_fitting(engine: Engine, width: int, lines: int) -> int:
    """Index of the oldest entry shown when the newest entries fill ``lines`` rows."""
    used = 0
    for index in range(len(engine.channel) - 1, -1, -1):
        used += rows(entry(engine, engine.channel[index], False), width)
        if used > lines:
            return index + 1
    return 0


def first_shown(engine: Engine, width: int, lines: int, new_since: int) -> int:
    """Where the channel section starts. A new entry is never cut: if it does not fit it
    goes above the view (see hidden_news) and one row is kept to say so."""
    first = oldest_fitting(engine, width, lines)
    if first > new_since:
        first = oldest_fitting(engine, width, lines - 1)
    return first


def channel_lines(engine: Engine, width: int, lines: int, new_since: int = 0) -> Text:
    """The newest channel entries that fit in ``lines`` rows of ``width`` columns.

    Entries posted since the last view (index >= ``new_since``) are bold; those that do
    not fit are counted on the first row (the prompt prints them in full above the view).
    Rows left over show the start of the next older entry, cut, since it was shown in full
    before.
    """
    if not engine.channel:
        return Text("(the channel is quiet)", style="dim")
    first = first_shown(engine, width, lines, new_since)
    hidden = max(0, first - new_since)
    shown = [entry(engine, engine.channel[i], i >= new_since)
             for i in range(first, len(engine.channel))]
    if hidden:
        left = lines - 1 - sum(rows(t, width) for t in shown)
        if not shown and left > 0:  # the newest entry alone is taller than the view: its
            # start, cut, so the arrow is never the only line (it is printed in full above)
            shown.append(first_rows(entry(engine, engine.channel[-1], True), width, left))
        shown.insert(0, Text(f"↑ {hidden} new message(s) above the view", style="yellow"))
    elif first > 0:  # rows to spare: the start of the next older (already read) entry
        left = lines - sum(rows(t, width) for t in shown)
        if left > 0:
            shown.insert(0, first_rows(entry(engine, engine.channel[first - 1], False),
                                       width, left))
    return Text("\n").join(shown)


def first_rows(text: Text, width: int, count: int) -> Text:
    """The first ``count`` rows of ``text`` wrapped to ``width``, an ellipsis if cut."""
    console = terminal.console(file=StringIO(), width=width, color_system=None)
    wrapped = list(text.wrap(console, width))
    if len(wrapped) <= count:
        return text
    kept = wrapped[:count]
    last = kept[-1]
    last.rstrip()
    last.truncate(width - 1)
    kept[-1] = last + Text("…", style="dim")
    return Text("\n").join(kept)


def hidden_news(engine: Engine, budget: Budget, new_since: int) -> list[dict[str, Any]]:
    """New channel entries the view has no room for: print them in full before it."""
    width, lines = channel_space(engine, budget, choose_layout(engine, budget))
    return engine.channel[new_since:first_shown(engine, width, lines, new_since)]


@dataclass(frozen=True)
class Member:
    """One person on the team line: free, busy with a task until a time, or paged and on
    the way (``joins_in`` minutes)."""

    name: str
    task: str = ""
    until: str = ""
    joins_in: int | None = None

    @property
    def free(self) -> bool:
        return not self.until and self.joins_in is None

    def text(self, cut: int | None) -> Text:
        """``cut``: the task's title cut to that many characters (None: no title at all)."""
        out = Text(self.name, style="bold")
        if self.joins_in is not None:
            out.append(f" joining in {self.joins_in} min", style="yellow")
        elif self.until:
            what = "" if cut is None else (
                self.task if len(self.task) <= cut else self.task[:cut - 1] + "…")
            out.append(f" {what} →{self.until}" if what else f" →{self.until}")
        else:
            out.append(" free", style="green")
        return out


def _member(engine: Engine, person_id: str, name: str) -> Member:
    task = engine.tasks.get(person_id)
    if task is not None and task.until > engine.now:
        return Member(name, task.title.lower().split(" (")[0], engine.clock(task.until))
    return Member(name)


def team_members(engine: Engine) -> list[Member]:
    """The roster, then everyone paged who is on the way or has joined (in the order they
    were paged); someone paged for nothing has dropped off again."""
    sc = engine.scenario
    people = [*sc.roster.responders, *([sc.roster.comms_lead] if sc.roster.comms_lead else [])]
    out: list[Member] = []
    for person in people:
        role = engine.roles.get(person.id)
        out.append(_member(engine, person.id,
                           person.name.split()[0] + (f" ({role})" if role else "")))
    on_call = {p.id: p for p in sc.roster.on_call}
    for person_id, state in engine.paged.items():
        if person_id not in on_call or state == "left":
            continue
        first = on_call[person_id].name.split()[0]
        if state == "joined":
            out.append(_member(engine, person_id, first))
        else:
            left = max(0.0, engine.joins_at.get(person_id, engine.now) - engine.now)
            out.append(Member(first, joins_in=max(1, math.ceil(left / SECONDS))))
    return out


#: the short team line's folds, tried in order until it fits its row: (task titles cut to
#: N characters or left out, free people named together, free people only counted)
TEAM_FOLDS: tuple[tuple[int | None, bool, bool], ...] = (
    (14, False, False), (14, True, False), (None, True, False), (None, True, True))


def team_line(engine: Engine, short: bool = False, width: int | None = None) -> Text:
    """Who does what until when, paged people included ("Sofia joining in 4 min").

    ``short`` cuts each task so the line fits one row of ``width``; if it still does not
    fit, the line folds further (the free named together, then task titles left out, then
    the free only counted), so nobody busy or on the way is cut off the row.
    """
    members = team_members(engine)
    ic_task = engine.tasks.get("ic")
    you = (Text(f" · You: {ic_task.title.lower()}", style="yellow")
           if ic_task is not None and ic_task.until > engine.now else Text())
    folds = TEAM_FOLDS if short else ((24, False, False),)
    line = Text()
    for cut, group, count in folds:
        parts = [m.text(cut) for m in members if not (group and m.free)]
        free = [m.name for m in members if m.free]
        if group and free:
            parts.append(Text(f"{len(free)} free", style="green") if count else
                         Text("free: ", style="green") + Text(", ".join(free), style="bold"))
        line = Text("Team: ", style="bold") + Text(" · ").join(parts) + you
        if width is None or len(line.plain) <= width:
            break
    return line


def last_update(engine: Engine, audience: str) -> float | None:
    """When this audience last heard from the incident (an update to it or to all)."""
    for record in reversed(engine.channel):
        data: dict[str, Any] = record.get("data") or {}
        if record.get("kind") == "declare_resolved" or (
                record.get("kind") == "status_update"
                and data.get("audience") in (audience, "all")):
            return float(record["t"])
    return None


def stakeholder_line(engine: Engine, short: bool = False) -> Text:
    """How long each stakeholder has waited for news (since the last update that reached
    them, or since T+0): "Waiting for an update: Elena (leadership) 4 min · Tom (support)
    2 min"; folded, just "Waiting: Elena 4 min · Tom 2 min"."""
    line = Text("Waiting: " if short else "Waiting for an update: ", style="bold")
    for i, person in enumerate(engine.scenario.roster.stakeholders):
        if i:
            line.append(" · ")
        since = last_update(engine, person.audience)
        silent = (engine.now - (since or 0.0)) / SECONDS
        late = silent >= min(10.0, person.patience_minutes)
        first = person.name.split()[0]
        line.append(f"{first} " if short else f"{first} ({person.audience}) ")
        line.append(f"{silent:.0f} min", style="bold red" if late else "")
    return line


def changes_line(engine: Engine, short: bool = False) -> Text:
    line = Text("Changes: ", style="bold")
    flying = engine.in_flight()
    settling = engine.settling()
    if not flying and not settling:
        line.append("none in flight", style="dim")
        return line
    if short:
        def cut(title: str) -> str:
            return title if len(title) <= 26 else title[:25] + "…"
        parts = [f"{cut(c.title)} ({engine.name(c.by).split()[0]} ~"
                 f"{engine.clock(c.started + c.minutes * SECONDS)})" for c in flying]
        parts += [f"{cut(c.title)} ({_ended(c)} {engine.clock(c.applied or 0)})"
                  for c in settling]
    else:
        parts = [f"{c.title} by {engine.name(c.by).split()[0]}, done ~"
                 f"{engine.clock(c.started + c.minutes * SECONDS)}" for c in flying]
        parts += [f"{c.title} {_ended(c)} {engine.clock(c.applied or 0)}" for c in settling]
    line.append(" | ".join(parts), style="yellow")
    return line


def _ended(change: Change) -> str:
    """How a change that is no longer running ended: a stopped one never landed."""
    return "stopped" if change.cancelled else "landed"


def one_row(text: Text, width: int) -> Text:
    """``text`` cut to a single row, with an ellipsis when it had more to say."""
    text = text.copy()
    text.no_wrap = True
    text.truncate(width, overflow="ellipsis")
    return text


def _status(engine: Engine, layout: Layout = Layout(), width: int = 80) -> list[Text]:
    """Team, waiting stakeholders and changes; folded, they take exactly two rows (changes
    first on the second: what is in flight matters more than who waits)."""
    if not layout.fold_status:
        return [team_line(engine), stakeholder_line(engine), changes_line(engine)]
    second = changes_line(engine, short=True) + Text(" │ ", style="dim") + stakeholder_line(
        engine, short=True)
    return [one_row(team_line(engine, short=True, width=width), width),
            one_row(second, width)]


LEFT = 66  # the metrics column of the wide layout


def channel_space(engine: Engine, budget: Budget, layout: Layout = Layout()
                  ) -> tuple[int, int]:
    """Columns and rows the channel section gets in this layout."""
    metrics = len(engine.scenario.metrics)
    if budget.width >= WIDE:
        status_rows = sum(rows(t, LEFT) for t in _status(engine))
        return budget.width - LEFT - 2, max(metrics + 2 + status_rows, budget.lines - 2)
    status = _status(engine, layout, budget.width)
    status_rows = sum(rows(t, budget.width) for t in status)
    titles = 0 if layout.no_titles else 1
    rule = 0 if layout.no_rule else 1
    shown = len(shown_metrics(engine, layout))
    # header, metric titles and rows, the channel rule, then the status lines
    return budget.width, max(2, budget.lines - (1 + titles + shown + rule + status_rows))


def choose_layout(engine: Engine, budget: Budget) -> Layout:
    """The least folded narrow layout that leaves the channel MIN_CHANNEL rows."""
    if budget.width >= WIDE:
        return Layout()
    for layout in LAYOUTS:
        if channel_space(engine, budget, layout)[1] >= MIN_CHANNEL:
            return layout
    return LAYOUTS[-1]


def render(engine: Engine, budget: Budget = Budget(), new_since: int = 0) -> RenderableType:
    """The whole view, sized for ``budget``; ``new_since`` marks unread channel entries.

    The narrow view always fills its budget (the channel is padded), so each new view
    covers the previous screen entirely and nothing from before (the briefing, an old
    menu) lingers above it.
    """
    width = budget.width
    wide = width >= WIDE
    spark = 15 if wide else 8 if width < 90 else 12
    layout = choose_layout(engine, budget)
    metrics = metrics_table(engine, spark, LEFT if wide else width, layout)
    status = _status(engine, layout, width)
    chan_width, chan_lines = channel_space(engine, budget, layout)
    channel = channel_lines(engine, chan_width, chan_lines, new_since)
    if wide:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(width=LEFT)
        grid.add_column(width=chan_width)
        grid.add_row(Group(metrics, Text(""), *status),
                     Group(Text("Channel", style="bold underline"), channel))
        return Group(header(engine), grid)
    padding = max(0, chan_lines - rows(channel, chan_width))
    if padding:
        channel = channel + Text("\n" * padding)
    if layout.no_rule:
        return Group(header(engine), metrics, channel, *status)
    rule = Text("── channel " + "─" * max(0, width - 11), style="dim")
    return Group(header(engine), metrics, rule, channel, *status)
