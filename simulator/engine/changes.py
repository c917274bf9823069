"""Changes to the system: who makes them, how long they take, what they do on landing.

A change is announced (or not), started by the IC or a responder (or by an NPC on their
own), runs for its time while "in flight", then lands: the world is mutated and the
channel says so, noting any other change that landed or ran at the same time, since then
nobody can tell which one moved the metrics.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Literal

import simpy

from simulator.engine.causes import touched
from simulator.engine.core import SETTLE_MINUTES, Change, Engine, Task
from simulator.engine.world import SECONDS
from simulator.format.conditions import holds
from simulator.format.scenario import Mutation, NpcAction, SlowerWhen
from simulator.texts import text

Gen = Generator[simpy.Event, Any, None]


def informed(engine: Engine, key: str, value: Any = None) -> bool:
    """Was a finding that justifies this change known when it started?

    A rationale may justify a config change in one direction only (lowering a timeout, not
    raising it): a value on the wrong side is a hunch even with the finding in hand.
    """
    sc = engine.scenario
    needed: list[str] = []
    keyed = False
    for r in sc.rationale:
        if r.change != key:
            continue
        keyed = True
        if r.state is not None and value in ("on", "off") and value != r.state:
            continue
        number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if number is not None and (
                (r.value_below is not None and not number < r.value_below)
                or (r.value_above is not None and not number > r.value_above)):
            continue
        needed += r.informed_by
    if key.startswith("fix:"):
        fix = next(f for f in sc.fixes if f.id == key[4:])
        needed += fix.informed_by
    if not needed:
        return not keyed and bool(engine.done_investigations)
    return any(engine.world.knows(n) for n in needed)


def _setting(value: Any) -> str:
    """A setting as people write it: a whole number stays whole (150, not the 150.0 a landed
    change stores), so a second change to the same key reads like the first."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _minutes(engine: Engine, usual: float, slower: list[SlowerWhen]) -> float:
    """A change's running time: the first `minutes_when` entry that holds, else the usual."""
    engine.world.now = engine.now
    return next((s.minutes for s in slower if holds(s.when, engine.world)), usual)


def describe(engine: Engine, action_id: str, args: dict[str, Any]
             ) -> tuple[str, str, float, list[Mutation]]:
    """Key, human title, running time and state mutations of a change (checked args)."""
    sc, world = engine.scenario, engine.world
    if action_id == "rollback":
        svc = next(s for s in sc.system.services if s.id == args["service"])
        assert svc.previous_version is not None
        return (f"rollback:{svc.id}", f"roll back {svc.id} to {svc.previous_version}",
                svc.rollback_minutes, [Mutation(service=svc.id, version=svc.previous_version)])
    if action_id == "toggle_flag":
        seg = args.get("segment", "all")
        flag = next(f for f in sc.system.feature_flags if f.id == args["flag"])
        return (f"flag:{flag.id}", f"turn {flag.id} {args['state']} for {seg}",
                _minutes(engine, flag.toggle_minutes, flag.minutes_when),
                [Mutation(flag=flag.id, state=args["state"], segment=seg)])
    if action_id == "failover":
        return (f"failover:{args['region']}", f"fail over to {args['region']}",
                sc.system.failover_minutes, [Mutation(config="region.active",
                                                      value=args["region"])])
    if action_id == "scale":
        svc = next(s for s in sc.system.services if s.id == args["service"])
        return (f"scale:{svc.id}", f"scale {svc.id} to {args['replicas']} replicas",
                svc.scale_minutes, [])
    if action_id == "set_config":
        key = args["key"]
        value = sc.config_values()[key]
        minutes = _minutes(engine, value.change_minutes, value.minutes_when)
        return (f"config:{key}", f"set {key} from {_setting(world.config[key])} to "
                f"{_setting(args['value'])}",
                minutes, [Mutation(config=key, value=args["value"])])
    if action_id == "restart":
        target = args["target"]
        return (f"restart:{target}", f"restart {target}", sc.restart_targets()[target],
                [Mutation(set_fact=f"restarted.{target}")])
    if action_id == "roll_forward":
        svc = next(s for s in sc.system.services if s.id == args["service"])
        assert svc.fixed_version is not None
        return (f"rollforward:{svc.id}", f"roll {svc.id} forward to {svc.fixed_version}",
                svc.roll_forward_minutes, [Mutation(service=svc.id, version=svc.fixed_version)])
    if action_id == "revert_change":
        landed = revertible(engine)[args["change"]]
        fix = next((f for f in sc.fixes if f"fix:{f.id}" == landed.key), None)
        minutes = fix.revert_minutes if fix is not None and fix.revert_minutes else landed.minutes
        return (f"revert:{landed.key}", f"revert '{landed.title}'", minutes,
                list(landed.undo or []))
    fix = next(f for f in sc.fixes if f.id == args["fix"])
    return (f"fix:{fix.id}", fix.title, _minutes(engine, fix.minutes, fix.minutes_when),
            list(fix.does))


