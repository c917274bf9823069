"""A fast start (issue 11, item 13): `--help` and `list` import neither the scenario models
nor the engine, and `list` reads a catalogue that is checked against the scenarios.

Timing itself is measured side by side in benchmarks/startup.py; these tests pin the cause
(what gets imported), which does not depend on how busy the machine is."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import HELP
from simulator.commands import listing
from simulator.ui.plaintable import render, wrap

HEAVY = ("pydantic", "simpy", "yaml", "jinja2", "questionary", "prompt_toolkit", "rich",
         "simulator.format.scenario", "simulator.engine.core", "scoring.grader")


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
    `python -m simulator.commands.listing`); a stale one is still right, only slower."""
    stored = json.loads(listing.index_path().read_text(encoding="utf-8"))
    assert stored == listing.build(), ("scenarios/index.json is stale: run "
                                       "python -m simulator.commands.listing")


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
    import simulator.format.loader

    monkeypatch.setattr(simulator.format.loader, "builtin_dir", lambda: tmp_path)
    titles = {row["id"]: row["title"] for row in listing.catalogue()}
    assert titles["bad-deploy"] == "Edited after the index was written"


def test_help_lists_every_command_and_each_command_has_its_own_help() -> None:
    """Only the chosen command's arguments are declared, yet `--help` names every command
    with its one-line help and `COMMAND --help` shows that command's options."""
    top = subprocess.run([sys.executable, "-m", "simulator", "--help"], capture_output=True,
                         text=True, env={**os.environ, "COLUMNS": "200"}, timeout=60)
    assert top.returncode == 0
    for name, help_text in HELP.items():
        assert f"\n    {name}" in top.stdout and help_text[:40] in top.stdout, name
    run = subprocess.run([sys.executable, "-m", "simulator", "run", "--help"],
                         capture_output=True, text=True, timeout=60)
    assert "--export-decisions" in run.stdout and "--bot {" in run.stdout
    bad = subprocess.run([sys.executable, "-m", "simulator", "lsit"], capture_output=True,
                         text=True, timeout=60)
    assert bad.returncode == 2 and "'list'" in bad.stderr and "'schema'" in bad.stderr


def test_the_list_table_fits_the_width_and_shows_cells_as_text() -> None:
    """The table without rich: wrapped at word boundaries within the width, numbers on the
    right, control characters in a cell shown as spaces."""
    rows = [("a-long-id", "a title long enough to need wrapping at forty", "7"),
            ("b", "evil \x1b]52;c;AAAA\x07 title", "123")]
    text = render("Title", ("id", "title", "n"), rows, (False, False, True), width=40)
    lines = text.splitlines()
    assert all(len(line) <= 40 for line in lines), text
    assert "\x1b" not in text and "\x07" not in text
    assert lines[0].strip() == "Title" and lines[1].startswith("id ") and lines[2][0] == "─"
    assert lines[3].startswith("a-long-id  a title") and lines[3].endswith("    7")
    assert lines[-1].startswith("b  ") and lines[-1].endswith("  123")
    assert wrap("one two three", 7) == ["one two", "three"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert render("T", ("id",), [("x",)], (False,), 20, unicode=False).splitlines()[2] == "--"
