"""Seeded variants: ranges and choices the seed decides; the journal records the picks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.format.loader import load_scenario, parse_scenario
from simulator.format.variants import vary
from tests.format_scenario import with_, write
from tests.helpers import drill_until, tabletop

VARIANTS = ("debrief:\n", """\
variants:
  - {id: onset, path: faults.bad-release.onset_minutes, range: [-8, -1]}
  - {id: traffic, path: impact.per_minute, values: [80, 100, 140]}
  - id: herring
    options:
      - {label: database}
      - label: cache
        set:
          investigations.db-health.title: Cache health
          investigations.db-health.finding: The cache is fine.
  - id: away
    options:
      - {label: everyone}
      - label: eve-away
        set: {roster.responders.eve: null}
debrief:
""")


def test_the_seed_picks_one_variant_and_the_journal_records_it(tmp_path: Path) -> None:
    path = write(tmp_path, with_(VARIANTS))
    scenario, _ = load_scenario(path)
    seen = {json.dumps(vary(scenario, seed)[1], sort_keys=True) for seed in range(40)}
    assert len(seen) > 10  # the seeds cover many combinations
    varied, picks = vary(scenario, 7)
    assert varied.faults[0].onset_minutes == picks["onset"] and -8 <= picks["onset"] <= -1
    assert varied.impact.per_minute == picks["traffic"]
    assert (varied.investigations[1].title == "Cache health") == (picks["herring"] == "cache")
    assert ([p.id for p in varied.roster.responders] == ["bob"]) == (picks["away"] == "eve-away")
    assert vary(scenario, 7) == (varied, picks)  # same seed, same incident
    drill = drill_until(path, [], 2, seed=7)
    assert drill.journal.records[0]["variant"] == picks
    assert drill.engine.scenario == varied


def test_cli_runs_journal_and_score_the_variant(tmp_path: Path) -> None:
    path = write(tmp_path, with_(VARIANTS))
    journal = tmp_path / "run.jsonl"
    run = tabletop("run", path, "--bot", "expert", "--seed", "3", "--journal", str(journal))
    assert run.returncode == 0, run.stderr
    header = json.loads(journal.read_text().splitlines()[0])
    assert header["variant"] == vary(load_scenario(path)[0], 3)[1]
    again = tmp_path / "again.jsonl"
    tabletop("run", path, "--bot", "expert", "--seed", "3", "--journal", str(again))
    assert again.read_bytes() == journal.read_bytes()
    assert tabletop("score", str(journal)).returncode == 0


def test_built_in_scenarios_journal_no_variant() -> None:
    drill = drill_until("redis-saturation", [], 1)
    assert "variant" not in drill.journal.records[0]


@pytest.mark.parametrize(("entry", "expected"), [
    ("  - {id: onset, path: faults.nope.onset_minutes, range: [-8, -1]}\n",
     "option '-8' of variant 'onset': no item 'nope' on its path"),
    ("  - {id: onset, range: [-8, -1]}\n", "variant 'onset' needs path: with range:"),
    ("  - {id: onset, path: impact.per_minute, range: [5, 1]}\n", "low < high"),
    ("  - {id: t, path: impact.per_minute, values: [-5]}\n",
     "option '-5' of variant 't' makes the scenario invalid"),
    ("  - id: away\n    options:\n      - {label: bob-away, set: {roster.responders.bob: null}}\n",
     "option 'bob-away' of variant 'away' makes the scenario invalid: unknown responder 'bob'"),
])
def test_variants_are_checked_option_by_option(entry: str, expected: str) -> None:
    with pytest.raises(InputError) as info:
        parse_scenario(with_(("debrief:\n", "variants:\n" + entry + "debrief:\n")), "s.yaml")
    found = [str(p) for p in info.value.problems]
    assert any(expected in p for p in found), found
    assert all(p.startswith("s.yaml:") for p in found)


def test_run_prints_the_variant_and_msel_lists_the_choice_points(tmp_path: Path) -> None:
    path = write(tmp_path, with_(VARIANTS))
    run = tabletop("run", path, "--bot", "expert", "--seed", "5", "--journal",
                   str(tmp_path / "r.jsonl"))
    picks = vary(load_scenario(path)[0], 5)[1]
    assert "variant: " + ", ".join(f"{k}={v}" for k, v in picks.items()) in run.stdout
    shown = tabletop("show", path, "--msel")
    assert "Variants: the seed picks one of each" in shown.stdout
    assert "database, cache" in shown.stdout and "-8 to -1" in shown.stdout
