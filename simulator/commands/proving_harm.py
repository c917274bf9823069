"""Harm ranking: an anti-pattern that hurts users less than the expert is a finding.

Harm is compared over the same window for every run (the scenario's time limit, projected
without noise when a run ends early), so a bot that declares victory early cannot look
better by stopping the clock. When an anti-pattern still does less harm than the expert,
the scenario teaches the wrong lesson (or the expert path is slow), and the facilitator
needs to know why: the likely cause is read from the two runs' timelines.
"""

from __future__ import annotations

import statistics
from collections import Counter

from simulator.commands.proving_facts import RunFacts


def harm_findings(expert: list[RunFacts], others: dict[str, list[RunFacts]]) -> list[str]:
    """One finding per bot that did less harm than the expert on some seed."""
    findings = []
    for name, runs in others.items():
        better = [(b, e) for b, e in zip(runs, expert, strict=True) if b.harm < e.harm]
        if not better:
            continue
        seeds = [b.seed for b, _ in better]
        ratio = statistics.median(b.harm / e.harm for b, e in better if e.harm) if all(
            e.harm for _, e in better) else 0.0
        b, e = better[0]
        findings.append(
            f"harm: {name} did less harm than expert over the same window on "
            f"{len(better)}/{len(runs)} seed(s) {_seeds(seeds)} (median {ratio:.0%} of the "
            f"expert's; seed {b.seed}: {b.harm:,.0f} vs {e.harm:,.0f}); likely cause: "
            f"{likely_cause(name, b, e)}")
    return findings


def _seeds(seeds: list[int]) -> str:
    return str(seeds) if len(seeds) <= 6 else f"[{seeds[0]}..{seeds[-1]}]"


def _at(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    return f"T+{int(seconds) // 60}:{int(seconds) % 60:02d}"


def likely_cause(name: str, bot: RunFacts, expert: RunFacts) -> str:
    """Explain from the two timelines why the anti-pattern hurt users less."""
    if expert.second_incident and not bot.second_incident:
        return (f"the expert path causes a second incident ({', '.join(expert.second_incident)}); "
                "check debrief.ideal_path")
    b_first = bot.changes[0] if bot.changes else None
    e_first = _first_own(expert)
    if bot.recovered_at is not None and (expert.recovered_at is None
                                         or bot.recovered_at < expert.recovered_at):
        ended = (f"{name} ended the impact at {_at(bot.recovered_at)}, the expert at "
                 f"{_at(expert.recovered_at)}")
        same = next((c for c in bot.changes if e_first and c[1] == e_first[1]
                     and c[3] == "ic"), None)
        if same and e_first and same[0] < e_first[0]:
            side = [c for c in bot.changes if c[3] != "ic" and c[0] < same[0]]
            also = (f" (also: {side[0][2]} ran {side[0][1]} on their own at "
                    f"{_at(side[0][0])}, with no freeze to stop it)" if side else "")
            return (f"{ended} with the same change ({same[1]}) started "
                    f"{(e_first[0] - same[0]) / 60:.1f} min earlier; before it the expert "
                    f"spent its time on {_busy(expert, e_first[0])} - {name} on "
                    f"{_busy(bot, same[0])}{also}. If the process steps do not pay off in "
                    "this scenario (no stakeholder slows a silent IC, nothing is lost by "
                    "skipping orientation), the anti-pattern wins on harm")
        if b_first and b_first[3] != "ic":
            return (f"{ended}: {b_first[2]} ran {b_first[1]} on their own at "
                    f"{_at(b_first[0])} (an npc_action no freeze stopped) and it helped "
                    f"users sooner than the expert's {e_first[1] if e_first else 'none'} at "
                    f"{_at(e_first[0] if e_first else None)}; if that side change should "
                    "hurt (evidence, collisions), make the fault or the inject say so")
        if b_first:
            return (f"{ended}: its first change {b_first[1]} at {_at(b_first[0])} worked "
                    f"sooner than the expert's {e_first[1] if e_first else 'none'} at "
                    f"{_at(e_first[0] if e_first else None)}; is that change meant to work "
                    "without evidence (a rationale entry or a fault condition may be too "
                    "loose), or is the ideal path slow?")
        return f"{ended} without any change; the fault may end on its own"
    if bot.recovered_at is None and expert.recovered_at is None:
        return "neither run ended the impact in the window; the expert path does not end it"
    return (f"the impact ended later ({_at(bot.recovered_at)} vs {_at(expert.recovered_at)}) "
            f"but weighed less on the way: {name}'s changes "
            f"({', '.join(c[1] for c in bot.changes[:3]) or 'none'}) cut part of the impact "
            "early; a partial mitigation may be too strong")


def _first_own(run: RunFacts) -> tuple[int, str, str, str] | None:
    """The first change the IC ordered (responders' own changes left out)."""
    return next((c for c in run.changes if c[3] == "ic"), None)


def _busy(run: RunFacts, until: float) -> str:
    from simulator.actions.catalogue import CHANGE_ACTIONS

    # The decision that started the change itself comes a few seconds before it.
    counts = Counter(d["action"] for d in run.decisions
                     if d["t"] < until and d["action"] != "wait"
                     and not (d["action"] in CHANGE_ACTIONS and d["t"] >= until - 60))
    return ", ".join(f"{n} {a}" for a, n in counts.most_common(8)) or "nothing"
