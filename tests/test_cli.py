"""The real `tabletop` command, run as a subprocess with no terminal (as in CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.format.loader import builtin_dir, builtin_ids
from simulator.ui.names import source_name


def test_version_and_help() -> None:
    """--version prints the version; every command has --help."""
    assert tabletop("--version").stdout.startswith("tabletop ")
    for command in ("list", "show", "run", "validate", "schema"):
        result = tabletop(command, "--help")
        assert result.returncode == 0 and "usage: tabletop" in result.stdout


def test_no_command_is_bad_input() -> None:
    """Bare `tabletop` prints help and exits 2."""
    result = tabletop()
    assert result.returncode == 2 and "COMMAND" in result.stdout


def test_list_table_and_json(tmp_path: Path) -> None:
    """`list` works from any directory; --json gives id, title and difficulty."""
    table = tabletop("list", cwd=tmp_path)
    assert table.returncode == 0
    for scenario_id in builtin_ids():
        assert scenario_id in table.stdout
    rows = json.loads(tabletop("list", "--json", cwd=tmp_path).stdout)
    assert {r["id"] for r in rows} == set(builtin_ids())
    assert all({"id", "title", "difficulty", "minutes"} <= set(r) for r in rows)


def test_show_gives_a_briefing_without_spoilers() -> None:
    """The briefing names the team and objectives but not the root cause or fixes."""
    out = tabletop("show", "failed-batch-job").stdout
    assert "Ana Souza" in out and "What you will practise" in out
    for spoiler in ("malformed", "quarantine", "02:00"):
        assert spoiler not in out
    assert "MSEL" in tabletop("show", "failed-batch-job", "--msel").stdout


def test_list_and_show_name_the_postmortem_a_scenario_comes_from() -> None:
    """list has a `from` column (the publisher); show names it and --msel cites it whole."""
    listed = subprocess.run([sys.executable, "-m", "simulator", "list"], capture_output=True,
                            text=True, env={**os.environ, "COLUMNS": "80"}, timeout=60).stdout
    row = next(line for line in listed.splitlines() if line.startswith("retry-storm "))
    assert row.rstrip().endswith(" AWS") and max(len(x) for x in listed.splitlines()) <= 80
    redis = next(line for line in listed.splitlines() if line.startswith("redis-saturation"))
    assert redis.rstrip().endswith(" -")  # no source: a dash, never a guess
    rows = json.loads(tabletop("list", "--json").stdout)
    assert next(r for r in rows if r["id"] == "retry-storm")["source"].startswith("AWS, ")
    shown = tabletop("show", "retry-storm").stdout
    assert "Source: a public postmortem (AWS)" in shown
    assert "US-EAST-1" not in shown  # the reference tells the ending: facilitators only
    assert "US-EAST-1" in tabletop("show", "retry-storm", "--msel").stdout
    assert "Source:" not in tabletop("show", "redis-saturation").stdout


def test_a_source_with_markup_is_shown_as_written(tmp_path: Path) -> None:
    """`source:` is untrusted text: list-style markup and links in it print literally."""
    text = (builtin_dir() / "retry-storm.yaml").read_text(encoding="utf-8")
    start = text.index("source: >")
    end = text.index("difficulty:", start)
    path = tmp_path / "marked.yaml"
    path.write_text(text[:start] + 'source: "[bold]Acme[/] [link=https://x.invalid]post[/link]"\n'
                    + text[end:], encoding="utf-8")
    shown = tabletop("show", str(path), "--msel")
    assert shown.returncode == 0, shown.stderr
    assert "Source: [bold]Acme[/] [link=https://x.invalid]post[/link]" in shown.stdout
    name = source_name("[bold]Acme[/] [link=https://x.invalid]post[/link]")
    assert name.startswith("[bold]Acme")
    assert f"Source: a public postmortem ({name})" in tabletop("show", str(path)).stdout


def test_validate_ok_and_broken(tmp_path: Path) -> None:
    """validate: 0 when all files are valid, 2 with path:line:col when one is not."""
    ok = tabletop("validate", *[str(builtin_dir() / f"{i}.yaml") for i in builtin_ids()])
    assert ok.returncode == 0, ok.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text((builtin_dir() / "bad-deploy.yaml").read_text().replace(
        "baseline: 310", "baseline: fast"), encoding="utf-8")
    bad = tabletop("validate", str(broken), "bad-deploy")
    assert bad.returncode == 2
    assert f"{broken}:" in bad.stderr and "Traceback" not in bad.stderr
    assert "1 of 2 file(s) invalid" in bad.stderr


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02", b"caf\xe9: 1\n", b"a: [\n",
                                     b"- just\n- a list\n"])
def test_validate_never_shows_a_traceback(tmp_path: Path, content: bytes) -> None:
    """Empty, binary, non-UTF-8, broken and wrong-shape files: exit 2, located message."""
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    result = tabletop("validate", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{path}:") and "Traceback" not in result.stderr


def test_validate_missing_file() -> None:
    """A path that does not exist is bad input, not a crash."""
    result = tabletop("validate", "no/such/file.yaml")
    assert result.returncode == 2 and "file not found" in result.stderr


def test_schema_is_generated_json_schema(tmp_path: Path) -> None:
    """`schema` prints the JSON Schema generated from the model."""
    schema = json.loads(tabletop("schema").stdout)
    assert schema["properties"]["schema_version"]["const"] == 1
    assert "investigations" in schema["required"]
    out = tmp_path / "s.json"
    assert tabletop("schema", "--output", str(out)).returncode == 0
    assert json.loads(out.read_text()) == schema


def test_bot_runs_need_no_terminal(tmp_path: Path) -> None:
    """--bot expert resolves with stdin closed; the journal lands where asked."""
    journal = tmp_path / "run.jsonl"
    result = tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "7",
                      "--journal", str(journal), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "outcome: resolved" in result.stdout and str(journal) in result.stdout
    assert json.loads(journal.read_text().splitlines()[-1])["type"] == "end"


def test_hero_run_fails_its_goal(tmp_path: Path) -> None:
    """The hero's premature resolve reopens and he never recovers: exit 1, damage printed."""
    result = tabletop("run", "bad-deploy", "--bot", "hero", "--seed", "7", "--journal",
                      str(tmp_path / "h.jsonl"))
    assert result.returncode == 1
    assert "outcome: timeout" in result.stdout and "(after 1 reopen)" in result.stdout
    assert "evidence lost: app-logs" in result.stdout


