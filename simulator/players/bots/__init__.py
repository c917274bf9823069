"""Bot players: personas that play a drill by themselves.

`expert` follows the documented process around the scenario's ideal path; the others each
embody one anti-pattern from the process (the silent hero, panic, slow root-causing,
premature victory) so that a scenario can be proved winnable and the scorer proved
discriminating. A bot reads the scenario's debrief paths for the technical moves; the
process around them (declaring, cadence, announcing, waiting for evidence) is its persona.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

#: the personas, in the order help texts list them; ``BOTS`` maps each to its class. The
#: classes are imported on first use (PEP 562), so `tabletop --help` can offer the names
#: without loading the engine.
BOT_NAMES = ("expert", "hero", "silent", "panic", "slow", "premature")

__all__ = ["BOTS", "BOT_NAMES", "Bot", "ExpertBot", "HeroBot", "PanicBot", "PrematureBot",
           "SilentBot", "SlowBot", "change_key", "make_bot", "postmortem"]

if TYPE_CHECKING:
    from simulator.players.bots.base import Bot, change_key, postmortem
    from simulator.players.bots.expert import ExpertBot
    from simulator.players.bots.personas import HeroBot, PanicBot, PrematureBot, SilentBot, SlowBot

    BOTS: dict[str, type[Bot]]

_LAZY = {"Bot": "base", "change_key": "base", "postmortem": "base", "ExpertBot": "expert",
         "HeroBot": "personas", "PanicBot": "personas", "PrematureBot": "personas",
         "SilentBot": "personas", "SlowBot": "personas"}


def _bots() -> dict[str, type[Bot]]:
    from simulator.players.bots.expert import ExpertBot
    from simulator.players.bots.personas import HeroBot, PanicBot, PrematureBot, SilentBot, SlowBot

    classes = (ExpertBot, HeroBot, SilentBot, PanicBot, SlowBot, PrematureBot)
    return dict(zip(BOT_NAMES, classes, strict=True))


def __getattr__(name: str) -> Any:
    if name == "BOTS":
        return _bots()
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"simulator.players.bots.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'simulator.players.bots' has no attribute {name!r}")


def make_bot(name: str) -> Bot:
    return _bots()[name]()
