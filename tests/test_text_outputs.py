"""Every `--output` of a text command goes through one writer (runs/files.deliver_text):
never onto one of the command's inputs, replaced atomically, or to standard output.

`tabletop brief SCENARIO --output SCENARIO` used to replace the facilitator's scenario with
its guide, and `history --csv --output` could land on the SQLite history it read.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import tabletop

ROOT = Path(__file__).resolve().parent.parent


def test_brief_refuses_to_write_onto_the_scenario_it_reads(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    shutil.copy(ROOT / "scenarios" / "bad-deploy.yaml", scenario)
    before = scenario.read_bytes()
    refused = tabletop("brief", str(scenario), "--output", str(scenario))
    assert refused.returncode == 2
    assert "is the scenario this command reads" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert scenario.read_bytes() == before
    rubric = tmp_path / "rubric.yaml"
    shutil.copy(ROOT / "scoring" / "rubric.yaml", rubric)
    onto_rubric = tabletop("brief", str(scenario), "--rubric", str(rubric),
                           "--output", str(rubric))
    assert onto_rubric.returncode == 2 and "is the rubric" in onto_rubric.stderr
    assert rubric.read_bytes() == (ROOT / "scoring" / "rubric.yaml").read_bytes()


def test_brief_writes_a_new_file_and_replaces_an_old_guide(tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("an older guide\n", encoding="utf-8")
    made = tabletop("brief", "bad-deploy", "--output", str(guide))
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"wrote {guide}"
    assert guide.read_text(encoding="utf-8").startswith("# Facilitator guide")
    assert [p.name for p in tmp_path.iterdir()] == ["guide.md"]  # no temporary file left
    printed = tabletop("brief", "bad-deploy")
    assert printed.stdout == guide.read_text(encoding="utf-8")


def test_history_output_never_lands_on_its_database(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite"
    played = tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--quiet",
                      "--journal", str(tmp_path / "run.jsonl"), "--db", str(db))
    assert played.returncode == 0, played.stderr
    before = db.read_bytes()
    refused = tabletop("history", "--db", str(db), "--csv", "--output", str(db))
    assert refused.returncode == 2 and "history database" in refused.stderr
    assert db.read_bytes() == before
    csv = tmp_path / "runs.csv"
    assert tabletop("history", "--db", str(db), "--csv", "--output", str(csv)).returncode == 0
    assert "bad-deploy" in csv.read_text(encoding="utf-8")


def test_schema_output_to_a_missing_folder_is_a_clean_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "schema.json"
    failed = tabletop("schema", "--output", str(missing))
    assert failed.returncode == 2 and "does not exist" in failed.stderr
    assert "Traceback" not in failed.stderr
    out = tmp_path / "schema.json"
    assert tabletop("schema", "--output", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == tabletop("schema").stdout
