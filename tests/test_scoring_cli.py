"""`tabletop score` and the reports `tabletop run` leaves next to the journal."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop


def test_run_writes_reports_next_to_the_journal(tmp_path: Path) -> None:
    """A bot run ends with the debrief and .score.md/.json/.html beside the journal."""
    journal = tmp_path / "runs" / "r.jsonl"
    done = tabletop("run", "bad-deploy", "--bot", "hero", "--seed", "4",
                    "--journal", str(journal))
    assert done.returncode == 1, done.stderr
    assert "Improvement plan" in done.stdout and "Score " in done.stdout
    for suffix in (".score.md", ".score.json", ".score.html"):
        assert (journal.parent / f"r{suffix}").is_file()
    quiet = tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "4", "--quiet",
                     "--journal", str(tmp_path / "q.jsonl"))
    assert "Improvement plan" not in quiet.stdout
    assert (tmp_path / "q.score.json").is_file()


def test_score_formats_and_output(tmp_path: Path) -> None:
    """Each format renders; --output writes the file instead of stdout."""
    journal = tmp_path / "e.jsonl"
    tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "2", "--quiet",
             "--journal", str(journal))
    data = json.loads(tabletop("score", str(journal), "--format", "json").stdout)
    assert data["score"] >= 90
    assert "## Scorecard" in tabletop("score", str(journal), "--format", "md").stdout
    assert "Score " in tabletop("score", str(journal)).stdout
    out = tmp_path / "r.html"
    done = tabletop("score", str(journal), "--format", "html", "--output", str(out))
    assert done.returncode == 0 and out.read_text().startswith("<!DOCTYPE html>")


def test_bad_rubric_exits_2_with_location(tmp_path: Path) -> None:
    """A facilitator's rubric with a typo is refused as path:line:col, exit status 2."""
    journal = tmp_path / "e.jsonl"
    tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "2", "--quiet",
             "--journal", str(journal))
    rubric = tmp_path / "mine.yaml"
    rubric.write_text("schema_version: 1\nextends: builtin\ncriteria:\n"
                      "  - {id: comms.cadence, weigth: 3}\n", encoding="utf-8")
    done = tabletop("score", str(journal), "--rubric", str(rubric))
    assert done.returncode == 2
    assert f"{rubric}:4:25: unknown key 'weigth' (did you mean 'weight'?)" in done.stderr
    good = tmp_path / "ok.yaml"
    good.write_text("schema_version: 1\nextends: builtin\ncriteria:\n"
                    "  - {id: comms.cadence, enabled: false}\n", encoding="utf-8")
    data = json.loads(tabletop("score", str(journal), "--rubric", str(good), "--format",
                               "json").stdout)
    assert "comms.cadence" not in {c["id"] for c in data["criteria"]}


def test_missing_or_foreign_journal_exits_2(tmp_path: Path) -> None:
    """Not a journal: a located message and exit 2, never a traceback."""
    bogus = tmp_path / "x.jsonl"
    bogus.write_text('{"type": "event"}\n', encoding="utf-8")
    done = tabletop("score", str(bogus))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert tabletop("score", str(tmp_path / "none.jsonl")).returncode == 2
