"""Journals are self-contained: they carry the scenario they were played with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.format.loader import builtin_dir


def test_a_journal_outlives_edits_to_its_scenario(tmp_path: Path) -> None:
    """Edit (or delete) the scenario file after the run: the journal still scores."""
    scenario = tmp_path / "mine.yaml"
    scenario.write_text((builtin_dir() / "redis-saturation.yaml").read_text(), encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    assert tabletop("run", str(scenario), "--bot", "expert", "--seed", "2", "--journal",
                    str(journal), "--quiet").returncode == 0
    scenario.write_text(scenario.read_text().replace("baseline: 0.1", "baseline: 0.2"))
    before = tabletop("score", str(journal), "--format", "json")
    scenario.unlink()
    after = tabletop("score", str(journal), "--format", "json")
    assert before.returncode == after.returncode == 0, after.stderr
    assert json.loads(before.stdout)["score"] == json.loads(after.stdout)["score"] >= 90


def test_an_edited_embedded_scenario_is_refused(tmp_path: Path) -> None:
    """Tampering with the recorded scenario text is detected by its hash."""
    journal = tmp_path / "run.jsonl"
    tabletop("run", "bad-deploy", "--bot", "hero", "--seed", "2", "--journal", str(journal),
             "--quiet")
    lines = journal.read_text().splitlines()
    header = json.loads(lines[0])
    header["scenario"]["source"] = header["scenario"]["source"].replace("310", "999")
    journal.write_text("\n".join([json.dumps(header), *lines[1:]]) + "\n")
    result = tabletop("score", str(journal))
    assert result.returncode == 2 and "does not match its hash" in result.stderr


def test_the_reader_streams_lines_with_bounded_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A journal is read line by line, never whole: a 16 MB line after a valid header is
    refused at its line number while the reader holds at most about one line's limit."""
    import tracemalloc

    from simulator.errors import InputError
    from simulator.runs import journal as journal_module
    from simulator.runs.journal import read_journal

    played = tmp_path / "played.jsonl"
    assert tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--journal",
                    str(played), "--quiet", "--no-history").returncode == 0
    header = played.read_bytes().splitlines(keepends=True)[0]
    big = tmp_path / "big.jsonl"
    with big.open("wb") as out:
        out.write(header)
        for _ in range(16):
            out.write(b"x" * (1 << 20))
    monkeypatch.setattr(journal_module, "MAX_LINE", 64 * 1024)
    read_journal(played)  # warm imports outside the measurement
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"big\.jsonl:2:1: line longer than 65,536"):
            read_journal(big)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, peak  # the file is 16 MB
