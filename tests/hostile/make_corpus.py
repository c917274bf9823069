"""Write the hostile corpus: variants of a built-in scenario, rubrics and decision files
that a stranger could hand a facilitator. Run it after changing the cases:

    python tests/hostile/make_corpus.py

Each file's documented outcome is in outcomes.yaml beside it (checked by
tests/test_hostile_corpus.py). Files are written byte for byte, raw control characters
included, so the corpus is what an attacker would send, not a description of it.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = (HERE.parent.parent / "scenarios" / "bad-deploy.yaml").read_text(encoding="utf-8")
SCRIPT = "<script>alert(1)</script>"
MARKUP = "[/] [link=https://example.invalid/x]click me[/link] [bold red]loud[/bold red] :warning:"


def variant(*swaps: tuple[str, str]) -> str:
    text = BASE
    for old, new in swaps:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


SCENARIOS: dict[str, str] = {
    # terminal escapes: written as YAML escapes (what survives copy and paste) and raw
    "scenario-osc52-clipboard.yaml": variant(
        ("briefing: |\n  10:20 UTC.", 'briefing: "\\e]52;c;ZWNobyBoYWNrZWQ=\\a10:20 UTC.'),
        ("  general channel.\n", '  general channel."\n')),
    "scenario-window-title.yaml": variant(
        ("title: Product pages crawl after the catalog release",
         'title: "\\e]0;you have been logged out\\a Product pages"')),
    "scenario-raw-clear-screen.yaml": variant(
        ("title: Product pages crawl after the catalog release",
         "title: Product pages \x1b[2J\x1b[H crawl")),
    "scenario-c1-csi.yaml": variant(
        ("text: Ravi - the catalog pods look stuck, restarting them now.",
         'text: "Ravi - \\x9b8m hidden text \\x9b0m restarting now."')),
    "scenario-carriage-return.yaml": variant(
        ("    name: Tom Becker", '    name: "Tom Becker\\rMallory"')),
    # rich markup: legal text, must be shown literally everywhere
    "scenario-markup.yaml": variant(
        ("title: Product pages crawl after the catalog release", f'title: "{MARKUP}"'),
        ("      name: Ravi Menon", '      name: "Ravi [/] Menon"'),
        ("    name: Elena Rossi", '    name: "Elena [link=https://example.invalid]Rossi[/link]"'),
        ("text: Elena (VP Product) - conversion is down a third since ten past. Is this the "
         "release?", f'text: "Elena - {MARKUP}"'),
        ("  - id: latency-dashboard\n    title: Storefront latency and error dashboard",
         '  - id: latency-dashboard\n    title: "Dashboard [/]"')),
    # script: legal text, must be escaped in every report
    "scenario-script.yaml": variant(
        ("title: Product pages crawl after the catalog release", f'title: "{SCRIPT}"'),
        ("      name: Ravi Menon", f'      name: "Ravi {SCRIPT}"'),
        ("    title: Product page p95 latency", f'    title: "p95 {SCRIPT}"'),
        ("    unit: ms\n", f'    unit: "ms{SCRIPT}"\n'),
        ("text: Elena (VP Product) - conversion is down a third since ten past. Is this the "
         "release?", f'text: "Elena {SCRIPT} <img src=x onerror=alert(2)>"'),
        ("    title: Storefront latency and error dashboard",
         f'    title: "Dashboard {SCRIPT}"')),
    # numbers
    "scenario-hold-billion.yaml": variant(("  hold_minutes: 5", "  hold_minutes: 1000000000")),
    "scenario-time-limit-1e9.yaml": variant(("time_limit_minutes: 80",
                                             "time_limit_minutes: 1.0e+9")),
    "scenario-nan-baseline.yaml": variant(("    baseline: 310", "    baseline: .nan")),
    "scenario-inf-effect.yaml": variant(("      page_p95_ms: 2400", "      page_p95_ms: .inf")),
    "scenario-digit-bomb.yaml": variant(("expected_minutes: 30",
                                         "expected_minutes: " + "9" * 4301)),
    "scenario-huge-float.yaml": variant(("    noise: 20\n", "    noise: 1.0e+308\n")),
    # bombs
    "scenario-billion-laughs.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    "scenario-deep-nesting.yaml": "schema_version: 1\nid: " + "[" * 5000 + "]" * 5000 + "\n",
}

RUBRIC = "schema_version: 1\nextends: builtin\ncriteria:\n  - id: command.declare-early\n"
RUBRICS = {
    "rubric-format-padding.yaml": RUBRIC + "    advice: \"{p:x>2000000000}\"\n",
    "rubric-attribute.yaml": RUBRIC + "    advice: \"{p.__class__.__mro__}\"\n",
    "rubric-positional.yaml": RUBRIC + "    keep: \"{} {0}\"\n",
    "rubric-nan-threshold.yaml": RUBRIC + "    thresholds: {p: .nan}\n",
    "rubric-escape.yaml": RUBRIC + '    title: "Declare \\e[8m early"\n',
}

DECISIONS = {
    "decisions-inf-wait.yaml": "- {action: wait, minutes: .inf}\n",
    "decisions-far-future.yaml": "- {action: acknowledge, at_minutes: 1.0e+308}\n",
    "decisions-escape-note.yaml": '- {action: note, text: "\\e]52;c;aGk=\\a"}\n',
}


def main() -> None:
    for name, text in {**SCENARIOS, **RUBRICS, **DECISIONS}.items():
        (HERE / name).write_bytes(text.encode("utf-8"))
    print(f"wrote {len(SCENARIOS) + len(RUBRICS) + len(DECISIONS)} files to {HERE}")


if __name__ == "__main__":
    main()
