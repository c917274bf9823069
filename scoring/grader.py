"""Journal + scenario + rubric -> Scorecard.

The journal is the only record of the run; the scenario it names (checked by content hash)
supplies the facts a check needs, such as which findings justify which change. Re-scoring
an old journal with a new rubric is therefore always possible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scoring.checks import CHECKS
from scoring.compare import compare_with_expert
from scoring.outcome import figures
from scoring.placeholders import fill
from scoring.rubric import Criterion, Rubric, load_rubric
from scoring.run import Evidence, Run
from scoring.scorecard import CriterionResult, Scorecard
from simulator.format.loader import scenario_for_journal
from simulator.format.scenario import Scenario
from simulator.format.variants import vary
from simulator.runs.journal import Journal, read_journal

QUIET_KINDS = {"wait", "drill_start"}


def _fill(template: str, facts: dict[str, Any]) -> str:
    return " ".join(fill(template, facts).split())


def grade_criterion(run: Run, criterion: Criterion, rubric: Rubric) -> CriterionResult:
    spec = CHECKS[criterion.check]
    params = {**spec.defaults, **criterion.thresholds}
    finding = spec.run(run, params)
    facts = {**dict.fromkeys(spec.facts, "n/a"), **{k: f"{v:g}" for k, v in params.items()},
             **finding.facts}
    weight = float(criterion.weight)
    if finding.rating == "N/A":
        points, max_points, advice = 0.0, 0.0, f"Not rated: {finding.reason}."
        if criterion.occasional:  # its moment never came: not part of this run's rubric,
            weight = 0.0          # so a stopped run does not count it as unearned either
    else:
        max_points = float(criterion.weight)
        points = round(max_points * rubric.ratings.of(finding.rating), 1)
        advice = _fill(criterion.keep if finding.rating == "P" else criterion.advice, facts)
    fact_caps = [cap for name, cap in criterion.critical_when.items()
                 if finding.facts.get(name)]
    return CriterionResult(criterion.id, criterion.title, criterion.section,
                           weight, finding.rating, points, max_points,
                           finding.reason, advice, finding.evidence,
                           min(fact_caps) if fact_caps else None)


def total(results: list[CriterionResult], stopped: bool = False) -> int:
    """0-100 over the criteria that applied; N/A criteria neither help nor hurt.

    A drill that stopped early (interrupted, abandoned, refused) is scored over the whole
    rubric instead: what it never reached earns nothing, so a run stopped after three good
    minutes cannot show 100/100. Its score over the judged part is reported beside it.
    """
    possible = sum(r.weight if stopped else r.max_points for r in results)
    return 0 if possible == 0 else round(100 * sum(r.points for r in results) / possible)


def critical_cap(results: list[CriterionResult], rubric: Rubric) -> tuple[float, str] | None:
    """The lowest critical failure cap the ratings trigger, and which criterion set it.

    Some principles (verifying before closing, serving users before root-causing) are not
    made up by good work elsewhere: the rubric marks them ``critical`` with the most the total
    may be when they are rated M or U, however many points the other criteria earned."""
    worst: tuple[float, str] | None = None
    for r in results:
        cap = _cap_of(r, rubric)
        if cap is not None and (worst is None or cap < worst[0]):
            why = f" ({r.reason})" if cap == r.fact_cap else ""
            worst = (cap, f"{r.id} rated {r.rating}{why}")
    return worst


def _cap_of(result: CriterionResult, rubric: Rubric) -> float | None:
    """The cap one result sets: its rating's (``critical``) or its facts' (``critical_when``,
    e.g. a change that cannot be undone set off a second incident), the lower of the two."""
    crit = next((c for c in rubric.criteria if c.id == result.id), None)
    caps = [c for c in (crit.cap(result.rating) if crit is not None else None,
                        result.fact_cap) if c is not None]
    return min(caps) if caps else None


def capped(results: list[CriterionResult], rubric: Rubric, stopped: bool = False) -> int:
    """The total with the critical failures applied.

    The cap is what a run perfect in every other respect would get; below it every other
    criterion still counts in proportion: the score is the cap times the points earned over
    the most this run could have earned with its critical failures as they are (and never
    more than the criteria alone give). A flat ``min(score, cap)`` gave a careful run and a
    careless one with the same false all-clear the same 70: the calibration corpus had six
    scripts of very different quality piled on 55 and 70."""
    score = total(results, stopped)
    cap = critical_cap(results, rubric)
    if cap is None:
        return score
    failed = [r for r in results if _cap_of(r, rubric) is not None]
    possible = sum(r.weight if stopped else r.max_points for r in results)
    best = possible - sum(r.max_points - r.points for r in failed)
    earned = sum(r.points for r in results)
    scaled = 0 if best <= 0 else round(cap[0] * earned / best)
    return min(score, scaled)


def timeline(run: Run) -> list[Evidence]:
    """Every channel-visible moment, in order: the story the debrief walks through."""
    out = []
    for e in run.events:
        if e["kind"] in QUIET_KINDS:
            continue
        if e.get("text") or e["kind"] in ("postmortem", "finish", "recovered", "interrupted",
                                          "refused"):
            bad = e["kind"] in ("evidence_lost", "reopened", "missed_update", "stakeholder_ping",
                                "interruptions", "timeout", "change_cancelled", "refused")
            out.append(run.quote(e, not bad))
    return out


def chart_data(run: Run) -> dict[str, Any]:
    """The key metric over time, its SLO, and the moments to mark on it."""
    sc = run.scenario
    metric = sc.metric(sc.impact.metric)
    points = [(int(s["t"]), float(s["values"].get(metric.id, 0.0)))
              for s in run.journal.samples()]
    marks = []
    for d in run.journal.decisions():
        if d.get("action") == "wait":
            continue
        marks.append({"t": int(d["t"]), "kind": "decision", "n": d.get("n"),
                      "label": _decision_label(d)})
    for e in run.of("change_applied", "change_cancelled", "evidence_lost", "recovered",
                    "reopened", "inject"):
        marks.append({"t": int(e["t"]), "kind": e["kind"], "label": run.describe(e)})
    return {"metric": metric.id, "title": metric.title, "unit": metric.unit,
            "baseline": metric.baseline, "slo_max": metric.slo.max, "points": points,
            "marks": marks, "end": run.end_t}


def _decision_label(d: dict[str, Any]) -> str:
    args = d.get("args") or {}
    if d.get("action") in ("declare_resolved", "write_postmortem", "note", "finish"):
        return str(d.get("action"))
    detail = (args.get("investigation") or args.get("target") or args.get("service") or
              args.get("key") or args.get("severity") or args.get("audience") or
              args.get("flag") or args.get("fix") or "")
    return str(d.get("action")) + (f" {detail}" if detail else "")


def judge_plainly(journal: Journal, scenario: Scenario) -> tuple[dict[str, Any], int]:
    """Outcome figures and total score of a journal, without a comparison of its own."""
    card = grade(journal, scenario, compare=False)
    return card.outcome, card.score


def grade(journal: Journal, scenario: Scenario | None = None, rubric: Rubric | None = None,
          compare: bool = True) -> Scorecard:
    scenario = scenario or scenario_for_journal(journal.header["scenario"])
    scenario = vary(scenario, int(journal.header.get("seed", 0)))[0]  # the seed's incident
    rubric = rubric or load_rubric()
    run = Run(journal, scenario)
    results = [grade_criterion(run, c, rubric) for c in rubric.enabled()]
    comparison = None
    if compare:
        comparison = compare_with_expert(run, judge_plainly)
    header = journal.header
    player = str(header.get("options", {}).get("decider", "player"))
    from scoring.evaluation import hot_wash, observations
    from scoring.participants import participants

    cap = critical_cap(results, rubric)
    return Scorecard(scenario.id, scenario.title, int(header.get("seed", 0)), player,
                     run.status, capped(results, rubric, run.truncated), results,
                     figures(run), timeline(run), chart_data(run), comparison, rubric.title,
                     judged_score=capped(results, rubric), stopped_at=run.end_t
                     if run.truncated else None, observations=observations(journal, results),
                     hotwash=hot_wash(journal),
                     participants=participants(journal, results, rubric, run),
                     cap=None if cap is None else {"at": cap[0], "by": cap[1],
                                                   "uncapped": total(results, run.truncated)})


def score_journal(path: Path, rubric_path: Path | None = None, compare: bool = True,
                  postmortem_path: Path | None = None) -> Scorecard:
    """Read a journal (and optionally a facilitator's rubric, and a postmortem written
    after the drill), verify it, and grade it.

    The journal is re-simulated first (simulator.players.verify): one that the simulation does not
    reproduce (an edited decision, outcome or message) is refused with a located error.
    The later postmortem is added after that check: it is not part of the simulation.
    """
    from simulator.players.verify import verify

    rubric = load_rubric(rubric_path) if rubric_path else None
    journal = read_journal(path)
    verified = verify(journal)
    if postmortem_path is not None:
        from scoring.later import load_postmortem, with_postmortem

        journal = with_postmortem(journal, load_postmortem(postmortem_path))
    card = grade(journal, verified.scenario, rubric=rubric, compare=compare)
    card.verified = verified.compared
    return card
