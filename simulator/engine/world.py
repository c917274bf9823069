"""The simulated system's state, and the metrics derived from it.

Metrics are never replayed from fixed curves: each minute every fault's intensity moves
toward 1 while its condition holds (over ``ramp_minutes``) and toward 0 otherwise (over
``recover_minutes``), and each metric is its baseline plus the weighted effects of the
faults, times any active suppression (a workaround), plus seeded noise. So every branch of
play, including one nobody authored, gets a consistent system.
"""

from __future__ import annotations

import random

from simulator.format.bounds import held
from simulator.format.conditions import holds
from simulator.format.derive import bound, evaluate, order
from simulator.format.scenario import Fault, Scenario

SECONDS = 60


class World:
    """Mutable state of one drill; the engine owns it and changes it through methods."""

    def __init__(self, scenario: Scenario, rng: random.Random) -> None:
        self.scenario = scenario
        self.rng = rng
        self.now = 0.0  # seconds since T+0, kept in step with the SimPy clock
        self.versions = {s.id: s.version for s in scenario.system.services}
        self.config: dict[str, int | float | str] = {
            k: c.value for k, c in scenario.config_values().items()
        }
        self.replicas = {s.id: s.replicas for s in scenario.system.services if s.replicas}
        self.flags: dict[str, dict[str, str]] = {
            f.id: dict.fromkeys(f.segments, str(f.state)) for f in scenario.system.feature_flags}
        self.active_region = next((r.id for r in scenario.system.regions if r.active), None)
        self.facts: set[str] = set()
        self.known: set[str] = set()
        self.last_update_at: float | None = None
        self.changes_made: dict[str, set[str]] = {"started": set(), "applied": set()}
        self.audience_updated: dict[str, float] = {}  # audience (or "all") -> last update
        self.history: list[dict[str, float]] = []  # one sample a minute; the engine appends
        self.since: dict[str, float | None] = {f.id: None for f in scenario.faults}
        self.intensity = {f.id: self._initial_intensity(f) for f in scenario.faults}
        self.integrals: dict[str, float] = {}  # running totals of `integrate` expressions
        self.values = {m.id: m.baseline for m in scenario.metrics}
        self.values = self.derive_metrics(noise=False)

    # --- the condition view -------------------------------------------------------------
    def service_version(self, service: str) -> str | None:
        return self.versions.get(service)

    def config_value(self, key: str) -> float | str | None:
        if key.endswith(".replicas") and key[: -len(".replicas")] in self.replicas:
            return self.replicas[key[: -len(".replicas")]]
        if key == "region.active":
            return self.active_region
        return self.config.get(key)

    def flag_state(self, flag: str, segment: str) -> str:
        states = self.flags.get(flag, {})
        if states.get("all") == "off":
            return "off"
        return states.get(segment, states.get("all", "on"))

    def has_fact(self, fact: str) -> bool:
        return fact in self.facts

    def knows(self, finding: str) -> bool:
        return finding in self.known

    def metric_value(self, metric: str) -> float:
        return self.values.get(metric, 0.0)

    def metric_samples(self, metric: str, count: int) -> list[float]:
        """The latest ``count`` per-minute samples of a metric (fewer early in the drill)."""
        return [s.get(metric, 0.0) for s in self.history[-count:]]

    def change_made(self, key: str, applied: bool) -> bool:
        return key in self.changes_made["applied" if applied else "started"]

    def note_change(self, stage: str, key: str, state: str | None) -> None:
        """A change started or landed (flags are also noted with their new state)."""
        self.changes_made[stage].add(key)
        if state is not None:
            self.changes_made[stage].add(f"{key}={state}")

    def minutes(self) -> float:
        return self.now / SECONDS

    def minutes_since_update(self, audience: str | None = None) -> float:
        if audience is None:
            last = self.last_update_at
        else:
            heard = [t for a, t in self.audience_updated.items() if a in (audience, "all")]
            last = max(heard) if heard else None
        since = 0.0 if last is None else last
        return (self.now - since) / SECONDS

    def note_update(self, audience: str, at: float) -> None:
        """An update reached ``audience`` ("all" reaches everyone) at ``at`` seconds."""
        self.last_update_at = at
        self.audience_updated[audience] = at

    def set_flag(self, flag: str, state: str, segment: str = "all") -> None:
        """Switch a flag for a segment; "all" switches every segment."""
        states = self.flags[flag]
        if segment == "all":
            for s in states:
                states[s] = state
        states[segment] = state

    # --- dynamics -----------------------------------------------------------------------
    def _initial_intensity(self, fault: Fault) -> float:
        if fault.onset_minutes >= 0 or not self._active_condition(fault):
            return 0.0
        if fault.ramp_minutes == 0:
            return 1.0
        return min(1.0, -fault.onset_minutes / fault.ramp_minutes)

    def _active_condition(self, fault: Fault) -> bool:
        return fault.active_when is None or holds(fault.active_when, self)

    def fault_active(self, fault: Fault) -> bool:
        if not (self.minutes() >= fault.onset_minutes and self._active_condition(fault)):
            self.since[fault.id] = None
            return False
        if fault.lasts_minutes is None:
            return True
        since = self.since[fault.id]
        if since is None:
            self.since[fault.id] = since = self.now
        return self.now - since < fault.lasts_minutes * SECONDS

    def advance_faults(self, minutes: float) -> None:
        """Move every fault's intensity toward its target over ``minutes``."""
        for fault in self.scenario.faults:
            level = self.intensity[fault.id]
            if self.fault_active(fault):
                step = 1.0 if fault.ramp_minutes == 0 else minutes / fault.ramp_minutes
                level = min(1.0, level + step)
            else:
                step = 1.0 if fault.recover_minutes == 0 else minutes / fault.recover_minutes
                level = max(0.0, level - step)
            self.intensity[fault.id] = round(level, 6)

    def reset_faults_for_restart(self, target: str) -> list[str]:
        """A restart clears the symptoms it can clear; the cause, if still there, returns."""
        reset = [f.id for f in self.scenario.faults if target in f.reset_by_restart_of]
        for fault_id in reset:
            self.intensity[fault_id] = 0.0
        return reset

    def suppression(self, fault: Fault, metric: str) -> float:
        factor = 1.0
        for sup in fault.suppressed:
            if (not sup.metrics or metric in sup.metrics) and holds(sup.when, self):
                factor = min(factor, sup.factor)
        return factor

    def derive_metrics(self, noise: bool = True, advance: bool = False) -> dict[str, float]:
        """Compute every metric from the current state (and draw its noise).

        Plain metrics come first, in file order, then derived ones in dependency order;
        ``advance`` moves integrals on by one minute (once per sample, never at T+0).
        """
        out: dict[str, float] = {}
        inputs = _Inputs(self, out, advance)
        derived = {m.id: m.derive for m in self.scenario.metrics if m.derive is not None}
        ranked, _cyclic = order(derived)  # validation refuses cycles
        by_id = {m.id: m for m in self.scenario.metrics}
        plain = [m for m in self.scenario.metrics if m.derive is None]
        for metric in [*plain, *(by_id[m] for m in ranked)]:
            if metric.derive is not None:
                value = evaluate(metric.derive, inputs, metric.id)
            else:
                value = metric.baseline
            for fault in self.scenario.faults:
                effect = fault.effects.get(metric.id)
                if effect:
                    value += effect * self.intensity[fault.id] * self.suppression(fault, metric.id)
            if noise and metric.noise:
                value += self.rng.gauss(0.0, metric.noise)
            if metric.floor is not None:
                value = max(metric.floor, value)
            top = metric.top()
            if top is not None:
                value = min(top, value)
            out[metric.id] = round(held(value, metric.baseline), 3)
        return {m.id: out[m.id] for m in self.scenario.metrics if m.id in out}

    def within_slo(self, metric_id: str, value: float | None = None) -> bool:
        metric = self.scenario.metric(metric_id)
        v = self.values[metric_id] if value is None else value
        if metric.slo.max is not None and v > metric.slo.max:
            return False
        return not (metric.slo.min is not None and v < metric.slo.min)

    def excess_impact(self) -> float:
        """User harm this minute: requests failed beyond the baseline rate."""
        impact = self.scenario.impact
        metric = self.scenario.metric(impact.metric)
        excess = max(0.0, self.values[impact.metric] - metric.baseline)
        return excess / 100 * impact.per_minute if impact.percent else excess * impact.per_minute

    def active_faults(self) -> list[str]:
        return [f for f, level in self.intensity.items() if level > 0]


class _Inputs:
    """What a derived metric's expression reads: this minute's values, history, baselines."""

    def __init__(self, world: World, now: dict[str, float], advance: bool) -> None:
        self.world = world
        self.now = now
        self.advance = advance

    def current(self, metric: str) -> float:
        return self.now.get(metric, self.world.values.get(metric, 0.0))

    def previous(self, metric: str) -> float:
        return self.world.values.get(metric, 0.0)

    def baseline(self, metric: str) -> float:
        return self.world.scenario.metric(metric).baseline

    def ago(self, metric: str, minutes: int) -> float:
        history = self.world.history
        if len(history) >= minutes:
            return history[-minutes].get(metric, 0.0)
        return self.baseline(metric)

    def integrate(self, key: str, start: float, rate: float, low: float | None,
                  high: float | None) -> float:
        total = self.world.integrals.get(key, start)
        if self.advance:
            total = bound(total + rate, low, high)
            self.world.integrals[key] = total
        return total
