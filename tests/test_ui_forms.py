"""Follow-up forms: typed through the real prompts, with validation refusing bad input."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import drill_until
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from ui_keys import CLEAR, ENTER, UP, pick, text

from simulator.actions.catalogue import Action, check
from simulator.engine.drill import Drill
from simulator.ui import forms

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def drill() -> Drill:
    return drill_until("redis-saturation", [Action("acknowledge"), Action("freeze_changes")], 1)


def fill(drill: Drill, action_id: str, keys: str) -> dict[str, Any] | None:
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        inp.close()
        args = forms.fill(drill.engine, action_id)
    if args is not None:
        closing = action_id in ("write_postmortem", "finish")
        assert check(drill.engine, Action(action_id, args), closing) is None
    return args


def test_status_update_requires_impact_and_a_sane_next_update(drill: Drill) -> None:
    """Empty impact and an out-of-range next-update time are refused until corrected."""
    keys = (pick(3)                             # audience: support
            + ENTER + text("card payments fail for some users")  # empty first: refused
            + text("two engineers investigating")
            + CLEAR + "0" + ENTER + CLEAR + "soon" + ENTER + text("15", replace=True))
    assert fill(drill, "post_update", keys) == {
        "audience": "support", "impact": "card payments fail for some users",
        "doing": "two engineers investigating", "next_update_minutes": 15}


def test_delegation_asks_who_what_and_a_time_box(drill: Drill) -> None:
    """Only free responders and open investigations are offered; the time box is 1-60."""
    keys = pick(1) + pick(4) + text("90", replace=True) + text("20", replace=True)
    assert fill(drill, "delegate", keys) == {
        "responder": "priya", "investigation": "redis-health", "timebox_minutes": 20}


def test_a_number_typed_is_the_number_and_enter_takes_the_default(drill: Drill) -> None:
    """The field starts empty with the default in the question: typing 5 gives 5 (a
    pre-filled 15 was typed into and gave 155), Enter alone gives the default."""
    typed = pick(3) + text("checkout fails for some") + text("rolling back") + text("5")
    assert fill(drill, "post_update", typed)["next_update_minutes"] == 5  # type: ignore[index]
    kept = pick(3) + text("checkout fails for some") + text("rolling back") + ENTER
    assert fill(drill, "post_update", kept)["next_update_minutes"] == 15  # type: ignore[index]
    boxed = pick(1) + pick(4) + text("7")
    assert fill(drill, "delegate", boxed)["timebox_minutes"] == 7  # type: ignore[index]


def test_change_asks_who_runs_it_and_the_announcement(drill: Drill) -> None:
    """A change names its executor (IC or a free responder) and its announcement."""
    keys = (pick(0) + text("250")             # redis.maxclients = 250
            + UP + ENTER                       # by: the IC, above the suggested responder
            + text("Raising the Redis connection limit to 250.", replace=True))
    args = fill(drill, "set_config", keys)
    assert args == {"key": "redis.maxclients", "value": 250, "by": "ic",
                    "announcement": "Raising the Redis connection limit to 250."}


def test_change_announcement_defaults_to_a_plain_sentence(drill: Drill) -> None:
    """Accepting the default announcement says what changes, who runs it and what to watch."""
    args = fill(drill, "rollback", pick(0) + ENTER + ENTER)
    assert args is not None and args["by"] == "bob"
    assert args["announcement"] == ("I'm going to roll back payment-service to v2.4.0; "
                                    "Bob will run it. Watch checkout error rate.")


def test_back_leaves_a_form_without_an_action(drill: Drill) -> None:
    """'← back' in the first question returns None: the trainee is back at the menu."""
    assert fill(drill, "declare", pick(3)) is None


def test_wait_minutes_are_bounded(drill: Drill) -> None:
    """Waiting takes 0.5 to 30 minutes; 45 is refused."""
    assert fill(drill, "wait", text("45", replace=True) + text("2.5", replace=True)
                + "n" + ENTER) == {
        "minutes": 2.5}


def test_wait_can_come_back_early(drill: Drill) -> None:
    """The default is to be called back when news arrives."""
    assert fill(drill, "wait", text("8", replace=True) + ENTER) == {
        "minutes": 8, "until_news": True}


def test_postmortem_action_items_need_owner_and_a_due_date(drill: Drill) -> None:
    """Each action item gets an owner from the team and a due date in a known form."""
    keys = (text("Checkout failed.") + text("") + ENTER + text("redis limit")
            + ENTER + ENTER + ENTER                        # no factors, well, poorly
            + text("alert on connections") + pick(2)       # owner: Dave
            + text("tomorrow", replace=True) + text("2026-12-01", replace=True)
            + ENTER + ENTER)                               # no more items, no lessons
    args = fill(drill, "write_postmortem", keys)
    assert args is not None
    assert args["action_items"] == [{"what": "alert on connections", "owner": "dave",
                                     "due": "2026-12-01"}]
    assert args["root_cause"] == "redis limit" and args["contributing_factors"] == []


@pytest.mark.parametrize(("value", "ok"), [("2026-12-01", True), ("+7 days", True),
                                           ("2 weeks", True), ("soon", False), ("", False)])
def test_due_date_forms(value: str, ok: bool) -> None:
    """Due dates are ISO dates or a delay in days or weeks."""
    assert (forms.due_date(value) is True) is ok


def test_number_validator_messages() -> None:
    """Numbers outside the range or not numbers get a message saying what is expected."""
    check_ = forms.number_between(1, 60, whole=True)
    assert check_("15") is True
    assert check_("61") == "must be from 1 to 60"
    assert check_("1.5") == "type a whole number from 1 to 60"


def test_resolution_form_prefills_no_claim(drill: Drill) -> None:
    """Typing into the resolution form gives exactly what was typed: no pre-filled
    'restored and the metrics have held', no pre-filled follow-up; only the measured harm
    is offered (and accepted here with enter)."""
    keys = (text("Checkout errors are back under 1%; watching them hold")
            + text("Redis ran out of connections") + text("raised maxclients to 200")
            + ENTER + text("postmortem Friday 10:00"))
    args = fill(drill, "declare_resolved", keys)
    assert args is not None
    assert args["message"] == "Checkout errors are back under 1%; watching them hold"
    assert args["follow_up"] == "postmortem Friday 10:00"
    assert args["customer_impact"].startswith("about ")


def test_a_long_choice_is_cut_with_an_ellipsis_and_still_picks_its_value(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """'Priya Nair, site reliability engineer [redis, deploys, infrastructure, dashbo' was
    cut mid-word by an 80-column terminal: the choice ends in '…' within the row, and the
    value picked is still Priya's."""
    import questionary
    monkeypatch.setenv("COLUMNS", "80")
    shown: list[str] = []
    real = questionary.select

    def select(message: str, choices: list[Any], **kw: Any) -> Any:
        shown.extend(str(c.title) for c in choices)
        return real(message, choices, **kw)

    monkeypatch.setattr(questionary, "select", select)
    long = "Priya Nair, site reliability engineer [redis, deploys, infrastructure, dashboards]"
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(pick(1))
        inp.close()
        got = forms.pick("Who makes the change?", [("Me (the IC)", "ic"), (long, "priya")])
    assert got == "priya"
    assert shown[0] == "Me (the IC)" and shown[1].endswith("…") and long.startswith(shown[1][:-1])
    assert len(" » " + shown[1]) <= 79
