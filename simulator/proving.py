"""Prove a scenario with bot players: winnable by the process, and discriminating.

A facilitator who writes a scenario wants two guarantees before a trainee sees it: the
documented process resolves it whatever the dice (`expert` on every seed), and each
anti-pattern visibly does worse (more harm, or no clean resolution). `tabletop prove`
plays every bot on several seeds in memory and reports both.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.bots import BOTS, make_bot
from simulator.journal import Journal
from simulator.play import run_drill
from simulator.scenario import Scenario

Scorer = Callable[[Journal, Scenario], float]


@dataclass
class BotResult:
    bot: str
    statuses: list[str] = field(default_factory=list)
    harm: list[float] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    evidence_lost: int = 0
    second_incidents: int = 0

    @property
    def resolved(self) -> int:
        return self.statuses.count("resolved")


@dataclass
class Proof:
    scenario: str
    seeds: list[int]
    results: dict[str, BotResult]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _journal(scenario: Scenario, ref: dict[str, str], bot: str, seed: int
             ) -> tuple[dict[str, Any], Journal]:
    """Play one bot in memory and keep its journal for the scorer."""
    from simulator.drill import Drill

    drill = Drill(scenario, ref, seed, None, {"decider": bot, "bot": bot})
    outcome = drill.run(make_bot(bot))
    records = drill.journal.records
    return outcome.data, Journal("<memory>", records[0], records[1:])


def prove(scenario: Scenario, ref: dict[str, str], seeds: list[int],
          scorer: Scorer | None = None) -> Proof:
    """Play every bot on every seed; list what keeps the scenario from being proven."""
    results = {name: BotResult(name) for name in sorted(BOTS)}
    for seed in seeds:
        for name, result in results.items():
            if scorer is None:
                outcome = run_drill(scenario, ref, make_bot(name), seed, None).data
            else:
                outcome, journal = _journal(scenario, ref, name, seed)
                result.scores.append(scorer(journal, scenario))
            result.statuses.append(outcome["status"])
            result.harm.append(float(outcome["failed_by_limit"]))
            result.evidence_lost += bool(outcome["evidence_lost"])
            result.second_incidents += bool(outcome["second_incident"])
    return Proof(scenario.id, seeds, results, _problems(results, seeds))


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
    if bot.scores and expert.scores:
        return bot.scores[i] < expert.scores[i]
    return (bot.statuses[i] != "resolved" or bot.harm[i] > expert.harm[i]
            or bot.evidence_lost > expert.evidence_lost
            or bot.second_incidents > expert.second_incidents)


def summary_rows(proof: Proof) -> list[dict[str, Any]]:
    rows = []
    for name, r in proof.results.items():
        rows.append({
            "bot": name,
            "resolved": f"{r.resolved}/{len(proof.seeds)}",
            "median_harm": round(statistics.median(r.harm)),
            "median_score": round(statistics.median(r.scores), 1) if r.scores else None,
            "evidence_lost": f"{r.evidence_lost}/{len(proof.seeds)}",
            "second_incident": f"{r.second_incidents}/{len(proof.seeds)}",
        })
    return rows


def print_proof(proof: Proof, as_json: bool = False) -> None:
    """Print the per-bot table and the verdict."""
    import json

    from rich.console import Console
    from rich.table import Table

    rows = summary_rows(proof)
    if as_json:
        print(json.dumps({"scenario": proof.scenario, "seeds": proof.seeds, "ok": proof.ok,
                          "problems": proof.problems, "bots": rows}, indent=2))
        return
    table = Table(title=f"{proof.scenario}: every bot on seeds {proof.seeds[0]}..{proof.seeds[-1]}")
    headers = {"bot": "bot", "resolved": "resolved", "median_harm": "median harm",
               "median_score": "median score", "evidence_lost": "evidence lost",
               "second_incident": "2nd incident"}
    for key, title in headers.items():
        table.add_column(title, justify="left" if key == "bot" else "right")
    for row in rows:
        table.add_row(*("-" if row[k] is None else str(row[k]) for k in headers))
    console = Console()
    console.print(table)
    if proof.ok:
        console.print("proven: the process resolves it on every seed, and every other bot "
                      "does worse")
    for problem in proof.problems:
        console.print(f"[bold red]problem:[/] {problem}")
