"""Communication checks: who was told what, when, and whether questions got answers."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from helpers import drill_until
from scoring_helpers import played

from scoring.grader import grade
from simulator.actions.catalogue import Action
from simulator.format.loader import load_scenario
from simulator.runs.journal import Journal


def with_events(scenario_id: str, extra: list[dict[str, Any]], bot: str = "expert",
                seed: int = 1) -> Journal:
    """A bot's journal with ``extra`` events spliced in just before its end record."""
    full = played(scenario_id, bot, seed)
    body = [r for r in full.records if r.get("type") != "end"]
    end = [r for r in full.records if r.get("type") == "end"]
    return Journal("<spliced>", full.header, body + extra + end)


def event(t: int, kind: str, actor: str, **data: Any) -> dict[str, Any]:
    return {"type": "event", "t": t, "actor": actor, "kind": kind, "text": f"{actor}: {kind}",
            "data": data}


def test_scoring_is_linear_in_stakeholder_questions() -> None:
    """10,000 questions (half answered, half never) score in well under a second (2,000
    took 218 s in a long journal): the reply to each question is found by a binary
    search, not by scanning every update again; the report quotes only a few of them."""
    sc = load_scenario("redis-saturation")[0]
    last = max(int(r.get("t", 0)) for r in played("redis-saturation", "expert", 1).records)
    extra = []
    for _ in range(5000):
        extra.append(event(last, "stakeholder_ping", "maria", audience="leadership"))
        extra.append(event(last, "status_update", "ic", audience="support", impact="x",
                           doing="y", next_update_minutes=10))
    for _ in range(5000):
        extra.append(event(last + 1, "stakeholder_ping", "maria", audience="leadership"))
    journal = with_events("redis-saturation", extra)
    started = time.perf_counter()
    card = grade(journal, sc, compare=False)
    took = time.perf_counter() - started
    crit = next(c for c in card.criteria if c.id == "comms.audience")
    assert took < 3, f"scoring 10,000 questions took {took:.1f} s"
    never = re.search(r"(\d+) never", crit.reason)
    assert crit.rating == "M" and never is not None and int(never.group(1)) >= 10000
    assert len(crit.evidence) <= 12, "the report quotes a few questions, not thousands"


# --- item 5: content graded against the true state ---------------------------------------
def graded(actions: list[Action], minutes: float, scenario_id: str = "redis-saturation"
           ) -> dict[str, Any]:
    """Play ``actions`` (then wait) until T+minutes, stop as Ctrl-C would, and grade."""
    drill = drill_until(scenario_id, actions, minutes)
    records = drill.journal.records
    journal = Journal("<test>", records[0], [*records[1:], {
        "type": "event", "t": int(drill.engine.now), "actor": "trainee", "kind": "interrupted"}])
    card = grade(journal, drill.scenario, compare=False)
    return {c.id: c for c in card.criteria}


def update(**args: Any) -> Action:
    return Action("post_update", {"audience": "all", **args})


def test_recovered_while_out_of_slo_is_a_false_statement_quoting_the_metric() -> None:
    """'Recovered' at T+3, with checkouts still failing, is marked down to M at best and
    the metric that contradicts it is quoted."""
    got = graded([Action("acknowledge"), update(
        impact="checkout errors for about 8% of users", doing="we restarted Redis",
        next_update_minutes=10, message="Checkout has recovered.")], 6)
    crit = got["comms.update-content"]
    assert crit.rating in ("M", "U")
    quoted = " ".join(e.text for e in crit.evidence)
    assert "recovered" in quoted and "Checkout error rate" in quoted and "SLO" in quoted
    assert "false statement" in crit.advice


def test_negated_recovery_is_not_a_claim() -> None:
    """'Not yet recovered' is honest, and a complete honest update is P."""
    got = graded([Action("acknowledge"), update(
        impact="about 8% of checkouts fail", doing="two responders on Redis; not yet "
        "recovered", next_update_minutes=10)], 6)
    assert got["comms.update-content"].rating == "P", got["comms.update-content"].reason


