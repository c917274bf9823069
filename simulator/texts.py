"""Loads the engine's message templates (content lives in texts.yaml, not in code)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

#: the top package, so the data files are found wherever the package is installed
_TOP = __name__.split(".")[0]


def _shipped(package: str, name: str) -> str:
    """The text of a YAML file shipped inside the package (or one of its layer packages)."""
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


@cache
def _texts() -> dict[str, str]:
    data = yaml.safe_load(_shipped(_TOP, "texts.yaml"))
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def text(key: str, **values: Any) -> str:
    return _texts()[key].format(**values)


@cache
def catalogue() -> dict[str, dict[str, Any]]:
    """The IC action catalogue: id -> group, title, help, seconds."""
    data = yaml.safe_load(_shipped(f"{_TOP}.actions", "catalogue.yaml"))
    assert isinstance(data, dict)
    return data
