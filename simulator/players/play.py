"""Run a drill with any decider: the Python API behind `tabletop run` and `resume`.

Resuming replays the journal's decisions into a fresh drill held in memory, checks that the
replay re-created the journal record for record, and only then starts appending to the
file and asks the live decider. So a resumed journal differs from an uninterrupted one only
by its ``interrupted`` and ``resumed`` entries.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from simulator.actions.catalogue import Action
from simulator.engine.drill import Decider, DecisionRejected, Drill, Outcome, Situation
from simulator.engine.facilitation import ReplayActs, recorded_acts
from simulator.engine.team import Team, team_from_header
from simulator.errors import InputError
from simulator.format.scenario import Scenario
from simulator.players.decisions import ChainDecider as ChainDecider
from simulator.players.decisions import ReplayObserver as ReplayObserver
from simulator.players.decisions import ScriptedDecider
from simulator.players.verify import compare, simulation_records
from simulator.runs.journal import Journal, JournalWriter, LockedJournal, read_journal


def run_drill(scenario: Scenario, ref: dict[str, str], decider: Decider, seed: int,
              journal: Path | JournalWriter | None, options: dict[str, Any] | None = None,
              prepare: Callable[[Drill], None] | None = None, team: Team | None = None
              ) -> Outcome:
    """Play one drill to its end; raises InputError for a scripted decision that cannot run.

    ``prepare`` sees the drill before it starts (a facilitated run connects its acts);
    ``team`` is the people of a team drill (None: solo). A journal path must not exist yet
    (journals are created exclusively); pass a JournalWriter to choose otherwise
    (``force``, or a unique default name).
    """
    drill = Drill(scenario, ref, seed, journal, {"decider": decider.name, **(options or {})},
                  team)
    if prepare is not None:
        prepare(drill)
    try:
        return drill.run(decider)
    except DecisionRejected as exc:
        if isinstance(decider, ScriptedDecider):
            raise decider.reject(str(exc)) from None
        raise


def check_replay(journal: Journal, replayed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A resumed run must re-create the interrupted one exactly before it goes on.

    Returns the replayed records the file lacks: none after a pause at a prompt; the tail
    of the last step when the run was killed while the simulation was moving. A record
    that differs is refused at its line (simulator.players.verify).
    """
    count = compare(journal, replayed)
    again = simulation_records(replayed[1:])
    if count == len(again):
        return []
    first_missing = again[count]
    return replayed[next(i for i, r in enumerate(replayed) if r is first_missing):]


def resumable(path: Path) -> Journal:
    """Read a journal and refuse one that cannot be continued."""
    journal = read_journal(path)
    if journal.end is not None:
        raise InputError(f"{path}: this drill has already ended "
                         f"({journal.end.get('outcome', {}).get('status', 'finished')}); "
                         "start a new one with 'tabletop run'")
    return journal


def resume_drill(path: Path, make_decider: Callable[[Scenario, dict[str, Any]], Decider]
                 ) -> tuple[Outcome, Scenario]:
    """Continue an interrupted journal, appending to the same file.

    ``make_decider(scenario, header options)`` builds the live decider; if it also is a
    ReplayObserver it sees every replayed decision (the coach rebuilds its memory so).
    The journal is locked for the whole resume. A torn last line (a crash or a full disk
    cut it mid-write) is cut off, with a copy of the file kept as ``PATH.torn-N``, once the
    replay has matched everything before it; the drill then continues on a fresh line.
    """
    locked = LockedJournal(path)
    try:
        return _resume_locked(path, locked, make_decider)
    finally:
        locked.close()


def _resume_locked(path: Path, locked: LockedJournal,
                   make_decider: Callable[[Scenario, dict[str, Any]], Decider]
                   ) -> tuple[Outcome, Scenario]:
    from simulator.players.verify import recorded_scenario

    journal = resumable(path)
    header = journal.header
    ref = header.get("scenario") or {}
    scenario = recorded_scenario(journal)
    options = header.get("options") or {}
    drill = Drill(scenario, ref, int(header.get("seed", 0)), None, options,
                  team_from_header(header))
    decider = make_decider(scenario, options)
    observer = decider if isinstance(decider, ReplayObserver) else None
    interruptions = sum(1 for r in journal.records if r.get("kind") == "interrupted")

    def continue_file() -> None:
        missing = check_replay(journal, drill.journal.records)
        copy = locked.repair(journal)
        if copy is not None:
            print(f"tabletop: the last line of {path} was cut mid-write (line "
                  f"{journal.torn.line if journal.torn else '?'}); it was removed and the "
                  f"file as it was is kept in {copy}", file=sys.stderr)
        drill.journal.append_to(locked)
        if missing:  # the tail of a step the file lost: write it again, in order
            del drill.journal.records[-len(missing):]
            for record in missing:
                drill.journal.write(record)

    def handover(situation: Situation) -> None:
        continue_file()
        drill.note("resumed", "trainee", interruptions=interruptions)

    chain = ChainDecider(journal.decisions(), decider, observer, handover)
    drill.acts = ReplayActs(recorded_acts(journal.records))  # the facilitator's, in place
    try:
        outcome = drill.run(chain)
    except DecisionRejected as exc:
        raise InputError(f"{path}: a recorded decision could not be replayed ({exc})") from None
    if not chain.handed_over:
        # The recorded decisions end the drill: only its last records were lost (a crash
        # after the final decision). Write them back; there is nothing left to ask.
        continue_file()
        drill.journal.close()
    return outcome, scenario


class _Stop(Exception):
    """Ends a replay where the journal ends (see replay_to_end)."""


class _StopDecider:
    name = "replay"

    def decide(self, situation: Situation) -> Action:
        raise _Stop()


def replay_to_end(path: Path) -> Drill:
    """The drill of a journal (running or not) re-created in memory, at its last decision
    point: a joined player's terminal reads the live state so, without touching the file."""
    from simulator.engine.team import team_from_header
    from simulator.format.loader import scenario_for_journal

    journal = read_journal(path)
    header = journal.header
    ref = header.get("scenario") or {}
    drill = Drill(scenario_for_journal(ref), ref, int(header.get("seed", 0)), None,
                  header.get("options") or {}, team=team_from_header(header))
    drill.acts = ReplayActs(recorded_acts(journal.records))
    with suppress(_Stop):
        drill.run(ChainDecider(journal.decisions(), _StopDecider()))
    return drill
