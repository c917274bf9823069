"""Per-person grading after a handover: the IC's criteria go with the seat, each holder
rated on the criteria decided in their own span, and every report says who held command
from when to when (scoring/participants.py command_spans)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import tabletop

pytestmark = pytest.mark.timeout(120)

#: ana declares, then hands command to ben (an ops engineer) at T+8:20; zoe, a second IC,
#: never holds it
PLAN = """\
- {action: acknowledge}
- {action: declare, severity: P2}
- {action: open_channel}
- {action: wait, minutes: 5}
- {action: hand_over, to: ben, summary: "8% of checkouts fail; nothing changed yet; Bob is
   on the dashboard; next: find what changed"}
- {action: freeze_changes}
- {action: delegate, responder: bob, investigation: redis-health}
- {action: post_update, audience: all, impact: "about 8% of checkouts fail",
   doing: "two responders on it", next_update_minutes: 10}
- {action: wait, minutes: 10}
"""


@pytest.fixture(scope="module")
def handed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("handed")
    plan, journal = tmp / "plan.yaml", tmp / "run.jsonl"
    plan.write_text(PLAN, encoding="utf-8")
    done = tabletop("run", "redis-saturation", "--seed", "3", "--decisions", str(plan),
                    "--team", "ic=ana,ic=zoe,comms=cat,ops=ben", "--journal", str(journal),
                    "--quiet", "--no-history")
    assert done.returncode == 2 and "the decisions ran out" in done.stderr, done.stderr
    return journal


def _people(journal: Path) -> dict[str, dict]:
    done = tabletop("score", str(journal), "--format", "json")
    assert done.returncode == 0, done.stderr
    return {p["name"]: p for p in json.loads(done.stdout)["participants"]}


def test_each_holder_is_graded_on_the_ic_criteria_of_their_own_span(handed: Path) -> None:
    people = _people(handed)
    ana, ben, zoe = people["ana"], people["ben"], people["zoe"]
    assert ana["command"] == [{"from": 0, "to": 500, "from_at": "T+0:00", "to_at": "T+8:20"}]
    assert ben["command"][0]["from"] == 500 and ben["command_seconds"] > 0
    assert ana["command_seconds"] == 500 and zoe["command"] == [] and people["cat"][
        "command_seconds"] == 0
    rated = {p: {c["id"]: c for c in people[p]["criteria"]} for p in ("ana", "ben", "zoe")}
    # the declaration was ana's: she is rated on it, ben is not (and is told why)
    assert rated["ana"]["command.declare-early"]["rating"] == "P"
    assert rated["ben"]["command.declare-early"]["rating"] == "N/A"
    assert rated["ben"]["command.declare-early"]["reason"] == "decided while ana held command"
    # what came after the handover is ben's, not ana's
    assert rated["ben"]["mitigate.stabilise-first"]["rating"] == "U"
    assert rated["ana"]["mitigate.stabilise-first"]["reason"] == \
        "decided while ben held command"
    # the handover itself counts for both sides; ben keeps his ops criteria too
    assert rated["ana"]["command.handover"]["rating"] == rated["ben"]["command.handover"][
        "rating"] == "P"
    assert "change.informed" in rated["ben"]
    # an IC who never held command is not graded on the seat's criteria
    assert {c["rating"] for c in zoe["criteria"]} == {"N/A"} and zoe["score"] is None
    assert rated["zoe"]["command.severity"]["reason"] == "zoe never held command"
    assert ana["score"] != ben["score"]


def test_reports_say_who_held_command_from_when_to_when(handed: Path) -> None:
    for fmt in ("text", "md", "html"):
        done = tabletop("score", str(handed), "--format", fmt)
        assert done.returncode == 0, done.stderr
        flat = " ".join(done.stdout.split())
        assert "Command held by: ana T+0:00–T+8:20, ben T+8:20–T+" in flat, (fmt, flat[-2000:])


def test_without_a_handover_the_ic_keeps_every_rating_of_the_seat(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "redis-saturation", "--seed", "3", "--bot", "expert", "--team",
                    "ic=ana,comms=cat", "--journal", str(journal), "--quiet", "--no-history")
    assert done.returncode == 0, done.stderr
    card = json.loads(tabletop("score", str(journal), "--format", "json").stdout)
    team = {c["id"]: c["rating"] for c in card["criteria"]}
    [ana] = [p for p in card["participants"] if p["name"] == "ana"]
    assert all(team[c["id"]] == c["rating"] for c in ana["criteria"])
    assert len(ana["command"]) == 1 and ana["command"][0]["from"] == 0
    assert ana["command_seconds"] == ana["command"][0]["to"] > 0
