"""The `tabletop` command: argument parsing and printing only.

Everything it does is available from Python (simulator.load_scenario, run_drill, ...);
this module turns arguments into calls, and errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from simulator import __version__
from simulator.errors import ExitCode, InputError, TabletopError


def _parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line, with the arguments of ``command`` only.

    Every command is declared with its one-line help, so `tabletop --help` and argparse's
    "invalid choice" stay complete, but only the chosen one gets its arguments: declaring
    all of them (and importing what their choices need) cost `tabletop list` about 8 ms.
    """
    p = argparse.ArgumentParser(
        prog="tabletop", description="Incident-command tabletop drills: play the IC of a "
        "simulated outage and get graded against the incident process.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in HELP.items():
        s = sub.add_parser(name, help=help_text)
        if name == command:
            ARGUMENTS[name](s)
    return p


def _command(argv: Sequence[str]) -> str | None:
    """The command word: the first argument that is not an option (the top level has only
    --help and --version, which take no value)."""
    return next((a for a in argv if not a.startswith("-")), None)


#: every command with its one-line help (`tabletop --help` lists them all)
HELP = {
    "list": "list the built-in scenarios",
    "show": "show a scenario's briefing (no spoilers)",
    "brief": "print the facilitator guide of a scenario (spoilers: MSEL, ideal path, traps, "
             "hot-wash questions, evaluator guide)",
    "run": "play a drill (interactive, scripted or bot)",
    "facilitate": "the facilitator's console of a facilitated drill (tabletop run "
                  "--facilitated): see what players must not, and act",
    "join": "a player's own terminal in a facilitated team drill: the actions of your role, "
            "played into the one drill",
    "hotwash": "after a drill: walk the group through the scenario's debrief questions; the "
               "answers go into the reports",
    "observe": "after a drill: record an evaluator's observation (their own P/S/M/U rating "
               "of a criterion, with a note); the reports show it beside the scorer's rating",
    "resume": "continue a paused interactive drill from its journal",
    "branch": "replay a journal up to decision N, then let a bot, a decisions file or you "
              "decide from there (a counterfactual run)",
    "history": "progress over time: runs, scores per scenario and per criterion (which "
               "principles keep slipping), from the history database",
    "prove": "play every bot on several seeds: is the scenario winnable by the process and "
             "does each anti-pattern do worse?",
    "score": "grade a journal against the incident process (after-action report)",
    "new": "start a scenario file from a built-in one",
    "validate": "check scenario files; exit 2 if any is invalid",
    "schema": "print the scenario JSON Schema",
}


def _args_list(s: argparse.ArgumentParser) -> None:
    s.add_argument("--json", action="store_true", help="print a JSON array")


def _args_show(s: argparse.ArgumentParser) -> None:
    s.add_argument("scenario", help="a built-in id or a path to a YAML file")
    s.add_argument("--msel", action="store_true",
                   help="facilitator view: the injects (master scenario events list)")


def _args_brief(s: argparse.ArgumentParser) -> None:
    s.add_argument("scenario", help="a built-in id or a path to a YAML file")
    s.add_argument("--format", choices=("md", "html"), default="md",
                   help="Markdown (default) or a self-contained HTML page")
    s.add_argument("--rubric", type=Path, metavar="FILE",
                   help="the rubric whose thresholds the evaluator guide quotes")
    s.add_argument("--output", type=Path, help="write to a file instead of stdout")


def _args_run(s: argparse.ArgumentParser) -> None:
    from simulator.players.bots import BOT_NAMES as BOTS

    s.add_argument("scenario", help="a built-in id or a path to a YAML file")
    s.add_argument("--seed", type=int, help="random seed (recorded in the journal)")
    s.add_argument("--journal", type=Path, help="where to write the run's journal (.jsonl); "
                   "an existing file is refused unless --force")
    s.add_argument("--force", action="store_true",
                   help="replace an existing file at --journal (never an input, never a "
                   "journal another drill is writing)")
    who = s.add_mutually_exclusive_group()
    who.add_argument("--bot", choices=sorted(BOTS), help="let a bot persona play")
    who.add_argument("--decisions", type=Path, help="play a YAML file of decisions")
    s.add_argument("--export-decisions", type=Path, metavar="FILE",
                   help="write the decisions played as a decisions file")
    s.add_argument("--team", metavar="ROLE=NAME,...", nargs="?", const=True,
                   help="people in roles, e.g. ic=ana,comms=ben,ops=chen,ops=dee: each "
                   "decision is attributed to a person (default: the owner of its role); "
                   "without a value, asks who plays (at a terminal)")
    s.add_argument("--quiet", action="store_true", help="print only the outcome line")
    s.add_argument("--coach", choices=("full", "light", "off"), default="full",
                   help="interactive coaching: full (tips and warnings), light (warnings "
                   "before damaging actions only), off (assessment)")
    s.add_argument("--pressure", type=_pressure, default=0.0, metavar="N",
                   help="each real second at a prompt costs N simulated seconds (default 0)")
    _history_options(s)
    s.add_argument("--facilitated", action="store_true",
                   help="open a session a facilitator follows and steers from another "
                   "terminal (tabletop facilitate SESSION)")
    s.add_argument("--pace", type=_pace, default=2.0, metavar="SECONDS",
                   help="with --facilitated and --bot/--decisions: real seconds between "
                   "decisions, so the facilitator can follow (default 2)")


def _args_facilitate(s: argparse.ArgumentParser) -> None:
    s.add_argument("session", help="the session id that run --facilitated printed")
    s.add_argument("--status", action="store_true", help="print the facilitator's view once")
    s.add_argument("--json", action="store_true", help="with --status: as JSON")
    s.add_argument("--inject", action="append", metavar="ID",
                   help="play one of the scenario's facilitator_injects")
    s.add_argument("--say", nargs=2, metavar=("FROM", "TEXT"),
                   help="a message from anyone (a roster id or a label such as monitoring)")
    s.add_argument("--hint", metavar="TEXT", help="a hint to the players")
    s.add_argument("--pause", action="store_true", help="pause the clock")
    s.add_argument("--resume", action="store_true", help="resume the clock")
    s.add_argument("--observe", nargs=3, metavar=("CRITERION", "RATING", "NOTE"),
                   help="record an evaluator observation (rating P, S, M or U)")
    s.add_argument("--hand-over", dest="hand_over", metavar="NAME",
                   help="team drills: command passes to this player (their joined terminal "
                   "gets the IC's actions)")
    s.add_argument("--end", action="store_true", help="end the drill now")
    s.add_argument("--by", default="facilitator", help="your name in the journal")
    s.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for the session to start")


def _args_join(s: argparse.ArgumentParser) -> None:
    s.add_argument("session", help="the session id that run --facilitated printed")
    s.add_argument("--as", dest="as_", required=True, metavar="ROLE",
                   help="your role on the team (ic, comms, ops)")
    s.add_argument("--name", help="your name on the team (default: the role's first holder)")
    s.add_argument("--do", metavar="ACTION", help="send one decision and exit (scripts)")
    s.add_argument("--with", dest="with_", metavar="JSON",
                   help="with --do: the action's arguments as a JSON object")
    s.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="wait this long for the session to start")


