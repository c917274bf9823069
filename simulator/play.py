"""Run a drill with any decider: the Python API behind `tabletop run` and `resume`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from simulator.actions import Action
from simulator.decisions import ScriptedDecider
from simulator.drill import Decider, DecisionRejected, Drill, Outcome, Situation
from simulator.errors import InputError
from simulator.scenario import Decision, Scenario


def new_seed() -> int:
    """A fresh seed for an unseeded run; it is recorded in the journal, so replays match."""
    return int.from_bytes(os.urandom(4), "big") % 1_000_000


def run_drill(scenario: Scenario, ref: dict[str, str], decider: Decider, seed: int,
              journal: Path | None, options: dict[str, Any] | None = None) -> Outcome:
    """Play one drill to its end; raises InputError for a scripted decision that cannot run."""
    drill = Drill(scenario, ref, seed, journal, {"decider": decider.name, **(options or {})})
    try:
        return drill.run(decider)
    except DecisionRejected as exc:
        if isinstance(decider, ScriptedDecider):
            raise decider.reject(str(exc)) from None
        raise


class ChainDecider:
    """Replays recorded decisions, then hands over to another decider (resume)."""

    def __init__(self, recorded: list[dict[str, Any]], then: Decider) -> None:
        self.replay = ScriptedDecider([Decision(action=r["action"], **r.get("args", {}))
                                       for r in recorded])
        self.thinks = [float(r.get("think", 0)) for r in recorded]
        self.then = then
        self.name = then.name

    @property
    def replaying(self) -> bool:
        return not self.replay.exhausted

    def decide(self, situation: Situation) -> Action:
        if self.replay.exhausted:
            return self.then.decide(situation)
        think = self.thinks[self.replay.index]
        action = self.replay.decide(situation)
        return Action(action.id, action.args, think)


def check_replay(records: list[dict[str, Any]], replayed: list[dict[str, Any]], path: str
                 ) -> None:
    """A resumed run must re-create the interrupted one exactly before it goes on."""
    original = [r for r in records if r.get("kind") not in ("interrupted", "resumed")]
    if replayed[: len(original)] != original:
        raise InputError(f"{path}: replaying the journal did not reproduce it; it was written "
                         "by another version of the tool or edited by hand")
