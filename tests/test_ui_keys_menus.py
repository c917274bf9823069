"""Fewer keystrokes, no traps: one-key shortcuts, the cursor after '← back', disabled
entries skipped by the arrow keys, yes/no questions that need Enter, severity wording."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import questionary
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from ui_keys import (
    DOWN,
    ENTER,
    START,
    UP,
    abandon,
    key,
    pick,
    play_keys,
    screen,
    text,
    top,
)

from simulator.actions.catalogue import Option
from simulator.format.loader import load_scenario
from simulator.runs.journal import read_journal
from simulator.ui import forms, prompts
from simulator.ui.prompts import PromptDecider

pytestmark = pytest.mark.timeout(60)
ROOT = Path(__file__).resolve().parent.parent


def decisions(journal: Path) -> list[dict[str, object]]:
    return read_journal(journal).decisions()


def test_w_waits_until_news_in_one_key(tmp_path: Path) -> None:
    """'w' in the main menu waits (until news or a promised update, at most 5 min): no form."""
    journal = tmp_path / "w.jsonl"
    play_keys(START + key("w") + abandon(), journal)
    first = decisions(journal)[0]
    assert first["action"] == "wait" and first["args"] == {"minutes": 5, "until_news": True}


def test_u_d_n_open_their_forms_directly(tmp_path: Path) -> None:
    """'u' update, 'd' delegate, 'n' note: the form opens without going through a group."""
    journal = tmp_path / "udn.jsonl"
    keys = (START
            + key("n") + text("alert acknowledged, looking")
            + key("d") + pick(1) + pick(0) + ENTER                 # Priya, first check
            + key("u") + pick(0) + text("checkout errors") + text("investigating")
            + text("10", replace=True)
            + abandon())
    play_keys(keys, journal)
    made = decisions(journal)
    assert [d["action"] for d in made] == ["note", "delegate", "post_update"]
    assert made[0]["args"] == {"text": "alert acknowledged, looking"}
    assert made[1]["args"]["responder"] == "priya"  # type: ignore[index]
    assert made[2]["args"]["impact"] == "checkout errors"  # type: ignore[index]


def test_a_key_for_a_blocked_action_says_why(tmp_path: Path) -> None:
    """With every responder busy, 'd' explains why delegating is not possible; no action."""
    journal = tmp_path / "busy.jsonl"
    console = screen()
    delegate = key("d") + pick(0) + pick(3) + ENTER  # the longer checks, so nobody is free
    play_keys(START + delegate * 3 + key("d") + abandon(), journal, console=console)
    assert [d["action"] for d in decisions(journal)] == ["delegate"] * 3
    out = " ".join(console.file.getvalue().split())
    assert "Delegate an investigation: not possible now" in out


def test_back_keeps_the_cursor_on_the_group_left(tmp_path: Path) -> None:
    """After '← back' from Investigate, Enter opens Investigate again (not Coordinate)."""
    journal = tmp_path / "back.jsonl"
    keys = START + top("investigate") + UP + ENTER + ENTER + pick(0) + pick(0) + pick(0) + ENTER
    play_keys(keys + abandon(), journal)
    assert decisions(journal)[0]["action"] == "delegate"


def test_back_out_of_a_form_reopens_its_menu_on_that_action(tmp_path: Path) -> None:
    """Backing out of the severity form returns to Coordinate with 'Declare' under the
    cursor: Enter declares again."""
    journal = tmp_path / "form-back.jsonl"
    keys = START + top("coordinate") + pick(1) + UP + ENTER + ENTER + pick(1)
    play_keys(keys + abandon(), journal)
    first = decisions(journal)[0]
    assert first["action"] == "declare" and first["args"] == {"severity": "P2"}


def test_disabled_entries_are_skipped_and_never_count_as_a_press() -> None:
    """Two Downs from the first choosable entry land on the third choosable entry, however
    many greyed-out entries sit in between (and a greyed-out first entry is skipped)."""
    def option(i: int, enabled: bool) -> Option:
        return Option(f"a{i}", "mitigate", f"Action {i}", "", 0, enabled,
                      "" if enabled else "not now")
    options = [option(0, False), option(1, True), option(2, False), option(3, False),
               option(4, True), option(5, False), option(6, True)]
    decider = PromptDecider(load_scenario("redis-saturation")[0], coach="off",
                            console=screen())
    for keys, expected in [(ENTER, "a1"), (DOWN + ENTER, "a4"), (DOWN * 2 + ENTER, "a6")]:
        with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
            inp.send_text(keys)
            inp.close()
            assert decider.group_menu(options, "Mitigate:") == expected


def test_enter_after_a_yes_no_answer_does_not_fall_into_the_next_menu() -> None:
    """y then Enter answers the question; only the keys after that reach the next menu."""
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("y" + ENTER + DOWN + ENTER)
        inp.close()
        assert forms.yes_no("Sure?", default=False) is True
        assert questionary.select("Next?", ["first", "second"]).unsafe_ask() == "second"


def test_menu_shows_the_keys_and_the_help_explains_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The main menu labels carry their keys; Help › Keys lists them and the skip rule."""
    console, titles = screen(), []
    real = questionary.select

    def spy(message: str, choices: list[Any], **kwargs: Any) -> Any:
        titles.extend(str(getattr(c, "title", c)) for c in choices)
        return real(message, choices, **kwargs)

    monkeypatch.setattr(prompts.questionary, "select", spy)
    play_keys(START + key("?") + pick(2) + abandon(), tmp_path / "k.jsonl", console=console)
    drawn = "\n".join(titles)
    for label in ("w: until news, ≤5 min", "d: delegate", "u: update · n: note", "?: help"):
        assert label in drawn
    assert max(len(t) for t in titles) <= 76  # with the pointer, within 80 columns
    out = " ".join(console.file.getvalue().split())
    assert "w wait until news arrives or a promised update falls due" in out
    assert "↑↓ skip them: each press lands on the next entry you can choose" in out


def test_severity_menu_uses_the_process_wording() -> None:
    """Each severity's label is the bullet of docs/process.md, word for word."""
    doc = (ROOT / "docs" / "process.md").read_text(encoding="utf-8")
    bullets = dict(re.findall(r"^- \*\*(P\d)\*\*: (.+?)\.$", doc, re.MULTILINE))
    assert bullets and forms.severity_labels() == bullets


def test_a_disabled_items_reason_is_cut_with_an_ellipsis_to_fit_its_row() -> None:
    """At 80 columns 'Roll forward to the fixed version  · 30 s of your time (no fixed
    version is' was cut mid-word by the terminal; the reason now ends in '…' on its row, and
    a short one is left whole."""
    from simulator.ui.prompts import fit_reason
    label = "Roll forward to the fixed version  · 30 s of your time"
    reason = "no fixed version is available yet: find the cause first"
    cut = fit_reason(label, reason, 80)
    assert cut is not None and cut.endswith("…") and reason.startswith(cut[:-1])
    assert len(f"   - {label} ({cut})") <= 79
    assert fit_reason(label, reason, 200) == reason
    assert fit_reason("Acknowledge  · 20 s", "already done", 80) == "already done"
    assert fit_reason(label, None, 80) is None
