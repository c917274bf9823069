"""How the scorer judges stabilising, rollbacks, mitigations and the room's changes.

Each test plays a drill the way a person would write a decisions file (issue 7, items 1-4)
and checks the rule the rubric documents, not a number tuned to one run:

1. the stabilise and rollback clocks start when a competent IC would have had the evidence
   (the expert's time on the same seed), so not looking is never free;
2. each listed workaround is measured from its own evidence, and knowing sooner never
   lowers a grade;
3. a change is a mitigation by its effect (listed route, right direction and value) and
   only when made on evidence; a blind change is blind even when it happens to work;
4. the IC answers for the changes the room made because nobody froze them.
"""

from __future__ import annotations

from typing import Any

from scoring import grade
from scoring.scorecard import Scorecard
from simulator.actions.catalogue import Action
from simulator.engine.drill import Drill, Situation
from simulator.format.loader import load_scenario
from simulator.format.scenario import Decision
from simulator.players.decisions import ScriptedDecider
from simulator.runs.journal import Journal


class _Script(ScriptedDecider):
    """A decisions file, then: wait for recovery (or the limit), resolve, finish."""

    def decide(self, situation: Situation) -> Action:
        if situation.closing:
            return Action("finish")
        if not self.exhausted:
            return super().decide(situation)
        engine = situation.engine
        if engine.recovered_at is not None or situation.minutes > 60:
            return Action("declare_resolved", {"message": "Checkout is back."})
        return Action("wait", {"minutes": 1})


def play(scenario_id: str, decisions: list[dict[str, Any]], seed: int = 1) -> Scorecard:
    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, seed, None, {"decider": "decisions"})
    drill.run(_Script([Decision.model_validate(d) for d in decisions]))
    records = drill.journal.records
    return grade(Journal("memory", records[0], records[1:]), scenario, compare=False)


def rating(card: Scorecard, criterion: str) -> str:
    return next(c.rating for c in card.criteria if c.id == criterion)


UPDATE = {"action": "post_update", "audience": "all", "impact": "about 8% of checkouts fail",
          "doing": "investigating", "next_update_minutes": 10}
OPEN = [{"action": "acknowledge"}, {"action": "declare", "severity": "P2"},
        {"action": "freeze_changes"}, {"action": "open_channel"}, UPDATE]


def _redis(*moves: dict[str, Any], opening: list[dict[str, Any]] | None = None
           ) -> Scorecard:
    return play("redis-saturation", [*(OPEN if opening is None else opening), *moves])


def _say(text: str, at: float | None = None) -> dict[str, Any]:
    return {"action": "note", "text": text, **({"at_minutes": at} if at is not None else {})}


def _ask(who: str, what: str, at: float | None = None) -> dict[str, Any]:
    return {"action": "delegate", "responder": who, "investigation": what,
            **({"at_minutes": at} if at is not None else {})}


def _raise_limit(value: int, at: float | None = None, announce: bool = True,
                 by: str = "dave") -> dict[str, Any]:
    move: dict[str, Any] = {"action": "set_config", "key": "redis.maxclients", "value": value,
                            "by": by}
    if announce:
        move["announcement"] = f"Raising Redis maxclients to {value}."
    return {**move, **({"at_minutes": at} if at is not None else {})}


def _rollback(at: float | None = None) -> dict[str, Any]:
    return {"action": "rollback", "service": "payment-service", "by": "bob",
            "announcement": "Rolling payment-service back to v2.4.0.",
            **({"at_minutes": at} if at is not None else {})}


# --- 1. not looking is not free ------------------------------------------------------------
def test_never_asking_what_changed_loses_stabilise_and_rollback() -> None:
    """The team chases the database for 25 minutes, then finds the release and rolls back."""
    card = _redis(_ask("bob", "checkout-dashboard"), _ask("dave", "database-metrics"),
                  {**UPDATE, "at_minutes": 11}, _say("database looks busy, digging", 14),
                  {**UPDATE, "at_minutes": 21}, _ask("priya", "deploy-history", 25),
                  _rollback(28), _say("rollback landed, watching", 35))
    assert rating(card, "mitigate.rollback-considered") == "U"
    assert rating(card, "mitigate.stabilise-first") in ("M", "U")


def test_seeing_the_release_and_waiting_twenty_minutes_scores_low() -> None:
    """The deploy history is read at T+3; the rollback comes at T+22."""
    card = _redis(_ask("priya", "deploy-history", 0), _ask("bob", "database-metrics"),
                  {**UPDATE, "at_minutes": 11}, {**UPDATE, "at_minutes": 21},
                  _rollback(22), _say("rollback landed, watching", 29),
                  opening=[{"action": "acknowledge"}])
    assert rating(card, "mitigate.rollback-considered") == "U"
    assert rating(card, "mitigate.stabilise-first") in ("M", "U")


