"""The earlier index of runs (runs-index.jsonl), read once to fill the history database.

Before the history database (simulator/commands/historydb.py), each run the CLI started appended one
JSON line (journal path, scenario, seed, when) to ``runs-index.jsonl`` in the user data
directory, so `tabletop history` could find journals written anywhere with --journal. The
database's first migration imports the finished journals this index and the runs folder
point to; nothing writes the index any more. A line that cannot be read (a hand edit, a
half-written line after a crash) is skipped, since the journals stay the source of truth.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.runs.userdata import data_dir, runs_dir

INDEX = "runs-index.jsonl"


def index_path() -> Path:
    return data_dir() / INDEX


def indexed() -> list[dict[str, Any]]:
    """The index's readable lines, oldest first."""
    path = index_path()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    rows = []
    for raw in text.splitlines():
        try:
            row = json.loads(raw)
        except ValueError:
            continue
        if isinstance(row, dict) and isinstance(row.get("journal"), str):
            rows.append(row)
    return rows


def known_journals() -> tuple[list[Path], list[Path]]:
    """(journals that exist, indexed journals that are gone): the runs folder and the index.

    Each path appears once; existing journals are ordered by modification time.
    """
    seen: dict[Path, None] = {}
    folder = runs_dir()
    if folder.is_dir():
        for path in folder.glob("*.jsonl"):
            seen[path.resolve()] = None
    for row in indexed():
        seen[Path(row["journal"])] = None
    present = [p for p in seen if p.is_file()]
    gone = [p for p in seen if not p.is_file()]
    return sorted(present, key=lambda p: p.stat().st_mtime), gone
