"""The drill loop: the one place that advances the simulation and asks for decisions.

The IC is a SimPy process that yields a pending decision event. The loop steps the
environment until that event is pending (after every other event of the same instant has
run), shows the decider a Situation, and answers the event with the chosen Action. Human
prompts, decision files and bots are all Deciders; none of them is imported here.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import simpy

from simulator import __version__
from simulator.actions.catalogue import (
    CLOSING_ACTIONS,
    Action,
    Option,
    check,
    execute,
    normalize,
    options,
)
from simulator.engine.changes import npc_change
from simulator.engine.core import Engine
from simulator.engine.facilitation import ActSource, ActsWaiting, apply_act
from simulator.engine.numbers import metric_value
from simulator.engine.team import Team, unknown_person
from simulator.engine.world import SECONDS
from simulator.errors import DrillInterrupted, InputError
from simulator.format.scenario import Scenario
from simulator.runs import signals
from simulator.runs.journal import FORMAT, JournalWriter
from simulator.texts import text


@dataclass
class Situation:
    """What a decider sees before a decision: the engine (read-only by convention)."""

    engine: Engine
    options: list[Option]
    closing: bool
    decision_index: int
    #: journals a trainee-side event (coaching, pause) at the current simulated time
    note: Callable[..., None] | None = field(default=None, repr=False, compare=False)
    #: the people playing, when a team plays (the prompt asks who decided)
    team: Team | None = None

    @property
    def minutes(self) -> float:
        return self.engine.now / SECONDS


class Decider(Protocol):
    """Anything that picks the IC's next action: prompts, a decisions file, a bot."""

    name: str

    def decide(self, situation: Situation) -> Action: ...


@dataclass
class Outcome:
    #: resolved | reopened | unresolved | timeout | abandoned; a reopened incident goes on,
    #: so "reopened" means the trainee stopped (postmortem or finish) while it was reopened
    status: str
    data: dict[str, Any] = field(default_factory=dict)


class DrillAbandoned(Exception):
    """The trainee gave up on the drill: it ends now, unresolved, with a complete journal."""


class DecisionRejected(InputError):
    """A decider proposed an action that cannot run; scripted play stops with exit 2."""


