"""incident-tabletop: a tabletop-exercise simulator for production incidents.

The public API a facilitator can use from Python without the CLI::

    from simulator import load_scenario, run_drill
    scenario, ref = load_scenario("redis-saturation")
"""

__version__ = "0.1.0"

from simulator.loader import load_scenario
from simulator.play import run_drill

__all__ = ["__version__", "load_scenario", "run_drill"]
