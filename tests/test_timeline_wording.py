"""command.timeline names what was missing in the words of the IC's menu."""

from __future__ import annotations

import json

from helpers import tabletop

from simulator.texts import catalogue


def _timeline_reason(journal: str) -> str:
    scored = tabletop("score", journal, "--format", "json")
    assert scored.returncode in (0, 1), scored.stderr
    return str(next(c for c in json.loads(scored.stdout)["criteria"]
                    if c["id"] == "command.timeline")["reason"])


def test_a_missing_channel_is_named_by_its_menu_title() -> None:
    """The hero never picks the action: the finding quotes the menu entry he skipped."""
    reason = _timeline_reason("tests/golden/redis-saturation.hero.jsonl")
    opening = catalogue()["open_channel"]["title"]
    assert reason == f"'{opening}' never chosen; '{catalogue()['note']['title']}' used 0 times"
    assert "never opened" not in reason


def test_an_opened_channel_says_when_it_was_chosen() -> None:
    reason = _timeline_reason("tests/golden/redis-saturation.expert.jsonl")
    assert reason.startswith(f"'{catalogue()['open_channel']['title']}' at T+"), reason
