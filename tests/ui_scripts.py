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
            + top("close") + pick(0) + text("checkout errors back under 1% and holding")
            + text("redis ran out of connections after v2.4.1")
            + text("raised redis maxclients to 200") + ENTER + text("postmortem Friday")
            + postmortem("v2.4.1 needs more redis connections than maxclients allowed"))


def postmortem(root_cause: str, summary: str = "Users were hurt until we mitigated.") -> str:
    """Choose 'Write the postmortem' and fill every section, with one action item."""
    return (pick(0)
            + text(summary)
            + text("paged, declared, mitigated, recovered; see the channel")
            + text(root_cause)
            + text("a hand-set limit nobody revisited") + ENTER
            + text("delegated early") + ENTER
            + text("the first update came late") + ENTER
            + text("alert before the limit is reached") + pick(1) + ENTER
            + ENTER
            + text("stabilise first") + ENTER)


def bad_deploy_good() -> str:
    """bad-deploy: declare, delegate the deploy history and the rollback check, roll back."""
    return (START
            + top("coordinate") + pick(0)
            + top("coordinate") + pick(0) + pick(1)
            + top("coordinate") + pick(4)
            + top("communicate") + pick(0) + pick(0)
            + text("product pages are slow for everyone") + text("two engineers investigating")
            + text("10", replace=True)
            + top("investigate") + pick(0) + pick(2) + pick(1) + ENTER  # Kofi: deploys
            + top("investigate") + pick(0) + pick(1) + pick(1) + ENTER  # Mei: rollback check
            + wait(3)
            + top("mitigate") + pick(0) + pick(0) + ENTER + ENTER       # roll back, by Ravi
            + wait(5)
            + top("communicate") + pick(0) + pick(0) + text("pages recovering")
            + text("rolled back catalog-api; watching") + text("10", replace=True)
            + wait(10)
            + top("close") + pick(0) + text("product pages fast again and holding")
            + text("catalog-api v7.3.0 slowed product pages")
            + text("rolled back catalog-api") + ENTER + text("postmortem Friday")
            + postmortem("a release made every catalog page slower"))


def failed_batch_job_good() -> str:
    """failed-batch-job: flag the report off, repair the data, purge the cache, flag on."""
    return (START
            + top("coordinate") + pick(0)
            + top("coordinate") + pick(0) + pick(1)
            + top("coordinate") + pick(4)
            + top("communicate") + pick(0) + pick(0)
            + text("the daily revenue report shows old figures")
            + text("three engineers investigating") + text("10", replace=True)
            + top("investigate") + pick(0) + pick(2) + pick(0) + ENTER  # Lee: spot check
            + top("investigate") + pick(0) + pick(0) + pick(3) + ENTER  # Ana: job history
            + top("investigate") + pick(0) + pick(0) + pick(3) + ENTER  # Omar: flag options
            + wait(3)
            + top("mitigate") + pick(1) + pick(0) + pick(0) + pick(0) + ENTER + ENTER  # off
            + wait(4)
            + top("investigate") + pick(0) + pick(0) + pick(3) + ENTER  # Ana: job logs
            + top("investigate") + pick(0) + pick(0) + pick(2) + ENTER  # Omar: the cache
            + top("communicate") + pick(0) + pick(0)
            + text("the report is off; no wrong figures shown")
            + text("finding the cause") + text("10", replace=True)
            + wait(5)
            + top("mitigate") + pick(3) + pick(2) + ENTER + ENTER       # quarantine + re-run
            + wait(10)
            + top("mitigate") + pick(3) + pick(3) + ENTER + ENTER       # purge the cache
            + wait(4)
            + top("communicate") + pick(0) + pick(0)
            + text("report data repaired; report still off")
            + text("turning it back on next") + text("10", replace=True)
            + top("mitigate") + pick(1) + pick(0) + pick(1) + pick(0) + ENTER + ENTER  # on
            + wait(10)
            + top("close") + pick(0) + text("reports show today's figures again")
            + text("a malformed refund record broke the refresh job")
            + text("quarantined it, re-ran the job, purged the cache") + ENTER
            + text("postmortem Friday")
            + postmortem("a malformed record stopped the nightly refresh; the cache kept "
                         "old data"))
