"""A status update's parts read as sentences: each ends in punctuation before the next."""

from __future__ import annotations

from simulator.actions.catalogue import Action
from tests.helpers import drill_until, events


def test_update_parts_are_separated_by_full_stops() -> None:
    drill = drill_until("redis-saturation", [
        Action("acknowledge", {}), Action("declare", {"severity": "P2"}),
        Action("post_update", {"audience": "all", "message": "Checkout is failing!",
                               "impact": "8% of checkouts fail for some users",
                               "doing": "fixing redis", "next_update_minutes": 10})], 3)
    update = events(drill, "status_update")[0]["text"]
    assert ("Checkout is failing! Impact: 8% of checkouts fail for some users. "
            "Now: fixing redis. Next update by ") in update, update
    assert update.endswith(".") and ".." not in update


def test_a_part_already_ending_in_a_question_mark_keeps_it() -> None:
    drill = drill_until("redis-saturation", [
        Action("acknowledge", {}), Action("declare", {"severity": "P2"}),
        Action("post_update", {"audience": "all", "impact": "Is checkout down?",
                               "doing": "checking."})], 3)
    assert events(drill, "status_update")[0]["text"].endswith(
        "Impact: Is checkout down? Now: checking.")
