"""Hostile content from shared files (issue 11, items 4-9): control characters, rich
markup, unbounded numbers, format strings, script in reports, files that never end."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path

import pytest
from helpers import assert_special_files_refused, tabletop
from ui_keys import START, abandon, play_keys

from scoring.chart import render_svg
from scoring.placeholders import fill, malformed
from simulator.errors import InputError
from simulator.format.loader import load_scenario
from simulator.format.yamlsafe import load_yaml
from simulator.ui import terminal

HOSTILE = Path(__file__).parent / "hostile"
MARKUP = HOSTILE / "scenario-markup.yaml"
OSC8 = "\x1b]8;"  # the escape sequence of a terminal hyperlink


# --- 4. control characters --------------------------------------------------------------
@pytest.mark.parametrize(("text", "char"), [
    ('a: "\\e]52;c;aGk=\\a"\n', "U+001B (ESCAPE)"),
    ('a: "\\x9b2J"\n', "U+009B (CONTROL SEQUENCE INTRODUCER)"),
    ('a: "ok\\rno"\n', "U+000D (CARRIAGE RETURN)"),
    ('a: "\\x7f"\n', "U+007F (DELETE)"),
    ('"key\\e": 1\n', "U+001B (ESCAPE)"),
    ('a: "admin\u202e gnp.exe"\n', "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ('a: "x\u2066y"\n', "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
])
def test_control_characters_in_texts_are_refused_where_they_are(text: str, char: str) -> None:
    with pytest.raises(InputError) as info:
        load_yaml(text, "s.yaml")
    assert str(info.value).startswith("s.yaml:1:") and char in str(info.value)


def test_raw_control_characters_are_located_at_their_column() -> None:
    with pytest.raises(InputError) as info:
        load_yaml("a: 1\nb: ok \x1b[2J\n", "s.yaml")
    assert str(info.value).startswith("s.yaml:2:7: the file contains the control character")


def test_newlines_tabs_and_windows_line_ends_are_text() -> None:
    assert load_yaml('a: "x\\ty\\nz"\r\nb: |\r\n  one\r\n  two\r\n', "s.yaml").data == {
        "a": "x\ty\nz", "b": "one\ntwo\n"}


# --- 5. rich markup is text ---------------------------------------------------------------
def test_markup_in_a_scenario_is_shown_as_written_by_show() -> None:
    result = tabletop("show", str(MARKUP), "--msel")
    assert result.returncode == 0, result.stderr
    assert "[link=https://example.invalid/x]click me[/link]" in result.stdout
    assert "Ravi [/] Menon" in result.stdout and ":warning:" in result.stdout
    assert OSC8 not in result.stdout


def test_markup_survives_the_interactive_briefing_and_the_reveal(tmp_path: Path) -> None:
    from simulator.ui.debrief import render_reveal

    out = terminal.console(file=StringIO(), width=120, color_system=None)
    journal = tmp_path / "run.jsonl"
    outcome = play_keys(START + abandon(), journal, scenario_id=str(MARKUP), console=out)
    scenario, _ = load_scenario(str(MARKUP))
    out.print(render_reveal(scenario, outcome, journal))
    shown = out.file.getvalue()  # type: ignore[attr-defined]
    assert "[/] [link=https://example.invalid/x]click me[/link]" in shown
    assert "Debrief: [/]" in shown


def test_markup_in_paths_and_names_survives_run_history_score_and_branch(
        tmp_path: Path) -> None:
    folder = tmp_path / "runs [/] [link=file:x]x[/link]"
    folder.mkdir(parents=True)
    journal = folder / "run.jsonl"
    played = tabletop("run", str(MARKUP), "--bot", "hero", "--seed", "4", "--journal",
                      str(journal))
    assert played.returncode in (0, 1), played.stderr
    assert "Traceback" not in played.stderr
    for args in (("score", str(journal)), ("history", "--dir", str(folder)),
                 ("branch", str(journal), "--at", "2", "--bot", "expert")):
        result = tabletop(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr and OSC8 not in result.stdout


def test_every_console_is_made_by_the_terminal_module() -> None:
    """A rich Console made elsewhere would parse markup in external strings again."""
    root = Path(__file__).parent.parent
    offenders = [str(p.relative_to(root)) for folder in ("simulator", "scoring")
                 for p in (root / folder).rglob("*.py")
                 if "Console(" in p.read_text(encoding="utf-8")
                 and p.name != "terminal.py"]
    assert offenders == []


# --- 6. every number has a range ------------------------------------------------------------
def unbounded_numbers(schema: object, where: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Paths in a JSON Schema to numbers without both a lower and an upper bound."""
    found: list[tuple[object, ...]] = []
    if isinstance(schema, dict):
        if schema.get("type") in ("number", "integer") and "const" not in schema and not (
                ({"minimum", "exclusiveMinimum"} & schema.keys())
                and ({"maximum", "exclusiveMaximum"} & schema.keys())):
            found.append(where)
        for key, value in schema.items():
            found += unbounded_numbers(value, (*where, key))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += unbounded_numbers(value, (*where, i))
    return found


