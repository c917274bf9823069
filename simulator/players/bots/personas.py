"""The anti-pattern personas: each breaks one part of the process, on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from simulator.actions.catalogue import CHANGE_ACTIONS, Action, check
from simulator.actions.paging import pageable
from simulator.actions.talk import askers
from simulator.engine.core import Engine
from simulator.engine.drill import Situation
from simulator.format.scenario import Decision
from simulator.players.bots.base import Bot, change_key, decision_args, postmortem, unowned_args
from simulator.players.bots.expert import ExpertBot


class HeroBot(Bot):
    """The silent hero: no declaration or updates; restarts and fixes on a hunch, alone."""

    name = "hero"

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
        moves = [*sc.debrief.hunch_path, *sc.debrief.ideal_path]
        changes = list({change_key(d.action, decision_args(d)): d for d in reversed(moves)
                        if d.action in CHANGE_ACTIONS}.values())[::-1]
        first_look = next((d for d in moves if d.action in ("delegate", "investigate")), None)
        if first_look is not None:
            args = decision_args(first_look)
            self.queue.append(Action("investigate", {"investigation": args["investigation"]}))
            yield
        for i, decision in enumerate(changes):  # first one himself, then everything at once
            args = unowned_args(decision)
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
            seen.setdefault(change_key(d.action, decision_args(d)), d)
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
            args = decision_args(decision)
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

    Declares and sends one hurried update, pages every team on call whether or not they
    are needed ("all hands"), skips orienting, then has every responder (and itself) change
    something at the same moment; if that does not work, another volley.
    """

    name = "panic"

    def decide(self, situation: Situation) -> Action:
        return Bot.decide(self, situation)

    def volley(self, engine: Engine, moves: list[Decision]) -> Iterator[None]:
        for decision in moves:
            args = unowned_args(decision)
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
        for person in pageable(engine):  # everyone, needed or not: each page costs time
            self.queue.append(Action("page", {"person": person, "reason": "all hands"}))
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
        ready = [d for d in fixes if check(engine, Action("apply_fix", {"fix": decision_args(d)[
            "fix"]})) is None]  # a fix nobody has thought of is not on the menu
        moves = ready or _changes_of(sc.debrief.ideal_path)
        for decision in moves:
            args = decision_args(decision)
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
    scenario's hunch path), and calls the incident over as soon as the key metric drops,
    telling each stakeholder who asked that it is fixed before anything was verified.
    """

    name = "premature"

    def dipped(self, engine: Engine, before: float) -> bool:
        key = engine.scenario.impact.metric
        value = engine.world.values[key]
        return engine.world.within_slo(key) or value < before * 0.6

    def plan(self, engine: Engine) -> Iterator[None]:
        sc = engine.scenario
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
                                                      "investigation": decision_args(look)[
                                                          "investigation"]}))
                yield
        moves = _changes_of([*sc.debrief.hunch_path, *sc.debrief.ideal_path])
        yield from self.try_until_dip(engine, moves)
        for person in askers(engine):  # the first good minute, announced as the end
            self.queue.append(Action("reply", {"to": person, "text": "It's fixed, all good "
                                               "now. Nothing more to worry about."}))
        self.queue.append(Action("declare_resolved", {
            "message": "Errors are down, we are good.",
            "fix": ", ".join(c.title for c in engine.changes)}))
        yield
        if any(r["kind"] == "reopened" for r in engine.channel):
            # Reopened: straight to the next idea, and again "resolved" on its first dip.
            yield from self.try_until_dip(engine, moves)
            self.queue.append(Action("declare_resolved", {
                "message": "Fixed for real this time.",
                "fix": ", ".join(c.title for c in engine.changes)}))
            yield

    def try_until_dip(self, engine: Engine, moves: list[Decision]) -> Iterator[None]:
        """The next untried change, one at a time, until the key metric dips."""
        key = engine.scenario.impact.metric
        for decision in moves:
            args = {k: v for k, v in decision_args(decision).items() if k != "announcement"}
            if any(c.key == change_key(decision.action, args) for c in engine.changes
                   if not c.cancelled):
                continue
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
                return


