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
    bad = out_of_slo(run, int(record["t"]))
    if bad:
        said = [c for text in texts for c in _unscoped_claims(run, int(record["t"]), text,
                                                              joined)]
        if said:
            wrong.append(f"said “{said[0]}” while {bad[0]}")
    if verified is False:
        checked = claims(joined, vocab.verification)
        if checked:
            wrong.append(f"said “{checked[0]}” but monitoring had not confirmed a recovery")
    return wrong


CLAUSE_END = {".", ";", ":", ",", "!", "?", "(", ")"}
TITLE_WORD = 4  # shorter words of a metric title ("p95", "per", "the") name nothing


def _stem(word: str) -> str:
    return word[:-1] if len(word) > TITLE_WORD and word.endswith("s") else word


def _title_words(run: Run) -> dict[str, set[str]]:
    """Each success metric's distinctive title words ("storefront", "queue"): the words
    of at least four letters that no other success metric's title has."""
    ids = list(run.scenario.success.metrics)
    own = {m: {_stem(w.lower()) for w in words(run.scenario.metric(m).title)
               if w.isalpha() and len(w) >= TITLE_WORD} for m in ids}
    return {m: own[m] - set().union(*(own[o] for o in ids if o != m)) for m in ids}


def _unscoped_claims(run: Run, t: int, text: str, whole: str) -> list[str]:
    """The recovery claims of ``text`` that are false while some success metric is out
    of its SLO. A claim is scoped, and true, when its clause names a part that is back
    (a title word of a success metric within its SLO, none of one outside it) and the
    message (``whole``) also names every part that is not back yet: "the storefront is
    back to normal; the order backlog is draining" says what is still wrong. Everything
    else, "all good" or "the shop is back", claims the whole service."""
    vocab = vocabulary()
    sample = run.sample_at(t)
    titles = _title_words(run)
    outside = {m for m in titles if sample is not None and _outside(run, m, sample)}
    said_words = {_stem(w.lower()) for w in words(whole)}
    named_all = all(titles[m] & said_words for m in outside)
    low = [w.lower() for w in words(text)]
    found: list[str] = []
    start = 0
    for i, word in enumerate(low):
        if word in CLAUSE_END:
            start = i + 1
            continue
        phrase = at(low, i, vocab.recovery)
        if phrase is None or preceded_by(low, i, vocab.negations, NEGATION_REACH):
            continue
        clause = {_stem(w) for w in low[start:i]}
        names_back = any(titles[m] & clause for m in titles if m not in outside)
        names_out = any(titles[m] & clause for m in outside)
        if not (named_all and names_back and not names_out):
            found.append(" ".join(phrase))
    return found


def _outside(run: Run, metric_id: str, sample: Record) -> bool:
    slo = run.scenario.metric(metric_id).slo
    value = float(sample["values"].get(metric_id, 0.0))
    return ((slo.max is not None and value > slo.max)
            or (slo.min is not None and value < slo.min))
