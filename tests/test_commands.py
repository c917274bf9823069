"""The IC's commands beyond the basics: stop, revert and roll forward a change, and how the
engine, the checks and the scorer treat them."""

from __future__ import annotations

from helpers import drill_until, events

from scoring.checks_change import evidence_preserved
from scoring.run import Run
from simulator.actions.catalogue import Action, check
from simulator.runs.journal import Journal


def run_of(drill) -> Run:  # type: ignore[no-untyped-def]
    records = drill.journal.records
    return Run(Journal("<test>", records[0], records[1:]), drill.scenario)


def test_stopping_a_responders_restart_keeps_the_evidence() -> None:
    """Ravi restarts catalog-api on his own at T+3; 'stop' before it lands: nothing lands,
    the logs survive, the scorer credits the stop."""
    drill = drill_until("bad-deploy", [Action("wait", {"minutes": 3.2}),
                                       Action("cancel_change", {"change": "restart:catalog-api"})],
                        8)
    stopped = events(drill, "change_cancelled")
    assert [e["data"]["cancelled_by"] for e in stopped] == ["ic"]
    assert "nothing had changed yet" in stopped[0]["text"]
    assert not [e for e in events(drill, "change_applied")
                if e["data"]["change"] == "restart:catalog-api"]
    assert not events(drill, "evidence_lost")
    assert not drill.engine.busy("ravi")
    found = evidence_preserved(run_of(drill), {})
    assert found.rating == "P" and "stopped 1" in found.reason


def test_stop_needs_a_change_in_flight() -> None:
    """With nothing running, 'stop' is refused with the reason; an unknown key too."""
    drill = drill_until("bad-deploy", [], 1)
    problem = check(drill.engine, Action("cancel_change", {"change": "restart:catalog-api"}))
    assert problem is not None and "no change is running" in problem


def test_stopping_a_data_repair_midway_leaves_it_half_done() -> None:
    """A fix stopped part-way applies the scenario's `if_cancelled` (half-changed)."""
    drill = drill_until("failed-batch-job", [], 1)
    drill.engine.world.known.add("malformed-record")  # as if the job logs had been read
    responder = drill.scenario.roster.responders[0].id
    drill.submit(Action("apply_fix", {"fix": "quarantine-and-refresh", "by": responder}))
    drill.advance()
    drill.submit(Action("cancel_change", {"change": "fix:quarantine-and-refresh"}))
    drill.advance()
    stopped = events(drill, "change_cancelled")[-1]
    assert stopped["data"]["partial"] is True and "half-changed" in stopped["text"]
    assert "refund-record.quarantined" in drill.engine.world.facts
    assert "dataset.refreshed" not in drill.engine.world.facts


def test_revert_puts_a_landed_config_change_back() -> None:
    """Reverting a landed config change is its own change, with its own running time."""
    drill = drill_until("bad-deploy", [
        Action("set_config", {"key": "catalog-db.max_connections", "value": 400, "by": "kofi"}),
        Action("wait", {"minutes": 4}),
        Action("revert_change", {"change": "config:catalog-db.max_connections", "by": "kofi"}),
    ], 12)
    assert drill.engine.world.config["catalog-db.max_connections"] == 200
    started = [e for e in events(drill, "change_started")
               if e["data"]["change"] == "revert:config:catalog-db.max_connections"]
    assert len(started) == 1 and started[0]["data"]["expected_minutes"] == 3
    assert check(drill.engine, Action("revert_change", {
        "change": "config:catalog-db.max_connections"})) is not None  # reverted once only


def test_a_restart_cannot_be_reverted() -> None:
    drill = drill_until("bad-deploy", [Action("restart", {"target": "catalog-api", "by": "mei"}),
                                       Action("wait", {"minutes": 3})], 5)
    problem = check(drill.engine, Action("revert_change", {"change": "restart:catalog-api"}))
    assert problem is not None and "no landed change can be reverted" in problem


