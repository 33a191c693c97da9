"""What goes wrong around the articles is one line on stderr, never a traceback, and nothing is damaged.

Each test runs the real command (the installed ``translate`` script in a
process, or ``CliRunner`` where a wait is shortened), asserts the exit code,
that stderr is exactly one ``path:line: message (hint)`` line, and that every
file is as it was (or, where work was done before the failure, still valid).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from clierrors import assert_one_line, diagnostics, run_on_full_disk, snapshot, translate_command, unprivileged_prefix
from conftest import FROZEN_NOW, msgfmt_check
from translate.cli import cli

EPOCH = str(int(FROZEN_NOW.timestamp()))
ARTICLE = "The ministry said on Monday that rice prices would rise. Farmers in Kampot were worried.\n\nThe governor spoke to reporters.\n"


def env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}


def translate(cwd: Path, *args: str, prefix: list[str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), *translate_command(), *args], cwd=cwd, env=env(), capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def story(workdir: Path) -> Path:
    """A plain-text article with its catalogs extracted and a translator's work in the Khmer one."""
    (workdir / "story.txt").write_text(ARTICLE, encoding="utf-8")
    assert translate(workdir, "-q", "extract", "story.txt", "--to", "km").returncode == 0
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "ក្រសួងបាននិយាយនៅថ្ងៃច័ន្ទថា តម្លៃអង្ករនឹងឡើង។"
    po.save(str(po_path))
    return workdir / "story.txt"


def make_workspace(root: Path, extra: str = "") -> Path:
    """A workspace with one article, the fake engine, Khmer, published into site/."""
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "translate.toml").write_text(
        f'[workspace]\nsources = ["articles/*.txt"]\nlanguages = ["km"]\noutput = "site"\nbackend = "fake"\n{extra}', encoding="utf-8"
    )
    return root


@pytest.fixture
def synced(workdir: Path) -> Path:
    """A workspace synced once, with its article changed since (so the next sync has work to do)."""
    root = make_workspace(workdir)
    first = translate(root, "-q", "sync")
    assert first.returncode == 0, first.stderr
    article = root / "articles" / "story.txt"
    article.write_text(ARTICLE + "\nA new paragraph was added.\n", encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """The catalogs and the published site, by path (the sync state is compared by its rows)."""
    return {f"{name}/{k}": v for name in ("locales", "site") if (root / name).is_dir() for k, v in snapshot(root / name).items()}


def state_rows(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / ".translate" / "state.sqlite3") as db:
        return sorted(db.execute("SELECT path, record FROM articles"))


# --------------------------------------------------------------------------- --encoding


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib", "punycode", "undefined", "idna", "unicode_escape", "no-such-codec"])
def test_encoding_must_be_a_text_encoding(story: Path, workdir: Path, encoding: str) -> None:
    before = snapshot(workdir)
    for command in (["extract", "story.txt", "--to", "km"], ["publish", "story.txt", "--to", "km"]):
        proc = translate(workdir, *command, "--encoding", encoding)
        assert proc.returncode == 2, proc.stderr
        found = assert_one_line(proc.stderr, where="--encoding")
        assert repr(encoding) in found["message"] and "utf-8" in found["hint"]
    assert snapshot(workdir) == before


def test_real_text_encodings_are_still_accepted(workdir: Path) -> None:
    (workdir / "story.txt").write_bytes(ARTICLE.replace("Kampot", "Kâmpôt").encode("cp1252"))
    proc = translate(workdir, "extract", "story.txt", "--to", "km", "--encoding", "cp1252")
    assert proc.returncode == 0, proc.stderr
    assert "Kâmpôt" in (workdir / "locales" / "templates" / "story.pot").read_text(encoding="utf-8")


def test_encoding_in_the_workspace_file_names_file_and_line(workdir: Path) -> None:
    root = make_workspace(workdir, 'encoding = "rot13"\n')
    proc = translate(root, "-q", "sync")
    assert proc.returncode == 2, proc.stderr
    found = assert_one_line(proc.stderr, where=str(root / "translate.toml"))
    assert found["line"] == "6" and "'rot13' is not a text encoding" in found["message"]
    assert not (root / "locales").exists() and not (root / ".translate").exists()


# --------------------------------------------------------------------------- read-only folders


def test_extract_into_a_read_only_locales_folder(story: Path, workdir: Path) -> None:
    prefix = unprivileged_prefix()
    story.write_text(ARTICLE + "\nA new paragraph was added.\n", encoding="utf-8")
    before = snapshot(workdir / "locales")
    folders = [p for p in (workdir / "locales").rglob("*") if p.is_dir()]
    for folder in folders:
        folder.chmod(0o555)
    try:
        proc = translate(workdir, "extract", "story.txt", "--to", "km", prefix=prefix)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where="locales/templates/story.pot")
    assert found["message"] == "cannot be written: permission denied" and "make locales/templates writable" in found["hint"]
    assert snapshot(workdir / "locales") == before  # the translator's msgstr included, no temporary file


