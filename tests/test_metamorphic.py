"""Metamorphic properties of the grade (issue 7): edits whose direction is known.

Each property takes a play drawn by hypothesis, either the expert's decisions on a scenario
and seed or one of the hand-written calibration scripts (good and bad play, where a rule's
clock or threshold has room to move), edits it in one direction, and checks that the grade
moves the right way (or not at all). Swapping mitigations uses the expert bot on an ideal
path edited to take each listed route.

- adding an unneeded, unannounced change never raises the score;
- delaying the first update never raises it;
- learning a finding earlier (the same later decisions) never lowers it;
- swapping one listed mitigation for another, each made on its evidence, moves it by at
  most 5 points;
- removing the postmortem never raises it;
- a handover summary with more true content (the state read off the metrics at that
  moment, the changes made, the next step) never scores lower;
- answering a stakeholder's question with an honest direct reply never lowers it;
- paging more people for nothing (teams no check needs) never raises the score;
- one more change that sets off a second incident (a fix whose state a caused failure
  reads) never raises the score.

Runs are in memory (about 0.1 s each); the whole module stays well under 90 s.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import yaml
from calibration_corpus import corpus
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st
from metamorphic_play import (
    Step,
    expert_steps,
    play,
    play_full,
    play_records,
    played_steps,
    scenario,
    script_steps,
)

from simulator.engine.drill import Drill
from simulator.format.loader import builtin_dir, builtin_ids, parse_scenario
from simulator.players.bots import make_bot
from simulator.runs.journal import Journal

SCENARIOS = builtin_ids()
SEEDS = st.integers(min_value=1, max_value=40)
# Derandomized and without shrinking: the same examples in every CI run, and a failure
# reported as found (shrinking a drill costs more than it explains).
PROPERTY = settings(max_examples=15, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow])
#: for edits set aside by design when they move another decision (the IC busy at that
#: minute): the expert's plays are dense (pages, asks, replies), so many draws are filtered
FILTERED = settings(PROPERTY, suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.filter_too_much])


SCRIPTS = {e.name: e for e in corpus()}
#: a play to edit: "expert" on a drawn scenario and seed, or a calibration script
BASES = st.one_of(st.tuples(st.just("expert"), st.sampled_from(SCENARIOS), SEEDS),
                  st.sampled_from(sorted(SCRIPTS)).map(
                      lambda n: (n, SCRIPTS[n].scenario, SCRIPTS[n].seed)))


def steps_of(label: str, scenario_id: str, seed: int) -> list[Step]:
    """The base play's decisions, each at the minute it was played."""
    if label == "expert":
        return expert_steps(scenario_id, seed)
    return [dict(s) for s in _script(label)]


@cache
def _script(label: str) -> tuple[Step, ...]:
    exp = SCRIPTS[label]
    return tuple(played_steps(exp.scenario, exp.seed, script_steps(exp.path)))


@cache
def _base(label: str, scenario_id: str, seed: int) -> tuple[float, tuple[tuple[int, str], ...]]:
    score, skipped, played = play_full(scenario_id, seed, steps_of(label, scenario_id, seed))
    assert not skipped, skipped
    return score, tuple(played)


def base(label: str, scenario_id: str, seed: int) -> float:
    return _base(label, scenario_id, seed)[0]


def _played(label: str, scenario_id: str, seed: int) -> tuple[tuple[int, str], ...]:
    return _base(label, scenario_id, seed)[1]


def unneeded_changes(scenario_id: str) -> list[Step]:
    """Restarts of parts no fault, rationale or path mentions, and rollbacks of releases
    that are no listed mitigation: changes nobody needed."""
    sc, _ = scenario(scenario_id)
    data = sc.model_dump(mode="json", by_alias=True)
    context = yaml.safe_dump([data["faults"], data["rationale"], data["debrief"],
                              data["injects"], data.get("fixes")])
    parts = sc.system.services + sc.system.dependencies
    out: list[Step] = [{"action": "restart", "target": p.id} for p in parts
                       if getattr(p, "restartable", True) and p.id not in context]
    planned = set(sc.debrief.mitigations) | {
        f"rollback:{d.model_extra.get('service')}" for d in sc.debrief.ideal_path
        if d.action == "rollback" and d.model_extra}
    out += [{"action": "rollback", "service": s.id} for s in sc.system.services
            if s.previous_version and f"rollback:{s.id}" not in planned]
    return out