def test_roll_forward_is_offered_once_the_fix_is_known_and_clears_the_fault() -> None:
    """bad-deploy offers v7.3.1 once the timeout change is found; it takes 14 minutes."""
    early = drill_until("bad-deploy", [], 1)
    problem = check(early.engine, Action("roll_forward", {"service": "catalog-api"}))
    assert problem is not None and "no fixed version is ready yet" in problem
    drill = drill_until("bad-deploy", [
        Action("freeze_changes"),
        Action("delegate", {"responder": "ravi", "investigation": "app-logs"}),
        Action("wait", {"minutes": 9}),
        Action("roll_forward", {"service": "catalog-api", "by": "mei",
                                "announcement": "Rolling catalog-api forward to v7.3.1."}),
    ], 40)
    started = [e for e in events(drill, "change_started")
               if e["data"]["change"] == "rollforward:catalog-api"]
    assert started and started[0]["data"]["informed"] is True
    assert started[0]["data"]["expected_minutes"] == 14
    assert drill.engine.world.versions["catalog-api"] == "v7.3.1"
    assert drill.engine.world.values["degraded_pct"] < 2.0


def test_hold_to_a_responder_calls_off_their_restart() -> None:
    """'Ravi, hold off' before T+3: his unilateral restart is called off and journaled;
    the scorer counts it toward keeping the evidence."""
    drill = drill_until("bad-deploy", [Action("tell", {"person": "ravi", "says": "hold",
                                                       "about": "no restarts"})], 8)
    held = events(drill, "npc_held")
    assert [e["data"]["change"] for e in held] == ["restart:catalog-api"]
    assert "holding off as you asked" in held[0]["text"]
    assert not [e for e in events(drill, "change_started") if e["actor"] == "ravi"]
    found = evidence_preserved(run_of(drill), {})
    assert any("holding off" in e.text for e in found.evidence)


def test_stop_to_a_responder_stops_their_change() -> None:
    drill = drill_until("bad-deploy", [Action("wait", {"minutes": 3.2}),
                                       Action("tell", {"person": "ravi", "says": "stop"})], 6)
    assert [e["data"]["change"] for e in events(drill, "change_cancelled")] == [
        "restart:catalog-api"]
    assert "ravi, stop" in events(drill, "tell")[0]["text"].lower()


def test_reply_answers_the_person_who_asked() -> None:
    """Elena asks at T+2; a direct reply answers her (audience check) and restarts her
    patience; nobody else counts as answered by it."""
    from scoring.checks_comms import audience_served

    drill = drill_until("bad-deploy", [
        Action("post_update", {"audience": "support", "impact": "product pages slow",
                               "doing": "investigating"}),
        Action("wait", {"minutes": 1}),
        Action("reply", {"to": "elena", "text": "Yes, the release is our lead; update in 10."}),
    ], 5)
    said = events(drill, "reply")[0]
    assert said["text"].startswith("Riley (you) → Elena Rossi: Yes, the release")
    assert drill.engine.stakeholder_last["elena"] == said["t"]
    found = audience_served(run_of(drill), {"answer_within": 8})
    assert any("→ Elena Rossi" in e.text and e.good for e in found.evidence)


def test_reply_needs_someone_who_asked_and_a_text() -> None:
    drill = drill_until("bad-deploy", [], 1)
    problem = check(drill.engine, Action("reply", {"to": "elena", "text": "hi"}))
    assert problem is not None and "no stakeholder has asked" in problem
    later = drill_until("bad-deploy", [], 3)
    problem = check(later.engine, Action("reply", {"to": "elena", "text": " "}))
    assert problem is not None and "needs 'text'" in problem


def test_severity_changes_without_redeclaring_and_the_scorer_reads_the_last() -> None:
    from scoring.checks_command import severity_matches

    drill = drill_until("bad-deploy", [
        Action("declare", {"severity": "P1"}),
        Action("set_severity", {"severity": "P2", "reason": "only product pages are slow"}),
    ], 3)
    changed = events(drill, "severity_changed")[0]
    assert changed["data"]["was"] == "P1" and "severity is now P2 (was P1)" in changed["text"]
    assert drill.engine.severity == "P2" and len(events(drill, "declare")) == 1
    found = severity_matches(run_of(drill), {})
    assert found.rating == "P" and found.reason == "changed to P2, matching the impact"
    again = check(drill.engine, Action("set_severity", {"severity": "P2"}))
    assert again is not None and "already P2" in again


def test_set_severity_needs_a_declaration() -> None:
    drill = drill_until("bad-deploy", [], 1)
    problem = check(drill.engine, Action("set_severity", {"severity": "P1"}))
    assert problem is not None and "declare the incident first" in problem