class Drill:
    """One run of a scenario: engine + journal + the IC process."""

    def __init__(self, scenario: Scenario, scenario_ref: dict[str, str], seed: int,
                 journal_path: Path | JournalWriter | None,
                 options_: dict[str, Any] | None = None, team: Team | None = None) -> None:
        from simulator.format.variants import vary

        scenario, picks = vary(scenario, seed)  # the incident this seed plays
        self.variant = picks
        self.scenario = scenario
        self.journal = (journal_path if isinstance(journal_path, JournalWriter)
                        else JournalWriter(journal_path))
        self.engine = Engine(scenario, seed, self.journal, start_npc_change=npc_change)
        self.pending: simpy.Event | None = None
        self.phase = "live"  # live -> verifying -> closing -> ended
        self.decisions = 0
        self.resolved_at: float | None = None
        self.status: str | None = None
        #: the facilitator's acts (tabletop facilitate), applied between two decisions
        self.acts: ActSource | None = None
        self.ended_by: str | None = None
        self.team = team
        if team is not None:  # the people who can take command, and who holds it
            self.engine.people = tuple(team.names())
            self.engine.holder = team.first_commander().name
        self.journal.write({"type": "header", "format": FORMAT, "tool": "incident-tabletop",
                            "version": __version__, "scenario": scenario_ref, "seed": seed,
                            "options": options_ or {}, **({"variant": picks} if picks else {}),
                            **({"team": team.as_records()} if team else {})})

    # --- the IC process -----------------------------------------------------------------
    def _ic(self) -> Generator[simpy.Event, Any, None]:
        env = self.engine.env
        while self.phase in ("live", "closing"):
            self.pending = env.event()
            action: Action = yield self.pending
            self.pending = None
            if action.think_seconds:
                yield env.timeout(action.think_seconds)
            if action.id == "declare_resolved":
                yield from self._declare_resolved(action)
            elif action.id in CLOSING_ACTIONS:
                if self.phase == "live":  # stopping after a reopen: it stays reopened
                    self.status = "reopened"
                self._close(action)
                self.phase = "ended"
            else:
                yield from execute(self.engine, action)

    def _close(self, action: Action) -> None:
        engine = self.engine
        if action.id == "schedule_postmortem":  # the meeting is booked; written later
            owner = str(action.args.get("owner", "ic"))
            engine.emit("postmortem_scheduled", "ic", text(
                "postmortem_scheduled", when=str(action.args["when"]).strip(),
                owner=engine.name(owner)), **action.args)
            return
        engine.emit("postmortem" if action.id == "write_postmortem" else "finish", "ic", "",
                    **action.args)

    def _declare_resolved(self, action: Action) -> Generator[simpy.Event, Any, None]:
        engine = self.engine
        yield engine.env.timeout(60 * engine.ic_slowdown)
        engine.world.now = engine.now
        healthy = engine.healthy()
        engine.emit("declare_resolved", "ic", "IC: resolved. " + str(
            action.args.get("message", "")).strip(), healthy_now=healthy,
            verified=engine.recovered_at is not None, **action.args)
        self.resolved_at = engine.now
        engine.world.note_update("all", engine.now)  # the resolution message reaches everyone
        engine.promises.clear()  # the resolution message keeps every promise
        self.phase = "verifying"
        hold = self.scenario.success.hold_minutes
        engine.emit("verifying", "monitoring", text("resolved_hold", minutes=f"{hold:g}"))
        for _ in range(int(hold)):
            yield engine.env.timeout(SECONDS)
            bad = [m for m in self.scenario.success.metrics if not engine.world.within_slo(m)]
            if bad:
                self._reopen(bad[0])
                return
            engine.world.now = engine.now
            if not engine.healthy():  # users are served, but the fix or protection is not in
                self._reopen(None)
                return
        self.status = "resolved"
        engine.emit("held", "monitoring", text("held"))
        self.phase = "closing"

    def _reopen(self, metric_id: str | None) -> None:
        """Monitoring reopens a premature resolution: the drill goes back to active play.

        The reopen is a timeline entry; every stakeholder who heard "resolved" learns it is
        not and asks what now (a question the IC owes an answer); recovery must be seen
        again before a new resolution can hold.
        """
        engine = self.engine
        engine.reopens += 1
        if metric_id is None:  # the metrics hold, but `success.when` (full service) does not
            engine.emit("reopened", "monitoring", text(
                "reopened_not_yet", what=self.scenario.success.not_yet), unfinished=True,
                reopens=engine.reopens)
        else:
            metric = self.scenario.metric(metric_id)
            engine.emit("reopened", "monitoring", text(
                "reopened" if self._was_back(metric_id) else "reopened_still",
                metric=metric.title,
                value=metric_value(metric, engine.world.values[metric_id])),
                metric=metric_id, reopens=engine.reopens)
        engine.recovered_at = None
        engine.world.facts.discard("recovered")
        for person in self.scenario.roster.stakeholders:
            engine.stakeholder_last[person.id] = engine.now
            engine.emit("stakeholder_ping", person.id, text(
                "reopened_asks", name=person.name, role=person.role),
                audience=person.audience, silent_minutes=0.0, reopened=True)
        self.status = None
        self.phase = "live"

    def _was_back(self, metric_id: str) -> bool:
        """Whether the metric came back within its SLO after a breach (per-minute samples).

        Monitoring says "again" only then; a metric that never recovered is "still" out.
        """
        breached = back = False
        for values in self.engine.history:
            if metric_id not in values:
                continue
            if not self.engine.world.within_slo(metric_id, values[metric_id]):
                breached = True
            elif breached:
                back = True
        return back

    def _time_limit(self) -> Generator[simpy.Event, Any, None]:
        yield self.engine.env.timeout(self.scenario.time_limit_minutes * SECONDS)
        while self.phase == "verifying":  # a resolution being watched may still reopen
            yield self.engine.env.timeout(SECONDS)
        if self.phase == "live":
            self.engine.emit("timeout", "facilitator", text("drill_timeout"))
            self.status = "timeout"
            self.phase = "closing"
            if self.pending is None:  # the IC was mid-action: make room for the postmortem
                self.engine.env.process(self._ic())

    # --- the loop -----------------------------------------------------------------------
    def start(self) -> None:
        self.engine.emit("drill_start", "facilitator", self.scenario.briefing.strip(),
                         start_time=self.scenario.start_time)
        self.engine.start()
        self.engine.env.process(self._ic())
        self.engine.env.process(self._time_limit())

    def advance(self) -> None:
        """Run the simulation until the IC must decide (or the drill has ended)."""
        env = self.engine.env
        while self.phase != "ended":
            if self.pending is not None and not self.pending.triggered and env.peek() > env.now:
                return
            env.step()

    def situation(self) -> Situation:
        closing = self.phase == "closing"
        return Situation(self.engine, options(self.engine, closing), closing, self.decisions,
                         self.note, self.team)

    def note(self, kind: str, actor: str, **data: Any) -> None:
        """Journal an event from outside the simulation (coaching, pause, resume).

        It has no text, so it never enters the incident channel; the simulation ignores it.
        """
        record: dict[str, Any] = {"type": "event", "t": int(self.engine.now), "actor": actor,
                                  "kind": kind}
        if data:
            record["data"] = data
        self.journal.write(record)

    def end_by_facilitator(self) -> None:
        """The facilitator stopped the drill: it ends now, scored like any unfinished run."""
        self.ended_by = "facilitator"
        self.phase = "ended"

    def apply_acts(self) -> None:
        """Apply the facilitator's waiting acts, in order, at the current simulated time."""
        if self.acts is None:
            return
        for act in self.acts.take(self.decisions):
            apply_act(self, act)

    def play_joined(self) -> bool:
        """Submit the next decision a player sent from their own terminal (tabletop join).

        It goes into the one drill like any decision, attributed to that player; one the
        drill refuses (no longer possible by the time it arrived) is noted and dropped.
        """
        take = getattr(self.acts, "take_joined", None)
        joined = take() if take is not None else None
        if joined is None:
            return False
        action = Action(str(joined["action"]), dict(joined.get("args") or {}))
        try:
            self.submit(action, str(joined["who"]))
        except DecisionRejected as exc:
            self.note("join_refused", "trainee", who=str(joined["who"]),
                      action=action.id, reason=str(exc))
        return True

    def submit(self, action: Action, who: str | None = None) -> None:
        """Check and journal a decision, then hand it to the waiting IC process.

        ``who`` (or the action's own ``who``) names the person of a team drill who decided;
        left out, the owner of the action's role decides. Solo drills record no one.
        """
        closing = self.phase == "closing"
        if who is not None:
            action = Action(action.id, action.args, action.think_seconds, who)
        action = normalize(action)
        problem = check(self.engine, action, closing)
        if problem is None and action.who is not None:
            problem = unknown_person(self.team, action.who)
        if problem is None and self.team is not None and action.who is not None:
            problem = self.team.refusal(action.who, action.id, self.engine.holder)
        if problem:
            raise DecisionRejected(problem)
        assert self.pending is not None
        record: dict[str, Any] = {"type": "decision", "t": int(self.engine.now),
                                  "n": self.decisions, "action": action.id}
        if self.team is not None:  # absent in solo runs: their journals stay as they were
            record["who"] = action.who or self.team.default_owner(
                action.id, self.engine.holder).name
        if action.args:
            record["args"] = action.args
        if action.think_seconds:
            record["think"] = round(action.think_seconds, 1)
        self.journal.write(record)
        self.decisions += 1
        self.pending.succeed(action)

    def run(self, decider: Decider) -> Outcome:
        """Play the drill to its end with one decider; the journal is complete afterwards.

        The trainee can stop in two ways: abandon (the drill ends now, unresolved, and is
        scored) or pause/interrupt (the journal is kept open-ended for `tabletop resume`).
        """
        self.start()
        try:
            while True:
                self.advance()
                self.apply_acts()
                if self.phase == "ended":
                    break
                if self.play_joined():
                    continue
                signals.check()  # a SIGTERM/SIGHUP that came mid-step stops here, cleanly
                try:
                    action = decider.decide(self.situation())
                except ActsWaiting:  # the prompt gave way to a facilitator's act
                    continue
                self.submit(action)
        except DrillAbandoned:
            self.note("abandoned", "trainee")
            self.status = "abandoned"
        except DrillInterrupted:
            self.note("interrupted", "trainee")
            self.journal.close()
            raise
        except InputError as exc:  # a scripted decision refused, or the script ran out
            self.note("refused", "trainee", reason=" ".join(
                p.message for p in exc.problems) or str(exc))
            self.journal.close()
            raise
        except BaseException:
            self.journal.close()
            raise
        return self.finish()

    def finish(self) -> Outcome:
        outcome = self.outcome()
        self.journal.write({"type": "end", "t": int(self.engine.now), "outcome": outcome.data})
        self.journal.close()
        return outcome

    def outcome(self) -> Outcome:
        engine = self.engine
        status = self.status or "unresolved"
        data = {
            "status": status,
            "resolved_at": None if self.resolved_at is None else int(self.resolved_at),
            "recovered_at": None if engine.recovered_at is None else int(engine.recovered_at),
            **({"mitigated_at": None if engine.mitigated_at is None else int(
                engine.mitigated_at)} if self.scenario.success.mitigated else {}),
            **({"variant": self.variant} if self.variant else {}),
            "failed": round(engine.failed_total),
            "impact_unit": self.scenario.impact.unit,
            "evidence_lost": sorted(engine.lost_investigations),
            "second_incident": sorted(f.id for f in self.scenario.faults
                                      if f.second_incident and f.id in engine.seen_faults),
            "decisions": self.decisions,
            "reopened": engine.reopens,
        }
        data["failed_by_limit"] = round(self._project_failures())
        data["time_limit_minutes"] = self.scenario.time_limit_minutes
        return Outcome(status, data)

    def _project_failures(self) -> float:
        """Failures up to the scenario's time limit if the system is left as it is now.

        Runs end at different times (a premature "resolved" ends early while users keep
        failing), so harm is compared over one horizon. The projection draws no noise and
        writes nothing, so it cannot disturb the journal.
        """
        from simulator.engine.projection import project_failures

        return project_failures(self.engine.world, self.scenario, self.engine.now,
                                self.engine.failed_total)
