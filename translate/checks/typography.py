"""Typographic checks translators know from pofilter and Weblate.

Brackets and quotation marks left open, white space and line breaks at the
ends, punctuation at the start, doubled words and text that is only
punctuation. Each looks for what is broken in the translation rather than
for counts that differ from the English: a Khmer translation rightly adds a
bracketed English gloss (``វីដាល (Vidal)``), moves a quotation to the end of
the sentence or drops scare quotes. All are warnings (they never keep a
translation from being published). What they flag on the 997 FLORES-200
English-Khmer reference pairs is listed in the README's checks table and
tested in ``tests/test_checks.py``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from translate.checks import Severity, register
from translate.checks.standard import base_language
from translate.patterns import FORMAT_PLACEHOLDER, HTML_TAG, TEMPLATE_TAG, URL

WARNING = Severity.WARNING

_CODE_SPAN = re.compile(r"`[^`\n]+`")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSING = {close: open_ for open_, close in _PAIRS.items()}
#: Every double quotation mark: ASCII, English, guillemets, low-9 (a Khmer text may use any).
DOUBLE_QUOTES = frozenset('"“”«»„‟')
#: White space that is not a line break (ZERO WIDTH SPACE is not white space: it marks Khmer word breaks).
_SPACE = re.compile(r"[^\S\n]")
#: Characters skipped at the start of a sentence: quotation marks (a translation may move a
#: quotation) and inline markup (emphasis, code, links, tags move with their words).
_MOVABLE = frozenset("\"'“”‘’«»„‟‹›*_`[]<>{}~") | {"\u200b", "\u00a0"}
#: Marks written differently for the same thing.
_SAME_MARK = str.maketrans({"…": "...", "–": "-", "—": "-", "―": "-", "‐": "-", "‑": "-", "·": "•"})
_TOKEN_SEPARATORS = re.compile(r"[\s\u200b]+")
_WORD_EDGES = "\"'“”‘’«»()[]{}<>.,;:!?។៕៖*_`"
#: Languages written without spaces between words, where spaces and ZWSP separate
#: phrases or syllables: a short token repeated is ordinary text there
#: (Khmer ``ការ ការពារ``, "the protection"; a clause ending with the word the next begins with).
_SPACELESS = frozenset({"km", "th", "lo", "my", "zh", "ja", "bo"})
#: The shortest repeated token (in characters) flagged in those languages.
MIN_DOUBLED_SPACELESS = 4
_LATIN = re.compile(r"[A-Za-z]")


@functools.lru_cache(maxsize=1024)  # every check of an entry looks at the same two texts
def _plain(text: str) -> str:
    """Text without template tags, HTML tags, code spans, URLs and format placeholders (never translated)."""
    for pattern in (TEMPLATE_TAG, HTML_TAG, _CODE_SPAN, URL, FORMAT_PLACEHOLDER):
        text = pattern.sub(" ", text)
    return text


def bracket_problem(text: str) -> str | None:
    """The first bracket of ``text`` that is not matched, described, or ``None`` when all are."""
    stack: list[str] = []
    for char in text:
        if char in _PAIRS:
            stack.append(char)
        elif char in _CLOSING:
            if not stack or stack[-1] != _CLOSING[char]:
                return f"'{char}' without its '{_CLOSING[char]}'"
            stack.pop()
    return f"'{stack[-1]}' not closed" if stack else None


@register("brackets", WARNING)
def brackets(source: str, target: str, lang: str) -> str | None:
    """A bracket ``( [ {`` of the translation is not closed, or closes nothing (where the English's all match).

    Brackets the translation adds are fine (a Khmer text glosses names:
    ``វីដាល (Vidal)``); only unmatched ones fail.
    """
    if bracket_problem(_plain(source)) is not None:
        return None
    problem = bracket_problem(_plain(target))
    return None if problem is None else f"unmatched bracket: {problem}"


def double_quotes(text: str) -> int:
    """How many double quotation marks (any style) a text has."""
    return sum(char in DOUBLE_QUOTES for char in text)


@register("quotes", WARNING, aliases=("doublequoting",))
def quotes(source: str, target: str, lang: str) -> str | None:
    """An odd number of double quotation marks in the translation, where the English pairs them all.

    Any style counts (``"`` ``“ ”`` ``« »``), and mixed pairs pass: Khmer
    texts use all of them. Dropped or added pairs pass too (scare quotes
    are a translator's choice).
    """
    if double_quotes(_plain(source)) % 2:
        return None
    count = double_quotes(_plain(target))
    return f"{count} double quotation marks: one is not opened or not closed" if count % 2 else None


def _ends(text: str) -> tuple[str, str]:
    """The white space (not line breaks) at the start and at the end of a text."""
    lines = text.split("\n")
    start = len(lines[0]) - len(lines[0].lstrip())
    end = len(lines[-1]) - len(lines[-1].rstrip())
    return lines[0][:start], lines[-1][len(lines[-1]) - end :]


def _describe(space: str) -> str:
    if not space:
        return "none"
    names = {" ": "space", "\t": "tab", "\u00a0": "no-break space"}
    return " + ".join(names.get(char, f"U+{ord(char):04X}") for char in space)


@register("whitespace", WARNING, aliases=("begin-space", "end-space", "startwhitespace", "endwhitespace"))
def whitespace(source: str, target: str, lang: str) -> str | None:
    """The white space at the start or the end differs from the English (ZWSP is not white space)."""
    (source_start, source_end), (target_start, target_end) = _ends(source), _ends(target)
    problems = []
    if source_start != target_start:
        problems.append(f"at the start: {_describe(target_start)} (English: {_describe(source_start)})")
    if source_end != target_end:
        problems.append(f"at the end: {_describe(target_end)} (English: {_describe(source_end)})")
    return "white space differs " + "; ".join(problems) if problems else None


@register("newlines", WARNING, aliases=("begin-newline", "end-newline", "newline-count", "escaped-newline"))
def newlines(source: str, target: str, lang: str) -> str | None:
    """Line breaks differ: their number, or one at the start or the end."""
    problems = []
    if source.startswith("\n") != target.startswith("\n"):
        problems.append("the English " + ("starts" if source.startswith("\n") else "does not start") + " with a line break")
    if source.endswith("\n") != target.endswith("\n"):
        problems.append("the English " + ("ends" if source.endswith("\n") else "does not end") + " with a line break")
    if source.count("\n") != target.count("\n"):
        problems.append(f"{source.count(chr(10))} line break(s) in the English, {target.count(chr(10))} in the translation")
    return "; ".join(problems) if problems else None


def _leading_marks(text: str) -> str:
    """The punctuation a text starts with, quotation marks and markup skipped, written one way."""
    marks = []
    for char in text:
        if char.isspace() or char in _MOVABLE:
            continue
        if unicodedata.category(char).startswith("P") or char in "•":
            marks.append(char)
            continue
        break
    return "".join(marks).translate(_SAME_MARK)


@register("start-punctuation", WARNING, aliases=("startpunc",))
def start_punctuation(source: str, target: str, lang: str) -> str | None:
    """The translation starts with other punctuation than the English (``។`` or ``,`` first; a dropped ``(`` or ``…``).

    Quotation marks and markup at the start are skipped: a translation may
    move a quotation or an emphasised word.
    """
    source_marks, target_marks = _leading_marks(_plain(source)), _leading_marks(_plain(target))
    if source_marks == target_marks:
        return None
    if not target_marks:
        return f"the English starts with '{source_marks}', the translation does not"
    if not source_marks:
        return f"the translation starts with '{target_marks}', the English does not"
    return f"the English starts with '{source_marks}', the translation with '{target_marks}'"


def doubled_words(text: str, lang: str) -> list[str]:
    """Tokens repeated right after themselves (case ignored), separated by white space or ZWSP."""
    spaceless = base_language(lang) in _SPACELESS
    tokens = [token.strip(_WORD_EDGES) for token in _TOKEN_SEPARATORS.split(_plain(text))]
    found = []
    for first, second in zip(tokens, tokens[1:], strict=False):
        if not first or first.casefold() != second.casefold() or not any(char.isalpha() for char in first):
            continue
        if spaceless and len(first) < MIN_DOUBLED_SPACELESS and not _LATIN.search(first):
            continue
        found.append(first)
    return found


@register("double-words", WARNING, aliases=("duplicate", "doublewords"))
def double_words(source: str, target: str, lang: str) -> str | None:
    """A word written twice in a row ("the the"), unless the English repeats it too.

    In Khmer, Thai, Lao, Burmese, Chinese and Japanese, where spaces and ZWSP
    separate phrases or syllables, only Latin words and tokens of at least
    :data:`MIN_DOUBLED_SPACELESS` characters count (``ការ ការពារ`` is
    "the protection").
    """
    repeated = {word.casefold() for word in doubled_words(source, "en")}
    found = [word for word in doubled_words(target, lang) if word.casefold() not in repeated]
    return "doubled word: " + ", ".join(f"{word} {word}" for word in dict.fromkeys(found)) if found else None


def is_punctuation(text: str) -> bool:
    """Whether a text holds punctuation or symbols and nothing else (white space and ZWSP aside)."""
    marks = [char for char in text if not char.isspace() and char != "\u200b"]
    return bool(marks) and all(unicodedata.category(char)[0] in "PS" for char in marks)


def _punctuation_form(text: str) -> str:
    return "".join(char for char in text if not char.isspace() and char != "\u200b").translate(_SAME_MARK)


@register("pure-punctuation", WARNING, aliases=("purepunc",))
def pure_punctuation(source: str, target: str, lang: str) -> str | None:
    """A text of only punctuation (``—``, ``***``, ``…``) is translated as something else, or a sentence as only punctuation."""
    source_marks, target_marks = is_punctuation(source), is_punctuation(target)
    if source_marks and _punctuation_form(source) != _punctuation_form(target):
        return f"the English is only punctuation ({source.strip()}): keep it as it is"
    if target_marks and not source_marks and any(char.isalnum() for char in source):
        return "the translation is only punctuation"
    return None
