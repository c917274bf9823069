"""Per-participant grading of a team drill: each person on the criteria of their role.

A team drill's journal lists its people (header ``team``) and who took each decision
(``who``). The criteria themselves judge the run as a whole, since the process is one
incident handled together; a person is graded on the subset the rubric's ``roles`` gives
their role (the comms lead on first update, cadence, content, audience), scored like the
total: 0-100 over the criteria that applied. Two people in one role share those ratings;
what tells them apart is what each of them decided, listed beside the grade, and any
evaluator observation about a criterion of their role. Solo runs have no participants.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scoring.rubric import Rubric
from scoring.scorecard import CriterionResult
from simulator.journal import Journal
from simulator.team import team_from_header


def _score(results: list[CriterionResult]) -> int | None:
    possible = sum(r.max_points for r in results)
    return None if possible == 0 else round(100 * sum(r.points for r in results) / possible)


def participants(journal: Journal, results: list[CriterionResult], rubric: Rubric
                 ) -> list[dict[str, Any]]:
    """One entry per person: name, role, score, criteria, and what they decided."""
    team = team_from_header(journal.header)
    if team is None:
        return []
    by_id = {r.id: r for r in results}
    decided: dict[str, Counter[str]] = {m.name: Counter() for m in team.members}
    for record in journal.decisions():
        who = record.get("who")
        if isinstance(who, str) and who in decided and record.get("action") != "wait":
            decided[who][str(record.get("action"))] += 1
    out = []
    for member in team.members:
        mine = [by_id[cid] for cid in rubric.roles.get(member.role, []) if cid in by_id]
        actions = decided[member.name]
        out.append({
            "name": member.name, "role": member.role, "score": _score(mine),
            "criteria": [{"id": c.id, "title": c.title, "rating": c.rating,
                          "points": c.points, "max_points": c.max_points} for c in mine],
            "decisions": sum(actions.values()),
            "actions": dict(sorted(actions.items(), key=lambda kv: (-kv[1], kv[0]))),
            "decided": ", ".join(f"{a} ×{n}" for a, n in sorted(
                actions.items(), key=lambda kv: (-kv[1], kv[0]))) or "no decisions",
            "weakest": [c.id for c in sorted((c for c in mine if c.weak),
                                             key=lambda c: (c.points - c.max_points, c.id))],
        })
    return out

