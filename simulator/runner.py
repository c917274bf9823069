"""`tabletop run`: choose the decider and the journal, play, print the outcome."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from simulator.drill import Decider, Outcome
from simulator.errors import ExitCode, InputError
from simulator.scenario import Scenario


def default_journal(scenario_id: str, seed: int) -> Path:
    """A fresh path under the user's data directory (platform-appropriate)."""
    from platformdirs import user_data_path

    stamp = time.strftime("%Y%m%d-%H%M%S")
    return user_data_path("incident-tabletop") / "runs" / f"{scenario_id}-seed{seed}-{stamp}.jsonl"


def has_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty() and sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def interactive_decider(scenario: Scenario, args: argparse.Namespace) -> Decider:
    if not has_terminal():
        raise InputError("an interactive drill needs a terminal on stdin and stdout; "
                         "to play without one use --decisions FILE or --bot expert")
    from simulator.ui.prompts import PromptDecider

    return PromptDecider(scenario, **_ui_options(args))


def _ui_options(args: argparse.Namespace) -> dict[str, object]:
    return {k: getattr(args, k) for k in ("coach", "pressure") if hasattr(args, k)}


def pick_decider(scenario: Scenario, args: argparse.Namespace) -> Decider:
    from simulator.bots import make_bot
    from simulator.decisions import load_decisions

    if args.bot:
        return make_bot(args.bot)
    if args.decisions:
        return load_decisions(args.decisions)
    return interactive_decider(scenario, args)


def print_outcome(outcome: Outcome, journal: Path, scenario: Scenario) -> None:
    d = outcome.data

    def at(seconds: int | None) -> str:
        return "never" if seconds is None else f"T+{seconds // 60}:{seconds % 60:02d}"

    print(f"outcome: {outcome.status} | recovered {at(d['recovered_at'])} | resolved "
          f"{at(d['resolved_at'])} | {d['failed']:,} {d['impact_unit']} "
          f"({d['failed_by_limit']:,} by T+{d['time_limit_minutes']} if left as is)"
          f" | evidence lost: {', '.join(d['evidence_lost']) or 'none'}"
          f" | caused: {', '.join(d['second_incident']) or 'nothing'}")
    print(f"journal: {journal}")


def run_command(args: argparse.Namespace) -> int:
    from simulator.decisions import export_decisions
    from simulator.journal import read_journal
    from simulator.loader import load_scenario
    from simulator.play import new_seed, run_drill

    scenario, ref = load_scenario(args.scenario)
    seed = args.seed if args.seed is not None else new_seed()
    decider = pick_decider(scenario, args)
    journal = args.journal or default_journal(scenario.id, seed)
    options = {"bot": args.bot} if args.bot else {}
    outcome = run_drill(scenario, ref, decider, seed, journal, options)
    if args.export_decisions:
        records = read_journal(journal).decisions()
        args.export_decisions.write_text(export_decisions(records), encoding="utf-8")
    print_outcome(outcome, journal, scenario)
    return ExitCode.OK if outcome.status == "resolved" else ExitCode.GOAL_FAILED