@PROPERTY
@given(play_=BASES, when=st.floats(0, 1), pick=st.integers(0, 10))
# found by hypothesis: a restart made on a finding diluted the stampede's hunches (3 of 4 ->
# 3 of 5) and lifted change.informed from U to M; hunches are counted now
@example(play_=("bad-deploy--stampede-no-ic", "bad-deploy", 2), when=0.3895, pick=7)
def test_an_unneeded_unannounced_change_never_raises_the_score(
        play_: tuple[str, str, int], when: float, pick: int) -> None:
    _label, scenario_id, seed = play_
    steps = steps_of(*play_)
    candidates = unneeded_changes(scenario_id)
    assert candidates, f"{scenario_id}: no unneeded change to try"
    change = dict(candidates[pick % len(candidates)])
    last = max(float(s["at_minutes"]) for s in steps if s["action"] != "write_postmortem")
    change["at_minutes"] = round(when * last, 2)
    score, _ = play(scenario_id, seed, [*steps, change])
    assert score <= base(*play_), change


@given(play_=BASES, delay=st.floats(0.5, 20))
# most delays make the update overlap a later decision and are set aside by design (an
# 80-minute script has few free gaps), so many draws are filtered: that is not a bug
@settings(parent=PROPERTY, suppress_health_check=[HealthCheck.too_slow,
                                                  HealthCheck.filter_too_much])
def test_delaying_the_first_update_never_raises_the_score(
        play_: tuple[str, str, int], delay: float) -> None:
    """Only the update moves: an edit whose update time pushes another decision later (the
    IC is busy writing) changes two things at once and is set aside."""
    _label, scenario_id, seed = play_
    steps = steps_of(*play_)
    first = next((s for s in steps if s["action"] == "post_update"), None)
    assume(first is not None)
    assert first is not None
    first["at_minutes"] = round(float(first["at_minutes"]) + delay, 2)
    score, _, played = play_full(scenario_id, seed, steps)
    others = sorted(p for p in played if p[1] != "post_update")
    assume(others == sorted(p for p in _played(*play_) if p[1] != "post_update"))
    assert score <= base(*play_), delay


@PROPERTY
@given(play_=BASES, pick=st.integers(0, 20), earlier=st.floats(0.1, 1))
# Before issue 7 items 1-2 landed, this lowered chases-the-database from 93 to 84: the
# clock started when redis-health reported, so learning it at T+5 instead of T+22 cost points.
@example(play_=("redis-saturation--chases-the-database", "redis-saturation", 3), pick=2,
         earlier=1.0)
def test_learning_a_finding_earlier_never_lowers_the_score(
        play_: tuple[str, str, int], pick: int, earlier: float) -> None:
    """One delegated check moved earlier; every other decision stays as it was.

    It moves no earlier than the first delegation: before that the IC is declaring and
    writing the first update, and a check slipped in there would delay those (a different
    edit, which this property does not mean)."""
    _label, scenario_id, seed = play_
    steps = steps_of(*play_)
    delegations = [i for i, s in enumerate(steps) if s["action"] == "delegate"]
    assume(len(delegations) > 1)
    i = delegations[pick % len(delegations)]
    start = float(steps[delegations[0]]["at_minutes"])
    at = float(steps[i]["at_minutes"])
    assume(at > start)
    steps[i]["at_minutes"] = round(at - earlier * (at - start), 2)
    score, skipped, played = play_full(scenario_id, seed, steps)
    assume(not skipped)  # the responder was busy then: not the edit we meant to make
    # Every other finding must arrive no later than before (the IC's time is shared: a
    # check moved ahead of another can delay it, and that is a different edit).
    found = {k: t for t, k in played if k.startswith("found:")}
    before = {k: t for t, k in _played(*play_) if k.startswith("found:")}
    moved = f"found:{steps[i]['investigation']}"
    assume(all(k in found and found[k] <= t for k, t in before.items() if k != moved))
    assert score >= base(*play_), (steps[i], at)


