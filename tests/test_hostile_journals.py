"""Hostile journals (issue 11, items 4, 6 and 9): a journal from a trainee or a stranger is
opened like any other untrusted file. Its type and size are checked before reading (a fifo,
a device or a directory is refused at once), a control character in any of its texts is a
located error, and the tool never writes NaN or infinity into one."""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pytest
from helpers import assert_special_files_refused, tabletop

from simulator.runs.journal import dumps

GOLDEN = sorted((Path(__file__).parent / "golden").glob("bad-deploy.hero*.jsonl"))[0]


@pytest.mark.parametrize("command", [["score"], ["resume"], ["branch", "--at", "1"]])
def test_a_fifo_a_device_and_a_directory_are_refused_as_journals(
        tmp_path: Path, command: list[str]) -> None:
    assert_special_files_refused(tmp_path, command, ".jsonl", 20, timeout=30)


def test_history_lists_a_fifo_among_the_journals_as_unreadable(tmp_path: Path) -> None:
    shutil.copy(GOLDEN, tmp_path / "a.jsonl")
    os.mkfifo(tmp_path / "b.jsonl")
    result = tabletop("history", "--dir", str(tmp_path), "--json", timeout=60)
    assert "Traceback" not in result.stderr
    assert "not a regular file" in result.stdout + result.stderr
    assert "bad-deploy" in result.stdout


@pytest.mark.parametrize("escape", ["\\u001b]52;c;aGk=\\u0007", "\\u009b2J", "\\r"])
def test_a_control_character_in_a_journal_is_a_located_error(tmp_path: Path,
                                                             escape: str) -> None:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if '"text":"' in line)
    lines[number] = lines[number].replace('"text":"', f'"text":"{escape}', 1)
    journal = tmp_path / "evil.jsonl"
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tabletop("score", str(journal), "--format", "md")
    assert result.returncode == 2, result.stderr
    column = lines[number].index(escape) + 1
    assert f"{journal}:{number + 1}:{column}: text: text contains the control character" \
        in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


def test_an_oversized_journal_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.jsonl"
    with big.open("wb") as handle:
        handle.truncate(100_000_000)  # sparse: refused from its size alone
    result = tabletop("score", str(big))
    assert result.returncode == 2 and "the limit is 67,108,864" in result.stderr


def test_the_journal_writer_refuses_nan_and_infinity() -> None:
    """A bug that computed NaN fails loudly instead of writing a journal nobody can read."""
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            dumps({"type": "metrics", "t": 0, "values": {"x": bad}})
    assert json.loads(dumps({"type": "metrics", "t": 0, "values": {"x": 1.5}}))


@pytest.mark.parametrize(("value", "says"), [
    ("NaN", "NaN is not a number a journal may hold"),
    ("-Infinity", "-Infinity is not a number a journal may hold"),
    ("9" * 4301, "not a journal record"),
])
def test_nan_infinity_and_digit_bombs_in_a_journal_are_located(tmp_path: Path, value: str,
                                                               says: str) -> None:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith('{"type":"metrics"'))
    lines[number] = lines[number].replace('"t":', f'"bomb":{value},"t":', 1)
    journal = tmp_path / "bomb.jsonl"
    journal.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tabletop("score", str(journal))
    assert result.returncode == 2, result.stderr
    assert f"{journal}:{number + 1}:" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr
