"""Facilitated drills: the session protocol, and a facilitator steering a running drill
from a second process (tabletop run --facilitated + tabletop facilitate)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from simulator.engine.drill import Drill
from simulator.engine.facilitation import ReplayActs, recorded_acts
from simulator.engine.team import team_from_header
from simulator.format.loader import load_scenario, scenario_for_journal
from simulator.format.scenario import Decision
from simulator.players.decisions import ChainDecider, ScriptedDecider
from simulator.players.session import Client, Session, sessions_dir
from simulator.runs.journal import dumps, read_journal
from tests.helpers import tabletop

pytestmark = pytest.mark.timeout(120)


def replay(path: Path) -> list[str]:
    """Re-run a journal's decisions and facilitator acts in memory; its lines."""
    journal = read_journal(path)
    scenario = scenario_for_journal(journal.header["scenario"])
    drill = Drill(scenario, journal.header["scenario"], journal.header["seed"], None,
                  journal.header["options"], team=team_from_header(journal.header))
    drill.acts = ReplayActs(recorded_acts(journal.records))
    decisions = journal.decisions()
    chain = ChainDecider(decisions, ScriptedDecider([Decision(action="finish")]))
    drill.run(chain)
    return [dumps(r) for r in drill.journal.records]


@pytest.fixture
def session() -> Any:
    scenario, ref = load_scenario("redis-saturation")
    live = Session("unit-test", {"scenario": scenario.id})
    live.drill = Drill(scenario, ref, 1, None)
    live.start()
    yield live
    live.close()


def test_protocol_answers_and_refuses(session: Session) -> None:
    assert stat.S_IMODE(os.stat(session.socket_path).st_mode) == 0o600
    info = json.loads(session.info_path.read_text(encoding="utf-8"))
    assert info["socket"] == str(session.socket_path) and info["pid"] == os.getpid()
    client = Client(str(session.socket_path))
    try:
        assert client.request({"op": "status"}) == {"ok": True, "status": {"phase": "starting"}}
        assert "unknown op" in client.request({"op": "rm -rf"})["error"]
        assert "unknown act" in client.request({"op": "act", "act": {"act": "x"}})["error"]
        refused = client.request({"op": "act", "act": {"act": "inject", "id": "nope"}})
        assert "bounce-redis" in refused["error"] and not refused["ok"]
        assert not client.request({"op": "act", "act": {"act": "hint", "text": " "}})["ok"]
        assert not client.request({"op": "act", "act": {
            "act": "observe", "criterion": "comms.first-update", "rating": "A"}})["ok"]
        client.file.write(b"not json\n")
        client.file.flush()
        assert "JSON" in json.loads(client.file.readline())["error"]
        assert client.request({"op": "act", "act": {"act": "inject", "id": "bounce-redis",
                                                    "by": "fay"}}) == {"ok": True}
        assert client.request({"op": "act", "act": {"act": "pause"}}) == {"ok": True}
    finally:
        client.close()
    assert session.acts.paused
    assert [a["act"] for a in session.acts.take(0)] == ["inject", "pause"]


def test_a_batch_of_acts_is_checked_whole_and_lands_together(session: Session) -> None:
    """One `facilitate` command line is one batch: a bad act refuses all of it, and a good
    batch is taken at one decision point (the CI once saw an inject and a hint of the same
    command 20 simulated seconds apart when they were sent one by one)."""
    client = Client(str(session.socket_path))
    try:
        refused = client.request({"op": "acts", "acts": [
            {"act": "hint", "text": "look at the pool", "by": "fay"},
            {"act": "inject", "id": "nope", "by": "fay"}]})
        assert not refused["ok"] and refused["act"] == "inject"
        assert not session.acts.pending()
        assert not client.request({"op": "acts", "acts": []})["ok"]
        assert not client.request({"op": "acts", "acts": [{"act": "hint", "text": "x"}] * 33})[
            "ok"]
        assert client.request({"op": "acts", "acts": [
            {"act": "inject", "id": "bounce-redis", "by": "fay"},
            {"act": "hint", "text": "look at the pool", "by": "fay"}]}) == {"ok": True}
    finally:
        client.close()
    assert [a["act"] for a in session.acts.take(0)] == ["inject", "hint"]


def test_no_socket_or_session_file_outlives_the_session() -> None:
    scenario, ref = load_scenario("redis-saturation")
    live = Session("short-lived", {})
    live.drill = Drill(scenario, ref, 1, None)
    live.start()
    live.close()
    assert not live.socket_path.exists() and not live.info_path.exists()
    assert list(sessions_dir().glob("short-lived*")) == []


