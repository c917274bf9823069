"""Evaluator observations recorded after the drill ended (tabletop observe, tabletop
facilitate JOURNAL --observe): appended under the journal's lock, earlier lines untouched,
the journal still verifies, the reports show them beside the automatic rating."""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from pathlib import Path

import pytest
from helpers import tabletop

from simulator.players.verify import verify
from simulator.runs.journal import read_journal

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def ended(tmp_path: Path) -> Path:
    journal = tmp_path / "run.jsonl"
    done = tabletop("run", "redis-saturation", "--bot", "hero", "--seed", "7", "--journal",
                    str(journal), "--quiet", "--no-history", "--team", "ic=ana,comms=ben")
    assert done.returncode in (0, 1), done.stderr
    return journal


def test_an_observation_after_the_end_is_appended_and_shown(ended: Path) -> None:
    before = ended.read_bytes()
    done = tabletop("observe", str(ended), "comms.first-update", "s", "late <but> clear",
                    "--by", "eve")
    assert done.returncode == 0, done.stderr
    assert "observation added: comms.first-update S by eve" in done.stdout
    after = ended.read_bytes()
    assert after.startswith(before)  # nothing earlier was rewritten
    added = [json.loads(line) for line in after[len(before):].decode().splitlines()]
    end_t = json.loads(before.decode().splitlines()[-1])["t"]
    assert added == [{"type": "observation", "criterion": "comms.first-update",
                      "rating": "S", "note": "late <but> clear", "by": "eve", "t": end_t,
                      "after": True}]
    journal = read_journal(ended)
    verify(journal)  # the re-simulation accepts it
    facilitated = tabletop("facilitate", str(ended), "--observe", "command.declare-early", "P",
                           "declared at once", "--by", "fay")
    assert facilitated.returncode == 0, facilitated.stderr
    card = json.loads(tabletop("score", str(ended), "--format", "json").stdout)
    assert [(o["criterion"], o["when"], o["by"]) for o in card["observations"]] == [
        ("comms.first-update", "after the drill", "eve"),
        ("command.declare-early", "after the drill", "fay")]
    machine = next(c["rating"] for c in card["criteria"] if c["id"] == "comms.first-update")
    assert card["observations"][0]["machine"] == machine
    md = ended.with_name("run.score.md").read_text(encoding="utf-8")  # rewritten beside it
    row = next(line for line in md.split("## Evaluator observations")[1].splitlines()
               if "comms.first-update" in line)
    assert row.startswith("| after the drill |") and f"| S | {machine} |" in row
    assert "late &lt;but&gt; clear" in row or "late <but> clear" in row
    text = tabletop("score", str(ended)).stdout
    assert "Evaluator observations beside the automatic rating" in text
    folder = json.loads(tabletop("history", "--dir", str(ended.parent), "--json").stdout)
    assert [r["verified"] for r in folder] == [True]


def test_bad_observations_are_refused_and_nothing_is_written(ended: Path) -> None:
    before = ended.read_bytes()
    for args, said in [(("comms.nope", "P", "x"), "unknown criterion 'comms.nope'"),
                       (("comms.cadence", "A", "x"), "rating 'A': one of P, S, M, U"),
                       (("comms.cadence", "P", "x" * 2001), "at most 2000")]:
        done = tabletop("observe", str(ended), *args)
        assert done.returncode == 2 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    running = ended.with_name("running.jsonl")
    running.write_bytes(b"".join(before.splitlines(keepends=True)[:-1]))
    done = tabletop("observe", str(running), "comms.cadence", "P", "fine")
    assert done.returncode == 2 and "has not ended yet" in done.stderr
    done = tabletop("facilitate", str(ended), "--inject", "bounce-redis")
    assert done.returncode == 2 and "only --observe" in done.stderr
    assert ended.read_bytes() == before


def test_an_append_waits_for_the_journal_lock(ended: Path) -> None:
    """Two evaluators at once: the second waits for the first's lock, never interleaves."""
    fd = os.open(ended, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    released = threading.Timer(1.0, lambda: os.close(fd))
    released.start()
    start = time.monotonic()
    done = tabletop("observe", str(ended), "comms.cadence", "M", "silent for 20 minutes")
    released.join()
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - start >= 1.0
    assert json.loads(ended.read_text(encoding="utf-8").splitlines()[-1])["rating"] == "M"


def test_a_hot_wash_is_refused_while_another_writer_keeps_the_lock(
        ended: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tabletop hotwash` takes the lock drills and resumes take: a writer that keeps it
    past the wait gets exit 2 with the reason, and the journal is left as it was."""
    import simulator.engine.appendix
    from simulator.cli import main

    monkeypatch.setattr(simulator.engine.appendix, "LOCK_WAIT", 0.3)
    before = ended.read_bytes()
    fd = os.open(ended, os.O_RDWR)  # another process's open file: flock sees two owners
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code = main(["hotwash", str(ended), "--answer", "we waited too long"])
    finally:
        os.close(fd)
    assert code == 2
    assert "another tabletop process" in capsys.readouterr().err
    assert ended.read_bytes() == before
    assert main(["hotwash", str(ended), "--answer", "we waited too long"]) == 0
    assert json.loads(ended.read_text(encoding="utf-8").splitlines()[-1])["type"] == "hotwash"
