"""The handover criterion (command.handover): occasional, content judged against the truth.

Played through the real CLI on redis-saturation: the expert-like opening, a rollback, and a
handover while it runs. A handover that leaves out the running rollback loses that part
even when it says plenty else; a run with no handover is not judged on it and its score is
the same as on the rubric without the criterion.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

OPENING: list[dict[str, Any]] = [
    {"action": "acknowledge"}, {"action": "declare", "severity": "P2"},
    {"action": "open_channel"}, {"action": "freeze_changes"},
    {"action": "post_update", "audience": "all", "impact": "About 8% of checkouts fail.",
     "doing": "Investigating.", "next_update_minutes": 10},
    {"action": "delegate", "responder": "priya", "investigation": "deploy-history"},
    {"action": "delegate", "responder": "bob", "investigation": "checkout-dashboard"},
    {"action": "rollback", "at_minutes": 9, "service": "payment-service", "by": "dave",
     "announcement": "Dave rolls payment-service back to v2.4.0."},
]

CLOSING: list[dict[str, Any]] = [
    {"action": "note", "at_minutes": 19, "text": "rollback landed; checkout errors under 1%."},
    {"action": "declare_resolved", "at_minutes": 26,
     "message": "Checkout works again since 14:21.", "root_cause": "v2.4.1 leaked connections",
     "fix": "rolled back to v2.4.0", "customer_impact": "about 1,900 failed checkouts",
     "follow_up": "postmortem tomorrow"},
    {"action": "finish"},
]


def _score(tmp_path: Path, steps: list[dict[str, Any]], *extra: str) -> dict[str, Any]:
    n = len(list(tmp_path.glob("play*.yaml")))  # a journal is never overwritten: one per play
    script = tmp_path / f"play{n}.yaml"
    script.write_text(yaml.safe_dump([*steps, *CLOSING]), encoding="utf-8")
    journal = tmp_path / f"run{n}.jsonl"
    subprocess.run([sys.executable, "-m", "simulator", "run", "redis-saturation",
                    "--decisions", str(script), "--seed", "3", "--journal", str(journal),
                    "--coach", "off", "--quiet"], capture_output=True, text=True,
                   stdin=subprocess.DEVNULL, timeout=120, check=False)
    if extra:
        out = subprocess.run([sys.executable, "-m", "simulator", "score", str(journal),
                              "--format", "json", *extra], capture_output=True, text=True,
                             timeout=120, check=True)
        return dict(json.loads(out.stdout))
    return dict(json.loads(journal.with_suffix(".score.json").read_text(encoding="utf-8")))


def _handover(report: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in report["criteria"] if c["id"] == "command.handover")


def test_no_handover_is_not_judged_and_weighs_nothing(tmp_path: Path) -> None:
    report = _score(tmp_path, OPENING)
    crit = _handover(report)
    assert crit["rating"] == "N/A" and crit["weight"] == 0 and crit["max_points"] == 0
    off = tmp_path / "off.yaml"
    off.write_text("schema_version: 1\nextends: builtin\ncriteria:\n"
                   "  - {id: command.handover, enabled: false}\n", encoding="utf-8")
    without = _score(tmp_path, OPENING, "--rubric", str(off))
    assert without["score"] == report["score"]


def test_a_handover_that_forgets_the_running_rollback_loses_that_part(tmp_path: Path) -> None:
    summary = ("Bob has command. About 8% of checkouts fail, Redis is at maxclients. "
               "Next: find out why v2.4.1 leaks connections.")
    crit = _handover(_score(tmp_path, [*OPENING, {"action": "hand_over", "at_minutes": 11,
                                                  "to": "bob", "summary": summary}]))
    assert crit["rating"] == "S", crit
    assert "still running: rollback:payment-service" in crit["reason"]
    told = summary.replace("Next:", "Dave's rollback of payment-service is running. Next:")
    crit = _handover(_score(tmp_path, [*OPENING, {"action": "hand_over", "at_minutes": 11,
                                                  "to": "bob", "summary": told}]))
    assert crit["rating"] == "P", crit
    assert crit["weight"] == 4


def test_a_false_recovery_claim_is_quoted_with_the_metric(tmp_path: Path) -> None:
    summary = ("Checkout is back to normal after the rollback, all good. "
               "Next: close the incident.")
    crit = _handover(_score(tmp_path, [*OPENING, {"action": "hand_over", "at_minutes": 11,
                                                  "to": "bob", "summary": summary}]))
    assert crit["rating"] == "M", crit
    assert "SLO" in crit["reason"] and "back to normal" in crit["reason"]


def test_a_change_said_to_have_landed_while_it_runs_is_a_false_claim(tmp_path: Path) -> None:
    """At T+11 Dave's rollback (started T+9) is still running: "the rollback landed" is
    false and holds the handover at M with the change named; the same summary saying it
    is still running is P, and "not landed yet" is no claim."""
    said = ("Bob has command. About 8% of checkouts fail. Dave's rollback of payment-service "
            "{state}. Next: watch the error rate.")
    crit = _handover(_score(tmp_path, [*OPENING, {"action": "hand_over", "at_minutes": 11,
                     "to": "bob", "summary": said.format(state="landed")}]))
    assert crit["rating"] == "M", crit
    assert "rollback:payment-service was still running" in crit["reason"], crit["reason"]
    for state in ("is still running", "has not landed yet"):
        crit = _handover(_score(tmp_path, [*OPENING, {"action": "hand_over", "at_minutes": 11,
                         "to": "bob", "summary": said.format(state=state)}]))
        assert crit["rating"] == "P", (state, crit)
