"""Prove a scenario with bot players: winnable by the process, and discriminating.

A facilitator who writes a scenario wants two guarantees before a trainee sees it: the
documented process resolves it whatever the dice (`expert` on every seed), and each
anti-pattern visibly does worse, on the score and on the harm users suffered over the same
window (the time limit). `tabletop prove` plays every bot on several seeds in memory, on
every core it is given, and reports both; an anti-pattern that hurts users less than the
expert is a finding with its likely cause, never a silent "proven". What no bot ever
exercised (a fix, an inject, an investigation, a metric) is listed as coverage.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from simulator.commands.proving_facts import RunFacts, facts_of
from simulator.commands.proving_harm import harm_findings
from simulator.format.scenario import Scenario
from simulator.players.bots import BOTS, make_bot
from simulator.runs.journal import Journal

Scorer = Callable[[Journal, Scenario], float]
Progress = Callable[[int, int], None]


@dataclass
class BotResult:
    bot: str
    runs: list[RunFacts] = field(default_factory=list)

    @property
    def statuses(self) -> list[str]:
        return [r.status for r in self.runs]

    @property
    def harm(self) -> list[float]:
        return [r.harm for r in self.runs]

    @property
    def scores(self) -> list[float]:
        return [r.score for r in self.runs if r.score is not None]

    @property
    def resolved(self) -> int:
        return self.statuses.count("resolved")

    @property
    def evidence_lost(self) -> int:
        return sum(bool(r.evidence_lost) for r in self.runs)

    @property
    def second_incidents(self) -> int:
        return sum(bool(r.second_incident) for r in self.runs)


@dataclass
class Proof:
    scenario: str
    seeds: list[int]
    results: dict[str, BotResult]
    problems: list[str]
    findings: list[str] = field(default_factory=list)
    coverage: dict[str, list[str]] = field(default_factory=dict)
    #: by choice point: the seeds that picked each choice (see proving_facts.variant_picks)
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Winnable and discriminating on the score (the harm ranking is `harm_ok`)."""
        return not self.problems

    @property
    def harm_ok(self) -> bool:
        return not self.findings

    @property
    def proven(self) -> bool:
        return self.ok and self.harm_ok


# --- one run (in this process or a worker) --------------------------------------------------
_WORKER: dict[str, Any] = {}


def _init_worker(scenario: Scenario, ref: dict[str, str], scorer: Scorer | None) -> None:
    _WORKER.update(scenario=scenario, ref=ref, scorer=scorer)


def _play(task: tuple[str, int]) -> RunFacts:
    """Play one bot on one seed in memory; keep only the facts prove needs (picklable)."""
    from simulator.engine.drill import Drill

    bot, seed = task
    scenario: Scenario = _WORKER["scenario"]
    drill = Drill(scenario, _WORKER["ref"], seed, None, {"decider": bot, "bot": bot})
    outcome = drill.run(make_bot(bot))
    records = drill.journal.records
    scorer: Scorer | None = _WORKER["scorer"]
    score = None
    if scorer is not None:
        score = scorer(Journal("<memory>", records[0], records[1:]), scenario)
    return facts_of(bot, seed, outcome.data, records, score)


def prove(scenario: Scenario, ref: dict[str, str], seeds: list[int],
          scorer: Scorer | None = None, jobs: int = 1,
          on_progress: Progress | None = None) -> Proof:
    """Play every bot on every seed; list what keeps the scenario from being proven.

    With ``jobs`` > 1 the runs go to worker processes; results are put back in the order
    of (seed, bot), so the report is the same whatever finishes first. A scorer given for
    ``jobs`` > 1 must be picklable (a module-level function).
    """
    names = sorted(BOTS)
    tasks = [(name, seed) for seed in seeds for name in names]
    facts: list[RunFacts] = []
    if jobs <= 1 or len(tasks) < 2:
        _init_worker(scenario, ref, scorer)
        for i, task in enumerate(tasks):
            facts.append(_play(task))
            if on_progress:
                on_progress(i + 1, len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                 initargs=(scenario, ref, scorer)) as pool:
            futures = [pool.submit(_play, task) for task in tasks]
            for i, future in enumerate(futures):
                facts.append(future.result())
                if on_progress:
                    on_progress(i + 1, len(tasks))
    results = {name: BotResult(name) for name in names}
    for f in facts:
        results[f.bot].runs.append(f)
    from simulator.commands.proving_facts import coverage, variant_picks

    return Proof(scenario.id, seeds, results, _problems(results, seeds),
                 harm_findings(results["expert"].runs,
                               {n: r.runs for n, r in results.items() if n != "expert"}),
                 coverage(scenario, facts), variant_picks(scenario, facts))


def _problems(results: dict[str, BotResult], seeds: list[int]) -> list[str]:
    expert = results["expert"]
    problems = []
    if expert.resolved < len(seeds):
        bad = [s for s, st in zip(seeds, expert.statuses, strict=True) if st != "resolved"]
        problems.append(f"not winnable: expert did not resolve on seed(s) {bad}")
    if expert.evidence_lost or expert.second_incidents:
        problems.append("the expert path loses evidence or causes a second incident")
    for name, result in results.items():
        if name == "expert":
            continue
        for i, seed in enumerate(seeds):
            if not _worse(result, expert, i):
                problems.append(f"not discriminating: {name} did as well as expert on seed {seed}")
                break
    return problems


def _worse(bot: BotResult, expert: BotResult, i: int) -> bool:
    """Visibly worse: a lower score, or (without a scorer) harm the outcome shows."""
    b, e = bot.runs[i], expert.runs[i]
    if b.score is not None and e.score is not None:
        return b.score < e.score
    return (b.status != "resolved" or b.harm > e.harm
            or bool(b.evidence_lost) > bool(e.evidence_lost)
            or bool(b.second_incident) > bool(e.second_incident))


def summary_rows(proof: Proof) -> list[dict[str, Any]]:
    rows = []
    n = len(proof.seeds)
    expert_harm = statistics.median(proof.results["expert"].harm)
    for name, r in proof.results.items():
        harm = statistics.median(r.harm)
        rows.append({
            "bot": name,
            "resolved": f"{r.resolved}/{n}",
            "median_harm": round(harm),
            "harm_vs_expert": round(harm / expert_harm, 2) if expert_harm else None,
            "median_harm_in_run": round(statistics.median(x.harm_in_run for x in r.runs)),
            "median_score": round(statistics.median(r.scores), 1) if r.scores else None,
            "min_score": round(min(r.scores), 1) if r.scores else None,
            "max_score": round(max(r.scores), 1) if r.scores else None,
            "evidence_lost": f"{r.evidence_lost}/{n}",
            "second_incident": f"{r.second_incidents}/{n}",
        })
    return rows