def start_run(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    journal = tmp_path / "drill.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "run", "redis-saturation", "--seed", "7",
         "--journal", str(journal), "--facilitated", "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("facilitated session: "), line + proc.stderr.read()
    return proc, line.split(": ", 1)[1].strip()


def ended(proc: subprocess.Popen[str], tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Wait for the facilitated drill to end cleanly; its journal and records."""
    try:
        _out, err = proc.communicate(timeout=90)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    journal = tmp_path / "drill.jsonl"
    return journal, [json.loads(line)
                     for line in journal.read_text(encoding="utf-8").splitlines()]


def test_a_facilitator_steers_a_running_drill(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.25")
    try:
        status = json.loads(tabletop("facilitate", session_id, "--status", "--json",
                                     "--wait", "10").stdout)
        assert "maxclients 100" in status["root_cause"]
        assert {i["id"] for i in status["facilitator_injects"]} == {"support-flood",
                                                                    "bounce-redis"}
        acted = tabletop("facilitate", session_id, "--inject", "bounce-redis", "--say", "sam",
                         "Are we down? <b>now</b>", "--hint", "Who owns the comms?",
                         "--observe", "comms.first-update", "s", "late but clear",
                         "--by", "fay")
        assert acted.returncode == 0, acted.stderr
        refused = tabletop("facilitate", session_id, "--inject", "no-such-inject")
        assert refused.returncode == 2 and "no facilitator inject" in refused.stderr
    except BaseException:
        proc.kill()
        raise
    journal, records = ended(proc, tmp_path)
    acts = [r for r in records if r.get("source") == "facilitator"]
    assert [(r["kind"], r["actor"]) for r in acts] == [("inject", "bob"), ("inject", "sam"),
                                                       ("hint", "facilitator")]
    assert all(r["by"] == "fay" for r in acts) and acts[0]["t"] == acts[2]["t"]
    observed = [r for r in records if r["type"] == "observation"]
    assert observed == [{"type": "observation", "criterion": "comms.first-update",
                         "rating": "S", "note": "late but clear", "by": "fay",
                         "t": acts[0]["t"]}]
    assert records[0]["options"]["facilitated"] is True
    # replay re-creates the file byte for byte, the facilitator's acts included
    assert replay(journal) == journal.read_text(encoding="utf-8").splitlines()
    assert list(sessions_dir().glob("*")) == []  # no socket or session file left behind

    # the hot wash's answers and the evaluator's observation reach the after-action report
    washed = tabletop("hotwash", str(journal), "--answer", "We saw Redis <full> at T+3",
                      "--answer", "Priya kept the client list", "--by", "fay")
    assert washed.returncode == 0, washed.stderr
    md = tabletop("score", str(journal), "--format", "md").stdout
    section = md.split("## Evaluator observations")[1].split("## Hot wash")[0]
    machine = json.loads(tabletop("score", str(journal), "--format", "json").stdout)
    auto = next(c["rating"] for c in machine["criteria"] if c["id"] == "comms.first-update")
    row = next(line for line in section.splitlines() if "comms.first-update" in line)
    assert f"| S | {auto} |" in row and "late but clear" in row and "fay" in row
    assert ("✔ agrees" in row) == (auto == "S") and ("≠ evaluator" in row) == (auto != "S")
    assert machine["observations"][0]["machine"] == auto
    wash = md.split("## Hot wash")[1]
    assert "**1. What did the team know about the blast radius" in wash
    assert "We saw Redis &lt;full&gt; at T+3" in wash and "Priya kept the client list" in wash
    assert [h["answer"] for h in machine["hotwash"]] == ["We saw Redis <full> at T+3",
                                                         "Priya kept the client list"]
    html = tabletop("score", str(journal), "--format", "html").stdout
    assert "<h2>Hot wash</h2>" in html and "Redis &lt;full&gt;" in html
    assert "<h2>Evaluator observations</h2>" in html


def test_the_facilitator_pauses_and_ends_the_drill(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.2")
    try:
        assert tabletop("facilitate", session_id, "--pause", "--wait", "10").returncode == 0
        first = json.loads(tabletop("facilitate", session_id, "--status", "--json").stdout)
        time.sleep(1.0)  # five paces: a running drill would have moved on
        second = json.loads(tabletop("facilitate", session_id, "--status", "--json").stdout)
        assert second["paused"] and second["decisions"] == first["decisions"]
        assert tabletop("facilitate", session_id, "--resume", "--end").returncode == 0
        _out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 1, err  # ended unresolved
    records = [json.loads(line) for line in (tmp_path / "drill.jsonl").read_text(
        encoding="utf-8").splitlines()]
    kinds = [r["kind"] for r in records if r.get("source") == "facilitator"]
    assert kinds == ["facilitator_pause", "facilitator_resume", "facilitator_end"]
    assert records[-1]["type"] == "end" and records[-1]["outcome"]["status"] == "unresolved"
    assert replay(tmp_path / "drill.jsonl") == (tmp_path / "drill.jsonl").read_text(
        encoding="utf-8").splitlines()


def test_observations_disagreeing_with_the_machine_are_shown(tmp_path: Path) -> None:
    journal = tmp_path / "solo.jsonl"
    assert tabletop("run", "redis-saturation", "--bot", "hero", "--seed", "7", "--journal",
                    str(journal), "--quiet").returncode in (0, 1)
    lines = journal.read_text(encoding="utf-8").splitlines()
    observed = {"type": "observation", "criterion": "comms.first-update", "rating": "P",
                "note": "<script>x</script>", "by": "eve", "t": 60}
    journal.write_text("\n".join([*lines[:-1], dumps(observed), lines[-1]]) + "\n",
                       encoding="utf-8")
    card = json.loads(tabletop("score", str(journal), "--format", "json").stdout)
    [obs] = card["observations"]
    assert obs["machine"] == "U" and not obs["agree"]
    assert obs["verdict"] == "evaluator 3 steps higher"
    html = tabletop("score", str(journal), "--format", "html").stdout
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_hotwash_refuses_a_running_drill_and_needs_a_terminal(tmp_path: Path) -> None:
    journal = tmp_path / "open.jsonl"
    assert tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "7",
                    "--journal", str(journal), "--quiet").returncode == 0
    lines = journal.read_text(encoding="utf-8").splitlines()
    (tmp_path / "open2.jsonl").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    result = tabletop("hotwash", str(tmp_path / "open2.jsonl"), "--answer", "x")
    assert result.returncode == 2 and "has not ended yet" in result.stderr
    result = tabletop("hotwash", str(journal))
    assert result.returncode == 2 and "needs a terminal" in result.stderr


def test_facilitate_without_a_session_is_a_clear_error() -> None:
    result = tabletop("facilitate", "nobody-here")
    assert result.returncode == 2
    assert "no running session 'nobody-here'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_player_joins_as_comms_and_posts_into_the_one_drill(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.3",
                                 "--team", "ic=ana,comms=ben,ops=chen")
    try:
        update = json.dumps({"audience": "all", "message": "Checkout errors for about one "
                             "customer in twelve since 14:03; we are on it; next update in "
                             "15 minutes."})
        joined = tabletop("join", session_id, "--as", "comms", "--do", "post_update",
                          "--with", update, "--wait", "10")
        assert joined.returncode == 0, joined.stderr
        assert "sent as ben" in joined.stdout
        stranger = tabletop("join", session_id, "--as", "comms", "--name", "zed", "--do",
                            "note", "--with", "{}")
        assert stranger.returncode == 2 and "'zed' is not on the team" in stranger.stderr
        nobody = tabletop("join", session_id, "--as", "scribe", "--do", "note")
        assert nobody.returncode == 2 and "nobody on the team holds" in nobody.stderr
    except BaseException:
        proc.kill()
        raise
    journal, records = ended(proc, tmp_path)
    bens = [r for r in records if r["type"] == "decision" and r.get("who") == "ben"]
    assert any(r["action"] == "post_update" and "one customer in twelve" in r["args"]["message"]
               for r in bens)
    assert replay(journal) == journal.read_text(encoding="utf-8").splitlines()


def test_join_needs_a_team(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.2")
    try:
        result = tabletop("join", session_id, "--as", "comms", "--do", "note", "--wait", "10")
        assert result.returncode == 2 and "this drill has no team" in result.stderr
        assert tabletop("facilitate", session_id, "--end").returncode == 0
        proc.communicate(timeout=60)
    finally:
        proc.kill()


def test_a_joined_terminal_rebuilds_the_live_state_from_the_journal(tmp_path: Path) -> None:
    from simulator.players.play import replay_to_end

    journal = tmp_path / "whole.jsonl"
    assert tabletop("run", "redis-saturation", "--bot", "expert", "--seed", "7", "--journal",
                    str(journal), "--quiet").returncode == 0
    lines = journal.read_text(encoding="utf-8").splitlines()
    fifth = [i for i, line in enumerate(lines) if json.loads(line)["type"] == "decision"][5]
    cut = tmp_path / "running.jsonl"  # as a running drill's file looks before decision 5
    cut.write_text("\n".join(lines[:fifth]) + "\n", encoding="utf-8")
    drill = replay_to_end(cut)
    assert drill.decisions == 5 and drill.phase == "live"
    assert int(drill.engine.now) == json.loads(lines[fifth])["t"]
    assert [dumps(r) for r in drill.journal.records] == lines[:fifth]


def test_a_terminated_drill_leaves_no_socket_and_keeps_its_journal(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.5")
    try:
        assert tabletop("facilitate", session_id, "--status", "--wait", "10").returncode == 0
        proc.terminate()
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert list(sessions_dir().glob("*")) == []
    records = (tmp_path / "drill.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(records[0])["type"] == "header" and json.loads(records[-1])["type"] != "end"


def test_a_stale_session_file_is_tidied_away(tmp_path: Path) -> None:
    sessions_dir().mkdir(parents=True, exist_ok=True)
    stale = sessions_dir() / "gone-123456.json"
    stale.write_text(json.dumps({"socket": str(tmp_path / "x.sock"), "pid": 2 ** 22 + 7}),
                     encoding="utf-8")
    result = tabletop("facilitate", "gone-123456", "--status")
    assert result.returncode == 2 and "its drill's process is gone" in result.stderr
    assert not stale.exists()
