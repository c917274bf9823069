"""A journal is evidence: edited ones are refused at their first wrong line, never scored.

`score`, `branch` and `history` re-simulate the journal (simulator.players.verify); every record
is validated against the journal models (simulator.runs.records) when read. Whatever is done to
a journal, the answer is one of two documented ones: refused with exit 2 and
``path:LINE:COL: ...``, or accepted because the simulation reproduces it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import tabletop

from simulator.format.loader import load_scenario
from simulator.players.bots import make_bot
from simulator.players.play import run_drill

pytestmark = pytest.mark.timeout(120)


def dump(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write(path: Path, recs: list[dict[str, Any]]) -> Path:
    path.write_text("".join(dump(r) + "\n" for r in recs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("played") / "hero.jsonl"
    scenario, ref = load_scenario("bad-deploy")
    run_drill(scenario, ref, make_bot("hero"), 5, path, {"bot": "hero"})
    return path


def located(stderr: str, path: Path, line: int | None = None) -> None:
    first = stderr.strip().splitlines()[0]
    pattern = re.escape(str(path)) + (rf":{line}:" if line else r":\d+:") + r"\d+: "
    assert re.match(pattern, first), stderr
    assert "Traceback" not in stderr


# --- item 2: score, branch and history re-simulate --------------------------------------
def test_an_unedited_journal_is_scored_and_says_it_was_verified(played: Path,
                                                                tmp_path: Path) -> None:
    text = tabletop("score", str(played))
    assert text.returncode == 0 and "Journal verified" in text.stdout
    js = tabletop("score", str(played), "--format", "json")
    assert json.loads(js.stdout)["verified"]["ok"] is True
    for fmt in ("md", "html"):
        out = tmp_path / f"r.{fmt}"
        assert tabletop("score", str(played), "--format", fmt, "--output", str(out)
                        ).returncode == 0
        assert "Journal verified" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("edit", ["outcome", "decision", "forged_update", "deleted_event",
                                  "think", "end_added"])
def test_an_edited_journal_is_refused_at_its_first_wrong_line(played: Path, tmp_path: Path,
                                                              edit: str) -> None:
    """A trainee cannot raise their grade by editing the journal."""
    recs = records(played)
    target = {"outcome": max(i for i, r in enumerate(recs) if r["type"] == "end"),
              "decision": next(i for i, r in enumerate(recs) if r.get("action") == "restart"),
              "forged_update": 5, "deleted_event": 6,
              "think": next(i for i, r in enumerate(recs) if r["type"] == "decision"),
              "end_added": 40}[edit]
    if edit == "outcome":
        recs[target]["outcome"]["status"] = "resolved"
        recs[target]["outcome"]["failed"] = 0
    elif edit == "decision":
        recs[target]["args"]["by"] = "mei" if recs[target]["args"]["by"] != "mei" else "kofi"
    elif edit == "forged_update":
        recs.insert(target, {"type": "event", "t": recs[target]["t"], "actor": "ic",
                             "kind": "status_update", "text": "IC: all fine",
                             "data": {"audience": "all"}})
    elif edit == "deleted_event":
        del recs[target]
    elif edit == "think":
        recs[target]["think"] = 300.0
    else:
        recs = [*recs[:target], recs[-1]]
    journal = write(tmp_path / "edited.jsonl", recs)
    line = None if edit == "think" else target + 1  # think shifts the records after it
    result = tabletop("score", str(journal))
    assert result.returncode == 2 and not result.stdout
    located(result.stderr, journal, line)
    branched = tabletop("branch", str(journal), "--at", "1", "--bot", "expert")
    assert branched.returncode == 2
    located(branched.stderr, journal, line)
    assert not list(tmp_path.glob("*.branch*"))
    history = tabletop("history", "--dir", str(tmp_path), "--json")
    assert history.returncode == 2
    assert json.loads(history.stdout)[0]["status"] == "unverified"


def test_a_paused_journal_verifies_as_a_prefix(played: Path, tmp_path: Path) -> None:
    """A run that stopped early (pause, crash) is the start of its re-simulation: scored."""
    recs = records(played)
    journal = write(tmp_path / "stopped.jsonl", recs[: len(recs) // 2])
    result = tabletop("score", str(journal), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "interrupted"


def test_history_lists_verified_runs_and_names_the_refused_one(played: Path,
                                                              tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_bytes(played.read_bytes())
    recs = records(played)
    recs[-1]["outcome"]["failed"] = 1
    bad = write(tmp_path / "bad.jsonl", recs)
    result = tabletop("history", "--dir", str(tmp_path))
    assert result.returncode == 2 and "bad-deploy" in result.stdout
    assert f"unverified: {bad}:{len(recs)}:1: end record: outcome.failed" in result.stderr


# --- item 10: hand-edited fields are located errors, never tracebacks -------------------
EDITS: dict[str, tuple[int | str, Any]] = {
    "header.scenario": (0, lambda r: r.pop("scenario")),
    "header.seed": (0, lambda r: r.update(seed="seven")),
    "header.options": (0, lambda r: r.update(options=[1, 2])),
    "header.pressure": (0, lambda r: r["options"].update(pressure="high")),
    "t": ("decision", lambda r: r.update(t="12")),
    "n": ("decision", lambda r: r.update(n=-1)),
    "action": ("decision", lambda r: r.update(action="reboot_everything")),
    "args": ("decision", lambda r: r.update(args=["severity", "P1"])),
    "think": ("decision", lambda r: r.update(think="long")),
    "values": ("metrics", lambda r: r.update(values="all good")),
    "value": ("metrics", lambda r: r["values"].update({next(iter(r["values"])): "x"})),
    "event": ("event", lambda r: r.pop("kind")),
    "outcome": ("end", lambda r: r.update(outcome=None)),
    "type": ("event", lambda r: r.update(type="note")),
}


@pytest.mark.parametrize("field", sorted(EDITS))
def test_a_hand_edited_field_is_a_located_error(played: Path, tmp_path: Path,
                                                field: str) -> None:
    where, edit = EDITS[field]
    recs = records(played)
    index = where if isinstance(where, int) else next(
        i for i, r in enumerate(recs) if r["type"] == where)
    edit(recs[index])
    journal = write(tmp_path / "edited.jsonl", recs)
    commands = [["score", str(journal)]]
    if field in ("header.seed", "action", "values"):  # the other readers, on a sample
        commands += [["resume", str(journal)],
                     ["branch", str(journal), "--at", "0", "--bot", "expert"]]
    for command in commands:
        result = tabletop(*command)
        assert result.returncode == 2, (command, result.stderr)
        located(result.stderr, journal, index + 1)


def test_json_that_is_not_a_journal_value_is_refused(tmp_path: Path, played: Path) -> None:
    """NaN, Infinity, a 5000-digit integer and deep nesting: located errors."""
    lines = played.read_text(encoding="utf-8").splitlines()
    for bad in ('{"type":"metrics","t":60,"values":{"x":NaN},"failed":0}',
                '{"type":"metrics","t":60,"values":{"x":1e999},"failed":0}',
                '{"type":"metrics","t":' + "9" * 5000 + ',"values":{},"failed":0}',
                '{"type":"event","t":1,"actor":"a","kind":"k","data":' + "[" * 100000 + "]"
                * 100000 + "}"):
        journal = tmp_path / "bad.jsonl"
        journal.write_text("\n".join([lines[0], bad, *lines[1:]]) + "\n", encoding="utf-8")
        result = tabletop("score", str(journal))
        assert result.returncode == 2, result.stderr
        located(result.stderr, journal, 2)
