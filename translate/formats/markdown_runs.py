"""Lines of a Markdown paragraph that are prose, and lines that only hold figures.

A paragraph as markdown-it sees it may mix sentences with lines that hold
only an image or a template tag (``{% include photo.html caption="..." %}``,
``{{< figure >}}``). Those lines are not prose: their alt texts and tag
attributes become blocks of their own, and the prose lines around them form
paragraphs.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from translate.article import Span
from translate.formats.markdown_inline import Inline, InlineKind, markup_free


@dataclass(frozen=True)
class Run:
    """Consecutive lines of a paragraph that are all prose or all figures.

    ``first``/``last`` are line numbers within the paragraph, ``start``/``end``
    the offsets of the run in the paragraph's text.
    """

    first: int
    last: int
    start: int
    end: int
    prose: bool


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of ``text`` start."""
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def runs(text: str, inlines: list[Inline], starts: list[int]) -> list[Run]:
    """Split a paragraph's lines into prose runs and figure runs.

    A line is a figure line when it holds an image or a template tag and
    nothing else outside markup: a tag followed by a full stop
    (``{{ page.speaker }}{% endif %}.``) continues a sentence. A construct
    spanning several lines puts them all on the prose side if any of them is
    prose.
    """
    ends = [start - 1 for start in starts[1:]] + [len(text)]
    clean = markup_free(text, inlines)
    figure = [False] * len(starts)
    spans: list[Span] = []
    for inline in inlines:
        first = bisect.bisect_right(starts, inline.span.start) - 1
        last = bisect.bisect_right(starts, max(inline.span.end - 1, inline.span.start)) - 1
        if inline.kind in (InlineKind.IMAGE, InlineKind.TEMPLATE):
            figure[first : last + 1] = [True] * (last + 1 - first)
        if last > first:
            spans.append(Span(first, last + 1))
    prose = [not figure[k] or bool(clean[starts[k] : ends[k]].strip()) for k in range(len(starts))]
    for group in _merge(spans):
        joined = any(prose[group.start : group.end])
        prose[group.start : group.end] = [joined] * len(group)
    found: list[Run] = []
    first = 0
    for index in range(1, len(starts) + 1):
        if index == len(starts) or prose[index] != prose[first]:
            found.append(Run(first, index - 1, starts[first], ends[index - 1], prose[first]))
            first = index
    return found


def _merge(spans: list[Span]) -> list[Span]:
    """Merge overlapping ranges."""
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return merged
