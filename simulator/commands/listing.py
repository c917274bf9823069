"""`tabletop list` at the speed of a table: the catalogue of built-in scenarios.

Listing used to load and validate every built-in scenario (the models, the cross-checks),
several times the cost of starting Python with rich. The catalogue rows are therefore kept
in ``scenarios/index.json``, generated from the validated scenarios with
``python -m simulator.commands.listing`` (and by tests/golden_runs.py) and checked by the tests.
Each row carries the CRC-32 of its scenario file (a change detector, not a security check:
the index and the scenarios ship together as package data, and zlib costs nothing to import
where hashlib loads OpenSSL); when a file's checksum, or the set of files, differs from the
index (a scenario edited without regenerating it), listing falls back to loading the
scenarios, so it is never wrong, only slower. `tabletop run ID` uses a row the same way for
its first screen (``indexed``).
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path
from typing import Any

ORDER = {"beginner": 0, "intermediate": 1, "advanced": 2}
#: index fields `list --json` leaves out: the checksum, and what `run` shows first
PRIVATE = ("crc32", "first_screen")


def builtin_dir() -> Path:
    import scenarios  # a plain package: cheaper than importlib.resources

    return Path(scenarios.__file__).resolve().parent


def index_path() -> Path:
    return builtin_dir() / "index.json"


def _digest(path: Path) -> str:
    return f"{zlib.crc32(path.read_bytes()):08x}"


def build() -> list[dict[str, Any]]:
    """The catalogue from the scenarios themselves (loaded and validated), easiest first."""
    from simulator.format.loader import load_scenario
    from simulator.ui.briefscreen import first_screen

    rows = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        s, _ = load_scenario(path.stem)
        rows.append({"id": s.id, "title": s.title, "difficulty": s.difficulty,
                     "minutes": s.expected_minutes, "summary": s.summary.strip(),
                     "order": s.order, "source": s.source, "crc32": _digest(path),
                     "first_screen": first_screen(s)})
    return sorted(rows, key=_path_key)


def _path_key(row: dict[str, Any]) -> tuple[int, int, int, str]:
    """The learning path: the scenario's own `order` first, then easiest and shortest."""
    order = row.get("order")
    return (order if isinstance(order, int) else 1001, ORDER[row["difficulty"]],
            row["minutes"], row["id"])


def catalogue() -> list[dict[str, Any]]:
    """The catalogue rows (without checksums): from the index when it matches every file."""
    files = {p.stem: p for p in builtin_dir().glob("*.yaml")}
    try:
        rows = json.loads(index_path().read_text(encoding="utf-8"))
        fresh = ({r["id"] for r in rows} == set(files)
                 and all(_digest(files[r["id"]]) == r["crc32"] for r in rows))
    except (OSError, ValueError, KeyError, TypeError):
        fresh = False
    if not fresh:
        rows = build()
    return [{k: v for k, v in r.items() if k not in PRIVATE} for r in rows]


def indexed(name: str) -> dict[str, Any] | None:
    """The index row of the built-in scenario ``name`` (an id, as `tabletop run` takes it)
    when its file still has the checksum the index was generated from; else None.

    `tabletop run ID` shows the row's first screen while the scenario itself loads and is
    validated in the background: the row was generated from that validated file, so the
    screen is what the loaded scenario would show.
    """
    if "/" in name or name.endswith((".yaml", ".yml")):
        return None
    path = builtin_dir() / f"{name}.yaml"
    # a missing, stale or damaged index only costs speed: the scenario is then loaded first
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, StopIteration):
        rows = json.loads(index_path().read_text(encoding="utf-8"))
        row = next(r for r in rows if r["id"] == name)
        if path.is_file() and _digest(path) == row["crc32"] and row.get("first_screen"):
            return dict(row)
    return None


def write_index() -> Path:
    path = index_path()
    path.write_text(json.dumps(build(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    print(f"wrote {write_index()}")
