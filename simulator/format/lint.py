"""Lint: things a valid scenario probably should not do (warnings, not errors).

A scenario can be valid and still make a poor exercise: nothing to be misled by, nothing
the trainee can make worse, a fault nobody can see, a stakeholder who never speaks, an
inject that can never fire, a metric name the 80-column view cuts, a TODO left behind.
`tabletop validate` prints these as warnings; `--strict` makes them errors (exit 2).
"""

from __future__ import annotations

import re
from typing import Any

from simulator.errors import Problem
from simulator.format.conditions import AfterMinutes, AllOf, MetricCompare
from simulator.format.derive import references
from simulator.format.scenario import Scenario
from simulator.format.yamlsafe import Located

VIEW_WIDTH = 80
TODO = re.compile(r"\bTODO\b")


class _Linter:
    def __init__(self, sc: Scenario, located: Located, text: str) -> None:
        self.sc = sc
        self.located = located
        self.text = text
        self.found: list[Problem] = []

    def warn(self, loc: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.found.append(self.located.problem(loc, "warning: " + message, hint))

    def run(self) -> list[Problem]:
        self.exercise()
        self.faults()
        self.stakeholders()
        self.injects()
        self.titles()
        self.todos()
        return self.found

    def exercise(self) -> None:
        sc = self.sc
        if not any(i.red_herring for i in sc.investigations):
            self.warn(("investigations",), "no red herring: every check points at the cause",
                      "mark a plausible dead end with red_herring: true")
        traps = (any(f.second_incident for f in sc.faults)
                 or any(i.lost_when is not None for i in sc.investigations)
                 or any(i.npc_action is not None for i in sc.injects))
        if not traps:
            self.warn(("faults",), "no trap: nothing the trainee can make worse",
                      "add a second_incident fault, evidence with lost_when, or an inject "
                      "whose npc_action a freeze would have stopped")

    def faults(self) -> None:
        sc = self.sc
        feeds = {r for m in sc.metrics if m.derive is not None for r, _ in references(m.derive)}
        for i, fault in enumerate(sc.faults):
            if not any(self._visible(metric, effect, feeds)
                       for metric, effect in fault.effects.items()):
                self.warn(("faults", i, "effects"), f"fault '{fault.id}' has no visible "
                          "symptom: no effect breaks an SLO, moves a key metric or moves any "
                          "metric by a tenth of its baseline",
                          "give it a larger effect, or one on a key metric")

    def _visible(self, metric_id: str, effect: float, feeds: set[str]) -> bool:
        metric = next((m for m in self.sc.metrics if m.id == metric_id), None)
        if metric is None or not effect:
            return False
        if metric.key or metric_id in feeds:
            return True
        if abs(effect) >= max(0.1 * abs(metric.baseline), 3 * metric.noise, 1e-9):
            return True  # a move anyone watching the panel notices
        value = metric.baseline + effect
        top = metric.top()
        if top is not None:
            value = min(top, value)
        if metric.slo.max is not None and value > metric.slo.max:
            return True
        return metric.slo.min is not None and value < metric.slo.min

    def stakeholders(self) -> None:
        sc = self.sc
        sources = {inj.source for inj in sc.injects}
        for i, person in enumerate(sc.roster.stakeholders):
            if person.patience_minutes >= sc.time_limit_minutes and person.id not in sources:
                self.warn(("roster", "stakeholders", i, "patience_minutes"),
                          f"stakeholder '{person.id}' never speaks: their patience outlasts "
                          "the drill and no inject comes from them",
                          f"lower patience_minutes below {sc.time_limit_minutes}, or give "
                          "them an inject")

    def injects(self) -> None:
        sc = self.sc
        limit = sc.time_limit_minutes
        for i, inj in enumerate(sc.injects):
            why = ""
            if inj.at_minutes >= limit:
                why = f"at_minutes {inj.at_minutes:g} is past the time limit ({limit})"
            elif inj.when is not None:
                why = self._impossible(inj.when)
            if why:
                self.warn(("injects", i), f"inject '{inj.id}' can never fire: {why}",
                          "change its time or condition, or remove it")

    def _impossible(self, cond: Any) -> str:
        """A reason a condition can never hold (only for what is certain), or ''."""
        if isinstance(cond, AllOf):
            return next((why for c in cond.all if (why := self._impossible(c))), "")
        if isinstance(cond, AfterMinutes) and cond.after_minutes >= self.sc.time_limit_minutes:
            return f"after_minutes {cond.after_minutes:g} is past the time limit"
        if isinstance(cond, MetricCompare):
            metric = next((m for m in self.sc.metrics if m.id == cond.metric), None)
            if metric is None or metric.derive is not None:
                return ""
            effects = [f.effects.get(metric.id, 0.0) for f in self.sc.faults]
            high = metric.baseline + sum(e for e in effects if e > 0) + 4 * metric.noise
            low = metric.baseline + sum(e for e in effects if e < 0) - 4 * metric.noise
            top = metric.top()
            if top is not None:
                high = min(top, high)
            if metric.floor is not None:
                low = max(metric.floor, low)
            if cond.above is not None and high <= cond.above:
                return f"{metric.id} never rises above {cond.above:g} (at most {high:g})"
            if cond.below is not None and low >= cond.below:
                return f"{metric.id} never falls below {cond.below:g} (at least {low:g})"
        return ""

    def titles(self) -> None:
        """Render the metric rows as the live view does at 80 columns, widest values."""
        from io import StringIO

        from simulator.engine.drill import Drill
        from simulator.ui.terminal import console as make_console
        from simulator.ui.view import metrics_table

        drill = Drill(self.sc, {}, 0, None)
        engine = drill.engine
        for metric in self.sc.metrics:
            effects = [f.effects.get(metric.id, 0.0) for f in self.sc.faults]
            worst = metric.baseline + sum(e for e in effects if e > 0)
            top = metric.top()
            engine.world.values[metric.id] = min(top, worst) if top is not None else worst
            engine.world.values[metric.id] += 1e-9  # never equal to the baseline
        console = make_console(file=StringIO(), width=VIEW_WIDTH, color_system=None)
        console.print(metrics_table(engine, 8, VIEW_WIDTH))
        shown = console.file.getvalue()  # type: ignore[attr-defined]
        for i, metric in enumerate(self.sc.metrics):
            if metric.title not in shown:
                self.warn(("metrics", i, "title"), f"metric title '{metric.title}' is cut in "
                          f"the live view at {VIEW_WIDTH} columns",
                          "shorten it; put detail in the investigation texts")

    def todos(self) -> None:
        for number, line in enumerate(self.text.splitlines(), start=1):
            match = TODO.search(line)
            if match:
                self.found.append(Problem(self.located.path, number, match.start() + 1,
                                          "warning: TODO left: " + line.strip()[:60],
                                          "complete it, then remove the marker"))


def lint(scenario: Scenario, located: Located, text: str) -> list[Problem]:
    """Warnings for a valid scenario, in file order."""
    found = _Linter(scenario, located, text).run()
    return sorted(found, key=lambda p: (p.line, p.col))
