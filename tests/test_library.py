"""The scenario library: a learning path in `tabletop list`, and each library scenario
names the public postmortem its facts come from (issue 9, item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import tabletop

from simulator.format.loader import builtin_ids, load_scenario

#: built-ins written from a public postmortem (the seed scenarios came from articles)
FROM_POSTMORTEMS = ("waf-global-push", "auth-cert-expiry", "migration-lock", "poison-message",
                    "retry-storm")


def test_list_follows_the_learning_path() -> None:
    """The rows come in the order the scenarios' own `order` fields give, easiest first."""
    result = tabletop("list")
    assert result.returncode == 0, result.stderr
    positions = {sid: result.stdout.find(sid) for sid in builtin_ids()}
    assert all(p >= 0 for p in positions.values()), positions
    orders = {sid: load_scenario(sid)[0].order for sid in builtin_ids()}
    assert all(isinstance(o, int) for o in orders.values()), orders
    assert len(set(orders.values())) == len(orders), "two built-ins share a place"
    assert sorted(positions, key=positions.__getitem__) == sorted(orders, key=orders.__getitem__)
    difficulty = {"beginner": 0, "intermediate": 1, "advanced": 2}
    ranks = [difficulty[load_scenario(s)[0].difficulty] for s in sorted(orders,
                                                                        key=orders.__getitem__)]
    assert ranks == sorted(ranks), "the path must not go back to easier scenarios"


@pytest.mark.parametrize("scenario_id", FROM_POSTMORTEMS)
def test_a_library_scenario_names_its_source(scenario_id: str) -> None:
    scenario, _ = load_scenario(scenario_id)
    assert scenario.source and len(scenario.source.split()) >= 12, scenario.source


def test_the_source_is_refused_when_it_is_not_text(tmp_path: Path) -> None:
    """`source` is part of the format: a mapping there is a located error, not a crash."""
    from simulator.format.loader import builtin_dir

    text = (builtin_dir() / "auth-cert-expiry.yaml").read_text(encoding="utf-8")
    start = text.index("source: >")
    end = text.index("difficulty:")
    path = tmp_path / "bad.yaml"
    path.write_text(text[:start] + "source: {url: 1}\n" + text[end:], encoding="utf-8")
    result = tabletop("validate", str(path))
    assert result.returncode == 2 and "source" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
