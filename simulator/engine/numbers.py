"""One way to write a number, for every place a trainee reads one.

The view, the engine's messages, the bots' notes and the reports all quote metric values;
written by one formatter they agree ("3,317 ms" in the channel and in the table, never
"3317.48ms" in one and "3,317ms" in the other). Thousands get a comma; below 100 the
significant decimals stay (8.02%, 0.1%); a metric marked ``whole`` (a count of clients or
tickets) is always a whole number. A unit follows after a space, except ``%``.
"""

from __future__ import annotations

from typing import Protocol


class HasUnit(Protocol):
    unit: str
    whole: bool


def number(value: float, whole: bool = False) -> str:
    """3,317 · 57.6 · 5.48 · 0.1 · 0 (and 114 for a count, never 113.7)."""
    if whole:
        return f"{round(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


def with_unit(text: str, unit: str) -> str:
    """'8%' and '420 ms': a percent sign sticks to the number, any other unit does not."""
    if not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def quantity(value: float, unit: str = "", whole: bool = False) -> str:
    return with_unit(number(value, whole), unit)


def metric_value(metric: HasUnit, value: float) -> str:
    """A metric's value as the trainee reads it everywhere."""
    return quantity(value, metric.unit, metric.whole)
