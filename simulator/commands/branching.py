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

from simulator.engine.drill import Decider, Outcome
from simulator.errors import ExitCode, InputError
from simulator.format.scenario import Scenario
from simulator.runs.files import same_file
from simulator.runs.journal import Journal, JournalWriter, read_journal


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


def branch(source_path: Path, at: int, decider: Decider,
           out: Path | JournalWriter | None = None, force: bool = False,
           checked: tuple[Journal, Scenario] | None = None) -> Branch:
    """Replay `at` decisions of a journal, then continue with `decider`.

    The source is verified first (simulator.players.verify): a journal the simulation does not
    reproduce is refused, since its branch would continue from a state that never was.
    ``checked`` passes a source already read and verified. The branch's journal is new:
    the default name next to the source gets ``-2``, ``-3``... when taken; an explicit
    ``out`` that exists is refused unless ``force``.
    """
    from simulator.engine.facilitation import ReplayActs, recorded_acts
    from simulator.engine.team import team_from_header
    from simulator.players.play import ChainDecider, run_drill

    source, scenario = checked or verified_source(source_path)
    decisions = source.decisions()
    if not 0 <= at <= len(decisions):
        raise InputError(f"--at must be from 0 to {len(decisions)} (the journal has "
                         f"{len(decisions)} decisions)")
    writer = out if isinstance(out, JournalWriter) else branch_writer(source_path, at,
                                                                       decider.name, out, force)
    assert writer.path is not None
    options: dict[str, Any] = {"branch_of": source_path.name, "branch_at": at}
    chained = ChainDecider(decisions[:at], decider)
    # the facilitator's acts before the branch point happened in both timelines
    acts = {n: a for n, a in recorded_acts(source.records).items() if n <= at}

    def replay_acts(drill: Any) -> None:
        drill.acts = ReplayActs(acts)

    outcome = run_drill(scenario, source.header["scenario"], chained, int(source.header["seed"]),
                        writer, options, replay_acts, team_from_header(source.header))
    return Branch(source, at, writer.path, outcome)


def verified_source(path: Path) -> tuple[Journal, Scenario]:
    from simulator.players.verify import verify

    source = read_journal(path)
    return source, verify(source).scenario


def branch_writer(source: Path, at: int, decider: str, out: Path | None, force: bool
                  ) -> JournalWriter:
    """The branch's new journal: never the source, never an existing file unless forced."""
    if out is not None and same_file(out, source):
        raise InputError("the branch needs its own journal: choose another --output")
    if out is None:
        return JournalWriter(branch_path(source, at, decider), unique=True)
    return JournalWriter(out, force=force, option="--output")


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

    from scoring import grade, score_journal
    from simulator.ui.terminal import console, title

    original_end = result.source.end
    original_score = grade(result.source, compare=False).score  # verified by branch()
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
    from simulator.commands.runner import (
        paused_message,
        pick_decider,
        print_outcome,
        record_history,
    )

    source, scenario = verified_source(args.journal)
    decider = pick_decider(scenario, args)
    if not 0 <= args.at <= len(source.decisions()):
        raise InputError(f"--at must be from 0 to {len(source.decisions())} (the journal has "
                         f"{len(source.decisions())} decisions)")
    writer = branch_writer(args.journal, args.at, decider.name, args.output, args.force)
    assert writer.path is not None
    with paused_message(writer.path, args):
        result = branch(args.journal, args.at, decider, writer, checked=(source, scenario))
    print_comparison(result)
    print_outcome(result.outcome, result.journal, scenario)
    record_history(result.journal, None, args)
    return ExitCode.OK if result.outcome.status == "resolved" else ExitCode.GOAL_FAILED
