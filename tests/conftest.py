"""Shared fixtures: small, explicit, and a terminal-neutral environment for rich."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loader import builtin_ids, load_scenario
from simulator.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_IDS = builtin_ids()


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def redis() -> Scenario:
    return load_scenario("redis-saturation")[0]
