"""Outcome figures of a run: how fast, how much harm, how long the silences.

These are measurements, not ratings; the report sets them beside the expert bot's figures
for the same scenario and seed, so a trainee sees what the process would have bought them.
"""

from __future__ import annotations

from typing import Any

from scoring.checks_change import mitigation_keys, peak_in_flight
from scoring.checks_comms import silences
from scoring.run import Run, clock


def _t(record: dict[str, Any] | None) -> int | None:
    return None if record is None else int(record["t"])


def figures(run: Run) -> dict[str, Any]:
    """Times in seconds since T+0 (None: never); counts; the run's end state."""
    end = run.journal.end
    outcome = dict(end.get("outcome", {})) if end else {}
    samples = run.journal.samples()
    failed = outcome.get("failed", round(samples[-1].get("failed", 0)) if samples else 0)
    recovered = run.first("recovered")
    gaps = silences(run)
    longest = max(gaps, key=lambda g: g[1] - g[0]) if gaps else (0, 0, None)
    return {
        "status": run.status,
        "declared": _t(run.first("declare")),
        "first_update": _t(run.updates[0] if run.updates else None),
        "first_mitigation": _t(run.first("change_started", where=lambda e: run.data(e).get(
            "change") in mitigation_keys(run))),
        "mitigated": None if recovered is None else int(run.data(recovered).get("since", 0)),
        "recovered": _t(recovered),
        "resolved": _t(run.first("declare_resolved")),
        "ended": run.end_t,
        "failed": failed,
        "failed_by_limit": outcome.get("failed_by_limit"),
        "impact_unit": run.scenario.impact.unit,
        "longest_silence": longest[1] - longest[0],
        "longest_silence_from": longest[0],
        "most_changes_in_flight": peak_in_flight(run),
        "changes": len(run.changes),
        "evidence_lost": [run.data(e).get("investigation") for e in run.of("evidence_lost")],
        "second_incident": list(outcome.get("second_incident", [])),
        "decisions": len(run.journal.decisions()),
    }




FIGURE_LABELS = {
    "declared": "Time to declare",
    "first_update": "Time to first update",
    "first_mitigation": "Mitigation started",
    "mitigated": "Time to mitigate (metrics healthy from)",
    "resolved": "Time to resolve",
}


def describe(value: Any) -> str:
    return "never" if value is None else clock(value)
