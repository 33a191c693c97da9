"""Test files for `translate eval`: FLORES and NTREX lines, alignment errors, documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import TranslateError
from translate.eval import (
    TestSet,
    group_by_ids,
    group_consecutive,
    read_doc_ids,
    read_lines,
    read_test_set,
)


def _write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("one\ntwo\n", ["one", "two"], id="flores"),
        pytest.param(b"\xef\xbb\xbfone\r\ntwo\r\n", ["one", "two"], id="bom-crlf"),
        pytest.param("one\ntwo\n\n\n  \n", ["one", "two"], id="trailing-blank-lines"),
        pytest.param("one\n\nthree", ["one", "", "three"], id="inner-blank-line-kept"),
        pytest.param("a\u2028b\x85c\x0bd\nnext\n", ["a\u2028b\x85c\x0bd", "next"], id="only-newline-ends-a-line"),
        pytest.param("", [], id="empty"),
    ],
)
def test_read_lines(tmp_path: Path, data: str | bytes, expected: list[str]) -> None:
    assert read_lines(_write(tmp_path / "f.txt", data)) == expected


def test_read_lines_limit_and_bad_encoding(tmp_path: Path) -> None:
    assert read_lines(_write(tmp_path / "f.txt", "a\nb\nc\n"), limit=2) == ["a", "b"]
    with pytest.raises(TranslateError, match="UTF-8"):
        read_lines(_write(tmp_path / "latin1.txt", "caf\xe9\n".encode("latin-1")))


def test_ntrex_files_with_bom_and_trailing_blank_lines_align(tmp_path: Path) -> None:
    src = _write(tmp_path / "newstest2019-src.eng.txt", b"\xef\xbb\xbfWelcome.\nThank you.\n\n")
    ref = _write(tmp_path / "newstest2019-ref.khm.txt", "\ufeffសូមស្វាគមន៍។\nអរគុណ។\n")
    test_set = read_test_set(src, ref)
    assert test_set.sources == ("Welcome.", "Thank you.")
    assert test_set.references == ("សូមស្វាគមន៍។", "អរគុណ។")


def test_mismatched_line_counts_name_both_files(tmp_path: Path) -> None:
    src = _write(tmp_path / "newstest2019-src.eng.txt", "a\nb\nc\n")
    ref = _write(tmp_path / "newstest2019-ref.khm.txt", "ក\nខ\n")
    with pytest.raises(TranslateError) as caught:
        read_test_set(src, ref, limit=2)  # the counts of the whole files are compared
    message = str(caught.value)
    assert "\n" not in message
    assert f"{src} has 3 lines" in message and f"{ref} has 2" in message


def _set(n: int, src: Path = Path("s")) -> TestSet:
    return TestSet(src, Path("r"), tuple(f"s{i}" for i in range(1, n + 1)), tuple(f"r{i}" for i in range(1, n + 1)))


def test_empty_source_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TranslateError, match=r"src.txt: has no sentences"):
        read_test_set(_write(tmp_path / "src.txt", "\n\n"), _write(tmp_path / "ref.txt", ""))


def test_group_consecutive() -> None:
    documents = group_consecutive(_set(10), 4)
    assert [d.id for d in documents] == ["1", "2", "3"]
    assert [d.first_line for d in documents] == [1, 5, 9]
    assert documents[2].sources == ("s9", "s10") and documents[2].references == ("r9", "r10")
    with pytest.raises(TranslateError):
        group_consecutive(_set(3), 0)


def test_group_by_ids(tmp_path: Path) -> None:
    src = _write(tmp_path / "src.txt", "".join(f"s{i}\n" for i in range(1, 7)))
    test_set = _set(5, src)  # --limit 5: the ids of the first 5 lines
    ids_file = _write(tmp_path / "docids.txt", "a\na\nb\nc\nc\nd\n")
    documents = group_by_ids(test_set, read_doc_ids(ids_file, test_set), ids_file)
    assert [(d.id, d.first_line, d.sources) for d in documents] == [("a", 1, ("s1", "s2")), ("b", 3, ("s3",)), ("c", 4, ("s4", "s5"))]


@pytest.mark.parametrize(
    ("ids", "match"),
    [
        pytest.param("a\nb\na\nc\nc\n", r"docids.txt:3: document 'a' continues after other documents", id="not-consecutive"),
        pytest.param("a\n \nb\nb\nb\n", r"docids.txt:2: blank document id", id="blank"),
        pytest.param("a\nb\n", r"docids.txt has 2 document ids, \S*src.txt has 5 lines", id="too-few"),
        pytest.param("a\na\nb\nb\nb\nc\n", r"docids.txt has 6 document ids, \S*src.txt has 5 lines", id="too-many"),
    ],
)
def test_bad_doc_ids(tmp_path: Path, ids: str, match: str) -> None:
    test_set = _set(5, _write(tmp_path / "src.txt", "".join(f"s{i}\n" for i in range(1, 6))))
    ids_file = _write(tmp_path / "docids.txt", ids)
    with pytest.raises(TranslateError, match=match):
        group_by_ids(test_set, read_doc_ids(ids_file, test_set), ids_file)
