"""The locked dependency tree: complete, hashed, in step with pyproject.toml, and what is installed."""

from __future__ import annotations

import os
import re
import tomllib
from importlib import metadata

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = ROOT / "requirements" / "lock.txt"
EXTRAS = ("mt", "ct2", "test")


def _locked() -> dict[str, tuple[str, list[str]]]:
    """``name -> (version, hashes)`` of every pin in the lock."""
    pins: dict[str, tuple[str, list[str]]] = {}
    for chunk in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8")):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", chunk)
        if match:
            pins[canonicalize_name(match.group(1))] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", chunk))
    return pins


def _requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for extra in EXTRAS:
        names += project["optional-dependencies"][extra]
    return [Requirement(name) for name in names]


def test_every_pin_has_hashes() -> None:
    pins = _locked()
    assert len(pins) > 30
    assert not [name for name, (_, hashes) in pins.items() if not hashes]


@pytest.mark.parametrize("requirement", _requirements(), ids=str)
def test_pyproject_requirement_is_locked_within_its_range(requirement: Requirement) -> None:
    version, _ = _locked().get(canonicalize_name(requirement.name), (None, []))
    assert version is not None, f"{requirement.name} is not in {LOCK.name}: run ./scripts/lock"
    assert requirement.specifier.contains(version, prereleases=True), f"{requirement} but the lock has {version}: run ./scripts/lock"


def test_torch_is_the_cpu_build() -> None:
    version, _ = _locked()["torch"]
    assert version.endswith("+cpu")
    assert not [name for name in _locked() if name.startswith("nvidia-")]


@pytest.mark.skipif(os.environ.get("TRANSLATE_UNLOCKED") == "1", reason="the upstream check installs the newest releases on purpose")
def test_installed_versions_are_the_locked_ones() -> None:
    pins = _locked()
    moved = {}
    for name, (version, _) in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            moved[name] = f"{version} locked, {installed} installed"
    assert not moved, f"this environment is not the lock (./scripts/setup installs it): {moved}"
