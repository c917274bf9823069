"""The hostile corpus (tests/hostile): files a stranger could send, each with its documented
outcome in tests/hostile/outcomes.yaml, run through the real CLI. Nothing may hang, print a
traceback or send a control character to the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import tabletop

HOSTILE = Path(__file__).parent / "hostile"
GOLDEN = Path(__file__).parent / "golden" / "bad-deploy.hero.jsonl"
CASES: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "outcomes.yaml").read_text())


def test_every_corpus_file_has_a_documented_outcome() -> None:
    """No file in the corpus is left without an outcome, and no outcome names a lost file."""
    files = {p.name for p in HOSTILE.iterdir() if p.suffix == ".yaml"} - {"outcomes.yaml"}
    assert files == {case["file"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['command'][0]}" for c in CASES])
def test_hostile_file_has_its_documented_outcome(case: dict[str, Any], tmp_path: Path) -> None:
    values = {"file": case["file"], "journal": str(tmp_path / "run.jsonl"),
              "golden": str(GOLDEN)}
    args = [part.format(**values) if part.startswith("{") else part
            for part in case["command"]]
    result = tabletop(*args, cwd=HOSTILE, timeout=60)
    output = result.stderr if case["exit"] == 2 else result.stdout
    assert result.returncode == case["exit"], result.stderr[-2000:]
    assert case["says"] in output, output[-2000:]
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout + result.stderr  # nothing reaches the terminal raw