# --- swapping mitigations ---------------------------------------------------------------
def _delegate(responder: str, investigation: str) -> dict[str, Any]:
    return {"action": "delegate", "responder": responder, "investigation": investigation}


WAIT = {"action": "wait", "minutes": 3}
#: per scenario: the orientation shared by both routes, then each listed mitigation with
#: the checks that give its own evidence. `slower` marks a route that takes far longer to
#: land (its users are hurt longer: the outcome criterion may differ, the process may not).
SWAPS: dict[str, dict[str, Any]] = {
    "redis-saturation": {
        "orient": [_delegate("bob", "checkout-dashboard"), _delegate("priya", "deploy-history"),
                   _delegate("priya", "redis-health"), _delegate("bob", "payment-logs")],
        "routes": [[{"action": "set_config", "key": "redis.maxclients", "value": 200}],
                   [{"action": "rollback", "service": "payment-service"}]]},
    "bad-deploy": {
        "orient": [_delegate("mei", "latency-dashboard"), _delegate("kofi", "deploy-history"),
                   WAIT, _delegate("ravi", "release-notes")],
        "routes": [[{"action": "rollback", "service": "catalog-api"}],
                   [{"action": "set_config", "key": "catalog-api.pricing_timeout_ms",
                     "value": 200}],
                   [{"action": "toggle_flag", "flag": "live-pricing", "state": "off"}]]},
    "dependency-timeout": {
        "orient": [_delegate("tomas", "checkout-dashboard"), _delegate("amara", "change-history"),
                   _delegate("yuki", "dependency-traces")],
        "routes": [[_delegate("tomas", "fallback-options"),
                    {"action": "toggle_flag", "flag": "address-check", "state": "off"}],
                   [WAIT, _delegate("yuki", "backup-vendor-check"),
                    {"action": "apply_fix", "fix": "switch-to-backup-vendor"}]],
        "slower": True},
    # found by the calibration corpus: kill-export was no mitigation at all (the key metric
    # is derived from lock waiters, and relief read direct fault effects only)
    "migration-lock": {
        "orient": [_delegate("raj", "api-dashboard"), _delegate("liam", "change-history"),
                   _delegate("hana", "lock-waits")],
        "routes": [[{"action": "apply_fix", "fix": "cancel-migration"},
                    _delegate("raj", "break-options"),
                    {"action": "set_config", "key": "payments-db.migration_lock_timeout_ms",
                     "value": 2000},
                    {"action": "apply_fix", "fix": "rerun-migration"}],
                   [{"action": "apply_fix", "fix": "kill-export"}]]},
    "region-degraded": {
        "orient": [_delegate("ines", "regional-dashboard"), _delegate("jonas", "change-history"),
                   _delegate("kwame", "west-capacity")],
        "routes": [[{"action": "scale", "service": "storefront-us-west", "replicas": 48},
                    {"action": "failover", "region": "us-west"}],
                   [{"action": "toggle_flag", "flag": "recommendations", "state": "off"},
                    {"action": "failover", "region": "us-west"}]]},
}


@cache
def _expert_on_route(scenario_id: str, route: int, seed: int) -> dict[str, float]:
    """The expert bot on an ideal path that takes this route: ratings' points by criterion."""
    from metamorphic_play import _rubric

    from scoring import grade

    spec = SWAPS[scenario_id]
    data = yaml.safe_load((builtin_dir() / f"{scenario_id}.yaml").read_text(encoding="utf-8"))
    data["debrief"]["ideal_path"] = [*spec["orient"], *spec["routes"][route]]
    sc = parse_scenario(yaml.safe_dump(data, sort_keys=False), f"{scenario_id}-route.yaml")
    _, ref = scenario(scenario_id)
    drill = Drill(sc, ref, seed, None, {"decider": "expert", "bot": "expert"})
    drill.run(make_bot("expert"))
    records = drill.journal.records
    card = grade(Journal("<memory>", records[0], records[1:]), sc, _rubric(), compare=False)
    points = {c.id: c.points for c in card.criteria}
    possible = sum(c.max_points for c in card.criteria)
    points["__score__"] = float(card.score)
    points["__possible__"] = possible
    return points


