"""Bot players: personas that play a drill by themselves.

`expert` follows the documented process around the scenario's ideal path; the others each
embody one anti-pattern from the process (the silent hero, panic, slow root-causing,
premature victory) so that a scenario can be proved winnable and the scorer proved
discriminating. A bot reads the scenario's debrief paths for the technical moves; the
process around them (declaring, cadence, announcing, waiting for evidence) is its persona.
"""

from __future__ import annotations

from simulator.bots.base import Bot, change_key, postmortem
from simulator.bots.expert import ExpertBot
from simulator.bots.personas import HeroBot, PanicBot, PrematureBot, SilentBot, SlowBot

__all__ = ["BOTS", "Bot", "ExpertBot", "HeroBot", "PanicBot", "PrematureBot", "SilentBot",
           "SlowBot", "change_key", "make_bot", "postmortem"]

BOTS: dict[str, type[Bot]] = {"expert": ExpertBot, "hero": HeroBot, "silent": SilentBot,
                              "panic": PanicBot, "slow": SlowBot, "premature": PrematureBot}


def make_bot(name: str) -> Bot:
    return BOTS[name]()
