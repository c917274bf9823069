"""The direct line a competent IC uses between the big moves, read from the scenario's data.

Updates, delegations and changes carry an incident; real commanders also talk to one
person at a time: a reply to the VP who asked, a quick question to the engineer who wrote
the release, a page to the team the scenario says is needed, a "stop" to a responder who
started something on their own, a glance at a dashboard when everyone is busy. Each helper
here says *whether* that move is due now, from the scenario's declarations (`knows`,
`on_call.useful_when`, `quick_look`, the rationale), never from a scenario id; the expert
decides when to ask.
"""

from __future__ import annotations

import re
from typing import Any

from simulator.actions.catalogue import CHANGE_ACTIONS, Action, check
from simulator.actions.paging import joined, pageable
from simulator.actions.talk import askers
from simulator.engine.changes import stoppable
from simulator.engine.core import Change, Engine
from simulator.format.conditions import holds
from simulator.players.bots.base import UPDATE_EVERY, change_key, decision_args

#: channel events in which a stakeholder puts a question to the IC (a broken promise of an
#: update is answered by an update, not a reply)
QUESTIONS = ("stakeholder_ping", "inject")


def open_questions(engine: Engine, since: float) -> list[dict[str, Any]]:
    """Questions and chases after ``since`` (the last update) not yet answered by a reply."""
    replied: dict[str, float] = {}
    for record in engine.channel:
        if record["kind"] == "reply":
            replied[str((record.get("data") or {}).get("to"))] = float(record["t"])
    out = []
    for record in engine.channel:
        if record["t"] <= since:
            continue
        data = record.get("data") or {}
        asking = record["kind"] in ("stakeholder_ping", "missed_update") or (
            record["kind"] == "inject" and str(data.get("objective", "")).startswith("comms."))
        if asking and replied.get(str(record.get("actor")), -1.0) < record["t"]:
            out.append(record)
    return out


def reply_due(engine: Engine, since: float) -> str | None:
    """The stakeholder to answer directly: one who asked after ``since`` and can be replied
    to (a broken update promise or a question from outside the roster wants an update)."""
    reachable = set(askers(engine))
    for record in open_questions(engine, since):
        if record["kind"] in QUESTIONS and record["actor"] in reachable:
            return str(record["actor"])
    return None


def reply_text(engine: Engine) -> str:
    """A true, plain answer: what users see, what is being done, when they hear next."""
    sc = engine.scenario
    impact = re.split(r"(?<=[.!?])\s+", sc.summary.strip())[0]
    if engine.recovered_at is not None:
        doing = "The metrics are within their SLO again and we are watching them hold"
    elif any(not c.cancelled for c in engine.changes):
        latest = [c for c in engine.changes if not c.cancelled][-1]
        doing = f"Our latest change: {latest.title}; we are watching its effect"
    else:
        doing = "Two responders are finding the cause; a mitigation is being prepared"
    return f"{impact} {doing}. You will hear from us again within {UPDATE_EVERY} minutes."


def runaway(engine: Engine, ordered: set[str]) -> Change | None:
    """A change a responder started on their own (not one the IC ordered), still stoppable."""
    return next((c for c in stoppable(engine).values() if c.key not in ordered), None)


def needed_findings(engine: Engine) -> set[str]:
    """Findings the ideal path's changes are justified by (the rationale, a fix's evidence)."""
    sc = engine.scenario
    keys = {change_key(d.action, decision_args(d)) for d in sc.debrief.ideal_path
            if d.action in CHANGE_ACTIONS}
    out = {f for r in sc.rationale if r.change in keys for f in r.informed_by}
    out |= {f for fix in sc.fixes if f"fix:{fix.id}" in keys for f in fix.informed_by}
    return out


def worth_asking(engine: Engine) -> list[Action]:
    """Quick questions to people who know an answer the response needs and nobody has yet:
    seconds of the IC's time, and the person keeps working (cheaper than a check)."""
    needed = needed_findings(engine)
    roster = engine.scenario.roster
    here = set(joined(engine))
    out = []
    for person in [*roster.responders, *(p for p in roster.on_call if p.id in here)]:
        for item in person.knows:
            if set(item.learns) & needed and not all(engine.world.knows(f)
                                                     for f in item.learns):
                action = Action("ask", {"person": person.id, "question": item.id})
                if check(engine, action) is None:
                    out.append(action)
    return out


def pages_due(engine: Engine) -> list[Action]:
    """Pages to on-call people whose `useful_when` holds now (the scenario says they are
    needed); nobody is paged on a guess."""
    engine.world.now = engine.now
    out = []
    for person in engine.scenario.roster.on_call:
        if person.id in pageable(engine) and person.useful_when is not None and holds(
                person.useful_when, engine.world):
            out.append(Action("page", {"person": person.id,
                                       "reason": f"we need the {person.team} now"}))
    return out


def glance(engine: Engine, investigation: str) -> Action | None:
    """The IC's own quick look in place of a check nobody is free for, when the look tells
    everything the check would (its findings and the questions it answers)."""
    inv = next((i for i in engine.scenario.investigations if i.id == investigation), None)
    if inv is None or inv.quick_look is None:
        return None
    look = inv.quick_look
    if not (set(inv.learns) <= set(look.learns) and set(inv.covers) <= set(look.covers)):
        return None
    action = Action("quick_check", {"investigation": investigation})
    return action if check(engine, action) is None else None
