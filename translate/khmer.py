"""Khmer text: character order, spacing, sentence ends and digits of machine output.

Unicode NFC does not put Khmer characters in a canonical order: the same
rendered syllable can be typed (or generated) in several orders, which breaks
search, spell checking and scoring. :func:`normalize_order` sorts each
syllable's marks in the order of the Khmer encoding structure, following SIL's
``khnormal`` algorithm (sillsdev/khmer-character-specification) with its
character categories, but only its order-preserving parts:

* marks after a base consonant are sorted by category (robat, subscript
  consonants, register shifters, ZWNJ, pre/below/above/post vowels, signs);
* a split vowel is composed (E + II -> OE, E + AA -> AU) and a doubled coeng
  is collapsed;
* a subscript RO comes after another subscript consonant.

Left out on purpose, because they change text a Khmer reader would call
correct: ``khnormal``'s rewriting of coeng DA into coeng TA (both are written;
FLORES references use coeng DA in 94 lines), its replacement of the -u vowel
by a register shifter, and lunar-date symbols. ZERO WIDTH SPACE, which marks
word breaks, is never touched. On the 997 FLORES-200 Khmer reference
sentences the ordering is idempotent, keeps every ZWSP and every coeng DA,
and changes 34 lines: 31 by putting subscript RO second (``ស្រ្ត`` ->
``ស្ត្រ``), 3 by moving a shifter or vowel typed before a subscript (see
``tests/test_khmer.py``).

Ready-made packages were measured on the same 997 lines (:data:`EVALUATED`)
and not used.

Machine output is post-processed with :func:`postprocess` (order, spacing,
full stop, optional Khmer digits); translator text is only reported (the
``khmer-order`` check).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any

from translate.errors import ConfigError
from translate.patterns import EMAIL, TEMPLATE_TAG

ZWSP = "\u200b"
KHAN = "\u17d4"  # ។ ends a sentence
COENG = "\u17d2"

#: What was found when ready-made normalizers were tried on FLORES-200 Khmer.
EVALUATED = {
    "khmerspell 0.1.1 (SIL khnormal)": "changes 126 of 997 lines; rewrites coeng DA into coeng TA in all 94 lines that have it; keeps ZWSP; idempotent",
    "khmernormalizer 0.0.4": "changes 794 lines; strips ZWSP from all 726 lines that have it; rewrites coeng DA in 94; not idempotent on 1",
}


class Cat(IntEnum):
    """Character categories of the Khmer encoding structure, in their sort order after a base."""

    OTHER = 0
    BASE = 1
    ROBAT = 2
    COENG = 3  # U+17D2 and the consonant after it
    ZFCOENG = 4  # ZWJ
    SHIFT = 5
    ZWNJ = 6
    VPRE = 7
    VBELOW = 8
    VABOVE = 9
    VPOST = 10
    SIGN = 11
    FINAL = 12


def _category_table() -> dict[int, Cat]:
    table: dict[int, Cat] = {}
    ranges = (
        (0x1780, 0x17A2, Cat.BASE),
        (0x17A5, 0x17B3, Cat.BASE),
        (0x17B6, 0x17B6, Cat.VPOST),
        (0x17B7, 0x17BA, Cat.VABOVE),
        (0x17BB, 0x17BD, Cat.VBELOW),
        (0x17BE, 0x17C5, Cat.VPRE),
        (0x17C6, 0x17C6, Cat.SIGN),
        (0x17C7, 0x17C8, Cat.FINAL),
        (0x17C9, 0x17CA, Cat.SHIFT),
        (0x17CB, 0x17CB, Cat.SIGN),
        (0x17CC, 0x17CC, Cat.ROBAT),
        (0x17CD, 0x17D1, Cat.SIGN),
        (0x17D2, 0x17D2, Cat.COENG),
        (0x17D3, 0x17D3, Cat.SIGN),
        (0x17DD, 0x17DD, Cat.SIGN),
        (0x200C, 0x200C, Cat.ZWNJ),
        (0x200D, 0x200D, Cat.ZFCOENG),
    )
    for first, last, category in ranges:
        for code in range(first, last + 1):
            table[code] = category
    return table


_CATEGORIES = _category_table()
_COMPOSE = ((re.compile("\u17c1([\u17bb-\u17bd]?)\u17b8"), "\u17be\\1"), (re.compile("\u17c1([\u17bb-\u17bd]?)\u17b6"), "\u17c4\\1"))
_DOUBLE_COENG = re.compile(COENG + "{2,}")
_RO_SECOND = re.compile(f"({COENG}\u179a)({COENG}[\u1780-\u17b3])")


def _categories(text: str) -> list[Cat]:
    cats = [_CATEGORIES.get(ord(c), Cat.OTHER) for c in text]
    for i in range(1, len(text)):
        if text[i - 1] in "\u200d" + COENG and cats[i] in (Cat.BASE, Cat.ZFCOENG):
            cats[i] = Cat.COENG
    return cats


def normalize_order(text: str) -> str:
    """Khmer syllables with their characters in encoding order (see the module docstring)."""
    if not any("\u1780" <= c <= "\u17ff" for c in text):
        return text
    cats = _categories(text)
    out = []
    i = 0
    while i < len(text):
        if cats[i] is not Cat.BASE:
            out.append(text[i])
            i += 1
            continue
        j = i + 1
        while j < len(text) and cats[j] > Cat.BASE:
            j += 1
        syllable = "".join(text[k] for k in sorted(range(i, j), key=lambda k: (cats[k], k)))
        syllable = _DOUBLE_COENG.sub(COENG, syllable)
        for pattern, replacement in _COMPOSE:
            syllable = pattern.sub(replacement, syllable)
        syllable = _RO_SECOND.sub(r"\2\1", syllable)
        out.append(syllable)
        i = j
    return "".join(out)


_KHMER = "[\u1780-\u17dd]"
_SPACE_BETWEEN_KHMER = re.compile(f"(?<={_KHMER})[ \u00a0]+(?={_KHMER})")
#: A Latin full stop ending Khmer text (after a Khmer letter, before closing quotes and brackets).
_FINAL_STOP = re.compile(f"({_KHMER}[\"'”’»)\\]]*)\\s*\\.(?=[\"'”’»)\\]]*\\s*$)")
#: Text never rewritten: URLs, e-mails, markup, template tags.
_PROTECTED = re.compile(
    rf"(?:https?://|www\.)\S++|{EMAIL}|{TEMPLATE_TAG.pattern}|<[^<>]++>|`[^`]*+`|\]\((?:[^)\]]|\](?!\())*+\)"
)
_ASCII_NUMBER = re.compile(r"(?<![A-Za-z0-9_./:@-])\d+(?:[.,]\d+)*(?![A-Za-z0-9_/@-])")
_TO_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

SPACING = ("auto", "keep", "zwsp", "remove")
#: ``auto`` spacing: a text whose Khmer runs between spaces average fewer
#: visible characters than this is word-spaced (machine output); otherwise its
#: spaces separate phrases, as written Khmer's do, and are kept. Measured on the
#: 997 FLORES-200 references: the lowest average is 8.7 (median 29.8), so no
#: reference is touched; with their ZWSP word breaks turned into spaces (a
#: stand-in for word-spaced output), 390 of the 726 lines that have ZWSP fall below.
WORD_SPACED_RUN = 8


@dataclass(frozen=True)
class KhmerOptions:
    """How machine output in Khmer is post-processed (the ``[khmer]`` table of ``translate.toml``).

    Attributes:
        order: put characters in Khmer encoding order (:func:`normalize_order`).
        spacing: what to do with a space between two Khmer characters:
            ``keep`` it, turn it into a ``zwsp`` (an invisible break point),
            ``remove`` it, or ``auto``: ``zwsp`` for word-spaced text (its
            Khmer runs between spaces average under :data:`WORD_SPACED_RUN`
            characters), ``keep`` for text spaced by phrases. Measured: the 997
            FLORES-200 references have 2.0 spaces between Khmer characters per
            sentence (phrase breaks) and 11.1 ZWSP (word breaks), Khmer runs
            between spaces averaging 23.7 characters; NLLB output separates
            words with spaces (4x more space-separated words than the
            references in published scoring files). Turning its spaces into
            ZWSP keeps every break point and makes the text look like written
            Khmer; removing them would also lose the line-break points. Text
            already spaced by phrases (a reviewed translation memory, a
            language model told how Khmer is spaced) keeps its phrase spaces
            under ``auto`` (the default), which ``zwsp`` would turn into ZWSP:
            run with the reference translations, ``zwsp`` rewrites 811 of the
            997 FLORES references (docs/eval.md, pipeline oracle).
        full_stop: turn a Latin ``.`` ending Khmer text into ``។``.
        digits: write ASCII numbers with Khmer digits (០-៩), as Khmer news
            body text usually does (URLs, markup and Latin words untouched).
    """

    order: bool = True
    spacing: str = "auto"
    full_stop: bool = True
    digits: bool = False

    def __post_init__(self) -> None:
        if self.spacing not in SPACING:
            raise ConfigError(f"[khmer] spacing must be one of {', '.join(SPACING)}, not {self.spacing!r}")


def khmer_options(table: Mapping[str, Any]) -> KhmerOptions:
    """Options from the ``[khmer]`` configuration table (see :func:`translate.config.read_config_table`).

    Raises:
        ConfigError: an unknown key or a value of the wrong type.
    """
    known = {field.name: field for field in fields(KhmerOptions)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(f"unknown [khmer] setting(s): {', '.join(unknown)}", hint="use " + ", ".join(known))
    for key, value in table.items():
        expected = str if key == "spacing" else bool
        if not isinstance(value, expected):
            raise ConfigError(f"[khmer] {key} must be a {'string' if expected is str else 'boolean'}")
    return KhmerOptions(**dict(table))


def word_spaced(text: str) -> bool:
    """Whether the Khmer runs between the spaces of ``text`` average under :data:`WORD_SPACED_RUN` visible characters."""
    runs = [len(run.replace(ZWSP, "")) for run in re.split(r"[ \u00a0]+", text) if re.search(_KHMER, run)]
    return len(runs) > 1 and sum(runs) / len(runs) < WORD_SPACED_RUN


def apply_spacing(text: str, spacing: str) -> str:
    """Apply a spacing policy (``auto``, ``keep``, ``zwsp``, ``remove``) to spaces between Khmer characters."""
    if spacing == "auto":
        spacing = "zwsp" if word_spaced(text) else "keep"
    if spacing == "keep":
        return text
    return _SPACE_BETWEEN_KHMER.sub(ZWSP if spacing == "zwsp" else "", text)


def khmer_full_stop(text: str) -> str:
    """Replace a Latin full stop ending Khmer text with ``។``."""
    return _FINAL_STOP.sub(r"\1" + KHAN, text)


def khmer_digits(text: str) -> str:
    """Write ASCII numbers with Khmer digits, leaving URLs, markup and Latin words alone."""
    out = []
    last = 0
    for match in _PROTECTED.finditer(text):
        out.append(_ASCII_NUMBER.sub(lambda m: m.group(0).translate(_TO_KHMER_DIGITS), text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_ASCII_NUMBER.sub(lambda m: m.group(0).translate(_TO_KHMER_DIGITS), text[last:]))
    return "".join(out)


def postprocess(text: str, options: KhmerOptions | None = None) -> str:
    """Machine output in Khmer, cleaned up as ``options`` say (text without Khmer is returned as is)."""
    options = options or KhmerOptions()
    if not re.search(_KHMER, text):
        return text
    if options.order:
        text = normalize_order(text)
    text = apply_spacing(text, options.spacing)
    if options.full_stop:
        text = khmer_full_stop(text)
    if options.digits:
        text = khmer_digits(text)
    return text
