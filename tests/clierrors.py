"""Running the real ``translate`` command where the operating system refuses writes.

The tests run as root, which ignores permission bits, and cannot fill the
machine's disk. Two real mechanisms make the kernel refuse instead:

* ``setpriv --bounding-set=-dac_override,-dac_read_search`` runs the command
  without the capabilities that let root ignore permission bits, so a folder
  with mode 0555 refuses new files with EACCES as it would for any user;
* ``unshare --mount`` gives a shell its own mount table, in which a small
  tmpfs mounted over a folder and filled up makes every write there fail with
  ENOSPC; the mount vanishes with the shell.

Each is probed once; a test that needs one it cannot have is skipped with the
reason.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

#: ``path:line: message (hint)`` as the command line prints it, after ``Error: `` (the
#: command stopped) or ``error: `` (one article or catalog failed, the others went on).
ONE_LINE = re.compile(r"(?P<level>Error|error): (?P<where>[^:\s][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+) \((?P<hint>.+)\)")


def translate_command() -> list[str]:
    """The installed console script, or the module when the script is not on disk."""
    script = Path(sys.executable).with_name("translate")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "translate"]


def assert_one_line(stderr: str, where: str | None = None) -> re.Match[str]:
    """stderr is exactly one ``path:line: message (hint)`` line and no traceback; returns its parts.

    Lines reporting withheld translations are left out: the fake engine's
    ``[km] <English>`` fails the ``untranslated`` check, so every published
    article lists its sentences (see :func:`diagnostics`).
    """
    assert "Traceback" not in stderr, stderr
    lines = diagnostics(stderr).splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{stderr}"
    found = ONE_LINE.fullmatch(lines[0])
    assert found is not None, f"not 'path:line: message (hint)': {lines[0]!r}"
    if where is not None:
        assert found["where"] == where, f"names {found['where']!r}, not {where!r}: {lines[0]}"
    return found


def diagnostics(stderr: str) -> str:
    """stderr without the ``withheld:`` lines of translations that failed the checks."""
    return "".join(line for line in stderr.splitlines(keepends=True) if not line.startswith("withheld: "))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too), by relative path: what "nothing was corrupted" compares."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@functools.cache
def _setpriv_works() -> str | None:
    """None when dropping root's permission override works here, else why not."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return "setpriv (util-linux) is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "read-only"
        folder.mkdir(mode=0o555)
        try:
            proc = subprocess.run([*unprivileged_prefix(checked=False), "sh", "-c", f"touch {shlex.quote(str(folder / 'x'))}"],
                                  capture_output=True, text=True, check=False)
        finally:
            folder.chmod(0o755)
        if proc.returncode == 0:
            return "setpriv could not take away root's permission override (CAP_DAC_OVERRIDE) here"
    return None


def unprivileged_prefix(*, checked: bool = True) -> list[str]:
    """The words that run a command bound by permission bits (nothing for a normal user)."""
    if os.geteuid() != 0:
        return []
    if checked:
        why = _setpriv_works()
        if why is not None:
            pytest.skip(f"cannot make permissions bind root: {why}")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@functools.cache
def _tmpfs_works() -> str | None:
    unshare = shutil.which("unshare")
    if unshare is None:
        return "unshare (util-linux) is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run([*_unshare(), "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(tmp)}"],
                              capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return f"cannot mount a tmpfs in a private mount namespace: {proc.stderr.strip() or proc.returncode}"
    return None


def _unshare() -> list[str]:
    return ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--mount"]


@dataclass(frozen=True)
class Run:
    """A command run with one folder on a full file system."""

    returncode: int
    stdout: str
    stderr: str
    after: dict[str, bytes]  # the folder's files as the command left them (the filler left out)


def run_on_full_disk(cwd: Path, folder: str, args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``translate ARGS`` in ``cwd`` while ``cwd/folder`` sits on a full file system.

    The folder's files are copied onto a small tmpfs mounted over it, the rest
    of the tmpfs is filled, the command runs, and the folder's files are copied
    back out so that the test can compare them with what was there before.
    """
    why = _tmpfs_works()
    if why is not None:
        pytest.skip(f"cannot make a full disk here: {why}")
    target = cwd / folder
    target.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="full-disk-", dir=cwd.parent))
    saved, after = work / "saved", work / "after"
    shutil.copytree(target, saved)
    after.mkdir()
    q = shlex.quote
    command = " ".join(q(word) for word in [*translate_command(), *args])
    script = f"""
set -e
mount -t tmpfs -o size=1m tmpfs {q(str(target))}
cp -a {q(str(saved))}/. {q(str(target))}/
head -c 100000000 /dev/zero > {q(str(target / '.filler'))} 2>/dev/null || true
set +e
{command} > {q(str(work / 'stdout'))} 2> {q(str(work / 'stderr'))}
echo $? > {q(str(work / 'rc'))}
rm -f {q(str(target / '.filler'))}
cp -a {q(str(target))}/. {q(str(after))}/
"""
    proc = subprocess.run([*_unshare(), "sh", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert proc.returncode == 0 and (work / "rc").is_file(), f"the full-disk harness failed: {proc.stderr}"
    return Run(int((work / "rc").read_text()), (work / "stdout").read_text(), (work / "stderr").read_text(), snapshot(after))
