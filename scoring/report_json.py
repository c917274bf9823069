"""The JSON report: `score`, `criteria` (id, rating, points, max_points, evidence, advice),
`outcome`, and the rest of the scorecard, for dashboards and tests."""

from __future__ import annotations

import json

from scoring.scorecard import Scorecard


def render_json(card: Scorecard) -> str:
    return json.dumps(card.as_dict(), indent=2, ensure_ascii=False) + "\n"
