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


def rows(mine: dict[str, Any], expert: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(figure, this run, expert path) rows shared by every report format."""
    def both(fn: Any) -> tuple[str, str]:
        return fn(mine), (fn(expert) if expert is not None else "–")

    table: list[tuple[str, str, str]] = []
    for key, label in FIGURE_LABELS.items():
        table.append((label, *both(lambda f, k=key: describe(f.get(k)))))
    unit = mine.get("impact_unit", "failed requests")
    table.append((f"Harm ({unit})", *both(lambda f: f"{f.get('failed', 0):,}")))
    if mine.get("failed_by_limit") is not None:
        table.append(("Harm by the time limit if left as it was",
                      *both(lambda f: f"{f.get('failed_by_limit') or 0:,}")))
    table.append(("Longest silence toward stakeholders",
                  *both(lambda f: f"{f['longest_silence'] // 60} min (from "
                        f"{describe(f['longest_silence_from'])})")))
    table.append(("Most changes in flight at once",
                  *both(lambda f: str(f["most_changes_in_flight"]))))
    table.append(("Evidence lost", *both(lambda f: ", ".join(f["evidence_lost"]) or "none")))
    table.append(("Second incident caused",
                  *both(lambda f: ", ".join(f["second_incident"]) or "none")))
    return table
