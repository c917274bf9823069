"""The calibration corpus: hand-written play, with the grade an IC expected before scoring.

Each file in tests/calibration/ is an ordinary decisions file (the loader reads only the
YAML list) whose leading comment block holds a ``calibration:`` mapping written before the
scorer ever saw the script: the scenario and seed, the expected score band, the criteria the
play must lose (rated S, M or U) and those it must keep (rated P), the story, and for the
scripts that surprised us a note saying who was right. Running this module prints the table
of expected band against the score actually given (``python tests/calibration_corpus.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).resolve().parent / "calibration"
LOST = {"S", "M", "U"}


@dataclass(frozen=True)
class Expectation:
    path: Path
    scenario: str
    seed: int
    band: tuple[float, float]
    must_lose: list[str]
    must_keep: list[str]
    xfail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem


def header(path: Path) -> dict[str, Any]:
    """The ``calibration:`` mapping from the file's leading comment lines."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    data = yaml.safe_load("\n".join(lines)) or {}
    if not isinstance(data, dict) or not isinstance(data.get("calibration"), dict):
        raise ValueError(f"{path}: no 'calibration:' block in the leading comments")
    return dict(data["calibration"])


def expectation(path: Path) -> Expectation:
    h = header(path)
    low, high = h["band"]
    notes = h.get("notes") or []
    return Expectation(path, h["scenario"], int(h["seed"]), (float(low), float(high)),
                       list(h.get("must_lose") or []), list(h.get("must_keep") or []),
                       str(h.get("xfail") or ""), list(notes))


def corpus() -> list[Expectation]:
    return [expectation(p) for p in sorted(CORPUS.glob("*.yaml"))]


@dataclass
class Graded:
    returncode: int
    outcome: str
    score: float
    ratings: dict[str, str]
    stderr: str = ""


def play(exp: Expectation, workdir: Path) -> Graded:
    """Play the script through the real CLI and read the JSON report it writes."""
    journal = workdir / f"{exp.name}.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "simulator", "run", exp.scenario, "--decisions", str(exp.path),
         "--seed", str(exp.seed), "--journal", str(journal), "--coach", "off", "--quiet"],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    report = journal.with_suffix(".score.json")
    if run.returncode not in (0, 1) or not report.exists():
        return Graded(run.returncode, run.stdout.strip(), -1.0, {}, run.stderr)
    data = json.loads(report.read_text(encoding="utf-8"))
    ratings = {c["id"]: c["rating"] for c in data["criteria"]}
    return Graded(run.returncode, run.stdout.strip(), float(data["score"]), ratings)


def verdict(exp: Expectation, got: Graded) -> list[str]:
    """Every way the scorer disagrees with the expectation (empty when it agrees)."""
    if got.score < 0:
        return [f"the script did not play: exit {got.returncode}: {got.stderr.strip()}"]
    wrong = []
    low, high = exp.band
    if not low <= got.score <= high:
        wrong.append(f"score {got.score:g} outside the band {low:g}-{high:g}")
    for cid in exp.must_lose:
        if got.ratings.get(cid) not in LOST:
            wrong.append(f"{cid} should be lost (S/M/U) but is {got.ratings.get(cid)}")
    for cid in exp.must_keep:
        if got.ratings.get(cid) != "P":
            wrong.append(f"{cid} should be kept (P) but is {got.ratings.get(cid)}")
    return wrong


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for exp in corpus():
            got = play(exp, Path(tmp))
            wrong = verdict(exp, got)
            low, high = exp.band
            mark = "ok" if not wrong else ("xfail" if exp.xfail else "SURPRISE")
            print(f"| {exp.scenario} | {exp.name.split('--', 1)[-1]} | {low:g}-{high:g} | "
                  f"{got.score:g} | {mark} |")
            for w in wrong:
                print(f"|   | {w} | | | |")
            if "-v" in sys.argv:
                print("   ", " ".join(f"{k.split('.')[-1]}={v}" for k, v in got.ratings.items()))


if __name__ == "__main__":
    main()
