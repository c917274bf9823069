"""`tabletop history`: the trainee's past runs, scored, oldest first, to see progress.

It reads only journals (the single source of truth); which journals to read comes from the
runs folder and the index of runs (simulator/runindex.py), so a run written with
`--journal` anywhere is found too. --dir lists one folder instead.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from simulator.errors import InputError, TabletopError


def summarise(path: Path) -> dict[str, Any]:
    """One row: scenario, player, outcome and score; a journal that cannot be read says why."""
    from scoring import grade
    from simulator.journal import read_journal

    row: dict[str, Any] = {"journal": str(path),
                           "when": time.strftime("%Y-%m-%d %H:%M",
                                                 time.localtime(path.stat().st_mtime))}
    try:
        journal = read_journal(path)  # read once, graded from memory
        card = grade(journal, compare=False)
    except TabletopError as exc:
        return {**row, "scenario": "?", "player": "?", "status": "unreadable", "score": None,
                "problem": str(exc).splitlines()[0]}
    options = journal.header.get("options", {})
    return {**row, "scenario": card.scenario_id, "player": str(options.get("decider", "?")),
            "status": card.status, "score": card.score}


def _short(path: Path) -> str:
    """The journal's path with the home folder as ~, so the table stays readable."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def history_command(args: argparse.Namespace) -> int:
    from simulator.runindex import index_path, known_journals

    gone: list[Path] = []
    if args.dir:
        folder: Path = args.dir
        if not folder.is_dir():
            raise InputError(f"no runs: {folder} is not a folder")
        paths = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
        where = str(folder)
    else:
        paths, gone = known_journals()
        where = "your runs"
        if not paths and not gone:
            raise InputError(f"no runs yet: nothing in {index_path().parent} "
                             "(play one with tabletop run)")
    rows = [summarise(p) for p in paths]
    if args.scenario:
        rows = [r for r in rows if r["scenario"] == args.scenario]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    from rich.table import Table

    from simulator.ui.terminal import console, title

    table = Table(title=title(f"Runs in {where}"))
    for col in ("when", "scenario", "player", "outcome", "score"):
        table.add_column(col, justify="right" if col == "score" else "left")
    table.add_column("journal", overflow="fold")
    for row in rows:
        table.add_row(row["when"], row["scenario"], row["player"], row["status"],
                      "-" if row["score"] is None else str(row["score"]),
                      _short(Path(row["journal"])))
    console().print(table)
    if not rows:
        print("no runs found")
    if gone:
        print(f"{len(gone)} indexed journal(s) no longer exist (moved or deleted), e.g. {gone[0]}")
    return 0
