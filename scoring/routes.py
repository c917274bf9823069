"""The scenario's workaround routes, and whether a change took one (by its effect).

A change *is a mitigation* when all three hold, whoever typed it:

- its key is a listed route: the ideal path's first change and every rollback, flag,
  failover, scaling or config move on it (a hotfix or a restart later on the path is cause
  work), rolling back a service released shortly before (`released`), and
  `debrief.mitigations`;
- it goes the right way, far enough: the ideal path's own move for that key (a config value
  or replica count at least as far from where it started and on the same side, the same
  flag state for at least the same segment, the same region), or, on a route the ideal path
  does not take, a move that would cut the harm on the key metric by at least RELIEF on the
  system as the incident found it (the scenario's fault conditions decide, not the action);
- it was made on evidence: a finding that justifies it had reached the team when it started
  (the engine's `informed`, which also knows which direction a finding justifies).

A change that fails the second or third test is no mitigation even when it happens to work:
the outcome figures show the recovery, the process criteria do not credit it.
"""

from __future__ import annotations

import random
from typing import Any

from scoring.run import Record, Run
from scoring.yardstick import yardstick
from simulator.actions.catalogue import CHANGE_ACTIONS
from simulator.engine.world import World
from simulator.format.conditions import holds
from simulator.format.scenario import Decision
from simulator.players.bots import change_key

RELIEF = 0.25  # share of the key metric's harm a listed alternative must remove
RECENT_RELEASE_MINUTES = 60


def released(run: Run, within: float = RECENT_RELEASE_MINUTES) -> list[str]:
    """Services released shortly before the failure that can be rolled back.

    A recent change is a release of a service when its text names the service (its id or
    its title) and the service has a previous version; a campaign email or a batch job
    shortly before the failure is a recent change, but nothing to roll back.
    """
    sc = run.scenario
    recent = [c.what.lower() for c in sc.system.recent_changes
              if c.minutes_before_start <= within]
    return [s.id for s in sc.system.services if s.previous_version and any(
        s.id.lower() in what or s.title.lower() in what for what in recent)]


def recent_release(run: Run, within: float = RECENT_RELEASE_MINUTES) -> bool:
    return bool(released(run, within))


def route_keys(run: Run) -> set[str]:
    """Change keys that stop the harm without curing the cause (see the module docstring)."""
    sc = run.scenario
    moves = [d for d in sc.debrief.ideal_path if d.action in CHANGE_ACTIONS]
    keys = {change_key(d.action, dict(d.model_extra or {})) for i, d in enumerate(moves)
            if i == 0 or d.action not in ("apply_fix", "restart")}
    keys |= {f"rollback:{svc}" for svc in released(run)}
    return keys | set(sc.debrief.mitigations)


def is_mitigation(run: Run, change: Record) -> bool:
    """A listed route, the right way and far enough, made on evidence."""
    data = run.data(change)
    if str(data.get("change")) not in route_keys(run) or not data.get("informed"):
        return False
    return right_move(run, change)


def right_move(run: Run, change: Record) -> bool:
    data = run.data(change)
    action, args = str(data.get("action", "")), dict(data.get("args") or {})
    ref = _reference(run, str(data.get("change")))
    if ref is not None and _as_far(run, action, args, dict(ref.model_extra or {})):
        return True
    return relief(run, action, args) >= RELIEF


def _reference(run: Run, key: str) -> Decision | None:
    return next((d for d in run.scenario.debrief.ideal_path if d.action in CHANGE_ACTIONS
                 and change_key(d.action, dict(d.model_extra or {})) == key), None)


def _as_far(run: Run, action: str, args: dict[str, Any], ref: dict[str, Any]) -> bool:
    sc = run.scenario
    if action == "set_config":
        start = sc.config_values()[str(args.get("key"))].value
        return _beyond(args.get("value"), ref.get("value"), start)
    if action == "scale":
        svc = next(s for s in sc.system.services if s.id == args.get("service"))
        return _beyond(args.get("replicas"), ref.get("replicas"), svc.replicas)
    if action == "toggle_flag":
        return args.get("state") == ref.get("state") and args.get("segment", "all") in (
            "all", ref.get("segment", "all"))
    return True  # rollback, failover, restart, fix: the key says it all


