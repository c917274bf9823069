"""The figures table compares like with like: harm over the same window for both runs."""

from __future__ import annotations

import pytest
from scoring_helpers import scored

from scoring.outcome import harm_row, rows
from simulator.format.loader import builtin_ids


@pytest.mark.parametrize("scenario", builtin_ids())
def test_premature_resolve_shows_more_harm_than_the_expert_over_the_time_limit(
        scenario: str) -> None:
    """A run that resolved early and reopened stopped its own clock early. The table's harm
    row compares both runs over the time limit, so it never shows less harm than the
    expert's; the harm counted during the drill is kept beside it."""
    mine = scored(scenario, "premature", 1).outcome
    expert = scored(scenario, "expert", 1).outcome
    label, ours, theirs = harm_row(mine, expert)
    assert "time limit" in label
    assert ours.startswith(f"{mine['failed_by_limit']:,} (")
    assert theirs.startswith(f"{expert['failed_by_limit']:,} (")
    assert f"{mine['failed']:,} by T+" in ours, "the raw figure stays beside it"
    assert mine["failed_by_limit"] > expert["failed_by_limit"]
    table = {r[0]: r[1:] for r in rows(mine, expert)}
    assert sum(1 for k in table if k.startswith("Harm")) == 1
