"""Crash safety: a journal cut anywhere (a crash, a kill, a full disk) resumes to a whole run.

The file is cut at every record boundary and in the middle of every record; each copy is
resumed by a decider that plays the rest of the original run, and the result must be the
original journal (plus the ``resumed`` entry), readable by every command. A torn last line
is cut off with a copy kept beside the journal, never glued to the next record.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import tabletop
from ui_keys import pause, play_keys, resume_keys
from ui_scripts import redis_good_opening, redis_good_rest

from scoring.grader import score_journal
from simulator.actions.catalogue import Action
from simulator.engine.drill import Situation
from simulator.errors import DrillInterrupted, InputError, OutputError
from simulator.format.loader import load_scenario
from simulator.format.scenario import Scenario
from simulator.players.bots import make_bot
from simulator.players.play import resume_drill, run_drill
from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(300)


class PlayBack:
    """Plays the decisions of a finished journal by their number (the rest of a run)."""

    name = "playback"

    def __init__(self, decisions: list[dict[str, object]]) -> None:
        self.decisions = decisions

    def decide(self, situation: Situation) -> Action:
        d = self.decisions[situation.decision_index]
        return Action(str(d["action"]), dict(d.get("args") or {}),  # type: ignore[call-overload]
                      float(d.get("think", 0)))  # type: ignore[arg-type]

    def make(self, scenario: Scenario, options: dict[str, object]) -> PlayBack:
        return self


def expert_run(path: Path, scenario_id: str = "redis-saturation", seed: int = 4) -> bytes:
    scenario, ref = load_scenario(scenario_id)
    run_drill(scenario, ref, make_bot("expert"), seed, path, {"bot": "expert"})
    return path.read_bytes()  # the journal `tabletop run --bot expert` writes


def without_resumed(data: bytes) -> list[dict[str, object]]:
    records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return [r for r in records if r.get("kind") != "resumed"]


def cut_points(data: bytes) -> list[int]:
    """Every record boundary after the header, the middle of every record, and every
    decision without its newline (a whole record that lost only its line end)."""
    ends = [i + 1 for i, byte in enumerate(data) if byte == ord("\n")]
    points = []
    for start, end in itertools.pairwise(ends):
        points += [start, (start + end) // 2]
        if data[start:end].startswith(b'{"type":"decision"'):
            points.append(end - 1)
    return points


def resume_and_check(whole: bytes, cut: bytes, path: Path) -> None:
    path.write_bytes(cut)
    original = read_journal_bytes(whole)
    resume_drill(path, PlayBack(original).make)
    repaired = path.read_bytes()
    assert without_resumed(repaired) == without_resumed(whole), f"cut at {len(cut)}"
    torn = sorted(path.parent.glob(path.name + ".torn-*"))
    if not cut.endswith(b"\n") and not _whole_record(cut):
        assert len(torn) == 1 and torn[0].read_bytes() == cut  # the file as it was
        torn[0].unlink()
    else:
        assert not torn
    journal = read_journal(path)
    assert journal.torn is None and journal.end is not None


def _whole_record(data: bytes) -> bool:
    try:
        json.loads(data.rsplit(b"\n", 1)[-1])
    except ValueError:
        return False
    return True


def read_journal_bytes(data: bytes) -> list[dict[str, object]]:
    records = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return [r for r in records if r["type"] == "decision"]


def test_resume_cuts_a_torn_last_line_and_keeps_a_copy(tmp_path: Path) -> None:
    """The torn fragment is removed (copy kept), and the drill continues on a fresh line."""
    whole = expert_run(tmp_path / "whole.jsonl")
    last_decision = whole.rindex(b'"type":"decision"')
    cut = whole[: last_decision + 40]  # the last decision, half written
    path = tmp_path / "run.jsonl"
    resume_and_check(whole, cut, path)
    assert score_journal(path, compare=False).status == "resolved"


def test_resume_after_a_cut_at_every_boundary_and_mid_record(tmp_path: Path) -> None:
    """Every crash point after the header resumes to the original run, byte for byte."""
    whole = expert_run(tmp_path / "whole.jsonl")
    points = cut_points(whole)
    assert len(points) > 200, len(points)
    for n, point in enumerate(points):
        resume_and_check(whole, whole[:point], tmp_path / f"cut{n}.jsonl")


def test_a_cut_inside_the_header_is_a_clear_error(tmp_path: Path) -> None:
    whole = expert_run(tmp_path / "whole.jsonl")
    path = tmp_path / "cut.jsonl"
    for point in (0, 1, 500, whole.index(b"\n") - 1):
        path.write_bytes(whole[:point])
        with pytest.raises(InputError, match=r"header|not a tabletop journal"):
            resume_drill(path, PlayBack([]).make)
        assert path.read_bytes() == whole[:point]  # nothing was written


def test_a_full_disk_mid_run_is_exit_2_and_the_journal_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ENOSPC after N bytes: a partial write, then the error; the run resumes from there."""
    whole = expert_run(tmp_path / "whole.jsonl")
    import simulator.runs.files

    real_write = os.write
    for limit in (len(whole) // 2, len(whole) - 300, whole.index(b"\n") + 10):
        path = tmp_path / f"full{limit}.jsonl"
        budget = {"left": limit}

        def full_disk(fd: int, data: bytes | memoryview, budget: dict[str, int] = budget
                      ) -> int:
            if budget["left"] <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            n = real_write(fd, bytes(data[: budget["left"]]))
            budget["left"] -= n
            return n

        monkeypatch.setattr(simulator.runs.files.os, "write", full_disk)
        scenario, ref = load_scenario("redis-saturation")
        with pytest.raises(OutputError, match="No space left on device"):
            run_drill(scenario, ref, make_bot("expert"), 4, path, {"bot": "expert"})
        monkeypatch.setattr(simulator.runs.files.os, "write", real_write)
        assert path.read_bytes() == whole[:limit]
        resume_and_check(whole, whole[:limit], path)


def test_a_file_size_limit_is_a_clean_exit_2_and_resumes(tmp_path: Path) -> None:
    """A real partial write by the OS (RLIMIT_FSIZE, as when a disk fills up)."""
    whole = expert_run(tmp_path / "whole.jsonl")
    limit = len(whole) - 1000
    path = tmp_path / "run.jsonl"

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run([sys.executable, "-m", "simulator", "run", "redis-saturation",
                             "--bot", "expert", "--seed", "4", "--journal", str(path),
                             "--quiet"], capture_output=True, text=True, timeout=60,
                            preexec_fn=small_disk)
    assert result.returncode == 2, result.stderr
    assert f"cannot write the journal {path}: File too large" in result.stderr
    assert "Traceback" not in result.stderr and f"tabletop resume {path}" in result.stderr
    assert path.read_bytes() == whole[:limit]
    resume_and_check(whole, whole[:limit], path)
    scored = tabletop("score", str(path), "--format", "json")
    assert scored.returncode == 0 and json.loads(scored.stdout)["status"] == "resolved"


def test_dev_full_as_the_journal_is_a_clean_exit_2(tmp_path: Path) -> None:
    result = tabletop("run", "bad-deploy", "--bot", "expert", "--journal", "/dev/full",
                      "--force", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cannot write the journal /dev/full: No space left on device" in result.stderr


def test_an_interactive_drill_torn_at_the_pause_resumes(tmp_path: Path) -> None:
    """The real prompts: a paused journal whose last line was torn resumes and scores."""
    straight = tmp_path / "straight.jsonl"
    play_keys(redis_good_opening() + redis_good_rest(), straight)
    journal = tmp_path / "paused.jsonl"
    with pytest.raises(DrillInterrupted):
        play_keys(redis_good_opening() + pause(), journal)
    data = journal.read_bytes()
    journal.write_bytes(data[:-12])  # the 'interrupted' entry, torn
    assert resume_keys(redis_good_rest(), journal).status == "resolved"
    kept = [r for r in without_resumed(journal.read_bytes()) if r.get("kind") != "interrupted"]
    assert kept == without_resumed(straight.read_bytes())
    assert (tmp_path / "paused.jsonl.torn-1").read_bytes() == data[:-12]
    result = tabletop("score", str(journal))
    assert result.returncode == 0 and "Journal verified" in result.stdout, result.stderr
