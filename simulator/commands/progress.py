"""Progress over time from the history database: per scenario and per criterion.

The rows come from simulator/commands/historydb.py (oldest first). Per scenario: how many runs, the
first, latest and best score and a sparkline of every score. Per criterion: its share of
points in each run as a sparkline, how often it slipped (rated S, M or U) and the latest
rating, the most often slipping first: the principles a person or a team keeps missing.
Rendered as a terminal table, CSV (one row per run, one column per criterion) or one
self-contained HTML page with an SVG chart (autoescaped: names come from shared records).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

BARS = "▁▂▃▄▅▆▇█"
SLIPS = ("S", "M", "U")


def sparkline(values: list[float | None], top: float = 100.0) -> str:
    """One block per value from ▁ (0) to █ (top); a gap for a value that did not apply."""
    out = []
    for value in values:
        if value is None:
            out.append(" ")
            continue
        share = max(0.0, min(1.0, value / top)) if top else 0.0
        out.append(BARS[min(len(BARS) - 1, int(share * len(BARS)))])
    return "".join(out)


def by_scenario(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["scenario"]].append(row)
    out = []
    for scenario, runs in sorted(groups.items()):
        scores = [r["score"] for r in runs]
        known = [s for s in scores if s is not None]
        out.append({"scenario": scenario, "runs": len(runs),
                    "first": known[0] if known else None, "latest": known[-1] if known
                    else None, "best": max(known) if known else None, "scores": scores,
                    "trend": sparkline(scores)})
    return out


def by_criterion(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each criterion seen, the one slipping most often first."""
    ids: dict[str, None] = {}
    for row in rows:
        for cid in row["criteria"]:
            ids.setdefault(cid, None)
    out = []
    for cid in ids:
        shares: list[float | None] = []
        ratings = []
        for row in rows:
            result = row["criteria"].get(cid)
            if result is None or result["rating"] == "N/A" or not result["max_points"]:
                shares.append(None)
                continue
            ratings.append(result["rating"])
            shares.append(100.0 * result["points"] / result["max_points"])
        rated = len(ratings)
        slips = sum(1 for r in ratings if r in SLIPS)
        out.append({"criterion": cid, "rated": rated, "slipped": slips,
                    "latest": ratings[-1] if ratings else "N/A", "shares": shares,
                    "trend": sparkline(shares)})
    return sorted(out, key=lambda c: (-c["slipped"], -(c["slipped"] / (c["rated"] or 1)),
                                      c["criterion"]))


def to_json_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("recorded_at", "scenario", "seed", "player", "status", "score", "journal",
            "person", "role")
    return [{k: r[k] for k in keep if k in r} | {"criteria": {
        cid: v["rating"] for cid, v in r["criteria"].items()}} for r in rows]


def to_csv(rows: list[dict[str, Any]]) -> str:
    criteria = list(dict.fromkeys(cid for r in rows for cid in r["criteria"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    person = any("person" in r for r in rows)
    head = ["recorded_at", "scenario", "seed", *(["person", "role"] if person else []),
            "player", "status", "score", "journal", *criteria]
    writer.writerow(head)
    for r in rows:
        writer.writerow([r["recorded_at"], r["scenario"], r["seed"],
                         *([r.get("person", ""), r.get("role", "")] if person else []),
                         r["player"], r["status"], "" if r["score"] is None else r["score"],
                         r["journal"], *(r["criteria"].get(c, {}).get("rating", "")
                                         for c in criteria)])
    return "".join(_defuse(line) for line in buffer.getvalue().splitlines(keepends=True))


def _defuse(line: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: quote it away."""
    cells = next(csv.reader([line]))
    safe = ["'" + c if c[:1] in ("=", "+", "-", "@") and not _number(c) else c for c in cells]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(safe)
    return buffer.getvalue()


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def chart(rows: list[dict[str, Any]], width: int = 720, height: int = 220) -> dict[str, Any]:
    """Points of an SVG line chart: each scenario's scores in run order (x: run number)."""
    n = max(1, len(rows) - 1)
    pad = 30
    lines = []
    for i, group in enumerate(by_scenario(rows)):
        points = []
        for index, row in enumerate(rows):
            if row["scenario"] == group["scenario"] and row["score"] is not None:
                x = pad + (width - 2 * pad) * index / n
                y = height - pad - (height - 2 * pad) * row["score"] / 100
                points.append((round(x, 1), round(y, 1), row["score"]))
        lines.append({"scenario": group["scenario"], "points": points, "colour": i % 6})
    return {"width": width, "height": height, "pad": pad, "lines": lines}


def render_html(rows: list[dict[str, Any]], title: str) -> str:
    from scoring.templating import environment

    template = environment().get_template("progress.html.j2")
    return template.render(title=title, rows=rows, scenarios=by_scenario(rows),
                           criteria=by_criterion(rows), chart=chart(rows))
