"""The scorer separates good from bad play on every built-in scenario and several seeds."""

from __future__ import annotations

import pytest
from scoring_helpers import SEEDS, ratings, scored

from simulator.format.loader import builtin_ids

CASES = [(s, seed) for s in builtin_ids() for seed in SEEDS]
BAD = ("hero", "silent", "panic", "slow", "premature")
# The criteria each anti-pattern breaks, and the rating(s) it must get there.
BROKEN: dict[str, dict[str, tuple[str, ...]]] = {
    "hero": {"comms.first-update": ("U",), "orient.blast-first": ("U",),
             "change.one-at-a-time": ("M", "U"), "change.informed": ("U",),
             "postmortem.blameless": ("U",), "command.declare-early": ("U",)},
    "silent": {"comms.first-update": ("U",), "comms.cadence": ("U",),
               "comms.update-content": ("U",), "comms.audience": ("U",),
               "change.announced": ("U",), "command.declare-early": ("U",),
               "roles.ic-coordinates": ("M", "U")},  # nobody in command: nobody coordinates
    "panic": {"change.one-at-a-time": ("M", "U"), "change.announced": ("U",),
              "orient.blast-first": ("U",), "change.informed": ("M", "U")},
    "slow": {"mitigate.stabilise-first": ("M", "U"), "mitigate.impact-time": ("M", "U"),
             "roles.ic-coordinates": ("M", "U")},
    "premature": {"resolve.verified": ("M", "U"), "orient.blast-first": ("M", "U")},
}
# What each anti-pattern bot still does right: the scorer must not punish it there. (The
# silent bot's own changes follow evidence, but without a freeze a responder's hunch restart
# is its hunch too, so change.informed is no longer kept.)
KEPT: dict[str, tuple[str, ...]] = {
    "silent": ("orient.blast-first", "mitigate.stabilise-first"),
    "slow": ("orient.blast-first", "command.declare-early"),
    "premature": ("command.declare-early", "comms.first-update"),
    "panic": ("command.declare-early", "comms.first-update"),
}


@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_expert_scores_at_least_90(scenario: str, seed: int) -> None:
    """The expert bot follows the process and scores 90 or more."""
    card = scored(scenario, "expert", seed)
    weak = {c.id: c.reason for c in card.criteria if c.rating in ("M", "U")}
    assert card.score >= 90, weak
    assert not weak


@pytest.mark.parametrize("bot", BAD)
@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_anti_pattern_bots_score_at_most_60(scenario: str, seed: int, bot: str) -> None:
    """Every anti-pattern bot scores 60 or less."""
    assert scored(scenario, bot, seed).score <= 60


@pytest.mark.parametrize("bot", BAD)
@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_points_lost_where_the_pattern_breaks_the_process(scenario: str, seed: int,
                                                           bot: str) -> None:
    """Each bot loses its points on the criteria its anti-pattern breaks."""
    got = ratings(scored(scenario, bot, seed))
    wrong = {cid: got[cid] for cid, allowed in BROKEN[bot].items() if got[cid] not in allowed}
    assert not wrong, f"{bot} on {scenario}: expected low ratings, got {wrong}"


@pytest.mark.parametrize("bot", sorted(KEPT))
@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_no_points_lost_for_what_the_bot_does_right(scenario: str, seed: int,
                                                    bot: str) -> None:
    """A bot is not marked down on the parts of the process it follows."""
    got = ratings(scored(scenario, bot, seed))
    assert {cid: got[cid] for cid in KEPT[bot] if got[cid] != "P"} == {}


@pytest.mark.parametrize(("scenario", "seed"), CASES)
def test_scores_are_deterministic(scenario: str, seed: int) -> None:
    """Grading the same journal twice gives the same scorecard."""
    from scoring_helpers import played

    from scoring.grader import grade
    from simulator.format.loader import load_scenario

    sc, _ = load_scenario(scenario)
    journal = played(scenario, "panic", seed)
    assert grade(journal, sc, compare=False).as_dict() == grade(journal, sc,
                                                                compare=False).as_dict()
