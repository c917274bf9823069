"""The history database on SQLite and PostgreSQL: recording, migrations, progress, locks.

PostgreSQL tests need a server: TABLETOP_TEST_PG_URL (a postgresql+psycopg:// URL of a
database the tests may create databases next to). .ci/run starts a throwaway one; without
the variable these tests skip, except under CI=true, where a missing server is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import tabletop

ROOT = Path(__file__).resolve().parent.parent
TEAM = "ic=ana,comms=ben,ops=chen"


def _pg_url() -> str:
    url = os.environ.get("TABLETOP_TEST_PG_URL", "").strip()
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but TABLETOP_TEST_PG_URL is not set: .ci/run must start "
                    "PostgreSQL for the history tests")
    pytest.skip("TABLETOP_TEST_PG_URL is not set (no PostgreSQL server to test against; "
                ".ci/run starts one)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty history database of each kind."""
    if request.param == "sqlite":
        yield str(tmp_path / "shared" / "history.sqlite3")
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(_pg_url())
    name = "tabletop_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _run(tmp: Path, name: str, db: str, *extra: str, scenario: str = "redis-saturation",
         bot: str = "expert", seed: int = 1) -> Path:
    journal = tmp / f"{name}.jsonl"
    done = tabletop("run", scenario, "--bot", bot, "--seed", str(seed), "--journal",
                    str(journal), "--quiet", "--db", db, *extra)
    assert done.returncode in (0, 1), done.stderr
    assert "warning" not in done.stderr, done.stderr
    return journal


def _rows(db: str, *extra: str) -> list[dict]:
    done = tabletop("history", "--db", db, "--json", *extra)
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    return rows


def test_runs_anywhere_are_recorded_with_team_people_and_criteria(db: str, tmp_path: Path
                                                                  ) -> None:
    elsewhere = tmp_path / "drills"
    elsewhere.mkdir()
    _run(elsewhere, "hero", db, "--team", TEAM, bot="hero")
    _run(elsewhere, "expert", db, "--team", TEAM)
    _run(tmp_path, "solo", db, scenario="bad-deploy")
    branched = tabletop("branch", str(elsewhere / "hero.jsonl"), "--at", "2", "--bot",
                        "expert", "--db", db)
    assert branched.returncode in (0, 1), branched.stderr
    rows = _rows(db)
    assert [Path(r["journal"]).name for r in rows] == [
        "hero.jsonl", "expert.jsonl", "solo.jsonl", "hero.branch2-expert.jsonl"]
    assert rows[0]["score"] < rows[1]["score"] == 100
    assert len(rows[0]["criteria"]) == 22  # command.handover (N/A without a handover) too
    ben = _rows(db, "--person", "ben")
    assert [r["role"] for r in ben] == ["comms", "comms", "comms"]  # the branch keeps the team
    assert set(ben[0]["criteria"]) == {"comms.first-update", "comms.cadence",
                                       "comms.update-content", "comms.audience"}
    assert ben[0]["score"] < ben[1]["score"]
    assert _rows(db, "--scenario", "bad-deploy")[0]["player"] == "expert"
    nobody = tabletop("history", "--db", db, "--person", "zoe")
    assert nobody.returncode == 2 and "no runs yet for zoe" in nobody.stderr


def test_progress_text_csv_and_html(db: str, tmp_path: Path) -> None:
    for seed, bot in ((1, "hero"), (2, "silent"), (3, "expert")):
        _run(tmp_path, f"r{seed}", db, "--team", TEAM, bot=bot, seed=seed)
    text = subprocess.run([sys.executable, "-m", "simulator", "history", "--db", db,
                           "--person", "ana"], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "160"})
    assert text.returncode == 0, text.stderr
    assert "Per criterion: which principles keep slipping" in text.stdout
    assert "redis-saturation" in text.stdout and "█" in text.stdout
    assert "comms.cadence" not in text.stdout  # ana is the IC: graded on the IC's criteria
    csv = tabletop("history", "--db", db, "--csv").stdout.splitlines()
    assert csv[0].startswith("recorded_at,scenario,seed,player,status,score,journal,")
    assert len(csv) == 4 and "comms.cadence" in csv[0]
    page = tmp_path / "progress.html"
    done = tabletop("history", "--db", db, "--html", "--output", str(page))
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "<polyline" in html and "which principles keep slipping" in html
    assert "http://" not in html and "https://" not in html  # self-contained


