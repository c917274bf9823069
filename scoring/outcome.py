"""Outcome figures of a run: how fast, how much harm, how long the silences.

These are measurements, not ratings; the report sets them beside the expert bot's figures
for the same scenario and seed, so a trainee sees what the process would have bought them.
"""

from __future__ import annotations

from typing import Any

from scoring.checks_change import mitigation_keys, peak_in_flight
from scoring.checks_comms import silences
from scoring.run import Run, clock
from simulator.engine.incidents import describe as describe_incidents


def _t(record: dict[str, Any] | None) -> int | None:
    return None if record is None else int(record["t"])


def figures(run: Run) -> dict[str, Any]:
    """Times in seconds since T+0 (None: never); counts; the run's end state."""
    end = run.journal.end
    outcome = dict(end.get("outcome", {})) if end else {}
    samples = run.journal.samples()
    failed = outcome.get("failed", round(samples[-1].get("failed", 0)) if samples else 0)
    recovered = run.first("recovered")
    mitigated = run.first("mitigated") or recovered  # users served again (maybe degraded)
    gaps = silences(run)
    longest = max(gaps, key=lambda g: g[1] - g[0]) if gaps else (0, 0, None)
    return {
        "status": run.status,
        "declared": _t(run.first("declare")),
        "first_update": _t(run.updates[0] if run.updates else None),
        "first_mitigation": _t(run.first("change_started", where=lambda e: run.data(e).get(
            "change") in mitigation_keys(run))),
        "mitigated": None if mitigated is None else int(run.data(mitigated).get("since", 0)),
        "recovered": _t(recovered),
        **({"full_service": None if recovered is None else int(run.data(recovered).get(
            "since", 0))} if run.scenario.success.mitigated is not None else {}),
        "resolved": _t(next(reversed(run.of("declare_resolved")), None)),
        "reopened": len(run.of("reopened")),
        "ended": run.end_t,
        "failed": failed,
        "failed_by_limit": outcome.get("failed_by_limit"),
        "time_limit_minutes": run.scenario.time_limit_minutes,
        "impact_unit": run.scenario.impact.unit,
        "longest_silence": longest[1] - longest[0],
        "longest_silence_from": longest[0],
        "most_changes_in_flight": peak_in_flight(run),
        "changes": len(run.changes),
        "evidence_lost": [run.data(e).get("investigation") for e in run.of("evidence_lost")],
        "second_incident": list(outcome.get("second_incident", [])),
        "second_incident_described": describe_incidents(
            run.scenario, outcome.get("second_incident", []), run.of("second_incident")),
        "decisions": len(run.journal.decisions()),
    }




FIGURE_LABELS = {
    "declared": "Time to declare",
    "first_update": "Time to first update",
    "first_mitigation": "Mitigation started",
    "mitigated": "Time to mitigate (metrics healthy from)",
    "full_service": "Time to full service (protection back, fix in)",
    "resolved": "Time to resolve",
}


def describe(value: Any) -> str:
    return "never" if value is None else clock(value)


def harm_row(mine: dict[str, Any], expert: dict[str, Any] | None) -> tuple[str, str, str]:
    """Harm compared over one window for both runs: the scenario's time limit.

    A run that declared victory early and reopened stops its own clock early; measured to
    its own end it would look less harmful than the expert. Both figures are therefore the
    harm up to the time limit (the system left as it was at each run's end), with the harm
    counted during the drill beside it. A run stopped before its end record has no
    projection: its raw figure is shown and marked so.
    """
    unit = mine.get("impact_unit", "failed requests")
    limit = mine.get("time_limit_minutes")

    def cell(f: dict[str, Any]) -> str:
        raw = f"{f.get('failed', 0):,} by {describe(f.get('ended'))}, when the drill ended"
        if f.get("failed_by_limit") is None:
            return f"{raw} (not projected: the drill stopped early)"
        return f"{f['failed_by_limit']:,} ({raw})"

    label = f"Harm ({unit}) over the first {limit:g} min (the time limit)" if isinstance(
        limit, (int, float)) else f"Harm ({unit})"
    return label, cell(mine), cell(expert) if expert is not None else "–"


def rows(mine: dict[str, Any], expert: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(figure, this run, expert path) rows shared by every report format."""
    def both(fn: Any) -> tuple[str, str]:
        return fn(mine), (fn(expert) if expert is not None else "–")

    table: list[tuple[str, str, str]] = []
    for key, label in FIGURE_LABELS.items():
        if key not in mine:  # a stage this scenario does not have
            continue
        table.append((label, *both(lambda f, k=key: describe(f.get(k)))))
    table.append(harm_row(mine, expert))
    table.append(("Longest silence toward stakeholders",
                  *both(lambda f: f"{f['longest_silence'] // 60} min (from "
                        f"{describe(f['longest_silence_from'])})")))
    table.append(("Resolutions reopened by monitoring",
                  *both(lambda f: str(f.get("reopened", 0)))))
    table.append(("Most changes in flight at once",
                  *both(lambda f: str(f["most_changes_in_flight"]))))
    table.append(("Evidence lost", *both(lambda f: ", ".join(f["evidence_lost"]) or "none")))
    table.append(("Second incident caused",
                  *both(lambda f: "; ".join(f.get("second_incident_described") or
                                            f["second_incident"]) or "none")))
    return table
