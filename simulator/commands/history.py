"""`tabletop history`: progress over time, from the history database (commands/historydb.py).

Every run is recorded there (a paused one as "paused" until its end replaces that row),
wherever its journal was written; this lists the runs
(one person's with --person), each scenario's scores with a trend and each criterion's
ratings over time, as a table, JSON, CSV or a one-page HTML report (simulator/commands/progress.py).
--dir instead scores the journals of one folder directly, without the database.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from simulator.errors import ExitCode, InputError, TabletopError


def summarise(path: Path) -> dict[str, Any]:
    """One row: scenario, player, outcome and score of a verified journal.

    Every journal is read once and re-simulated before it is scored (simulator.players.verify;
    about 15 ms of CPU for a drill), so an edited one cannot slip a better score into the
    history: it is listed as ``unverified`` with the first line that differs, and history
    exits 2. A file that is not a journal at all is listed as ``unreadable``, as before,
    and is not fatal.
    """
    from scoring import grade
    from simulator.players.verify import verify
    from simulator.runs.journal import read_journal

    row: dict[str, Any] = {"journal": str(path),
                           "when": time.strftime("%Y-%m-%d %H:%M",
                                                 time.localtime(path.stat().st_mtime))}
    unknown = {"scenario": "?", "player": "?", "score": None}
    try:
        journal = read_journal(path)  # read once, verified and graded from memory
    except TabletopError as exc:
        return {**row, **unknown, "status": "unreadable", "verified": False,
                "problem": str(exc).splitlines()[0]}
    try:
        checked = verify(journal)
        card = grade(journal, checked.scenario, compare=False)
    except TabletopError as exc:
        return {**row, **unknown, "status": "unverified", "verified": False,
                "problem": str(exc).splitlines()[0]}
    return {**row, "scenario": card.scenario_id, "player": card.player,
            "status": card.status, "score": card.score, "verified": True}


def _short(path: Path) -> str:
    """The journal's path with the home folder as ~, so the table stays readable."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def history_command(args: argparse.Namespace) -> int:
    if args.dir:
        return folder_command(args)
    from simulator.commands.historydb import describe_url, open_history

    history = open_history(args.db)
    try:
        rows = history.runs(person=args.person, scenario=args.scenario)
        where = describe_url(history.url)
    finally:
        history.close()
    if not rows:
        who = f" for {args.person}" if args.person else ""
        what = f" of {args.scenario}" if args.scenario else ""
        raise InputError(f"no runs yet{who}{what} in {where} (play one with tabletop run"
                         f"{' --team ic=' + args.person if args.person else ''})")
    from simulator.commands import progress

    title = "Progress" + (f" of {args.person}" if args.person else "") + (
        f" on {args.scenario}" if args.scenario else "")
    if args.json or args.csv or args.html:
        if args.json:
            text = json.dumps(progress.to_json_rows(rows), indent=2) + "\n"
        elif args.csv:
            text = progress.to_csv(rows)
        else:
            text = progress.render_html(rows, title)
        from simulator.commands.historydb import database_file
        from simulator.runs.files import deliver_text

        deliver_text(text, args.output, [("history database", database_file(args.db))])
        return 0
    print_progress(rows, title, where)
    return 0


def print_progress(rows: list[dict[str, Any]], title: str, where: str) -> None:
    from rich.table import Table

    from simulator.commands import progress
    from simulator.ui.terminal import console
    from simulator.ui.terminal import title as styled

    out = console()
    runs = Table(title=styled(f"{title}: {len(rows)} run(s) in {where}"))
    person = "person" in rows[0]
    for col in ("when (UTC)", "scenario", "seed", *(("person", "role") if person else ()),
                "player", "outcome", "score"):
        runs.add_column(col, justify="right" if col in ("score", "seed") else "left")
    for r in rows[-20:]:
        runs.add_row(r["recorded_at"].replace("T", " ").rstrip("Z"), r["scenario"],
                     str(r["seed"]), *((r["person"], r["role"]) if person else ()),
                     r["player"], r["status"], "-" if r["score"] is None else str(r["score"]))
    out.print(runs)
    if len(rows) > 20:
        print(f"(the last 20 of {len(rows)} runs; --csv lists them all)")
    scen = Table(title=styled("Per scenario"))
    for col in ("scenario", "runs", "first", "latest", "best", "trend"):
        scen.add_column(col, justify="left" if col in ("scenario", "trend") else "right")
    for s in progress.by_scenario(rows):
        scen.add_row(s["scenario"], str(s["runs"]), *(("-" if s[k] is None else str(s[k]))
                                                     for k in ("first", "latest", "best")),
                     s["trend"])
    out.print(scen)
    crit = Table(title=styled("Per criterion: which principles keep slipping"))
    for col in ("criterion", "slipped", "latest", "trend"):
        crit.add_column(col)
    for c in progress.by_criterion(rows):
        crit.add_row(c["criterion"], f"{c['slipped']} of {c['rated']}", c["latest"],
                     c["trend"])
    out.print(crit)


def folder_command(args: argparse.Namespace) -> int:
    """--dir: score every journal of one folder (no database)."""
    folder: Path = args.dir
    if not folder.is_dir():
        raise InputError(f"no runs: {folder} is not a folder")
    paths = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime)
    where = str(folder)
    rows = [summarise(p) for p in paths]
    if args.scenario:
        rows = [r for r in rows if r["scenario"] == args.scenario]
    refused = [r for r in rows if r["status"] == "unverified"]
    code = ExitCode.BAD_INPUT if refused else ExitCode.OK
    for row in rows:
        if not row["verified"]:
            print(f"{row['status']}: {row['problem']}", file=sys.stderr)
    if refused:
        print(f"tabletop: {len(refused)} journal(s) did not reproduce when re-simulated "
              "(edited?); they are not scored", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, indent=2))
        return code
    from rich.table import Table

    from simulator.ui.terminal import console, title

    table = Table(title=title(f"Runs in {where}"))
    for col in ("when", "scenario", "player", "outcome", "score"):
        table.add_column(col, justify="right" if col == "score" else "left")
    table.add_column("journal", overflow="fold")
    for row in rows:
        table.add_row(row["when"], row["scenario"], row["player"], row["status"],
                      "-" if row["score"] is None else str(row["score"]),
                      _short(Path(row["journal"])))
    console().print(table)
    if not rows:
        print("no runs found")
    return code
