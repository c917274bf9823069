"""What an update or a resolution message claims, checked against the system's true state.

Filling every field is not enough: "restarted stuff, should be ok" fills them and says
nothing, and "recovered" while the error rate is still eight times its SLO misleads the
people who rely on the update. This module reads the text (vocabulary in claims.yaml) and
the metrics sample at that moment, and says which parts are empty or vague and which
statements were false, quoting the metric that contradicts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from scoring.phrases import Phrases, at, phrases, preceded_by, words
from scoring.run import Record, Run, clock
from simulator.engine.numbers import metric_value

NEGATION_REACH = 3
IMPACT_WORDS = 4  # an impact statement this long is taken as saying who is hurt


@dataclass(frozen=True)
class Vocabulary:
    recovery: Phrases
    verification: Phrases
    negations: Phrases
    vague: Phrases
    impact: Phrases


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load((Path(__file__).resolve().parent / "claims.yaml").read_text(
        encoding="utf-8"))
    return Vocabulary(*(phrases(data[k]) for k in ("recovery", "verification", "negations",
                                                  "vague", "impact")))


def claims(text: str, table: Phrases) -> list[str]:
    """The phrases of ``table`` that ``text`` states (not negated, not conditional)."""
    vocab = vocabulary()
    low = [w.lower() for w in words(text)]
    found: list[str] = []
    for i in range(len(low)):
        phrase = at(low, i, table)
        if phrase is not None and not preceded_by(low, i, vocab.negations, NEGATION_REACH):
            found.append(" ".join(phrase))
    return found


def vague(text: str) -> bool:
    """Empty, no letters at all, or one of the phrases that say nothing."""
    if not any(c.isalpha() for c in text):
        return True
    low = [w.lower() for w in words(text)]
    return any(at(low, i, vocabulary().vague) for i in range(len(low)))


def says_impact(text: str) -> bool:
    """Names who is hurt or how much: an impact word, a number, or a real sentence (four
    words or more: the word list cannot know every product)."""
    low = [w.lower() for w in words(text)]
    if sum(1 for w in low if w[:1].isalpha()) >= IMPACT_WORDS:
        return True
    return any(w.isdigit() for w in low) or any(
        at(low, i, vocabulary().impact) for i in range(len(low)))


def out_of_slo(run: Run, t: int) -> list[str]:
    """The success metrics outside their SLO in the last sample at or before t, described
    for quoting: "Checkout error rate 8.1 % (SLO ≤ 1) at T+12:00"."""
    sample = run.sample_at(t)
    if sample is None:
        return []
    out = []
    for metric_id in run.scenario.success.metrics:
        metric = run.scenario.metric(metric_id)
        value = float(sample["values"].get(metric_id, 0.0))
        slo = metric.slo
        if slo.max is not None and value > slo.max:
            bound = f"≤ {slo.max:g}"
        elif slo.min is not None and value < slo.min:
            bound = f"≥ {slo.min:g}"
        else:
            continue
        out.append(f"{metric.title} {metric_value(metric, value)} (SLO {bound}) at "
                   f"{clock(sample['t'])}")
    return out


def false_statements(run: Run, record: Record, texts: list[str],
                     verified: bool | None = None) -> list[str]:
    """What ``texts`` (said at ``record``'s time) claimed that was not true then."""
    vocab = vocabulary()
    joined = " ".join(texts)
    wrong: list[str] = []
    said = claims(joined, vocab.recovery)
    bad = out_of_slo(run, int(record["t"]))
    if said and bad:
        wrong.append(f"said “{said[0]}” while {bad[0]}")
    if verified is False:
        checked = claims(joined, vocab.verification)
        if checked:
            wrong.append(f"said “{checked[0]}” but monitoring had not confirmed a recovery")
    return wrong
