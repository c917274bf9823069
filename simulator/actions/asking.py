"""Quick questions: ask a responder what they know, or take a one-minute look yourself.

A full investigation sends someone off for minutes; a real IC also asks in passing ("Dave,
what changed in v2.4.1?") and glances at a dashboard. A question costs the IC seconds and
the person answers a minute or so later from what the scenario says they know (`knows`),
without leaving their task. A quick check is the IC's own glance at an investigation's
source (`quick_look`): a minute of hands-on time for a shallower finding.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from simulator.actions.paging import joined
from simulator.engine.core import Engine
from simulator.engine.world import SECONDS
from simulator.format.scenario import Knowledge
from simulator.texts import text

Gen = Generator[simpy.Event, Any, None]


def knowledge(engine: Engine) -> dict[str, dict[str, Knowledge]]:
    """Per person on the team (responders, and on-call people who joined), what they can
    still be asked (each question once)."""
    asked = engine.asked
    roster = engine.scenario.roster
    here = set(joined(engine))
    out: dict[str, dict[str, Knowledge]] = {}
    for person in [*roster.responders, *(p for p in roster.on_call if p.id in here)]:
        left = {k.id: k for k in person.knows if (person.id, k.id) not in asked}
        if left:
            out[person.id] = left
    return out


def quick_looks(engine: Engine) -> list[str]:
    """Investigations whose source the IC can glance at, not yet looked at or done."""
    return [i.id for i in engine.scenario.investigations if i.quick_look is not None
            and i.id not in engine.quick_checked and i.id not in engine.done_investigations]


def check(engine: Engine, action_id: str, args: dict[str, Any]) -> str | None:
    if action_id == "ask":
        known = knowledge(engine).get(str(args["person"]), {})
        if args["question"] not in known:
            return (f"'ask': {engine.name(str(args['person']))} has no answer to "
                    f"{args['question']!r} (ask them: {', '.join(known) or 'nothing more'})")
    return None


def ask(engine: Engine, args: dict[str, Any]) -> None:
    item = knowledge(engine)[args["person"]][args["question"]]
    engine.asked.add((args["person"], item.id))
    engine.emit("ask", "ic", text("ask", name=engine.name(args["person"]).split()[0],
                                  question=item.question), **args)
    engine.env.process(_answer(engine, args["person"], item))


def _answer(engine: Engine, person: str, item: Knowledge) -> Gen:
    yield engine.env.timeout(item.minutes * SECONDS)
    engine.world.known.update(item.learns)
    engine.emit("answer", person, f"{engine.name(person)}: {item.answer}", question=item.id,
                learned=list(item.learns))


def quick_check(engine: Engine, args: dict[str, Any]) -> Gen:
    inv = next(i for i in engine.scenario.investigations if i.id == args["investigation"])
    look = inv.quick_look
    assert look is not None
    engine.quick_checked.add(inv.id)
    yield engine.env.timeout(look.minutes * SECONDS * engine.ic_slowdown)
    engine.world.known.update(look.learns)
    engine.emit("quick_check_done", "ic", text("quick_check", ic=engine.name("ic"),
                what=inv.title.lower(), finding=look.finding), investigation=inv.id,
                covers=list(look.covers), learned=list(look.learns))
