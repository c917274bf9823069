"""An inline SVG chart of the key metric, with every decision and consequence marked.

Plain SVG built from numbers (no script, no remote fonts), so the HTML report stays one
self-contained file. Decisions are numbered ticks along the bottom, changes landing and
evidence lost are vertical lines across the plot, and each mark has a tooltip that quotes
the journal, so cause and effect can be read off the chart.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from simulator.engine.numbers import number, with_unit

WIDTH, HEIGHT = 960, 340
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 20, 70
MARK_STYLE = {
    "change_applied": ("#1f6feb", "change landed"),
    "evidence_lost": ("#cf222e", "evidence lost"),
    "change_cancelled": ("#cf222e", "change undone"),
    "recovered": ("#1a7f37", "recovered (holding)"),
    "reopened": ("#cf222e", "reopened"),
    "inject": ("#9a6700", "inject"),
}


MAX_TICKS = 24


def _fmt(v: float) -> str:
    return number(v)


def _finite(value: Any, default: float = 0.0) -> float:
    """A number from the journal as a finite float (anything else counts as ``default``)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return number if math.isfinite(number) else default


def _tick_step(end_minutes: float) -> int:
    """Minutes between axis labels: 5 or 10 as before, wider for long runs, so there are
    never more than MAX_TICKS labels whatever the journal says."""
    step = 5 if end_minutes <= 60 else 10
    if end_minutes / step > MAX_TICKS:
        step *= math.ceil(end_minutes / step / MAX_TICKS)
    return step


def render_svg(chart: dict[str, Any]) -> str:
    """The chart as SVG text. Every string in it is escaped and every number is formatted
    from a float, so nothing from a journal can add markup or make the work grow."""
    points = [(_finite(t), _finite(v)) for t, v in chart["points"]]
    marks = [{**m, "t": _finite(m.get("t"))} for m in chart["marks"]]
    end = max([_finite(chart.get("end", 0)), *(t for t, _ in points),
               *(m["t"] for m in marks), 60.0])
    top_value = max([v for _, v in points] + [_finite(chart.get("slo_max")),
                                              _finite(chart["baseline"]), 1e-9])
    y_max = top_value * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + plot_w * (float(t) / end)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / y_max)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-label="{escape(chart["title"])} over time" class="chart">',
           f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fbfbfc" '
           'stroke="#d0d7de"/>']
    for i in range(5):  # horizontal grid and value labels
        v = y_max * i / 4
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                   'stroke="#eaeef2"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
                   f'class="axis">{_fmt(v)}</text>')
    step = _tick_step(end / 60)
    for minute in range(0, int(end // 60) + 1, step):
        out.append(f'<text x="{x(minute * 60):.1f}" y="{TOP + plot_h + 14}" '
                   f'text-anchor="middle" class="axis">T+{minute}</text>')
    if chart.get("slo_max") is not None:
        slo = _finite(chart["slo_max"])
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(slo):.1f}" y2="{y(slo):.1f}" '
                   'stroke="#1a7f37" stroke-dasharray="6 4"><title>SLO: '
                   f'{escape(with_unit(_fmt(slo), chart["unit"]))}</title></line>')
        out.append(f'<text x="{LEFT + plot_w - 4}" y="{y(slo) - 4:.1f}" text-anchor="end" '
                   f'class="slo">SLO {escape(with_unit(_fmt(slo), chart["unit"]))}</text>')
    for mark in marks:
        style = MARK_STYLE.get(mark["kind"])
        if style is None:
            continue
        colour, what = style
        out.append(f'<line x1="{x(mark["t"]):.1f}" x2="{x(mark["t"]):.1f}" y1="{TOP}" '
                   f'y2="{TOP + plot_h}" stroke="{colour}" stroke-width="1.5" '
                   f'stroke-dasharray="{"2 3" if mark["kind"] == "inject" else "none"}" '
                   f'class="mark {escape(str(mark["kind"]))}"><title>{_clock(mark["t"])} '
                   f'{what}: {escape(str(mark["label"]))}</title></line>')
    if points:
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#24292f" stroke-width="2">'
                   f'<title>{escape(chart["title"])}</title></polyline>')
    lane = TOP + plot_h + 24
    for i, mark in enumerate(m for m in marks if m["kind"] == "decision"):
        cx, cy = x(mark["t"]), lane + (i % 3) * 14
        out.append(f'<g class="decision"><line x1="{cx:.1f}" x2="{cx:.1f}" y1="{TOP + plot_h}" '
                   f'y2="{cy - 5:.1f}" stroke="#8c959f"/><circle cx="{cx:.1f}" cy="{cy:.1f}" '
                   f'r="6" fill="#6e40c9"/><text x="{cx:.1f}" y="{cy + 3:.1f}" '
                   f'text-anchor="middle" class="n">{escape(str(mark["n"]))}</text><title>'
                   f'{_clock(mark["t"])} decision {escape(str(mark["label"]))}</title></g>')
    out.append(f'<text x="{LEFT}" y="{TOP - 6}" class="title">{escape(chart["title"])} '
               f'({escape(chart["unit"]) or "value"}); numbered dots: decisions</text>')
    out.append("</svg>")
    return "\n".join(out)


def _clock(t: float) -> str:
    seconds = int(t)
    return f"T+{seconds // 60}:{seconds % 60:02d}"
