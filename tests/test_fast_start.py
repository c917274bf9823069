"""A fast start (issue 11, item 13): `--help` and `list` import neither the scenario models
nor the engine, and `list` reads a catalogue that is checked against the scenarios.

Timing itself is measured side by side in benchmarks/startup.py; these tests pin the cause
(what gets imported), which does not depend on how busy the machine is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator import listing

HEAVY = ("pydantic", "simpy", "yaml", "jinja2", "questionary", "prompt_toolkit",
         "simulator.scenario", "simulator.engine", "scoring.grader")


def imported(*args: str) -> set[str]:
    code = ("import sys, runpy\nsys.argv = ['tabletop', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('simulator', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                            text=True, timeout=60)
    return set(result.stderr.split())


@pytest.mark.parametrize("args", [("--help",), ("list",), ("list", "--json"), ("score", "-h")])
def test_help_and_list_import_nothing_heavy(args: tuple[str, ...]) -> None:
    modules = imported(*args)
    assert "simulator.cli" in modules
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY) == []


def test_the_catalogue_index_matches_the_scenarios() -> None:
    """scenarios/index.json is generated (by `python tests/golden_runs.py`, or alone by
    `python -m simulator.listing`); a stale one is still right, only slower."""
    stored = json.loads(listing.index_path().read_text(encoding="utf-8"))
    assert stored == listing.build(), ("scenarios/index.json is stale: run "
                                       "python -m simulator.listing")


def test_an_edited_scenario_is_listed_from_the_file_not_the_stale_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in listing.builtin_dir().glob("*"):
        if path.suffix in (".yaml", ".json"):
            shutil.copy(path, tmp_path / path.name)
    edited = tmp_path / "bad-deploy.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "title: Product pages crawl after the catalog release",
        "title: Edited after the index was written", 1), encoding="utf-8")
    monkeypatch.setattr(listing, "builtin_dir", lambda: tmp_path)
    import simulator.loader

    monkeypatch.setattr(simulator.loader, "builtin_dir", lambda: tmp_path)
    titles = {row["id"]: row["title"] for row in listing.catalogue()}
    assert titles["bad-deploy"] == "Edited after the index was written"
