"""Play edited decision lists in memory and score them (for the metamorphic properties).

A metamorphic property compares the grade of a run with the grade of a run edited in one
known direction (a change added, an update delayed, a finding learned sooner). The edits
can make a later decision impossible (the responder is busy, the check was already done);
a person would simply skip it, and so does ``TolerantDecider``, so the property tests the
grade, not the script's bookkeeping.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from simulator.actions.catalogue import Action, check, normalize
from simulator.engine.drill import Drill, Situation
from simulator.format.loader import load_scenario
from simulator.format.scenario import Scenario
from simulator.players.bots import make_bot
from simulator.runs.journal import Journal

Step = dict[str, Any]  # {"action": ..., "at_minutes": ..., **args}


class TolerantDecider:
    """Plays steps at their times; skips a step the drill would refuse."""

    name = "decisions"

    def __init__(self, steps: list[Step]) -> None:
        self.steps = sorted(steps, key=lambda s: float(s.get("at_minutes", 0)))
        self.index = 0
        self.retried = -1
        self.skipped: list[Step] = []

    def decide(self, situation: Situation) -> Action:
        while self.index < len(self.steps):
            step = self.steps[self.index]
            at = float(step.get("at_minutes", 0))
            if not situation.closing and at - situation.minutes >= 0.05:
                return Action("wait", {"minutes": round(min(30.0, at - situation.minutes), 3)})
            args = {k: v for k, v in step.items() if k not in ("action", "at_minutes")}
            action = normalize(Action(step["action"], args))
            if check(situation.engine, action, situation.closing) is None:
                self.index += 1
                return action
            if self.retried != self.index and not situation.closing:
                # A bot that woke on news acted in the instant a finding arrived; replayed
                # from its minute, the finding may land just after: look again a tick later.
                self.retried = self.index
                return Action("wait", {"minutes": 0.05})
            self.index += 1
            self.skipped.append(step)
        if situation.closing:
            return Action("finish")
        return Action("wait", {"minutes": 5})


@cache
def scenario(scenario_id: str) -> tuple[Scenario, dict[str, str]]:
    return load_scenario(scenario_id)


@cache
def _rubric() -> Any:
    from scoring import load_rubric

    return load_rubric()


def play(scenario_id: str, seed: int, steps: list[Step]) -> tuple[float, list[Step]]:
    """The score of these steps on this scenario and seed, and the steps skipped."""
    score, skipped, _ = play_full(scenario_id, seed, steps)
    return score, skipped


def play_records(scenario_id: str, seed: int, steps: list[Step]) -> list[dict[str, Any]]:
    """The journal records of these steps (to read the true state at a moment of the run)."""
    sc, ref = scenario(scenario_id)
    drill = Drill(sc, ref, seed, None, {"decider": "decisions"})
    drill.run(TolerantDecider(steps))
    return list(drill.journal.records)


def play_full(scenario_id: str, seed: int, steps: list[Step]
              ) -> tuple[float, list[Step], list[tuple[int, str]]]:
    """Score, skipped steps, and when each decision was really played (waits left out);
    each finding's arrival is listed too, as (t, "found:<investigation>")."""
    from scoring import grade

    sc, ref = scenario(scenario_id)
    drill = Drill(sc, ref, seed, None, {"decider": "decisions"})
    decider = TolerantDecider(steps)
    drill.run(decider)
    records = drill.journal.records
    played = [(int(r["t"]), str(r["action"])) for r in records
              if r["type"] == "decision" and r["action"] != "wait"]
    played += [(int(r["t"]), f"found:{(r.get('data') or {}).get('investigation')}")
               for r in records if r.get("kind") == "investigation_done"]
    return float(grade(Journal("<memory>", records[0], records[1:]), sc, _rubric(),
                       compare=False).score), decider.skipped, played


@cache
def _expert_steps(scenario_id: str, seed: int) -> tuple[tuple[tuple[str, Any], ...], ...]:
    sc, ref = scenario(scenario_id)
    drill = Drill(sc, ref, seed, None, {"decider": "expert", "bot": "expert"})
    drill.run(make_bot("expert"))
    steps = []
    for r in drill.journal.records:
        if r["type"] == "decision" and r["action"] != "wait":
            step = {"action": r["action"], "at_minutes": round(r["t"] / 60, 3),
                    **r.get("args", {})}
            steps.append(tuple((k, _freeze(v)) for k, v in step.items()))
    return tuple(steps)


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return ("__dict__", tuple((k, _freeze(v)) for k, v in value.items()))
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple) and value and value[0] == "__dict__":
        return {k: _thaw(v) for k, v in value[1]}
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


def script_steps(path: Path) -> list[Step]:
    """A hand-written decisions file as steps; a step without a time keeps its place."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps, at = [], 0.0
    for item in items:
        at = float(item.get("at_minutes", at))
        steps.append({**item, "at_minutes": at})
    return steps


def played_steps(scenario_id: str, seed: int, steps: list[Step]) -> list[Step]:
    """The steps as they were actually played (each at the minute it ran, waits left out).

    An edit to one step then leaves every other decision at the time it really happened,
    instead of letting untimed steps slide into the gap."""
    sc, ref = scenario(scenario_id)
    drill = Drill(sc, ref, seed, None, {"decider": "decisions"})
    drill.run(TolerantDecider(steps))
    return [{"action": r["action"], "at_minutes": round(r["t"] / 60, 3), **r.get("args", {})}
            for r in drill.journal.records if r["type"] == "decision" and r["action"] != "wait"]


def expert_steps(scenario_id: str, seed: int) -> list[Step]:
    """The expert bot's decisions (waits left out) as editable steps, fresh copies."""
    return [{k: _thaw(v) for k, v in step} for step in _expert_steps(scenario_id, seed)]
