"""Loads the engine's message templates (content lives in texts.yaml, not in code)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def _texts() -> dict[str, str]:
    raw = resources.files("simulator").joinpath("texts.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def text(key: str, **values: Any) -> str:
    return _texts()[key].format(**values)


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """The IC action catalogue: id -> group, title, help, seconds."""
    raw = resources.files("simulator").joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    assert isinstance(data, dict)
    return data
