"""Command handed over between the players of a team drill: a hand_over to a player (or
the facilitator's --hand-over) moves the IC's seat, and with it who the IC's decisions are
attributed to by default; journaled, verified and replayed exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop
from test_facilitation import replay, start_run

from simulator.players.verify import verify
from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(120)

PLAN = """\
- {action: declare, severity: P2}
- {action: hand_over, to: ben, summary: "8% of checkouts fail; nothing changed yet; Bob is
   on the dashboard; next: find what changed"}
- {action: freeze_changes}
- {action: delegate, responder: bob, investigation: redis-health}
- {action: post_update, audience: all, impact: "about 8% of checkouts fail",
   doing: "two responders on it", next_update_minutes: 10}
- {action: hand_over, to: ana, summary: "back to you: freeze on, Bob on redis health"}
- {action: open_channel}
"""


def records(journal: Path) -> list[dict]:
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]


def test_a_handover_to_a_player_moves_the_ics_decisions_to_them(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "redis-saturation", "--seed", "3", "--decisions", str(plan),
                    "--team", "ic=ana,ic=ben,comms=cat", "--journal", str(journal),
                    "--quiet", "--no-history")
    assert done.returncode == 2 and "the decisions ran out" in done.stderr  # no closing
    lines = records(journal)
    decided = [(r["action"], r["who"]) for r in lines if r["type"] == "decision"]
    assert decided == [("declare", "ana"), ("hand_over", "ana"), ("freeze_changes", "ben"),
                       ("delegate", "ben"), ("post_update", "cat"), ("hand_over", "ben"),
                       ("open_channel", "ana")]
    handovers = [r for r in lines if r.get("kind") == "hand_over"]
    assert handovers[0]["text"].startswith("ana: handing command to ben. 8% of checkouts")
    assert handovers[0]["data"]["from"] == "ana" and handovers[1]["data"]["from"] == "ben"
    checked = verify(read_journal(journal))  # re-simulated record for record, who included
    assert checked.compared == len([r for r in lines if r["type"] != "header"
                                    and r.get("actor") != "trainee"])  # all but 'refused'


def test_a_handover_to_someone_not_playing_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("- {action: hand_over, to: zed, summary: x}\n", encoding="utf-8")
    for team in (["--team", "ic=ana,comms=ben"], []):
        done = tabletop("run", "redis-saturation", "--seed", "3", "--decisions", str(plan),
                        *team, "--journal", str(tmp_path / f"r{len(team)}.jsonl"),
                        "--quiet", "--no-history")
        assert done.returncode == 2 and "'hand_over': to 'zed' is not possible now" in \
            done.stderr, done.stderr
        assert ("ben" in done.stderr.split("one of:")[1]) == bool(team)


def test_the_facilitator_hands_command_to_another_player(tmp_path: Path) -> None:
    proc, session_id = start_run(tmp_path, "--bot", "expert", "--pace", "0.3",
                                 "--team", "ic=ana,comms=ben,ops=chen")
    try:
        status = json.loads(tabletop("facilitate", session_id, "--status", "--json",
                                     "--wait", "10").stdout)
        assert status["commander"] == "ana"
        moved = tabletop("facilitate", session_id, "--hand-over", "ben", "--by", "fay")
        assert moved.returncode == 0, moved.stderr
        again = tabletop("facilitate", session_id, "--hand-over", "zed")
        assert again.returncode == 2 and "must be a player of the team" in again.stderr
        shown = tabletop("facilitate", session_id, "--status")
        assert "· IC ben" in shown.stdout, shown.stdout
        # ana no longer holds command: the IC's actions are ben's, hers are refused
        ana = tabletop("join", session_id, "--as", "ic", "--do", "wait", "--with",
                       '{"minutes": 1}')
        assert ana.returncode == 2 and "ben holds command now" in ana.stderr, ana.stderr
        ben = tabletop("join", session_id, "--as", "comms", "--do", "wait", "--with",
                       '{"minutes": 1}')
        assert ben.returncode == 0, ben.stderr
        _out, err = proc.communicate(timeout=90)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    journal = tmp_path / "drill.jsonl"
    lines = records(journal)
    [act] = [r for r in lines if r.get("kind") == "facilitator_hand_over"]
    assert act["by"] == "fay" and act["data"] == {"to": "ben", "from": "ana"}
    assert act["text"] == "Facilitator: command passes from ana to ben."
    assert any(r["type"] == "decision" and r["who"] == "ben" and r["action"] == "wait"
               and r["args"] == {"minutes": 1} for r in lines[lines.index(act):])
    after = lines[lines.index(act):]
    ic_moves = [r["who"] for r in after if r["type"] == "decision"
                and r["action"] in ("declare_resolved", "wait", "write_postmortem", "finish")]
    assert ic_moves and set(ic_moves) == {"ben"}
    assert replay(journal) == journal.read_text(encoding="utf-8").splitlines()
