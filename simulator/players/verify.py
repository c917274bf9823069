"""Verify a journal by re-simulating it: the journal must be what the run would write.

A journal is evidence: a trainee hands it to a facilitator to be graded. Its records are
not trusted as written; the run is played again in memory from the recorded scenario,
seed, options and decisions (exactly as `resume` does), and every record the simulation
wrote must come out the same, in the same order. An edited outcome, a forged update, a
moved decision or a deleted event is refused at the first line that differs, with exit 2.

Records from the trainee's side (coaching, pause, resume; see play.UI_ACTORS) are not
produced by the simulation and are not compared. The journal may stop early (a pause, a
crash): then its records must be the start of the re-simulated run. The cost is one run
of the simulation, linear in the journal, with the journal read once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.engine.drill import Decider, DecisionRejected, Drill, DrillAbandoned, Situation
from simulator.errors import DrillInterrupted, InputError, Problem
from simulator.format.scenario import Scenario
from simulator.runs.journal import Journal

if TYPE_CHECKING:
    from simulator.players.decisions import ChainDecider

#: journal events written by the trainee's side (coach, pause), not by the simulation
UI_ACTORS = ("coach", "trainee")
#: record types written beside the simulation: an evaluator's observations, the hot wash
#: answers appended after the end
NOT_SIMULATED = ("observation", "hotwash")
#: header fields that may differ from a re-simulation (a journal outlives tool upgrades)
UNCOMPARED_HEADER = ("version",)


@dataclass(frozen=True)
class Verified:
    """A journal whose records the simulation reproduced."""

    scenario: Scenario
    #: how many of its records were compared with the re-simulation
    compared: int


class _AfterTheJournal:
    """Takes over when the recorded decisions run out: the run ends as the journal did."""

    name = "verify"

    def __init__(self, abandoned: bool) -> None:
        self.abandoned = abandoned

    def decide(self, situation: Situation) -> Any:
        if self.abandoned:
            raise DrillAbandoned("replayed")
        raise DrillInterrupted("the journal ends here")


def simulated(record: dict[str, Any]) -> bool:
    return record.get("actor") not in UI_ACTORS and record.get("type") not in NOT_SIMULATED


def simulation_records(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the simulation wrote: no coaching, pause, observation or hot wash."""
    return [r for r in records if simulated(r)]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def difference(on_file: dict[str, Any], again: dict[str, Any]) -> str:
    """Say which field of a record differs from the re-simulation, and how."""
    for key in [*on_file, *(k for k in again if k not in on_file)]:
        if on_file.get(key) != again.get(key):
            mine, theirs = on_file.get(key), again.get(key)
            if isinstance(mine, dict) and isinstance(theirs, dict):
                inner = next((k for k in [*mine, *theirs] if mine.get(k) != theirs.get(k)), "")
                key, mine, theirs = f"{key}.{inner}", mine.get(inner), theirs.get(inner)
            if key not in on_file and "." not in key:
                return f"{key}: missing (the re-simulation has {_short(theirs)})"
            return f"{key}: the journal has {_short(mine)}, the re-simulation {_short(theirs)}"
    return "differs from the re-simulation"


def compare(journal: Journal, replayed: list[dict[str, Any]], prefix_ok: bool = True) -> int:
    """Check the journal's simulation records against a re-simulation; returns how many.

    With ``prefix_ok`` the journal may stop before the re-simulation does (a paused or
    crashed run); every record it has must still match.
    """
    path = journal.path
    hint = "the journal was edited, or written by a different version of the tool"
    header, again_header = journal.header, replayed[0]
    for key in sorted({*header, *again_header} - set(UNCOMPARED_HEADER)):
        if header.get(key) != again_header.get(key):
            raise InputError("", [Problem(path, journal.header_line, 1, "header: " + difference(
                {key: header.get(key)}, {key: again_header.get(key)}), hint)])
    again = simulation_records(replayed[1:])
    count = 0
    for index, record in enumerate(journal.records):
        if not simulated(record):
            continue
        line = journal.line_of(index)
        if count >= len(again):
            raise InputError("", [Problem(path, line, 1, f"{record.get('type')} record: the "
                                          "re-simulation ended before it (it was added)", hint)])
        if record != again[count]:
            version = header.get("version")
            if version != again_header.get("version"):
                hint = (f"it was written by version {version} of the tool, this is "
                        f"{again_header.get('version')}; or it was edited")
            raise InputError("", [Problem(path, line, 1, f"{record.get('type')} record: "
                                          f"{difference(record, again[count])}", hint)])
        count += 1
    if not prefix_ok and count < len(again):
        line = journal.line_of(len(journal.records))
        raise InputError("", [Problem(path, line, 1, f"the journal lacks the "
                                      f"re-simulation's {again[count].get('type')} record "
                                      "here (records were deleted)", hint)])
    return count


def replay(journal: Journal, scenario: Scenario) -> list[dict[str, Any]]:
    """Play the journal's decisions again in memory; returns the records written."""
    from simulator.engine.facilitation import ReplayActs, recorded_acts
    from simulator.engine.team import team_from_header
    from simulator.players.decisions import ChainDecider

    header = journal.header
    options = dict(header.get("options") or {})
    drill = Drill(scenario, header["scenario"], int(header["seed"]), None, options,
                  team_from_header(header))
    drill.acts = ReplayActs(recorded_acts(journal.records))  # the facilitator's, in place
    end = journal.end
    abandoned = end is not None and end.get("outcome", {}).get("status") == "abandoned"
    decisions = journal.decisions()
    chain: ChainDecider | None = None
    try:
        chain = ChainDecider(decisions, _AfterTheJournal(abandoned))
        decider: Decider = chain
        drill.run(decider)
    except DrillInterrupted:
        pass  # the journal stopped here (a pause or a crash): what was replayed is compared
    except DecisionRejected as exc:
        index = chain.replay.index - 1 if chain else 0
        raise _at_decision(journal, decisions, index, f"cannot be replayed: {exc}") from None
    except InputError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as exc:
        # arguments of a type the action does not expect (a hand edit the models let pass)
        index = max(0, chain.replay.index - 1) if chain else 0
        raise _at_decision(journal, decisions, index,
                           f"cannot be replayed ({type(exc).__name__}: {exc})") from None
    return drill.journal.records


def _at_decision(journal: Journal, decisions: list[dict[str, Any]], index: int,
                 message: str) -> InputError:
    record = decisions[index] if 0 <= index < len(decisions) else None
    line = journal.line_of(next((i for i, r in enumerate(journal.records) if r is record),
                                len(journal.records)))
    n = record.get("n", index) if record else index
    return InputError("", [Problem(journal.path, line, 1, f"decision {n}: {message}",
                                   "the journal was edited or damaged")])


def recorded_scenario(journal: Journal) -> Scenario:
    """The scenario embedded in the journal; its problems are located in the journal too
    (the header line), since the journal is the file the user gave."""
    from simulator.format.loader import scenario_for_journal

    try:
        return scenario_for_journal(journal.header["scenario"])
    except InputError as exc:
        inner = [str(p) for p in exc.problems] or [str(exc)]
        raise InputError("", [Problem(journal.path, journal.header_line, 1,
                                      f"scenario: {text}") for text in inner[:5]]) from None


def verify(journal: Journal) -> Verified:
    """Re-simulate a journal and refuse it (InputError, located) unless it reproduces."""
    scenario = recorded_scenario(journal)
    records = replay(journal, scenario)
    complete = journal.end is not None
    return Verified(scenario, compare(journal, records, prefix_ok=not complete))
