"""An engine that knows the answers: each test sentence's reference translation.

It measures what the pipeline itself loses. Given a perfect translation of
every sentence, reading, segmentation, masking, catalogs, post-processing and
publishing should give back the references; whatever is lost on the way is
the pipeline's doing (see :mod:`translate.eval.lossless`).

The engine sees what ``translate mt`` gives any engine: the *masked* text of
each sentence that segmentation found. Its answers are therefore keyed by the
masked text, and a masked piece (a URL, an e-mail address) is written into the
answer as its placeholder wherever the reference holds it as written, so that
restoring puts it back.

Segmentation need not find the test lines. Each document's sentences are
aligned with its lines by their places in the paragraph
(:func:`align`): a sentence that joins several lines is answered with their
references joined; a line split into several sentences has its reference
split at sentence ends, and each part answers one sentence when the counts
agree. When they do not, the first sentence gets the whole reference and the
others nothing, and the document is reported as a segmentation difference.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.eval.testset import Document
from translate.languages import Language
from translate.mt.backends.common import engine_signature
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.protect import mask
from translate.mt.types import EngineSignature, Issue, Translation

#: The stand-in model: its name and revision go into provenance like any model's.
ORACLE_MODEL = ResolvedModel("reference-oracle", Path("."), "oracle", "references", "none")

#: Where a reference splits into sentences: after a sentence-final mark and its closing quotes, before
#: white space or ZERO WIDTH SPACE. Khmer text ends sentences with ។ (a "." there ends "Jr." or "U.S.").
_KHMER_END = re.compile(r"(?:(?<=[។៕?!])|(?<=[។៕?!][\"'”’»)]))(?:\s+|\u200b+)(?=\S)")
_LATIN_END = re.compile(r"(?:(?<=[.?!])|(?<=[.?!][\"'”’»)]))\s+(?=\S)")


@dataclass(frozen=True)
class Group:
    """Lines and the sentences segmentation made of them, with the same outer boundaries.

    Attributes:
        lines: indexes of the document's lines.
        sentences: indexes of the segments.
        answers: one answer per segment.
        aligned: whether every segment got its own part of the references.
    """

    lines: tuple[int, ...]
    sentences: tuple[int, ...]
    answers: tuple[str, ...]
    aligned: bool

    @property
    def kind(self) -> str:
        """``same``, ``joined`` (several lines, one sentence), ``split`` (one line, several sentences) or ``crossed``."""
        if len(self.lines) == len(self.sentences) == 1:
            return "same"
        if len(self.sentences) == 1:
            return "joined"
        return "split" if len(self.lines) == 1 else "crossed"


def split_reference(text: str) -> list[str]:
    """A reference's sentences: split after ។ (or, in text without it, after . ? !) and the space after it."""
    pattern = _KHMER_END if "។" in text else _LATIN_END
    return [part for part in pattern.split(text.strip()) if part]


def _spans(parts: Sequence[str], paragraph: str) -> list[tuple[int, int]] | None:
    spans = []
    position = 0
    for part in parts:
        start = paragraph.find(part.strip(), position)
        if start < 0:
            return None
        position = start + len(part.strip())
        spans.append((start, position))
    return spans


def align(document: Document, segments: Sequence[str], paragraph: str, joiner: str) -> tuple[Group, ...] | None:
    """Group the document's lines and segments at their shared boundaries; ``None`` if a segment is not in the paragraph."""
    lines = [line for line in document.sources]
    line_spans = _spans(lines, paragraph)
    segment_spans = _spans(segments, paragraph)
    if line_spans is None or segment_spans is None:
        return None
    line_ends = {end for _, end in line_spans}
    groups: list[Group] = []
    line_index = segment_index = 0
    while segment_index < len(segments):
        first_line, first_segment = line_index, segment_index
        while True:
            end = segment_spans[segment_index][1]
            segment_index += 1
            if end in line_ends or segment_index == len(segments):
                break
        while line_index < len(lines) and line_spans[line_index][1] <= end:
            line_index += 1
        if segment_index == len(segments):
            line_index = len(lines)
        line_group = tuple(range(first_line, line_index))
        segment_group = tuple(range(first_segment, segment_index))
        reference = joiner.join(document.references[i].strip() for i in line_group)
        if len(segment_group) == 1:
            answers, aligned = (reference,), True
        else:
            parts = split_reference(reference)
            aligned = len(parts) == len(segment_group)
            answers = tuple(parts) if aligned else (reference, *([""] * (len(segment_group) - 1)))
        groups.append(Group(line_group, segment_group, answers, aligned))
    return tuple(groups)


def with_placeholders(source: str, answer: str) -> str:
    """``answer`` as the engine must give it for ``source``: each masked piece replaced by its placeholder, where found."""
    masked = mask(source)
    for number, atom in enumerate(masked.atoms, 1):
        if atom.source in answer:
            answer = answer.replace(atom.source, "{" + str(number) + "}", 1)
    return answer


@dataclass
class OracleEngine:
    """Answers each masked sentence from a table; an engine like any other to ``translate mt``.

    Attributes:
        answers: masked text -> answer (with placeholders).
        unknown: masked texts it was asked and had no answer for (answered with nothing).
    """

    answers: Mapping[str, str]
    unknown: list[str] = field(default_factory=list)
    backend: str = "oracle"
    model: ResolvedModel = ORACLE_MODEL
    config: DecodingConfig = field(default_factory=DecodingConfig)
    model_calls: int = 0
    on_batch: Callable[[int], None] | None = None

    @property
    def signature(self) -> EngineSignature:
        """What produces its text: the table (no device, no decoding)."""
        return engine_signature(self.backend, self.model, "none", "none", f"{self.backend}|{self.config.signature()}")

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        self.model_calls += 1
        out = []
        for sentence in sentences:
            answer = self.answers.get(sentence)
            if answer is None:
                self.unknown.append(sentence)
            out.append(Translation(source=sentence, text=answer or "", issues=() if answer else (Issue.EMPTY,)))
        if self.on_batch is not None:
            self.on_batch(len(sentences))
        return out


def answer_table(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """``(source sentence, answer)`` pairs as the engine's table: masked text -> answer with placeholders (first answer wins)."""
    table: dict[str, str] = {}
    for source, answer in pairs:
        table.setdefault(mask(source).text, with_placeholders(source, answer))
    return table
