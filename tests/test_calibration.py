"""The calibration corpus: hand-written play graded as an experienced IC expected.

Each script in tests/calibration/ carries, in its header, the score band and the criteria it
must lose and keep, written before the scorer saw it. A script on which the scorer is still
known to be wrong carries ``xfail:`` with the reason (the issue item that fixes it); the
test is then a strict xfail, so it turns red the day the fix lands and the mark must go.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from calibration_corpus import Expectation, corpus, play, verdict

from scoring import load_rubric

CORPUS = corpus()


def _params() -> list[object]:
    params = []
    for exp in CORPUS:
        marks = [pytest.mark.xfail(strict=True, reason=exp.xfail)] if exp.xfail else []
        params.append(pytest.param(exp, id=exp.name, marks=marks))
    return params


def test_the_corpus_is_big_and_varied() -> None:
    """At least 18 scripts, every built-in scenario, good and bad play on each."""
    from simulator.format.loader import builtin_ids

    assert len(CORPUS) >= 18
    for scenario in builtin_ids():
        mine = [e for e in CORPUS if e.scenario == scenario]
        assert any(e.band[0] >= 80 for e in mine), f"{scenario}: no good play"
        assert any(e.band[1] <= 65 for e in mine), f"{scenario}: no bad play"


def test_headers_name_real_criteria() -> None:
    """A typo in must_lose/must_keep would make a check vacuous; refuse it."""
    known = {c.id for c in load_rubric().criteria}
    for exp in CORPUS:
        unknown = set(exp.must_lose + exp.must_keep) - known
        assert not unknown, f"{exp.name}: unknown criteria {unknown}"
        assert not set(exp.must_lose) & set(exp.must_keep), exp.name
        assert 0 <= exp.band[0] < exp.band[1] <= 100, exp.name


@pytest.mark.parametrize("exp", _params())
def test_scorer_agrees_with_the_ic(exp: Expectation, tmp_path: Path) -> None:
    """Played through the real CLI: score in band, must-lose lost, must-keep kept."""
    wrong = verdict(exp, play(exp, tmp_path))
    assert not wrong, "; ".join(wrong)