def _beyond(value: Any, ref: Any, start: Any) -> bool:
    """On the same side of the starting value as the reference, and at least as far."""
    numbers = [isinstance(v, (int, float)) and not isinstance(v, bool)
               for v in (value, ref, start)]
    if not all(numbers):
        return bool(value == ref)
    return bool((ref - start) * (value - start) > 0 and abs(value - start) >= abs(ref - start))


def relief(run: Run, action: str, args: dict[str, Any]) -> float:
    """Share of the key metric's harm this change alone would remove, at the incident's start.

    Read from the scenario's faults: which ones would still hold after the change, and how
    much any suppression would damp them. Transient relief (a restart resetting symptoms
    that come back) is no relief.
    """
    sc = run.scenario
    world = World(sc, random.Random(0))
    before = _harm(run, world)
    if before <= 0:
        return 0.0
    _apply(run, world, action, args)
    return max(0.0, (before - _harm(run, world)) / before)


def _harm(run: Run, world: World) -> float:
    """The key metric's excess over its baseline with every fault that would hold at full
    strength and the others gone, computed as the engine computes metrics (derived metrics
    included: a key metric derived from another, like errors from lock waiters or from CPU,
    is harmed through it; reading only direct effects saw no harm to remove there)."""
    sc = run.scenario
    metric = sc.metric(sc.impact.metric)
    for fault in sc.faults:
        world.intensity[fault.id] = 1.0 if (
            fault.active_when is None or holds(fault.active_when, world)) else 0.0
    value = world.derive_metrics(noise=False).get(metric.id, metric.baseline)
    return max(0.0, value - metric.baseline)


def _apply(run: Run, world: World, action: str, args: dict[str, Any]) -> None:
    """The change's end state, as the engine lands it (simulator/engine/changes.py)."""
    sc = run.scenario
    if action == "rollback":
        svc = next(s for s in sc.system.services if s.id == args.get("service"))
        world.versions[svc.id] = str(svc.previous_version)
    elif action == "toggle_flag" and str(args.get("flag")) in world.flags:
        world.set_flag(str(args.get("flag")), "off" if args.get("state") == "off" else "on",
                       str(args.get("segment", "all")))
    elif action == "failover":
        world.active_region = str(args.get("region"))
    elif action == "scale":
        world.replicas[str(args.get("service"))] = int(args.get("replicas", 0))
    elif action == "set_config":
        value = args.get("value")
        if isinstance(value, (int, float, str)):
            world.config[str(args.get("key"))] = value
    elif action == "restart":
        world.facts.add(f"restarted.{args.get('target')}")
    elif action == "apply_fix":
        fix = next((f for f in sc.fixes if f.id == args.get("fix")), None)
        for m in fix.does if fix else []:
            if m.flag is not None and m.state is not None and m.flag in world.flags:
                world.set_flag(m.flag, m.state, m.segment)
            if m.service is not None and m.version is not None:
                world.versions[m.service] = m.version
            if m.config == "region.active" and m.value is not None:
                world.active_region = str(m.value)
            elif m.config is not None and m.value is not None:
                world.config[m.config] = m.value
            if m.set_fact:
                world.facts.add(m.set_fact)
            if m.clear_fact:
                world.facts.discard(m.clear_fact)


def evidence_needed(run: Run, key: str) -> set[str]:
    """Findings any one of which justifies this change (the scenario's rationale)."""
    needed = {n for r in run.scenario.rationale if r.change == key for n in r.informed_by}
    if key.startswith("fix:"):
        fix = next((f for f in run.scenario.fixes if f.id == key[4:]), None)
        needed |= set(fix.informed_by) if fix else set()
    return needed


def own_evidence(run: Run, key: str) -> Record | None:
    """The first finding in this run that justified the change (any finding, if none is named)."""
    needed = evidence_needed(run, key)
    return run.first("investigation_done", "quick_check_done", "answer",
                     where=lambda e: not run.data(e).get("lost") and (
        not needed or bool(needed & set(run.data(e).get("learned", [])))))


def route_clock(run: Run, key: str) -> int | None:
    """When a competent IC had the evidence for this route: the expert's time on this seed.

    Whether this run found it sooner or later does not move the clock, so not looking is
    never free and looking first never costs. With no yardstick (the expert never had any
    finding that justifies it), the run's own finding dates it.
    """
    needed = evidence_needed(run, key)
    stick = yardstick(run)
    times = [t for t in (stick.finding(n) for n in needed) if t is not None] if needed else (
        list(stick.findings.values()))
    if times:
        return min(times)
    own = own_evidence(run, key)
    return int(own["t"]) if own else None
