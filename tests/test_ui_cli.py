"""The interactive commands from the outside: refusals that must never hang or crash."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import tabletop
from ui_keys import pause, play_keys
from ui_scripts import redis_good_opening

from simulator.errors import DrillInterrupted

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def paused(tmp_path: Path) -> Path:
    journal = tmp_path / "paused.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), journal)
    return journal


@pytest.mark.parametrize("stdin", [subprocess.DEVNULL, subprocess.PIPE])
def test_resume_without_a_terminal_exits_2_at_once(paused: Path, stdin: int) -> None:
    """A pipe or /dev/null on stdin: exit 2 with a pointer to --decisions and --bot."""
    before = paused.read_text(encoding="utf-8")
    result = tabletop("resume", str(paused), stdin=stdin, timeout=20)
    assert result.returncode == 2
    assert "--decisions" in result.stderr and "--bot" in result.stderr
    assert "Traceback" not in result.stderr
    assert paused.read_text(encoding="utf-8") == before


def test_resume_of_a_finished_journal_is_bad_input(tmp_path: Path) -> None:
    """A journal that ended cannot be resumed, and the message says what to do instead."""
    journal = tmp_path / "done.jsonl"
    assert tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "2",
                    "--journal", str(journal), "--quiet").returncode == 0
    result = tabletop("resume", str(journal))
    assert result.returncode == 2 and "already ended" in result.stderr


def test_resume_of_a_missing_journal_is_bad_input(tmp_path: Path) -> None:
    """A wrong path exits 2 with the path in the message."""
    result = tabletop("resume", str(tmp_path / "nope.jsonl"))
    assert result.returncode == 2 and "nope.jsonl" in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--pressure", "-1"), ("--pressure", "fast"),
                                               ("--coach", "loud")])
def test_bad_interactive_options_are_refused(option: str, value: str) -> None:
    """Out-of-range pressure and unknown coach modes are argument errors (exit 2)."""
    result = tabletop("run", "redis-saturation", option, value)
    assert result.returncode == 2 and option in result.stderr


def test_the_header_records_coach_and_pressure(tmp_path: Path) -> None:
    """Resume reads the coaching mode and pressure back from the journal header."""
    journal = tmp_path / "j.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), journal, coach="light", pressure=5)
    header = journal.read_text(encoding="utf-8").splitlines()[0]
    assert '"coach":"light"' in header and '"pressure":5' in header
