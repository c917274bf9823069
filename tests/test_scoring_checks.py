"""Check mechanisms: fair on stopped runs, precise on blame, quoting the moments."""

from __future__ import annotations

from typing import Any

import pytest
from scoring_helpers import played, ratings, scored

from scoring.grader import grade
from scoring.postmortem import blame_sentences
from scoring.ratings import by_limits, by_share, deadline
from scoring.run import Run, clock
from simulator.format.loader import builtin_ids, load_scenario
from simulator.runs.journal import Journal


def truncated(scenario_id: str, bot: str, minutes: float, seed: int = 1) -> Journal:
    """The bot's journal cut at T+minutes as Ctrl-C leaves it: no end record."""
    full = played(scenario_id, bot, seed)
    keep = [r for r in full.records if r.get("type") != "end" and r.get("t", 0) <= minutes * 60]
    keep.append({"type": "event", "t": int(minutes * 60), "actor": "trainee",
                 "kind": "interrupted"})
    return Journal("<cut>", full.header, keep)


def test_rating_helpers() -> None:
    """Limits are inclusive; shares need all of it for P."""
    assert [by_limits(v, 2, 5, 10) for v in (2, 2.1, 5, 10, 10.1)] == ["P", "S", "S", "M", "U"]
    assert [by_share(v) for v in (1.0, 0.8, 0.5, 0.1)] == ["P", "S", "M", "U"]


def test_clock_format() -> None:
    """T+ times are minutes and seconds since the page."""
    assert clock(0) == "T+0:00" and clock(754) == "T+12:34"


@pytest.mark.parametrize("scenario", builtin_ids())
def test_interrupted_early_run_is_not_failed_for_what_it_never_reached(scenario: str) -> None:
    """Stopped at T+1, nothing unreached is rated U: it is N/A."""
    sc = load_scenario(scenario)[0]
    card = grade(truncated(scenario, "expert", 1), sc, compare=False)
    assert card.status == "interrupted"
    got = ratings(card)
    assert "U" not in got.values(), got
    for cid in ("comms.first-update", "comms.cadence", "resolve.verified", "postmortem.complete",
                "change.one-at-a-time", "mitigate.stabilise-first"):
        assert got[cid] == "N/A", cid


def test_interrupted_late_run_still_fails_what_was_due() -> None:
    """Stopped at T+16 with no update yet: the first update is failed, not N/A; at T+12 it
    is rated at the best it could still have been (M)."""
    sc = load_scenario("redis-saturation")[0]
    early = ratings(grade(truncated("redis-saturation", "silent", 12), sc, compare=False))
    assert early["comms.first-update"] == "M"
    card = grade(truncated("redis-saturation", "silent", 16), sc, compare=False)
    got = ratings(card)
    assert got["comms.first-update"] == "U"
    assert got["resolve.verified"] == "N/A" and got["postmortem.blameless"] == "N/A"


def test_deadline_rates_best_case_when_stopped_between_limits() -> None:
    """Stopped at T+6 before declaring: at best an M (declared at T+6 or later)."""
    sc = load_scenario("redis-saturation")[0]
    run = Run(truncated("redis-saturation", "hero", 6), sc)
    assert deadline(run, None, 2, 5, 10, "declaration")[0] == "M"
    assert deadline(run, None, 7, 8, 9, "declaration")[0] is None


def test_no_recent_deploy_makes_rollback_criterion_not_applicable() -> None:
    """Rollback-considered applies only when a release came shortly before the failure."""
    assert ratings(scored("failed-batch-job", "expert", 1))[
        "mitigate.rollback-considered"] == "N/A"
    assert ratings(scored("bad-deploy", "expert", 1))["mitigate.rollback-considered"] == "P"


def _run() -> Run:
    sc = load_scenario("redis-saturation")[0]
    return Run(played("redis-saturation", "expert", 1), sc)


@pytest.mark.parametrize(("text", "flagged"), [
    ("Bob Tran caused this outage by shipping a bad change.", True),
    ("The outage was the fault of Priya.", True),
    ("Dave should have load-tested the release.", True),
    ("Bob noticed the error rate first and paged the team.", False),
    ("The pool change caused refused connections; nobody had a connection alert.", False),
    ("Priya raised maxclients, which restored checkout.", False),
])
def test_blame_detection_names_people_not_systems(text: str, flagged: bool) -> None:
    """A sentence is flagged when it names a person as the cause, not merely a person."""
    named, _ = blame_sentences(_run(), {"summary": text})
    assert (named == [text]) is flagged


def test_blame_detection_quotes_only_the_guilty_sentence() -> None:
    """The flagged sentence is quoted alone, generic 'human error' is told apart, and
    rejecting human error as a cause is not blame."""
    pm: dict[str, Any] = {"root_cause": "Redis ran out of connections. Bob made a mistake.",
                          "lessons": ["Human error is never a root cause we accept.",
                                      "Root cause: human error."],
                          "action_items": [{"what": "Bob must be more careful", "owner": "bob",
                                            "due": "+7 days"}]}
    named, generic = blame_sentences(_run(), pm)
    assert named == ["Bob made a mistake.", "Bob must be more careful"]
    assert generic == ["Root cause: human error."]


def test_hero_blame_is_quoted_in_evidence() -> None:
    """The blameless criterion quotes the offending sentence of the hero's postmortem."""
    card = scored("redis-saturation", "hero", 1)
    crit = next(c for c in card.criteria if c.id == "postmortem.blameless")
    assert crit.rating == "U"
    assert any("caused this outage" in e.text and not e.good for e in crit.evidence)
    assert "caused this outage" in crit.advice


def test_evidence_lost_is_attributed_and_quoted_with_times() -> None:
    """Evidence destroyed by the IC's own restart is U and the moment is quoted."""
    card = scored("redis-saturation", "hero", 1)
    crit = next(c for c in card.criteria if c.id == "change.evidence-preserved")
    assert crit.rating == "U"
    assert any(e.when.startswith("T+") and "gone" in e.text for e in crit.evidence)


def test_every_marked_down_criterion_cites_a_moment_and_advice() -> None:
    """No mark-down without quoted evidence and a concrete piece of advice."""
    for bot in ("hero", "silent", "panic", "slow", "premature"):
        for c in scored("redis-saturation", bot, 1).criteria:
            if c.rating in ("S", "M", "U"):
                assert c.evidence, (bot, c.id)
                assert c.advice and "{" not in c.advice, (bot, c.id)
