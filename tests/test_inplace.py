"""An editor saving a catalog in place while translate sync or translate extract runs, as real processes.

The editor (tests/inplace_editor.py) truncates the catalog, writes its first
part, pauses, and writes the rest. Whatever moment the command reads the
catalog at, every reviewed translation and comment the translator saved
survives, and the command says what it did.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import khmer_stand_in, msgfmt_check
from test_sync import WORDS, env, make_workspace, run_sync, write_article

from translate.catalog.store import render_catalog

EDITOR = Path(__file__).parent / "inplace_editor.py"
CATALOG = Path("locales/km/LC_MESSAGES/story-000.po")


def start_editor(root: Path, content: Path, *args: str) -> subprocess.Popen[str]:
    """An in-place save of ``content`` over the catalog, returned once its first part is on disk.

    With ``--until``, the save stays half done until the test creates the file (:func:`release`).
    """
    proc = subprocess.Popen([sys.executable, str(EDITOR), str(root / CATALOG), str(content), *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "paused"
    return proc


def release(editor: subprocess.Popen[str], until: Path) -> None:
    """Let an editor started with ``--until FILE`` finish its save."""
    until.write_text("go", encoding="utf-8")
    editor.wait(timeout=30)
    until.unlink()


def reviewed(path: Path) -> dict[str, tuple[str, str]]:
    """msgid -> (msgstr, comment) of the reviewed entries."""
    return {e.msgid: (e.msgstr, e.tcomment) for e in polib.pofile(str(path)) if e.msgstr and "fuzzy" not in e.flags and not e.obsolete}


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path]:
    """A synced workspace whose story-000 catalog has 10 translations a translator reviewed and commented,
    its English edited since (a new paragraph), and the translator's next save (one more comment) ready to go."""
    root = make_workspace(tmp_path / "ws", articles=3)
    write_article(root / "articles", 0, sentences=12)
    assert run_sync(root).returncode == 0
    po = polib.pofile(str(root / CATALOG))
    entries = [e for e in po if not e.obsolete][:10]
    for n, entry in enumerate(entries):
        entry.msgstr, entry.flags, entry.tcomment = khmer_stand_in(entry.msgid, WORDS[n]), [], f"checked by Sokha ({n})"
    (root / CATALOG).write_bytes(render_catalog(po))
    assert run_sync(root).returncode == 0  # the catalog's last known state: 10 reviewed
    assert len(reviewed(root / CATALOG)) == 10
    article = root / "articles" / "story-000.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph was added on Wednesday.\n", encoding="utf-8")
    po = polib.pofile(str(root / CATALOG))
    po[0].tcomment += "\nchecked again by Dara"
    saved = tmp_path / "translator.po"
    saved.write_bytes(render_catalog(po))
    return root, saved


def assert_translator_work_kept(root: Path, saved: Path) -> None:
    kept = reviewed(root / CATALOG)
    assert kept == reviewed(saved) and len(kept) == 10
    msgfmt_check(root / CATALOG)


def finish(root: Path, saved: Path) -> None:
    """The next sync, once the editor is done: it merges the new English into the translator's save."""
    again = run_sync(root, "--json")
    assert again.returncode == 0, again.stderr
    assert_translator_work_kept(root, saved)
    po = polib.pofile(str(root / CATALOG))
    assert po.find("A new paragraph was added on Wednesday.") is not None
    published = (root / "site" / "story-000.km.md").read_text(encoding="utf-8")
    assert all(word in published for word in WORDS)


@pytest.mark.parametrize("pause, outcome", [(0.8, "waited"), (4.0, "skipped")])
def test_sync_during_an_in_place_save_keeps_every_reviewed_translation(workspace: tuple[Path, Path], pause: float, outcome: str) -> None:
    """The editor holds the catalog open for writing during its pause: sync waits for it, or leaves the catalog alone."""
    root, saved = workspace
    if outcome == "waited":
        editor = start_editor(root, saved, "--cut", "header", "--pause", str(pause))
    else:  # the save stays half done while sync runs, however long that takes
        editor = start_editor(root, saved, "--cut", "header", "--pause", "120", "--until", str(root / "go"))
    try:
        proc = run_sync(root, "--json")
    finally:
        release(editor, root / "go")
    assert (root / CATALOG).read_bytes() != b"" and len(reviewed(root / CATALOG)) == 10
    report = json.loads(proc.stdout)
    if outcome == "waited":
        assert proc.returncode == 0, proc.stderr
        assert polib.pofile(str(root / CATALOG)).find("A new paragraph was added on Wednesday.") is not None
    else:
        assert proc.returncode == 4, proc.stderr
        assert (root / CATALOG).read_bytes() == saved.read_bytes()
        [skip] = report["skipped"]
        assert skip["file"] == CATALOG.as_posix() and "is being saved by another program" in skip["message"]
        assert f"skipped: {CATALOG.as_posix()}: is being saved by another program" in proc.stderr
        assert report["articles"]["skipped"] == 1 and report["partial"] is False
    assert_translator_work_kept(root, saved)
    finish(root, saved)