def _args_hotwash(s: argparse.ArgumentParser) -> None:
    s.add_argument("journal", type=Path, help="the ended drill's journal")
    s.add_argument("--answer", action="append", metavar="TEXT",
                   help="an answer, in question order (repeat; default: ask for each)")
    s.add_argument("--by", default="facilitator", help="your name in the journal")


def _args_observe(s: argparse.ArgumentParser) -> None:
    s.add_argument("journal", type=Path, help="the ended drill's journal")
    s.add_argument("criterion", help="a criterion id of the rubric, e.g. comms.first-update")
    s.add_argument("rating", help="P (performed), S (some challenges), M (major "
                   "challenges) or U (unable to perform)")
    s.add_argument("note", help="what you saw")
    s.add_argument("--by", default="evaluator", help="your name in the journal")

def _args_resume(s: argparse.ArgumentParser) -> None:
    s.description = (
        "Replay the journal's decisions, check that they re-create it exactly, and "
        "continue the drill interactively where it stopped, appending to the same "
        "journal. Ctrl-C during a drill offers to pause (exit status 130, journal kept) "
        "or to abandon (the drill ends unresolved, exit status 1); SIGTERM and SIGHUP "
        "pause (exit status 143 and 129). A last line torn by a crash is cut off first, "
        "the file as it was kept as JOURNAL.torn-N.")
    s.add_argument("journal", type=Path, help="the journal (.jsonl) of the paused drill")
    _history_options(s)