def _process_score(points: dict[str, float], leave_out: str) -> float:
    kept = {k: v for k, v in points.items() if not k.startswith("__") and k != leave_out}
    return 100 * sum(kept.values()) / points["__possible__"]


@pytest.mark.parametrize("scenario_id", sorted(SWAPS))
@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate])
@given(seed=SEEDS, pair=st.tuples(st.integers(0, 2), st.integers(0, 2)))
def test_swapping_one_listed_mitigation_for_another_moves_the_score_by_at_most_5(
        scenario_id: str, seed: int, pair: tuple[int, int]) -> None:
    routes = len(SWAPS[scenario_id]["routes"])
    a, b = pair[0] % routes, pair[1] % routes
    assume(a != b)
    pa, pb = _expert_on_route(scenario_id, a, seed), _expert_on_route(scenario_id, b, seed)
    if SWAPS[scenario_id].get("slower"):
        # A route that lands 10 minutes later hurts users longer: impact-time may tell
        # them apart, the process criteria may not.
        gap = abs(_process_score(pa, "mitigate.impact-time")
                  - _process_score(pb, "mitigate.impact-time"))
    else:
        gap = abs(pa["__score__"] - pb["__score__"])
    assert gap <= 5, (a, b, pa, pb)


@PROPERTY
@given(play_=BASES)
def test_removing_the_postmortem_never_raises_the_score(play_: tuple[str, str, int]) -> None:
    _label, scenario_id, seed = play_
    steps = [s for s in steps_of(*play_) if s["action"] != "write_postmortem"]
    steps.append({"action": "finish", "at_minutes": 999})
    score, _ = play(scenario_id, seed, steps)
    assert score <= base(*play_)


def _true_handover_parts(scenario_id: str, seed: int, steps: list[Step]) -> list[str]:
    """Three true sentences for the handover in ``steps``: the key metric's reading at that
    moment, the changes started by then (or that there were none), and a next step."""
    sc, _ = scenario(scenario_id)
    records = play_records(scenario_id, seed, steps)
    handover = next(r for r in records if r.get("kind") == "hand_over")
    samples = [r for r in records if r["type"] == "sample" and r["t"] <= handover["t"]]
    metric = sc.metric(sc.impact.metric)
    value = float(samples[-1]["values"].get(metric.id, 0.0)) if samples else metric.baseline
    changes = [str((r.get("data") or {}).get("change", "")).replace(":", " of ")
               for r in records if r.get("kind") == "change_started" and
               r["t"] <= handover["t"]]
    return [f"{metric.title} reads {value:.0f} right now.",
            "Changes so far: " + ", ".join(changes) + "." if changes else
            "No changes made yet.",
            f"Next: watch {metric.title} until it holds inside its SLO."]


@PROPERTY
@given(play_=BASES, when=st.floats(0.1, 0.9), fewer=st.integers(0, 7), more=st.integers(0, 7))
def test_a_handover_with_more_true_content_never_scores_lower(
        play_: tuple[str, str, int], when: float, fewer: int, more: int) -> None:
    """The same handover at the same moment, its summary a subset of true sentences against a
    superset: the grade never goes down as the summary tells the incoming IC more."""
    _label, scenario_id, seed = play_
    sc, _ = scenario(scenario_id)
    steps = [s for s in steps_of(*play_) if s["action"] != "hand_over"]
    last = max(float(s["at_minutes"]) for s in steps if s["action"] != "write_postmortem")
    to = sc.roster.responders[0].id
    handover: Step = {"action": "hand_over", "to": to, "summary": "",
                      "at_minutes": round(when * last, 2)}
    parts = _true_handover_parts(scenario_id, seed, [*steps, handover])
    small = [p for i, p in enumerate(parts) if fewer >> i & 1]
    large = [p for i, p in enumerate(parts) if (fewer | more) >> i & 1]
    scores = [play(scenario_id, seed, [*steps, {**handover, "summary": " ".join(chosen)}])[0]
              for chosen in (small, large)]
    assert scores[1] >= scores[0], (small, large, scores)


