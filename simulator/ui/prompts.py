"""The interactive decider: draws the incident, asks for the IC's next action.

One decision goes: coaching tips (if any) → the incident view → a short menu of action
groups → the group's actions (unavailable ones shown with the reason) → the action's
form → a coaching warning if the action is harmful → the action. The view is printed
statically before each prompt; nothing is live while questionary owns the terminal.

Ctrl-C at any prompt opens a small menu: back to the drill, pause (the journal is kept and
`tabletop resume` continues it), or abandon. Ctrl-C again stops at once, journal intact.
With ``pressure`` N, each real second spent deciding costs N simulated seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import takewhile
from typing import Any

import questionary
from questionary import Choice
from rich.console import Console
from rich.text import Text

from simulator.actions.catalogue import Action, Option, check
from simulator.engine.drill import DrillAbandoned, Situation
from simulator.errors import DrillInterrupted
from simulator.format.scenario import Scenario
from simulator.runs.signals import at_prompt
from simulator.texts import catalogue
from simulator.ui import briefscreen, forms, terminal
from simulator.ui.coach import Coach, Tip
from simulator.ui.keys import with_keys
from simulator.ui.menus import GROUP_ROWS, MENU_ROWS, SCROLLBAR, cap_height
from simulator.ui.view import Budget, clock, entry, hidden_news, render, rows

GROUPS = {"coordinate": "Coordinate", "investigate": "Investigate", "mitigate": "Mitigate",
          "communicate": "Communicate", "close": "Close the incident"}
HELP, CHANNEL, MORE, BACK, KEYS = "__help__", "__channel__", "__more__", "__back__", "__keys__"
QUICK_WAIT = "__quick_wait__"
#: one key, one frequent action, from the top menu (the value is what the menu returns)
SHORTCUTS = {"w": QUICK_WAIT, "u": "post_update", "d": "delegate", "n": "note", "?": MORE,
             "h": MORE}
SHORTCUT_VALUES = {v for v in SHORTCUTS.values() if v != MORE}
GROUP_KEYS = {"investigate": "d: delegate", "communicate": "u: update · n: note"}
KEYS_HELP = (
    "Keys in the main menu (no Enter needed):\n"
    "  w  wait until news arrives or a promised update falls due (at most "
    "{minutes:g} min)\n"
    "  u  post a stakeholder update      d  delegate an investigation\n"
    "  n  add a timeline note            ?  or h  this help\n"
    "Menus: ↑↓ move, Enter chooses. Entries that cannot be chosen now are greyed out with "
    "the reason, and ↑↓ skip them: each press lands on the next entry you can choose. "
    "'← back' returns with the cursor where you left it. A yes/no question needs y or n, "
    "then Enter. Ctrl-C pauses the drill.")


def quick_wait() -> dict[str, Any]:
    """The one-key wait's arguments (content: catalogue.yaml, wait.quick)."""
    return dict(catalogue()["wait"]["quick"])


def keyed(label: str, keys: str) -> str:
    """A menu label with its shortcut keys in a column on the right."""
    return f"{label:<38} {keys}" if keys else label
#: actions whose warnings depend on the situation only: asked before a long form, not after
WARN_BEFORE_FORM = ("declare_resolved",)


def cost(option: Option) -> str:
    if option.id == "wait":
        return "you choose how long"
    if option.id == "investigate":
        return "as long as the check takes"
    return f"{option.seconds:g} s of your time" if option.seconds else "no time"


def fit_reason(label: str, reason: str | None, width: int) -> str | None:
    """Why an item is disabled, cut with an ellipsis to stay on its row: the menu shows
    '   - label (reason)' on one line, and the terminal would cut it mid-word without a sign
    (help explains every action in full)."""
    if not reason:
        return reason
    room = width - len(label) - len("   - ") - len(" ()") - 1
    if len(reason) <= room:
        return reason
    return reason[:max(room - 1, 8)].rstrip() + "…"


