"""`tabletop prove` output: the per-bot table, findings, coverage, decisions, or JSON.

The verdict says "proven" only when the process wins on every seed, every anti-pattern
scores lower and none does less harm over the same window; anything else is spelled out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simulator.commands.proving import Progress, Proof, summary_rows

COVERAGE_TITLES = {
    "fixes_never_applied": "fixes never applied",
    "injects_never_fired": "injects never fired",
    "investigations_never_run": "investigations never run",
    "metrics_nothing_moves": "metrics nothing moves",
    "dependencies_nothing_uses": "dependencies nothing uses",
    "variant_choices_never_picked": "variant choices no seed picked",
}


def decisions_of(proof: Proof, which: str) -> dict[str, list[dict[str, Any]]]:
    """Each asked-for bot's decisions on the first seed ("all" for every bot)."""
    return {name: r.runs[0].decisions for name, r in proof.results.items()
            if which in ("all", name)}


def as_dict(proof: Proof, show_decisions: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "scenario": proof.scenario, "seeds": proof.seeds, "ok": proof.ok,
        "harm_ok": proof.harm_ok, "proven": proof.proven, "problems": proof.problems,
        "findings": proof.findings, "coverage": proof.coverage, "variants": proof.variants,
        "bots": summary_rows(proof),
        "runs": [{"bot": r.bot, "seed": r.seed, "status": r.status, "harm": r.harm,
                  "harm_in_run": r.harm_in_run, "score": r.score, "variant": r.variant}
                 for result in proof.results.values() for r in result.runs],
    }
    if show_decisions:
        data["decisions"] = decisions_of(proof, show_decisions)
    return data


def print_proof(proof: Proof, as_json: bool = False, show_decisions: str | None = None) -> None:
    """Print the per-bot table and the verdict."""
    if as_json:
        print(json.dumps(as_dict(proof, show_decisions), indent=2))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from simulator.ui.terminal import console as make_console
    from simulator.ui.terminal import title

    rows = summary_rows(proof)
    table = Table(title=title(f"{proof.scenario}: every bot on seeds "
                              f"{proof.seeds[0]}..{proof.seeds[-1]}"), box=box.SIMPLE_HEAD)
    headers = {"bot": "bot", "resolved": "won", "median_harm": "harm",
               "harm_vs_expert": "×exp", "median_harm_in_run": "in run",
               "median_score": "score", "range": "min-max", "evidence_lost": "ev.lost",
               "second_incident": "2nd"}
    for key, heading in headers.items():
        table.add_column(heading, justify="left" if key == "bot" else "right")
    for row in rows:
        row = {**row, "range": None if row["min_score"] is None
               else f"{row['min_score']:g}-{row['max_score']:g}"}
        table.add_row(*("-" if row[k] is None else str(row[k]) for k in headers))
    console = make_console()
    console.print(table)
    console.print("harm: median failures up to the time limit, the same window for every "
                  "run (in run: up to the run's own end)")
    if show_decisions:
        for name, decisions in decisions_of(proof, show_decisions).items():
            console.print(Text.assemble("\n", (name, "bold"),
                                        f" decisions (seed {proof.seeds[0]}):"))
            for d in decisions:
                args = {k: v for k, v in d.items() if k not in ("t", "action")}
                text = _short(", ".join(f"{k}={v}" for k, v in args.items()), 100)
                console.print(f"  T+{d['t'] // 60:>2}:{d['t'] % 60:02d}  {d['action']}"
                              f"{'  ' + text if text else ''}")
    if proof.variants:
        console.print(Text.assemble("\n", ("variants", "bold"),
                                    " (the versions of the incident the seeds played):"))
        for line in variant_lines(proof):
            console.print(f"  {line}")
    if proof.coverage:
        console.print(Text.assemble("\n", ("coverage", "bold"),
                                    " (never exercised by any bot on any seed):"))
        for key, items in proof.coverage.items():
            console.print(f"  {COVERAGE_TITLES[key]}: {', '.join(items)}")
    if proof.proven:
        console.print("proven: the process resolves it on every seed, every other bot "
                      "scores lower and does more harm over the same window")
    elif proof.ok:
        console.print(Text.assemble(("not proven on harm:", "bold yellow"),
                                    " winnable and every other bot scores lower, but the harm "
                                    "ranking is wrong:"))
    for problem in proof.problems:
        console.print(Text.assemble(("problem:", "bold red"), f" {problem}"))
    for finding in proof.findings:
        console.print(Text.assemble(("finding:", "bold yellow"), f" {finding}"))


def variant_lines(proof: Proof) -> list[str]:
    """One line a choice point: each choice with the seeds that played it; a range with
    the lowest and highest pick. A choice no seed picked also shows under coverage."""
    lines = []
    for vid, seen in proof.variants.items():
        if seen["kind"] == "range":
            low, high = seen["range"]
            lines.append(f"{vid}: picks from {seen['lowest']:g} to {seen['highest']:g} "
                         f"(range {low:g} to {high:g})" if seen["lowest"] is not None
                         else f"{vid}: no pick")
            continue
        parts = [f"{label} ({_seeds(seeds)})" if seeds else f"{label} (no seed)"
                 for label, seeds in seen["picked"].items()]
        lines.append(f"{vid}: {', '.join(parts)}")
    return lines


def _seeds(seeds: list[int]) -> str:
    """Seeds as a short list: "seed 4", "seeds 1, 2, 5"; a long list keeps its count."""
    if len(seeds) == 1:
        return f"seed {seeds[0]}"
    shown = ", ".join(str(s) for s in seeds[:8])
    return f"seeds {shown}" + (f" and {len(seeds) - 8} more" if len(seeds) > 8 else "")


def _short(value: Any, width: int) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


@contextmanager
def progress_bar(enabled: bool, total_hint: str) -> Iterator[Progress | None]:
    """A progress bar on stderr (stdout stays clean for --json); None when disabled."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from simulator.ui.terminal import console

    bar = Progress("{task.description}", BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=console(stderr=True), transient=False)
    task = bar.add_task(total_hint, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update
