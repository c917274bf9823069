"""Ctrl-C at a prompt: pause and resume to the same state, abandon, or stop at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_keys import CTRL_C, START, abandon, pause, pick, play_keys, resume_keys, top
from ui_scripts import redis_good_opening, redis_good_rest, redis_good_steps

from simulator.errors import DrillInterrupted, InputError
from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(90)
PAUSE_KINDS = ("interrupted", "resumed")


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("coach", ["off", "full"])
def test_pause_then_resume_matches_an_uninterrupted_run(tmp_path: Path, coach: str) -> None:
    """The resumed journal equals the uninterrupted one plus the pause/resume entries."""
    straight = tmp_path / "straight.jsonl"
    whole = play_keys(redis_good_opening() + redis_good_rest(), straight, coach=coach)

    paused = tmp_path / "paused.jsonl"
    with pytest.raises(DrillInterrupted, match="paused"):
        play_keys(redis_good_opening() + pause(), paused, coach=coach)
    assert read_journal(paused).end is None
    resumed = resume_keys(redis_good_rest(), paused)

    assert resumed.data == whole.data and resumed.status == "resolved"
    records = lines(paused)
    extra = [r for r in records if r.get("kind") in PAUSE_KINDS]
    assert [r["kind"] for r in extra] == ["interrupted", "resumed"]
    assert [r for r in records if r.get("kind") not in PAUSE_KINDS] == lines(straight)
    if coach == "full":
        assert any(r.get("kind") == "coaching" for r in records)


def test_pause_inside_a_form_and_resume_twice(tmp_path: Path) -> None:
    """Pausing mid-form drops the half-filled form; two pauses resume as well as one."""
    straight = tmp_path / "straight.jsonl"
    play_keys(redis_good_opening() + redis_good_rest(), straight)
    paused = tmp_path / "paused.jsonl"
    steps = redis_good_steps()
    half_form = top("communicate") + pick(0) + pick(0) + "half an impact"  # then Ctrl-C
    with pytest.raises(DrillInterrupted):
        play_keys(START + "".join(steps[:3]) + pause(), paused)
    with pytest.raises(DrillInterrupted):
        resume_keys("".join(steps[3:]) + half_form + pause(), paused)
    resume_keys(redis_good_rest(), paused)
    records = lines(paused)
    kinds = [r.get("kind") for r in records if r.get("kind") in PAUSE_KINDS]
    assert kinds == ["interrupted", "resumed", "interrupted", "resumed"]
    assert [r for r in records if r.get("kind") not in PAUSE_KINDS] == lines(straight)


def test_second_ctrl_c_stops_at_once_with_the_journal_intact(tmp_path: Path) -> None:
    """Ctrl-C twice: DrillInterrupted (exit 130); the journal can still be resumed."""
    journal = tmp_path / "j.jsonl"
    with pytest.raises(DrillInterrupted, match="stopped"):
        play_keys(redis_good_opening() + CTRL_C + CTRL_C, journal)
    assert lines(journal)[-1]["kind"] == "interrupted"
    assert resume_keys(redis_good_rest(), journal).status == "resolved"


def test_abandon_ends_the_drill_and_refuses_resume(tmp_path: Path) -> None:
    """Abandoning writes an end record; resuming a finished journal is bad input."""
    journal = tmp_path / "j.jsonl"
    outcome = play_keys(redis_good_opening() + abandon(), journal)
    assert outcome.status == "abandoned"
    assert lines(journal)[-1]["type"] == "end"
    with pytest.raises(InputError, match="already ended"):
        resume_keys("", journal)


def test_resume_refuses_an_edited_journal(tmp_path: Path) -> None:
    """A journal whose replay does not reproduce it is rejected before anything is appended."""
    journal = tmp_path / "j.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), journal)
    records = lines(journal)
    decision = next(r for r in records if r.get("action") == "declare")
    decision["args"] = {"severity": "P1"}
    journal.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    before = journal.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"j\.jsonl:\d+:1: event record: text: the journal "
                       r"has .*P2.*, the re-simulation .*P1"):
        resume_keys(redis_good_rest(), journal)
    assert journal.read_text(encoding="utf-8") == before


def test_resume_repairs_a_journal_cut_while_the_simulation_ran(tmp_path: Path) -> None:
    """A run killed mid-step (its last records lost) resumes with those records rewritten."""
    straight = tmp_path / "straight.jsonl"
    play_keys(redis_good_opening() + redis_good_rest(), straight)
    cut = tmp_path / "cut.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), cut)
    records = lines(cut)
    last_decision = max(i for i, r in enumerate(records) if r["type"] == "decision")
    kept = records[: last_decision + 3]  # the step after the last decision, half written
    cut.write_text("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                           for r in kept), encoding="utf-8")
    assert resume_keys(redis_good_rest(), cut).status == "resolved"
    resumed = [r for r in lines(cut) if r.get("kind") != "resumed"]
    assert resumed == lines(straight)


def test_a_resumed_drill_is_scored_as_finished(tmp_path: Path) -> None:
    """Pausing once does not make the finished run count as interrupted for the scorer."""
    from scoring.grader import score_journal

    journal = tmp_path / "j.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), journal)
    resume_keys(redis_good_rest(), journal)
    assert score_journal(journal, None).status == "resolved"