def unneeded_pages(scenario_id: str) -> list[str]:
    """On-call people nobody needs in this scenario: no `useful_when`, and none of their
    skills is one a check asks for, so a page brings them in, they look and drop off."""
    sc, _ = scenario(scenario_id)
    skills = {i.skill for i in sc.investigations if i.skill}
    return [p.id for p in sc.roster.on_call
            if p.useful_when is None and not set(p.skills) & skills]


@FILTERED
@given(play_=BASES, when=st.floats(0, 0.8), more=st.integers(1, 3))
def test_paging_more_people_for_nothing_never_raises_the_score(
        play_: tuple[str, str, int], when: float, more: int) -> None:
    """The same play with pages to teams no check needs (a whole-org page at the extreme):
    noise and people pulled off other work, never credit. Only the pages are added: an edit
    whose pages push another decision later is set aside."""
    _label, scenario_id, seed = play_
    wrong = unneeded_pages(scenario_id)
    assert wrong, f"{scenario_id}: no team to page for nothing"
    steps = [s for s in steps_of(*play_) if s["action"] != "page"]
    last = max(float(s["at_minutes"]) for s in steps if s["action"] != "write_postmortem")
    at = round(when * last, 2)
    pages = [{"action": "page", "person": p, "reason": "all hands", "at_minutes": at}
             for p in wrong[:more]]
    before, _, played_before = play_full(scenario_id, seed, steps)
    after, skipped, played = play_full(scenario_id, seed, [*steps, *pages])
    assume(not [s for s in skipped if s["action"] == "page"])
    assume(sorted(p for p in played if p[1] != "page")
           == sorted(p for p in played_before if p[1] != "page"))
    assert after <= before, pages


def test_a_page_for_nothing_costs_the_expert() -> None:
    """The rule bites: the expert's own play on bad-deploy with the CDN vendor paged at T+12,
    while the IC waits for the rollback (nothing here is the CDN's; they join at T+27 and
    drop off), loses on roles.ic-coordinates alone: every other decision at its minute."""
    steps = steps_of("expert", "bad-deploy", 1)
    page = {"action": "page", "person": "cdn-vendor", "reason": "all hands", "at_minutes": 12}
    score, skipped, played = play_full("bad-deploy", 1, [*steps, page])
    assert not skipped
    assert sorted(p for p in played if p[1] != "page") == sorted(_played("expert",
                                                                          "bad-deploy", 1))
    assert score < base("expert", "bad-deploy", 1)


def test_delaying_the_first_update_known_case() -> None:
    """Found by the property: delaying longer-timeouts-hunch's first update by 3 min raised
    61 -> 64, as change.announced took 'Investigating the address validation service' for
    the timeout change's result log. A result log now has to name the change or quote a
    reading (scoring/checks_change.py, _logs_result)."""
    label = "dependency-timeout--longer-timeouts-hunch"
    exp = SCRIPTS[label]
    steps = steps_of(label, exp.scenario, exp.seed)
    first = next(s for s in steps if s["action"] == "post_update")
    first["at_minutes"] = round(float(first["at_minutes"]) + 3, 2)
    score, skipped = play(exp.scenario, exp.seed, steps)
    assert not skipped
    assert score <= base(label, exp.scenario, exp.seed)


@cache
def _questions(label: str, scenario_id: str, seed: int) -> tuple[tuple[int, str], ...]:
    """When each stakeholder asked something in the base play, and who."""
    from metamorphic_play import TolerantDecider

    sc, ref = scenario(scenario_id)
    askers = {p.id for p in sc.roster.stakeholders}
    drill = Drill(sc, ref, seed, None, {"decider": "decisions"})
    drill.run(TolerantDecider(steps_of(label, scenario_id, seed)))
    return tuple((int(r["t"]), str(r["actor"])) for r in drill.journal.records
                 if r.get("kind") in ("stakeholder_ping", "inject") and r.get("actor") in askers)