# --- 2. looking sooner is never punished --------------------------------------------------
def test_finding_the_release_first_does_not_lower_the_limit_route() -> None:
    """Checking the deploys first, then raising the limit on Redis's own evidence, scores
    the same on stabilising as finding the release only afterwards."""
    early = _redis(_ask("priya", "deploy-history"), _ask("bob", "redis-health"),
                   _raise_limit(200, 15), _say("limit raised; watching", 18))
    late = _redis(_ask("bob", "redis-health"), _raise_limit(200, 15),
                  _say("limit raised; watching", 18), _ask("priya", "deploy-history"))
    assert rating(early, "mitigate.stabilise-first") == rating(late, "mitigate.stabilise-first")
    assert rating(early, "mitigate.stabilise-first") == "P"


def test_each_route_is_timed_from_its_own_evidence() -> None:
    """Rolling back soon after the release is known is as good as raising the limit soon
    after Redis is seen full: both are listed workarounds."""
    rollback = _redis(_ask("priya", "deploy-history"), _ask("bob", "checkout-dashboard"),
                      _rollback(9), _say("rollback landed", 16))
    limit = _redis(_ask("priya", "redis-health"), _ask("bob", "checkout-dashboard"),
                   _raise_limit(200, 11), _say("limit raised", 14))
    assert rating(rollback, "mitigate.stabilise-first") == "P"
    assert rating(limit, "mitigate.stabilise-first") == "P"


# --- 3. effects, not action types ---------------------------------------------------------
def test_a_blind_change_with_the_wrong_value_is_no_mitigation() -> None:
    """An unannounced maxclients 100 -> 150, before anyone looked, fixes nothing."""
    card = _redis(_raise_limit(150, 1, announce=False), _ask("bob", "checkout-dashboard"),
                  {**UPDATE, "at_minutes": 11}, {**UPDATE, "at_minutes": 21},
                  {**UPDATE, "at_minutes": 31})
    assert rating(card, "mitigate.stabilise-first") == "U"
    assert rating(card, "mitigate.rollback-considered") == "U"


def test_a_lucky_blind_change_earns_no_process_credit() -> None:
    """An unannounced maxclients 200 before any finding works, by luck."""
    card = _redis(_raise_limit(200, 1, announce=False), _ask("bob", "checkout-dashboard"),
                  {**UPDATE, "at_minutes": 11})
    assert card.outcome["mitigated"] is not None  # the figures show the recovery...
    assert rating(card, "mitigate.stabilise-first") == "U"  # ...the process does not
    assert rating(card, "mitigate.rollback-considered") == "U"
    assert rating(card, "mitigate.impact-time") in ("M", "U")


def test_the_right_change_on_evidence_is_a_mitigation() -> None:
    """Raising the limit past what v2.4.1 needs, once Redis was seen full, announced."""
    card = _redis(_ask("priya", "redis-health"), _raise_limit(250, 8),
                  _say("limit raised; watching", 9))
    assert rating(card, "mitigate.stabilise-first") == "P"
    assert rating(card, "mitigate.impact-time") in ("P", "S")


def test_an_informed_change_with_too_small_a_value_is_a_detour() -> None:
    """Raising the limit to 150 on Redis's evidence fixes nothing; 200 afterwards does."""
    card = _redis(_ask("priya", "redis-health"), _raise_limit(150, 8),
                  _raise_limit(200, 12), _say("limit raised; watching", 15))
    assert rating(card, "mitigate.stabilise-first") != "P"


# --- 4. the IC answers for the room -------------------------------------------------------
NO_FREEZE = [{"action": "acknowledge"}, {"action": "declare", "severity": "P2"},
             {"action": "open_channel"}]


def test_responders_colliding_on_their_own_break_one_at_a_time() -> None:
    """Nobody froze changes: two engineers restart catalog-api on their own and the channel
    says nobody can tell which change moved the metrics."""
    card = play("bad-deploy", [*NO_FREEZE, {"action": "post_update", "audience": "all",
                                            "impact": "search is slow", "doing": "looking",
                                            "next_update_minutes": 10},
                               {"action": "delegate", "responder": "kofi",
                                "investigation": "deploy-history"},
                               {"action": "rollback", "service": "catalog-api", "by": "kofi",
                                "announcement": "rolling back", "at_minutes": 16},
                               _say("rollback landed", 24)], seed=3)
    blurred = [e for c in card.timeline for e in [c] if "Nobody can tell" in e.text]
    assert blurred
    assert rating(card, "change.one-at-a-time") != "P"
    assert rating(card, "change.announced") != "P"
    assert rating(card, "change.informed") != "P"


