"""`tabletop run` and `tabletop resume`: choose the decider and the journal, play, report.

Exit codes: 0 resolved, 1 played but not resolved (or abandoned), 2 bad input (including
an interactive drill without a terminal) or an output that cannot be written, 130 paused
or interrupted, 143 SIGTERM, 129 SIGHUP (journal kept in all three, and `tabletop resume
JOURNAL` continues it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import DrillInterrupted, ExitCode, InputError
from simulator.runs.files import check_output, refuse_inputs, write_atomic
from simulator.ui.tty import has_terminal, need_terminal

if TYPE_CHECKING:
    from simulator.engine.drill import Decider, Outcome
    from simulator.engine.team import Team
    from simulator.format.scenario import Scenario
    from simulator.runs.journal import JournalWriter


def new_seed() -> int:
    """A fresh seed for an unseeded run; it is recorded in the journal, so replays match."""
    return int.from_bytes(os.urandom(4), "big") % 1_000_000


def default_journal(scenario_id: str, seed: int) -> Path:
    """A path under the user's data directory (platform-appropriate); the writer adds
    ``-2``, ``-3``... when a run in the same second took it already."""
    from simulator.runs.userdata import runs_dir

    stamp = time.strftime("%Y%m%d-%H%M%S")
    return runs_dir() / f"{scenario_id}-seed{seed}-{stamp}.jsonl"


def open_journal(args: argparse.Namespace, scenario_id: str, seed: int) -> JournalWriter:
    """Create the run's journal before the drill starts: exclusively, locked, never onto
    an input; the default name is made unique."""
    from simulator.runs.journal import JournalWriter

    if args.journal is None:
        return JournalWriter(default_journal(scenario_id, seed), unique=True)
    refuse_inputs(args.journal, [("scenario", scenario_path(args.scenario)),
                                 ("decisions file", args.decisions)], "--journal")
    return JournalWriter(args.journal, force=bool(getattr(args, "force", False)))


def scenario_path(name: str) -> Path | None:
    from simulator.format.loader import resolve

    try:
        return resolve(name)
    except InputError:
        return None


def interactive_decider(scenario: Scenario, args: argparse.Namespace) -> Decider:
    need_terminal()
    from simulator.ui.prompts import PromptDecider

    return PromptDecider(scenario, **ui_options(args))


def ui_options(args: argparse.Namespace) -> dict[str, Any]:
    """The interactive settings, recorded in the journal header so resume reuses them."""
    return {k: getattr(args, k) for k in ("coach", "pressure") if getattr(args, k, None)
            is not None}


def pick_decider(scenario: Scenario, args: argparse.Namespace) -> Decider:
    from simulator.players.bots import make_bot
    from simulator.players.decisions import load_decisions

    if args.bot:
        return make_bot(args.bot)
    if args.decisions:
        return load_decisions(args.decisions)
    return interactive_decider(scenario, args)


def print_outcome(outcome: Outcome, journal: Path, scenario: Scenario) -> None:
    from simulator.engine.incidents import describe

    d = outcome.data

    def at(seconds: int | None) -> str:
        return "never" if seconds is None else f"T+{seconds // 60}:{seconds % 60:02d}"

    times = d.get("reopened", 0)
    reopened = f" (after {times} reopen{'s' if times > 1 else ''})" if times else ""
    mitigated = f" | mitigated {at(d['mitigated_at'])}" if "mitigated_at" in d else ""
    print(f"outcome: {outcome.status}{mitigated} | recovered {at(d['recovered_at'])} | resolved "
          f"{at(d['resolved_at'])}{reopened} | {d['failed']:,} {d['impact_unit']} "
          f"({d['failed_by_limit']:,} by T+{d['time_limit_minutes']} if left as is)"
          f" | evidence lost: {', '.join(d['evidence_lost']) or 'none'}"
          f" | caused: {'; '.join(describe(scenario, d['second_incident'])) or 'nothing'}")
    if d.get("variant"):
        print("variant: " + ", ".join(f"{k}={v}" for k, v in d["variant"].items()))
    print(f"journal: {journal}")


def run_command(args: argparse.Namespace) -> int:
    from simulator.engine.team import parse_team

    team = parse_team(args.team) if isinstance(getattr(args, "team", None), str) else None
    interactive = not (args.bot or args.decisions)
    early = briefing_first(args) if interactive else None
    if early is None:
        from simulator.format.loader import load_scenario

        scenario, ref = load_scenario(args.scenario)
        scenario_id = scenario.id
    else:
        scenario_id = early.row["id"]
    if team is None:
        team = ask_team(args)
    if args.export_decisions:  # a bad path fails now, not after the drill was played
        refuse_inputs(args.export_decisions, [
            ("scenario", scenario_path(args.scenario)), ("decisions file", args.decisions),
            ("journal", args.journal)], "--export-decisions")
        check_output(args.export_decisions, "--export-decisions")
    seed = args.seed if args.seed is not None else new_seed()
    if early is None:
        decider = pick_decider(scenario, args)
        writer = open_journal(args, scenario_id, seed)
    else:
        need_terminal()
        writer = open_journal(args, scenario_id, seed)
        scenario, ref = early.brief(writer)
        from simulator.ui.prompts import PromptDecider

        decider = PromptDecider(scenario, briefed=True, **ui_options(args))
    return play_run(args, scenario, ref, decider, seed, writer, interactive, team)


def play_run(args: argparse.Namespace, scenario: Scenario, ref: dict[str, str],
             decider: Decider, seed: int, writer: JournalWriter, interactive: bool,
             team: Team | None) -> int:
    """The drill of `tabletop run`, its exported decisions and its report."""
    from simulator.players.decisions import ScriptedDecider, export_decisions
    from simulator.players.play import run_drill

    if isinstance(decider, ScriptedDecider):
        decider.check_team(team)
    options = {"bot": args.bot} if args.bot else ui_options(args) if interactive else {}
    journal = writer.path
    assert journal is not None
    with paused_message(journal, args):
        if getattr(args, "facilitated", False):
            outcome = run_facilitated(scenario, ref, decider, seed, writer, options, args,
                                      team)
        else:
            outcome = run_drill(scenario, ref, decider, seed, writer, options, team=team)
    if args.export_decisions:
        records = [r for r in writer.records if r.get("type") == "decision"]
        write_atomic(args.export_decisions, export_decisions(records), "--export-decisions")
    report(scenario, outcome, journal, interactive, quiet=getattr(args, "quiet", False),
           args=args)
    return ExitCode.OK if outcome.status == "resolved" else ExitCode.GOAL_FAILED


def ask_team(args: argparse.Namespace) -> Team | None:
    """The roster prompt: for `--team` without a value, and for a facilitated drill
    started at a terminal without --team (which may still be played solo)."""
    asked = getattr(args, "team", None) is True
    if not asked and not (getattr(args, "facilitated", False) and has_terminal()):
        return None
    if not has_terminal():
        raise InputError("--team without a value asks who plays, at a terminal; without "
                         "one, give the team: --team ic=NAME,comms=NAME,ops=NAME")
    from simulator.ui.roster import ask_roster, ask_team_or_solo

    return ask_roster() if asked else ask_team_or_solo()


def briefing_first(args: argparse.Namespace) -> EarlyBriefing | None:
    """For an interactive, unfacilitated drill of a built-in scenario whose index row
    matches its file: show the briefing from the index while the scenario loads."""
    if getattr(args, "facilitated", False) or not has_terminal():
        return None
    from simulator.commands.listing import indexed

    row = indexed(args.scenario)
    return None if row is None else EarlyBriefing(row, args)


class EarlyBriefing:
    """The briefing drawn from the scenario's index row, before the scenario is loaded.

    Loading (the models built, the file validated and cross-checked, the engine imported)
    starts in a thread once the prompt is on screen and is joined after the key: the
    trainee reads while it runs. Loading is never skipped: a scenario that fails it stops
    here with the same located errors, and its empty journal is removed.
    """

    def __init__(self, row: dict[str, Any], args: argparse.Namespace) -> None:
        import threading

        self.row, self.args = row, args
        self.loaded: tuple[Scenario, dict[str, str]] | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="tabletop-load", daemon=True)

    def _load(self) -> None:
        try:
            from simulator.format.loader import load_scenario

            self.loaded = load_scenario(self.args.scenario)
            import simulator.players.play
            import simulator.ui.prompts  # noqa: F401  (the drill's modules, while reading)
        except BaseException as exc:  # raised in the main thread by brief()
            self.error = exc

    def brief(self, writer: JournalWriter) -> tuple[Scenario, dict[str, str]]:
        from simulator.runs.signals import stopping_on_signals
        from simulator.ui import briefscreen
        from simulator.ui.terminal import console

        try:
            with stopping_on_signals():
                briefscreen.show(console(), self.row["first_screen"], self.args.coach,
                                 float(self.args.pressure), self.thread.start)
            if self.thread.ident is None:  # the prompt was never drawn
                self._load()
            self.thread.join()
            if self.error is not None:
                raise self.error
        except BaseException:
            writer.discard()  # nothing was played: no journal to resume
            raise
        assert self.loaded is not None
        return self.loaded


def run_facilitated(scenario: Scenario, ref: dict[str, str], decider: Decider, seed: int,
                    writer: JournalWriter, options: dict[str, Any], args: argparse.Namespace,
                    team: Team | None = None) -> Outcome:
    """A drill with a session the facilitator's console (and players) can connect to."""
    from simulator.players.play import run_drill
    from simulator.players.session import Paced, Session, hosting, new_session_id

    journal = writer.path
    assert journal is not None

    session = Session(new_session_id(scenario.id), {
        "scenario": scenario.id, "journal": str(journal.resolve()), "seed": seed})
    interactive = not (args.bot or args.decisions)
    if interactive:
        from simulator.ui.facilitated import FacilitatedPrompt

        live: Decider = FacilitatedPrompt(decider, session)
    else:
        live = Paced(decider, session, args.pace)

    def connect(drill: Any) -> None:
        drill.acts = session.acts
        session.drill = drill

    with hosting(session):
        print(f"facilitated session: {session.id}\n"
              f"  facilitator: tabletop facilitate {session.id}\n"
              f"  socket: {session.socket_path}", flush=True)
        return run_drill(scenario, ref, live, seed, writer,
                         {**options, "facilitated": True}, connect, team)