def _args_branch(s: argparse.ArgumentParser) -> None:
    from simulator.players.bots import BOT_NAMES as BOTS

    s.add_argument("journal", type=Path, help="the journal to branch from")
    s.add_argument("--at", type=int, required=True, metavar="N",
                   help="keep decisions 0..N-1 (the numbers in the report's chart)")
    who = s.add_mutually_exclusive_group()
    who.add_argument("--bot", choices=sorted(BOTS), help="let a bot take over")
    who.add_argument("--decisions", type=Path, help="continue with a YAML file of decisions")
    s.add_argument("--output", type=Path, metavar="JOURNAL",
                   help="the branch's journal (default: next to the original, never "
                   "overwriting one); an existing file is refused unless --force")
    s.add_argument("--force", action="store_true", help="replace an existing --output file")
    s.add_argument("--coach", choices=("full", "light", "off"), default="full")
    s.add_argument("--pressure", type=_pressure, default=0.0, metavar="N")
    _history_options(s)


def _args_history(s: argparse.ArgumentParser) -> None:
    s.description = (
        "Every finished run is recorded in the history database (SQLite in the user data "
        "folder, or a shared PostgreSQL database with --db URL / TABLETOP_DB). This lists"
        " the runs, each scenario's scores with a trend sparkline, and each criterion's "
        "ratings over time.")
    s.add_argument("--person", metavar="NAME", help="one person's runs (a --team name), "
                   "graded on the criteria of their role")
    s.add_argument("--scenario", help="only runs of this scenario id")
    out = s.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the runs as JSON")
    out.add_argument("--csv", action="store_true",
                     help="print one CSV row per run, with each criterion's rating")
    out.add_argument("--html", action="store_true",
                     help="a one-page progress report with a chart (self-contained HTML)")
    s.add_argument("--output", type=Path, help="write to a file instead of stdout")
    s.add_argument("--dir", type=Path, help="list and score the journals of one folder "
                   "instead (no database)")
    _history_options(s, writes=False)


def _args_prove(s: argparse.ArgumentParser) -> None:
    s.add_argument("scenario", help="a built-in id or a path to a YAML file")
    s.add_argument("--seeds", type=int, default=5, help="how many seeds (1..N; default 5)")
    s.add_argument("--json", action="store_true", help="print the table as JSON")
    s.add_argument("--show-decisions", nargs="?", const="all", metavar="BOT",
                   help="also print each bot's decisions on the first seed (or one bot's)")
    s.add_argument("--jobs", type=int, default=None,
                   help="worker processes (default: every core, at most 8)")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar on stderr (default: when stderr is a terminal)")


def _args_score(s: argparse.ArgumentParser) -> None:
    from scoring.arguments import add_arguments

    add_arguments(s)


def _args_new(s: argparse.ArgumentParser) -> None:
    s.add_argument("id", help="the new scenario's id (lowercase letters, digits, dashes)")
    s.add_argument("--from", dest="template", default="redis-saturation",
                   help="the built-in scenario to copy (default: redis-saturation)")
    s.add_argument("--output", type=Path, help="where to write it (default: ./ID.yaml)")
    s.add_argument("--from-timeline", dest="timeline", type=Path, metavar="LOG",
                   help="build a skeleton from an incident log ('HH:MM who: what' lines) "
                   "instead of copying a built-in scenario")


def _args_validate(s: argparse.ArgumentParser) -> None:
    s.add_argument("files", nargs="+", help="scenario files or built-in ids")
    s.add_argument("--strict", action="store_true",
                   help="treat lint warnings (no red herring, a silent stakeholder, a cut "
                   "metric title, a TODO...) as errors: exit 2")


def _args_schema(s: argparse.ArgumentParser) -> None:
    s.add_argument("--output", type=Path, help="write to a file instead of stdout")


