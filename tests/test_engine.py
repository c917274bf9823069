"""Engine dynamics: changes take time to bite, restarts destroy evidence, overlaps blur."""

from __future__ import annotations

from helpers import drill_until, events

from simulator.actions.catalogue import Action


def error_rate_at(drill, minute: int) -> float:  # type: ignore[no-untyped-def]
    sample = next(r for r in drill.journal.records
                  if r.get("type") == "metrics" and r["t"] == minute * 60)
    return float(sample["values"]["checkout_error_rate"])


def test_metrics_are_sampled_every_simulated_minute() -> None:
    """One metrics record per simulated minute, with cumulative harm."""
    drill = drill_until("redis-saturation", [], 10)
    samples = [r for r in drill.journal.records if r["type"] == "metrics"]
    assert [s["t"] for s in samples] == [60 * i for i in range(11)]
    assert samples[-1]["failed"] > samples[1]["failed"] > 0


def test_rollback_bites_only_after_its_delay() -> None:
    """A rollback (5 min) leaves the error rate high until it lands, then it decays."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("rollback", {"service": "payment-service", "by": "priya"}),
    ], 16)
    started = events(drill, "change_started")[0]["t"]
    landed = events(drill, "change_applied")[0]["t"]
    assert landed - started == 5 * 60
    before = (landed // 60) - 1
    assert error_rate_at(drill, before) > 7
    assert error_rate_at(drill, before + 2) < error_rate_at(drill, before)
    assert error_rate_at(drill, before + 5) < 1.0


def test_untouched_incident_keeps_failing() -> None:
    """Doing nothing is not a strategy: the fault persists."""
    drill = drill_until("redis-saturation", [Action("freeze_changes")], 20)
    assert error_rate_at(drill, 20) > 7


def test_restart_wipes_the_evidence_and_does_not_cure() -> None:
    """Restarting before reading the logs loses them; all pods bounced together cost an
    outage of their own, and the symptoms come back once the pods are up."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("restart", {"target": "payment-service", "by": "bob"}),
        Action("wait", {"minutes": 3}),
        Action("delegate", {"responder": "priya", "investigation": "payment-logs"}),
    ], 14)
    lost = events(drill, "evidence_lost")
    assert [e["data"]["investigation"] for e in lost] == ["payment-logs"]
    done = [e for e in events(drill, "investigation_done")
            if e["data"]["investigation"] == "payment-logs"]
    assert done and done[0]["data"]["lost"] is True and done[0]["data"]["learned"] == []
    landed = events(drill, "change_applied")[0]["t"] // 60
    assert error_rate_at(drill, landed) > 20  # no warm pod: checkout fails outright
    assert 4 < error_rate_at(drill, landed + 4) < 20  # back to the fault's own level


def test_investigation_teaches_findings_that_inform_changes() -> None:
    """A change made after its evidence is 'informed'; before it, a hunch."""
    hunch = drill_until("redis-saturation", [
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya"})], 3)
    assert events(hunch, "change_started")[0]["data"]["informed"] is False
    informed = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "priya", "investigation": "redis-health"}),
        Action("wait", {"minutes": 5}),
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya"})], 9)
    assert events(informed, "change_started")[0]["data"]["informed"] is True


def test_two_changes_in_flight_blur_cause_and_effect() -> None:
    """A second change while the first runs is recorded as overlapping, and said so."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("rollback", {"service": "payment-service", "by": "priya"}),
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "bob"}),
    ], 10)
    started = events(drill, "change_started")
    assert started[1]["data"]["in_flight"] == ["rollback:payment-service"]
    applied = events(drill, "change_applied")
    assert all(a["data"]["overlapping"] for a in applied)
    assert "Nobody can tell which change" in applied[0]["text"]


def test_restart_mid_rollout_cancels_the_rollback() -> None:
    """Engineers undoing each other: a restart kills a rollback in progress."""
    drill = drill_until("bad-deploy", [
        Action("freeze_changes"),
        Action("rollback", {"service": "catalog-api", "by": "mei"}),
        Action("restart", {"target": "catalog-api", "by": "ravi"}),
    ], 12)
    cancelled = events(drill, "change_cancelled")
    assert cancelled and cancelled[0]["data"]["change"] == "rollback:catalog-api"
    assert drill.engine.world.versions["catalog-api"] == "v7.3.0"


def test_freeze_prevents_the_eager_engineer() -> None:
    """An NPC's unannounced restart happens without a freeze and not with one."""
    loose = drill_until("redis-saturation", [], 8)
    assert any(e["actor"] == "dave" for e in events(loose, "change_started"))
    frozen = drill_until("redis-saturation", [Action("freeze_changes")], 8)
    assert not events(frozen, "change_started")


def test_silence_brings_the_vp_into_the_channel() -> None:
    """No update for the VP's patience: a ping, and every IC step now costs more."""
    drill = drill_until("redis-saturation", [Action("freeze_changes")], 13)
    pings = [e for e in events(drill, "stakeholder_ping") if e["actor"] == "maria"]
    assert pings and drill.engine.ic_slowdown > 1
    calm = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("post_update", {"audience": "all", "impact": "checkouts failing",
                               "doing": "investigating", "next_update_minutes": 10})], 13)
    assert not [e for e in events(calm, "stakeholder_ping") if e["actor"] == "maria"]


