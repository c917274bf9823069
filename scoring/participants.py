"""Per-participant grading of a team drill: each person on the criteria of their role.

A team drill's journal lists its people (header ``team``) and who took each decision
(``who``). Most criteria judge the run as a whole, since the process is one incident handled
together: a person is graded on the subset the rubric's ``roles`` gives their role (the
comms lead on first update, cadence, content, audience), and people sharing a role share
those ratings. A criterion the rubric marks ``personal`` is about what one person did with
their own hands (one change at a time, announcing it, sparing the evidence): it is judged
for each person again, on the run as their decisions made it (their_run: the changes they
ordered and what came of them; the others' changes, and responders' changes made on their
own, left out), so two operations people are told apart. A person who ordered no change is
not rated on those (N/A).

The IC's criteria belong to the seat, not to a name: they are graded for whoever held
command (command_spans: the first IC from the start, then each hand_over to a player or the
facilitator's), whatever their role, and not for an IC who never held it. When command
changed hands, each holder is rated on their own span: an IC criterion whose moments (the
evidence the scorer quotes for it) all fall outside someone's time in command is not
theirs (N/A for them: "decided while X held command"); one with moments in their span, or
quoting none (judged on the run as a whole), counts for them with the run's rating, since
the seat is one seat and its criteria are not re-judged on part of a run (a declaration
the incoming IC never saw would read as missing). A moment at the handover itself counts
for both sides. Each person's entry lists the spans they held (``command``).

Critical caps (the rubric's ``critical``) apply to a person's score when the criterion that
sets them is one of their role's: a false all-clear caps the IC, not the comms lead. Solo
runs have no participants.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scoring.rubric import Rubric
from scoring.run import Run, clock
from scoring.scorecard import CriterionResult
from simulator.engine.team import COMMAND_ROLE, team_from_header
from simulator.runs.journal import Journal

#: the events a change produces (started, landed or stopped, and the evidence it wiped)
CHANGE_KINDS = ("change_started", "change_applied", "change_cancelled", "evidence_lost",
                "npc_held")


def command_spans(journal: Journal) -> list[dict[str, Any]]:
    """Who held the IC's seat from when to when (seconds), in order: the first IC named
    from the start, then each handover to a player of the team (theirs or the
    facilitator's), the last to the end of the journal. Empty for a solo run."""
    team = team_from_header(journal.header)
    if team is None:
        return []
    holder, start = team.first_commander().name, 0
    spans: list[tuple[str, int, int]] = []
    end = max((int(r["t"]) for r in journal.records
               if isinstance(r.get("t"), (int, float))), default=0)
    for r in journal.records:
        raw = r.get("data")
        data: dict[str, Any] = raw if isinstance(raw, dict) else {}
        if (r.get("type") == "event" and r.get("kind") in ("hand_over", "facilitator_hand_over")
                and "from" in data and team.member(str(data.get("to"))) is not None):
            t = int(r.get("t", 0))
            spans.append((holder, start, t))
            holder, start = str(data["to"]), t
    spans.append((holder, start, max(end, start)))
    return [{"name": name, "from": since, "to": until, "from_at": clock(since),
             "to_at": clock(until)} for name, since, until in spans]


def _in_span(result: CriterionResult, held: list[dict[str, Any]]) -> bool:
    """Whether an IC criterion is the holder's: a moment it quotes falls in a span they
    held (ends included), or it quotes none."""
    return not result.evidence or any(span["from"] <= e.t <= span["to"] for e in result.evidence
                                      for span in held)


def _score(results: list[CriterionResult]) -> int | None:
    possible = sum(r.max_points for r in results)
    return None if possible == 0 else round(100 * sum(r.points for r in results) / possible)


def change_owners(journal: Journal) -> dict[int, str | None]:
    """For each change event (by record index), the person whose decision caused it.

    A change ordered by the IC seat follows the decision that ordered it (the same action
    and arguments, the latest such decision before it); its landing, cancellation and any
    evidence it destroyed follow the change (same change, same executor). A responder's
    change made on their own belongs to nobody on the team.
    """
    owners: dict[int, str | None] = {}
    started: list[tuple[str, str, str | None]] = []  # (change key, executor, owner)
    last_who: dict[tuple[str, str], str | None] = {}
    latest: str | None = None  # whoever decided last, if the arguments do not match
    for index, r in enumerate(journal.records):
        if r.get("type") == "decision":
            key = (str(r.get("action")), repr(sorted((r.get("args") or {}).items())))
            latest = r.get("who") if isinstance(r.get("who"), str) else None
            last_who[key] = latest
            continue
        if r.get("type") != "event" or r.get("kind") not in CHANGE_KINDS:
            continue
        data = r.get("data") or {}
        actor = str(r.get("actor"))
        if r["kind"] == "change_started":
            owner = None
            if data.get("ordered_by") == "ic":
                key = (str(data.get("action")), repr(sorted((data.get("args") or {}).items())))
                owner = last_who.get(key, latest)
            started.append((str(data.get("change")), actor, owner))
            owners[index] = owner
        elif r["kind"] in ("change_applied", "change_cancelled"):
            owners[index] = next((o for c, a, o in reversed(started)
                                  if c == str(data.get("change")) and a == actor), None)
        elif r["kind"] == "evidence_lost":  # wiped by a change landing at the same moment
            landed = [owners.get(i) for i in owners if journal.records[i].get("kind") ==
                      "change_applied" and journal.records[i].get("t") == r.get("t")
                      and str(journal.records[i].get("actor")) == actor]
            owners[index] = landed[-1] if landed else None
        else:
            owners[index] = None  # a responder held back by the IC: the IC's doing
    return owners


def their_run(run: Run, name: str, owners: dict[int, str | None]) -> Run | None:
    """The run with only ``name``'s changes (and what came of them); None if they ordered
    none."""
    journal = run.journal
    keep = [i for i, r in enumerate(journal.records)
            if i not in owners or owners[i] == name]
    if not any(owners.get(i) == name and journal.records[i].get("kind") == "change_started"
               for i in keep):
        return None
    lines = [journal.lines[i] for i in keep] if len(journal.lines) == len(
        journal.records) else []
    own = Journal(journal.path, journal.header, [journal.records[i] for i in keep], lines,
                  journal.header_line)
    return Run(own, run.scenario)


def participants(journal: Journal, results: list[CriterionResult], rubric: Rubric,
                 run: Run | None = None) -> list[dict[str, Any]]:
    """One entry per person: name, role, score, criteria, and what they decided."""
    from scoring.grader import capped, critical_cap, grade_criterion

    team = team_from_header(journal.header)
    if team is None:
        return []
    by_id = {r.id: r for r in results}
    criteria = {c.id: c for c in rubric.enabled()}
    decided: dict[str, Counter[str]] = {m.name: Counter() for m in team.members}
    for record in journal.decisions():
        who = record.get("who")
        if isinstance(who, str) and who in decided and record.get("action") != "wait":
            decided[who][str(record.get("action"))] += 1
    owners = change_owners(journal) if run is not None else {}
    spans = command_spans(journal)
    handed = len({span["name"] for span in spans}) > 1
    seat = [cid for cid in rubric.roles.get(COMMAND_ROLE, []) if cid in by_id]
    out = []
    for member in team.members:
        held = [span for span in spans if span["name"] == member.name]
        ids = [cid for cid in rubric.roles.get(member.role, []) if cid in by_id]
        if held and member.role != COMMAND_ROLE:  # took command: the seat's criteria too
            ids = [*seat, *(cid for cid in ids if cid not in seat)]
        personal = [cid for cid in ids if criteria[cid].personal] if run is not None else []
        own = their_run(run, member.name, owners) if personal and run is not None else None
        mine = []
        for cid in ids:
            if cid in seat and handed and not _in_span(by_id[cid], held):
                others = sorted({span["name"] for span in spans if span["name"] !=
                                 member.name and _in_span(by_id[cid], [span])})
                mine.append(_not_rated(by_id[cid], f"decided while {' and '.join(others)} "
                                       "held command" if others else
                                       f"decided outside {member.name}'s time in command"))
            elif cid not in personal:
                mine.append(by_id[cid])
            elif own is None:
                mine.append(_not_rated(by_id[cid], f"{member.name} ordered no change"))
            else:
                mine.append(grade_criterion(own, criteria[cid], rubric))
        if member.role == COMMAND_ROLE and handed and not held:  # an IC who never commanded
            mine = [_not_rated(c, f"{member.name} never held command") if c.id in seat else c
                    for c in mine]
        actions = decided[member.name]
        cap = critical_cap(mine, rubric)  # only the caps of their role's criteria
        score = _score(mine)
        out.append({
            "name": member.name, "role": member.role,
            "score": None if score is None else capped(mine, rubric),
            "criteria": [{"id": c.id, "title": c.title, "rating": c.rating,
                          "points": c.points, "max_points": c.max_points,
                          "own": c.id in personal,
                          **({"reason": c.reason} if c.id in personal
                             or c is not by_id[c.id] else {})}
                         for c in mine],
            **({"cap": {"at": cap[0], "by": cap[1], "uncapped": score}}
               if cap and score is not None and score > capped(mine, rubric) else {}),
            "command": [{k: v for k, v in span.items() if k != "name"} for span in held],
            "command_seconds": sum(span["to"] - span["from"] for span in held),
            "decisions": sum(actions.values()),
            "actions": dict(sorted(actions.items(), key=lambda kv: (-kv[1], kv[0]))),
            "decided": ", ".join(f"{a} ×{n}" for a, n in sorted(
                actions.items(), key=lambda kv: (-kv[1], kv[0]))) or "no decisions",
            "weakest": [c.id for c in sorted((c for c in mine if c.weak),
                                             key=lambda c: (c.points - c.max_points, c.id))],
        })
    return out


def _not_rated(result: CriterionResult, reason: str) -> CriterionResult:
    from dataclasses import replace

    return replace(result, rating="N/A", points=0.0, max_points=0.0, reason=reason,
                   advice=f"Not rated: {reason}.", evidence=[])