def test_a_second_change_to_a_setting_reads_like_the_first() -> None:
    """100 -> 150 then 150 -> 200: the landed value is stored as a number, and the second
    change's title and announcement must still say 150 and 200, not 150.0 and 200.0."""
    drill = drill_until("redis-saturation", [
        Action("set_config", {"key": "redis.maxclients", "value": 150, "by": "priya"}),
        Action("wait", {"minutes": 6}),
        Action("set_config", {"key": "redis.maxclients", "value": 200, "by": "priya"})], 12)
    started = [e["text"] for e in events(drill, "change_started")
               if e["data"]["change"] == "config:redis.maxclients"]
    assert len(started) == 2, started
    assert "from 100 to 150" in started[0]
    assert "from 150 to 200" in started[1] and ".0" not in started[1]


def test_a_quick_question_gets_a_short_answer_from_what_the_person_knows() -> None:
    """'Dave, what changed in v2.4.1?': 20 s of the IC's time, the answer a minute later,
    Dave stays free, the team learns of the release; the same question is not asked twice."""
    drill = drill_until("redis-saturation", [
        Action("ask", {"person": "dave", "question": "v241-changes"})], 3)
    asked, answered = events(drill, "ask")[0], events(drill, "answer")[0]
    assert asked["t"] == 20 and answered["t"] == 80
    assert asked["text"] == "IC: Dave, quick question: what changed in payment-service v2.4.1?"
    assert answered["actor"] == "dave" and "fraud checks" in answered["text"]
    assert drill.engine.world.knows("recent-deploy") and not drill.engine.busy("dave")
    problem = check(drill.engine, Action("ask", {"person": "dave", "question": "v241-changes"}))
    assert problem is not None


def test_asking_the_wrong_person_is_refused_with_what_they_know() -> None:
    drill = drill_until("bad-deploy", [], 1)
    problem = check(drill.engine, Action("ask", {"person": "mei", "question": "v730-changes"}))
    assert problem is not None and "'mei' is not possible now (one of: ravi)" in problem


def test_the_ics_quick_look_orients_in_a_minute() -> None:
    """A one-minute glance at the deploy history: the IC is busy that minute, the team
    learns of the release, and the orient check counts what it covers."""
    from scoring.checks_change import blast_before_change

    drill = drill_until("bad-deploy", [
        Action("quick_check", {"investigation": "deploy-history"}),
        Action("rollback", {"service": "catalog-api", "by": "mei"})], 3)
    done = events(drill, "quick_check_done")[0]
    assert done["t"] == 60 and done["data"]["covers"] == ["anchor_time", "system_change"]
    assert drill.engine.world.knows("recent-deploy")
    found = blast_before_change(run_of(drill), {"p": 0, "s": 1, "m": 2})
    assert "anchor_time" in str(found.facts["covered"])
    problem = check(drill.engine, Action("quick_check", {"investigation": "deploy-history"}))
    assert problem is not None and "nothing left to glance at" in problem


def test_paging_the_owner_brings_a_responder_after_the_delay() -> None:
    """Sofia (pricing on-call) joins 6 minutes after the page and can take a task; the CDN
    vendor, paged for nothing, looks and drops off (the page cost the IC its 45 s)."""
    drill = drill_until("bad-deploy", [
        Action("page", {"person": "sofia", "reason": "pricing calls look slow"}),
        Action("page", {"person": "cdn-vendor"}),
    ], 17)
    joined = {e["actor"]: e for e in events(drill, "joined")}
    assert joined["sofia"]["t"] == 45 + 6 * 60 and joined["sofia"]["data"]["useful"] is True
    assert joined["cdn-vendor"]["data"]["useful"] is False
    assert "nothing here is ours" in joined["cdn-vendor"]["text"]
    assert check(drill.engine, Action("delegate", {
        "responder": "sofia", "investigation": "trace-sample"})) is None
    assert check(drill.engine, Action("delegate", {
        "responder": "cdn-vendor", "investigation": "trace-sample"})) is not None
    problem = check(drill.engine, Action("page", {"person": "sofia"}))
    assert problem is not None and "everyone on call has been paged" in problem


def test_an_on_call_id_must_not_clash_with_the_team() -> None:
    import yaml

    from simulator.format.crossref import cross_check
    from simulator.format.loader import load_scenario
    from simulator.format.yamlsafe import load_yaml

    scenario, _ = load_scenario("bad-deploy")
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["roster"]["on_call"][0]["id"] = "ravi"
    text_ = yaml.safe_dump(data, sort_keys=False)
    from simulator.format.scenario import Scenario

    problems = cross_check(Scenario.model_validate(data), load_yaml(text_, "s.yaml"))
    assert any("already on the team" in p.message for p in problems)