@pytest.mark.parametrize("cut", ["header", "half"])
def test_sync_leaves_a_catalog_cut_short_alone(workspace: tuple[Path, Path], cut: str) -> None:
    """The editor closes the file between the two parts of its save: no lease can see it; the last known state does."""
    root, saved = workspace
    editor = start_editor(root, saved, "--cut", cut, "--reopen", "--pause", "120", "--until", str(root / "go"))
    try:
        proc = run_sync(root)
    finally:
        release(editor, root / "go")
    assert proc.returncode == 4, proc.stderr
    reason = "holds only its header" if cut == "header" else "reviewed translations where it had 10"
    assert f"skipped: {CATALOG.as_posix()}: " in proc.stderr and reason in proc.stderr
    assert "3 articles: 0 updated, 2 unchanged, 0 failed, 1 skipped (being edited)" in proc.stdout
    assert (root / CATALOG).read_bytes() == saved.read_bytes()
    assert_translator_work_kept(root, saved)
    finish(root, saved)


def test_extract_during_an_in_place_save(workspace: tuple[Path, Path]) -> None:
    """translate extract alone (no workspace state): a header-only catalog and a catalog being written are left alone."""
    root, saved = workspace
    command = [sys.executable, "-m", "translate", "extract", "articles/story-000.md", "--to", "km"]
    editor = start_editor(root, saved, "--cut", "header", "--reopen", "--pause", "120", "--until", str(root / "go"))
    try:
        proc = subprocess.run(command, cwd=root, env=env(), capture_output=True, text=True, timeout=60)
    finally:
        release(editor, root / "go")
    assert proc.returncode == 4, proc.stderr
    assert proc.stderr.startswith(f"skipped: {CATALOG.as_posix()}: holds only its header")
    assert (root / CATALOG).read_bytes() == saved.read_bytes()
    editor = start_editor(root, saved, "--cut", "half", "--pause", "120", "--until", str(root / "go"))
    try:
        proc = subprocess.run(command, cwd=root, env=env(), capture_output=True, text=True, timeout=60)
    finally:
        release(editor, root / "go")
    assert proc.returncode == 4 and "is being saved by another program" in proc.stderr, proc.stderr
    assert (root / CATALOG).read_bytes() == saved.read_bytes()
    proc = subprocess.run(command, cwd=root, env=env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert_translator_work_kept(root, saved)


def test_saves_in_place_over_and_over_during_a_sync(workspace: tuple[Path, Path]) -> None:
    """A translator's editor saves in place again and again while a slow sync runs: nothing is lost at any moment."""
    root, saved = workspace
    (root / "translate.toml").write_text((root / "translate.toml").read_text(encoding="utf-8").replace('backend = "fake"\n', 'backend = "fake"\nbackend_options = { delay = 0.02 }\n'), encoding="utf-8")
    sync = subprocess.Popen([sys.executable, "-m", "translate", "sync", "--force"], cwd=root, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    saves = 0
    try:
        while sync.poll() is None:
            editor = start_editor(root, saved, "--cut", ("header", "half")[saves % 2], "--pause", str(0.05 + 0.1 * (saves % 4)))
            editor.wait(timeout=30)
            saves += 1
            assert reviewed(root / CATALOG).keys() >= reviewed(saved).keys()
            time.sleep(0.05 * (saves % 3))
    finally:
        out, err = sync.communicate(timeout=120)
    assert saves >= 3, "the sync ended before the editor could save"
    assert sync.returncode in (0, 4), err
    assert_translator_work_kept(root, saved)
    finish(root, saved)
