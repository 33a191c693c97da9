"""One-pass scanners for what masking hides: opaque constructs and emphasis pairs.

Each finds exactly what a lazy regular expression such as ``\\{\\{.*?\\}\\}`` or
``\\*\\*(?=\\S).+?(?<=\\S)\\*\\*`` finds (leftmost match first, shortest body),
but in time linear in the length of the text. The regular expression tries
again from every unclosed opener and reads the rest of the text each time, so
a sentence full of ``{{`` or ``**`` costs the square of its length; here the
search for each kind of closer remembers its last answer
(:class:`translate.patterns.Finder`), so every character is read a bounded
number of times.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from translate.patterns import Finder


@dataclass(frozen=True)
class Found:
    """A construct found in a text: ``text[start:end]``, of one ``kind``."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class PairFound:
    """Markup around text: the opener is ``text[start:inner_start]``, the closer ``text[inner_end:end]``."""

    start: int
    inner_start: int
    inner_end: int
    end: int


_OPAQUE_START = re.compile(r"[{`<!]")
_SHORTCODE_CLOSE = re.compile(r"[%>]\}\}")
_LIQUID_OUTPUT_CLOSE = re.compile(r"\}\}")
_LIQUID_TAG_CLOSE = re.compile(r"%\}")
_COMMENT_CLOSE = re.compile(r"-->")
_LIQUID_COMMENT = re.compile(r"\{%-?\s*+comment\s*+-?%\}", re.IGNORECASE)
_LIQUID_ENDCOMMENT = re.compile(r"\{%-?\s*+endcomment\s*+-?%\}", re.IGNORECASE)
_IAL = re.compile(r"\{:[^{}\n]*+\}")
_CODE_TAG = re.compile(r"<(code|kbd|samp|var)(?:\s[^<>]*+)?>", re.IGNORECASE)
_IMAGE = re.compile(r"!\[[^\[\]]*+\]\([^()\s]*+(?:\s++\"[^\"]*+\")?\)")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]++>", re.IGNORECASE)
_TICKS = re.compile(r"`+")


class _Ticks:
    """The maximal runs of backticks of a text, for finding the closer of a code span."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.by_length: dict[int, list[int]] = {}
        for run in _TICKS.finditer(text):
            self.starts.append(run.start())
            self.ends.append(run.end())
            self.by_length.setdefault(run.end() - run.start(), []).append(run.start())

    def run_end(self, position: int) -> int:
        """The end of the run that ``position`` is in."""
        return self.ends[bisect.bisect_right(self.starts, position) - 1]

    def closer(self, length: int, after: int) -> int | None:
        """The start of the first run of exactly ``length`` backticks at or after ``after``."""
        starts = self.by_length.get(length, [])
        index = bisect.bisect_left(starts, after)
        return starts[index] if index < len(starts) else None


class _Closers:
    """The next closing delimiter of each kind, searched for once per stretch of text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.finders: dict[str, Finder] = {}
        self.ticks: _Ticks | None = None

    def next(self, pattern: re.Pattern[str], position: int) -> re.Match[str] | None:
        finder = self.finders.get(pattern.pattern)
        if finder is None:
            finder = self.finders[pattern.pattern] = Finder(self.text, pattern)
        return finder.next(position)

    def code_span_end(self, at: int) -> int | None:
        """The end of a code span opened by the backticks from ``at`` to the end of their run.

        Its body holds at least one character, and its closer is a run of
        exactly as many backticks (``(?<!`)(?P=ticks)(?!`)``).
        """
        self.ticks = self.ticks or _Ticks(self.text)
        run_end = self.ticks.run_end(at)
        length = run_end - at
        closer = self.ticks.closer(length, run_end + 1)
        return None if closer is None else closer + length


def opaque(text: str) -> list[Found]:
    """Shortcodes, Liquid tags, kramdown attribute lists, code, HTML comments, images and autolinks of ``text``, in order.

    What is found, and its kind, is what this regular expression finds with
    :func:`re.finditer` (flags ``DOTALL | IGNORECASE``)::

        (?P<shortcode>\\{\\{[<%].*?[%>]\\}\\})
        |(?P<liquid>\\{%-?\\s*comment\\s*-?%\\}.*?\\{%-?\\s*endcomment\\s*-?%\\}|\\{\\{.*?\\}\\}|\\{%.*?%\\})
        |(?P<ial>\\{:[^{}\\n]*\\})
        |(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)|<(?P<codetag>code|kbd|samp|var)(?:\\s[^<>]*)?>.*?</(?P=codetag)\\s*>)
        |(?P<comment><!--.*?-->)
        |(?P<image>!\\[[^\\[\\]]*\\]\\([^()\\s]*(?:\\s+"[^"]*")?\\))
        |(?P<autolink><(?:https?://|mailto:)[^<>\\s]+>)
    """
    closers = _Closers(text)
    found: list[Found] = []
    position = 0
    while (start := _OPAQUE_START.search(text, position)) is not None:
        at = start.start()
        hit = _opaque_at(text, at, closers)
        if hit is None:
            position = at + 1
            continue
        found.append(hit)
        position = hit.end
    return found


