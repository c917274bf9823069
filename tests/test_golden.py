"""Golden transcripts: scenario + seed + bot -> this exact journal and this exact report.

When a change of behaviour is intended, regenerate with `python tests/golden/update.py`
and review the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))
from update import BOTS, golden_paths, render  # noqa: E402

from simulator.loader import builtin_ids  # noqa: E402

HINT = "behaviour changed: if intended, run `python tests/golden/update.py` and review the diff"


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
