"""People in roles: --team, who decided what, `who:` in decisions files, the who prompt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from ui_keys import CTRL_C, DOWN, ENTER, START, decider, pick, resume_keys, screen, top

from simulator.engine.team import parse_team
from simulator.errors import DrillInterrupted, InputError
from simulator.format.loader import load_scenario
from simulator.players.play import run_drill
from simulator.runs.journal import read_journal

TEAM = "ic=ana,comms=ben,ops=chen,ops=dee"


def test_parse_team_keeps_order_and_default_owners_follow_the_catalogue() -> None:
    team = parse_team(TEAM)
    assert [(m.name, m.role) for m in team.members] == [
        ("ana", "ic"), ("ben", "comms"), ("chen", "ops"), ("dee", "ops")]
    assert team.default_owner("declare").name == "ana"
    assert team.default_owner("post_update").name == "ben"
    assert team.default_owner("set_config").name == "chen"  # the first of the role
    assert team.default_owner("investigate").name == "chen"
    # a role nobody holds falls back to the incident commander
    assert parse_team("ic=ana").default_owner("post_update").name == "ana"


@pytest.mark.parametrize(("text", "says"), [
    ("ic=ana,opz=chen", "item 2 'opz=chen': unknown role 'opz' (roles: ic, comms, ops)"),
    ("ic=ana,comms", "item 2 'comms': expected ROLE=NAME"),
    ("ic=ana,,ops=dee", "item 2 '': empty"),
    ("ic=ana,ops=ana", "item 2 'ops=ana': ana is already on the team"),
    ("comms=ben,ops=dee", "no incident commander (add ic=NAME)"),
    ("ic=1ana", "a name starts with a letter"),
    ("", "--team is empty"),
])
def test_bad_team_is_named_with_its_item(text: str, says: str) -> None:
    with pytest.raises(InputError) as err:
        parse_team(text)
    assert says in str(err.value)


def test_cli_bad_team_exits_2_without_traceback(tmp_path: Path) -> None:
    done = tabletop("run", "redis-saturation", "--bot", "expert", "--team", "ic=ana,boss=x",
                    "--journal", str(tmp_path / "j.jsonl"))
    assert done.returncode == 2
    assert "unknown role 'boss'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "j.jsonl").exists()


def test_team_run_attributes_every_decision_to_its_role_owner(tmp_path: Path) -> None:
    journal = tmp_path / "team.jsonl"
    done = tabletop("run", "redis-saturation", "--seed", "3", "--bot", "expert", "--team", TEAM,
                    "--journal", str(journal), "--quiet")
    assert done.returncode == 0, done.stderr
    read = read_journal(journal)
    assert read.header["team"] == [{"name": "ana", "role": "ic"}, {"name": "ben",
                                   "role": "comms"}, {"name": "chen", "role": "ops"},
                                   {"name": "dee", "role": "ops"}]
    who = {(d["action"], d["who"]) for d in read.decisions()}
    assert ("declare", "ana") in who and ("post_update", "ben") in who
    assert ("set_config", "chen") in who
    assert all("who" in d for d in read.decisions())


def test_solo_run_has_no_team_and_no_who(tmp_path: Path) -> None:
    journal = tmp_path / "solo.jsonl"
    done = tabletop("run", "redis-saturation", "--seed", "3", "--bot", "expert",
                    "--journal", str(journal), "--quiet")
    assert done.returncode == 0, done.stderr
    text = journal.read_text(encoding="utf-8")
    assert '"who"' not in text and '"team"' not in text


def test_decisions_file_who_overrides_the_default_and_is_exported(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- action: acknowledge\n- action: note\n  text: pool full\n  who: dee\n"
                    "- action: finish\n  at_minutes: 80\n", encoding="utf-8")
    journal, exported = tmp_path / "j.jsonl", tmp_path / "again.yaml"
    done = tabletop("run", "redis-saturation", "--decisions", str(plan), "--team", TEAM,
                    "--journal", str(journal), "--export-decisions", str(exported), "--quiet")
    assert done.returncode == 1, done.stderr  # finished unresolved: played, goal failed
    decisions = [d for d in read_journal(journal).decisions() if d["action"] != "wait"]
    assert [(d["action"], d["who"]) for d in decisions] == [
        ("acknowledge", "ana"), ("note", "dee"), ("finish", "ana")]
    assert "who: dee" in exported.read_text(encoding="utf-8")
    again = tmp_path / "again.jsonl"
    done = tabletop("run", "redis-saturation", "--decisions", str(exported), "--team", TEAM,
                    "--journal", str(again), "--quiet")
    assert done.returncode == 1, done.stderr
    assert read_journal(again).decisions() == read_journal(journal).decisions()


def test_decisions_file_unknown_who_is_located(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- action: acknowledge\n  who: ana\n- action: declare\n  severity: P2\n"
                    "  who: zed\n", encoding="utf-8")
    done = tabletop("run", "redis-saturation", "--decisions", str(plan), "--team", TEAM,
                    "--journal", str(tmp_path / "j.jsonl"))
    assert done.returncode == 2
    assert f"{plan}:5:3: who: 'zed' is not on the team (the team: ana, ben, chen, dee)" \
        in done.stderr
    solo = tabletop("run", "redis-saturation", "--decisions", str(plan),
                    "--journal", str(tmp_path / "k.jsonl"))
    assert solo.returncode == 2
    assert f"{plan}:2:3: who: 'ana' but the drill has no team" in solo.stderr
    assert "Traceback" not in done.stderr + solo.stderr


def _play_team(keys: str, journal: Path) -> None:
    scenario, ref = load_scenario("redis-saturation")
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        run_drill(scenario, ref, decider(scenario, screen()), 7, journal, {"coach": "off"},
                  team=parse_team(TEAM))


def test_prompt_asks_who_among_those_whose_role_may_decide(tmp_path: Path) -> None:
    """The who question lists only the people the action's role lets decide (the one rule
    of engine/team.py Team.refusal), the owner one Enter away; when only one may (the IC's
    actions: whoever holds command), nobody is asked."""
    journal = tmp_path / "j.jsonl"
    keys = (START
            + top("coordinate") + pick(0)                  # acknowledge: ana, not asked
            + top("coordinate") + pick(0) + ENTER          # declare (P1 default): ana
            + "n" + "pool full" + ENTER + DOWN + ENTER     # a note: chen or dee; dee
            + "n" + "x" + ENTER + DOWN * 2 + ENTER         # '← back' at who
            + "w"                                          # a quick wait: ana, not asked
            + CTRL_C + pick(1))                            # pause
    with pytest.raises(DrillInterrupted):
        _play_team(keys, journal)
    decisions = read_journal(journal).decisions()
    assert [(d["action"], d["who"]) for d in decisions] == [
        ("acknowledge", "ana"), ("declare", "ana"), ("note", "dee"), ("wait", "ana")]
    # resume: the team comes back from the header; the next decision is asked who again
    with pytest.raises(DrillInterrupted):
        resume_keys("n" + "later" + ENTER + ENTER + CTRL_C + pick(1), journal)  # by chen
    decisions = read_journal(journal).decisions()
    assert (decisions[-1]["action"], decisions[-1]["who"]) == ("note", "chen")
    header = json.loads(journal.read_text(encoding="utf-8").splitlines()[0])
    assert header["team"][0] == {"name": "ana", "role": "ic"}


def test_every_catalogue_action_names_its_owning_role() -> None:
    from simulator.texts import catalogue

    missing = [a for a, meta in catalogue().items() if meta.get("role") not in
               ("ic", "comms", "ops")]
    assert not missing, f"add role: ic|comms|ops to {missing} in simulator/actions/catalogue.yaml"
