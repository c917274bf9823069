"""Counterfactual branches: replay a run up to decision N, then let someone else decide.

"What if, at the moment I restarted Redis, I had let the expert take over?" The branch
re-simulates the journal's first N decisions exactly (same scenario, seed and thinking
time, so the same state), then hands over to a bot, a decisions file or the trainee, and
writes a new journal that is scored like any other. The original is never touched.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.drill import Decider, Outcome
from simulator.errors import ExitCode, InputError
from simulator.journal import Journal, read_journal


@dataclass
class Branch:
    source: Journal
    at: int
    journal: Path
    outcome: Outcome


def branch_path(source: Path, at: int, decider: str) -> Path:
    return source.with_name(f"{source.stem}.branch{at}-{decider}.jsonl")


def describe_decision(journal: Journal, at: int) -> str:
    decisions = journal.decisions()
    if at == len(decisions):
        return "after the last decision"
    d = decisions[at]
    t = int(d["t"])
    return f"decision {at} (T+{t // 60}:{t % 60:02d} {d['action']})"


def branch(source_path: Path, at: int, decider: Decider, out: Path | None = None) -> Branch:
    """Replay `at` decisions of a journal, then continue with `decider`."""
    from simulator.facilitation import ReplayActs, recorded_acts
    from simulator.loader import scenario_for_journal
    from simulator.play import ChainDecider, run_drill
    from simulator.team import team_from_header

    source = read_journal(source_path)
    decisions = source.decisions()
    if not 0 <= at <= len(decisions):
        raise InputError(f"--at must be from 0 to {len(decisions)} (the journal has "
                         f"{len(decisions)} decisions)")
    scenario = scenario_for_journal(source.header["scenario"])
    path = out or branch_path(source_path, at, decider.name)
    if path.resolve() == source_path.resolve():
        raise InputError("the branch needs its own journal: choose another --journal")
    options: dict[str, Any] = {"branch_of": source_path.name, "branch_at": at}
    chained = ChainDecider(decisions[:at], decider)
    # the facilitator's acts before the branch point happened in both timelines
    acts = {n: a for n, a in recorded_acts(source.records).items() if n <= at}

    def replay_acts(drill: Any) -> None:
        drill.acts = ReplayActs(acts)

    outcome = run_drill(scenario, source.header["scenario"], chained, int(source.header["seed"]),
                        path, options, replay_acts, team_from_header(source.header))
    return Branch(source, at, path, outcome)


def _figures(outcome: dict[str, Any] | None, score: int | None) -> list[str]:
    if outcome is None:
        return ["(unfinished)", "-", "-", "-" if score is None else str(score)]

    def at(seconds: int | None) -> str:
        return "never" if seconds is None else f"T+{seconds // 60}:{seconds % 60:02d}"

    return [str(outcome["status"]), at(outcome.get("recovered_at")),
            f"{outcome.get('failed_by_limit', outcome.get('failed', 0)):,}",
            "-" if score is None else str(score)]


def print_comparison(result: Branch) -> None:
    from rich.table import Table

    from scoring import score_journal
    from simulator.ui.terminal import console, title

    original_end = result.source.end
    original_score = score_journal(Path(result.source.path), compare=False).score
    branch_score = score_journal(result.journal, compare=False).score
    table = Table(title=title(f"Branch at {describe_decision(result.source, result.at)}"))
    for col in ("", "outcome", "recovered", "harm by the time limit", "score"):
        table.add_column(col)
    table.add_row("as played", *_figures(original_end["outcome"] if original_end else None,
                                         original_score))
    table.add_row(f"branch: {result.journal.stem.rsplit('-', 1)[-1]}",
                  *_figures(result.outcome.data, branch_score))
    console().print(table)


def branch_command(args: argparse.Namespace) -> int:
    from simulator.runner import paused_message, pick_decider, print_outcome, record_history

    source = read_journal(args.journal)
    from simulator.loader import scenario_for_journal

    scenario = scenario_for_journal(source.header["scenario"])
    decider = pick_decider(scenario, args)
    path = args.output or branch_path(args.journal, args.at, decider.name)
    with paused_message(path):
        result = branch(args.journal, args.at, decider, args.output)
    print_comparison(result)
    print_outcome(result.outcome, result.journal, scenario)
    record_history(result.journal, None, args)
    return ExitCode.OK if result.outcome.status == "resolved" else ExitCode.GOAL_FAILED
