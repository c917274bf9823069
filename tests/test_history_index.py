"""`tabletop history` finds every run the CLI started, wherever its journal was written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import tabletop


def history() -> list[dict[str, object]]:
    result = tabletop("history", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


def test_history_lists_runs_written_anywhere(tmp_path: Path) -> None:
    """A run with --journal in any folder, one in the default place, and a branch."""
    elsewhere = tmp_path / "drills" / "monday.jsonl"
    elsewhere.parent.mkdir()
    assert tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "2", "--journal",
                    str(elsewhere), "--quiet").returncode == 0
    default = tabletop("run", "redis-saturation", "--bot", "hero", "--seed", "2", "--quiet")
    assert default.returncode in (0, 1), default.stderr
    data = Path(os.environ["TABLETOP_DATA_DIR"])
    assert str(data / "runs") in default.stdout  # the default journal went to the data dir
    branched = tabletop("branch", str(elsewhere), "--at", "2", "--bot", "hero")
    assert branched.returncode in (0, 1), branched.stderr
    rows = history()
    names = sorted(Path(str(r["journal"])).name for r in rows)
    assert len(rows) == 3, names
    assert "monday.jsonl" in names and "monday.branch2-hero.jsonl" in names
    by_name = {Path(str(r["journal"])).name: r for r in rows}
    assert by_name["monday.jsonl"]["scenario"] == "bad-deploy"
    assert by_name["monday.jsonl"]["status"] == "resolved"
    index = (data / "runs-index.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(index) == 3 and json.loads(index[0])["journal"] == str(elsewhere.resolve())


def test_a_broken_index_or_a_deleted_journal_is_not_fatal(tmp_path: Path) -> None:
    """Unreadable index lines are skipped; a journal deleted since is counted, not listed."""
    kept, lost = tmp_path / "kept.jsonl", tmp_path / "lost.jsonl"
    for path in (kept, lost):
        assert tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--journal",
                        str(path), "--quiet").returncode == 0
    lost.unlink()
    index = Path(os.environ["TABLETOP_DATA_DIR"]) / "runs-index.jsonl"
    with index.open("a", encoding="utf-8") as out:
        out.write('not json\n{"journal": 3}\n["a list"]\n{"journal": "half-writ')
    result = subprocess.run([sys.executable, "-m", "simulator", "history"], text=True,
                            capture_output=True, env={**os.environ, "COLUMNS": "300"}, timeout=60)
    assert result.returncode == 0, result.stderr
    listed, _ = result.stdout.split("no longer")
    assert "kept.jsonl" in listed and "lost.jsonl" not in listed
    assert "1 indexed journal(s) no longer exist" in result.stdout
    assert [Path(str(r["journal"])).name for r in history()] == ["kept.jsonl"]


def test_no_runs_yet_is_a_clear_message() -> None:
    result = tabletop("history")
    assert result.returncode == 2
    assert "no runs yet" in result.stderr and "Traceback" not in result.stderr


def test_an_unwritable_data_dir_does_not_stop_the_drill(tmp_path: Path) -> None:
    """The index is a convenience: a drill runs even when it cannot be recorded."""
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    env = {**os.environ, "TABLETOP_DATA_DIR": str(blocker / "data")}
    result = subprocess.run([sys.executable, "-m", "simulator", "run", "bad-deploy", "--bot",
                             "expert", "--seed", "1", "--journal", str(tmp_path / "r.jsonl"),
                             "--quiet"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "could not record this run" in result.stderr
