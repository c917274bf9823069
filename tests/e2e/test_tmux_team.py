"""Team drills in real terminals (tmux): the history of a paused run, the roster prompt,
a joined player's menu, the facilitator's console following the drill live."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_tmux_drill import Terminal, choose, tabletop

pytestmark = [pytest.mark.timeout(150),
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


@pytest.fixture
def term() -> Iterator[Terminal]:
    terminal = Terminal(f"tabletop-team-{uuid.uuid4().hex[:8]}")
    yield terminal
    terminal.stop()


def history(db: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "simulator", "history", "--db", str(db),
                           "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_paused_run_is_in_the_history_until_its_end_replaces_it(term: Terminal,
                                                                   tmp_path: Path) -> None:
    """Paused: one row "paused"; resumed and ended: still one row, with the final outcome."""
    journal, db = tmp_path / "run.jsonl", tmp_path / "h.sqlite3"
    term.start(tabletop("run", "redis-saturation", "--seed", "7", "--coach", "off",
                        "--journal", str(journal), "--db", str(db))
               + "; echo PAUSED=$?; read x; "
               + tabletop("resume", str(journal), "--db", str(db)), tmp_path)
    term.expect("Press any key")
    term.keys("Enter")
    choose(term, "What do you do?", 0)           # Coordinate
    choose(term, "Coordinate:", 0)               # Acknowledge
    term.expect("T+00:20 What do you do?")
    term.keys("C-c")
    choose(term, "Drill interrupted at T+00:20", 1)  # Pause
    term.expect("PAUSED=130", timeout=30)
    [paused] = history(db)
    assert paused["status"] == "paused" and paused["journal"] == str(journal.resolve())
    term.keys("Enter")
    term.gone("PAUSED=130", timeout=30)
    term.expect("T+00:20 What do you do?", timeout=30)
    term.keys("C-c")
    choose(term, "Drill interrupted", 1)         # pause a second time: still one row
    term.expect("EXIT=130", timeout=30)
    [again] = history(db)
    assert again["status"] == "paused"
    later = Terminal(f"tabletop-team-{uuid.uuid4().hex[:8]}")  # a fresh server: no race
    try:                                                      # with the old one's exit
        later.start(tabletop("resume", str(journal), "--db", str(db)), tmp_path)
        later.expect("What do you do?", timeout=30)
        later.keys("C-c")
        choose(later, "Drill interrupted", 2)     # Abandon
        later.expect("Really abandon?")
        later.keys("y", "Enter")
        later.expect("EXIT=1", timeout=30)
    finally:
        later.stop()
    [final] = history(db)
    assert final["status"] == "abandoned" and final["journal"] == paused["journal"]


def header_team(journal: Path) -> list[dict]:
    return json.loads(journal.read_text(encoding="utf-8").splitlines()[0])["team"]


def test_the_roster_prompt_gives_what_team_would(term: Terminal, tmp_path: Path) -> None:
    """`--team` without a value: one question per role, names checked as typed (a bad name,
    a name twice, no IC are refused in place), the same team as the option would give."""
    journal = tmp_path / "asked.jsonl"
    term.start(tabletop("run", "redis-saturation", "--seed", "3", "--bot", "expert",
                        "--team", "--journal", str(journal), "--quiet", "--no-history"),
               tmp_path)
    term.expect("Who plays?")
    term.expect("ic, incident commander")
    term.type("")                                 # the IC is required
    term.expect("one name: the incident commander")
    term.keys("C-u")
    term.type("9lives")
    term.expect("'9lives': a name starts with a letter")
    term.keys("C-u")
    term.type("ana")
    term.expect("comms, communications lead")
    term.type("ben")
    term.expect("ops, operations")
    term.type("chen, ana")
    term.expect("ana is already on the team")
    term.keys("C-u")
    term.type("chen, dee")
    shown = term.expect("EXIT=", timeout=60)
    assert "Team: ic=ana, comms=ben, ops=chen, ops=dee" in shown
    assert "EXIT=0" in shown
    typed = tmp_path / "typed.jsonl"
    done = subprocess.run([sys.executable, "-m", "simulator", "run", "redis-saturation",
                           "--seed", "3", "--bot", "expert", "--team",
                           "ic=ana,comms=ben,ops=chen,ops=dee", "--journal", str(typed),
                           "--quiet", "--no-history"], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert journal.read_bytes() == typed.read_bytes()  # the very same drill


def test_team_without_a_value_needs_a_terminal(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "simulator", "run", "redis-saturation",
                           "--bot", "expert", "--team", "--journal", str(tmp_path / "j.jsonl")],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "asks who plays, at a terminal" in done.stderr
    assert not (tmp_path / "j.jsonl").exists()