def test_publish_into_a_read_only_output_folder(story: Path, workdir: Path) -> None:
    prefix = unprivileged_prefix()
    assert translate(workdir, "-q", "publish", "story.txt", "--to", "km", "--include-fuzzy").returncode == 0
    published = (workdir / "out" / "story.km.txt").read_bytes()
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    po = polib.pofile(str(po_path))
    po[1].msgstr = "កសិករនៅកំពតមានការព្រួយបារម្ភ។"
    po.save(str(po_path))
    (workdir / "out").chmod(0o555)
    try:
        proc = translate(workdir, "publish", "story.txt", "--to", "km", "--include-fuzzy", prefix=prefix)
    finally:
        (workdir / "out").chmod(0o755)
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where="out/story.km.txt")
    assert found["message"] == "cannot be written: permission denied"
    assert [p.name for p in (workdir / "out").iterdir()] == ["story.km.txt"]
    assert (workdir / "out" / "story.km.txt").read_bytes() == published


@pytest.mark.parametrize("folder", ["locales", "site"])
def test_sync_stops_before_any_work_when_a_folder_is_read_only(synced: Path, folder: str) -> None:
    prefix = unprivileged_prefix()
    before, rows = tree(synced), state_rows(synced)
    folders = [synced / folder, *(p for p in (synced / folder).rglob("*") if p.is_dir())]
    for path in folders:
        path.chmod(0o555)
    try:
        proc = translate(synced, "-q", "sync", prefix=prefix)
    finally:
        for path in folders:
            path.chmod(0o755)
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr)
    assert found["where"] in (f"{folder}/templates", folder) and found["message"] == "cannot be written: permission denied"
    assert found["hint"].endswith("nothing was done")
    assert tree(synced) == before and state_rows(synced) == rows
    again = translate(synced, "-q", "sync")
    assert again.returncode == 0 and diagnostics(again.stderr) == ""


def test_a_file_where_the_output_folder_should_be(synced: Path) -> None:
    shutil.rmtree(synced / "site")
    (synced / "site").write_text("not a folder", encoding="utf-8")
    before = tree(synced)
    proc = translate(synced, "-q", "sync")
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where="site")
    assert "a file stands where a folder is needed" in found["message"]
    assert tree(synced) == before


# --------------------------------------------------------------------------- full disk


def test_extract_on_a_full_disk_keeps_the_catalogs(story: Path, workdir: Path) -> None:
    story.write_text(ARTICLE + "\nA new paragraph was added.\n", encoding="utf-8")
    before = snapshot(workdir / "locales")
    run = run_on_full_disk(workdir, "locales", ["extract", "story.txt", "--to", "km"], env=env())
    assert run.returncode == 1
    found = assert_one_line(run.stderr, where="locales/templates/story.pot")
    assert found["message"] == "cannot be written: no space left on the device" and "free some space" in found["hint"]
    assert run.after == before  # not truncated, no temporary file left


def test_publish_on_a_full_disk_keeps_the_published_file(story: Path, workdir: Path) -> None:
    assert translate(workdir, "-q", "publish", "story.txt", "--to", "km", "--include-fuzzy").returncode == 0
    before = snapshot(workdir / "out")
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"
    po = polib.pofile(str(po_path))
    po[1].msgstr = "កសិករនៅកំពតមានការព្រួយបារម្ភ។"
    po.save(str(po_path))
    run = run_on_full_disk(workdir, "out", ["publish", "story.txt", "--to", "km", "--include-fuzzy"], env=env())
    assert run.returncode == 1
    assert_one_line(run.stderr, where="out/story.km.txt")
    assert run.after == before


def test_sync_on_a_full_disk_reports_the_article_and_finishes_later(synced: Path) -> None:
    before = snapshot(synced / "locales")
    rows = state_rows(synced)
    run = run_on_full_disk(synced, "locales", ["-q", "sync"], env=env())
    assert run.returncode == 1
    found = assert_one_line(run.stderr, where="locales/templates/story.pot")
    assert found["level"] == "error" and "no space left" in found["message"]
    assert run.after == before and state_rows(synced) == rows
    again = translate(synced, "-q", "sync")
    assert again.returncode == 0 and diagnostics(again.stderr) == ""
    msgfmt_check(synced / "locales" / "km" / "LC_MESSAGES" / "story.po")
    assert "A new paragraph was added." in (synced / "locales" / "templates" / "story.pot").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- locks and state


