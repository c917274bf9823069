"""Golden transcripts; regenerate them with `python tests/golden_runs.py`.

It also rewrites scenarios/index.json, the catalogue `tabletop list` reads, since a change
to a built-in scenario changes both.

Run it only when a change of behaviour is intended, then read the diff of this folder
before committing: it shows exactly how the runs and their reports changed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.format.loader import builtin_ids, load_scenario
from simulator.players.bots import make_bot
from simulator.players.play import run_drill

HERE = Path(__file__).resolve().parent / "golden"
BOTS = ("expert", "hero")
SEED = 7


def golden_paths(scenario_id: str, bot: str) -> tuple[Path, Path]:
    stem = HERE / f"{scenario_id}.{bot}.seed{SEED}"
    return stem.with_suffix(".jsonl"), stem.with_suffix(".md")


def render(scenario_id: str, bot: str, journal: Path) -> str:
    """Play one golden run into `journal`; return its Markdown after-action report."""
    from scoring import score_journal
    from scoring.report_md import render_markdown

    scenario, ref = load_scenario(scenario_id)
    journal.unlink(missing_ok=True)  # journals are created exclusively
    run_drill(scenario, ref, make_bot(bot), SEED, journal)
    return render_markdown(score_journal(journal))


def main() -> int:
    for scenario_id in builtin_ids():
        for bot in BOTS:
            journal, report = golden_paths(scenario_id, bot)
            report.write_text(render(scenario_id, bot, journal), encoding="utf-8")
            print(f"wrote {journal.name} and {report.name}")
    from simulator.commands.listing import write_index  # `tabletop list` reads it: keep it in step

    print(f"wrote {write_index()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
