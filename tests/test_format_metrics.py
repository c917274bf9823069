"""Metrics that drive each other (derived metrics) and the ceiling of percentages."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.actions.catalogue import Action
from simulator.errors import InputError
from simulator.format.loader import parse_scenario
from tests.format_scenario import with_, write
from tests.helpers import drill_until

METRICS = ("  - {id: latency_ms, title: Latency, unit: ms, baseline: 100, slo: {max: 500}}\n",)


def metric_lines(*lines: str) -> tuple[str, str]:
    return (METRICS[0], METRICS[0] + "".join(f"  - {line}\n" for line in lines))


def samples(drill, metric: str) -> list[float]:  # type: ignore[no-untyped-def]
    return [r["values"][metric] for r in drill.journal.records if r["type"] == "metrics"]


def errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        parse_scenario(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_a_derived_metric_follows_its_input(tmp_path: Path) -> None:
    """5xx ramp up with latency: 0 at 100 ms, 50 at 400 ms; the fault adds 300 ms."""
    text = with_(metric_lines(
        "id: gateway_5xx\n    title: Gateway 5xx\n    unit: '%'\n    baseline: 0\n"
        "    derive: {ramp: {of: {metric: latency_ms}, from: 100, to: 400, high: 50}}"))
    drill = drill_until(write(tmp_path, text), [], 3)
    assert samples(drill, "gateway_5xx")[-1] == pytest.approx(50)
    healed = drill_until(write(tmp_path, text), [
        Action("rollback", {"service": "api", "by": "bob"})], 12)
    assert samples(healed, "gateway_5xx")[-1] == pytest.approx(0)


def test_a_queue_integrates_arrivals_minus_service(tmp_path: Path) -> None:
    """Depth grows by (arrivals - service) each minute, never below zero."""
    text = with_(metric_lines(
        "{id: arrivals, title: Arrivals, baseline: 100}",
        "{id: served, title: Served, baseline: 100}",
        "id: queue_depth\n    title: Queue depth\n    baseline: 0\n"
        "    derive: {integrate: {of: {minus: [{metric: arrivals}, {metric: served}]}}}"),
        ("effects: {error_rate: 20, latency_ms: 300}",
         "effects: {error_rate: 20, latency_ms: 300, served: -40}"))
    drill = drill_until(write(tmp_path, text), [], 5)
    assert samples(drill, "queue_depth") == [0, 40, 80, 120, 160, 200]


def test_retries_inflate_traffic_through_previous(tmp_path: Path) -> None:
    """Inbound = base x (1 + errors/100 x 3 retries), read from last minute's errors."""
    text = with_(metric_lines(
        "id: inbound\n    title: Inbound requests\n    baseline: 1000\n"
        "    derive: {product: [1000, {sum: [1, {product: [{previous: error_rate}, 0.03]}]}]}"))
    drill = drill_until(write(tmp_path, text), [], 3)
    inbound, errors_ = samples(drill, "inbound"), samples(drill, "error_rate")
    assert inbound[-1] == pytest.approx(1000 * (1 + errors_[-2] * 0.03))


def test_threshold_min_max_clamp_and_lag(tmp_path: Path) -> None:
    text = with_(metric_lines(
        "id: alarm\n    title: Alarm\n    baseline: 0\n"
        "    derive: {threshold: {of: {metric: error_rate}, above: 5, then: 1}}",
        "id: capped\n    title: Capped\n    baseline: 0\n"
        "    derive: {clamp: {of: {max: [{metric: error_rate}, 3]}, max: 10}}",
        "id: delayed\n    title: Delayed\n    baseline: 0.5\n"
        "    derive: {min: [{lag: {metric: error_rate, minutes: 2}}, 100]}"))
    drill = drill_until(write(tmp_path, text), [], 4)
    assert samples(drill, "alarm")[-1] == 1
    assert samples(drill, "capped")[-1] == 10
    assert samples(drill, "delayed")[-1] == samples(drill, "error_rate")[-3]


def test_derived_metrics_are_cross_checked() -> None:
    cycle = with_(metric_lines(
        "{id: a, title: A, baseline: 0, derive: {metric: b}}",
        "{id: b, title: B, baseline: 0, derive: {sum: [{metric: a}, 1]}}"))
    found = errors(cycle)
    assert any("metric 'a' is derived in a cycle (a -> b)" in p and "previous" in p
               for p in found), found
    unknown = with_(metric_lines("{id: a, title: A, baseline: 0, derive: {metric: latncy_ms}}"))
    assert any("unknown metric 'latncy_ms' (did you mean 'latency_ms'?)" in p
               for p in errors(unknown))


@pytest.mark.parametrize(("derive", "expected"), [
    ("{ramp: {of: 1, form: 2, to: 3, high: 4}}", "unknown key 'form' (did you mean 'from'?)"),
    ("{integrate: {of: 1, strat: 2}}", "unknown key 'strat' (did you mean 'start'?)"),
    ("{summ: [1, 2]}", "an expression is a number or needs one of the keys"),
    ("{threshold: {of: 1, above: 2, then: 3, els: 0}}", "(did you mean 'else'?)"),
])
def test_expression_errors_name_that_expression_s_keys(derive: str, expected: str) -> None:
    found = errors(with_(metric_lines(f"{{id: a, title: A, baseline: 0, derive: {derive}}}")))
    assert any(expected in p for p in found), found


def test_a_percentage_never_exceeds_100(tmp_path: Path) -> None:
    """Unit '%': effects beyond 100 stop at 100 unless the author sets another ceiling."""
    text = with_(("effects: {error_rate: 20, latency_ms: 300}",
                  "effects: {error_rate: 180, latency_ms: 300}"))
    drill = drill_until(write(tmp_path, text), [], 3)
    assert max(samples(drill, "error_rate")) == 100
    loose = with_(("effects: {error_rate: 20, latency_ms: 300}",
                   "effects: {error_rate: 180, latency_ms: 300}"),
                  ("slo: {max: 2}, key: true}", "slo: {max: 2}, key: true, ceiling: 500}"))
    drill = drill_until(write(tmp_path, loose), [], 3)
    assert max(samples(drill, "error_rate")) > 100
