"""The elements of an HTML page as the reader saw them, each with its exact source range.

The HTML reader builds no document tree for its blocks, but choosing the
article's part of a page (CSS selectors, the main-content finder) needs one:
:class:`TreeBuilder` records every element the reader opens, with the parent
it was opened in and the offset where the reader closed it (explicitly, by
an implied end tag, or at the end of the source). Elements the standard
creates without a tag (``<html>``, ``<body>``, ``<tbody>`` of a page that
leaves them out) are not in it: a selector matches only elements the page
writes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from translate.article import Span
from translate.formats.html_tokens import Tag


@dataclass(frozen=True)
class Node:
    """One element of the page.

    Attributes:
        tag: its start tag; ``None`` for the document itself (node 0).
        parent: index of the element it was opened in (``-1`` for the document).
        span: from the ``<`` of its start tag to where the reader closed it.
    """

    tag: Tag | None
    parent: int
    span: Span

    @property
    def name(self) -> str:
        return self.tag.name if self.tag is not None else ""


class TreeBuilder:
    """Collects the elements while the reader walks the tokens."""

    DOCUMENT = 0

    def __init__(self, length: int) -> None:
        self._tags: list[Tag | None] = [None]
        self._parents: list[int] = [-1]
        self._starts: list[int] = [0]
        self._ends: list[int | None] = [length]
        self._length = length

    def open(self, tag: Tag, parent: int) -> int:
        """Record an element opened by ``tag`` inside ``parent``; returns its index."""
        self._tags.append(tag)
        self._parents.append(parent)
        self._starts.append(tag.span.start)
        self._ends.append(None)
        return len(self._tags) - 1

    def leaf(self, tag: Tag, parent: int) -> None:
        """Record an element that holds nothing (``<img>``, ``<meta>``, ``<path/>``)."""
        self.close(self.open(tag, parent), tag.span.end)

    def close(self, index: int, at: int) -> None:
        """The element at ``index`` ends at offset ``at``."""
        if index != self.DOCUMENT and self._ends[index] is None:
            self._ends[index] = max(at, self._starts[index])

    def nodes(self) -> tuple[Node, ...]:
        """Every element in source order (the document first); unclosed ones end with the source."""
        return tuple(
            Node(tag, parent, Span(start, self._length if end is None else end))
            for tag, parent, start, end in zip(self._tags, self._parents, self._starts, self._ends)
        )


class Ranges:
    """A union of source ranges, asked whether an offset lies in it."""

    def __init__(self, spans: Iterable[Span]) -> None:
        merged: list[list[int]] = []
        for span in sorted(spans):
            if merged and span.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span.end)
            else:
                merged.append([span.start, span.end])
        self._starts = [start for start, _ in merged]
        self._ends = [end for _, end in merged]

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ends[index]

    def __bool__(self) -> bool:
        return bool(self._starts)
