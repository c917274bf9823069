"""Start-up time of the CLI, as ratios to importing what it cannot avoid.

Each case is a fresh process (`python -m simulator ...`) timed against a reference process
that only imports modules, the two run alternately so both see the same machine, and the
ratio of their medians is reported with the range of the pairs' own ratios (the spread):

- `tabletop --help` and `tabletop list` against `import rich.console` (goal: <= 1.5x);
- time to the first prompt of an interactive drill (the briefing's "Press any key",
  read from a pseudo-terminal) against importing every declared dependency (goal: <= 1.3x);
- for information (no goal), the first menu ("What do you do?") after a key pressed as
  soon as the briefing shows: the scenario loads while the briefing is read, and this
  row shows what that loading still costs someone who does not read it.

    python benchmarks/startup.py            # the table
    python benchmarks/startup.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from timing import alternate, summary, timed

ROOT = Path(__file__).resolve().parent.parent
DEPENDENCIES = "import simpy, yaml, rich.console, questionary, pydantic, jinja2, platformdirs"
GOALS: dict[str, float | None] = {"--help": 1.5, "list": 1.5, "first prompt": 1.3,
                                  "first menu": None}


PYCACHE = tempfile.mkdtemp(prefix="tabletop-bench-pycache-")


def _env() -> dict[str, str]:
    """The environment of every measured process. Bytecode is cached (in a temporary
    folder, for our code and the dependencies alike, after the warm-up run), as it is for
    an installed package: with PYTHONDONTWRITEBYTECODE set, every run would compile our
    modules from source and measure the compiler."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = PYCACHE
    return env


def timed_run(*args: str) -> float:
    """Seconds for one process to run to its end, output discarded."""
    return timed(lambda: subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL,
                                        env=_env(), check=True, cwd=ROOT))()


def first_prompt(scenario: str = "bad-deploy", marker: bytes = b"Press any key",
                 then: bytes = b"") -> float:
    """Seconds from spawning an interactive drill until its first prompt is on screen;
    with ``then``, until that text is on screen after a key pressed at the first prompt
    (the first menu: what the loading behind the briefing still costs a trainee who
    presses a key at once)."""
    import pty

    master, slave = pty.openpty()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "run", scenario, "--seed", "1",
             "--journal", str(Path(tmp) / "j.jsonl")],
            stdin=slave, stdout=slave, stderr=slave, env={**_env(), "TERM": "xterm"},
            cwd=ROOT, start_new_session=True)
        os.close(slave)
        seen, typed = b"", b""
        try:
            while marker not in seen or (then and then not in seen):
                if then and marker in seen and b"\r" not in typed:
                    os.write(master, b"\r")
                    typed += b"\r"
                ready, _, _ = select.select([master], [], [], 30)
                if not ready:
                    raise RuntimeError(f"no prompt after 30 s; the screen was {seen[-400:]!r}")
                try:
                    seen += os.read(master, 65536)
                except OSError as exc:  # the child ended (EIO) before prompting
                    raise RuntimeError(f"the drill ended before its prompt: {seen[-400:]!r}"
                                       ) from exc
            elapsed = time.perf_counter() - start
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            os.close(master)
    return elapsed


def row(case: str, reference: str, ours: list[float], ref: list[float]) -> dict[str, Any]:
    """Medians and their ratio; the spread is the range of the pairs' own ratios (each
    run over the reference run next to it)."""
    ratio = statistics.median(ours) / statistics.median(ref)
    pairs = [a / b for a, b in zip(ours, ref, strict=True)]
    return {"case": case, "reference": reference, "median_ms": statistics.median(ours) * 1000,
            "reference_ms": statistics.median(ref) * 1000, "ratio": ratio,
            "pair_ratio_min": min(pairs), "pair_ratio_max": max(pairs),
            "goal": GOALS[case], "ok": GOALS[case] is None or ratio <= GOALS[case],
            "runs": len(ours),
            "ours": summary(ours), "reference_runs": summary(ref)}


def cases(repeat: int) -> list[dict[str, Any]]:
    rich_only = lambda: timed_run("-c", "import rich.console")  # noqa: E731
    deps = lambda: timed_run("-c", DEPENDENCIES)  # noqa: E731
    rows = []
    for case, args in (("--help", ("-m", "simulator", "--help")),
                       ("list", ("-m", "simulator", "list"))):
        ours, ref = alternate([lambda a=args: timed_run(*a), rich_only], repeat)  # type: ignore[misc]
        rows.append(row(case, "import rich.console", ours, ref))
    ours, ref = alternate([first_prompt, deps], repeat)
    rows.append(row("first prompt", "import the dependencies", ours, ref))
    ours, ref = alternate([lambda: first_prompt(then=b"What do you do?"), deps], repeat)
    rows.append(row("first menu", "import the dependencies", ours, ref))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = cases(args.repeat)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        return 0
    print(f"{'case':<14} {'median ms':>10} {'reference':<24} {'ms':>7} {'ratio':>7} "
          f"{'pairs':>11} {'goal':>6}")
    for r in rows:
        print(f"{r['case']:<14} {r['median_ms']:>10.1f} {r['reference']:<24} "
              f"{r['reference_ms']:>7.1f} {r['ratio']:>6.2f}x "
              f"{r['pair_ratio_min']:>5.2f}-{r['pair_ratio_max']:<5.2f} "
              + (f"{r['goal']:>5.1f}x" if r["goal"] else f"{'-':>6}")
              + ("" if r["ok"] else "  (over)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
