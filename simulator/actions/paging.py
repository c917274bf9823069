"""Bringing in help: page a person or a team the scenario lists as on call.

The scenario declares who can be paged (`roster.on_call`): their team, their skills and how
long they take to join. Paged, they join after that delay and work like any responder (the
IC can delegate to them, ask them to make a change, tell them to hold). Paged for nothing
(none of their skills is needed by a check still open), they look, say so and drop off:
the page cost the IC its time and bought nothing. Someone who joins to stay sets the fact
`joined.<id>`: what they bring (a check only they can run, a fix only they can make) can be
offered from then on with `available_when: {fact: joined.<id>}`, and what they `know` can
be asked like any responder's.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.engine.core import Engine
from simulator.engine.world import SECONDS
from simulator.format.scenario import OnCall
from simulator.texts import text

Gen = Generator[simpy.Event, Any, None]


def pageable(engine: Engine) -> list[str]:
    """On-call people not yet paged."""
    return [p.id for p in engine.scenario.roster.on_call if p.id not in engine.paged]


def joined(engine: Engine) -> list[str]:
    """On-call people who have joined and stayed: they work as responders now."""
    return [p for p in engine.paged if engine.paged[p] == "joined"]


def _needed(engine: Engine, person: OnCall) -> bool:
    """Is this person of use now: the scenario's `useful_when`, or else does a check still
    open need one of their skills?"""
    if person.useful_when is not None:
        from simulator.format.conditions import holds

        engine.world.now = engine.now
        return holds(person.useful_when, engine.world)
    open_skills = {i.skill for i in engine.scenario.investigations if i.skill
                   and i.id not in engine.done_investigations}
    return bool(open_skills & set(person.skills))


def page(engine: Engine, args: dict[str, Any]) -> None:
    person = next(p for p in engine.scenario.roster.on_call if p.id == args["person"])
    engine.paged[person.id] = "paged"
    engine.joins_at[person.id] = engine.now + person.joins_minutes * SECONDS
    reason = str(args.get("reason", "")).strip()
    engine.emit("page", "ic", text("page", name=person.name, team=person.team,
                                   minutes=f"{person.joins_minutes:g}",
                                   why=f": {reason}" if reason else "."), **args)
    engine.env.process(_join(engine, person))


def _join(engine: Engine, person: OnCall) -> Gen:
    yield engine.env.timeout(person.joins_minutes * SECONDS)
    if _needed(engine, person):
        engine.paged[person.id] = "joined"
        engine.world.facts.add(f"joined.{person.id}")
        engine.emit("joined", person.id, text("joined", name=person.name, role=person.role,
                    skills=", ".join(person.skills) or "general"), team=person.team,
                    useful=True)
    else:
        engine.paged[person.id] = "left"
        engine.emit("joined", person.id, text("wrong_page", name=person.name,
                    team=person.team), team=person.team, useful=False)
