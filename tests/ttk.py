"""Translate Toolkit's commands for tests, from its own environment ``.venv-ttk``.

Translate Toolkit's Python package is also named ``translate``, so it lives in
a virtual environment of its own (``.venv-ttk/`` at the repository root,
made by ``scripts/setup``); tests run its commands as programs. Where it is
absent, the tests that need it are skipped and say why.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv-ttk" / "bin"


def command(name: str) -> Path:
    """The path of a Translate Toolkit command (``po2csv``, ``csv2po``, ``pomerge``…); skips the test when absent."""
    path = BIN / name
    if not path.is_file():
        pytest.skip(f"Translate Toolkit is not installed in {BIN.parent} (scripts/setup makes it): {name} is missing")
    return path


def run(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a Translate Toolkit command without a progress bar; fails the test with its output when it fails."""
    result = subprocess.run([str(command(name)), "--progress", "none", *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 0, f"{name} failed: {result.stdout}{result.stderr}"
    return result
