"""Facilitator acts: what a game master does to a running drill, as data.

A facilitator (``tabletop facilitate``) can play a scenario's ``facilitator_injects``, send
a free message from any character, give a hint, pause and resume the clock, end the drill,
and record evaluator observations. Each act reaches the drill loop as a plain dict through
an ``ActSource``; the loop applies it between two decisions, at the simulated time the
trainee is deciding at, and journals it with ``"source": "facilitator"``.

Replay stays exact because the journal says where each act happened: after how many
decisions. ``recorded_acts`` reads them back and ``ReplayActs`` hands them to a replayed
drill at the same points, so resume and branch re-create the file record for record. No
terminal I/O here: the socket server and the console are adapters (simulator/players/session.py,
simulator/ui/console.py).
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING, Any, Protocol

from simulator.errors import InputError

if TYPE_CHECKING:
    from simulator.engine.drill import Drill

#: acts that change what the trainee sees or whether the drill goes on
ACTS = ("inject", "message", "hint", "pause", "resume", "end", "hand_over")
RATINGS = ("P", "S", "M", "U")
MAX_TEXT = 2000
SOURCE = "facilitator"


class ActsWaiting(Exception):
    """Raised by a decider whose prompt was interrupted because an act arrived."""


class ActSource(Protocol):
    """Where a drill takes the facilitator's acts from (a live queue, or the journal)."""

    def take(self, decisions: int) -> list[dict[str, Any]]: ...


class LiveActs:
    """Acts arriving from another thread (the session server); the loop drains them."""

    def __init__(self) -> None:
        #: batches of acts: one facilitator command lands at one decision point, never split
        self.queue: queue.Queue[list[dict[str, Any]]] = queue.Queue()
        #: decisions of players at their own terminals (tabletop join), in arrival order
        self.joined: queue.Queue[dict[str, Any]] = queue.Queue()
        self.paused = False

    def put(self, act: dict[str, Any]) -> None:
        self.queue.put([act])

    def put_batch(self, acts: list[dict[str, Any]]) -> None:
        """Queue acts that must be applied together (the same simulated minute)."""
        self.queue.put(list(acts))

    def pending(self) -> bool:
        return not self.queue.empty() or not self.joined.empty()

    def take_joined(self) -> dict[str, Any] | None:
        """The next decision a joined player sent, or None."""
        try:
            return self.joined.get_nowait()
        except queue.Empty:
            return None

    def take(self, decisions: int) -> list[dict[str, Any]]:
        acts = []
        while True:
            try:
                acts.extend(self.queue.get_nowait())
            except queue.Empty:
                return acts


class ReplayActs:
    """The acts a journal recorded, handed back after the same number of decisions."""

    def __init__(self, recorded: dict[int, list[dict[str, Any]]],
                 then: ActSource | None = None) -> None:
        self.recorded = {n: list(acts) for n, acts in recorded.items()}
        self.then = then

    def take(self, decisions: int) -> list[dict[str, Any]]:
        acts = self.recorded.pop(decisions, [])
        if not self.recorded and self.then is not None and not acts:
            return self.then.take(decisions)
        return acts


def check_act(drill: Drill, act: dict[str, Any]) -> str | None:
    """What is wrong with an act (untrusted: it came over a socket), or None."""
    kind = act.get("act")
    scenario = drill.scenario
    if kind == "observe":
        from simulator.format.crossref import criterion_ids

        if act.get("criterion") not in criterion_ids():
            return f"unknown criterion {act.get('criterion')!r}"
        if act.get("rating") not in RATINGS:
            return "a rating is one of P, S, M, U"
        if not isinstance(act.get("note", ""), str) or len(act.get("note", "")) > MAX_TEXT:
            return f"a note is a text of at most {MAX_TEXT} characters"
        return _who(act)
    if kind not in ACTS:
        return f"unknown act {kind!r} (one of: {', '.join((*ACTS, 'observe'))})"
    if kind == "inject":
        ids = [f.id for f in scenario.facilitator_injects]
        if act.get("id") not in ids:
            return (f"no facilitator inject {act.get('id')!r} in this scenario "
                    f"(one of: {', '.join(ids) or 'none declared'})")
    if kind in ("message", "hint"):
        text = act.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            return f"a {kind} needs a text of 1 to {MAX_TEXT} characters"
    if kind == "hand_over":
        problem = _handover_problem(drill, act.get("to"))
        if problem:
            return problem
    if kind == "message":
        source = act.get("from")
        if not isinstance(source, str) or not source.strip() or len(source) > 80:
            return "a message needs 'from': a roster id or a label such as 'monitoring'"
    if drill.phase == "ended":
        return "the drill has ended"
    return _who(act)


