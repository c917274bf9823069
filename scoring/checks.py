"""The check mechanisms a rubric can name, with their default thresholds.

Each mechanism reads the run (journal + scenario) and returns a Finding. The rubric picks
the mechanism by name and may override any default threshold; the names of a mechanism's
facts are the placeholders its advice text may use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scoring import checks_change as change
from scoring import checks_close as close
from scoring import checks_command as command
from scoring import checks_comms as comms
from scoring import checks_handover as handover
from scoring import postmortem
from scoring.ratings import Finding
from scoring.run import Run

SHARES = {"s_share": 0.75, "m_share": 0.4}


@dataclass(frozen=True)
class CheckSpec:
    run: Callable[[Run, dict[str, float]], Finding]
    defaults: dict[str, float]
    facts: tuple[str, ...]


CHECKS: dict[str, CheckSpec] = {
    "declared_early": CheckSpec(command.declared_early, {"p": 2, "s": 5, "m": 10},
                                ("declared_at", "acknowledged_at")),
    "severity_matches": CheckSpec(command.severity_matches, {}, ("declared", "expected")),
    "timeline_kept": CheckSpec(command.timeline_kept, {"channel_within": 5, "min_notes": 2},
                               ("channel_at", "notes", "min_notes")),
    "ic_delegates": CheckSpec(command.ic_delegates,
                              {"own_changes_ok": 0, "own_investigations_ok": 0,
                               "own_investigations_s": 2, "own_investigations_m": 5,
                               "wasted_pages_ok": 0},
                              ("own_changes", "own_investigations", "delegated",
                               "wasted_pages")),
    "handover_summary": CheckSpec(handover.handover_summary, {"p": 0, "s": 1, "m": 2},
                                  ("handed_to", "missing")),
    "freeze_early": CheckSpec(command.freeze_early, {"p": 5, "s": 10, "m": 20},
                              ("frozen_at",)),
    "blast_before_change": CheckSpec(change.blast_before_change, {"p": 0, "s": 1, "m": 2},
                                     ("covered", "missing", "first_change_at")),
    "stabilise_first": CheckSpec(change.stabilise_first, {"p": 5, "s": 8, "m": 12},
                                 ("evidence_at", "mitigated_at", "delay")),
    "impact_time": CheckSpec(change.impact_time, {"p": 1.0, "s": 1.25, "m": 1.75},
                             ("healthy_at", "expected", "aim")),
    "rollback_considered": CheckSpec(change.rollback_considered,
                                     {"p": 8, "s": 10, "m": 12, "recent_minutes": 60},
                                     ("known_at", "considered_at")),
    "one_at_a_time": CheckSpec(change.one_at_a_time, {"collisions_m": 1, "rushed_m": 2,
                                                        "watch_minutes": 2},
                               ("collisions", "rushed", "peak", "blurred")),
    "announced_and_logged": CheckSpec(change.announced_and_logged,
                                      {"log_within": 5, **SHARES}, ("missing", "expected")),
    "evidence_preserved": CheckSpec(change.evidence_preserved, {},
                                    ("lost", "uninformed_restarts")),
    "informed_changes": CheckSpec(change.informed_changes, {"s_hunches": 0, "m_hunches": 2},
                                  ("hunches", "changes", "harmful", "lasting_harm")),
    "first_update": CheckSpec(comms.first_update, {"p": 5, "s": 8, "m": 15},
                              ("first_update_at",)),
    "update_cadence": CheckSpec(comms.update_cadence, {"p": 15, "s": 20, "m": 30},
                                ("longest_gap", "missed")),
    "update_content": CheckSpec(comms.update_content, dict(SHARES), ("missing",)),
    "audience_served": CheckSpec(comms.audience_served, {"answer_within": 8},
                                 ("unserved", "late", "unanswered")),
    "verified_resolution": CheckSpec(close.verified_resolution, {},
                                     ("resolved_at", "recovered_at", "reopened_at")),
    "resolution_message": CheckSpec(close.resolution_message, dict(SHARES), ("missing",)),
    "postmortem_complete": CheckSpec(postmortem.postmortem_complete, dict(SHARES),
                                     ("missing", "unowned")),
    "postmortem_blameless": CheckSpec(postmortem.postmortem_blameless, {},
                                      ("flagged", "sentence")),
}
