"""`tabletop new ID --from-timeline LOG`: a real incident's log becomes a scenario skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.commands.timeline import parse_timeline
from simulator.errors import InputError
from simulator.format.loader import load_scenario
from tests.helpers import tabletop

LOG = """\
# Public postmortem timeline, paraphrased
13:42 Deploy bot: managed rules release pushed globally
13:43 Monitoring: edge CPU at 100% in every region; 5xx above 80%
13:45 Sam (support): customers report "502 Bad Gateway" everywhere
13:52 Priya: rolled back the managed rules release, but the control plane
  is slow because the dashboard also runs on the edge
14:02 Marco: disabled the WAF managed rules globally with the kill switch
14:09 Helen (VP Engineering): what do we tell the board?
"""


def test_a_log_becomes_a_valid_skeleton(tmp_path: Path) -> None:
    (tmp_path / "cdn.log").write_text(LOG)
    made = tabletop("new", "cdn-edge", "--from-timeline", "cdn.log", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "6 events as injects, 2 responders, 2 stakeholders, 2 candidate fix(es)" in made.stdout
    scenario, _ = load_scenario(str(tmp_path / "cdn-edge.yaml"))
    assert scenario.start_time == "13:42"
    assert [i.at_minutes for i in scenario.injects] == [0, 1, 3, 10, 20, 27]
    assert scenario.injects[3].text.endswith("control plane is slow because the dashboard "
                                             "also runs on the edge")
    assert [p.name for p in scenario.roster.responders] == ["Priya", "Marco"]
    assert [s.name for s in scenario.roster.stakeholders] == ["Sam (support)",
                                                               "Helen (VP Engineering)"]
    assert scenario.injects[0].source == "deploy-bot"  # a label, not a person
    assert [f.title for f in scenario.fixes] == [
        "rolled back the managed rules release, but the control plane is slow because the",
        "disabled the WAF managed rules globally with the kill switch"]
    assert (tmp_path / "scenario.schema.json").exists()
    loose = tabletop("validate", "cdn-edge.yaml", cwd=tmp_path)
    assert loose.returncode == 0 and "warning: TODO left: title: TODO title" in loose.stderr
    assert tabletop("validate", "--strict", "cdn-edge.yaml", cwd=tmp_path).returncode == 2
    runs = tabletop("run", "cdn-edge.yaml", "--bot", "expert", "--journal", "j.jsonl",
                    cwd=tmp_path)
    assert runs.returncode == 0, runs.stderr  # the skeleton is even playable


def test_clock_wraps_past_midnight() -> None:
    start, events = parse_timeline("23:58 A: one\n00:03 B: two\n", "t.log")
    assert start == "23:58" and [e.minute for e in events] == [0, 5]


def test_a_log_without_entries_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.log").write_text("nothing with a time here\n")
    result = tabletop("new", "x", "--from-timeline", "empty.log", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty.log:1:1: no timeline entries found" in result.stderr
    assert "HH:MM who: what" in result.stderr
    with pytest.raises(InputError):
        parse_timeline("", "e.log")


def test_an_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "cdn.log").write_text(LOG)
    (tmp_path / "cdn-edge.yaml").write_text("mine")
    result = tabletop("new", "cdn-edge", "--from-timeline", "cdn.log", cwd=tmp_path)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert (tmp_path / "cdn-edge.yaml").read_text() == "mine"
