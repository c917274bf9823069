"""What prove keeps of one bot run, and the scenario coverage all runs add up to.

A run's journal is large; a worker process sends back only these facts (small and
picklable): the outcome, the changes and decisions with their times, and what the run
exercised. Coverage then lists the parts of the scenario no bot ever reached: a fix never
applied, an inject never fired, an investigation never run, a metric nothing moves, a
declared dependency that no fault depends on and no run touched. Each is either dead
content or a path only a trainee can find, and the facilitator should know which.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from simulator.format.scenario import Scenario

#: a metric "moves" when in some run its range (max - min) exceeds this many noise
#: deviations (noise alone spans about 6 over a long run) ...
MOVE_NOISE = 8.0
#: ... and this share of its baseline (so a noise-free metric needs a real change)
MOVE_SHARE = 0.02


@dataclass
class RunFacts:
    bot: str
    seed: int
    status: str
    harm: float
    harm_in_run: float
    score: float | None
    evidence_lost: list[str]
    second_incident: list[str]
    recovered_at: int | None
    resolved_at: int | None
    #: (t, change key, who ran it, who ordered it: "ic" or the responder acting alone)
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    fixes: set[str] = field(default_factory=set)
    injects: set[str] = field(default_factory=set)
    investigations: set[str] = field(default_factory=set)
    span: dict[str, tuple[float, float]] = field(default_factory=dict)  # metric -> (min, max)
    #: the seed's pick at each choice point (`variants:`), as the journal header records it
    variant: dict[str, Any] = field(default_factory=dict)


def facts_of(bot: str, seed: int, outcome: dict[str, Any], records: list[dict[str, Any]],
             score: float | None) -> RunFacts:
    facts = RunFacts(bot, seed, outcome["status"], float(outcome["failed_by_limit"]),
                     float(outcome["failed"]), score, list(outcome["evidence_lost"]),
                     list(outcome["second_incident"]), outcome["recovered_at"],
                     outcome["resolved_at"])
    if records and records[0].get("type") == "header":
        facts.variant = dict(records[0].get("variant") or {})
    for r in records:
        kind, data = r.get("kind"), r.get("data") or {}
        if r["type"] == "decision":
            facts.decisions.append({"t": r["t"], "action": r["action"], **r.get("args", {})})
        elif r["type"] == "metrics":
            for metric, value in r["values"].items():
                low, high = facts.span.get(metric, (value, value))
                facts.span[metric] = (min(low, value), max(high, value))
        elif kind == "change_started":
            change = str(data.get("change", ""))
            by = str(data.get("executor") or r["actor"])
            facts.changes.append((int(r["t"]), change, by, str(data.get("ordered_by") or by)))
            if change.startswith("fix:"):
                facts.fixes.add(change[4:])
        elif kind == "inject":
            facts.injects.add(str(data.get("id")))
        elif kind in ("investigation_started", "investigation_done"):
            facts.investigations.add(str(data.get("investigation")))
    return facts


def variant_picks(scenario: Scenario, runs: list[RunFacts]) -> dict[str, dict[str, Any]]:
    """Which seeds played which version of the incident, by choice point.

    Every bot plays the same incident on a seed, so the picks are read per seed. A choice
    (a value or an option) no seed picked is a version of the incident nobody proved; a
    range has no choices to miss, so it reports the lowest and highest pick instead.
    """
    from simulator.format.variants import options

    seeds = {r.seed: r.variant for r in runs}
    out: dict[str, dict[str, Any]] = {}
    for variant in scenario.variants:
        chosen = {s: seeds[s][variant.id] for s in sorted(seeds) if variant.id in seeds[s]}
        if variant.range is not None:
            values = list(chosen.values())
            out[variant.id] = {"kind": "range", "range": list(variant.range),
                               "lowest": min(values, default=None),
                               "highest": max(values, default=None),
                               "seeds": {str(s): v for s, v in chosen.items()},
                               "never_picked": []}
            continue
        labels = [label for label, _ in options(variant)]
        picked: dict[str, list[int]] = {label: [] for label in labels}
        for seed, pick in chosen.items():
            picked.setdefault(_label_of(variant, labels, pick), []).append(seed)
        out[variant.id] = {"kind": "choice", "picked": picked,
                           "never_picked": [k for k in labels if not picked[k]]}
    return out


def _label_of(variant: Any, labels: list[str], pick: Any) -> str:
    """The label of a pick: a value is found among the variant's values (50 == 50.0)."""
    if variant.values:
        for label, value in zip(labels, variant.values, strict=True):
            if value == pick:
                return label
    return str(pick)


def coverage(scenario: Scenario, runs: list[RunFacts]) -> dict[str, list[str]]:
    """The scenario's parts no run exercised, by kind (empty lists are left out)."""
    fixes = set().union(*(r.fixes for r in runs)) if runs else set()
    injects = set().union(*(r.injects for r in runs)) if runs else set()
    looked = set().union(*(r.investigations for r in runs)) if runs else set()
    still = []
    for metric in scenario.metrics:
        spans = [r.span[metric.id] for r in runs if metric.id in r.span]
        moved = max((high - low for low, high in spans), default=0.0)
        limit = MOVE_NOISE * metric.noise + MOVE_SHARE * abs(metric.baseline)
        if moved <= limit:
            still.append(metric.id)
    changed = {c[1].split(":", 1)[1] for r in runs for c in r.changes if ":" in c[1]}
    faults = json.dumps([f.model_dump(mode="json", by_alias=True) for f in scenario.faults])
    unused = [d.id for d in scenario.system.dependencies
              if not re.search(rf"(?<![\w-]){re.escape(d.id)}(?![\w-])", faults)
              and not any(key == d.id or key.startswith(f"{d.id}.") for key in changed)]
    found = {
        "fixes_never_applied": [f.id for f in scenario.fixes if f.id not in fixes],
        "injects_never_fired": [i.id for i in scenario.injects if i.id not in injects],
        "investigations_never_run": [i.id for i in scenario.investigations
                                     if i.id not in looked],
        "metrics_nothing_moves": still,
        "dependencies_nothing_uses": unused,
        "variant_choices_never_picked": [
            f"{vid}={label}" for vid, seen in variant_picks(scenario, runs).items()
            for label in seen["never_picked"]],
    }
    return {k: v for k, v in found.items() if v}
