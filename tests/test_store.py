"""Safe catalog writes: atomic replacement, and no clobbering of a translator's save."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import polib
import pytest

from conftest import DATA, msgfmt_check
from translate.catalog.store import read_catalog, render_catalog, snapshot, update_catalog, write_atomic
from translate.errors import CatalogError, ConflictError

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
