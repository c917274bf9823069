"""No silent overwrites, no races, and output errors that name the path (exit 2).

Journals are created exclusively and locked while written; outputs never land on an input;
reports replace the old file in one rename; a default journal name is never reused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.errors import InputError, OutputError
from simulator.format.loader import builtin_dir
from simulator.runs.files import write_atomic
from simulator.runs.journal import JournalWriter, LockedJournal

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_bytes((builtin_dir() / "bad-deploy.yaml").read_bytes())
    return path


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return tabletop("run", *args, "--quiet", cwd=cwd)


def test_the_journal_is_never_the_scenario_being_played(scenario: Path) -> None:
    before = scenario.read_bytes()
    for extra in ([], ["--force"]):
        result = run(str(scenario), "--bot", "expert", "--journal", str(scenario), *extra)
        assert result.returncode == 2 and "is the scenario this command reads" in result.stderr
        assert scenario.read_bytes() == before


def test_the_journal_is_never_the_decisions_file(scenario: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "d.yaml"
    decisions.write_text("- action: acknowledge\n", encoding="utf-8")
    result = run(str(scenario), "--decisions", str(decisions), "--journal", str(decisions),
                 "--force")
    assert result.returncode == 2 and "decisions file" in result.stderr
    assert decisions.read_text(encoding="utf-8") == "- action: acknowledge\n"


def test_an_existing_journal_is_kept_unless_forced(scenario: Path, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    assert run(str(scenario), "--bot", "expert", "--journal", str(journal)).returncode == 0
    before = journal.read_bytes()
    again = run(str(scenario), "--bot", "hero", "--journal", str(journal))
    assert again.returncode == 2 and "already exists" in again.stderr and "--force" in again.stderr
    assert journal.read_bytes() == before
    forced = run(str(scenario), "--bot", "hero", "--journal", str(journal), "--force")
    assert forced.returncode in (0, 1) and journal.read_bytes() != before


def test_score_output_never_lands_on_an_input(scenario: Path, tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    run(str(scenario), "--bot", "expert", "--journal", str(journal))
    rubric = tmp_path / "r.yaml"
    rubric.write_text("schema_version: 1\nextends: builtin\n", encoding="utf-8")
    before = journal.read_bytes()
    for target in (journal, rubric):
        result = tabletop("score", str(journal), "--rubric", str(rubric), "--format", "md",
                          "--output", str(target))
        assert result.returncode == 2 and "would destroy it" in result.stderr
    assert journal.read_bytes() == before
    assert rubric.read_text(encoding="utf-8") == "schema_version: 1\nextends: builtin\n"


def test_two_runs_in_the_same_second_get_two_journals(tmp_path: Path) -> None:
    """Same scenario and seed, started together: neither journal is lost."""
    env = {**os.environ, "TABLETOP_DATA_DIR": str(tmp_path / "data")}
    cmd = [sys.executable, "-m", "simulator", "run", "bad-deploy", "--bot", "expert",
           "--seed", "3", "--quiet"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=90) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    journals = sorted((tmp_path / "data" / "runs").glob("*.jsonl"))
    assert len(journals) == 2, journals
    assert journals[0].read_bytes() == journals[1].read_bytes()  # same run, two files


def test_a_taken_default_name_gets_a_suffix(tmp_path: Path) -> None:
    first = JournalWriter(tmp_path / "run.jsonl", unique=True)
    second = JournalWriter(tmp_path / "run.jsonl", unique=True)
    assert (first.path, second.path) == (tmp_path / "run.jsonl", tmp_path / "run-2.jsonl")
    first.close()
    second.close()


def test_a_journal_being_written_is_locked(scenario: Path, tmp_path: Path) -> None:
    """A second process (or a resume) cannot write a journal a drill is writing."""
    journal = tmp_path / "j.jsonl"
    writer = JournalWriter(journal)
    writer.write({"type": "header"})
    try:
        result = run(str(scenario), "--bot", "expert", "--journal", str(journal), "--force")
        assert result.returncode == 2 and "another tabletop process" in result.stderr
        with pytest.raises(InputError, match="another tabletop process"):
            LockedJournal(journal)
        assert journal.read_text(encoding="utf-8") == '{"type":"header"}\n'
    finally:
        writer.close()
    LockedJournal(journal).close()  # free again once the writer is done


def test_export_decisions_to_a_bad_path_fails_before_the_drill(scenario: Path,
                                                               tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    for bad, what in ((tmp_path / "missing" / "d.yaml", "does not exist"),
                      (tmp_path, "is a directory"), (scenario, "is the scenario")):
        result = run(str(scenario), "--bot", "expert", "--journal", str(journal),
                     "--export-decisions", str(bad))
        assert result.returncode == 2 and what in result.stderr and str(bad) in result.stderr
        assert not journal.exists()  # nothing was played


@pytest.mark.parametrize("where", ["directory", "missing", "full"])
def test_report_output_errors_name_the_path(tmp_path: Path, where: str) -> None:
    journal = tmp_path / "j.jsonl"
    run("bad-deploy", "--bot", "expert", "--journal", str(journal))
    target = {"directory": tmp_path, "missing": tmp_path / "no" / "r.md",
              "full": Path("/dev/full")}[where]
    result = tabletop("score", str(journal), "--format", "md", "--output", str(target))
    assert result.returncode == 2 and str(target) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_closed_or_full_stdout_is_exit_2(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    run("bad-deploy", "--bot", "expert", "--journal", str(journal))
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "simulator", "score", str(journal),
                                 "--format", "json"], stdout=full, stderr=subprocess.PIPE,
                                text=True, timeout=60)
    assert result.returncode == 2
    assert "cannot write standard output: No space left on device" in result.stderr
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "score", str(journal)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader went away (`| head` that exited)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 2, err
    assert err.strip() == "tabletop: cannot write standard output: Broken pipe"


def test_reports_are_replaced_in_one_rename(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing leaves the old report whole and no temporary file."""
    report = tmp_path / "r.md"
    write_atomic(report, "old\n")
    assert report.read_text(encoding="utf-8") == "old\n"

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OutputError, match=str(report)):
        write_atomic(report, "new\n")
    assert report.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_run_writes_its_reports_next_to_the_journal_without_leftovers(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    assert run("bad-deploy", "--bot", "expert", "--journal", str(journal)).returncode == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["j.jsonl", "j.score.html", "j.score.json", "j.score.md"]
    assert json.loads((tmp_path / "j.score.json").read_text())["verified"]["ok"] is True
