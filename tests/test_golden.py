"""Golden transcripts: scenario + seed + bot -> this exact journal and this exact report.

When a change of behaviour is intended, regenerate with `python tests/golden_runs.py`
and review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_runs import BOTS, golden_paths, render

from simulator.format.loader import builtin_ids

HINT = "behaviour changed: if intended, run `python tests/golden_runs.py` and review the diff"


@pytest.mark.parametrize("bot", BOTS)
@pytest.mark.parametrize("scenario_id", builtin_ids())
def test_golden_transcript(tmp_path: Path, scenario_id: str, bot: str) -> None:
    """The journal and the Markdown report match the reviewed golden files byte for byte."""
    journal, report = golden_paths(scenario_id, bot)
    if not journal.exists():
        pytest.fail(f"no golden transcript for {scenario_id}/{bot}: {HINT}")
    fresh = tmp_path / "run.jsonl"
    markdown = render(scenario_id, bot, fresh)
    assert fresh.read_text(encoding="utf-8") == journal.read_text(encoding="utf-8"), HINT
    assert markdown == report.read_text(encoding="utf-8"), HINT
