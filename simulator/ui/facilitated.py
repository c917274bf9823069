"""The trainee's terminal in a facilitated drill: the usual prompts, interruptible.

When the facilitator acts, the prompt on screen is ended (``terminal.interrupt_prompts``)
and ``ActsWaiting`` goes up to the drill loop, which applies the act and asks again: the
view is drawn anew with the facilitator's message in the channel. While the facilitator
has paused the drill, the trainee sees a notice and no prompt.
"""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text

from simulator.actions.catalogue import Action
from simulator.engine.drill import Situation
from simulator.engine.facilitation import ActsWaiting, snapshot
from simulator.players.session import Session
from simulator.ui import terminal


class FacilitatedPrompt:
    """Wraps the interactive decider; the drill loop sees an ordinary Decider."""

    def __init__(self, inner: Any, session: Session) -> None:
        self.inner = inner
        self.name = inner.name
        self.session = session
        session.on_act = lambda: terminal.interrupt_prompts(ActsWaiting)

    def decide(self, situation: Situation) -> Action:
        acts = self.session.acts
        self.session.publish(snapshot(situation, acts.paused))
        if acts.pending():
            raise ActsWaiting()
        if acts.paused:
            self.inner.console.print(Text("The facilitator has paused the drill: the clock "
                                          "is stopped. Wait for them to resume.",
                                          style="bold yellow"))
            while acts.paused and not acts.pending():
                time.sleep(0.1)
            raise ActsWaiting()
        return self.inner.decide(situation)

    # resume support passes through (play.ReplayObserver)
    def replayed(self, situation: Situation, action: Action) -> None:
        self.inner.replayed(situation, action)

    def resumed(self, situation: Situation) -> None:
        self.inner.resumed(situation)