def report(scenario: Scenario, outcome: Outcome, journal: Path, interactive: bool,
           quiet: bool = False, args: argparse.Namespace | None = None) -> None:
    """The end of a drill: the reveal (interactive only), the scorer's debrief, the outcome,
    and the run recorded in the history database (unless --no-history)."""
    from scoring.debrief import debrief_after_run

    if interactive and not quiet:
        from simulator.ui.debrief import render_reveal
        from simulator.ui.terminal import console

        console().print(render_reveal(scenario, outcome, journal))
    card = debrief_after_run(journal, quiet=quiet)
    print_outcome(outcome, journal, scenario)
    record_history(journal, card, args)


def record_history(journal: Path, card: Any, args: argparse.Namespace | None,
                   paused: bool = False) -> None:
    """Every run goes into the history database, wherever its journal is: a finished one
    with its outcome, a paused one as "paused" (its final record replaces that one)."""
    if getattr(args, "no_history", False):
        return
    from simulator.commands.historydb import record_finished, verified_card

    if card is None:
        from simulator.runs.journal import read_journal

        card = verified_card(read_journal(journal))
    record_finished(journal, card, getattr(args, "db", None), paused=paused)


def record_paused(journal: Path, args: argparse.Namespace | None) -> None:
    """A paused run is in the history too; nothing here may hide the pause itself."""
    if args is None or getattr(args, "no_history", False):
        return
    from simulator.commands.historydb import verified_card
    from simulator.errors import TabletopError
    from simulator.runs.journal import read_journal

    try:
        record = read_journal(journal)
        if record.end is None:  # an ended run was recorded as finished already
            record_history(journal, verified_card(record), args, paused=True)
    except (TabletopError, OSError) as exc:
        print(f"tabletop: warning: could not record the paused run in the history ({exc})",
              file=sys.stderr)


