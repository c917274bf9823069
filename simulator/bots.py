"""Bot players: personas that play a drill by themselves.

`expert` follows the documented process around the scenario's ideal path; the others each
embody one anti-pattern from the process (the silent hero, panic, slow root-causing,
premature victory) so that a scenario can be proved winnable and the scorer proved
discriminating. A bot reads the scenario's debrief paths for the technical moves; the
process around them (declaring, cadence, announcing, waiting for evidence) is its persona.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Any

from simulator.actions import CHANGE_ACTIONS, Action, check
from simulator.changes import describe, informed
from simulator.drill import Situation
from simulator.engine import Engine
from simulator.scenario import Decision, Scenario
from simulator.world import SECONDS

UPDATE_EVERY = 10  # minutes between the expert's stakeholder updates


def _args(decision: Decision) -> dict[str, Any]:
    return dict(decision.model_extra or {})


def change_key(action: str, args: dict[str, Any]) -> str:
    prefix = {"rollback": "rollback", "toggle_flag": "flag", "failover": "failover",
              "scale": "scale", "set_config": "config", "restart": "restart",
              "apply_fix": "fix"}[action]
    target = args.get("service") or args.get("flag") or args.get("region") or args.get(
        "key") or args.get("target") or args.get("fix")
    return f"{prefix}:{target}"


def postmortem(scenario: Scenario, blameful: bool = False) -> dict[str, Any]:
    """A complete postmortem built from the scenario's debrief facts."""
    d = scenario.debrief
    owners = [p.id for p in scenario.roster.responders]
    items = [{"what": f, "owner": owners[i % len(owners)], "due": f"+{7 + i} days"}
             for i, f in enumerate(d.follow_ups)]
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
        return Action("write_postmortem", postmortem(engine.scenario))


