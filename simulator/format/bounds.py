"""The ranges every number in a scenario may take (docs/scenario-format.md lists them).

Numbers come from files a stranger may write. Unbounded, ``hold_minutes: 1000000000`` makes
a run write hundreds of megabytes, NaN "resolves" an incident because no comparison with it
is true, and infinity crashes a view. So every number is finite (``allow_inf_nan=False`` on
every model) and has a range: a drill lasts at most a simulated day, so no duration, time or
limit goes beyond it, and metric values stay where a float is exact enough to compare and sum.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_MINUTES = 1440
MAX_VALUE = 1e9
MAX_BEFORE_START = 525_600  # a recent change may be up to a year old
METRIC_LIMIT = 1e12  # a metric's value, derived ones included, is held within this

Value = Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
WholeValue = Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES)]


def held(value: float, fallback: float) -> float:
    """A computed metric value kept finite and within ±METRIC_LIMIT, whatever a derived
    expression did (a product fed back through ``previous`` doubles every minute); NaN
    becomes ``fallback``. So a journal never holds NaN or infinity."""
    if value != value:
        return fallback
    return max(-METRIC_LIMIT, min(METRIC_LIMIT, value))
