"""The expert: the documented process wrapped around the scenario's ideal path."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from simulator.actions.catalogue import CHANGE_ACTIONS, Action
from simulator.engine.changes import describe, informed
from simulator.engine.core import SETTLE_MINUTES, Engine
from simulator.engine.drill import Situation
from simulator.engine.numbers import metric_value
from simulator.engine.world import SECONDS
from simulator.players.bots import direct
from simulator.players.bots.base import UPDATE_EVERY, Bot, change_key, decision_args

#: the orientation questions (BLAST, docs/process.md#orient) a change should not outrun
ORIENT = frozenset({"blast_radius", "location", "anchor_time", "system_change"})


class ExpertBot(Bot):
    """Declares, delegates, updates on cadence, mitigates on evidence, verifies, resolves."""

    name = "expert"

    def minutes(self, engine: Engine) -> float:
        return engine.now / SECONDS

    def do(self, engine: Engine, action: Action) -> None:
        self.queue.append(action)

    def __init__(self) -> None:
        super().__init__()
        self.ordered: set[str] = set()  # the change keys this IC ordered

    def decide(self, situation: Situation) -> Action:
        """Whatever is planned: stop a change a responder started on their own, keep the
        update cadence, and answer a stakeholder's question (directly when they can be
        replied to, else with an update)."""
        engine = situation.engine
        if situation.closing:
            return super().decide(situation)
        loose = direct.runaway(engine, self.ordered)
        if loose is not None:
            return Action("tell", {"person": loose.by, "says": "stop",
                                   "about": f"no {loose.title} without my word"})
        last = engine.world.last_update_at
        if last is not None and engine.now - last >= (UPDATE_EVERY - 2.5) * SECONDS:
            return self.update(engine, "all")
        if last is not None and direct.open_questions(engine, last):
            person = direct.reply_due(engine, last)
            if person is None:
                return self.update(engine, "all")
            return Action("reply", {"to": person, "text": direct.reply_text(engine)})
        action = super().decide(situation)
        if action.id in CHANGE_ACTIONS:
            self.ordered.add(change_key(action.id, action.args))
        return action

    def update(self, engine: Engine, audience: str) -> Action:
        recovering = engine.recovered_at is not None
        changes = [c.title for c in engine.changes if not c.cancelled]  # a stopped one did nothing
        doing = (f"applied: {', '.join(changes)}; watching the metrics" if changes
                 else "investigating with two responders; a mitigation is being prepared")
        return Action("post_update", {
            "audience": audience,
            "impact": re.split(r"(?<=[.!?])\s+", engine.scenario.summary.strip())[0],
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
            self.queue.extend(direct.pages_due(engine))
            args = decision_args(decision)
            if decision.action in CHANGE_ACTIONS:
                yield from self.change(engine, decision.action, args)
                continue
            if decision.action == "delegate":
                look = None
                while self.idle_responder(engine) is None and look is None:
                    look = direct.glance(engine, args["investigation"])
                    if look is None:
                        self.do(engine, Action("wait", {"minutes": 1}))
                        yield
                if look is not None:  # nobody free: the IC glances at it
                    self.do(engine, look)
                    yield
                    continue
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
            "fix": ", ".join(c.title for c in engine.changes if not c.cancelled) or "none",
            "customer_impact": f"about {round(engine.failed_total):,} {sc.impact.unit}",
            "follow_up": "postmortem tomorrow 10:00; action items listed there"}))
        yield

    def change(self, engine: Engine, action_id: str, args: dict[str, Any],
               need_evidence: bool = True) -> Iterator[None]:
        """One change: wait for its evidence and a quiet, settled system, announce, make, watch."""
        if need_evidence:
            yield from self.before_change(engine, change_key(action_id, args),
                                          args.get("value", args.get("state")))
        running = describe(engine, action_id, args)[2]
        while self.until_settled(engine, running) > 0:  # each effect read on its own
            self.do(engine, Action("wait", {"minutes": self.until_settled(engine, running)}))
            yield
        waited = 0
        while self.idle_responder(engine) is None and waited < 5:  # hands stay off
            self.do(engine, Action("wait", {"minutes": 1}))
            waited += 1
            yield
        args["by"] = self.idle_responder(engine, args.get("by")) or "ic"
        title = describe(engine, action_id, args)[1]
        args.setdefault("announcement", f"Next change: {title}, done by "
                        f"{engine.name(args['by'])}. Nothing else changes until we have seen "
                        "its effect.")
        started = len(engine.changes)
        self.do(engine, Action(action_id, args))
        yield
        if len(engine.changes) == started:
            return  # the drill refused it (not possible now): there is nothing to watch
        yield from self.after_change(engine)

    @staticmethod
    def until_settled(engine: Engine, running: float) -> float:
        """Minutes to wait so that a change taking `running` minutes lands only after the
        last one has settled (SETTLE_MINUTES): otherwise nobody can tell their effects apart."""
        if engine.in_flight():
            return 1
        settled = max(((c.applied or 0.0) + SETTLE_MINUTES * SECONDS
                       for c in engine.settling()), default=0.0)
        left = settled - engine.now - running * SECONDS
        return round(left / SECONDS + 0.01, 2) if left > 0 else 0

    def repairs(self, engine: Engine) -> list[tuple[str, dict[str, Any]]]:
        """Undo what others changed before the expert took command (a branch, an NPC)."""
        sc, world = engine.scenario, engine.world
        planned = {change_key(d.action, decision_args(d)) for d in sc.debrief.ideal_path
                   if d.action in CHANGE_ACTIONS}
        out: list[tuple[str, dict[str, Any]]] = [
            ("set_config", {"key": key, "value": value.value})
            for key, value in sc.config_values().items()
            if world.config.get(key) != value.value and f"config:{key}" not in planned]
        out += [("rollback", {"service": svc.id}) for svc in sc.system.services
                if svc.previous_version and f"rollback:{svc.id}" not in planned
                and world.versions[svc.id] not in (svc.version, svc.previous_version)]
        return out

    def before_change(self, engine: Engine, key: str, value: Any = None) -> Iterator[None]:
        """Wait for the evidence that justifies the change, for the orientation checks still
        running (a quick answer may justify a change before the picture is complete), and
        for other changes to settle."""
        waited = 0
        while waited < 15 and (not informed(engine, key, value) or engine.in_flight()
                               or self.orienting(engine)):
            self.queue.extend(direct.pages_due(engine))  # a finding may call for someone
            asks = direct.worth_asking(engine)  # time that would be spent waiting anyway:
            if asks:                            # "Dave, what changed in v2.4.1?"
                self.queue.extend(asks)
            else:  # back as soon as a finding or a landing comes in
                self.do(engine, Action("wait", {"minutes": 1, "until_news": True}))
                waited += 1
            yield

    @staticmethod
    def orienting(engine: Engine) -> bool:
        """A check is still running that answers a BLAST question nothing has answered yet."""
        invs = engine.scenario.investigations
        answered = {c for i in invs if i.id in engine.done_investigations for c in i.covers}
        pending = {c for i in invs if i.id in engine.running_investigations for c in i.covers}
        return bool((pending & ORIENT) - answered)

    def after_change(self, engine: Engine) -> Iterator[None]:
        while engine.in_flight():
            self.do(engine, Action("wait", {"minutes": 1}))
            yield
        self.do(engine, Action("wait", {"minutes": 2}))
        yield
        key = engine.scenario.impact.metric
        value = metric_value(engine.scenario.metric(key), engine.world.values[key])
        self.do(engine, Action("note", {"text": f"{engine.changes[-1].title} landed; "
                                                f"{key} now {value}."}))
        yield


