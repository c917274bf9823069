"""The index of runs: every journal `tabletop` wrote, wherever it was written.

`tabletop run --journal ~/drills/monday.jsonl` puts the journal outside the runs folder,
so listing that folder is not enough for `tabletop history`. Each run the CLI starts
appends one JSON line (path, scenario, seed, when) to ``runs-index.jsonl`` in the user data
directory. The file is append-only and small; a line that cannot be read (a hand edit, a
half-written line after a crash) is skipped, since the journals stay the source of truth.
Writing the index never stops a drill: if the data directory is read-only the run goes on
and a warning says history will not list it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from simulator.userdata import data_dir, runs_dir

INDEX = "runs-index.jsonl"


def index_path() -> Path:
    return data_dir() / INDEX


def record_run(journal: Path, scenario_id: str, seed: int | None, how: str) -> None:
    """Remember that a run writes ``journal`` (called before the drill starts)."""
    line = {"journal": str(journal.expanduser().resolve()), "scenario": scenario_id,
            "seed": seed, "how": how, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    path = index_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, sort_keys=True) + "\n")
    except OSError as exc:
        print(f"tabletop: warning: could not record this run in {path} ({exc.strerror}); "
              "`tabletop history` will not list it", file=sys.stderr)


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