@PROPERTY
@given(play_=BASES, pick=st.integers(0, 20))
def test_answering_a_stakeholder_never_lowers_the_score(
        play_: tuple[str, str, int], pick: int) -> None:
    """An honest direct reply to someone who asked, half a minute after they asked, and
    nothing else moved (a reply takes the IC 45 s; an edit that pushes a later decision
    back is a different edit). Found by the calibration corpus: support left without an
    answer made the P3 run's audience U, and a reply lifts it to M, never lower."""
    _label, scenario_id, seed = play_
    asked = _questions(*play_)
    assume(asked)
    t, who = asked[pick % len(asked)]
    steps = steps_of(*play_)
    reply = {"action": "reply", "to": who, "at_minutes": round(t / 60 + 0.5, 2),
             "text": "We are working on it and will tell you as soon as we know more; "
                     "next update within ten minutes."}
    score, skipped, played = play_full(scenario_id, seed, [*steps, reply])
    assume(reply not in skipped)
    others = sorted(p for p in played if p[1] != "reply")
    assume(others == sorted(p for p in _played(*play_) if p[1] != "reply"))
    assert score >= base(*play_), (who, t)


def harmful_fixes(scenario_id: str) -> list[str]:
    """The scenario's fixes that write state a second incident's condition reads (a purge
    that loses what waits in a queue): changes that set off a failure of their own. Read off
    the scenario's data with the engine's own cause rule, no scenario named."""
    from simulator.engine.causes import mentions, touched

    sc, _ = scenario(scenario_id)
    reads = frozenset().union(*(mentions(f.active_when) for f in sc.faults
                                if f.second_incident))
    return [f.id for f in sc.fixes if touched("apply_fix", {}, f.does) & reads]


HARMFUL_BASES = [b for b in [*(("expert", s, seed) for s in SCENARIOS for seed in (1, 2, 3)),
                             *((n, e.scenario, e.seed) for n, e in sorted(SCRIPTS.items()))]
                 if harmful_fixes(b[1])]


@PROPERTY
@given(play_=st.sampled_from(HARMFUL_BASES), when=st.floats(0, 1), pick=st.integers(0, 10))
def test_a_change_that_causes_a_second_incident_never_raises_the_score(
        play_: tuple[str, str, int], when: float, pick: int) -> None:
    """One more change, a fix that sets off a second incident (the engine's cause rule says
    so from the scenario's data), at a drawn minute of the play: the grade never rises
    (process.md#hypothesis-loop: a change whose finding did not justify it as made is at best
    M, and one that cannot be undone caps the score at 70)."""
    _label, scenario_id, seed = play_
    fixes = harmful_fixes(scenario_id)
    steps = steps_of(*play_)
    last = max(float(s["at_minutes"]) for s in steps if s["action"] != "write_postmortem")
    change = {"action": "apply_fix", "fix": fixes[pick % len(fixes)],
              "at_minutes": round(when * last, 2)}
    score, skipped = play(scenario_id, seed, [*steps, change])
    assume(change not in skipped)
    assert score <= base(*play_), change


def test_the_purge_instead_of_setting_the_message_aside_costs_the_score() -> None:
    """The calibration case: the same run with the bad message set aside instead of the
    whole queue purged scores higher, and the purge's run is held at most at 70. Setting
    it aside leaves the held orders to drain, so that run resolves ten minutes later (at
    the purge's minute the backlog is still outside its SLO: the purge 'saves' that time by
    throwing the orders away)."""
    label = "poison-message--purge-to-be-sure"
    exp = SCRIPTS[label]
    steps = steps_of(label, exp.scenario, exp.seed)
    fixes = [s for s in steps if s["action"] == "apply_fix"]
    assert fixes and harmful_fixes(exp.scenario) == [fixes[0]["fix"]]
    later = ("declare_resolved", "write_postmortem")
    aside = [dict(s, fix="set-aside-poison") if s is fixes[0] else
             dict(s, at_minutes=round(float(s["at_minutes"]) + 10, 2))
             if s["action"] in later else s for s in steps]
    score, skipped = play(exp.scenario, exp.seed, aside)
    assert not skipped
    assert base(label, exp.scenario, exp.seed) <= 70 < score