def test_restarted_stuff_should_be_ok_does_not_score_full_marks() -> None:
    """Every field filled with words that say nothing is not a complete update."""
    got = graded([Action("acknowledge"), update(
        impact="restarted stuff", doing="should be ok", next_update_minutes=10)], 6)
    crit = got["comms.update-content"]
    assert crit.rating in ("M", "U"), crit.reason
    assert "vague" in crit.advice and "impact" in crit.advice


def test_resolution_claiming_verification_that_did_not_happen_is_marked_down() -> None:
    """'The metrics have held' at T+4, with no recovery confirmed, is a false statement."""
    got = graded([Action("acknowledge"), Action("declare_resolved", {
        "message": "Service is restored and the metrics have held.", "root_cause": "Redis "
        "ran out of connections", "fix": "raised maxclients", "customer_impact": "8% of "
        "checkouts failed for 4 minutes", "follow_up": "postmortem on Friday"})], 9)
    crit = got["resolve.message"]
    assert crit.rating in ("M", "U"), crit.reason
    quoted = " ".join(e.text for e in crit.evidence)
    assert "have held" in quoted and "monitoring had not confirmed" in quoted
    assert "SLO" in quoted


# --- item 6: comms bookkeeping per audience ------------------------------------------------
def test_a_promise_to_one_audience_survives_an_update_to_another() -> None:
    """Leadership is promised news in 10 min, then support in 30: waiting until news calls
    the IC back when leadership's promise falls due, and a missed leadership promise is
    reported (before, the support promise overwrote it and nothing happened)."""
    wait = Action("wait", {"minutes": 25, "until_news": True})
    drill = drill_until("redis-saturation", [
        update(audience="leadership", impact="8% of checkouts fail", doing="investigating",
               next_update_minutes=10),
        update(audience="support", impact="8% of checkouts fail", doing="investigating",
               next_update_minutes=30), wait], 20)
    records = drill.journal.records
    promised = next(r for r in records if r.get("kind") == "status_update")["t"] + 600
    decisions = [r for r in records if r.get("type") == "decision"]
    waited = next(i for i, d in enumerate(decisions) if d["action"] == "wait")
    assert decisions[waited + 1]["t"] <= promised + 5, "the wait overslept the promise"
    missed = [r for r in records if r.get("kind") == "missed_update"]
    assert missed and missed[0]["data"]["audience"] == "leadership"


def test_question_in_the_minute_of_the_resolution_is_answered() -> None:
    """A question asked in the same minute as the resolution (or before it, with the
    resolution as the first reply) is answered by the resolution message."""
    full = played("redis-saturation", "expert", 1)
    resolved = next(r for r in full.records if r.get("kind") == "declare_resolved")
    extra = [event(int(resolved["t"]) + 30, "stakeholder_ping", "maria", audience="leadership")]
    sc = load_scenario("redis-saturation")[0]
    card = grade(with_events("redis-saturation", extra), sc, compare=False)
    crit = next(c for c in card.criteria if c.id == "comms.audience")
    assert crit.rating == "P", crit.reason


def test_silence_before_the_first_update_counts_toward_cadence() -> None:
    """First update after T+22, then about every 10 minutes: the quiet start is the longest
    silence, so cadence is not P (before, only gaps after the first update counted)."""
    every = [Action("wait", {"minutes": 10}), update(
        impact="8% of checkouts fail", doing="investigating", next_update_minutes=10)]
    got = graded([Action("acknowledge"), Action("wait", {"minutes": 22}),
                  *every[1:], *every, *every], 45)
    crit = got["comms.cadence"]
    assert crit.rating in ("S", "M", "U"), crit.reason
    assert "(the page–" in crit.reason


