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
    term.stop()
    term.start(tabletop("resume", str(journal), "--db", str(db)), tmp_path)
    term.expect("What do you do?", timeout=30)
    term.keys("C-c")
    choose(term, "Drill interrupted", 2)         # Abandon
    term.expect("Really abandon?")
    term.keys("y", "Enter")
    term.expect("EXIT=1", timeout=30)
    [final] = history(db)
    assert final["status"] == "abandoned" and final["journal"] == paused["journal"]
