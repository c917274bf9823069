"""The scorecard: what the grader produces and every report renders (the AAR/IP's data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.run import Evidence

RATING_NAMES = {"P": "performed", "S": "some challenges", "M": "major challenges",
                "U": "unable to perform", "N/A": "not applicable"}


@dataclass
class CriterionResult:
    id: str
    title: str
    section: str
    weight: float
    rating: str
    points: float
    max_points: float
    reason: str
    advice: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def link(self) -> str:
        return f"docs/process.md#{self.section}"

    @property
    def weak(self) -> bool:
        return self.rating in ("S", "M", "U")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "process": self.link,
                "rating": self.rating, "rating_name": RATING_NAMES[self.rating],
                "points": self.points, "max_points": self.max_points, "weight": self.weight,
                "reason": self.reason, "advice": self.advice,
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class Scorecard:
    scenario_id: str
    scenario_title: str
    seed: int
    player: str
    status: str
    score: int
    criteria: list[CriterionResult]
    outcome: dict[str, Any]
    timeline: list[Evidence]
    chart: dict[str, Any]
    comparison: dict[str, Any] | None = None
    rubric_title: str = ""

    @property
    def weaknesses(self) -> list[CriterionResult]:
        """Criteria not fully performed, the heaviest point losses first (the IP)."""
        weak = [c for c in self.criteria if c.weak]
        return sorted(weak, key=lambda c: (-(c.max_points - c.points), c.id))

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "scenario": {"id": self.scenario_id,
                                                  "title": self.scenario_title},
                "seed": self.seed, "player": self.player, "status": self.status,
                "rubric": self.rubric_title,
                "criteria": [c.as_dict() for c in self.criteria],
                "outcome": self.outcome, "comparison": self.comparison,
                "improvement_plan": [{"criterion": c.id, "rating": c.rating,
                                      "corrective_action": c.advice, "process": c.link}
                                     for c in self.weaknesses],
                "timeline": [e.as_dict() for e in self.timeline]}
