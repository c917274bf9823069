"""Keystroke scripts for whole drills, shared by the drill, resume and tmux tests."""

from __future__ import annotations

from ui_keys import ENTER, START, pick, text, top, wait


def redis_good_steps() -> list[str]:
    """Acknowledge, declare P2, freeze, first update, three delegations, then watch."""
    return [top("coordinate") + pick(0),                      # acknowledge
            top("coordinate") + pick(0) + pick(1),            # declare P2
            top("coordinate") + pick(4),                      # freeze changes
            top("communicate") + pick(0) + pick(0)            # update for all
            + text("about 8% of checkouts fail") + text("investigating; two responders on it")
            + text("10", replace=True),
            top("investigate") + pick(0) + pick(0) + pick(0) + ENTER,  # Bob: dashboard
            top("investigate") + pick(0) + pick(0) + pick(0) + ENTER,  # Priya: deploys
            top("investigate") + pick(0) + pick(0) + pick(2) + ENTER,  # Dave: redis health
            wait(4)]


def redis_good_opening() -> str:
    return START + "".join(redis_good_steps())


def redis_good_rest() -> str:
    """From T+9:35: logs, raise maxclients via Priya, update, verify, resolve, postmortem."""
    return (top("investigate") + pick(0) + pick(0) + pick(1) + ENTER  # Bob: payment logs
            + wait(2)
            + top("mitigate") + pick(2) + pick(0) + text("200") + ENTER + ENTER
            + wait(3)
            + top("communicate") + pick(0) + pick(0)
            + text("checkout errors falling") + text("raised the redis connection limit")
            + text("10", replace=True)
            + wait(6)
            + top("close") + pick(0) + ENTER + text("redis ran out of connections after v2.4.1")
            + text("raised redis maxclients to 200") + ENTER + ENTER
            + postmortem("v2.4.1 needs more redis connections than maxclients allowed"))


def postmortem(root_cause: str) -> str:
    """Choose 'Write the postmortem' and fill every section, with one action item."""
    return (pick(0)
            + text("Checkout failed for about a quarter of an hour after a release.")
            + text("paged, declared, mitigated, recovered; see the channel")
            + text(root_cause)
            + text("a hand-set limit nobody revisited") + ENTER
            + text("delegated early") + ENTER
            + text("the first update came late") + ENTER
            + text("alert before the limit is reached") + pick(1) + ENTER
            + ENTER
            + text("stabilise first") + ENTER)