def test_the_hunch_fix_causes_a_second_incident() -> None:
    """The rushed cache bypass breaks page loads on top of the stale data."""
    drill = drill_until("failed-batch-job", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "omar", "investigation": "deploy-history"}),
        Action("wait", {"minutes": 4}),
        Action("apply_fix", {"fix": "cache-bypass-hotfix", "by": "omar"}),
    ], 18)
    sample = [r for r in drill.journal.records if r["type"] == "metrics"][-1]
    assert sample["values"]["page_errors_pct"] > 15
    assert "hotfix-breaks-pages" in drill.engine.seen_faults


def test_flag_workaround_hides_wrong_data_but_not_for_free() -> None:
    """Switching the report off stops wrong numbers and makes the report unavailable."""
    drill = drill_until("failed-batch-job", [
        Action("freeze_changes"),
        Action("toggle_flag", {"flag": "daily-report", "state": "off", "segment": "enterprise",
                               "by": "lee"}),
    ], 6)
    values = [r for r in drill.journal.records if r["type"] == "metrics"][-1]["values"]
    assert 45 < values["bad_report_views_pct"] < 60  # only self-serve still sees stale data
    assert 50 < values["report_available_pct"] < 65


def test_actions_follow_the_system() -> None:
    """Failover exists only with two regions; rollback only with a previous version."""
    from simulator.actions.catalogue import options

    bad = drill_until("bad-deploy", [], 0)
    redis = drill_until("redis-saturation", [], 0)
    assert "failover" in {o.id for o in options(bad.engine)}
    assert "failover" not in {o.id for o in options(redis.engine)}
    assert "toggle_flag" not in {o.id for o in options(redis.engine)}


def test_time_box_brings_a_check_in() -> None:
    """A delegation with a short time box reports back at the box, then finishes."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "dave", "investigation": "redis-health",
                            "timebox_minutes": 1}),
    ], 8)
    checkin = events(drill, "investigation_checkin")
    done = events(drill, "investigation_done")
    assert checkin and done and checkin[0]["t"] < done[0]["t"]
    assert "time box is up" in checkin[0]["text"]


def test_fixes_stay_hidden_until_someone_could_think_of_them() -> None:
    """The root-cause fix is not on the menu at T+0: offering it would give the answer away."""
    from simulator.actions.catalogue import choices

    start = drill_until("failed-batch-job", [], 0)
    assert choices(start.engine, "apply_fix")["fix"] == []
    later = drill_until("failed-batch-job", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "ana", "investigation": "job-history"}),
        Action("wait", {"minutes": 4}),
        Action("delegate", {"responder": "ana", "investigation": "job-logs"}),
        Action("wait", {"minutes": 6}),
    ], 12)
    assert "quarantine-and-refresh" in choices(later.engine, "apply_fix")["fix"]


def test_no_op_decisions_are_refused_with_a_reason() -> None:
    """Declaring the same severity twice or re-setting a value already set changes nothing."""
    from simulator.actions.catalogue import check

    drill = drill_until("redis-saturation", [
        Action("declare", {"severity": "P2"}),
        Action("freeze_changes"),
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya"}),
        Action("wait", {"minutes": 3}),
    ], 6)
    engine = drill.engine
    assert check(engine, Action("declare", {"severity": "P2"})) == (
        "'declare': already declared P2")
    assert check(engine, Action("declare", {"severity": "P1"})) is None
    assert check(engine, Action("set_config", {"key": "redis.maxclients", "value": 200})) == (
        "'set_config': already in effect")


def test_wait_until_news_returns_at_the_first_finding() -> None:
    """A long wait 'until news' ends when the delegated check reports back."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "priya", "investigation": "deploy-history"}),
        Action("wait", {"minutes": 20, "until_news": True}),
        Action("note", {"text": "deploy history is in"}),
    ], 12)
    done = events(drill, "investigation_done")[0]["t"]
    assert events(drill, "note")[0]["t"] <= done + 60


def test_wait_until_news_stops_when_an_update_is_due() -> None:
    """A promised update falls due: the IC is called back in time to keep the promise."""
    drill = drill_until("redis-saturation", [
        Action("freeze_changes"),
        Action("post_update", {"audience": "all", "impact": "checkout failing",
                               "doing": "investigating", "next_update_minutes": 6}),
        Action("wait", {"minutes": 30, "until_news": True}),
        Action("note", {"text": "time for the update"}),
    ], 15)
    posted = events(drill, "status_update")[0]["t"]
    note = events(drill, "note")[0]["t"]
    assert posted + 6 * 60 <= note <= posted + 6 * 60 + 60


def test_failover_moves_traffic_without_inventing_a_config_key() -> None:
    """After a failover the active region changes; no 'region.active' knob appears."""
    from simulator.actions.catalogue import choices

    drill = drill_until("bad-deploy", [
        Action("freeze_changes"),
        Action("failover", {"region": "us-east", "by": "mei"}),
    ], 8)
    assert drill.engine.world.active_region == "us-east"
    assert "region.active" not in choices(drill.engine, "set_config")["key"]


def test_a_justified_key_in_the_wrong_direction_is_still_a_hunch() -> None:
    """With the finding in hand, lowering the timeout is informed; raising it is not."""
    opening = [Action("freeze_changes"),
               Action("delegate", {"responder": "ravi", "investigation": "app-logs"}),
               Action("wait", {"minutes": 5})]
    lower = drill_until("bad-deploy", [*opening, Action("set_config", {
        "key": "catalog-api.pricing_timeout_ms", "value": 200, "by": "mei"})], 9)
    raise_ = drill_until("bad-deploy", [*opening, Action("set_config", {
        "key": "catalog-api.pricing_timeout_ms", "value": 9000, "by": "mei"})], 9)
    assert events(lower, "change_started")[0]["data"]["informed"] is True
    assert events(raise_, "change_started")[0]["data"]["informed"] is False
