"""A journal outlives the tool that wrote it: when an upgrade changed what the simulation
says (a message's wording, say), verification cannot tell that from an edit, so it says
both, naming the two versions. This is why the version is raised with such changes."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import tabletop

from simulator import __version__


def test_a_journal_from_another_version_that_differs_names_both_versions(
        tmp_path: Path) -> None:
    played = tmp_path / "played.jsonl"
    assert tabletop("run", "bad-deploy", "--bot", "expert", "--seed", "1", "--journal",
                    str(played), "--quiet", "--no-history").returncode == 0
    lines = played.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["version"] = "0.0.9"
    said = next(i for i, line in enumerate(lines)
                if json.loads(line).get("kind") == "drill_start")
    record = json.loads(lines[said])
    record["text"] = record["text"].replace("UTC", "UTC (older wording)", 1)
    lines[0], lines[said] = (json.dumps(header, separators=(",", ":")),
                             json.dumps(record, separators=(",", ":")))
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scored = tabletop("score", str(old))
    assert scored.returncode == 2 and "Traceback" not in scored.stderr
    assert f"old.jsonl:{said + 1}:1:" in scored.stderr
    assert f"written by version 0.0.9 of the tool, this is {__version__}" in scored.stderr
    # the same journal with only the version changed still verifies: versions alone differ
    lines = played.read_text(encoding="utf-8").splitlines()
    lines[0] = json.dumps(header, separators=(",", ":"))
    same = tmp_path / "same.jsonl"
    same.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tabletop("score", str(same)).returncode in (0, 1)