def test_a_60_minute_promise_is_held_to_the_cadence() -> None:
    """'Next update in 60 minutes' then 18 quiet minutes: a broken promise at the rubric's
    15-minute cadence, which makes cadence worse than the gap alone would."""
    got = graded([Action("acknowledge"), update(
        impact="8% of checkouts fail", doing="investigating", next_update_minutes=60),
        Action("wait", {"minutes": 18}), update(
        impact="8% of checkouts fail", doing="raising the limit", next_update_minutes=10),
        Action("wait", {"minutes": 8}), update(
        impact="8% of checkouts fail", doing="watching", next_update_minutes=10)], 30)
    crit = got["comms.cadence"]
    assert "1 promised update(s) missed" in crit.reason
    assert crit.rating in ("M", "U"), crit.reason
    assert any("held to the 15-minute cadence" in e.text for e in crit.evidence)


def test_impact_in_other_words_is_accepted_and_hope_is_not_vague() -> None:
    """An impact sentence outside the word list ('search results come back empty for
    everyone') counts; 'hopefully' in what we do is not, on its own, saying nothing."""
    from scoring.claims import says_impact, vague

    assert says_impact("Search results come back empty")
    assert says_impact("Quotes are priced wrong")
    assert not says_impact("restarted stuff")
    assert not vague("rolling back; hopefully done by 10:40")
    assert vague("should be ok")


def test_silence_after_a_reopen_runs_to_the_end(tmp_path: Path) -> None:
    """Resolved, reopened and never resolved again: the incident is open, so the silence
    after the last message counts to the end of the drill (it was ignored, rated P)."""
    from calibration_corpus import CORPUS, expectation, play

    got = play(expectation(CORPUS / "failed-batch-job--responder-hotfix-resolved.yaml"),
               tmp_path)
    assert got.ratings["comms.cadence"] == "U", got.ratings


# --- QA findings: replies are read for truth, vague or false news keeps no cadence --------
HONEST = {"impact": "about 8% of checkouts fail", "doing": "two responders on Redis; not "
          "yet recovered", "next_update_minutes": 10}


MARIA_ASKS = [Action("wait", {"minutes": 8}), Action("wait", {"minutes": 4})]  # at T+12


def test_a_false_reply_to_a_stakeholder_is_marked_down_like_a_false_update() -> None:
    """'All good now, it was a blip' to Maria while checkouts still fail caps the content
    criterion at M and quotes the metric (before, replies were never read: P)."""
    got = graded([Action("acknowledge"), update(**HONEST), *MARIA_ASKS,
                  Action("reply", {"to": "maria", "text": "all good now, it was a blip"})], 14)
    crit = got["comms.update-content"]
    assert crit.rating in ("M", "U"), crit.reason
    quoted = " ".join(e.text for e in crit.evidence)
    assert "all good" in quoted and "Checkout error rate" in quoted and "SLO" in quoted


def test_an_honest_reply_is_not_a_false_statement() -> None:
    """'Not all good yet' is no claim: the honest update and reply stay P."""
    got = graded([Action("acknowledge"), update(**HONEST), *MARIA_ASKS,
                  Action("reply", {"to": "maria", "text": "not all good yet, 8% fail"})], 14)
    assert got["comms.update-content"].rating == "P", got["comms.update-content"].reason


def test_false_and_vague_messages_do_not_keep_the_cadence() -> None:
    """The QA run: a false "resolved" at T+4 (reopened), a false reply to Maria, and one
    vague update promising the next in 60 minutes. None of it is news, so the silence runs
    from the page and the cadence is M or worse (it was P)."""
    got = graded([Action("acknowledge"), Action("wait", {"minutes": 3}),
                  Action("declare_resolved", {"message": "Resolved, it was a blip."}),
                  Action("wait", {"minutes": 4}), *MARIA_ASKS,
                  Action("reply", {"to": "maria", "text": "all good now, it was a blip"}),
                  update(impact="some stuff", doing="looking into stuff",
                         next_update_minutes=60)], 26)
    crit = got["comms.cadence"]
    assert crit.rating in ("M", "U"), crit.reason
    assert "not counted as news" in crit.reason