def test_the_same_journal_is_recorded_once_and_no_history_records_nothing(
        db: str, tmp_path: Path) -> None:
    from simulator.commands.historydb import open_history, verified_card
    from simulator.runs.journal import read_journal

    journal = _run(tmp_path, "once", db)
    _run(tmp_path, "skipped", db, "--no-history")
    history = open_history(db)
    try:
        assert not history.record(journal, verified_card(read_journal(journal)))
    finally:
        history.close()
    assert [Path(r["journal"]).name for r in _rows(db)] == ["once.jsonl"]


def test_a_paused_run_is_one_row_replaced_by_its_final_record(db: str, tmp_path: Path
                                                               ) -> None:
    """Paused twice, then finished: one row all along, "paused" until the end replaces it
    (with its people and criteria); another journal's row is left alone."""
    from simulator.commands.historydb import open_history, verified_card
    from simulator.runs.journal import read_journal

    whole = _run(tmp_path, "whole", db, "--team", TEAM, "--no-history")
    other = _run(tmp_path, "other", db, "--team", TEAM, seed=2)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    journal = tmp_path / "run.jsonl"
    history = open_history(db)
    try:
        for cut in (len(lines) // 3, len(lines) // 2):  # two pauses, later and later
            journal.write_text("".join(lines[:cut]), encoding="utf-8")
            assert history.record(journal, verified_card(read_journal(journal)),
                                  paused=True)
            rows = history.runs()
            assert [r["status"] for r in rows] == ["resolved", "paused"]
            assert len(history.runs(person="ana")) == 2
        journal.write_text("".join(lines), encoding="utf-8")
        assert history.record(journal, verified_card(read_journal(journal)))
        rows = history.runs()
        ana = history.runs(person="ana")
    finally:
        history.close()
    assert [(Path(r["journal"]).name, r["status"]) for r in rows] == [
        ("other.jsonl", "resolved"), ("run.jsonl", "resolved")]
    assert len(ana) == 2 and len(rows[1]["criteria"]) == len(rows[0]["criteria"])
    assert other.exists()


def test_migrations_run_once_and_a_newer_schema_is_refused(db: str) -> None:
    from sqlalchemy import text

    from simulator.commands.historydb import MIGRATIONS, open_history

    first = open_history(db)
    first.close()
    again = open_history(db)  # nothing left to migrate
    with again.engine.begin() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).all() == [
            (len(MIGRATIONS),)]
        conn.execute(text("UPDATE schema_version SET version = 99"))
    again.close()
    done = tabletop("history", "--db", db)
    assert done.returncode == 2
    assert "schema version 99, newer than this tool knows" in done.stderr


WRITER = """
import sys
from pathlib import Path
from simulator.commands.historydb import open_history, verified_card
from simulator.runs.journal import read_journal

db, source, out, tag = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
card = verified_card(read_journal(source))
history = open_history(db)  # both processes open a new database: the migrations race too
for i in range(12):
    copy = out / f"{tag}-{i}.jsonl"
    extra = i + 1 + (100 if tag == "b" else 0)
    copy.write_bytes(source.read_bytes() + b"\\n" * extra)  # another journal, same run
    assert history.record(copy, card)
history.close()
"""


