"""The translation memory: real SQLite files, two processes, broken files."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import textwrap
import unicodedata
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import FROZEN_NOW, ROOT

from translate.errors import TranslateError
from translate.mt.memory import (
    MachineKey,
    MachineRecord,
    MemoryStats,
    MemoryStoreError,
    ReviewedRecord,
    TranslationMemory,
    default_memory_path,
    normalize_source,
)
from translate.mt.types import Issue

SETTINGS = "beam:4|maxnew:3x+10|maxin:200|lp:1|rp:1|nrng:0|retry:yes"
KEY = MachineKey(
    source="The minister said on Monday that prices would rise.",
    src="en",
    tgt="km",
    model="facebook/nllb-200-distilled-600M",
    revision="f8d333a098d19b4fd9a8b18f94170487ad3f821d",
    settings=SETTINGS,
)
KHMER = "រដ្ឋមន្ត្រីបាននិយាយកាលពីថ្ងៃច័ន្ទថាតម្លៃនឹងឡើង។"


class Clock:
    """A frozen clock that moves one second per reading."""

    def __init__(self, start: datetime = FROZEN_NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def reviewed(target: str, origin: str = "locales/km/LC_MESSAGES/a.po", source: str = KEY.source) -> ReviewedRecord:
    return ReviewedRecord(source=source, src="en", tgt="km", target=target, origin=origin)


@pytest.fixture
def memory(tmp_path: Path):
    with TranslationMemory(tmp_path / "cache" / "memory.sqlite3", clock=Clock()) as tm:
        yield tm


# Machine translations


def test_machine_round_trip_keeps_target_issues_and_time(memory: TranslationMemory) -> None:
    record = MachineRecord(KEY, KHMER, (Issue.REPETITION, Issue.HIT_LENGTH_CAP))
    memory.put_machine([record])
    found = memory.get_machine(KEY)
    assert found == record
    assert found is not None and found.issues == (Issue.REPETITION, Issue.HIT_LENGTH_CAP)
    assert found.created == FROZEN_NOW + timedelta(seconds=1)
    assert memory.get_machine(replace(KEY, tgt="th")) is None


@pytest.mark.parametrize(
    ("changed", "hits"),
    [
        pytest.param({"revision": "0" * 40}, False, id="other-revision"),
        pytest.param({"settings": SETTINGS.replace("beam:4", "beam:5")}, False, id="other-settings"),
        pytest.param({"model": "facebook/nllb-200-1.3B"}, False, id="other-model"),
        pytest.param({"src": "fr"}, False, id="other-source-language"),
        pytest.param({"source": KEY.source.replace("Monday", "Tuesday")}, False, id="changed-word"),
        pytest.param({"source": KEY.source.replace("prices", "price")}, False, id="one-character-less"),
        pytest.param({"source": KEY.source.replace(" ", "\u00a0", 1)}, False, id="no-break-space-differs"),
        pytest.param({"source": KEY.source.replace(" ", "\u200b", 1)}, False, id="zero-width-space-differs"),
        pytest.param({"source": KEY.source.replace("said", "SAID")}, False, id="case-differs"),
        pytest.param({"source": KEY.source.replace(" ", "\n  ", 2)}, True, id="rewrapped-line"),
        pytest.param({"source": " \t" + KEY.source + "\r\n"}, True, id="surrounding-white-space"),
        pytest.param({"source": KEY.source.replace(" ", "   ")}, True, id="doubled-spaces"),
    ],
)
def test_machine_key_sensitivity(memory: TranslationMemory, changed: dict[str, str], hits: bool) -> None:
    memory.put_machine([MachineRecord(KEY, KHMER)])
    found = memory.get_machine(replace(KEY, **changed))
    assert (found is not None) == hits
    if found is not None:
        assert found.key == replace(KEY, **changed)  # returned under the key that was asked for
        assert found.target == KHMER


def test_nfc_and_nfd_spellings_hit_the_same_record(memory: TranslationMemory) -> None:
    source = "Café owners in Phnom Penh protested the new régime of taxes."
    nfd = unicodedata.normalize("NFD", source)
    assert nfd != source
    memory.put_machine([MachineRecord(replace(KEY, source=nfd), KHMER)])
    assert memory.get_machine(replace(KEY, source=source)) is not None
    assert normalize_source(nfd) == normalize_source(source) == source
    memory.put_reviewed([reviewed(KHMER, source=source)])
    assert memory.get_reviewed(nfd, "en", "km") is not None


def test_machine_upsert_replaces_target_and_issues(memory: TranslationMemory) -> None:
    memory.put_machine([MachineRecord(KEY, "first", (Issue.EMPTY,))])
    memory.put_machine([MachineRecord(replace(KEY, source=KEY.source + "  "), KHMER)])
    found = memory.get_machine(KEY)
    assert found is not None and (found.target, found.issues) == (KHMER, ())
    assert memory.stats().machine == 1


def test_get_machine_many_with_5000_keys_returns_exactly_the_stored_ones(memory: TranslationMemory) -> None:
    keys = [replace(KEY, source=f"Sentence number {i} of the article.") for i in range(5000)]
    other_model = [replace(key, model="opus-mt-en-mul") for key in keys[:300]]
    memory.put_machine(MachineRecord(key, f"ប្រយោគ {i}") for i, key in enumerate(keys) if i % 3 == 0)
    memory.put_machine(MachineRecord(key, "other") for key in other_model[::2])
    found = memory.get_machine_many(keys + other_model)
    expected = {key for i, key in enumerate(keys) if i % 3 == 0} | set(other_model[::2])
    assert set(found) == expected
    assert all(found[key].target == f"ប្រយោគ {i}" for i, key in enumerate(keys) if i % 3 == 0)
    assert all(found[key].target == "other" for key in other_model[::2])


def test_get_machine_many_answers_every_white_space_variant_asked(memory: TranslationMemory) -> None:
    memory.put_machine([MachineRecord(KEY, KHMER)])
    variants = [KEY, replace(KEY, source=KEY.source.replace(" ", "\n", 1)), KEY]
    assert set(memory.get_machine_many(variants)) == set(variants)
    assert memory.get_machine_many([]) == {}


# Reviewed translations


def test_reviewed_round_trip(memory: TranslationMemory) -> None:
    record = reviewed(KHMER)
    memory.put_reviewed([record])
    assert memory.get_reviewed(KEY.source, "en", "km") == record
    assert memory.get_reviewed(KEY.source, "en", "th") is None
    assert memory.get_reviewed("Another sentence.", "en", "km") is None


def test_reviewed_lookup_returns_the_most_recently_updated(memory: TranslationMemory) -> None:
    memory.put_reviewed([reviewed("old", "a.po")])
    memory.put_reviewed([reviewed("new", "b.po")])
    assert memory.get_reviewed(KEY.source, "en", "km") == reviewed("new", "b.po")
    memory.put_reviewed([reviewed("old", "c.po")])  # reviewed again later: it is the latest now
    latest = memory.get_reviewed(KEY.source, "en", "km")
    assert latest == reviewed("old", "c.po")
    assert memory.stats() == MemoryStats(machine=0, reviewed=2, conflicts=1)


def test_reviewed_explicit_times_order_lookups(memory: TranslationMemory) -> None:
    memory.put_reviewed([replace(reviewed("later"), updated=FROZEN_NOW)])
    memory.put_reviewed([replace(reviewed("earlier", "b.po"), updated=FROZEN_NOW - timedelta(days=3))])
    found = memory.get_reviewed(KEY.source, "en", "km")
    assert found is not None and found.target == "later" and found.updated == FROZEN_NOW


def test_reviewed_same_time_the_last_written_wins(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "m.sqlite3", clock=lambda: FROZEN_NOW) as memory:
        memory.put_reviewed([reviewed("one"), reviewed("two")])
        assert memory.get_reviewed(KEY.source, "en", "km") == reviewed("two")
        memory.put_reviewed([reviewed("one")])
        assert memory.get_reviewed(KEY.source, "en", "km") == reviewed("one")


def test_reviewed_upsert_per_target(memory: TranslationMemory) -> None:
    memory.put_reviewed([reviewed(KHMER, "a.po"), reviewed(KHMER, "b.po")])
    assert memory.stats().reviewed == 1
    found = memory.get_reviewed(KEY.source.replace(" ", "\n"), "en", "km")
    assert found is not None and found.origin == "b.po"


def test_get_reviewed_many(memory: TranslationMemory) -> None:
    sources = [f"Reviewed sentence {i}." for i in range(1200)]
    memory.put_reviewed(reviewed(f"ប្រយោគ {i}", source=s) for i, s in enumerate(sources) if i % 2)
    asked = sources + ["Reviewed  sentence 1."]
    found = memory.get_reviewed_many(asked, "en", "km")
    assert set(found) == {s for i, s in enumerate(sources) if i % 2} | {"Reviewed  sentence 1."}
    assert found["Reviewed  sentence 1."].target == "ប្រយោគ 1"


def test_conflicts_list_sentences_with_several_reviewed_translations(memory: TranslationMemory) -> None:
    memory.put_reviewed([reviewed("A", "a.po"), reviewed("B", "b.po")])
    memory.put_reviewed([reviewed("only", source="Agreed sentence.")])
    memory.put_reviewed([replace(reviewed("ไทย"), tgt="th")])
    conflicts = memory.conflicts()
    assert len(conflicts) == 1
    assert (conflicts[0].source, conflicts[0].tgt) == (KEY.source, "km")
    assert [r.target for r in conflicts[0].translations] == ["B", "A"]  # most recent first
    assert memory.conflicts(tgt="th") == []
    assert len(memory.conflicts(src="en", tgt="km")) == 1


# The file


def test_file_is_wal_and_survives_close_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "memory.sqlite3"
    with TranslationMemory(path) as memory:
        memory.put_machine([MachineRecord(KEY, KHMER, (Issue.SPLIT,))])
        memory.put_reviewed([reviewed(KHMER)])
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with TranslationMemory(path) as memory:
        assert memory.get_machine(KEY) == MachineRecord(KEY, KHMER, (Issue.SPLIT,))
        assert memory.get_reviewed(KEY.source, "en", "km") == reviewed(KHMER)
        assert memory.stats() == MemoryStats(machine=1, reviewed=1, conflicts=0)


def test_in_memory_database_works() -> None:
    with TranslationMemory(":memory:") as memory:
        memory.put_machine([MachineRecord(KEY, KHMER)])
        assert memory.get_machine(KEY) is not None


def test_readonly_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    with TranslationMemory(path) as memory:
        memory.put_machine([MachineRecord(KEY, KHMER)])
    with TranslationMemory(path, readonly=True) as memory:
        assert memory.get_machine(KEY) is not None
        with pytest.raises(MemoryStoreError, match="read-only"):
            memory.put_machine([MachineRecord(KEY, "other")])
    with pytest.raises(MemoryStoreError, match="no translation memory") as caught:
        TranslationMemory(tmp_path / "missing.sqlite3", readonly=True)
    assert caught.value.path == str(tmp_path / "missing.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()


def test_a_failed_write_leaves_nothing_behind(memory: TranslationMemory) -> None:
    def records():
        yield MachineRecord(KEY, KHMER)
        raise RuntimeError("engine crashed")

    with pytest.raises(RuntimeError):
        memory.put_machine(records())
    assert memory.stats().machine == 0
    memory.put_machine([MachineRecord(KEY, KHMER)])  # the memory is still usable
    assert memory.stats().machine == 1


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from translate.mt.memory import MachineKey, MachineRecord, TranslationMemory

    path, name, go = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.001)
    with TranslationMemory(path) as memory:
        for batch in range(20):
            keys = [MachineKey(f"{name} sentence {batch}-{i}.", "en", "km", "m", "r", "s") for i in range(25)]
            memory.put_machine(MachineRecord(key, name) for key in keys)
            memory.put_reviewed([])
            assert len(memory.get_machine_many(keys)) == 25
    """
)


