"""The scorecard: what the grader produces and every report renders (the AAR/IP's data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.process_text import principle_data
from scoring.run import Evidence
from scoring.run import clock as _clock

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
    #: a cap the check's facts set off (the rubric's ``critical_when``), whatever the rating
    fact_cap: float | None = None

    @property
    def weak(self) -> bool:
        return self.rating in ("S", "M", "U")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "process": principle_data(self.section),
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
    judged_score: int | None = None  # over the judged criteria only (same as score if whole)
    stopped_at: int | None = None  # seconds: the drill stopped early (not judged to its end)
    #: evaluators' ratings beside the machine's (scoring/evaluation.py), and the hot wash
    observations: list[dict[str, Any]] = field(default_factory=list)
    hotwash: list[dict[str, str]] = field(default_factory=list)
    #: team drills: each person graded on their role's criteria (scoring/participants.py)
    participants: list[dict[str, Any]] = field(default_factory=list)
    cap: dict[str, Any] | None = None  # the critical failure cap that held the score down

    @property
    def command_held(self) -> str:
        """Team drills: who held command from when to when, in order ("" when solo)."""
        spans = sorted((span["from"], span["to"], p["name"], span["from_at"], span["to_at"])
                       for p in self.participants for span in p.get("command", []))
        return ", ".join(f"{name} {start}–{end}" for _f, _t, name, start, end in spans)

    # --- how much of the rubric this card judged ----------------------------------------
    @property
    def judged_points(self) -> float:
        return sum(c.max_points for c in self.criteria)

    @property
    def rubric_points(self) -> float:
        return sum(c.weight for c in self.criteria)

    @property
    def not_judged(self) -> list[CriterionResult]:
        return [c for c in self.criteria if c.rating == "N/A"]

    @property
    def coverage(self) -> str:
        """One line saying what was judged, shown under the score in every report."""
        judged = len(self.criteria) - len(self.not_judged)
        line = (f"Judged {self.judged_points:g} of {self.rubric_points:g} rubric points "
                f"({judged} of {len(self.criteria)} criteria)")
        if self.stopped_at is not None:
            how = {"abandoned": "was abandoned", "refused": "stopped when its decisions file "
                   "was refused", "interrupted": "was interrupted"}.get(self.status, "stopped")
            line = (f"Partial: the drill {how} at {_clock(self.stopped_at)}. " + line +
                    f"; the score counts the rest as not earned ({self.judged_score}/100 on "
                    "the judged part alone)")
        names = ", ".join(c.id for c in self.not_judged)
        label = "Not judged" if self.stopped_at is not None else "Did not apply"
        line += f". {label}: {names}." if names else "."
        if self.cap is not None and self.cap["uncapped"] > self.score:
            line += (f" Critical failure: {self.cap['by']} caps the score at {self.cap['at']:g} "
                     f"and every other lapse still counts below it (the criteria alone gave "
                     f"{self.cap['uncapped']}; see the process: critical failures cap the "
                     "score).")
        return line

    @property
    def clean_plan(self) -> str:
        """What the improvement plan says when no criterion was marked down."""
        if self.stopped_at is not None and self.judged_points == 0:
            return ("Nothing could be judged: the drill stopped at "
                    f"{_clock(self.stopped_at)}, before any criterion was due.")
        if self.stopped_at is not None:
            return (f"No weakness among the criteria judged before the drill stopped at "
                    f"{_clock(self.stopped_at)}; {len(self.not_judged)} criteria were not "
                    "reached and say nothing about this run.")
        return "Every criterion that applied was performed without challenges."

    #: records the re-simulation reproduced (simulator.players.verify); None: graded from memory,
    #: not from a journal file, so nothing was verified
    verified: int | None = None

    @property
    def verification(self) -> str:
        """One sentence for every report: was the journal checked against the simulation?"""
        if self.verified is None:
            return "Journal not verified (graded from a run held in memory)."
        return (f"Journal verified: the run was re-simulated from its scenario, seed and "
                f"decisions, and all {self.verified} simulation records matched.")

    @property
    def capped(self) -> bool:
        """A critical failure holds the score below what the criteria gave."""
        return self.cap is not None and self.cap["uncapped"] > self.score

    @property
    def cited(self) -> list[str]:
        """The process sections the report cites: each criterion's, and the critical
        failures' when one capped the score."""
        return [c.section for c in self.criteria] + (["critical-failures"] if self.capped
                                                     else [])

    @property
    def weaknesses(self) -> list[CriterionResult]:
        """Criteria not fully performed, the heaviest point losses first (the IP)."""
        weak = [c for c in self.criteria if c.weak]
        return sorted(weak, key=lambda c: (-(c.max_points - c.points), c.id))

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "scenario": {"id": self.scenario_id,
                                                  "title": self.scenario_title},
                "seed": self.seed, "player": self.player, "status": self.status,
                "judged": {"points": self.judged_points, "of": self.rubric_points,
                           "score_on_judged": self.judged_score, "complete": self.stopped_at
                           is None, "not_judged": [c.id for c in self.not_judged],
                           "summary": self.coverage},
                "critical_cap": self.cap if self.cap is not None and
                self.cap["uncapped"] > self.score else None,
                "rubric": self.rubric_title,
                "verified": {"ok": self.verified is not None, "records": self.verified},
                "criteria": [c.as_dict() for c in self.criteria],
                "outcome": self.outcome, "comparison": self.comparison,
                "improvement_plan": [{"criterion": c.id, "rating": c.rating,
                                      "corrective_action": c.advice,
                                      "process": principle_data(c.section)}
                                     for c in self.weaknesses],
                "timeline": [e.as_dict() for e in self.timeline],
                **({"observations": self.observations} if self.observations else {}),
                **({"hotwash": self.hotwash} if self.hotwash else {}),
                **({"participants": self.participants,
                    "team": {"score": self.score, "members": len(self.participants)}}
                   if self.participants else {})}
