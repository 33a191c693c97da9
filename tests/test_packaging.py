"""The distribution: a wheel built with ``python -m build`` works in a clean environment, and a clash is explained.

The wheel is built from the tracked files, installed with ``--no-deps`` into a
fresh virtual environment together with the locked runtime dependencies
(requirements/lock.txt, hashes checked), and its ``translate`` command is run
there. Then Translate Toolkit, whose package is also named ``translate``, is
installed over it from requirements/ttk.txt, as a user might.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT
from translate.cli.installation import DISTRIBUTION, EXIT_BROKEN_INSTALL, foreign_package


def test_the_distribution_has_its_own_name_and_the_command_keeps_its() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION == "newsroom-translate"
    assert project["scripts"] == {"translate": "translate.cli:main"}
    import translate

    assert translate.DISTRIBUTION == DISTRIBUTION and foreign_package() is None


def test_the_package_copy_of_models_lock_is_the_repository_file() -> None:
    link = ROOT / "translate" / "models.lock"
    assert link.is_symlink() and link.resolve() == (ROOT / "models.lock").resolve()


def _runtime_closure() -> set[str]:
    """Names of the runtime dependencies of the distribution, transitively (no extras)."""
    seen: set[str] = set()
    todo = [DISTRIBUTION]
    while todo:
        name = todo.pop()
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = canonicalize_name(requirement.name)
            if key not in seen:
                seen.add(key)
                todo.append(requirement.name)
    return seen


def _locked_lines(names: set[str]) -> str:
    chunks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8"))
    picked = [chunk.split("\n    #")[0] for chunk in chunks if (m := re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==", chunk)) and canonicalize_name(m.group(1)) in names]
    assert len(picked) == len(names), f"not all of {sorted(names)} are in requirements/lock.txt"
    return "\n".join(picked) + "\n"


def _run(*args: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, check=check, timeout=600)


def _pip(bin_folder: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """This environment's pip, acting on the environment of ``bin_folder``."""
    return _run(sys.executable, "-m", "pip", "--python", bin_folder / "python", *args)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the built wheel and the locked runtime dependencies; its bin folder."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    tracked = _run("git", "ls-files", "-z", cwd=ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        origin, copy = ROOT / name, source / name
        if not origin.exists() and not origin.is_symlink():
            continue  # deleted in the working tree
        copy.parent.mkdir(parents=True, exist_ok=True)
        if origin.is_symlink():
            copy.symlink_to(origin.readlink())
        else:
            shutil.copy2(origin, copy)
    wheels = root / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", wheels, source)
    [wheel] = wheels.glob("newsroom_translate-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)  # this environment's pip installs into it (--python)
    requirements = root / "runtime.txt"
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    requirements.write_text(_locked_lines(_runtime_closure()) + f"newsroom-translate @ {wheel.as_uri()} --hash=sha256:{digest}\n", encoding="utf-8")
    _pip(venv / "bin", "install", "--quiet", "--require-hashes", "--no-deps", "-r", requirements)
    _pip(venv / "bin", "check")
    return venv / "bin"


def test_the_installed_wheel_lists_models_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    version = _run(installed / "translate", "--version", cwd=tmp_path).stdout
    assert version.strip() == "translate, version 0.1.0"
    listing = _run(installed / "translate", "models", "list", cwd=tmp_path).stdout
    assert "nllb-200-distilled-600m" in listing and "m2m100-418m" in listing
    where = _run(installed / "python", "-c", "import translate.mt.setup as s; print(s.find_lock(cwd=__import__('pathlib').Path('.')))", cwd=tmp_path).stdout.strip()
    assert "site-packages/translate/models.lock" in where
    assert Path(where).read_bytes() == (ROOT / "models.lock").read_bytes()


def test_translate_toolkit_installed_over_it_is_explained_and_can_be_repaired(installed: Path, tmp_path: Path) -> None:
    _pip(installed, "install", "--quiet", "--require-hashes", "--no-deps", "-r", ROOT / "requirements" / "ttk.txt")
    for args in (["--version"], ["models", "list"]):
        proc = _run(installed / "translate", *args, cwd=tmp_path, check=False)
        assert proc.returncode == EXIT_BROKEN_INSTALL and proc.stdout == ""
        [line] = proc.stderr.splitlines()
        assert line.startswith("error: the Python package in ") and "Translate Toolkit 3.20.4" in line
        assert "pipx install newsroom-translate" in line and "pip install --force-reinstall --no-deps newsroom-translate" in line
    _pip(installed, "uninstall", "--quiet", "-y", "translate-toolkit")
    proc = _run(installed / "translate", "--version", cwd=tmp_path, check=False)
    assert proc.returncode == EXIT_BROKEN_INSTALL and "another package named translate" in proc.stderr
    [wheel] = (installed.parent.parent / "dist").glob("*.whl")
    _pip(installed, "install", "--quiet", "--force-reinstall", "--no-deps", wheel)
    assert _run(installed / "translate", "--version", cwd=tmp_path).stdout.strip() == "translate, version 0.1.0"