def test_a_responders_hunch_fix_is_judged_when_the_ic_resolves() -> None:
    """Omar ships his cache-bypass hotfix on his own; the IC changes nothing and resolves."""
    card = play("failed-batch-job", [*NO_FREEZE, {"action": "post_update", "audience": "all",
                                                  "impact": "reports are stale",
                                                  "doing": "looking",
                                                  "next_update_minutes": 10},
                                     {"action": "declare_resolved", "at_minutes": 20,
                                      "message": "Omar's hotfix is out."}])
    for criterion in ("change.announced", "change.informed"):
        assert rating(card, criterion) in ("M", "U"), criterion


def test_nobody_in_command_cannot_coordinate_perfectly() -> None:
    """Work handed out, but nobody declared or took command."""
    card = _redis(_ask("bob", "checkout-dashboard"), _ask("priya", "redis-health"),
                  _raise_limit(200, 6), opening=[{"action": "acknowledge"},
                                                 {"action": "freeze_changes"}])
    assert rating(card, "roles.ic-coordinates") not in ("P", "N/A")


# --- the rules' building blocks -----------------------------------------------------------
def _run(scenario_id: str) -> Any:
    from scoring.run import Run

    scenario, ref = load_scenario(scenario_id)
    drill = Drill(scenario, ref, 1, None)
    drill.start()
    records = drill.journal.records
    return Run(Journal("memory", records[0], records[1:]), scenario)


def test_relief_reads_the_faults_not_the_action_type() -> None:
    """Lowering the pricing timeout far enough switches the fault off; halfway does not."""
    from scoring.routes import relief

    run = _run("bad-deploy")
    key = {"key": "catalog-api.pricing_timeout_ms"}
    assert relief(run, "set_config", {**key, "value": 800}) > 0.9
    assert relief(run, "set_config", {**key, "value": 3000}) == 0
    assert relief(run, "set_config", {**key, "value": 9000}) == 0
    assert relief(run, "toggle_flag", {"flag": "live-pricing", "state": "off"}) > 0.25
    assert relief(run, "restart", {"target": "catalog-api"}) == 0  # symptoms come back


def test_a_finding_the_expert_never_asked_for_is_dated_by_its_question() -> None:
    """The backup vendor check can be asked once the traces are in, then takes its time."""
    from scoring.yardstick import yardstick

    run = _run("dependency-timeout")
    stick = yardstick(run)
    minutes = next(i.minutes for i in run.scenario.investigations
                   if i.id == "backup-vendor-check")
    assert stick.finding("backup-vendor-ready") == stick.finding("postverify-slow") + int(
        minutes * 60)


def test_only_a_release_of_a_service_makes_a_rollback_due() -> None:
    """A campaign email shortly before the failure is a recent change, not a release."""
    from scoring.routes import released

    assert released(_run("bad-deploy")) == ["catalog-api"]
    assert released(_run("redis-saturation")) == ["payment-service"]
    assert released(_run("region-degraded")) == []  # the campaign email; west shipped a day ago


def test_changes_rushed_in_before_the_last_settled_are_a_major_lapse() -> None:
    """Three maxclients changes, each started a minute after the previous one landed: two
    rushed changes and landings the channel says nobody can tell apart. Cause and effect are
    lost, so one change at a time is M (it was S)."""
    card = _redis(_raise_limit(150, 10, by="priya"), _raise_limit(200, 12, by="dave"),
                  _raise_limit(250, 14, by="bob"))
    crit = next(c for c in card.criteria if c.id == "change.one-at-a-time")
    assert crit.rating == "M", crit.reason
    assert "0 change(s) started while another" in crit.reason
    assert "2 before the previous one had settled" in crit.reason


def test_relief_reads_a_derived_key_metric() -> None:
    """Migration-lock's key metric (API errors) is derived from lock waiters and the WAF's
    (edge errors) from CPU: ending the export or killing the rules removes all the harm, a
    bigger pool or a restart none. Relief read direct fault effects only and saw no harm
    to remove, so the calibration corpus's kill-export route was judged blind (52, not 98)."""
    from scoring_helpers import played

    from scoring.routes import relief
    from scoring.run import Run
    from simulator.format.variants import vary

    def run_of(scenario_id: str) -> Run:
        return Run(played(scenario_id, "expert", 1),
                   vary(load_scenario(scenario_id)[0], 1)[0])

    lock, waf = run_of("migration-lock"), run_of("waf-global-push")
    assert relief(lock, "apply_fix", {"fix": "kill-export"}) >= 0.9
    assert relief(lock, "set_config", {"key": "pgbouncer.pool_size", "value": 400}) == 0
    assert relief(waf, "toggle_flag", {"flag": "waf-managed-rules", "state": "off"}) >= 0.9
    assert relief(waf, "restart", {"target": "edge-proxy"}) == 0
