"""The messages of one request and the strict reading of the reply.

A request carries a batch of consecutive masked sentences of one article as a
numbered list, the sentences around the batch as read-only context, and the
glossary terms behind the batch's placeholders. The reply must be exactly one
line per sentence, numbered in order, each line holding exactly the
placeholders of its sentence; anything else is refused
(:class:`Reading` says why) and the caller asks again with a smaller batch.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass

from translate.languages import Language
from translate.mt.llm.settings import PromptTemplate
from translate.mt.types import TermNote

#: How models write a placeholder (as :mod:`translate.mt.protect` reads them back).
_PLACEHOLDER = re.compile(r"[{｛]\s*([0-9០-៩０-９]+)\s*[}｝]")
_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩０１２３４５６７８９", "01234567890123456789")
_NUMBERED = re.compile(r"([0-9០-៩]+)\s*[.)](?:\s+(.*))?")
_THINKING = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"\A```[^\n]*\n(.*?)\n?```\Z", re.DOTALL)
_SPACE = re.compile(r"\s+")
#: Control characters no translation holds (a line end is kept: it separates the lines).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Batch:
    """Consecutive sentences of one article sent in one request.

    Attributes:
        sentences: the masked sentences, in article order.
        before: the sentences before the first one, nearest last (read-only context).
        after: the sentences after the last one, nearest first.
        terms: ``(sentence number from 1, term)`` for each glossary term behind a placeholder.
    """

    sentences: tuple[str, ...]
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    terms: tuple[tuple[int, TermNote], ...] = ()


@dataclass(frozen=True)
class Reading:
    """What was read from a reply: one translation per sentence, or why the reply was refused."""

    lines: tuple[str, ...] | None
    problem: str = ""


def one_line(text: str) -> str:
    """``text`` on one line: every run of white space (line ends included) becomes one space."""
    return _SPACE.sub(" ", text).strip()


def placeholders(text: str) -> list[str]:
    """The placeholders of ``text`` as ``{n}`` with ASCII digits, sorted (a multiset)."""
    return sorted("{" + str(int(m.group(1).translate(_DIGITS))) + "}" for m in _PLACEHOLDER.finditer(text))


def messages(batch: Batch, template: PromptTemplate, src: Language, tgt: Language) -> list[dict[str, str]]:
    """The chat messages (system, user) asking for the translation of ``batch``."""
    fields = {
        "source_language": src.english_name,
        "target_language": tgt.english_name,
        "target_code": tgt.code,
        "instructions": template.instructions,
        "count": str(len(batch.sentences)),
        "glossary": _glossary(batch),
        "context": _context(batch),
        "sentences": "\n".join(f"{number}. {one_line(sentence)}" for number, sentence in enumerate(batch.sentences, 1)),
    }
    return [
        {"role": "system", "content": string.Template(template.system).substitute(fields).strip()},
        {"role": "user", "content": string.Template(template.user).substitute(fields).strip()},
    ]


def _glossary(batch: Batch) -> str:
    if not batch.terms:
        return ""
    lines = [f'- in sentence {number}, {term.placeholder} is "{term.source}", translated "{term.target or term.source}"' for number, term in batch.terms]
    return "\nGlossary (each of these placeholders will be replaced by its approved translation; build the sentence around it):\n" + "\n".join(lines) + "\n"


def _context(batch: Batch) -> str:
    if not batch.before and not batch.after:
        return ""
    lines = ["", "Context, for understanding only (do not translate it):"]
    if batch.before:
        lines.append("Before the sentences: " + " ".join(one_line(s) for s in batch.before))
    if batch.after:
        lines.append("After the sentences: " + " ".join(one_line(s) for s in batch.after))
    return "\n".join(lines) + "\n"


def _clean(reply: str) -> str:
    """The reply without reasoning blocks, control characters (a tab becomes a space) and a code fence around it."""
    text = _CONTROL.sub("", _THINKING.sub("", reply).replace("\t", " ")).strip()
    fenced = _FENCE.match(text)
    return fenced.group(1).strip() if fenced else text


def read_reply(reply: str, sentences: Sequence[str]) -> Reading:
    """Read a reply strictly: exactly one numbered line per sentence, in order, placeholders kept.

    Blank lines are ignored, and so are a reasoning block (``<think>…</think>``)
    and a code fence around the whole reply.
    """
    lines = [line.strip() for line in _clean(reply).split("\n") if line.strip()]
    if len(lines) != len(sentences):
        return Reading(None, f"{len(lines)} lines for {len(sentences)} sentences")
    out = []
    for expected, (line, sentence) in enumerate(zip(lines, sentences, strict=True), 1):
        match = _NUMBERED.fullmatch(line)
        if match is None:
            return Reading(None, f"line {expected} is not numbered: {line[:40]!r}")
        number = int(match.group(1).translate(_DIGITS))
        if number != expected:
            return Reading(None, f"line {expected} is numbered {number}")
        text = (match.group(2) or "").strip()
        if not text:
            return Reading(None, f"line {expected} is empty")
        if placeholders(text) != placeholders(sentence):
            return Reading(None, f"line {expected} has placeholders {' '.join(placeholders(text)) or 'none'}, its sentence {' '.join(placeholders(sentence)) or 'none'}")
        out.append(text)
    return Reading(tuple(out))


def read_single(reply: str) -> tuple[str, bool]:
    """The best reading of a reply for one sentence, and whether it had the asked-for form.

    The form is one line starting with ``1.``. Otherwise lines before a line
    starting with ``1.`` (a preamble) are dropped, the number too, and the rest
    is joined with spaces.
    """
    lines = [line.strip() for line in _clean(reply).split("\n") if line.strip()]
    for index, line in enumerate(lines):
        match = _NUMBERED.fullmatch(line)
        if match is not None and int(match.group(1).translate(_DIGITS)) == 1:
            rest = [(match.group(2) or "").strip(), *lines[index + 1 :]]
            return " ".join(part for part in rest if part), index == 0 and len(lines) == 1
    return " ".join(lines), False
