"""Where the tool keeps the user's own files: journals of runs and the index of runs.

One place decides it, so a test (or a facilitator with a shared laptop) can move all of
it with the TABLETOP_DATA_DIR environment variable instead of touching the real home.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "TABLETOP_DATA_DIR"


def data_dir() -> Path:
    """TABLETOP_DATA_DIR when set, else the platform's user data directory."""
    override = os.environ.get(ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("incident-tabletop")


def runs_dir() -> Path:
    """The folder `tabletop run` writes journals to when no --journal is given."""
    return data_dir() / "runs"
