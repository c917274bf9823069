"""What people said about a run: evaluator observations and the hot wash's answers.

An evaluator (in the facilitator's console) rates criteria as they watch, with a note:
the HSEEP exercise evaluation guide, filled in by a person. The reports set each
observation beside the machine's rating of the same criterion and say when they differ,
by how many steps; the two are never merged into one score. Hot-wash answers are the
group's own lessons, quoted in the after-action report as given.
"""

from __future__ import annotations

from typing import Any

from scoring.ratings import LEVELS
from scoring.scorecard import CriterionResult
from simulator.runs.journal import Journal


def observations(journal: Journal, criteria: list[CriterionResult]) -> list[dict[str, Any]]:
    """Each observation with the automatic rating beside it and whether they agree."""
    by_id = {c.id: c for c in criteria}
    out = []
    for r in journal.records:
        if r.get("type") != "observation":
            continue
        cid, rating = str(r.get("criterion", "")), str(r.get("rating", ""))
        machine = by_id[cid].rating if cid in by_id else "N/A"
        if rating in LEVELS and machine in LEVELS:
            gap = LEVELS.index(rating) - LEVELS.index(machine)
            verdict = ("agrees" if gap == 0 else
                       f"evaluator {abs(gap)} step{'s' if abs(gap) > 1 else ''} "
                       f"{'lower' if gap > 0 else 'higher'}")
        else:
            verdict = "no automatic rating to compare"
        t = int(r.get("t", 0))
        out.append({"criterion": cid, "title": by_id[cid].title if cid in by_id else cid,
                    "rating": rating, "machine": machine, "agree": rating == machine,
                    "verdict": verdict, "note": str(r.get("note", "")),
                    "by": str(r.get("by", "")), "t": t,
                    **({"after": True} if r.get("after") else {}),
                    "when": "after the drill" if r.get("after") else f"T+{t // 60}:{t % 60:02d}"})
    return out


def hot_wash(journal: Journal) -> list[dict[str, str]]:
    """The hot wash's questions and answers, in the order they were asked."""
    return [{"question": str(r.get("question", "")), "answer": str(r.get("answer", "")),
             **({"by": str(r["by"])} if r.get("by") else {})}
            for r in journal.records if r.get("type") == "hotwash"]
