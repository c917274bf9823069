"""Journals are self-contained: they carry the scenario they were played with."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop

from simulator.loader import builtin_dir


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