class PromptDecider:
    """Asks a person at the terminal; the drill loop treats it like any other decider."""

    name = "interactive"

    def __init__(self, scenario: Scenario, coach: str = "full", pressure: float = 0.0,
                 console: Console | None = None,
                 clock_: Callable[[], float] = time.monotonic, briefed: bool = False) -> None:
        self.scenario = scenario
        self.coach = Coach(coach)
        self.pressure = float(pressure)
        self.console = console or terminal.console()
        self.clock = clock_
        self.seen = 0  # channel entries already shown in a previous view
        self.early: list[Tip] = []  # warnings confirmed before the current action's form
        self.briefed = briefed  # the runner showed the briefing before the drill loaded
        self.cursor: str | None = None  # the top menu's entry to start on (after '← back')
        self.reopen: tuple[str, str] | None = None  # (group, action) after a form's back

    # --- the Decider protocol --------------------------------------------------------
    def decide(self, situation: Situation) -> Action:
        if not self.briefed:
            self.briefed = True
            if situation.decision_index == 0:
                self.brief()
        tips = self.coach.before(situation, situation.note)
        self.show(situation, tips)
        started, paused = self.clock(), 0.0
        while True:
            try:
                with at_prompt():
                    action = self.choose(situation)
                if action is None:
                    continue
                warned = self.coach.warnings(situation, action)
                if action.id in WARN_BEFORE_FORM:
                    warned = self.early  # already confirmed before the form
                elif warned and not self.confirm_at_prompt(warned):
                    self.coach.heeded(warned, action, situation.note)
                    continue
                who = self.who(situation, action)
                if who == BACK:
                    continue
            except KeyboardInterrupt:
                stopped = self.clock()
                with at_prompt():
                    self.interrupted(situation)
                paused += self.clock() - stopped
                self.show(situation, tips)
                continue
            problem = check(situation.engine, action, situation.closing)
            if problem:  # a form should never allow this; say so rather than crash
                self.console.print(Text(problem, style="red"))
                continue
            self.coach.after(situation, action, warned, situation.note)
            think = round(max(0.0, self.clock() - started - paused) * self.pressure, 1)
            return Action(action.id, action.args, think, who)

    def who(self, situation: Situation, action: Action) -> str | None:
        """The person a team drill attributes the decision to (None in a solo drill);
        BACK when the trainee backs out of the question."""
        team = situation.team
        if team is None:
            return None
        people = team.deciders(action.id, situation.engine.holder)
        if len(people) == 1:  # only one person may take it (the IC's seat, a lone comms lead)
            return people[0].name
        picked = forms.who_decides(team, action.id, situation.engine.holder)
        return BACK if picked is None else str(picked)

    # --- resume support (see play.ChainDecider) --------------------------------------
    def replayed(self, situation: Situation, action: Action) -> None:
        """Rebuild the coach's memory from a decision replayed out of the journal."""
        self.coach.before(situation, situation.note)
        self.coach.after(situation, action, self.coach.warnings(situation, action),
                         situation.note)

    def resumed(self, situation: Situation) -> None:
        """The journal already holds this decision's tips: recompute them without writing."""
        self.briefed = True
        self.coach.before(situation, None)
        self.seen = max(0, len(situation.engine.channel) - 3)
        self.console.print(Text(f"Resuming {self.scenario.title} at "
                                f"{clock(situation.engine.now)}.", style="bold green"))

    # --- screens -------------------------------------------------------------------------
    def brief(self) -> None:
        """The scenario's briefing, short enough for one 80x24 screen."""
        briefscreen.show(self.console, briefscreen.first_screen(self.scenario),
                         self.coach.mode, self.pressure)

    def show(self, situation: Situation, tips: list[Tip]) -> None:
        engine = situation.engine
        width, height = self.console.size
        said = [Text(f"Coach · {tip.section}: ", style="bold magenta")
                + Text(tip.text, style="magenta") for tip in tips]
        budget = Budget(width, max(8, height - MENU_ROWS - sum(rows(t, width) for t in said)))
        if not self.seen:  # the briefing screen was just read: its channel copy is not news
            self.seen = sum(1 for _ in takewhile(lambda r: r.get("kind") == "drill_start",
                                                 engine.channel))
        news = hidden_news(engine, budget, self.seen)
        if news:  # more news than the view has room for: in full, above it (scrollback)
            self.console.rule("New in the channel", style="yellow")
            for record in news:
                self.console.print(entry(engine, record, True))
        self.console.print(render(engine, budget, self.seen))
        self.seen = len(engine.channel)
        for line in said:
            self.console.print(line)

    def confirm_at_prompt(self, warned: list[Tip]) -> bool:
        with at_prompt():
            return self.confirm(warned)

    def confirm(self, warned: list[Tip]) -> bool:
        self.console.print(Text("Coach, before you do that:", style="bold magenta"))
        for tip in warned:
            self.console.print(Text(f"• {tip.section}: ", style="bold magenta")
                               + Text(tip.text, style="magenta"))
        answer = terminal.ask(questionary.select("Go ahead anyway?", [
            Choice("No, let me choose again", False), Choice("Yes, do it", True)]))
        return bool(answer)

    def show_help(self, situation: Situation) -> None:
        option = forms.pick("Explain which action?", [(o.title, o) for o in situation.options])
        if option is None:
            return
        text = Text()
        text.append(f"{option.title}\n", style="bold")
        text.append(f"{option.help}\nCosts: {cost(option)}.")
        if option.group == "mitigate":
            text.append(" The change itself then takes its own time to run and to show.")
        if not option.enabled:
            text.append(f"\nNot possible now: {option.reason}.", style="yellow")
        self.console.print(text)

    def show_channel(self, situation: Situation) -> None:
        engine = situation.engine
        for record in engine.channel:
            self.console.print(entry(engine, record, False))

    # --- menus ---------------------------------------------------------------------------
    def choose(self, situation: Situation) -> Action | None:
        """One pass through the menus; None means 'nothing chosen yet, ask again'."""
        picked, group = self.menu(situation)
        if picked == HELP:
            self.show_help(situation)
            return None
        if picked == CHANNEL:
            self.show_channel(situation)
            return None
        if picked == KEYS:
            self.show_keys()
            return None
        if picked == QUICK_WAIT:
            return Action("wait", dict(quick_wait()))
        if picked is None:
            return None
        option = next((o for o in situation.options if o.id == picked), None)
        if option is not None and not option.enabled:  # a shortcut key for a blocked action
            self.console.print(Text(f"{option.title}: not possible now ({option.reason}).",
                                    style="yellow"))
            return None
        self.early = []
        if picked in WARN_BEFORE_FORM:  # red metrics: say so before six fields, not after
            early = self.coach.warnings(situation, Action(picked, {}))
            if early and not self.confirm(early):
                self.coach.heeded(early, Action(picked, {}), situation.note)
                return None
            self.early = early
        args = forms.fill(situation.engine, picked)
        if args is None and group is not None:  # backed out of the form: reopen its menu
            self.reopen = (group, picked)
        return None if args is None else Action(picked, args)

    def menu(self, situation: Situation) -> tuple[str | None, str | None]:
        """The chosen action id (or a help entry) and the group menu it came from."""
        by_group: dict[str, list[Option]] = {}
        for option in situation.options:
            by_group.setdefault(option.group, []).append(option)
        if situation.closing:
            return self.group_menu(by_group["close"], "The incident is over. What now?"), None
        if self.reopen is not None and self.reopen[0] in by_group:
            group, action = self.reopen
            self.reopen = None
            return self.open_group(by_group, group, action)
        items: list[Any] = []
        for group, title in GROUPS.items():
            opts = by_group.get(group, [])
            ready = [o for o in opts if o.enabled]
            label = f"{title} ({len(ready)} of {len(opts)} possible now)"
            items.append(Choice(keyed(label, GROUP_KEYS.get(group, "")), group,
                                disabled=None if ready else "nothing possible now"))
        wait = next(o for o in by_group["wait"])
        items += [Choice(keyed(wait.title, f"w: until news, ≤{quick_wait()['minutes']:g} min"),
                         "wait"),
                  Choice(keyed("Help, or read the whole channel", "?: help"), MORE)]
        start = next((c for c in items if c.value == self.cursor and not c.disabled), None)
        self.cursor = None
        question = with_keys(questionary.select(
            f"{clock(situation.engine.now)} What do you do?", items, default=start,
            instruction="(↑↓ enter, or a key; Ctrl-C pauses)"), SHORTCUTS)
        group = terminal.ask(question)
        if group in SHORTCUT_VALUES:
            return str(group), None
        if group == "wait":
            return "wait", None
        if group == MORE:
            picked = forms.pick("Help (no time passes):", [
                ("Explain an action: what it does, what it costs", HELP),
                ("Read the whole channel", CHANNEL),
                ("Keys: the shortcuts, and how the menus move", KEYS)])
            if picked is None:
                self.cursor = MORE
            return (None if picked is None else str(picked)), None
        return self.open_group(by_group, str(group), None)

    def open_group(self, by_group: dict[str, list[Option]], group: str, action: str | None
                   ) -> tuple[str | None, str | None]:
        picked = self.group_menu(by_group[group], f"{GROUPS[group]}:", action)
        if picked is None:  # '← back': the top menu opens with the cursor on this group
            self.cursor = group
        return picked, group

    def group_menu(self, options: list[Option], question: str, default: str | None = None
                   ) -> str | None:
        items: list[Any] = []
        capped = len(options) + 1 > GROUP_ROWS  # scrolls, with a scrollbar on the right
        width = self.console.width - (SCROLLBAR if capped else 0)
        for option in options:
            label = f"{option.title}  · {cost(option)}"
            disabled = fit_reason(label, option.reason, width) or None
            items.append(Choice(label, option.id, disabled=disabled))
        items.append(Choice("← back", BACK))
        start = next((c for c in items if c.value == default and not c.disabled), None)
        picked = terminal.ask(cap_height(questionary.select(
            question, items, default=start,
            instruction=f"(↑↓ enter; {len(items)} entries, scrolls)" if capped
            else "(↑↓ enter)"), len(items), GROUP_ROWS))
        return None if picked == BACK else str(picked)

    def show_keys(self) -> None:
        self.console.print(Text(KEYS_HELP.format(minutes=quick_wait()["minutes"])))

    # --- interruptions ---------------------------------------------------------------
    def interrupted(self, situation: Situation) -> None:
        """Ctrl-C: back to the drill, pause, or abandon; Ctrl-C again stops at once."""
        at = clock(situation.engine.now)
        try:
            answer = questionary.select(f"Drill interrupted at {at}.", [
                Choice("Back to the drill", "continue"),
                Choice("Pause: stop now, continue later with 'tabletop resume'", "pause"),
                Choice("Abandon the drill (it ends unresolved)", "abandon")],
                instruction="(Ctrl-C again stops at once)").unsafe_ask()
            if answer == "abandon" and not forms.yes_no(
                    "Really abandon? The drill ends now and is graded as is.", default=False):
                answer = "continue"
        except KeyboardInterrupt:
            raise DrillInterrupted(f"stopped at {at}") from None
        if answer == "pause":
            raise DrillInterrupted(f"paused at {at}")
        if answer == "abandon":
            raise DrillAbandoned(at)
