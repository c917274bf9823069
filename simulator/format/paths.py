"""Static checks of the decisions a scenario ships (its ideal and hunch paths).

A path is played by the bots, so every action must exist in the catalogue and every id
it names must exist in the scenario; argument values are checked again when played.
"""

from __future__ import annotations

import difflib

from simulator.errors import Problem
from simulator.format.scenario import Decision, Scenario
from simulator.format.vocabulary import arguments, required
from simulator.format.yamlsafe import Located
from simulator.texts import catalogue


def _known_ids(sc: Scenario) -> dict[str, set[str]]:
    people = {p.id for p in sc.roster.responders} | (
        {sc.roster.comms_lead.id} if sc.roster.comms_lead else set())
    return {
        "service": {s.id for s in sc.system.services},
        "flag": {f.id for f in sc.system.feature_flags},
        "fix": {f.id for f in sc.fixes},
        "investigation": {i.id for i in sc.investigations},
        "responder": {p.id for p in sc.roster.responders},
        "person": people,
        "to": {p.id for p in sc.roster.responders},
        "by": {"ic"} | {p.id for p in sc.roster.responders},
        "target": set(sc.restart_targets()),
        "key": set(sc.config_values()),
        "region": {r.id for r in sc.system.regions},
    }


def check_decisions(sc: Scenario, located: Located, key: str, path: list[Decision]
                    ) -> list[Problem]:
    problems = []
    known = _known_ids(sc)
    actions = catalogue()
    for i, decision in enumerate(path):
        loc = ("debrief", key, i)
        if decision.action not in actions:
            close = difflib.get_close_matches(decision.action, list(actions), n=1)
            problems.append(located.problem((*loc, "action"), f"unknown action "
                            f"'{decision.action}'", f"did you mean '{close[0]}'?" if close else ""))
            continue
        if decision.at_minutes is not None:
            problems.append(located.problem(
                (*loc, "at_minutes"), f"at_minutes is not used in debrief.{key}: the bots "
                "pace the path themselves (the expert waits for evidence)",
                "remove it; to play moves at set times, use a decisions file (--decisions)"))
        extra = decision.model_extra or {}
        accepted = arguments(decision.action)
        if accepted is not None:
            for arg in extra:
                if arg not in accepted:
                    close = difflib.get_close_matches(arg, [a for a in accepted
                                                            if a not in extra], n=1)
                    problems.append(located.problem(
                        (*loc, arg), f"'{decision.action}' takes no argument '{arg}'",
                        f"did you mean '{close[0]}'?" if close else "allowed: " + (
                            ", ".join(accepted) or "none")))
            for arg in required(decision.action):
                if arg not in extra:
                    problems.append(located.problem(loc, f"'{decision.action}' needs '{arg}'",
                                                    f"add {arg}: …"))
        for arg, value in extra.items():
            if arg in known and str(value) not in known[arg]:
                problems.append(located.problem((*loc, arg), f"unknown {arg} '{value}'",
                                                "known: " + ", ".join(sorted(known[arg]))))
    return problems


def check_paths(sc: Scenario, located: Located) -> list[Problem]:
    return (check_decisions(sc, located, "ideal_path", sc.debrief.ideal_path)
            + check_decisions(sc, located, "hunch_path", sc.debrief.hunch_path))
