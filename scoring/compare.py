"""The expert's run of the same scenario and seed, for side-by-side figures.

The expert bot is replayed in memory (no journal file; scoring/yardstick.py keeps it, as the
same run also dates when a competent IC had each finding): a drill takes well under a
second, and the same scenario and seed always give the same expert run, so results are
cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.outcome import figures
from scoring.run import Run, clock
from scoring.yardstick import expert_journal, journal_key
from simulator.format.scenario import Scenario
from simulator.runs.journal import Journal

#: grades a journal of a scenario with no comparison: (outcome figures, total score). The
#: grader passes its own, so this module never imports the grader that imports it.
Judge = Callable[[Journal, Scenario], tuple[dict[str, Any], int]]

_CACHE: dict[tuple[str, int], tuple[dict[str, Any], int]] = {}
LINES = (("mitigated", "service restored (metrics healthy from)"),
         ("declared", "incident declared"), ("first_update", "first update"),
         ("resolved", "declared resolved"))


def expert_run(run: Run, judge: Judge) -> tuple[dict[str, Any], int]:
    """The expert's outcome figures and total score on this scenario and seed."""
    key = journal_key(run)
    if key not in _CACHE:
        _CACHE[key] = judge(expert_journal(run), run.scenario)
    return _CACHE[key]


def compare_with_expert(run: Run, judge: Judge) -> dict[str, Any]:
    expert, score = expert_run(run, judge)
    mine = figures(run)
    lines = []
    for key, what in LINES:
        theirs, ours = expert.get(key), mine.get(key)
        lines.append(f"{what}: {_at(theirs)} on the expert path; {_at(ours)} in this run")
    unit = run.scenario.impact.unit
    limit = f"{run.scenario.time_limit_minutes:g}"
    if mine.get("failed_by_limit") is not None and expert.get("failed_by_limit") is not None:
        lines.append(f"{unit} over the first {limit} min: {expert['failed_by_limit']:,} on the "
                     f"expert path; {mine['failed_by_limit']:,} in this run (during the drill "
                     f"itself: {expert['failed']:,} and {mine['failed']:,})")
    else:
        lines.append(f"{unit} during the drill: {expert['failed']:,} on the expert path; "
                     f"{mine['failed']:,} in this run, which stopped early (not comparable "
                     f"over the {limit}-minute window)")
    return {"expert_score": score, "expert": expert, "lines": lines}


def _at(seconds: Any) -> str:
    return "never" if seconds is None else clock(seconds)
