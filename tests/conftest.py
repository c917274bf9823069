"""Shared fixtures: small, explicit, and a terminal-neutral environment for rich."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.format.loader import builtin_ids, load_scenario
from simulator.format.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_IDS = builtin_ids()


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(autouse=True)
def _own_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
                  ) -> Path:
    """Runs and the index of runs go to a fresh folder, never the real user data directory
    (subprocesses inherit the variable)."""
    folder = tmp_path_factory.mktemp("tabletop-data")
    monkeypatch.setenv("TABLETOP_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def redis() -> Scenario:
    return load_scenario("redis-saturation")[0]