def _pace(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be from 0 to 3600")
    return value


def _history_options(s: argparse.ArgumentParser, writes: bool = True) -> None:
    s.add_argument("--db", metavar="PATH|URL",
                   help="the history database: a SQLite file or a postgresql+psycopg:// URL "
                   "(default: $TABLETOP_DB, else history.sqlite3 in the user data folder)")
    if writes:
        s.add_argument("--no-history", action="store_true",
                       help="do not record this run in the history database")


def _pressure(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 600:
        raise argparse.ArgumentTypeError("must be from 0 to 600")
    return value


def _list(args: argparse.Namespace) -> int:
    from simulator.commands.listing import catalogue

    rows = catalogue()  # the learning path: `order` first, then easiest and shortest
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    from simulator.ui.names import source_name
    from simulator.ui.plaintable import print_table

    # The "from" column names who published the postmortem (`show --msel` cites it in full);
    # no box around the table leaves the titles room at 80 columns.
    print_table("Built-in scenarios", ("id", "title", "difficulty", "min", "from"),
                [(r["id"], r["title"], r["difficulty"], str(r["minutes"]),
                  source_name(r.get("source")) or "-") for r in rows],
                right=(False, False, False, True, False))
    print("Start one with: tabletop run ID   (add --bot expert to watch a model run)")
    return 0


def _show(args: argparse.Namespace) -> int:
    from simulator.format.loader import load_scenario
    from simulator.ui.briefing import render_briefing
    from simulator.ui.terminal import console

    scenario, _ = load_scenario(args.scenario)
    console().print(render_briefing(scenario, msel=args.msel))
    return 0


def _brief(args: argparse.Namespace) -> int:
    from scoring import load_rubric
    from scoring.guide import render_guide
    from simulator.format.loader import load_scenario, resolve
    from simulator.runs.files import deliver_text

    scenario, _ = load_scenario(args.scenario)
    text = render_guide(scenario, load_rubric(args.rubric), args.format)
    deliver_text(text, args.output, [("scenario", resolve(args.scenario)),
                                     ("rubric", args.rubric)])
    return 0


def _validate(args: argparse.Namespace) -> int:
    from simulator.format.loader import lint_scenario, load_scenario

    failed = 0
    for name in args.files:
        try:
            scenario, _ = load_scenario(name)
            warnings = lint_scenario(name)
        except InputError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
            continue
        for warning in warnings:
            print(str(warning), file=sys.stderr)
        if warnings and args.strict:
            failed += 1
            continue
        lint = f", {len(warnings)} warning(s)" if warnings else ""
        print(f"{name}: ok ({scenario.id}: {len(scenario.faults)} faults, "
              f"{len(scenario.investigations)} investigations, {len(scenario.injects)} injects"
              f"{lint})")
    if failed:
        what = "invalid or with warnings (--strict)" if args.strict else "invalid"
        print(f"{failed} of {len(args.files)} file(s) {what}", file=sys.stderr)
    return ExitCode.BAD_INPUT if failed else ExitCode.OK


def _branch(args: argparse.Namespace) -> int:
    from simulator.commands.branching import branch_command

    return branch_command(args)


def _history(args: argparse.Namespace) -> int:
    from simulator.commands.history import history_command

    return history_command(args)


def _prove(args: argparse.Namespace) -> int:
    from simulator.commands.proving import prove
    from simulator.commands.proving_report import print_proof, progress_bar
    from simulator.format.loader import load_scenario
    from simulator.players.bots import BOTS

    if not 1 <= args.seeds <= 200:
        raise InputError("--seeds must be from 1 to 200")
    if args.show_decisions not in (None, "all", *BOTS):
        raise InputError(f"--show-decisions: unknown bot {args.show_decisions!r} "
                         f"(one of: {', '.join(sorted(BOTS))}, or no value for all)")
    jobs = args.jobs if args.jobs is not None else min(8, os.cpu_count() or 1)
    if not 1 <= jobs <= 64:
        raise InputError("--jobs must be from 1 to 64")
    scenario, ref = load_scenario(args.scenario)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    with progress_bar(show, f"proving {scenario.id}") as on_progress:
        proof = prove(scenario, ref, list(range(1, args.seeds + 1)), score_journal, jobs,
                      on_progress)
    print_proof(proof, as_json=args.json, show_decisions=args.show_decisions)
    return ExitCode.OK if proof.proven else ExitCode.GOAL_FAILED


def score_journal(journal: Any, scenario: Any) -> float:
    """The scorer's total for a journal held in memory (no expert comparison needed).

    Module level, so worker processes can receive it; the rubric is loaded once per process.
    """
    from scoring import grade, load_rubric

    rubric = _RUBRIC.get("builtin") or _RUBRIC.setdefault("builtin", load_rubric())
    return float(grade(journal, scenario, rubric, compare=False).score)


_RUBRIC: dict[str, Any] = {}


def _new(args: argparse.Namespace) -> int:
    from simulator.commands.authoring import new_scenario

    if args.timeline is not None:
        from simulator.commands.timeline import scenario_from_timeline
        from simulator.format.loader import lint_scenario

        path, data = scenario_from_timeline(args.id, args.timeline, args.output)
        todos = [w for w in lint_scenario(str(path)) if "TODO" in w.message]
        print(f"wrote {path}: {len(data['injects'])} events as injects, "
              f"{len(data['roster']['responders'])} responders, "
              f"{len(data['roster']['stakeholders'])} stakeholders, "
              f"{len(data['fixes'])} candidate fix(es); {len(todos)} TODO markers to "
              f"complete (`tabletop validate {path}` lists them)")
        return 0
    path = new_scenario(args.id, args.template, args.output)
    print(f"wrote {path}: edit it, then `tabletop validate {path}` and "
          f"`tabletop prove {path}`")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from simulator.format.scenario import schema_text
    from simulator.runs.files import deliver_text

    deliver_text(schema_text(), args.output)
    return 0


def _run(args: argparse.Namespace) -> int:
    from simulator.commands.runner import run_command

    return run_command(args)


def _facilitate(args: argparse.Namespace) -> int:
    from simulator.ui.console import facilitate_command

    return facilitate_command(args)


def _join(args: argparse.Namespace) -> int:
    from simulator.ui.join import join_command

    return join_command(args)


def _hotwash(args: argparse.Namespace) -> int:
    from simulator.ui.console import hotwash_command

    return hotwash_command(args)


def _observe(args: argparse.Namespace) -> int:
    from simulator.ui.console import observe_command

    return observe_command(args)


def _resume(args: argparse.Namespace) -> int:
    from simulator.commands.runner import resume_command

    return resume_command(args)


def _score(args: argparse.Namespace) -> int:
    from scoring.debrief import score_command

    return score_command(args)


COMMANDS: dict[str, Any] = {"list": _list, "show": _show, "brief": _brief, "run": _run,
                            "resume": _resume, "facilitate": _facilitate,
                            "hotwash": _hotwash, "join": _join, "observe": _observe,
                            "branch": _branch, "history": _history, "prove": _prove,
                            "score": _score, "new": _new, "validate": _validate,
                            "schema": _schema}


ARGUMENTS: dict[str, Any] = {name: globals()[f"_args_{name}"] for name in HELP}


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser(_command(argv))
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return ExitCode.BAD_INPUT
    try:
        return int(COMMANDS[args.command](args))
    except TabletopError as exc:
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            print(f"tabletop: {exc}" if not getattr(exc, "problems", None) else str(exc),
                  file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("\ntabletop: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except OSError as exc:  # an output that failed (stdout closed or full, a file) names it
        return _output_failed(exc)
    except SystemExit as exc:
        if exc.code == 1 and _stdout_is_devnull():  # rich's answer to a closed pipe
            return _output_failed(BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)))
        raise


def _stdout_is_devnull() -> bool:
    """rich points stdout at /dev/null and exits 1 when the pipe is closed; exit 2 instead."""
    try:
        mine, null = os.fstat(sys.stdout.fileno()), os.stat(os.devnull)
    except (OSError, ValueError):
        return False
    return (mine.st_rdev, mine.st_ino) == (null.st_rdev, null.st_ino)


def _output_failed(exc: OSError) -> int:
    """A failed write (a closed pipe, a full disk): exit 2 with the path, no traceback.

    Standard output is pointed at /dev/null afterwards, so the interpreter's final flush of
    the unwritable buffer cannot fail a second time with Python's own noise.
    """
    where = exc.filename or "standard output"
    with contextlib.suppress(OSError, ValueError):  # no stdout left to redirect: fine
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    with contextlib.suppress(OSError):
        print(f"tabletop: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
    return ExitCode.BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