class ExpertBot(Bot):
    """Declares, delegates, updates on cadence, mitigates on evidence, verifies, resolves."""

    name = "expert"

    def minutes(self, engine: Engine) -> float:
        return engine.now / SECONDS

    def do(self, engine: Engine, action: Action) -> None:
        self.queue.append(action)

    def decide(self, situation: Situation) -> Action:
        """Keep the update cadence, and answer a stakeholder's question, whatever is planned."""
        engine = situation.engine
        last = engine.world.last_update_at
        if not situation.closing and last is not None and (
                engine.now - last >= (UPDATE_EVERY - 2.5) * SECONDS
                or self.unanswered(engine, last)):
            return self.update(engine, "all")
        return super().decide(situation)

    @staticmethod
    def unanswered(engine: Engine, last_update: float) -> bool:
        """A stakeholder asked (or a comms inject arrived) after the last update."""
        for record in reversed(engine.channel):
            if record["t"] <= last_update:
                return False
            data = record.get("data") or {}
            if record["kind"] in ("stakeholder_ping", "missed_update") or (
                    record["kind"] == "inject"
                    and str(data.get("objective", "")).startswith("comms.")):
                return True
        return False

    def update(self, engine: Engine, audience: str) -> Action:
        recovering = engine.recovered_at is not None
        changes = [c.title for c in engine.changes]
        doing = (f"applied: {', '.join(changes)}; watching the metrics" if changes
                 else "investigating with two responders; a mitigation is being prepared")
        return Action("post_update", {
            "audience": audience,
            "impact": engine.scenario.summary.strip().split(".")[0],
            "doing": "service has recovered and is being verified" if recovering else doing,
            "next_update_minutes": UPDATE_EVERY})

    def idle_responder(self, engine: Engine, preferred: str | None = None) -> str | None:
        ids = [p.id for p in engine.scenario.roster.responders if not engine.busy(p.id)]
        if preferred in ids:
            return preferred
        return ids[0] if ids else None

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        self.do(engine, Action("acknowledge"))
        self.do(engine, Action("declare", {"severity": sc.expected_severity}))
        self.do(engine, Action("freeze_changes"))
        self.do(engine, Action("open_channel"))
        if sc.roster.comms_lead:
            self.do(engine, Action("assign_role", {"person": sc.roster.comms_lead.id,
                                                   "role": "comms"}))
        self.queue.append(self.update(engine, "all"))
        yield
        for action_id, args in self.repairs(engine):
            yield from self.change(engine, action_id, args, need_evidence=False)
        for decision in sc.debrief.ideal_path:
            args = _args(decision)
            if decision.action in CHANGE_ACTIONS:
                yield from self.change(engine, decision.action, args)
                continue
            if decision.action == "delegate":
                while self.idle_responder(engine) is None:
                    self.do(engine, Action("wait", {"minutes": 1}))
                    yield
                args["responder"] = self.idle_responder(engine, args.get("responder"))
            self.do(engine, Action(decision.action, args))
            yield
        limit = sc.time_limit_minutes - sc.success.hold_minutes - 3
        while engine.recovered_at is None and self.minutes(engine) < limit:
            self.do(engine, Action("wait", {"minutes": 1}))
            yield
        self.do(engine, Action("note", {"text": "Metrics back within SLO and holding; "
                                                "preparing the resolution message."}))
        self.do(engine, self.update(engine, "all"))
        self.do(engine, Action("declare_resolved", {
            "message": f"{sc.title}: service restored and verified.",
            "root_cause": sc.debrief.root_cause,
            "fix": ", ".join(c.title for c in engine.changes) or "none",
            "customer_impact": f"about {round(engine.failed_total):,} {sc.impact.unit}",
            "follow_up": "postmortem tomorrow 10:00; action items listed there"}))
        yield

    def change(self, engine: Engine, action_id: str, args: dict[str, Any],
               need_evidence: bool = True) -> Iterator[None]:
        """One change: wait for its evidence and a quiet system, announce, make, watch."""
        if need_evidence:
            yield from self.before_change(engine, change_key(action_id, args))
        while engine.in_flight():
            self.do(engine, Action("wait", {"minutes": 1}))
            yield
        args["by"] = self.idle_responder(engine, args.get("by")) or "ic"
        title = describe(engine, action_id, args)[1]
        args.setdefault("announcement", f"Next change: {title}, done by "
                        f"{engine.name(args['by'])}. Nothing else changes until we have seen "
                        "its effect.")
        self.do(engine, Action(action_id, args))
        yield
        yield from self.after_change(engine)

    def repairs(self, engine: Engine) -> list[tuple[str, dict[str, Any]]]:
        """Undo what others changed before the expert took command (a branch, an NPC)."""
        sc, world = engine.scenario, engine.world
        planned = {change_key(d.action, _args(d)) for d in sc.debrief.ideal_path
                   if d.action in CHANGE_ACTIONS}
        out: list[tuple[str, dict[str, Any]]] = [
            ("set_config", {"key": key, "value": value.value})
            for key, value in sc.config_values().items()
            if world.config.get(key) != value.value and f"config:{key}" not in planned]
        out += [("rollback", {"service": svc.id}) for svc in sc.system.services
                if svc.previous_version and f"rollback:{svc.id}" not in planned
                and world.versions[svc.id] not in (svc.version, svc.previous_version)]
        return out

    def before_change(self, engine: Engine, key: str) -> Iterator[None]:
        """Wait for the evidence that justifies the change, and for other changes to settle."""
        waited = 0
        while waited < 15 and (not informed(engine, key) or engine.in_flight()):
            self.do(engine, Action("wait", {"minutes": 1}))
            waited += 1
            yield

    def after_change(self, engine: Engine) -> Iterator[None]:
        while engine.in_flight():
            self.do(engine, Action("wait", {"minutes": 1}))
            yield
        self.do(engine, Action("wait", {"minutes": 2}))
        yield
        key = engine.scenario.impact.metric
        value = engine.world.values[key]
        unit = engine.scenario.metric(key).unit
        self.do(engine, Action("note", {"text": f"{engine.changes[-1].title} landed; "
                                                f"{key} now {value}{unit}."}))
        yield


class HeroBot(Bot):
    """The silent hero: no declaration or updates; restarts and fixes on a hunch, alone."""

    name = "hero"

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        moves = [*sc.debrief.hunch_path, *sc.debrief.ideal_path]
        changes = list({change_key(d.action, _args(d)): d for d in reversed(moves)
                        if d.action in CHANGE_ACTIONS}.values())[::-1]
        first_look = next((d for d in moves if d.action in ("delegate", "investigate")), None)
        if first_look is not None:
            args = _args(first_look)
            self.queue.append(Action("investigate", {"investigation": args["investigation"]}))
            yield
        for i, decision in enumerate(changes):  # first one himself, then everything at once
            args = {k: v for k, v in _args(decision).items() if k not in ("by", "announcement")}
            idle = [p.id for p in sc.roster.responders if not engine.busy(p.id)]
            args["by"] = "ic" if i == 0 or not idle else idle[0]
            self.queue.append(Action(decision.action, args))
            yield
        self.queue.append(Action("wait", {"minutes": 2}))
        yield
        self.queue.append(Action("declare_resolved", {"message": "Fixed it."}))
        yield

    def close(self, engine: Engine) -> Action:
        return Action("write_postmortem", postmortem(engine.scenario, blameful=True))