@contextmanager
def paused_message(journal: Path, args: argparse.Namespace | None = None) -> Iterator[None]:
    """Turn a pause (Ctrl-C, SIGTERM, SIGHUP) into a message that says how to continue,
    and record the paused run in the history (with ``args``: --db, --no-history).

    The exit status stays the pause's: 130 for Ctrl-C, 128 + the signal number otherwise.
    """
    from simulator.runs.signals import stopping_on_signals

    try:
        with stopping_on_signals():
            yield
    except DrillInterrupted as exc:
        if getattr(exc, "ended", False):
            raise
        record_paused(journal, args)
        exc.args = (f"{exc}; the journal is kept. Continue with:\n"
                    f"  tabletop resume {journal}",)
        raise exc from None
    except KeyboardInterrupt:  # a facilitated drill's SIGTERM: the journal is kept too
        if journal.exists() and journal.stat().st_size:
            record_paused(journal, args)
        raise


def resume_command(args: argparse.Namespace) -> int:
    """Replay an interrupted journal and continue it interactively, in the same file."""
    from simulator.players.play import resumable, resume_drill
    from simulator.ui.prompts import PromptDecider

    path: Path = args.journal
    resumable(path)  # a finished or unreadable journal is refused before asking for a terminal
    need_terminal()

    def make(scenario: Scenario, options: dict[str, Any]) -> PromptDecider:
        return PromptDecider(scenario, coach=str(options.get("coach", "full")),
                             pressure=float(options.get("pressure", 0.0)))

    with paused_message(path, args):
        outcome, scenario = resume_drill(path, make)
    report(scenario, outcome, path, interactive=True, args=args)
    return ExitCode.OK if outcome.status == "resolved" else ExitCode.GOAL_FAILED