HOLD = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def hold_database() -> Iterator[Callable[[Path], None]]:
    """Hold an SQLite file with BEGIN EXCLUSIVE in another process until the test ends."""
    holders: list[subprocess.Popen[str]] = []

    def hold(path: Path) -> None:
        holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        holders.append(holder)
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"

    yield hold
    for holder in holders:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_state_database_held_by_another_program(synced: Path, hold_database: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.workspace import state

    monkeypatch.setattr(state, "BUSY_TIMEOUT_S", 0.5)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    before, rows = tree(synced), state_rows(synced)
    hold_database(synced / ".translate" / "state.sqlite3")
    result = run_cli("-q", "sync")
    assert result.exit_code == 1
    found = assert_one_line(result.stderr, where=str(synced / ".translate" / "state.sqlite3"))
    assert "is locked by another program (waited 0.5 s)" in found["message"] and "nothing was changed" in found["hint"]
    assert tree(synced) == before and state_rows(synced) == rows


def test_the_real_wait_for_the_state_database_then_one_line(synced: Path, hold_database: Callable[[Path], None]) -> None:
    """The installed command, with the real timeout: it waits, then says so in one line."""
    from translate.workspace.state import BUSY_TIMEOUT_S

    hold_database(synced / ".translate" / "state.sqlite3")
    proc = translate(synced, "-q", "sync", timeout=BUSY_TIMEOUT_S + 60)
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr)
    assert found["message"].startswith(f"is locked by another program (waited {BUSY_TIMEOUT_S:g} s)")


def test_translation_memory_held_by_another_program(synced: Path, hold_database: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.mt import memory

    monkeypatch.setattr(memory, "BUSY_TIMEOUT_S", 0.5)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    memory_path = synced / ".translate" / "memory.sqlite3"
    with sqlite3.connect(memory_path) as db:
        stored = db.execute("SELECT count(*) FROM machine").fetchone()[0]
    assert stored > 0
    rows = state_rows(synced)
    hold_database(memory_path)
    result = run_cli("-q", "sync")
    assert result.exit_code == 1
    found = assert_one_line(result.stderr, where=str(memory_path))
    assert "another program held it for 0.5 s" in found["message"] and "--memory" in found["hint"]
    assert state_rows(synced) == rows  # the article is not marked done: the next sync finishes it
    msgfmt_check(synced / "locales" / "km" / "LC_MESSAGES" / "story.po")


def test_sync_lock_that_is_a_folder(synced: Path) -> None:
    lock = synced / ".translate" / "sync.lock"
    lock.unlink()
    lock.mkdir()
    before, rows = tree(synced), state_rows(synced)
    proc = translate(synced, "-q", "sync")
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr, where=str(lock))
    assert found["message"] == "is a folder, not the workspace's lock file" and f"rmdir {lock}" in found["hint"]
    assert tree(synced) == before and state_rows(synced) == rows


# --------------------------------------------------------------------------- source patterns


@pytest.mark.parametrize(
    ("pattern", "problem", "hint"),
    [
        ("{root}/articles/*.txt", "is absolute", 'write "articles/*.txt"'),
        ("/etc/*.md", "is absolute", "keep the articles under"),
        ("../elsewhere/*.md", "leaves the workspace folder", "keep the articles under"),
        ("", "is empty", "articles/**/*.md"),
    ],
    ids=["absolute-inside", "absolute-outside", "dot-dot", "empty"],
)
def test_source_patterns_must_be_relative(workdir: Path, pattern: str, problem: str, hint: str) -> None:
    root = make_workspace(workdir / "ws")
    pattern = pattern.format(root=root)
    toml = root / "translate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"articles/*.txt"', f'"{pattern}"'), encoding="utf-8")
    proc = translate(root, "-q", "sync")
    assert proc.returncode == 2, proc.stderr
    found = assert_one_line(proc.stderr, where=str(toml))
    assert found["line"] == "2" and problem in found["message"] and hint in found["hint"]
    other = make_workspace(workdir / "other")
    on_command_line = translate(other, "-q", "sync", "--source", pattern.replace(str(root), str(other)) or " ")
    assert on_command_line.returncode == 2
    found = assert_one_line(on_command_line.stderr, where="--source")
    assert problem in found["message"] and hint in found["hint"]
    assert not (root / "locales").exists() and not (root / ".translate").exists()


# --------------------------------------------------------------------------- --model paths


def test_model_folder_under_an_unknown_users_home(story: Path, workdir: Path) -> None:
    import pwd

    with pytest.raises(KeyError):
        pwd.getpwnam("nouser")
    before = snapshot(workdir)
    proc = translate(workdir, "mt", "story.txt", "--to", "km", "--model", "~nouser/x", "--memory", str(workdir.parent / "tm.sqlite3"))
    assert proc.returncode == 1
    found = assert_one_line(proc.stderr)
    assert found["where"] == "~nouser/x" and found["message"] == "cannot expand ~nouser: no such user, or no home folder"
    assert snapshot(workdir) == before
