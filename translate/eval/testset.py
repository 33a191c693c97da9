"""Aligned test files: FLORES-200 and NTREX-128 sentences, and their grouping into documents.

Both sets are plain UTF-8 text, one sentence per line, aligned line by line:
FLORES-200 ``eng_Latn.dev`` / ``khm_Khmr.dev``, NTREX-128
``newstest2019-src.eng.txt`` / ``newstest2019-ref.khm.txt``. NTREX files may
start with a byte-order mark and end with blank lines; both are dropped. Lines
are split at ``\\n`` only (with a ``\\r`` before it removed), never at the other
characters :meth:`str.splitlines` treats as line ends (U+2028, U+0085, ...),
which would shift the alignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError


@dataclass(frozen=True)
class TestSet:
    """Source sentences and their references, aligned.

    Attributes:
        src: the source file.
        ref: the reference file.
        sources: the source sentences, in file order.
        references: one reference per source sentence.
    """

    __test__ = False  # not a pytest test class

    src: Path
    ref: Path
    sources: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """Consecutive sentences of a test set scored together.

    Attributes:
        id: the document id (from ``--doc-ids``, or the 1-based group number).
        first_line: 1-based line of its first sentence in the test files.
        sources: its source sentences.
        references: their references.
    """

    id: str
    first_line: int
    sources: tuple[str, ...]
    references: tuple[str, ...]


def read_lines(path: Path, limit: int | None = None) -> list[str]:
    """The sentences of a test file, one per line, at most ``limit``.

    A leading byte-order mark and trailing blank lines are dropped; blank lines
    elsewhere are kept, so that the alignment holds.

    Raises:
        TranslateError: the file cannot be read or is not UTF-8.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TranslateError(f"cannot be read: {error}", path=path, hint="give a UTF-8 file with one sentence per line") from error
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines if limit is None else lines[:limit]


def read_test_set(src: Path, ref: Path, limit: int | None = None) -> TestSet:
    """Read aligned source and reference files (FLORES or NTREX style).

    Raises:
        TranslateError: a file cannot be read, is empty, or the line counts differ.
    """
    sources = read_lines(src)
    references = read_lines(ref)
    if not sources:
        raise TranslateError("has no sentences", path=src, hint="give a file with one sentence per line")
    if len(sources) != len(references):
        raise TranslateError(
            f"line counts differ: {src} has {len(sources)} lines, {ref} has {len(references)}",
            hint="give aligned files, one sentence per line",
        )
    if limit is not None:
        sources, references = sources[:limit], references[:limit]
    return TestSet(src, ref, tuple(sources), tuple(references))


def group_consecutive(test_set: TestSet, size: int) -> tuple[Document, ...]:
    """Documents of ``size`` consecutive sentences (the last one may be shorter).

    Raises:
        TranslateError: ``size`` is below 1.
    """
    if size < 1:
        raise TranslateError(f"a document needs at least one sentence, not {size}", hint="pass --documents N with N >= 1")
    return tuple(
        Document(str(start // size + 1), start + 1, test_set.sources[start : start + size], test_set.references[start : start + size])
        for start in range(0, len(test_set.sources), size)
    )


def read_doc_ids(path: Path, test_set: TestSet) -> tuple[str, ...]:
    """The document id of each sentence of ``test_set``, one per line of ``path``.

    Raises:
        TranslateError: unreadable, a blank id, or not one id per line of the source file.
    """
    ids = read_lines(path)
    lines = len(read_lines(test_set.src))
    if len(ids) != lines:
        raise TranslateError(
            f"line counts differ: {path} has {len(ids)} document ids, {test_set.src} has {lines} lines",
            hint="give one document id per line of --src",
        )
    ids = ids[: len(test_set.sources)]
    for number, value in enumerate(ids, 1):
        if not value.strip():
            raise TranslateError("blank document id", path=path, line=number, hint="give one document id per line of --src")
    return tuple(value.strip() for value in ids)


def group_by_ids(test_set: TestSet, ids: Sequence[str], ids_path: Path | None = None) -> tuple[Document, ...]:
    """Documents of consecutive sentences sharing an id (WMT ``docid`` style).

    Raises:
        TranslateError: the ids and sentences differ in number, or a document's
            sentences are not consecutive.
    """
    if len(ids) != len(test_set.sources):
        raise TranslateError(f"{len(ids)} document ids for {len(test_set.sources)} sentences", path=ids_path, hint="give one document id per line of --src")
    documents: list[Document] = []
    seen: set[str] = set()
    start = 0
    for end in range(1, len(ids) + 1):
        if end < len(ids) and ids[end] == ids[start]:
            continue
        doc_id = ids[start]
        if doc_id in seen:
            raise TranslateError(f"document {doc_id!r} continues after other documents", path=ids_path, line=start + 1, hint="a document's sentences must be consecutive lines")
        seen.add(doc_id)
        documents.append(Document(doc_id, start + 1, test_set.sources[start:end], test_set.references[start:end]))
        start = end
    return tuple(documents)
