"""Which change set off a failure: the state a change touched against the state a fault's
condition reads.

When a second incident starts, the channel says which change of the response caused it.
"The last change to land" is often wrong (a restart lands after the config change that
really did it), so each change records the state keys it touched (``service:…``,
``config:…``, ``flag:…``, ``fact:…``), each fault's condition names the keys it reads,
and the cause is the latest landed change that touched one of them. Pure functions over
the scenario's own data: no per-scenario knowledge.
"""

from __future__ import annotations

from typing import Any

from simulator.format.conditions import ConfigCompare, FactSet, FlagState, ServiceVersion, walk
from simulator.format.scenario import Mutation


def mentions(cond: Any) -> frozenset[str]:
    """The state keys a condition reads."""
    keys: set[str] = set()
    for node in walk(cond) if cond is not None else []:
        match node:
            case ServiceVersion():
                keys.add(f"service:{node.service}")
            case ConfigCompare():
                keys.add(f"config:{node.config}")
            case FlagState():
                keys.add(f"flag:{node.flag}")
            case FactSet():
                keys.add(f"fact:{node.fact}")
    return frozenset(keys)


def touched(action_id: str, args: dict[str, Any], mutations: list[Mutation]) -> frozenset[str]:
    """The state keys a change writes when it lands."""
    keys: set[str] = set()
    for m in mutations:
        if m.service is not None:
            keys.add(f"service:{m.service}")
        if m.config is not None:
            keys.add(f"config:{m.config}")
        if m.flag is not None:
            keys.add(f"flag:{m.flag}")
        for fact in (m.set_fact, m.clear_fact):
            if fact:
                keys.add(f"fact:{fact}")
    if action_id == "scale":
        keys.add(f"config:{args['service']}.replicas")
    if action_id == "failover":
        keys.add("config:region.active")
    return frozenset(keys)
