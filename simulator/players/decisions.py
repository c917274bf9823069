"""Decision files: a YAML list of decisions played with no prompts (and exported runs).

Each item is ``{action: ID, at_minutes: optional, who: optional, ...arguments}``: the same
ids and arguments the prompts offer; ``who`` names the person of a team drill who decides.
Structural errors are reported like scenario errors; a decision the drill cannot accept is
reported at its line with the drill time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import yaml

from simulator.actions.catalogue import Action
from simulator.engine.drill import Decider, Situation
from simulator.engine.team import Team, unknown_person
from simulator.errors import InputError, Problem
from simulator.format.scenario import Decision
from simulator.format.validation import validate_model
from simulator.format.yamlsafe import Located, load_yaml, read_text

MIN_WAIT = 0.05


class ScriptedDecider:
    """Plays a fixed list of decisions; waits in simulated time for any ``at_minutes``."""

    name = "decisions"

    def __init__(self, decisions: list[Decision], located: Located | None = None) -> None:
        self.decisions = decisions
        self.located = located
        self.index = 0

    @property
    def exhausted(self) -> bool:
        return self.index >= len(self.decisions)

    def where(self) -> tuple[str, int, int]:
        if self.located is None:
            return ("<decisions>", 1, self.index + 1)
        line, col = self.located.where((self.index,))
        return (self.located.path, line, col)

    def decide(self, situation: Situation) -> Action:
        if self.exhausted:
            path, line, col = self.where() if self.decisions else ("<decisions>", 1, 1)
            raise InputError("", [Problem(path, line, col,
                             f"the decisions ran out at T+{situation.minutes:.0f} before the "
                             "drill ended", "add decisions up to 'declare_resolved', or "
                             "continue interactively with 'tabletop resume JOURNAL'")])
        decision = self.decisions[self.index]
        if (decision.at_minutes is not None and not situation.closing
                and decision.at_minutes - situation.minutes >= MIN_WAIT):
            gap = min(30.0, decision.at_minutes - situation.minutes)
            return Action("wait", {"minutes": round(gap, 3)})
        self.index += 1
        return Action(decision.action, dict(decision.model_extra or {}), who=decision.who)

    def check_team(self, team: Team | None) -> None:
        """Every ``who:`` must name someone on the team; all wrong ones are reported at once."""
        problems = []
        for index, decision in enumerate(self.decisions):
            reason = None if decision.who is None else unknown_person(team, decision.who)
            if reason is None:
                continue
            hint = ("use a name from --team, or leave who out for the role's default owner"
                    if team is not None else "")
            if self.located is None:
                problems.append(Problem("<decisions>", 1, index + 1, reason, hint))
            else:
                problems.append(self.located.problem((index, "who"), reason, hint))
        if problems:
            raise InputError("", problems)

    def reject(self, message: str) -> InputError:
        """Locate a rejected decision (the one just played) in the file."""
        self.index -= 1
        path, line, col = self.where()
        return InputError("", [Problem(path, line, col, f"decision {self.index + 1}: {message}")])


@runtime_checkable
class ReplayObserver(Protocol):
    """A live decider that must see the replayed decisions to rebuild its own memory."""

    def replayed(self, situation: Situation, action: Action) -> None: ...

    def resumed(self, situation: Situation) -> None: ...


class ChainDecider:
    """Replays recorded decisions, then hands over to another decider (resume).

    ``on_handover`` runs once, just before the first live decision: resume uses it to
    verify the replay and switch the journal to the file.
    """

    def __init__(self, recorded: list[dict[str, Any]], then: Decider,
                 observer: ReplayObserver | None = None,
                 on_handover: Callable[[Situation], None] | None = None) -> None:
        self.replay = ScriptedDecider([Decision(action=r["action"], who=r.get("who"),
                                                **r.get("args", {})) for r in recorded])
        self.thinks = [float(r.get("think", 0)) for r in recorded]
        self.then = then
        self.name = then.name
        self.observer = observer
        self.on_handover = on_handover
        self.handed_over = False

    def decide(self, situation: Situation) -> Action:
        if self.replay.exhausted:
            if not self.handed_over:
                self.handed_over = True
                if self.on_handover is not None:
                    self.on_handover(situation)
                if self.observer is not None:
                    self.observer.resumed(situation)
            return self.then.decide(situation)
        think = self.thinks[self.replay.index]
        action = self.replay.decide(situation)
        action = Action(action.id, action.args, think, action.who)
        if self.observer is not None:
            self.observer.replayed(situation, action)
        return action


def parse_decisions(text: str, label: str) -> tuple[list[Decision], Located]:
    located = load_yaml(text, label)
    if not isinstance(located.data, list):
        raise InputError("", [located.problem((), "a decisions file is a YAML list",
                                              "each item looks like '- action: acknowledge'")])
    decisions, problems = validate_model(located, list[Decision])
    if decisions is None:
        raise InputError("", problems)
    return decisions, located


def load_decisions(path: Path) -> ScriptedDecider:
    decisions, located = parse_decisions(read_text(path, str(path)), str(path))
    return ScriptedDecider(decisions, located)


def export_decisions(records: list[dict[str, Any]]) -> str:
    """Write played decisions (journal records) as a decisions file a facilitator can edit."""
    items = []
    for record in records:
        item: dict[str, Any] = {"action": record["action"], "at_minutes": round(
            record["t"] / 60, 3)}
        if record.get("who"):
            item["who"] = record["who"]
        item.update(record.get("args", {}))
        items.append(item)
    header = "# Decisions exported from a tabletop run; edit and replay with --decisions.\n"
    return header + yaml.safe_dump(items, sort_keys=False, allow_unicode=True, width=100)
