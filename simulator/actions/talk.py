"""Talking to one person: a reply to a stakeholder's question, a word to a responder.

An update goes to an audience; real incidents also need the direct line. A reply answers
the person who asked (their patience starts again, and a VP who joined the channel stops
interrupting once answered). Telling a responder "stop" stops the change they are running;
"hold" (don't restart, no to raising the limit) keeps them from acting on their own: the
unilateral change an inject would have them make is called off and journaled as such.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.changes import stop, stoppable
from simulator.engine.core import Engine
from simulator.texts import text

SAYS = ("stop", "hold")
#: the event kinds in which a stakeholder (or a roster person) asks the IC something
ASKING = ("stakeholder_ping", "missed_update", "inject")


def askers(engine: Engine) -> list[str]:
    """Stakeholders who have asked something so far, in the order they first asked."""
    stakeholders = {s.id for s in engine.scenario.roster.stakeholders}
    seen: dict[str, None] = {}
    for record in engine.channel:
        if record["kind"] in ASKING and record["actor"] in stakeholders:
            seen.setdefault(record["actor"], None)
    return list(seen)


def last_question(engine: Engine, person: str) -> str:
    for record in reversed(engine.channel):
        if record["kind"] in ASKING and record["actor"] == person:
            return str(record.get("text", ""))
    return ""


def reply(engine: Engine, args: dict[str, Any]) -> None:
    """Answer one stakeholder: it counts as answering that person's questions so far."""
    person = args["to"]
    engine.stakeholder_last[person] = engine.now
    engine.world.facts.discard(f"in-channel.{person}")
    if not any(f.startswith("in-channel.") for f in engine.world.facts):
        engine.ic_slowdown = 1.0
    engine.emit("reply", "ic", text("reply", ic=engine.name("ic"), name=engine.name(person),
                                    said=str(args["text"]).strip()), **args)


def tell(engine: Engine, args: dict[str, Any]) -> None:
    """A direct word to a responder: stop the change you are running, or hold off."""
    person, says = args["person"], args["says"]
    about = str(args.get("about", "")).strip()
    engine.world.facts.add(f"held.{person}")  # either way: nothing more on their own
    engine.emit("tell", "ic", text(f"tell_{says}", name=engine.name(person).split()[0],
                                   about=f" ({about})" if about else ""), **args)
    running = next((c for c in stoppable(engine).values() if c.by == person), None)
    if says == "stop" and running is not None:
        stop(engine, running.key)


def check(engine: Engine, action_id: str, args: dict[str, Any]) -> str | None:
    if action_id == "reply" and not str(args.get("text", "")).strip():
        return "'reply' needs 'text' (what you tell them)"
    if action_id in ("reply", "tell"):
        for name in ("text", "about"):
            if name in args and not isinstance(args[name], str):
                return f"'{action_id}': {name} must be text"
    return None
