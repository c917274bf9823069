"""A small scenario for format tests: one service, a flag, a config value, two people.

Tests append or replace snippets in it to exercise one format feature at a time, then
validate it or play it through the real engine.
"""

from __future__ import annotations

from pathlib import Path

MINI = """\
schema_version: 1
id: mini
title: Mini
summary: A small scenario for tests.
difficulty: beginner
expected_minutes: 20
time_limit_minutes: 40
expected_severity: P2
learning_objectives: [Test the format.]
briefing: Errors are up.
system:
  services:
    - id: api
      version: v2
      previous_version: v1
      rollback_minutes: 3
      config:
        - {key: timeout_ms, value: 1000, change_minutes: 1}
  dependencies:
    - {id: db, kind: database, restart_minutes: 1}
  feature_flags:
    - id: shield
      segments: [all]
      toggle_minutes: 1
metrics:
  - {id: error_rate, title: Error rate, unit: "%", baseline: 0.5, slo: {max: 2}, key: true}
  - {id: latency_ms, title: Latency, unit: ms, baseline: 100, slo: {max: 500}}
impact: {metric: error_rate, per_minute: 100}
faults:
  - id: bad-release
    title: The v2 release fails requests
    onset_minutes: -2
    active_when: {service: api, version: v2}
    ramp_minutes: 0
    recover_minutes: 1
    effects: {error_rate: 20, latency_ms: 300}
roster:
  ic: {id: ic, name: You, role: incident commander}
  responders:
    - {id: bob, name: Bob, role: engineer, skills: [deploys]}
    - {id: eve, name: Eve, role: engineer}
  stakeholders:
    - {id: sam, name: Sam, role: support lead, audience: support, patience_minutes: 5,
       asks: What do we tell customers?}
investigations:
  - id: deploys
    title: Recent deploys
    minutes: 1
    covers: [system_change]
    learns: [release-bad]
    finding: v2 shipped just before the errors.
  - id: db-health
    title: Database health
    minutes: 1
    red_herring: true
    learns: [db-ok]
    finding: The database is fine.
injects:
  - {id: hello, at_minutes: 1, source: bob, text: Bob is here.}
success:
  metrics: [error_rate]
  hold_minutes: 2
debrief:
  root_cause: v2 is broken.
  ideal_path:
    - {action: delegate, responder: bob, investigation: deploys}
    - {action: rollback, service: api, by: bob}
"""


def with_(*edits: tuple[str, str]) -> str:
    """MINI with each (old, new) replacement applied; each old text must be present."""
    text = MINI
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write(tmp_path: Path, text: str, name: str = "mini.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
