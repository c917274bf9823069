"""Owning the alert: a declaration or taking command says someone has it.

A trainee who declares "P2, I am the incident commander" in the first minute, without the
separate "acknowledge", used to lose command.declare-early to S ("the alert was never
acknowledged") and see the coach ask for an acknowledgement after the declaration. An
experienced IC would not mark that down: the process wants others to know someone has the
alert, and a declaration naming the IC says exactly that.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REST: list[dict[str, Any]] = [
    {"action": "open_channel"}, {"action": "freeze_changes"},
    {"action": "delegate", "responder": "priya", "investigation": "deploy-history"},
    {"action": "wait", "minutes": 5},
]


def _declare_early(tmp_path: Path, opening: list[dict[str, Any]]) -> dict[str, Any]:
    script = tmp_path / "play.yaml"
    script.write_text(yaml.safe_dump([*opening, *REST]), encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    subprocess.run([sys.executable, "-m", "simulator", "run", "redis-saturation",
                    "--decisions", str(script), "--seed", "3", "--journal", str(journal),
                    "--coach", "off", "--quiet", "--no-history"], capture_output=True,
                   text=True, stdin=subprocess.DEVNULL, timeout=120, check=False)
    # the decisions stop before the end (exit 2, journal kept): score what was played
    scored = subprocess.run([sys.executable, "-m", "simulator", "score", str(journal),
                             "--format", "json"], capture_output=True, text=True, timeout=120,
                            check=True)
    report = json.loads(scored.stdout)
    return dict(next(c for c in report["criteria"] if c["id"] == "command.declare-early"))


@pytest.mark.parametrize("opening", [
    [{"action": "acknowledge"}, {"action": "declare", "severity": "P2"}],
    [{"action": "declare", "severity": "P2"}],
    [{"action": "take_command"}, {"action": "declare", "severity": "P2"}],
], ids=["ack-then-declare", "declare-at-once", "take-command-then-declare"])
def test_a_prompt_declaration_owns_the_alert(tmp_path: Path,
                                             opening: list[dict[str, Any]]) -> None:
    assert _declare_early(tmp_path, opening)["rating"] == "P"


def test_a_late_declaration_with_no_acknowledgement_is_still_marked_down(
        tmp_path: Path) -> None:
    """Declaring at T+7 with nothing before it: late (M by the thresholds), and nobody
    owned the alert for seven minutes, so the acknowledgement still costs a step."""
    late = _declare_early(tmp_path, [{"action": "declare", "severity": "P2", "at_minutes": 7}])
    assert late["rating"] == "U"