def revertible(engine: Engine) -> dict[str, Change]:
    """Landed changes that can still be undone, by key (the latest of each key)."""
    pending = {c.key for c in engine.in_flight()}
    out: dict[str, Change] = {}
    for c in engine.changes:
        if (c.applied is not None and not c.cancelled and not c.reverted and c.undo
                and f"revert:{c.key}" not in pending):
            out[c.key] = c
    return out


def stoppable(engine: Engine) -> dict[str, Change]:
    """Changes in flight that someone other than the IC is running (the IC's own change
    holds the IC until it lands), by key."""
    return {c.key: c for c in engine.in_flight() if c.by != "ic"}


def _undo(engine: Engine, change: Change, action_id: str, args: dict[str, Any],
          mutations: list[Mutation]) -> list[Mutation] | None:
    """What puts back the state this change is about to overwrite (None: irreversible)."""
    world, sc = engine.world, engine.scenario
    if action_id in ("restart", "revert_change"):
        return None
    if action_id == "apply_fix" and not next(f for f in sc.fixes if f.id == args["fix"]
                                             ).reversible:
        return None
    if action_id == "scale":
        svc = args["service"]
        return [Mutation(config=f"{svc}.replicas", value=world.replicas[svc])]
    undo: list[Mutation] = []
    for m in mutations:
        if m.service is not None and m.version is not None:
            undo.append(Mutation(service=m.service, version=world.versions[m.service]))
        if m.config is not None and m.value is not None:
            undo.append(Mutation(config=m.config, value=world.config_value(m.config)))
        if m.flag is not None and m.state is not None:
            before: Literal["on", "off"] = (
                "off" if world.flags[m.flag].get(m.segment, "on") == "off" else "on")
            undo.append(Mutation(flag=m.flag, segment=m.segment, state=before))
        if m.set_fact and m.set_fact not in world.facts:
            undo.append(Mutation(clear_fact=m.set_fact))
        if m.clear_fact and m.clear_fact in world.facts:
            undo.append(Mutation(set_fact=m.clear_fact))
    return undo or None


def if_cancelled(engine: Engine, change: Change) -> list[Mutation]:
    """What this change leaves behind when stopped part-way, as the scenario declares it: a
    fix's `if_cancelled`, a service's `if_cancelled.rollback` / `.roll_forward` /
    `.restart`, a dependency's `if_cancelled.restart`. Undeclared, nothing: the change
    never landed."""
    sc = engine.scenario
    kind, _, target = change.key.partition(":")
    if kind == "fix":
        fix = next((f for f in sc.fixes if f.id == target), None)
        return list(fix.if_cancelled) if fix is not None else []
    service = next((s for s in sc.system.services if s.id == target), None)
    if service is not None and kind in ("rollback", "rollforward", "restart"):
        declared = service.if_cancelled
        return list({"rollback": declared.rollback, "rollforward": declared.roll_forward,
                     "restart": declared.restart}[kind])
    dependency = next((d for d in sc.system.dependencies if d.id == target), None)
    if dependency is not None and kind == "restart":
        return list(dependency.if_cancelled.restart)
    return []


def _halt(engine: Engine, item: Change) -> list[Mutation]:
    """Mark a change in flight as stopped, free its executor, say what it leaves behind."""
    item.cancelled = True
    item.applied = engine.now
    if engine.tasks.get(item.by) and engine.tasks[item.by].title == item.title:
        engine.tasks.pop(item.by)
    return if_cancelled(engine, item)


def stop(engine: Engine, key: str, asked_by: str = "ic") -> Change:
    """Stop a change in flight: the executor stops; a partial change may leave the system
    half-changed (the scenario's `if_cancelled`), and the channel says what is left."""
    item = stoppable(engine)[key]
    partial = _halt(engine, item)
    left = text("change_half_done") if partial else text("change_nothing_changed")
    engine.emit("change_cancelled", item.by, text(
        "change_stopped", by=engine.name(item.by), title=item.title, left=left),
        change=key, cancelled_by=asked_by, partial=bool(partial))
    if partial:
        engine.mutate(partial, item.by)
    return item