# --- personas that each embody one anti-pattern (scored by scoring/) ----------------------
def _changes_of(path: list[Decision]) -> list[Decision]:
    """The change decisions of a path, each change key once, in order."""
    seen: dict[str, Decision] = {}
    for d in path:
        if d.action in CHANGE_ACTIONS:
            seen.setdefault(change_key(d.action, _args(d)), d)
    return list(seen.values())


class SilentBot(ExpertBot):
    """Good technical moves, told to nobody: no declaration, channel, updates or notes.

    Investigates through responders, waits for evidence, makes one change at a time and
    verifies recovery like the expert, but never declares, announces or updates anyone.
    """

    name = "silent"

    def decide(self, situation: Situation) -> Action:
        return Bot.decide(self, situation)  # no cadence: that is the point

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        self.queue.append(Action("acknowledge"))
        yield
        for decision in sc.debrief.ideal_path:
            args = _args(decision)
            if decision.action == "delegate":
                while self.idle_responder(engine) is None:
                    self.queue.append(Action("wait", {"minutes": 1}))
                    yield
                args["responder"] = self.idle_responder(engine, args.get("responder"))
            if decision.action in CHANGE_ACTIONS:
                yield from self.before_change(engine, change_key(decision.action, args))
                args.pop("announcement", None)
                args["by"] = self.idle_responder(engine, args.get("by")) or "ic"
            self.queue.append(Action(decision.action, args))
            yield
            if decision.action in CHANGE_ACTIONS:
                yield from self.settle(engine)
        for redo in [c for c in engine.changes if c.cancelled]:  # someone undid it: again
            action, args = _redo(engine, redo.key)
            if action is not None:
                self.queue.append(Action(action, args))
                yield
                yield from self.settle(engine)
        yield from _await_recovery(self, engine)
        self.queue.append(Action("declare_resolved", {"message": "Sorted.",
                                                      "fix": ", ".join(c.title for c in
                                                                       engine.changes)}))
        yield


    def settle(self, engine: Engine) -> Iterator[None]:
        while engine.in_flight():
            self.queue.append(Action("wait", {"minutes": 1}))
            yield
        self.queue.append(Action("wait", {"minutes": 2}))
        yield


def _redo(engine: Engine, key: str) -> tuple[str | None, dict[str, Any]]:
    """The action that starts a cancelled change again (only rollbacks get cancelled)."""
    kind, _, target = key.partition(":")
    if kind != "rollback":
        return None, {}
    by = next((p.id for p in engine.scenario.roster.responders if not engine.busy(p.id)), "ic")
    return "rollback", {"service": target, "by": by}


def _await_recovery(bot: ExpertBot, engine: Engine) -> Iterator[None]:
    """Wait for the metrics to hold; a bot that never sees recovery lets the drill time out."""
    sc = engine.scenario
    while engine.recovered_at is None:
        bot.queue.append(Action("wait", {"minutes": 2 if bot.minutes(engine) < sc.time_limit_minutes
                                         - 5 else 1}))
        yield


class PanicBot(ExpertBot):
    """Several changes at once, none announced: every idea fired in one volley.

    Declares and sends one hurried update, skips orienting, then has every responder (and
    itself) change something at the same moment; if that does not work, another volley.
    """

    name = "panic"

    def decide(self, situation: Situation) -> Action:
        return Bot.decide(self, situation)

    def volley(self, engine: Engine, moves: list[Decision]) -> Iterator[None]:
        for decision in moves:
            args = {k: v for k, v in _args(decision).items() if k not in ("by", "announcement")}
            args["by"] = self.idle_responder(engine) or "ic"
            self.queue.append(Action(decision.action, args))
            yield

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        self.queue.append(Action("acknowledge"))
        self.queue.append(Action("declare", {"severity": "P1"}))
        self.queue.append(Action("post_update", {"audience": "all",
                                                 "message": "Everything is on fire, "
                                                            "we are trying things."}))
        yield
        yield from self.volley(engine, _changes_of([*sc.debrief.hunch_path,
                                                    *sc.debrief.ideal_path]))
        self.queue.append(Action("wait", {"minutes": 3}))
        yield
        if engine.recovered_at is None and not engine.healthy_since:
            yield from self.volley(engine, _changes_of(sc.debrief.ideal_path))
        yield from _await_recovery(self, engine)
        self.queue.append(self.update(engine, "all"))
        self.queue.append(Action("declare_resolved", {
            "message": "It works again.", "fix": ", ".join(c.title for c in engine.changes),
            "follow_up": "postmortem this week"}))
        yield