def test_every_number_of_a_scenario_and_a_rubric_has_a_range() -> None:
    """A field added without bounds fails here (documented in docs/scenario-format.md)."""
    from scoring.rubric import Rubric, RubricChanges
    from simulator.format.scenario import Scenario

    for model in (Scenario, Rubric, RubricChanges):
        assert unbounded_numbers(model.model_json_schema()) == [], model.__name__


def test_every_model_of_a_file_format_refuses_nan_and_infinity() -> None:
    """Every model of the scenario and rubric formats refuses NaN and infinity (pydantic
    merges a model's own config with its base's; this catches a model that turns it back on
    or does not derive from the formats' base models)."""
    import inspect

    from pydantic import BaseModel

    import scoring.rubric
    import simulator.format.conditions
    import simulator.format.derive
    import simulator.format.scenario

    lax = []
    for module in (simulator.format.scenario, simulator.format.conditions,
                   simulator.format.derive, scoring.rubric):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            nested = [c for _, c in inspect.getmembers(cls, inspect.isclass)]
            for model in (cls, *nested):
                if (issubclass(model, BaseModel) and model.__module__ == module.__name__
                        and model.model_config.get("allow_inf_nan", True)):
                    lax.append(f"{module.__name__}.{model.__qualname__}")
    assert sorted(set(lax)) == []


# --- 7. rubric texts are templates, not format strings ------------------------------------
@pytest.mark.parametrize("template", ["{p:x>2000000000}", "{}", "{0}", "{p!r}", "{x:d}",
                                      "{p.__class__}", "{p[0]}", "{p", "p}"])
def test_anything_but_a_bare_name_in_braces_is_malformed(template: str) -> None:
    assert malformed(template) is not None


def test_filling_is_literal_and_linear() -> None:
    assert fill("{{p}} {p} {q} {missing}", {"p": "{q}", "q": 1}) == "{p} {q} 1 {missing}"
    big = "{p}" * 100_000
    start = time.perf_counter()
    assert len(fill(big, {"p": "ab"})) == 200_000
    assert time.perf_counter() - start < 2


# --- 8. script in the HTML and Markdown reports ------------------------------------------
def test_the_svg_escapes_every_value_from_the_journal() -> None:
    chart = {"title": "<b>t</b>", "unit": "<u>", "baseline": 1, "slo_max": 2, "end": 600,
             "points": [(0, 1.0), (60, 3.0)],
             "marks": [{"t": 60, "kind": "decision", "n": "<script>alert(1)</script>",
                        "label": "<img src=x onerror=alert(2)>"},
                       {"t": 120, "kind": "inject", "label": "</title><script>"}]}
    svg = render_svg(chart)
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


def test_reports_show_script_from_a_scenario_as_text(tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    played = tabletop("run", str(HOSTILE / "scenario-script.yaml"), "--bot", "hero",
                      "--seed", "2", "--journal", str(journal), "--quiet")
    assert played.returncode == 1, played.stderr
    for fmt in ("html", "md"):
        out = tmp_path / f"report.{fmt}"
        assert tabletop("score", str(journal), "--format", fmt, "--output",
                        str(out)).returncode in (0, 1)
        text = out.read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<script" not in text and "<img" not in text


# --- 9. unbounded work and files that never end -------------------------------------------
def test_a_decision_at_t_1e308_draws_a_bounded_chart() -> None:
    chart = {"title": "m", "unit": "", "baseline": 1, "slo_max": None, "end": 1e308,
             "points": [(0, 1.0), (float("inf"), float("nan"))],
             "marks": [{"t": 1e308, "kind": "decision", "n": 1, "label": "x"}]}
    start = time.perf_counter()
    svg = render_svg(chart)
    assert time.perf_counter() - start < 1 and len(svg) < 20_000


@pytest.mark.parametrize("command", [["validate"], ["show"], ["run", "--bot", "expert"]])
def test_a_fifo_a_device_and_a_directory_are_refused_at_once(
        tmp_path: Path, command: list[str]) -> None:
    assert_special_files_refused(tmp_path, command, ".yaml", 15, timeout=20)


def test_an_oversized_yaml_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50_000_000)  # sparse: refused from its size, never read
    result = tabletop("validate", str(big))
    assert result.returncode == 2 and "50,000,000 bytes; the limit is 1,000,000" in result.stderr


def test_pasted_control_characters_never_reach_the_journal() -> None:
    """A bracketed paste keeps ESC and BEL in what questionary returns; ask_text drops them."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from simulator.ui import forms

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("\x1b[200~rollback\x07 done\x1b]52;c;aGk=\x07\x1b[201~\r")
        inp.close()
        assert forms.ask_text("note") == "rollback done]52;c;aGk="