def change(engine: Engine, action_id: str, args: dict[str, Any], actor: str = "ic") -> Gen:
    by = args.get("by", "ic")
    key, title, minutes, mutations = describe(engine, action_id, args)
    announcement = str(args.get("announcement", "")).strip()
    if announcement:
        engine.emit("announce", actor, f"{engine.name(actor)}: {announcement}", change=key)
    others = [c.key for c in engine.in_flight()]
    settling = [c.key for c in engine.settling()]
    item = Change(key, title, by, engine.now, minutes,
                  touched=touched(action_id, args, mutations), action=action_id)
    engine.changes.append(item)
    engine.world.note_change("started", key,
                             str(args["state"]) if action_id == "toggle_flag" else None)
    if by != "ic":
        engine.tasks[by] = Task(by, title, engine.now + minutes * SECONDS)
    engine.emit("change_started", by, f"{engine.name(by)}: starting to {title}.", change=key,
                action=action_id, args={k: v for k, v in args.items() if k != "announcement"},
                announced=bool(announcement),
                informed=informed(engine, key, args.get("value", args.get("state"))),
                executor=by, ordered_by=actor, in_flight=others, settling=settling,
                expected_minutes=minutes)
    process = engine.env.process(_land_change(engine, item, action_id, args, mutations))
    if by == "ic":
        yield process


def _land_change(engine: Engine, change: Change, action_id: str, args: dict[str, Any],
                 mutations: list[Mutation]) -> Gen:
    yield engine.env.timeout(change.minutes * SECONDS)
    if change.cancelled:
        return
    world = engine.world
    change.undo = _undo(engine, change, action_id, args, mutations)
    if action_id == "revert_change":
        for earlier in engine.changes:
            if earlier.key == args["change"] and earlier.applied is not None:
                earlier.reverted = True
    if action_id == "failover":
        world.active_region = args["region"]
    if action_id == "scale":
        world.replicas[args["service"]] = args["replicas"]
    change.applied = engine.now
    world.note_change("applied", change.key,
                      str(args["state"]) if action_id == "toggle_flag" else None)
    if engine.tasks.get(change.by) and engine.tasks[change.by].title == change.title:
        engine.tasks.pop(change.by)
    overlapping = [c for c in engine.changes if c is not change and not c.cancelled and (
        c.applied is None or engine.now - c.applied < SETTLE_MINUTES * SECONDS)]
    others = list(dict.fromkeys(c.key for c in overlapping))
    described = ", ".join(dict.fromkeys(f"{c.title} ({engine.name(c.by)})" for c in overlapping))
    say = text("change_blurred", by=engine.name(change.by), title=change.title,
               others=described) if others else text(
        "change_applied", by=engine.name(change.by), title=change.title)
    engine.emit("change_applied", change.by, say, change=change.key, overlapping=others)
    engine.mutate(mutations, change.by)
    if action_id == "restart":
        dep = next((d for d in engine.scenario.system.dependencies
                    if d.id == args["target"]), None)
        if dep is not None and dep.restart_resets_config:
            for c in dep.config:
                world.config[f"{dep.id}.{c.key}"] = c.value
        _interrupt_rollouts(engine, change, args["target"])
        reset = world.reset_faults_for_restart(args["target"])
        if reset:
            engine.emit("symptoms_reset", change.by, text("restart_relief",
                        by=engine.name(change.by), target=args["target"]), faults=reset)


def _interrupt_rollouts(engine: Engine, restart: Change, target: str) -> None:
    """Restarting a service mid-rollout kills the rollout: people undo each other's work.
    The rollout is stopped part-way, so it leaves what the scenario says a half-done one
    leaves (`if_cancelled.rollback`), if anything."""
    for other in engine.in_flight():
        if other.key == f"rollback:{target}":
            partial = _halt(engine, other)
            said = text("rollout_interrupted", by=engine.name(other.by), title=other.title,
                        who=engine.name(restart.by))
            engine.emit("change_cancelled", other.by,
                        f"{said} {text('rollout_half_done')}" if partial else said,
                        change=other.key, cancelled_by=restart.key,
                **({"partial": True} if partial else {}))
            if partial:
                engine.mutate(partial, other.by)


def npc_change(engine: Engine, npc: NpcAction) -> None:
    """A responder acting on their own: an unannounced change outside the IC's control."""
    args: dict[str, Any]
    if npc.restart:
        action_id, args = "restart", {"target": npc.restart}
    elif npc.rollback:
        action_id, args = "rollback", {"service": npc.rollback}
    elif npc.flag:
        action_id, args = "toggle_flag", {"flag": npc.flag, "state": str(npc.state),
                                          "segment": npc.segment}
    elif npc.config:
        action_id, args = "set_config", {"key": npc.config, "value": npc.value}
    else:
        action_id, args = "apply_fix", {"fix": str(npc.fix)}
    args["by"] = npc.by
    if f"held.{npc.by}" in engine.world.facts:  # the IC told them to hold off
        key, title = describe(engine, action_id, args)[:2]
        engine.emit("npc_held", npc.by, text("npc_held", name=engine.name(npc.by), title=title),
                    change=key, action=action_id)
        return
    engine.env.process(change(engine, action_id, args, actor=npc.by))