def _handover_problem(drill: Drill, to: Any) -> str | None:
    """Why command cannot pass to ``to`` (a team player), or None."""
    team = drill.team
    if team is None:
        return "command passes between players of a team: this drill has none (--team)"
    if not isinstance(to, str) or team.member(to) is None:
        return f"'to' must be a player of the team ({', '.join(team.names())})"
    if to == drill.engine.holder:
        return f"{to} already holds command"
    return None


def _who(act: dict[str, Any]) -> str | None:
    return check_by(act.get("by", SOURCE))


def check_by(by: Any) -> str | None:
    """What is wrong with the name of whoever acts or observes, or None."""
    if not isinstance(by, str) or not by.strip() or len(by) > 80:
        return "'by' is a name of at most 80 characters"
    return None


def apply_act(drill: Drill, act: dict[str, Any]) -> None:
    """Apply one checked act at the current simulated time and journal it."""
    problem = check_act(drill, act)
    if problem:
        raise InputError(f"facilitator act refused: {problem}")
    engine = drill.engine
    kind = str(act["act"])
    by = str(act.get("by", SOURCE))
    t = int(engine.now)
    if kind == "observe":
        drill.journal.write({"type": "observation", "criterion": act["criterion"],
                             "rating": act["rating"], "note": str(act.get("note", "")),
                             "by": by, "t": t})
        return
    record: dict[str, Any] = {"type": "event", "t": t, "source": SOURCE, "by": by}
    if kind == "inject":
        finj = next(f for f in drill.scenario.facilitator_injects if f.id == act["id"])
        record.update(actor=finj.source, kind="inject", text=finj.text,
                      data={"id": finj.id, "expects": finj.expects,
                            "objective": finj.objective})
    elif kind == "message":
        record.update(actor=str(act["from"]).strip(), kind="inject", text=str(act["text"]))
    elif kind == "hint":
        record.update(actor=SOURCE, kind="hint", text=str(act["text"]))
    elif kind == "hand_over":  # the IC's seat moves to another player, with its actions
        outgoing, engine.holder = engine.holder, str(act["to"])
        record.update(actor=SOURCE, kind="facilitator_hand_over",
                      text=f"Facilitator: command passes from {outgoing} to {act['to']}.",
                      data={"to": act["to"], "from": outgoing})
    else:  # pause, resume, end: no text, so nothing enters the incident channel
        record.update(actor=SOURCE, kind=f"facilitator_{kind}")
    engine.post(record)
    if kind == "end":
        drill.end_by_facilitator()