class SlowBot(ExpertBot):
    """Root-causes at length before any mitigation, doing the digging personally.

    Declares, then works through every investigation itself, heads down: stakeholders hear
    from it only when they chase. Ships the root-cause fix at the end (or, if the cause
    could not be pinned down, the workaround it could have applied long before).
    """

    name = "slow"

    def decide(self, situation: Situation) -> Action:
        engine = situation.engine
        chased = [e for e in engine.channel if e["kind"] in ("stakeholder_ping", "missed_update")
                  and e["t"] > (engine.world.last_update_at or 0)]
        if not situation.closing and chased:  # heads down: updates only when chased
            return self.update(engine, "all")
        return Bot.decide(self, situation)

    def update(self, engine: Engine, audience: str) -> Action:
        action = super().update(engine, audience)
        if engine.recovered_at is None:
            action.args["doing"] = "still working out the root cause before changing anything"
        return action

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        self.queue.append(Action("acknowledge"))
        self.queue.append(Action("declare", {"severity": sc.expected_severity}))
        self.queue.append(Action("open_channel"))
        yield
        pending = True
        while pending:
            pending = False
            for inv in sc.investigations:
                action = Action("investigate", {"investigation": inv.id})
                if check(engine, action) is None:
                    self.queue.append(action)
                    pending = True
                    yield
        self.queue.append(Action("note", {"text": "Root cause understood; shipping the fix."}))
        fixes = [d for d in _changes_of(sc.debrief.ideal_path) if d.action == "apply_fix"]
        fixes = fixes or [Decision.model_validate({"action": "apply_fix", "fix": f.id})
                          for f in sc.fixes]
        ready = [d for d in fixes if check(engine, Action("apply_fix", {"fix": _args(d)[
            "fix"]})) is None]  # a fix nobody has thought of is not on the menu
        moves = ready or _changes_of(sc.debrief.ideal_path)
        for decision in moves:
            args = _args(decision)
            args["by"] = self.idle_responder(engine, args.get("by")) or "ic"
            args["announcement"] = f"Shipping {change_key(decision.action, args)} now."
            while engine.in_flight():  # every finding is in: no more waiting for evidence
                self.queue.append(Action("wait", {"minutes": 1}))
                yield
            self.queue.append(Action(decision.action, args))
            yield
            yield from self.after_change(engine)
        yield from _await_recovery(self, engine)
        self.queue.append(self.update(engine, "all"))
        self.queue.append(Action("declare_resolved", {
            "message": f"{sc.title}: fixed at the root.", "root_cause": sc.debrief.root_cause,
            "fix": ", ".join(c.title for c in engine.changes),
            "customer_impact": f"about {round(engine.failed_total):,} {sc.impact.unit}",
            "follow_up": "postmortem tomorrow"}))
        yield


class PrematureBot(ExpertBot):
    """Acts on the first hunch and declares resolved on the first dip, unverified.

    Communicates well and changes one thing at a time, but takes the first idea (the
    scenario's hunch path), and calls the incident over as soon as the key metric drops.
    """

    name = "premature"

    def dipped(self, engine: Engine, before: float) -> bool:
        key = engine.scenario.impact.metric
        value = engine.world.values[key]
        return engine.world.within_slo(key) or value < before * 0.6

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        key = sc.impact.metric
        self.queue.append(Action("acknowledge"))
        self.queue.append(Action("declare", {"severity": sc.expected_severity}))
        self.queue.append(Action("open_channel"))
        self.queue.append(self.update(engine, "all"))
        yield
        look = next((d for d in sc.debrief.hunch_path if d.action in ("delegate", "investigate")),
                    None)
        if look is not None:
            responder = self.idle_responder(engine)
            if responder is not None:
                self.queue.append(Action("delegate", {"responder": responder,
                                                      "investigation": _args(look)[
                                                          "investigation"]}))
                yield
        for decision in _changes_of([*sc.debrief.hunch_path, *sc.debrief.ideal_path]):
            args = {k: v for k, v in _args(decision).items() if k != "announcement"}
            args["by"] = self.idle_responder(engine, args.get("by")) or "ic"
            args["announcement"] = f"Trying {change_key(decision.action, args)}."
            before = engine.world.values[key]
            self.queue.append(Action(decision.action, args))
            yield
            while engine.in_flight():
                self.queue.append(Action("wait", {"minutes": 1}))
                yield
            for _ in range(3):
                if self.dipped(engine, before):
                    break
                self.queue.append(Action("wait", {"minutes": 1}))
                yield
            if self.dipped(engine, before):
                break
        self.queue.append(Action("declare_resolved", {
            "message": "Errors are down, we are good.",
            "fix": ", ".join(c.title for c in engine.changes)}))
        yield


BOTS: dict[str, type[Bot]] = {"expert": ExpertBot, "hero": HeroBot, "silent": SilentBot,
                              "panic": PanicBot, "slow": SlowBot, "premature": PrematureBot}


def make_bot(name: str) -> Bot:
    return BOTS[name]()