# --- calib: every resolution message is judged, and a blind audience is U -----------------
def _rollback_route_with(tmp_path: Path, extra: list[dict[str, Any]], name: str
                         ) -> dict[str, str]:
    """The corpus's rollback-route play (resolve.message P) with ``extra`` decisions merged
    in by time, played through the real CLI."""
    import yaml
    from calibration_corpus import CORPUS, expectation, play

    base = expectation(CORPUS / "redis-saturation--rollback-route.yaml")
    steps = yaml.safe_load(base.path.read_text(encoding="utf-8"))
    merged, last = [], 0.0
    for step in steps:
        last = float(step.get("at_minutes", last))
        while extra and float(extra[0]["at_minutes"]) <= last:
            merged.append(extra.pop(0))
        merged.append(step)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(merged + extra, sort_keys=False), encoding="utf-8")
    return play(type(base)(path, base.scenario, base.seed, base.band, [], []), tmp_path).ratings


def test_a_false_first_all_clear_counts_though_the_last_message_is_good(tmp_path: Path
                                                                        ) -> None:
    """Resolved at T+11 with 'recovered, the metrics have held' while checkouts still
    failed, reopened, then resolved again with a good message: the first message went to
    every audience too, so resolve.message is at best M (only the last was judged: P)."""
    good = _rollback_route_with(tmp_path, [], "good")
    assert good["resolve.message"] == "P", good
    false_first = _rollback_route_with(tmp_path, [{
        "action": "declare_resolved", "at_minutes": 11,
        "message": "Checkout has recovered and the metrics have held.",
        "root_cause": "payment-service v2.4.1 leaked Redis connections",
        "fix": "rolled back payment-service", "customer_impact": "about 8% of checkouts "
        "failed for 10 minutes", "follow_up": "postmortem tomorrow 10:00"}], "false-first")
    assert false_first["resolve.message"] in ("M", "U"), false_first
    assert false_first["resolve.verified"] in ("M", "U"), false_first


def test_an_audience_left_blind_is_u_and_a_reply_lifts_it(tmp_path: Path) -> None:
    """The P3 run that talks only to leadership: support's questions at T+2 and T+15 wait
    for the all-clear at T+34 with no update to support in between, so comms.audience is
    U (it was M, and the run kept 90). Replying to Marco at T+3 answers him in time: the
    audience is still never updated (M), and the score does not go down."""
    import yaml
    from calibration_corpus import CORPUS, expectation, play

    base = expectation(CORPUS / "dependency-timeout--p3-leadership-only.yaml")
    blind = play(base, tmp_path)
    assert blind.ratings["comms.audience"] == "U", blind.ratings
    steps = yaml.safe_load(base.path.read_text(encoding="utf-8"))
    at = next(i for i, s in enumerate(steps) if s.get("at_minutes"))
    steps.insert(at, {"action": "reply", "to": "marco", "text": "Tell customers their card "
                      "was not charged; about one checkout in eleven fails at the address "
                      "step and we are switching vendors. Update to support by 11:30."})
    path = tmp_path / "replied.yaml"
    path.write_text(yaml.safe_dump(steps, sort_keys=False), encoding="utf-8")
    replied = play(type(base)(path, base.scenario, base.seed, base.band, [], []), tmp_path)
    assert replied.ratings["comms.audience"] == "M", replied.ratings
    assert replied.score >= blind.score, (replied.score, blind.score)


def test_an_update_with_no_impact_ends_no_silence() -> None:
    """'Now: looking into it' at T+16, with no word on who is hurt, is no news: the silence
    runs from the page to the next real update at T+27 (M), not to T+16 (S). The corpus's
    late-thin-updates run kept cadence S on such an update."""
    got = graded([Action("acknowledge"), Action("wait", {"minutes": 16}),
                  Action("post_update", {"audience": "all", "doing": "looking into it"}),
                  Action("wait", {"minutes": 9}), update(
                      impact="about 8% of checkouts fail", doing="raising the Redis limit",
                      next_update_minutes=10)], 30)
    crit = got["comms.cadence"]
    assert crit.rating in ("M", "U"), crit.reason
    assert "(the page–" in crit.reason and "not counted as news" in crit.reason
