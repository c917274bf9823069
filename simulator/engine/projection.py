"""Harm projected to the time limit, without re-simulating every quiet minute.

A drill's outcome reports the failures the system would cause up to the scenario's time
limit if left as it is (drill.Drill.outcome). Re-simulating every minute up to the limit
costs a full metrics derivation per minute, for each run and for each replay of a journal.
Left alone, though, the system soon settles: once a simulated minute changes nothing (fault
intensities, metric values, integrals and transient-fault clocks all as the minute before),
every following minute repeats it until a clock in the scenario can change something: a
fault's onset, the end of a transient fault, an ``after_minutes`` or
``no_update_for_minutes`` condition. Those minutes are skipped and their harm added; the
terms are added one by one, in the order stepping would add them, so the total is the same
float to the last bit and journals stay byte-identical.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from simulator.engine.world import SECONDS, World
from simulator.format.conditions import AfterMinutes, SilenceFor
from simulator.format.scenario import Scenario


def project_failures(world: World, scenario: Scenario, now: float, total: float) -> float:
    """``total`` plus the failures from ``now`` to the time limit, stepping only through
    minutes in which something changes. Moves ``world`` on; draws no noise."""
    limit = scenario.time_limit_minutes * SECONDS
    clocks = _clock_conditions(scenario)
    t = now
    before: Any = None
    while t + SECONDS <= limit:
        state = _state(world)
        if state == before:
            boundary = _next_clock(world, scenario, t, clocks)
            steps = int((limit - t) // SECONDS)
            if boundary is not None:
                steps = min(steps, math.ceil((boundary - t) / SECONDS) - 1)
            if steps > 0:
                excess = world.excess_impact()
                for _ in range(steps):  # the same additions as stepping, in the same order
                    total += excess
                t += steps * SECONDS
                world.now = t
                before = None  # the next minute may cross a clock: simulate it
                continue
        before = state
        t += SECONDS
        world.now = t
        world.advance_faults(1.0)
        world.values = world.derive_metrics(noise=False, advance=True)
        total += world.excess_impact()
    return total


def _state(world: World) -> tuple[Any, ...]:
    """Everything a quiet minute can change."""
    return (dict(world.intensity), dict(world.values), dict(world.integrals),
            dict(world.since))


def _clock_conditions(scenario: Scenario) -> list[AfterMinutes | SilenceFor]:
    """Every condition in the scenario that turns on the clock alone."""
    found: list[AfterMinutes | SilenceFor] = []
    stack: list[Any] = [scenario]
    while stack:
        item = stack.pop()
        if isinstance(item, (AfterMinutes, SilenceFor)):
            found.append(item)
        elif isinstance(item, BaseModel):
            stack.extend(getattr(item, name) for name in type(item).model_fields)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return found


def _next_clock(world: World, scenario: Scenario, t: float,
                clocks: list[AfterMinutes | SilenceFor]) -> float | None:
    """The earliest time after ``t`` at which a clock could change what a minute does."""
    times: list[float] = []
    for fault in scenario.faults:
        if fault.onset_minutes * SECONDS > t:
            times.append(fault.onset_minutes * SECONDS)
        since = world.since.get(fault.id)
        if fault.lasts_minutes is not None and since is not None:
            times.append(since + fault.lasts_minutes * SECONDS)
    for cond in clocks:
        if isinstance(cond, AfterMinutes):
            times.append(cond.after_minutes * SECONDS)
        else:
            waited = world.minutes_since_update(cond.audience)
            times.append(t + (cond.no_update_for_minutes - waited) * SECONDS)
    later = [x for x in times if x > t]
    return min(later) if later else None
