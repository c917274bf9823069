"""A responder whose time box runs out says how long is left, in words a person would use.

A trainee who gave Inés one minute for a two-minute check read "about 1 more minutes".
Played through the real CLI with a decisions file; the check-in is read from the journal.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop


def _checkins(tmp_path: Path, timebox: int) -> list[str]:
    steps = tmp_path / "steps.yaml"
    steps.write_text(
        "- {action: declare, severity: P1}\n"
        "- {action: delegate, responder: ines, investigation: unacked-messages, "
        f"timebox_minutes: {timebox}}}\n"
        "- {action: wait, minutes: 5}\n", encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "poison-message", "--decisions", str(steps), "--seed", "1",
                    "--journal", str(journal), "--quiet", "--no-history", timeout=120)
    assert journal.exists(), done.stderr  # the script stops early (exit 2); enough here
    records = [json.loads(x) for x in journal.read_text(encoding="utf-8").splitlines()]
    return [r["text"] for r in records if r.get("kind") == "investigation_checkin"]


def test_one_minute_left_is_singular(tmp_path: Path) -> None:
    said = _checkins(tmp_path, 1)
    assert said and said[0].endswith("not conclusive yet, about 1 more minute."), said
