"""Packaging: a non-editable install works from any directory, scenarios included."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_non_editable_install_lists_scenarios(tmp_path: Path) -> None:
    """`pip install .` into a fresh venv, then `tabletop list` from elsewhere shows all three."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".git", "*.egg-info", "build", "__pycache__", ".*_cache"))
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", str(src)],
                             capture_output=True, text=True, timeout=500)
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    listed = subprocess.run([str(env_dir / "bin" / "tabletop"), "list"], capture_output=True,
                            text=True, cwd=elsewhere, env=env, timeout=60)
    assert listed.returncode == 0, listed.stderr
    for scenario_id in ("redis-saturation", "failed-batch-job", "bad-deploy"):
        assert scenario_id in listed.stdout
    where = subprocess.run([str(python), "-c", "import scenarios, simulator; "
                            "print(simulator.__file__)"], capture_output=True, text=True,
                           cwd=elsewhere, env=env)
    assert str(env_dir) in where.stdout, "the installed copy must be the one imported"
