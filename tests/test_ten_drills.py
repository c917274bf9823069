"""The acceptance of issue 10's history: "a trainee can see their progress across ten drills".

One person (kim, the IC of a small team) plays ten drills from decisions files through the
real CLI, into a history database of their own (TABLETOP_DB): two scenarios, five drills
each, from careless to careful. `tabletop history --person kim` must list the ten with
kim's own scores, a trend per scenario and per criterion (which principles keep slipping),
and `--html` must render them as one page with a chart.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.rubric import load_rubric
from simulator.commands.progress import BARS

pytestmark = pytest.mark.timeout(600)

TEAM = "ic=kim,comms=lee,ops=max"
SCENARIOS = ("redis-saturation", "bad-deploy")
#: from careless to careful: the way a trainee is hoped to go
PERSONAS = ("silent", "hero", "premature", "slow", "expert")


def decisions_of(tmp: Path, scenario: str, persona: str, seed: int, env: dict[str, str]
                 ) -> Path:
    """A decisions file with a persona's moves (exported from a run that is not recorded)."""
    plan = tmp / f"{scenario}-{persona}.yaml"
    done = subprocess.run([sys.executable, "-m", "simulator", "run", scenario, "--bot", persona,
                           "--seed", str(seed), "--journal",
                           str(tmp / f"{scenario}-{persona}.bot.jsonl"), "--export-decisions",
                           str(plan), "--quiet", "--no-history"], capture_output=True,
                          text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1), done.stderr
    return plan


@pytest.fixture(scope="module")
def ten(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    tmp = tmp_path_factory.mktemp("ten")
    db = tmp / "kim-history.sqlite3"
    journals = []
    # a module's fixture runs before each test's own data folder is set: give it one
    data = tmp_path_factory.mktemp("ten-data")
    env = {**os.environ, "TABLETOP_DB": str(db), "TABLETOP_DATA_DIR": str(data)}
    for round_, persona in enumerate(PERSONAS):
        for scenario in SCENARIOS:
            seed = 10 + round_
            plan = decisions_of(tmp, scenario, persona, seed, env)
            journal = tmp / f"{len(journals) + 1:02d}-{scenario}-{persona}.jsonl"
            done = subprocess.run([sys.executable, "-m", "simulator", "run", scenario,
                                   "--decisions", str(plan), "--seed", str(seed), "--team",
                                   TEAM, "--journal", str(journal), "--quiet"],
                                  capture_output=True, text=True, timeout=120, env=env,
                                  stdin=subprocess.DEVNULL)
            assert done.returncode in (0, 1), done.stderr
            assert "warning" not in done.stderr, done.stderr
            journals.append(journal)
    return db, journals


def history(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "simulator", "history", "--person", "kim",
                           *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TABLETOP_DB": str(db), "COLUMNS": "200"})


def test_the_ten_drills_are_kims_history_with_her_own_scores(ten: tuple[Path, list[Path]]
                                                             ) -> None:
    db, journals = ten
    done = history(db, "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [Path(r["journal"]).name for r in rows] == [j.name for j in journals]
    assert {(r["person"], r["role"]) for r in rows} == {("kim", "ic")}
    ic = set(load_rubric().roles["ic"])
    assert all(set(r["criteria"]) == ic for r in rows)  # kim on the IC's criteria only
    for scenario in SCENARIOS:
        scores = [r["score"] for r in rows if r["scenario"] == scenario]
        assert len(scores) == 5 and len(set(scores)) > 1  # mixed quality
        assert scores[-1] == max(scores) > scores[0]      # careful at last
    team = json.loads(subprocess.run(
        [sys.executable, "-m", "simulator", "history", "--json"], capture_output=True,
        text=True, timeout=120, env={**os.environ, "TABLETOP_DB": str(db)}).stdout)
    assert len(team) == 10  # the same ten runs, for the whole team


def test_trends_per_scenario_and_per_criterion(ten: tuple[Path, list[Path]]) -> None:
    db, _ = ten
    done = history(db)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Progress of kim: 10 run(s)" in text
    scenarios = text.split("Per scenario")[1].split("Per criterion")[0]
    for scenario in SCENARIOS:
        row = next(line for line in scenarios.splitlines() if scenario in line)
        spark = "".join(ch for ch in row if ch in BARS)
        assert len(spark) == 5, row                       # one block per drill
        assert BARS.index(spark[-1]) > BARS.index(spark[0]), row
    criteria = text.split("which principles keep slipping")[1]
    rows = [line for line in criteria.splitlines() if "." in line and " of " in line]
    assert len(rows) >= 8
    assert any(" of 10 " in line for line in rows)        # rated in all ten drills
    slipped = [int(line.split(" of ")[0].split()[-1]) for line in rows]
    assert slipped == sorted(slipped, reverse=True) and slipped[0] > 0  # worst first
    assert all("comms." not in line for line in rows)    # not kim's role


def test_the_html_progress_page(ten: tuple[Path, list[Path]], tmp_path: Path) -> None:
    db, _ = ten
    page = tmp_path / "kim.html"
    done = history(db, "--html", "--output", str(page))
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    assert "<title>Progress of kim</title>" in html and "10 run(s)" in html
    assert html.count("<polyline") == 2                   # one line per scenario
    assert html.count("<circle") == 10                    # one point per drill
    runs = html.split("<h2>Runs</h2>")[1]
    assert runs.count("<td>kim</td>") == 10
    assert "which principles keep slipping" in html and 'class="spark"' in html
    assert "http://" not in html and "https://" not in html
