"""Safe catalog writes: atomic replacement, and no clobbering of a translator's save."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest

from conftest import DATA, msgfmt_check
from translate.catalog.guard import KnownCatalogs
from translate.catalog.store import parse_catalog, read_catalog, render_catalog, snapshot, update_catalog, write_atomic
from translate.errors import BeingEditedError, CatalogError, ConflictError

BEFORE = DATA / "merge" / "edited" / "before.po"


def _add_entry(msgid: str):
    def change(po: polib.POFile | None) -> polib.POFile:
        assert po is not None
        new = polib.pofile(str(po))
        new.append(polib.POEntry(msgid=msgid, msgstr=""))
        return new

    return change


def _translator_saves(path: Path, msgid: str, msgstr: str) -> None:
    """What Poedit does on save: a whole new file with the translator's text."""
    po = polib.pofile(str(path))
    po.find(msgid).msgstr = msgstr
    path.write_bytes(render_catalog(po))


def test_write_atomic_leaves_no_temp_files_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_write_atomic_refuses_when_file_changed(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    target.write_text("v1", encoding="utf-8")
    seen = snapshot(target)
    target.write_text("v2 by a translator", encoding="utf-8")
    with pytest.raises(ConflictError):
        write_atomic(target, b"v3", expected=seen)
    assert target.read_text(encoding="utf-8") == "v2 by a translator"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.po"]


def test_translator_save_during_update_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_bytes(BEFORE.read_bytes())
    calls = 0

    def change(po: polib.POFile | None) -> polib.POFile:
        nonlocal calls
        calls += 1
        if calls == 1:  # the translator saves while the update is being computed
            _translator_saves(path, "Schools will stay closed until the water recedes.", "សាលានឹងបិទ។")
        return _add_entry("A new sentence.")(po)

    update = update_catalog(path, change)
    assert update.written and update.attempts == 2
    po = polib.pofile(str(path))
    assert po.find("Schools will stay closed until the water recedes.").msgstr == "សាលានឹងបិទ។"
    assert po.find("A new sentence.") is not None
    msgfmt_check(path)


def test_file_that_keeps_changing_is_never_clobbered(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_bytes(BEFORE.read_bytes())
    counter = 0

    def change(po: polib.POFile | None) -> polib.POFile:
        nonlocal counter
        counter += 1
        _translator_saves(path, "Schools will stay closed until the water recedes.", f"ការកែ {counter}")
        return _add_entry("A new sentence.")(po)

    with pytest.raises(ConflictError) as info:
        update_catalog(path, change, attempts=3)
    assert "article.po" in str(info.value) and "run the command again" in str(info.value)
    po = polib.pofile(str(path))
    assert po.find("Schools will stay closed until the water recedes.").msgstr == "ការកែ 3"
    assert po.find("A new sentence.") is None


def test_unchanged_result_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_bytes(render_catalog(polib.pofile(str(BEFORE))))
    before = path.stat().st_mtime_ns
    update = update_catalog(path, lambda po: po)
    assert not update.written and path.stat().st_mtime_ns == before


def test_corrupt_catalog_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n\nmsgid "c"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    assert str(info.value).startswith(f"{path}:") and "msgfmt -c" in str(info.value)


def test_long_comment_lines_are_never_wrapped(tmp_path: Path) -> None:
    """Like GNU gettext, comments stay one line each, so tool-written lines read back intact (also after msgmerge)."""
    import subprocess

    long_issues = "mt_issues:hit-length-cap,repetition,length-ratio,markup-not-placed,placeholder"
    long_restore = 'mt_restore: link: <a href="https://www.phnompenhpost.com/national/justice-ministry">the Post</a>'
    po = polib.POFile(wrapwidth=79)
    po.metadata = {
        "Project-Id-Version": "a",
        "PO-Revision-Date": "2026-11-26 09:30+0000",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "km",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    po.append(polib.POEntry(msgid="The Post reported.", msgstr="", tcomment=f"{long_issues}\n{long_restore}", comment="paragraph " * 10, flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Short.", msgstr="ខ្លី។", tcomment="kept"))
    path = tmp_path / "a.po"
    path.write_bytes(render_catalog(po))
    text = path.read_text(encoding="utf-8")
    assert f"# {long_issues}\n# {long_restore}\n#. {'paragraph ' * 10}\n" in text
    msgfmt_check(path)
    [entry, _] = read_catalog(path)[0]
    assert entry.tcomment == f"{long_issues}\n{long_restore}"
    pot = tmp_path / "a.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "The Post reported."\nmsgstr ""\n\nmsgid "Short."\nmsgstr ""\n', encoding="utf-8")
    merged = subprocess.run(["msgmerge", "--quiet", "--previous", str(path), str(pot)], capture_output=True, text=True, check=True).stdout
    assert f"# {long_issues}\n# {long_restore}\n" in merged


# --- the state of a file, checked right before the rename -------------------------------------


def test_snapshot_names_content_size_inode_and_time(tmp_path: Path) -> None:
    target = tmp_path / "a.po"
    target.write_bytes(b"one")
    seen = snapshot(target)
    info = target.stat()
    assert (seen.size, seen.inode, seen.device, seen.mtime_ns) == (3, info.st_ino, info.st_dev, info.st_mtime_ns)
    assert seen.seen is not None and seen.seen.stamp.endswith(f":{info.st_ino}:{info.st_mtime_ns}")
    assert snapshot(tmp_path / "missing.po").digest is None


@pytest.mark.parametrize("how", ["replaced-by-identical-copy", "touched"])
def test_same_bytes_in_another_file_or_at_another_time_is_a_conflict(tmp_path: Path, how: str) -> None:
    """A file replaced by another program (even with the same bytes) or saved again is not the one that was read."""
    target = tmp_path / "a.po"
    target.write_bytes(b"v1")
    seen = snapshot(target)
    if how == "touched":
        os.utime(target, ns=(seen.mtime_ns + 10**9, seen.mtime_ns + 10**9))
    else:
        copy = tmp_path / "copy"
        copy.write_bytes(b"v1")
        os.replace(copy, target)
    with pytest.raises(ConflictError):
        write_atomic(target, b"v2", expected=seen)
    assert target.read_bytes() == b"v1"


def test_a_file_created_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "new.po"
    seen = snapshot(target)
    target.write_bytes(b"created by a translator")
    with pytest.raises(ConflictError):
        write_atomic(target, b"ours", expected=seen)
    assert target.read_bytes() == b"created by a translator"
    write_atomic(tmp_path / "other.po", b"ours", expected=snapshot(tmp_path / "other.po"))
    assert (tmp_path / "other.po").read_bytes() == b"ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.po", "other.po"]


# --- symbolic links ----------------------------------------------------------------------------


@pytest.mark.parametrize("relative", [False, True], ids=["absolute-link", "relative-link"])
def test_a_symlinked_catalog_is_written_through_its_link(tmp_path: Path, relative: bool) -> None:
    shared = tmp_path / "shared" / "km"
    shared.mkdir(parents=True)
    real = shared / "article.po"
    real.write_bytes(BEFORE.read_bytes())
    os.chmod(real, 0o640)
    folder = tmp_path / "locales" / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    link = folder / "article.po"
    link.symlink_to(os.path.relpath(real, folder) if relative else real)
    update = update_catalog(link, _add_entry("A new sentence."))
    assert update.written
    assert link.is_symlink() and os.readlink(link) == (os.path.relpath(real, folder) if relative else str(real))
    assert polib.pofile(str(real)).find("A new sentence.") is not None  # the target was updated
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in folder.iterdir()) == ["article.po"] and sorted(p.name for p in shared.iterdir()) == ["article.po"]
    msgfmt_check(link)


# --- programs that save in place -------------------------------------------------------------

EDITOR = Path(__file__).parent / "inplace_editor.py"


def _start_editor(target: Path, content: Path, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, str(EDITOR), str(target), str(content), *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "paused"
    return proc


def _reviewed(path: Path) -> dict[str, tuple[str, str]]:
    return {e.msgid: (e.msgstr, e.tcomment) for e in polib.pofile(str(path)) if e.msgstr and "fuzzy" not in e.flags and not e.obsolete}


def _translator_version(tmp_path: Path) -> Path:
    """BEFORE with every entry reviewed and commented, as a translator saved it."""
    po = polib.pofile(str(BEFORE))
    for n, entry in enumerate(po):
        entry.msgstr, entry.flags, entry.tcomment = f"ការបកប្រែ{'ក' * (n + 1)}", [], f"checked by Sokha ({n})"
    saved = tmp_path / "translator.po"
    saved.write_bytes(render_catalog(po))
    return saved


def test_reading_waits_for_an_in_place_save_to_finish(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_bytes(BEFORE.read_bytes())
    saved = _translator_version(tmp_path)
    editor = _start_editor(path, saved, "--cut", "header", "--pause", "0.8")
    try:
        catalog, seen = read_catalog(path)
    finally:
        editor.wait(timeout=30)
    if catalog is not None and len(catalog) == 0:
        pytest.skip("no file leases here: the half-saved catalog is caught by the entry counts instead")
    assert seen.digest == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert catalog is not None and len(catalog) == len(polib.pofile(str(saved)))


def test_a_catalog_still_being_saved_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_bytes(BEFORE.read_bytes())
    saved = _translator_version(tmp_path)
    editor = _start_editor(path, saved, "--cut", "header", "--pause", "3.5")
    try:
        with pytest.raises(BeingEditedError) as info:
            update_catalog(path, _add_entry("A new sentence."))
    finally:
        editor.wait(timeout=30)
    assert path.read_bytes() == saved.read_bytes()
    assert "article.po" in str(info.value) and len(str(info.value).splitlines()) == 1


@pytest.mark.parametrize("cut", ["header", "half"])
def test_a_catalog_cut_short_is_not_written(tmp_path: Path, cut: str) -> None:
    """An editor closed the file between the two parts of its save: the counts show the cut."""
    path = tmp_path / "article.po"
    saved = _translator_version(tmp_path)
    path.write_bytes(saved.read_bytes())
    known = KnownCatalogs()
    assert not update_catalog(path, lambda po: po, known=known).written  # read whole once: the last known state
    editor = _start_editor(path, saved, "--cut", cut, "--reopen", "--pause", "1.0")
    try:
        with pytest.raises(BeingEditedError) as info:
            update_catalog(path, _add_entry("A new sentence."), known=known)
    finally:
        editor.wait(timeout=30)
    assert ("holds only its header" if cut == "header" else "reviewed translations where it had 6") in str(info.value)
    assert path.read_bytes() == saved.read_bytes()
    assert _reviewed(path) == _reviewed(saved)
    update = update_catalog(path, _add_entry("A new sentence."), known=known)  # saved whole now: updated
    assert update.written and _reviewed(path) == _reviewed(saved)


def test_a_header_only_catalog_with_nothing_known_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    with pytest.raises(BeingEditedError, match="holds only its header"):
        update_catalog(path, _add_entry("A new sentence."))
    path.write_bytes(b"")
    with pytest.raises(BeingEditedError, match="is empty"):
        update_catalog(path, _add_entry("A new sentence."))


def test_a_skipped_catalog_found_unchanged_by_the_next_run_is_taken_as_it_is(tmp_path: Path) -> None:
    """A translator marked a reviewed entry fuzzy again: one run leaves it alone, the next one (same file) goes on."""
    path = tmp_path / "article.po"
    saved = _translator_version(tmp_path)
    path.write_bytes(saved.read_bytes())
    first = KnownCatalogs()
    update_catalog(path, lambda po: po, known=first)
    po = polib.pofile(str(path))
    po[0].flags = ["fuzzy"]
    path.write_bytes(render_catalog(po))
    with pytest.raises(BeingEditedError, match="5 reviewed translations where it had 6"):
        update_catalog(path, _add_entry("A new sentence."), known=first)
    second = KnownCatalogs(first.updated, first.skipped)  # as the state database hands it to the next run
    assert update_catalog(path, _add_entry("A new sentence."), known=second).written
    third = KnownCatalogs({str(path): ("x", first.last(path))}, first.skipped)  # type: ignore[dict-item]
    path.write_bytes(render_catalog(po))  # saved again (new time): not the state that was skipped
    with pytest.raises(BeingEditedError):
        update_catalog(path, _add_entry("Another sentence."), known=third)


def test_entries_made_obsolete_by_the_update_are_not_a_cut(tmp_path: Path) -> None:
    """The English lost sentences: the update makes reviewed entries obsolete; the file itself is whole."""
    path = tmp_path / "article.po"
    saved = _translator_version(tmp_path)
    path.write_bytes(saved.read_bytes())
    known = KnownCatalogs()
    update_catalog(path, lambda po: po, known=known)

    def drop_first(po: polib.POFile | None) -> polib.POFile:
        assert po is not None
        new = polib.pofile(str(po))
        new[0].obsolete = True
        return new

    assert update_catalog(path, drop_first, known=known).written
    assert update_catalog(path, _add_entry("A new sentence."), known=known).written


def _breaking_lease(inode: int) -> bool:
    locks = Path("/proc/locks")
    return locks.exists() and any("LEASE" in line and "BREAKING" in line and f":{inode} " in line for line in locks.read_text().splitlines())


def test_a_save_into_the_file_being_replaced_is_put_back_and_merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor opens the catalog to save it at the moment it is replaced: its save lands in the replaced file.

    The save is seen, put back in place once the editor is done, and the
    update is worked out again on it: both the translator's text and the
    update are in the catalog.
    """
    from translate.catalog import writers

    path = tmp_path / "article.po"
    path.write_bytes(BEFORE.read_bytes())
    probe = os.open(path, os.O_RDONLY)
    try:
        if writers.take(probe) is None:
            pytest.skip("no file leases here")
        writers.release(probe)
    finally:
        os.close(probe)
    saved = _translator_version(tmp_path)
    real_replace = os.replace
    editors: list[subprocess.Popen[str]] = []

    def replace_while_an_editor_opens_it(src: object, dst: object) -> None:
        if Path(str(dst)) == path and not editors:
            inode = path.stat().st_ino
            editors.append(subprocess.Popen([sys.executable, str(EDITOR), str(path), str(saved), "--pause", "0.3"], stdout=subprocess.PIPE, text=True))
            deadline = time.monotonic() + 20
            while not _breaking_lease(inode):  # the editor waits in open() for the lease
                assert time.monotonic() < deadline, "the editor never opened the file"
                time.sleep(0.01)
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_while_an_editor_opens_it)
    update = update_catalog(path, _add_entry("A new sentence."))
    monkeypatch.setattr(os, "replace", real_replace)
    editors[0].wait(timeout=30)
    assert update.written and update.attempts == 2
    assert _reviewed(path) == _reviewed(saved)
    assert polib.pofile(str(path)).find("A new sentence.") is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.po", "translator.po"]
    msgfmt_check(path)


def test_a_long_lived_memory_takes_a_skipped_catalog_once_it_has_settled(tmp_path: Path) -> None:
    """A program that keeps one memory (a library caller) is not stuck on a catalog a translator really changed."""
    path = tmp_path / "article.po"
    path.write_bytes(_translator_version(tmp_path).read_bytes())
    known = KnownCatalogs(settle=0.3)
    update_catalog(path, lambda po: po, known=known)
    po = polib.pofile(str(path))
    po[0].flags = ["fuzzy"]
    path.write_bytes(render_catalog(po))
    with pytest.raises(BeingEditedError):
        update_catalog(path, _add_entry("A new sentence."), known=known)
    with pytest.raises(BeingEditedError):  # not yet settled
        update_catalog(path, _add_entry("A new sentence."), known=known)
    time.sleep(0.35)
    assert update_catalog(path, _add_entry("A new sentence."), known=known).written


@pytest.mark.parametrize(
    ("line", "closed"),
    [
        ('msgid "Story"', True),
        ('msgid ""', True),
        ('""', True),
        ('"a \\"quoted\\" word"', True),
        ('"ends in a backslash \\\\"', True),
        ('msgstr[0] "x"  ', True),
        ('#~ msgstr "old"', True),
        ('#| msgid "previous"', True),
        ('"', False),
        ('msgid "', False),
        ('msgstr "unterminated', False),
        ('msgstr "escaped quote at the end \\"', False),
        ('"a \\\\\\"', False),
        ('#~ msgid "old', False),
        ('#| msgid "previous', False),
        ('msgstr[1] "x\\"  ', False),
    ],
)
def test_a_string_without_its_closing_quote_is_refused_with_its_line(tmp_path: Path, line: str, closed: bool) -> None:
    text = f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Before."\nmsgstr ""\n\n{line}\nmsgstr ""\n'
    try:
        parse_catalog(text.encode("utf-8"), tmp_path / "story.po")
    except CatalogError as error:
        found: tuple[str, int | None] | None = (error.message, error.line)
    else:
        found = None
    if closed:
        assert found is None or "no closing quote" not in found[0]
    else:
        assert found == ("is not a valid PO file: a string has no closing quote", 8)
