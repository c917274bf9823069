"""The facilitator guide of a scenario (`tabletop brief`): what a game master reads before
the session.

It gathers, from the scenario and the rubric in force, everything the trainee must not see
before the drill: the objectives, the MSEL (master scenario events list) with each inject's
time or trigger, sender, message, expected action and the criterion it tests, the ideal
path and the traps, the hot-wash questions, and an evaluator guide saying what each rating
looks like. The guide is plain data (``build_guide``); the Markdown and HTML templates only
lay it out, and both escape every value, since a scenario file may come from anyone.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from scoring.rubric import Rubric
from simulator.engine.facilitation import trigger_text, words
from simulator.format.scenario import Scenario

RATINGS = ("P", "S", "M", "U")


def step_text(step: Any, titles: dict[str, str]) -> str:
    """One ideal-path (or hunch-path) decision: the action's title and its arguments."""
    data = step.model_dump(exclude_none=True)
    action = str(data.pop("action"))
    at = data.pop("at_minutes", None)
    args = ", ".join(f"{k}={words(v)}" for k, v in data.items())
    when = f"T+{at:g} " if at is not None else ""
    return f"{when}{titles.get(action, action)}" + (f" ({args})" if args else "")


def _rating_texts() -> dict[str, dict[str, str]]:
    raw = resources.files("scoring").joinpath("guide.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return data


def _fill(template: str, values: dict[str, Any]) -> str:
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError):
        return template  # a custom check or threshold the built-in texts do not know


def build_guide(scenario: Scenario, rubric: Rubric) -> dict[str, Any]:
    """The guide as plain data: the single source of both renderings."""
    from scoring.checks import CHECKS
    from simulator.texts import catalogue

    titles = {k: str(v.get("title", k)) for k, v in catalogue().items()}
    roster = scenario.roster
    people = {p.id: f"{p.name}, {p.role}" for p in [
        roster.ic, *roster.responders, *([roster.comms_lead] if roster.comms_lead else [])]}
    people.update({p.id: f"{p.name}, {p.role}" for p in roster.stakeholders})
    criteria = {c.id: c for c in rubric.enabled()}
    msel = []
    for inj in scenario.injects:
        trigger = trigger_text(inj)
        msel.append({"id": inj.id, "trigger": trigger,
                     "source": people.get(inj.source, inj.source), "text": " ".join(
                         inj.text.split()), "expects": inj.expects,
                     "criterion": inj.objective, "facilitator": False})
    for finj in scenario.facilitator_injects:
        msel.append({"id": finj.id, "trigger": "at the facilitator's call",
                     "source": people.get(finj.source, finj.source),
                     "text": " ".join(finj.text.split()), "expects": finj.expects,
                     "criterion": finj.objective, "facilitator": True})
    texts = _rating_texts()
    evaluator = []
    for c in rubric.enabled():
        spec = CHECKS.get(c.check)
        values: dict[str, Any] = {**(spec.defaults if spec else {}), **c.thresholds,
                                  "expected": scenario.expected_severity}
        by_rating = texts.get(c.check, {})
        evaluator.append({
            "id": c.id, "title": c.title, "weight": c.weight,
            "ratings": [(r, _fill(str(by_rating.get(r, "")), values) or "(see the rubric)")
                        for r in RATINGS],
            "injects": [m["id"] for m in msel if m["criterion"] == c.id]})
    debrief = scenario.debrief
    traps = [*(f"red herring: {r}" for r in debrief.red_herrings),
             *(f"misleading check: {i.title}" for i in scenario.investigations
               if i.red_herring),
             *(f"a failure the team can cause: {f.title}" for f in scenario.faults
               if f.second_incident)]
    return {
        "id": scenario.id, "title": scenario.title, "summary": " ".join(scenario.summary.split()),
        "difficulty": scenario.difficulty, "expected_minutes": scenario.expected_minutes,
        "time_limit_minutes": scenario.time_limit_minutes,
        "severity": scenario.expected_severity,
        "objectives": list(scenario.learning_objectives),
        "root_cause": " ".join(debrief.root_cause.split()),
        "contributing": list(debrief.contributing_factors),
        "msel": msel,
        "ideal_path": [step_text(s, titles) for s in debrief.ideal_path],
        "hunch_path": [step_text(s, titles) for s in debrief.hunch_path],
        "traps": traps,
        "questions": list(debrief.questions),
        "evaluator": evaluator,
        "unknown_criteria": sorted({m["criterion"] for m in msel
                                    if m["criterion"] and m["criterion"] not in criteria}),
    }


def render_guide(scenario: Scenario, rubric: Rubric, fmt: str = "md") -> str:
    """The guide as Markdown (values escaped) or as a self-contained HTML page (autoescaped)."""
    from scoring.templating import environment

    env = environment(markdown=fmt == "md")
    template = env.get_template("guide.md.j2" if fmt == "md" else "guide.html.j2")
    return template.render(guide=build_guide(scenario, rubric))
