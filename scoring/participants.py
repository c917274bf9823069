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

Critical caps (the rubric's ``critical``) apply to a person's score when the criterion that
sets them is one of their role's: a false all-clear caps the IC, not the comms lead. Solo
runs have no participants.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scoring.rubric import Rubric
from scoring.run import Run
from scoring.scorecard import CriterionResult
from simulator.engine.team import team_from_header
from simulator.runs.journal import Journal

#: the events a change produces (started, landed or stopped, and the evidence it wiped)
CHANGE_KINDS = ("change_started", "change_applied", "change_cancelled", "evidence_lost",
                "npc_held")


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
    out = []
    for member in team.members:
        ids = [cid for cid in rubric.roles.get(member.role, []) if cid in by_id]
        personal = [cid for cid in ids if criteria[cid].personal] if run is not None else []
        own = their_run(run, member.name, owners) if personal and run is not None else None
        mine = []
        for cid in ids:
            if cid not in personal:
                mine.append(by_id[cid])
            elif own is None:
                mine.append(_not_rated(by_id[cid], f"{member.name} ordered no change"))
            else:
                mine.append(grade_criterion(own, criteria[cid], rubric))
        actions = decided[member.name]
        cap = critical_cap(mine, rubric)  # only the caps of their role's criteria
        score = _score(mine)
        out.append({
            "name": member.name, "role": member.role,
            "score": None if score is None else capped(mine, rubric),
            "criteria": [{"id": c.id, "title": c.title, "rating": c.rating,
                          "points": c.points, "max_points": c.max_points,
                          "own": c.id in personal,
                          **({"reason": c.reason} if c.id in personal else {})}
                         for c in mine],
            **({"cap": {"at": cap[0], "by": cap[1], "uncapped": score}}
               if cap and score is not None and score > capped(mine, rubric) else {}),
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
