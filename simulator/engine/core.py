"""The SimPy side of a drill: the clock, the background processes and the running tasks.

Processes are plain generator functions, readable top to bottom: the metric sampler ticks
every simulated minute, each inject waits for its time and condition, each stakeholder
loses patience, each delegated task takes its time and reports back. The engine writes
every event to the journal and never talks to a terminal.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulator.engine.causes import mentions
from simulator.engine.world import SECONDS, World
from simulator.format.conditions import ENGINE_FACTS as ENGINE_FACTS
from simulator.format.conditions import holds
from simulator.format.scenario import Fault, Inject, Mutation, NpcAction, Scenario, Variant
from simulator.runs.journal import JournalWriter
from simulator.texts import text

SETTLE_MINUTES = 5  # after a change lands, its effect is still being read for this long
#: event kinds that end a "wait until news" early: something the IC should look at
NEWS_KINDS = frozenset({
    "investigation_done", "investigation_checkin", "change_applied", "change_cancelled",
    "evidence_lost", "inject", "stakeholder_ping", "missed_update", "mitigated", "recovered",
    "symptoms_reset", "reopened", "timeout", "second_incident", "answer", "joined"})


@dataclass
class Change:
    key: str
    title: str
    by: str
    started: float
    minutes: float
    applied: float | None = None
    cancelled: bool = False
    touched: frozenset[str] = frozenset()  # state keys it writes (simulator/engine/causes.py)
    action: str = ""
    #: what undoes it once landed (snapshotted at landing); None: it cannot be reverted
    undo: list[Mutation] | None = None
    reverted: bool = False


@dataclass
class Task:
    person: str
    title: str
    until: float


@dataclass
class Engine:
    scenario: Scenario
    seed: int
    journal: JournalWriter
    #: how a character's own change (an inject's `npc_action`) is started; the drill hands
    #: in changes.npc_change, so the engine never imports the module built on top of it
    start_npc_change: Callable[[Engine, NpcAction], None] | None = None
    env: simpy.Environment = field(default_factory=simpy.Environment)
    world: World = field(init=False)
    rng: random.Random = field(init=False)
    channel: list[dict[str, Any]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    tasks: dict[str, Task] = field(default_factory=dict)
    history: list[dict[str, float]] = field(default_factory=list)
    done_investigations: set[str] = field(default_factory=set)
    lost_investigations: set[str] = field(default_factory=set)
    running_investigations: set[str] = field(default_factory=set)
    failed_total: float = 0.0
    healthy_since: float | None = None
    recovered_at: float | None = None
    mitigated_since: float | None = None
    mitigated_at: float | None = None
    ic_slowdown: float = 1.0
    promises: dict[str, float] = field(default_factory=dict)  # audience -> news due by
    stakeholder_last: dict[str, float] = field(default_factory=dict)
    severity: str | None = None
    commander: str | None = None
    #: team drills: the people playing (names from --team) and the one holding command
    #: now; a handover to one of them (hand_over to=NAME) moves the IC's seat to them
    people: tuple[str, ...] = ()
    holder: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    seen_faults: set[str] = field(default_factory=set)
    reopens: int = 0  # premature resolutions that monitoring reopened
    asked: set[tuple[str, str]] = field(default_factory=set)  # (person, question) asked
    quick_checked: set[str] = field(default_factory=set)  # investigations glanced at
    paged: dict[str, str] = field(default_factory=dict)  # on-call id -> paged|joined|left
    joins_at: dict[str, float] = field(default_factory=dict)  # on-call id -> when they join

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.world = World(self.scenario, self.rng)
        self.world.history = self.history  # conditions over time ("below X for N minutes")
        self.news: simpy.Event = self.env.event()

    # --- journal ------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return float(self.env.now)

    def emit(self, kind: str, actor: str, text_: str = "", **data: Any) -> dict[str, Any]:
        record: dict[str, Any] = {"type": "event", "t": int(self.now), "actor": actor,
                                  "kind": kind}
        if text_:
            record["text"] = text_
        if data:
            record["data"] = data
        return self.post(record)

    def post(self, record: dict[str, Any]) -> dict[str, Any]:
        """Journal an event record; one with text enters the channel, news wakes waiters."""
        self.journal.write(record)
        if record.get("text"):
            self.channel.append(record)
        if record.get("kind") in NEWS_KINDS:
            self.news.succeed(record["kind"])
            self.news = self.env.event()
        return record

    def name(self, person_id: str) -> str:
        if person_id == "ic":
            return self.scenario.roster.ic.name
        person = self.scenario.person(person_id)
        if person:
            return person.name
        stake = next((s for s in self.scenario.roster.stakeholders if s.id == person_id), None)
        return stake.name if stake else person_id

    # --- processes ----------------------------------------------------------------------
    def start(self) -> None:
        self.sample()
        self.env.process(self._sampler())
        for inject in self.scenario.injects:
            self.env.process(self._inject(inject))
        self.env.process(self._stakeholders())

    def sample(self) -> None:
        self.world.now = self.now
        if self.now > 0:
            self.world.advance_faults(1.0)
        self.world.values = self.world.derive_metrics(noise=self.now > 0, advance=self.now > 0)
        self.failed_total += self.world.excess_impact() if self.now > 0 else 0.0
        active = self.world.active_faults()
        fresh = [f for f in active if f not in self.seen_faults]
        self.seen_faults.update(active)
        self.history.append(dict(self.world.values))
        healthy = self.healthy()
        self.journal.write({"type": "metrics", "t": int(self.now), "values": self.world.values,
                            "failed": round(self.failed_total, 1)})
        self._track_mitigated()
        for fault in self.scenario.faults:
            if fault.id in fresh and fault.second_incident:
                self._second_incident(fault)
        if healthy and self.healthy_since is None:
            self.healthy_since = self.now
        elif not healthy:
            self.healthy_since = None
        if (self.healthy_since is not None and self.recovered_at is None
                and self.now - self.healthy_since >= self.scenario.success.hold_minutes * SECONDS):
            self.recovered_at = self.now
            self.world.facts.add("recovered")
            if self.scenario.success.mitigated is not None and self.mitigated_at is None:
                self._mitigated(self.healthy_since)
            self.emit("recovered", "monitoring", since=int(self.healthy_since))

    def healthy(self) -> bool:
        """Full service: the success metrics within SLO and `success.when`, if any, holds."""
        success = self.scenario.success
        if not all(self.world.within_slo(m) for m in success.metrics):
            return False
        return success.when is None or holds(success.when, self.world)

    def _track_mitigated(self) -> None:
        """The mitigated stage, when the scenario names one: users served again."""
        stage = self.scenario.success.mitigated
        if stage is None or self.mitigated_at is not None:
            return
        ok = all(self.world.within_slo(m) for m in stage.metrics) and (
            stage.when is None or holds(stage.when, self.world))
        if not ok:
            self.mitigated_since = None
            return
        if self.mitigated_since is None:
            self.mitigated_since = self.now
        hold = stage.hold_minutes or self.scenario.success.hold_minutes
        if self.now - self.mitigated_since >= hold * SECONDS:
            self._mitigated(self.mitigated_since)

    def _mitigated(self, since: float) -> None:
        self.mitigated_at = self.now
        self.world.facts.add("mitigated")
        self.emit("mitigated", "monitoring", text("mitigated_stage"), since=int(since))

    def _second_incident(self, fault: Fault) -> None:
        """Say in the channel that the team caused a new failure, what it is and which
        change set it off, so nobody has to guess: the latest landed change that touched
        what the fault's condition reads (simulator/engine/causes.py), else the latest to land."""
        fault_id, title = fault.id, fault.title
        landed = [c for c in self.changes if c.applied is not None and not c.cancelled]
        reads = mentions(fault.active_when)
        landed = [c for c in landed if c.touched & reads] or landed
        cause = max(landed, key=lambda c: c.applied or 0.0) if landed else None
        said = text("second_incident_cause", change=cause.title, by="you" if cause.by == "ic"
                    else self.name(cause.by),
                    at=self.clock(cause.applied or 0.0)) if cause else text(
            "second_incident_no_cause")
        self.emit("second_incident", "monitoring", text("second_incident", title=title,
                  cause=said), fault=fault_id, title=title,
                  change=cause.key if cause else None, cause=said)

    def _sampler(self) -> Generator[simpy.Event, Any, None]:
        while True:
            yield self.env.timeout(SECONDS)
            self.sample()

    def _inject(self, inject: Inject) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(max(0.0, inject.at_minutes * SECONDS - self.now))
        while True:
            self.world.now = self.now
            ready = inject.when is None or holds(inject.when, self.world)
            blocked = inject.unless is not None and holds(inject.unless, self.world)
            if ready and not blocked:
                break
            if inject.when is None and blocked:
                return  # a timed inject that the trainee prevented
            yield self.env.timeout(SECONDS)
        said = self.variant(inject.text_when, inject.text)
        self.emit("inject", inject.source, said, id=inject.id, expects=inject.expects,
                  objective=inject.objective)
        self.mutate(inject.does, inject.source)
        npc = inject.npc_action
        if npc is not None and self.start_npc_change is not None:
            self.start_npc_change(self, npc)

    def _stakeholders(self) -> Generator[simpy.Event, Any, None]:
        while True:
            yield self.env.timeout(SECONDS)
            last = self.world.last_update_at or 0.0
            self.world.now = self.now
            for person in self.scenario.roster.stakeholders:
                waited = self.now - max(last, self.stakeholder_last.get(person.id, 0.0))
                if waited >= person.patience_minutes * SECONDS:
                    if person.quiet_when is not None and holds(person.quiet_when, self.world):
                        continue
                    self.stakeholder_last[person.id] = self.now
                    asks = self.variant(person.asks_when, person.asks)
                    self.emit("stakeholder_ping", person.id, f"{person.name} ({person.role}): "
                              f"{asks}", audience=person.audience,
                              silent_minutes=round((self.now - last) / SECONDS, 1))
                    if person.joins_channel and f"in-channel.{person.id}" not in self.world.facts:
                        self.world.facts.add(f"in-channel.{person.id}")
                        self.ic_slowdown = 1.5
                        self.emit("interruptions", person.id, text("vp_interrupts",
                                  name=person.name))
            for audience, due_at in list(self.promises.items()):
                if self.now < due_at + SECONDS:
                    continue
                due = self.clock(due_at)
                del self.promises[audience]
                lead = next((s for s in self.scenario.roster.stakeholders
                             if audience in (s.audience, "all")), None)
                if lead is not None:
                    self.emit("missed_update", lead.id, text("missed_promise", name=lead.name,
                              role=lead.role, due=due), due=due, audience=audience)

    # --- promises of the next update ----------------------------------------------------
    def promise(self, audience: str, minutes: float | None) -> None:
        """An update to ``audience`` keeps its promise (an update to "all" keeps every
        promise) and, with ``minutes``, makes a new one to that audience."""
        if audience == "all":
            self.promises.clear()
        else:
            self.promises.pop(audience, None)
        if minutes:
            self.promises[audience] = self.now + minutes * SECONDS

    def next_promise(self) -> float | None:
        """When the earliest open promise falls due (None when nothing is promised)."""
        return min(self.promises.values(), default=None)

    # --- state changes ------------------------------------------------------------------
    def clock(self, seconds: float) -> str:
        hours, minutes = (int(x) for x in self.scenario.start_time.split(":"))
        total = hours * 60 + minutes + int(seconds // SECONDS)
        return f"{(total // 60) % 24:02d}:{total % 60:02d}"

    def variant(self, variants: list[Variant], default: str) -> str:
        """The first state-dependent text whose condition holds now, else the default."""
        self.world.now = self.now
        return next((v.text for v in variants if holds(v.when, self.world)), default)

    def mutate(self, mutations: list[Mutation], by: str) -> None:
        for m in mutations:
            if m.flag is not None and m.state is not None:
                self.world.set_flag(m.flag, m.state, m.segment)
            if m.service is not None and m.version is not None:
                self.world.versions[m.service] = m.version
            if m.config == "region.active" and m.value is not None:
                self.world.active_region = str(m.value)  # a region, not a settable value
            elif (m.config is not None and m.config.endswith(".replicas")
                  and m.config[: -len(".replicas")] in self.world.replicas):
                self.world.replicas[m.config[: -len(".replicas")]] = int(float(str(m.value)))
            elif m.config is not None and m.value is not None:
                self.world.config[m.config] = m.value
            if m.set_fact:
                self.world.facts.add(m.set_fact)
            if m.clear_fact:
                self.world.facts.discard(m.clear_fact)
        self.check_evidence(by)

    def check_evidence(self, by: str) -> None:
        """Record each piece of evidence the latest change destroyed."""
        self.world.now = self.now
        for inv in self.scenario.investigations:
            fresh = inv.id not in self.lost_investigations | self.done_investigations
            if fresh and inv.lost_when is not None and holds(inv.lost_when, self.world):
                self.lost_investigations.add(inv.id)
                self.emit("evidence_lost", by, text("evidence_lost", by=self.name(by),
                          what=inv.title.lower()), investigation=inv.id)

    def in_flight(self) -> list[Change]:
        return [c for c in self.changes if c.applied is None]

    def settling(self) -> list[Change]:
        return [c for c in self.changes if c.applied is not None
                and self.now - c.applied < SETTLE_MINUTES * SECONDS]

    def busy(self, person: str) -> bool:
        task = self.tasks.get(person)
        return task is not None and task.until > self.now
