"""The bot machinery: a queue of planned actions, and helpers every persona shares."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from simulator.actions.catalogue import Action, check
from simulator.engine.core import Engine
from simulator.engine.drill import Situation
from simulator.format.scenario import Decision, Scenario

UPDATE_EVERY = 10  # minutes between the expert's stakeholder updates


def decision_args(decision: Decision) -> dict[str, Any]:
    return dict(decision.model_extra or {})


def unowned_args(decision: Decision) -> dict[str, Any]:
    """The technical arguments only: who runs it and how it is announced are the persona's."""
    return {k: v for k, v in decision_args(decision).items() if k not in ("by", "announcement")}


def change_key(action: str, args: dict[str, Any]) -> str:
    prefix = {"rollback": "rollback", "toggle_flag": "flag", "failover": "failover",
              "scale": "scale", "set_config": "config", "restart": "restart",
              "apply_fix": "fix", "roll_forward": "rollforward",
              "revert_change": "revert"}[action]
    if action == "revert_change":
        return f"revert:{args.get('change')}"
    target = args.get("service") or args.get("flag") or args.get("region") or args.get(
        "key") or args.get("target") or args.get("fix")
    return f"{prefix}:{target}"


def postmortem(scenario: Scenario, blameful: bool = False, landed: set[str] | None = None
               ) -> dict[str, Any]:
    """A complete postmortem built from the scenario's debrief facts; the follow-ups are
    those that fit the changes the run ``landed``."""
    d = scenario.debrief
    owners = [p.id for p in scenario.roster.responders]
    items = [{"what": f, "owner": owners[i % len(owners)], "due": f"+{7 + i} days"}
             for i, f in enumerate(d.follow_ups_for(landed or set()))]
    summary = (f"{scenario.title}. Service was restored and verified; see the timeline.")
    if blameful:
        who = scenario.roster.responders[0].name
        return {"summary": f"{who} caused this outage by shipping a bad change.",
                "root_cause": f"{who} made a mistake."}
    return {
        "summary": summary,
        "timeline": "See the incident channel: declaration, first update, mitigation, "
                    "verification and resolution are all timestamped there.",
        "root_cause": d.root_cause,
        "contributing_factors": list(d.contributing_factors),
        "went_well": ["Mitigated before root-causing", "Updates went out on a steady cadence"],
        "went_poorly": ["The failing change reached production without a guard"],
        "action_items": items,
        "lessons": ["Stabilise first, then diagnose."],
    }


class Bot:
    """Base: a queue of planned actions, refilled by `plan()` steps as the drill moves."""

    name = "bot"

    def __init__(self) -> None:
        self.queue: deque[Action] = deque()
        self.steps: Iterator[None] | None = None

    def decide(self, situation: Situation) -> Action:
        engine = situation.engine
        if situation.closing:
            return self.close(engine)
        for _ in range(50):
            if self.queue:
                action = self.queue.popleft()
                if check(engine, action) is None:
                    return action
                continue
            if self.steps is None:
                self.steps = self.plan(engine)
            try:
                next(self.steps)
            except StopIteration:
                self.queue.append(Action("wait", {"minutes": 5}))
        return Action("wait", {"minutes": 1})

    def plan(self, engine: Engine) -> Iterator[None]:  # pragma: no cover - overridden
        yield

    def close(self, engine: Engine) -> Action:
        return Action("write_postmortem", postmortem(engine.scenario, landed={
            c.key for c in engine.changes if c.applied is not None and not c.cancelled}))