def recorded_acts(records: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The facilitator's acts in a journal, by how many decisions preceded each."""
    acts: dict[int, list[dict[str, Any]]] = {}
    decisions = 0
    for r in records:
        if r.get("type") == "end":  # what came after (observations, hot wash) is not replayed
            break
        if r.get("type") == "decision":
            decisions += 1
            continue
        act = as_act(r)
        if act is not None:
            acts.setdefault(decisions, []).append(act)
    return acts


def as_act(record: dict[str, Any]) -> dict[str, Any] | None:
    """The act that wrote a journal record, or None for a record the simulation wrote."""
    if record.get("type") == "observation":
        return {"act": "observe", "criterion": record.get("criterion"),
                "rating": record.get("rating"), "note": record.get("note", ""),
                "by": record.get("by", SOURCE)}
    if record.get("type") != "event" or record.get("source") != SOURCE:
        return None
    kind, by = str(record.get("kind")), record.get("by", SOURCE)
    data = record.get("data") or {}
    if kind == "inject" and "id" in data:
        return {"act": "inject", "id": data["id"], "by": by}
    if kind == "inject":
        return {"act": "message", "from": record.get("actor"), "text": record.get("text"),
                "by": by}
    if kind == "hint":
        return {"act": "hint", "text": record.get("text"), "by": by}
    if kind == "facilitator_hand_over":
        return {"act": "hand_over", "to": data.get("to"), "by": by}
    return {"act": kind.removeprefix("facilitator_"), "by": by}


def condition_text(cond: Any) -> str:
    """A condition as words ("all of: fact changes-frozen; metric x above 3")."""
    data = cond.model_dump(mode="json", exclude_defaults=True) if hasattr(
        cond, "model_dump") else cond
    return words(data)


def words(data: Any) -> str:
    if isinstance(data, dict):
        if len(data) == 1 and next(iter(data)) in ("all", "any"):
            key, items = next(iter(data.items()))
            return f"{key} of: " + "; ".join(words(i) for i in items)
        if len(data) == 1 and "not" in data:
            return f"not ({words(data['not'])})"
        return " ".join(f"{k} {words(v)}" for k, v in data.items())
    if isinstance(data, list):
        return ", ".join(words(i) for i in data)
    if isinstance(data, float) and data.is_integer():
        return str(int(data))
    return str(data)


def trigger_text(inj: Any) -> str:
    """When an inject fires: its time, its condition, and what prevents it."""
    if inj.when is not None:
        said = (f"from T+{inj.at_minutes:g}, " if inj.at_minutes else "") + (
            "when " + condition_text(inj.when))
    else:
        said = f"T+{inj.at_minutes:g}"
    if inj.unless is not None:
        said += "; not if " + condition_text(inj.unless)
    return said


def step_done(step: dict[str, Any], decisions: list[dict[str, Any]]) -> bool:
    """An ideal-path step is done when a decision made the same move (who ran it aside)."""
    want = {k: v for k, v in step.items() if k not in ("action", "at_minutes", "by")}
    return any(d.get("action") == step["action"] and all(
        (d.get("args") or {}).get(k) == v for k, v in want.items()) for d in decisions)


def snapshot(situation: Any, paused: bool) -> dict[str, Any]:
    """What the facilitator's console shows and trainees must not see, as plain data."""
    engine = situation.engine
    scenario = engine.scenario
    records = engine.journal.records
    decisions = [r for r in records if r.get("type") == "decision"]
    fired = [r for r in engine.channel if r.get("kind") == "inject"]
    fired_ids = {(r.get("data") or {}).get("id") for r in fired if r.get("source") != SOURCE}
    played = [(r.get("data") or {}).get("id") for r in fired if r.get("source") == SOURCE]
    steps = [d.model_dump(exclude_none=True) for d in scenario.debrief.ideal_path]
    return {
        "scenario": scenario.id, "title": scenario.title, "t": int(engine.now),
        "phase": "closing" if situation.closing else "live", "paused": paused,
        "decisions": situation.decision_index, "journal": str(engine.journal.path or ""),
        "root_cause": " ".join(scenario.debrief.root_cause.split()),
        "faults": [{"id": f.id, "title": f.title,
                    "intensity": round(engine.world.intensity.get(f.id, 0.0), 2),
                    "active": engine.world.fault_active(f)} for f in scenario.faults],
        "metrics": [{"id": m.id, "title": m.title, "value": round(engine.world.values[m.id], 2),
                     "unit": m.unit} for m in scenario.metrics if m.key],
        "upcoming": [{"id": i.id, "trigger": trigger_text(i), "from": i.source,
                      "text": " ".join(i.text.split()), "expects": i.expects,
                      "criterion": i.objective}
                     for i in scenario.injects if i.id not in fired_ids],
        "facilitator_injects": [{"id": f.id, "from": f.source, "text": f.text,
                                 "played": played.count(f.id)}
                                for f in scenario.facilitator_injects],
        "ideal_path": [{"step": f"{s['action']}: " + ", ".join(
                            f"{k}={words(v)}" for k, v in s.items()
                            if k not in ("action", "at_minutes")),
                        "done": step_done(s, decisions)} for s in steps],
        "channel": [{"t": int(r["t"]), "from": r.get("actor"), "text": str(r.get("text"))[:240]}
                    for r in engine.channel[-6:]],
        "team": situation.team.as_records() if getattr(situation, "team", None) else [],
        "commander": engine.holder,
        "roster": sorted({scenario.roster.ic.id, *(p.id for p in scenario.roster.responders),
                          *(s.id for s in scenario.roster.stakeholders),
                          *([scenario.roster.comms_lead.id] if scenario.roster.comms_lead
                            else [])}),
    }
