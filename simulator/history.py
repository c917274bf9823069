"""`tabletop history`: the trainee's past runs, scored, oldest first, to see progress.

It reads only journals (the single source of truth), so it needs no database: the runs
directory is wherever `tabletop run` put them, or any folder given with --dir.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from simulator.errors import InputError, TabletopError


def runs_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("incident-tabletop") / "runs"


def summarise(path: Path) -> dict[str, Any]:
    """One row: scenario, player, outcome and score; a journal that cannot be read says why."""
    from scoring import score_journal
    from simulator.journal import read_journal

    row: dict[str, Any] = {"journal": str(path),
                           "when": time.strftime("%Y-%m-%d %H:%M",
                                                 time.localtime(path.stat().st_mtime))}
    try:
        journal = read_journal(path)
        card = score_journal(path, compare=False)
    except TabletopError as exc:
        return {**row, "scenario": "?", "player": "?", "status": "unreadable", "score": None,
                "problem": str(exc).splitlines()[0]}
    options = journal.header.get("options", {})
    return {**row, "scenario": card.scenario_id, "player": str(options.get("decider", "?")),
            "status": card.status, "score": card.score}


def history_command(args: argparse.Namespace) -> int:
    folder: Path = args.dir or runs_dir()
    if not folder.is_dir():
        raise InputError(f"no runs yet: {folder} does not exist (play one with tabletop run)")
    paths = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    rows = [summarise(p) for p in paths]
    if args.scenario:
        rows = [r for r in rows if r["scenario"] == args.scenario]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Runs in {folder}")
    for col in ("when", "scenario", "player", "outcome", "score"):
        table.add_column(col, justify="right" if col == "score" else "left")
    for row in rows:
        table.add_row(row["when"], row["scenario"], row["player"], row["status"],
                      "-" if row["score"] is None else str(row["score"]))
    Console().print(table)
    if not rows:
        print("no runs found")
    return 0
