"""The first prompt of `tabletop run ID` comes before the scenario models and the engine are
loaded (issue 11, item 13): the briefing is drawn from scenarios/index.json while the
scenario loads, and is validated all the same.

Timing is measured in benchmarks/startup.py; these tests pin the cause (what is imported
when the prompt is on screen) and that nothing about the drill changes."""

from __future__ import annotations

import argparse
import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from simulator.commands import listing
from simulator.commands.runner import EarlyBriefing
from simulator.errors import InputError
from simulator.format import loader
from simulator.format.loader import builtin_ids, load_scenario
from simulator.runs.journal import JournalWriter
from simulator.ui.briefscreen import first_screen

pytestmark = pytest.mark.timeout(120)
HEAVY = ("pydantic", "simpy", "yaml", "jinja2", "simulator.format.scenario",
         "simulator.engine.core", "simulator.engine.drill")

#: run the CLI, and at its first prompt write the loaded modules to $OUT and stop
AT_FIRST_PROMPT = """
import os, sys
import simulator.ui.terminal as terminal
def ask(question):
    with open(os.environ["OUT"], "w") as out:
        out.write("\\n".join(sorted(sys.modules)))
    os._exit(0)
terminal.ask = ask
sys.argv = ["tabletop", *sys.argv[1:]]
from simulator.cli import main
sys.exit(main())
"""


def in_a_terminal(args: list[str], env: dict[str, str], until: bytes = b"",
                  keys: bytes = b"", timeout: float = 60) -> tuple[int, bytes]:
    """Run a Python process on a pseudo-terminal; type ``keys`` once ``until`` is shown."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, *args], stdin=slave, stdout=slave, stderr=slave,
                            env={**os.environ, "TERM": "xterm", **env},
                            start_new_session=True)
    os.close(slave)
    seen, typed = b"", False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if until and not typed and until in seen:
                os.write(master, keys)
                typed = True
            if select.select([master], [], [], 0.1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        return proc.wait(timeout=30), seen
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)


def test_the_first_prompt_of_a_built_in_drill_imports_no_models_nor_engine(
        tmp_path: Path) -> None:
    out = tmp_path / "modules"
    code, screen = in_a_terminal(
        ["-c", AT_FIRST_PROMPT, "run", "bad-deploy", "--seed", "1", "--journal",
         str(tmp_path / "j.jsonl")], {"OUT": str(out), "TABLETOP_DATA_DIR": str(tmp_path)})
    assert code == 0 and out.exists(), screen[-2000:]
    assert b"Product pages crawl" in screen and b"Your team" in screen
    modules = out.read_text(encoding="utf-8").split()
    assert [m for m in modules if m in HEAVY or m.split(".")[0] in HEAVY] == []


def test_the_index_holds_each_built_in_first_screen() -> None:
    """The screen shown before loading is the one the loaded scenario gives."""
    for scenario_id in builtin_ids():
        row = listing.indexed(scenario_id)
        assert row is not None, scenario_id
        assert row["first_screen"] == first_screen(load_scenario(scenario_id)[0])


def test_an_edited_built_in_is_not_briefed_from_the_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in listing.builtin_dir().glob("*"):
        if path.suffix in (".yaml", ".json"):
            shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(listing, "builtin_dir", lambda: tmp_path)
    assert listing.indexed("bad-deploy") is not None
    edited = tmp_path / "bad-deploy.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert listing.indexed("bad-deploy") is None
    assert listing.indexed("./bad-deploy.yaml") is None  # a path is never the built-in


def brief_with_keys(early: EarlyBriefing, writer: JournalWriter, keys: str
                    ) -> tuple[object, object]:
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        return early.brief(writer)


def early_briefing(scenario_id: str) -> EarlyBriefing:
    row = listing.indexed(scenario_id)
    assert row is not None
    return EarlyBriefing(row, argparse.Namespace(scenario=scenario_id, coach="off",
                                                 pressure=0.0))


def test_the_scenario_loaded_while_reading_is_the_validated_one(tmp_path: Path) -> None:
    writer = JournalWriter(tmp_path / "j.jsonl")
    scenario, ref = brief_with_keys(early_briefing("bad-deploy"), writer, "x")
    assert (scenario, ref) == load_scenario("bad-deploy")
    assert (tmp_path / "j.jsonl").exists()
    writer.close()


def test_a_scenario_failing_to_load_stops_after_the_key_and_leaves_no_journal(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading is never skipped: its error comes after the key, the empty journal goes."""

    def broken(name: str) -> object:
        raise InputError("bad-deploy.yaml:3:1: broken")

    monkeypatch.setattr(loader, "load_scenario", broken)
    writer = JournalWriter(tmp_path / "j.jsonl")
    with pytest.raises(InputError, match="broken"):
        brief_with_keys(early_briefing("bad-deploy"), writer, "x")
    assert not (tmp_path / "j.jsonl").exists()


def test_ctrl_c_at_the_early_briefing_exits_130_without_a_journal(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    code, screen = in_a_terminal(
        ["-m", "simulator", "run", "bad-deploy", "--seed", "1", "--journal", str(journal)],
        {"TABLETOP_DATA_DIR": str(tmp_path)}, until=b"Press any key", keys=b"\x03")
    assert code == 130, screen[-2000:]
    assert b"Traceback" not in screen and not journal.exists()