def test_two_processes_write_at_once(db: str, tmp_path: Path) -> None:
    source = tmp_path / "source.jsonl"
    done = tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "5", "--journal",
                    str(source), "--quiet", "--no-history", "--team", TEAM)
    assert done.returncode == 0, done.stderr
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, db, str(source), str(tmp_path),
                               tag], env=env, stderr=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    rows = _rows(db)
    assert len(rows) == 24
    assert sorted(Path(r["journal"]).stem for r in rows) == sorted(
        f"{t}-{i}" for t in "ab" for i in range(12))
    assert len(_rows(db, "--person", "chen")) == 24


def test_the_old_index_of_runs_is_imported_on_first_use(tmp_path: Path) -> None:
    kept, lost, unfinished, edited = (tmp_path / n for n in (
        "kept.jsonl", "lost.jsonl", "unfinished.jsonl", "edited.jsonl"))
    for path in (kept, lost, edited):
        assert tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--journal",
                        str(path), "--quiet", "--no-history").returncode == 0
    unfinished.write_text(kept.read_text(encoding="utf-8").split('{"type":"end"')[0],
                          encoding="utf-8")
    lost.unlink()
    forged = edited.read_text(encoding="utf-8").replace('"status":"resolved"',
                                                        '"status":"failed"')
    assert forged != edited.read_text(encoding="utf-8")
    edited.write_text(forged, encoding="utf-8")  # reads fine, does not re-simulate
    index = Path(os.environ["TABLETOP_DATA_DIR"]) / "runs-index.jsonl"
    lines = [json.dumps({"journal": str(p)}) for p in (kept, lost, unfinished, edited)]
    index.write_text("\n".join([*lines, "not json", '{"journal": 3}',
                                '{"journal": "half-writ']), encoding="utf-8")
    rows = json.loads(tabletop("history", "--json").stdout)  # the default database
    assert [Path(r["journal"]).name for r in rows] == ["kept.jsonl"]
    assert (Path(os.environ["TABLETOP_DATA_DIR"]) / "history.sqlite3").is_file()


def test_only_a_verified_run_enters_the_database(db: str, tmp_path: Path) -> None:
    """A scorecard graded without re-simulating its journal is refused; an edited
    journal is refused by the verification, with the line that differs."""
    from scoring import grade
    from simulator.commands.historydb import open_history, verified_card
    from simulator.errors import InputError
    from simulator.runs.journal import read_journal

    journal = _run(tmp_path, "run", db, "--no-history")
    history = open_history(db)
    try:
        with pytest.raises(InputError, match="only a verified run"):
            history.record(journal, grade(read_journal(journal), compare=False))
        text = journal.read_text(encoding="utf-8")
        journal.write_text(text.replace('"status":"resolved"', '"status":"failed"'),
                           encoding="utf-8")
        with pytest.raises(InputError, match=r"run\.jsonl:\d+"):
            verified_card(read_journal(journal))
        assert history.runs() == []
    finally:
        history.close()


def test_no_runs_yet_is_a_clear_message() -> None:
    result = tabletop("history")
    assert result.returncode == 2
    assert "no runs yet" in result.stderr and "Traceback" not in result.stderr


def test_an_unusable_database_does_not_stop_the_drill(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    result = tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--journal",
                      str(tmp_path / "r.jsonl"), "--quiet", "--db",
                      str(blocker / "history.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert "could not record this run" in result.stderr and "Traceback" not in result.stderr
    bad = tabletop("history", "--db", "mysql://nobody/nothing")
    assert bad.returncode == 2 and "not a database URL this tool can open" in bad.stderr


def test_tabletop_db_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("TABLETOP_DB", str(tmp_path / "env.sqlite3"))
    _run(tmp_path, "env", str(tmp_path / "env.sqlite3"))
    monkeypatch.setenv("TABLETOP_DB", str(tmp_path / "env.sqlite3"))
    done = tabletop("history", "--json")
    assert [Path(r["journal"]).name for r in json.loads(done.stdout)] == ["env.jsonl"]