def _opaque_at(text: str, at: int, closers: _Closers) -> Found | None:
    """The construct starting at ``at``, trying the alternatives in the order of the expression above."""
    char = text[at]
    if text.startswith("{{", at):
        if text[at + 2 : at + 3] in ("<", "%") and (close := closers.next(_SHORTCODE_CLOSE, at + 3)) is not None:
            return Found(at, close.end(), "shortcode")
        if (close := closers.next(_LIQUID_OUTPUT_CLOSE, at + 2)) is not None:
            return Found(at, close.end(), "liquid")
    elif text.startswith("{%", at):
        comment = _LIQUID_COMMENT.match(text, at)
        if comment is not None and (close := closers.next(_LIQUID_ENDCOMMENT, comment.end())) is not None:
            return Found(at, close.end(), "liquid")  # a comment block is hidden whole
        if (close := closers.next(_LIQUID_TAG_CLOSE, at + 2)) is not None:
            return Found(at, close.end(), "liquid")
    elif text.startswith("{:", at):
        if (ial := _IAL.match(text, at)) is not None:
            return Found(at, ial.end(), "ial")
    elif char == "`":
        if (end := closers.code_span_end(at)) is not None:
            return Found(at, end, "code")
    elif char == "<":
        tag = _CODE_TAG.match(text, at)
        if tag is not None:
            name = tag.group(1).lower()
            if (close := closers.next(re.compile(rf"</{name}\s*+>", re.IGNORECASE), tag.end())) is not None:
                return Found(at, close.end(), "code")
        if text.startswith("<!--", at) and (close := closers.next(_COMMENT_CLOSE, at + 4)) is not None:
            return Found(at, close.end(), "comment")
        if (link := _AUTOLINK.match(text, at)) is not None:
            return Found(at, link.end(), "autolink")
    elif char == "!" and (image := _IMAGE.match(text, at)) is not None:
        return Found(at, image.end(), "image")
    return None


@dataclass(frozen=True)
class PairSyntax:
    """Delimited markup whose body is the shortest that fits, on one line.

    Attributes:
        opener: the opening delimiter with the conditions on what surrounds it
            (the match is the delimiter itself).
        closers: for each opening delimiter, the closing one with its conditions.
    """

    opener: re.Pattern[str]
    closers: dict[str, re.Pattern[str]]


#: ``**strong**``, ``__strong__``, ``~~struck~~``: what
#: ``(\*\*|(?<![\w_])__|~~)(?=\S)(.+?)(?<=\S)\1(?![\w_])`` finds.
STRONG = PairSyntax(
    re.compile(r"(?:\*\*|(?<![\w_])__|~~)(?=\S)"),
    {delimiter: re.compile(rf"(?<=\S){re.escape(delimiter)}(?![\w_])") for delimiter in ("**", "__", "~~")},
)
#: ``*emphasis*``, ``_emphasis_``: what
#: ``((?<![\w*])\*|(?<![\w_])_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*_])`` finds.
EMPHASIS = PairSyntax(
    re.compile(r"(?:(?<![\w*])\*|(?<![\w_])_)(?=[^\s*_])"),
    {delimiter: re.compile(rf"(?<=[^\s*_]){re.escape(delimiter)}(?![\w*_])") for delimiter in ("*", "_")},
)
_NEWLINE = re.compile(r"\n")


def pairs(text: str, syntax: PairSyntax) -> Iterator[PairFound]:
    """The pairs of ``text`` in order, not overlapping, each with the shortest body (at least one character, no line break)."""
    finders = {delimiter: Finder(text, closer) for delimiter, closer in syntax.closers.items()}
    newlines = Finder(text, _NEWLINE)
    position = 0
    while (opener := syntax.opener.search(text, position)) is not None:
        close = finders[opener.group()].next(opener.end() + 1)
        newline = newlines.next(opener.end())
        if close is not None and (newline is None or newline.start() >= close.start()):
            yield PairFound(opener.start(), opener.end(), close.start(), close.end())
            position = close.end()
        else:
            position = opener.start() + 1