def test_interactive_run_without_terminal_is_refused(tmp_path: Path) -> None:
    """No terminal on stdin: exit 2 at once, pointing at --decisions and --bot."""
    result = tabletop("run", "redis-saturation", "--journal", str(tmp_path / "j.jsonl"),
                      timeout=20)
    assert result.returncode == 2
    assert "--decisions" in result.stderr and "--bot" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_scenario_is_bad_input() -> None:
    """A wrong scenario name exits 2 with the list of ids."""
    result = tabletop("run", "redis", "--bot", "expert")
    assert result.returncode == 2 and "redis-saturation" in result.stderr


def test_new_scenario_starts_valid(tmp_path: Path) -> None:
    """`new` copies a built-in under a new id; the copy validates; no overwrite."""
    made = tabletop("new", "my-drill", "--from", "bad-deploy", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "my-drill.yaml"
    assert "id: my-drill" in path.read_text()
    assert json.loads((tmp_path / "scenario.schema.json").read_text())["title"]
    assert tabletop("validate", str(path)).returncode == 0
    again = tabletop("new", "my-drill", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert tabletop("new", "Bad Id", cwd=tmp_path).returncode == 2


def test_committed_json_schema_is_the_generated_one() -> None:
    """docs/scenario.schema.json is generated, never hand-edited: it must match."""
    committed = json.loads((Path(__file__).parent.parent / "docs" / "scenario.schema.json")
                           .read_text(encoding="utf-8"))
    assert committed == json.loads(tabletop("schema").stdout), (
        "regenerate with: tabletop schema --output docs/scenario.schema.json")


def test_history_lists_runs_with_scores(tmp_path: Path) -> None:
    """history scores every journal in a folder; a broken one is listed, not fatal."""
    for bot in ("expert", "hero"):
        assert tabletop("run", "redis-saturation", "--bot", bot, "--seed", "3", "--journal",
                        str(tmp_path / f"redis-saturation-{bot}.jsonl"), "--quiet"
                        ).returncode in (0, 1)
    (tmp_path / "broken.jsonl").write_text("not json\n")
    result = tabletop("history", "--dir", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    rows = {Path(r["journal"]).name: r for r in json.loads(result.stdout)}
    assert rows["redis-saturation-expert.jsonl"]["score"] >= 90
    assert rows["redis-saturation-hero.jsonl"]["score"] <= 60
    assert rows["broken.jsonl"]["status"] == "unreadable"
    assert tabletop("history", "--dir", str(tmp_path / "none")).returncode == 2
