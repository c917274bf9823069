"""Verdicts that match the run: a stopped drill says what was and was not judged."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop

from scoring.grader import grade
from scoring.report_md import render_markdown
from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill, DrillAbandoned, Situation
from simulator.format.loader import load_scenario
from simulator.runs.journal import Journal

GOOD_START = """
- action: acknowledge
- {action: declare, severity: P2}
- {action: post_update, audience: all, impact: 8% of checkouts fail, doing: investigating,
   next_update_minutes: 10}
- {action: delegate, responder: priya, investigation: redis-health}
- {action: set_config, key: redis.maxclients, value: 200, by: priya}
"""


def test_a_refused_decisions_file_scores_as_partial_not_high(tmp_path: Path) -> None:
    """Decision 5 cannot run (Priya is busy): the run stops with exit 2, the journal says
    it was refused, and the score counts the unreached rubric as not earned (it was 92-100
    as 'interrupted' before), with the judged share stated in every report."""
    script = tmp_path / "half.yaml"
    script.write_text(GOOD_START, encoding="utf-8")
    journal = tmp_path / "half.jsonl"
    ran = tabletop("run", "redis-saturation", "--decisions", str(script), "--seed", "1",
                   "--journal", str(journal))
    assert ran.returncode == 2 and "half.yaml:" in ran.stderr
    scored = tabletop("score", str(journal), "--format", "json")
    assert scored.returncode == 0, scored.stderr
    card = json.loads(scored.stdout)
    assert card["status"] == "refused"
    assert card["score"] <= 60
    assert card["judged"]["complete"] is False and card["judged"]["points"] < 60
    assert "refused" in card["judged"]["summary"]
    assert "resolve.verified" in card["judged"]["not_judged"]
    text = tabletop("score", str(journal)).stdout
    assert "Partial:" in " ".join(text.split())
    assert "performed without challenges" not in text


class Quit:
    name = "quit"

    def decide(self, situation: Situation) -> Action:
        raise DrillAbandoned()


def test_abandoning_at_t0_judges_nothing_and_says_so() -> None:
    """Abandoned before any decision: score 0, nothing judged, and no claim that every
    criterion was performed without challenges."""
    sc, ref = load_scenario("redis-saturation")
    drill = Drill(sc, ref, 1, None, {"decider": "quit"})
    drill.run(Quit())
    records = drill.journal.records
    card = grade(Journal("<quit>", records[0], records[1:]), sc, compare=False)
    assert card.status == "abandoned" and card.score == 0
    report = render_markdown(card)
    assert "Nothing could be judged" in report
    assert "performed without challenges." not in report.split("## Improvement plan")[1]
    assert "Judged 0 of 100 rubric points" in report


def test_a_finished_run_reports_its_coverage_and_keeps_its_score() -> None:
    """A complete run's score is unchanged by the coverage line (N/A there means 'did not
    apply'), and the line names what did not apply."""
    from scoring_helpers import scored

    card = scored("failed-batch-job", "expert", 1)
    assert card.stopped_at is None and card.score == card.judged_score
    assert "mitigate.rollback-considered" in card.coverage
