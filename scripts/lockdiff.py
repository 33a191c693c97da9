"""Print the packages whose installed version differs from the lock.

Usage: python scripts/lockdiff.py requirements/lock.txt VENV
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {canonical(name): version for name, version in pins}


def installed(venv: Path) -> dict[str, str]:
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze", "--exclude-editable"], capture_output=True, text=True, check=True).stdout
    return {canonical(name): version for name, version in (line.split("==", 1) for line in out.splitlines() if "==" in line)}


def main(lock: str, venv: str) -> int:
    old, new = locked(Path(lock)), installed(Path(venv))
    rows = [(name, old.get(name, "-"), new.get(name, "-")) for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    rows = [row for row in rows if row[0] not in ("pip", "setuptools") or row[1] != "-"]
    if not rows:
        print("every package is at its locked version")
        return 0
    width = max(len(name) for name, _, _ in rows)
    print(f"{len(rows)} package(s) differ from {lock}:")
    for name, was, now in rows:
        print(f"  {name:<{width}}  {was:>12} -> {now}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
