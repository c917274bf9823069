"""A recovery claim about one part of the service, read against the metrics, through the CLI.

A trainee's update "Storefront is back to normal; queued orders are being processed now"
was graded a false all-clear because the order backlog was still out of its SLO, although
it said exactly what was back and what was not (process.md#update-content). These tests
replay the calibration script of that drill with the one update reworded, so the scoped
claim is told apart from the ones that still claim the whole service. They also check
that a long quoted update keeps the verdict that follows it in the Markdown report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from helpers import tabletop

SCRIPT = Path(__file__).parent / "calibration" / "poison-message--first-drill-scoped-update.yaml"


def _play(tmp_path: Path, impact: str, doing: str) -> dict[str, object]:
    steps = yaml.safe_load(SCRIPT.read_text(encoding="utf-8"))
    update = steps[[i for i, s in enumerate(steps) if s["action"] == "post_update"][2]]
    assert update["at_minutes"] == 23.0, "the script moved: pick the update during the drain"
    update["impact"], update["doing"] = impact, doing
    decisions = tmp_path / "steps.yaml"
    decisions.write_text(yaml.safe_dump(steps, allow_unicode=True), encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "poison-message", "--decisions", str(decisions), "--seed", "3",
                    "--journal", str(journal), "--coach", "off", "--quiet", "--no-history",
                    timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(journal.with_suffix(".score.json").read_text(encoding="utf-8"))
    return {c["id"]: c for c in report["criteria"]}


def test_a_claim_about_the_part_that_is_back_is_true(tmp_path: Path) -> None:
    got = _play(tmp_path, "Storefront is back to normal; queued orders are being processed "
                "now, none lost.", "Consumer back on and draining the backlog.")
    assert got["comms.update-content"]["rating"] == "P", got["comms.update-content"]


@pytest.mark.parametrize("impact, doing", [
    # the whole shop, not one part
    ("The shop is back to normal.", "Consumer back on and draining the backlog."),
    # the part that is back, but not a word on the orders still waiting
    ("Storefront is back to normal.", "Consumer back on; watching."),
    # the part still out of its SLO claimed back
    ("Storefront works; the orders are back to normal.", "Consumer back on."),
])
def test_claims_of_the_whole_or_of_the_backlog_stay_false(tmp_path: Path, impact: str,
                                                          doing: str) -> None:
    got = _play(tmp_path, impact, doing)
    content = got["comms.update-content"]
    assert content["rating"] == "M", content
    assert "Orders waiting in the queue" in json.dumps(content)


def test_a_long_quote_keeps_its_verdict(tmp_path: Path) -> None:
    """The cadence finding quotes a long update and why it broke its promise: the quote
    is shortened, the verdict is not."""
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "poison-message", "--decisions", str(SCRIPT), "--seed", "3",
                    "--journal", str(journal), "--coach", "off", "--quiet", "--no-history",
                    timeout=120)
    assert done.returncode == 0, done.stderr
    md = journal.with_suffix(".score.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if "`T+4:00`" in x and "promised" in x)
    assert line.endswith("… (promised the next update within 10 min; next news at T+15:42)")
