"""The IC's direct commands played from the real prompts (keystrokes through a pipe)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ui_keys import ENTER, START, abandon, pick, play_keys, text, top, wait

from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(60)


def test_reply_to_one_stakeholder_from_the_prompts(tmp_path: Path) -> None:
    """Communicate › Reply: pick who asked (Elena, at T+2), type the answer."""
    journal = tmp_path / "reply.jsonl"
    keys = (START + wait(3)
            + top("communicate") + pick(2) + pick(0)      # reply › Elena
            + text("Yes, the release is our lead; rolling back, update in 10.")
            + abandon())
    play_keys(keys, journal, scenario_id="bad-deploy")
    records = read_journal(journal)
    decision = next(d for d in records.decisions() if d["action"] == "reply")
    assert decision["args"] == {"to": "elena",
                                "text": "Yes, the release is our lead; rolling back, update "
                                        "in 10."}
    assert next(records.events("reply"))["text"].startswith("Riley (you) → Elena Rossi")


def test_stop_a_running_change_from_the_prompts(tmp_path: Path) -> None:
    """Ravi restarts catalog-api on his own at T+3; Mitigate › Stop a change in flight."""
    journal = tmp_path / "stop.jsonl"
    keys = (START + wait(3.2)
            + top("mitigate") + pick(6) + pick(0)         # stop › Ravi's restart
            + abandon())
    play_keys(keys, journal, scenario_id="bad-deploy")
    records = read_journal(journal)
    assert [d["action"] for d in records.decisions()][-1] == "cancel_change"
    stopped = next(records.events("change_cancelled"))
    assert stopped["data"] == {"change": "restart:catalog-api", "cancelled_by": "ic",
                               "partial": False}
    assert not list(records.events("evidence_lost"))


def test_tell_a_responder_to_hold_from_the_prompts(tmp_path: Path) -> None:
    """Coordinate › Tell: 'hold off' to Ravi before his restart; it never happens."""
    journal = tmp_path / "tell.jsonl"
    keys = (START + top("coordinate") + pick(8)           # tell (after the basics and page)
            + pick(0) + pick(1) + text("no restarts") + wait(5) + abandon())
    play_keys(keys, journal, scenario_id="bad-deploy")
    records = read_journal(journal)
    told = next(d for d in records.decisions() if d["action"] == "tell")
    assert told["args"] == {"person": "ravi", "says": "hold", "about": "no restarts"}
    assert [e["actor"] for e in records.events("npc_held")] == ["ravi"]


def test_change_severity_and_schedule_the_postmortem_from_the_prompts(tmp_path: Path) -> None:
    """Declare P1, then Coordinate › Change the severity to P2; resolve too early (it
    reopens), and stop there with the postmortem booked from the Close menu."""
    journal = tmp_path / "sev.jsonl"
    keys = (START + top("coordinate") + pick(1) + pick(0)          # declare P1
            + top("coordinate") + pick(7) + pick(0) + text("only product pages")  # → P2
            + top("close") + pick(0) + text("fine") + text("release") + text("none")
            + ENTER + text("later")                                 # resolve: it reopens
            + top("close") + pick(3) + ENTER + pick(1))             # book it, owner Ravi
    outcome = play_keys(keys, journal, scenario_id="bad-deploy")
    records = read_journal(journal)
    actions = [d["action"] for d in records.decisions()]
    assert actions == ["declare", "set_severity", "declare_resolved", "schedule_postmortem"]
    assert records.decisions()[1]["args"] == {"severity": "P2",
                                             "reason": "only product pages"}
    booked = next(records.events("postmortem_scheduled"))
    assert booked["data"] == {"when": "tomorrow 10:00", "owner": "ravi"}
    assert outcome.status == "reopened"


def test_ask_a_quick_question_and_glance_yourself_from_the_prompts(tmp_path: Path) -> None:
    """Investigate › Ask: Dave, what changed in v2.4.1?; Investigate › Quick look: the
    deploy history. Both journaled as decisions with their ids."""
    journal = tmp_path / "ask.jsonl"
    keys = (START + top("investigate") + pick(2) + pick(0) + pick(0)   # ask › Dave › v2.4.1
            + top("investigate") + pick(2) + pick(0)   # quick look (ask is greyed now)
            + wait(1) + abandon())
    play_keys(keys, journal)
    records = read_journal(journal)
    decisions = [(d["action"], d.get("args")) for d in records.decisions()][:2]
    assert decisions == [("ask", {"person": "dave", "question": "v241-changes"}),
                         ("quick_check", {"investigation": "deploy-history"})]
    assert "fraud checks" in next(records.events("answer"))["text"]
    assert next(records.events("quick_check_done"))["data"]["learned"] == ["recent-deploy"]


def test_page_the_owner_from_the_prompts(tmp_path: Path) -> None:
    """Coordinate › Page someone in: Sofia (pricing on-call) joins six minutes later."""
    journal = tmp_path / "page.jsonl"
    keys = (START + top("coordinate") + pick(7) + pick(0) + text("pricing calls are slow")
            + wait(7) + abandon())
    play_keys(keys, journal, scenario_id="bad-deploy")
    records = read_journal(journal)
    paged = next(d for d in records.decisions() if d["action"] == "page")
    assert paged["args"] == {"person": "sofia", "reason": "pricing calls are slow"}
    assert [e["actor"] for e in records.events("joined")] == ["sofia"]
