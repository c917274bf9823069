"""Benchmarks: `python benchmarks/run.py` (one command; not part of the pass/fail suite).

Each case runs several times and reports the median and spread; pairs that answer "which
is faster" (the C YAML parser against the pure-Python one, a journal on disk against one in
memory) are measured side by side in the same process and reported as ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import alternate, summary, timed

from scoring import score_journal
from scoring.report_html import render_html
from simulator.format.loader import builtin_dir, builtin_ids, load_scenario, parse_scenario
from simulator.format.yamlsafe import PureTabletopLoader, TabletopLoader, load_yaml
from simulator.players.bots import BOTS, make_bot
from simulator.players.play import run_drill
from simulator.runs.journal import JournalWriter


def measure(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    return summary(alternate([timed(fn)], repeat)[0])


def measure_pair(a: Callable[[], Any], b: Callable[[], Any], repeat: int
                 ) -> tuple[dict[str, float], dict[str, float]]:
    """Time two variants alternately, so both see the same machine conditions."""
    ta, tb = alternate([timed(a), timed(b)], repeat)
    return summary(ta), summary(tb)


def scenario_cases(sid: str, repeat: int) -> list[dict[str, Any]]:
    text = (builtin_dir() / f"{sid}.yaml").read_text(encoding="utf-8")
    c_parse, py_parse = measure_pair(lambda: load_yaml(text, "s.yaml", TabletopLoader),
                                     lambda: load_yaml(text, "s.yaml", PureTabletopLoader),
                                     repeat)
    rows: list[dict[str, Any]] = [
        {"case": f"parse YAML (C, paired) {sid}", **c_parse},
        {"case": f"parse YAML (pure Python, paired) {sid}", **py_parse,
         "ratio": py_parse["median_ms"] / c_parse["median_ms"]},
        {"case": f"load+validate {sid}", **measure(lambda: parse_scenario(text, "s.yaml"),
                                                   repeat)},
    ]
    scenario, ref = load_scenario(sid)

    def drill(bot: str, path: Path | None = None) -> Callable[[], Any]:
        if path is None:
            return lambda: run_drill(scenario, ref, make_bot(bot), 7, None)
        # journals are created exclusively: each repetition replaces the last one's
        return lambda: run_drill(scenario, ref, make_bot(bot), 7, JournalWriter(path, force=True))

    for bot in sorted(BOTS):
        rows.append({"case": f"drill {sid} --bot {bot} (journal in memory)",
                     **measure(drill(bot), repeat)})
    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / "hero.jsonl"
        drill("hero", journal)()
        rows.append({"case": f"score {sid} hero journal (no expert comparison)",
                     **measure(lambda: score_journal(journal, compare=False), repeat)})
        rows.append({"case": f"score {sid} hero journal (with expert replay)",
                     **measure(lambda: score_journal(journal), repeat)})
        card = score_journal(journal)
        rows.append({"case": f"render HTML report {sid}",
                     **measure(lambda: render_html(card), repeat)})
        mem, disk = measure_pair(drill("expert"), drill("expert", Path(tmp) / "j.jsonl"), repeat)
    rows.append({"case": f"drill {sid} --bot expert (journal in memory, paired)", **mem})
    rows.append({"case": f"drill {sid} --bot expert (journal on disk, paired)", **disk,
                 "ratio": disk["median_ms"] / mem["median_ms"]})
    return rows


def cases(repeat: int) -> list[dict[str, Any]]:
    return [row for sid in builtin_ids() for row in scenario_cases(sid, repeat)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = cases(args.repeat)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        return 0
    print(f"{'case':<62} {'median ms':>10} {'min':>8} {'max':>8}  ratio")
    for row in rows:
        ratio = f"  x{row['ratio']:.2f}" if "ratio" in row else ""
        print(f"{row['case']:<62} {row['median_ms']:>10.2f} {row['min_ms']:>8.2f} "
              f"{row['max_ms']:>8.2f}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