def test_two_processes_write_concurrently(tmp_path: Path) -> None:
    path, go = tmp_path / "shared" / "memory.sqlite3", tmp_path / "go"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    go.touch()  # both start at once, and both create the new file
    results = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, stderr) in zip(writers, results):
        assert writer.returncode == 0, stderr
        assert "locked" not in stderr
    with TranslationMemory(path) as memory:
        assert memory.stats().machine == 1000


def test_corrupt_file_names_the_path_and_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    path.write_bytes(random.Random(7).randbytes(16384))
    with pytest.raises(MemoryStoreError) as caught:
        TranslationMemory(path)
    error = caught.value
    assert isinstance(error, TranslateError)
    assert error.path == str(path) and str(error).startswith(str(path))
    assert "delete it to start a new memory, or point --memory elsewhere" in str(error)
    assert error.__cause__ is not None  # chained, never a bare sqlite3 traceback


def test_truncated_memory_fails_with_library_error(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    keys = [replace(KEY, source=f"A rather long sentence, number {i}, about the economy.") for i in range(3000)]
    with TranslationMemory(path) as memory:
        memory.put_machine(MachineRecord(key, KHMER * 3) for key in keys)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size // 3)
    with pytest.raises(MemoryStoreError) as caught, TranslationMemory(path) as memory:
        memory.get_machine_many(keys)
        memory.stats()
    assert caught.value.path == str(path)
    assert caught.value.hint == "delete it to start a new memory, or point --memory elsewhere"


def test_text_file_is_not_a_memory(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("This is not a database, just some notes.\n" * 100, encoding="utf-8")
    with pytest.raises(MemoryStoreError, match="not a readable translation memory"):
        TranslationMemory(path)


def test_other_sqlite_database_is_not_a_memory(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE photos (name TEXT)")
    raw.close()
    with pytest.raises(MemoryStoreError, match="not a translation memory"):
        TranslationMemory(path)


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite3"
    TranslationMemory(path).close()
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 7")
    raw.close()
    with pytest.raises(MemoryStoreError, match=r"newer version of translate \(memory schema 7") as caught:
        TranslationMemory(path)
    assert caught.value.hint is not None and "upgrade translate" in caught.value.hint


def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(MemoryStoreError, match="cannot create the folder") as caught:
        TranslationMemory(blocker / "translate" / "memory.sqlite3")
    assert caught.value.hint == "point --memory at a writable place"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="folder permissions do not bind root")
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(MemoryStoreError, match="cannot open"):
            TranslationMemory(folder / "memory.sqlite3")
    finally:
        folder.chmod(0o755)


def test_closed_memory_raises_library_error(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "m.sqlite3")
    memory.close()
    with pytest.raises(MemoryStoreError, match="closed"):
        memory.get_machine(KEY)


# Where it lives


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"HOME": "/home/ann"}, "/home/ann/.cache/translate/memory.sqlite3", id="neither"),
        pytest.param(
            {"HOME": "/home/ann", "XDG_CACHE_HOME": "/var/cache/ann"},
            "/var/cache/ann/translate/memory.sqlite3",
            id="xdg-cache-home",
        ),
        pytest.param(
            {"HOME": "/home/ann", "XDG_CACHE_HOME": "relative/cache"},
            "/home/ann/.cache/translate/memory.sqlite3",
            id="relative-xdg-ignored",
        ),
        pytest.param(
            {"HOME": "/home/ann", "XDG_CACHE_HOME": "/var/cache/ann", "TRANSLATE_MEMORY": "/srv/tm.sqlite3"},
            "/srv/tm.sqlite3",
            id="translate-memory-wins",
        ),
        pytest.param({"HOME": "/home/ann", "TRANSLATE_MEMORY": "~/tm.sqlite3"}, "/home/ann/tm.sqlite3", id="tilde"),
    ],
)
def test_default_memory_path(env: dict[str, str], expected: str) -> None:
    assert default_memory_path(env) == Path(expected)
