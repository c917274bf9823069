"""incident-tabletop: a tabletop-exercise simulator for production incidents.

The public API a facilitator can use from Python without the CLI::

    from simulator import load_scenario, run_drill
    scenario, ref = load_scenario("redis-saturation")

The names are imported on first use (PEP 562), so ``tabletop --help`` and every module
that only needs ``__version__`` do not pay for the scenario models and the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["__version__", "load_scenario", "run_drill"]

if TYPE_CHECKING:
    from simulator.format.loader import load_scenario
    from simulator.players.play import run_drill

_LAZY = {"load_scenario": "simulator.format.loader", "run_drill": "simulator.players.play"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'simulator' has no attribute {name!r}")
