"""Read HTML articles, whole pages or fragments, into translatable blocks.

A block is a run of inline content (text, inline elements, character
references) inside a block-level element, trimmed of the whitespace around it;
its text is the source as written, tags and references included, so that
translators see links and emphasis and publishing writes the translation back
in place. Translatable attribute values (``alt``, ``title``, the ``content``
of description and Open Graph ``<meta>`` tags) are blocks of their own.

The reader builds no document tree: it keeps the stack of open elements,
applies the standard's implied end tags (``<p>`` closed by the next block,
``<li>`` by the next ``<li>``...) and cuts runs where block elements start and
end. Decisions worth knowing:

* ``<title>`` is the title; when there is none, the first ``<h1>`` is.
* ``<script>``, ``<style>``, ``<pre>``, ``<textarea>``, ``<template>``,
  ``<noscript>``, ``<iframe>``, ``<object>``, elements marked
  ``translate="no"`` or ``class="notranslate"`` and everything inside them
  yield no block. Inside a sentence, ``<code>``, ``<kbd>``, ``<samp>``,
  ``<var>``, ``<svg>``, ``<math>`` and inline elements marked not to be
  translated stay in the block as protected text; a run made only of them is
  no block. ``translate="yes"`` inside an element marked not to be
  translated does not bring its content back.
* A translatable attribute on a tag inside a block's text stays part of that
  text (two blocks may not overlap): the block's comment names it.
* Comments inside a run of text stay in the block, protected; comments
  around it do not.
* A short run inside an element whose ``class``, ``rel`` or ``itemprop``
  says byline, author or date (``<p class="byline">``, ``<a rel="author">``,
  ``<time itemprop="datePublished">``) is a BYLINE; each date in it that
  parses becomes a DATE block of its own, the ``<time>`` (or other element)
  holding only the date left around it (see :mod:`translate.bylines`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from translate.article import Block, BlockKind, LanguageMarker, Parsed, Span
from translate.bylines import split_byline
from translate.config import ReadOptions
from translate.formats.html_tags import (
    BLOCK_ELEMENTS,
    BREAKS,
    CLOSES_P,
    FOREIGN_BREAKOUT,
    HEAD_ELEMENTS,
    HEADINGS,
    HIDDEN_ELEMENTS,
    IMPLIED_CLOSINGS,
    ROOT,
    SCOPE_BOUNDARIES,
    TABLE_PARTS,
    TABLE_SCOPE,
    VOID_ELEMENTS,
    Element,
    attribute_block,
    has_letters,
    language_marker,
    marks_byline,
    meta_block,
    open_element,
    relative_spans,
)
from translate.formats.html_tokens import (
    WHITESPACE,
    Markup,
    Tag,
    Text,
    character_references,
    tokenize,
)
from translate.formats.html_tree import Node, TreeBuilder

__all__ = ["elements", "parse"]

_BYLINE_MAX = 200


def parse(source: str, options: ReadOptions, path: str) -> Parsed:
    """Find the translatable blocks and the language marker of an HTML document.

    Args:
        source: the decoded document, a whole page or a fragment.
        options: which attributes are translated (``options.html_attributes``)
            and which part of the page (``html_content``, ``html_include``,
            ``html_exclude``; see :mod:`translate.formats.html_select`).
        path: the file the source came from, for messages.

    Returns:
        The blocks in source order, and the ``lang`` of ``<html>`` as the
        language marker (``None`` for a fragment without ``<html>``).

    Raises:
        InputError: ``auto`` content needs the extraction library, which is
            not installed.

    HTML has no error that stops a browser, so none stops this reader either:
    broken markup is read the way browsers read it, as far as blocks go.
    """
    reader = _Reader(source, options)
    parsed = reader.read()
    if options.html_content == "all" and not options.html_exclude:
        return parsed
    from translate.formats.html_select import select_blocks

    blocks = select_blocks(parsed.blocks, reader.tree.nodes(), source, options, path)
    return replace(parsed, blocks=blocks)


@dataclass(frozen=True)
class _PendingAttribute:
    """An attribute block found on a tag inside a run, kept until the run ends."""

    tag: Span
    block: Block


@dataclass(frozen=True)
class _Draft:
    """A block, and whether it is the text of an ``<h1>`` (a title candidate)."""

    block: Block
    from_h1: bool = False


class _Run:
    """The run of inline content being read: where it lies and what it holds."""

    def __init__(self) -> None:
        self.kind = BlockKind.PARAGRAPH
        self.owner = ""
        self.start: int | None = None
        self.end = 0
        self.letters = False
        self.protected: list[Span] = []
        self.attributes: list[_PendingAttribute] = []
        self.byline = False

    def extend(self, start: int, end: int, *, can_start: bool = True) -> None:
        """Take ``[start, end)`` of the source into the run.

        With ``can_start=False`` (an end tag) it only extends a run that has
        started already.
        """
        if self.start is None:
            if not can_start:
                return
            self.start = start
        self.end = end

    def protect(self, span: Span) -> None:
        """Keep sentence boundaries out of ``span`` (clipped to the run when it ends)."""
        if self.start is not None:
            self.protected.append(span)


class _Reader:
    """Walks the tokens of one document, keeping open elements and the current run."""

    def __init__(self, source: str, options: ReadOptions) -> None:
        self.source = source
        self.attribute_names = tuple(dict.fromkeys(name.lower() for name in options.html_attributes))
        self.stack: list[Element] = [ROOT]
        self.bylines: list[bool] = [False]  # per open element: it marks a byline
        self.tree = TreeBuilder(len(source))
        self.nodes: list[int] = [TreeBuilder.DOCUMENT]  # per open element: its node in the tree
        self.open_names: dict[str, int] = {}
        self.run = _Run()
        self.drafts: list[_Draft] = []
        self.marker: LanguageMarker | None = None
        self.seen_html = False

    def read(self) -> Parsed:
        """Read the whole source and return its blocks and marker."""
        for token in tokenize(self.source, lambda: self.stack[-1].foreign):
            if isinstance(token, Text):
                self._text(token.span)
            elif isinstance(token, Markup):
                self.run.protect(token.span)
            elif token.end_tag:
                self._end_tag(token)
            else:
                self._start_tag(token)
        self._pop_to(1, len(self.source))
        self._flush()
        return Parsed(blocks=self._blocks(), marker=self.marker)

    # Tokens

    def _text(self, span: Span) -> None:
        top = self.stack[-1]
        if top.skipped:
            return
        raw = self.source[span.start : span.end]
        stripped = raw.lstrip(WHITESPACE)
        if not stripped:
            return
        start = span.end - len(stripped)
        end = span.start + len(raw.rstrip(WHITESPACE))
        self._begin_run()
        self.run.extend(start, end)
        if top.protect_from is not None:
            return
        for reference in character_references(self.source, Span(start, end)):
            self.run.protect(reference)
        if not self.run.letters:
            self.run.letters = has_letters(html.unescape(stripped))

    def _start_tag(self, tag: Tag) -> None:
        name = tag.name
        if name == "html" and not self.seen_html:
            self.seen_html = True
            self.marker = language_marker(tag)
        if self.stack[-1].holds_foreign and name in FOREIGN_BREAKOUT:
            self._pop_to(self._foreign_root(), tag.span.start)
        if not self.stack[-1].holds_foreign:
            self._close_implied(name, tag.span.start)
        element = open_element(tag, self.stack[-1])
        block = element.block
        byline = marks_byline(tag)
        if block:
            self._flush()
        if not element.skipped and not block:
            self._begin_run()
            self.run.byline = self.run.byline or byline
            if name not in BREAKS:  # a line break neither starts nor ends a block
                self.run.extend(tag.span.start, tag.span.end)
            self.run.protect(tag.span)
        if not element.skipped and element.protect_from is None:
            self._attributes(tag, block)
        if name not in VOID_ELEMENTS and not (tag.self_closing and element.foreign):
            self._push(element, byline, self.tree.open(tag, self.nodes[-1]))
        else:
            self.tree.leaf(tag, self.nodes[-1])

    def _end_tag(self, tag: Tag) -> None:
        name = tag.name
        top = self.stack[-1]
        if name == "br" and not top.foreign:
            self._start_tag(replace(tag, end_tag=False))
            return
        if not top.foreign and name in BLOCK_ELEMENTS:
            scope = TABLE_SCOPE if name in TABLE_PARTS else SCOPE_BOUNDARIES
            index = self._find(frozenset({name}), scope)
            if index is not None:
                self._pop_to(index, tag.span.start)
                return
            if name == "p":  # browsers make an empty paragraph of a stray </p>
                self._flush()
                return
        # An inline end tag, or a stray one that browsers ignore: part of the text.
        index = self._find(frozenset({name}), None)
        if not top.skipped:
            self._begin_run()
            self.run.extend(tag.span.start, tag.span.end, can_start=False)
            self.run.protect(tag.span)
        if index is not None:
            self._pop_to(index, tag.span.end)

    # Open elements

    def _push(self, element: Element, byline: bool, node: int) -> None:
        """Open ``element`` (``byline``: its attributes mark a byline; ``node``: its place in the tree)."""
        self.stack.append(element)
        self.bylines.append(byline)
        self.nodes.append(node)
        self.open_names[element.name] = self.open_names.get(element.name, 0) + 1

    def _find(self, names: frozenset[str], stops: frozenset[str] | None) -> int | None:
        """Index of the innermost open element named in ``names``.

        The search down the stack gives up at an HTML element named in
        ``stops``, or at any block-level element when ``stops`` is ``None``.
        """
        if not any(self.open_names.get(name) for name in names):
            return None
        for index in range(len(self.stack) - 1, 0, -1):
            element = self.stack[index]
            if element.name in names:
                return index
            if element.block if stops is None else (element.name in stops and not element.foreign):
                return None
        return None

    def _foreign_root(self) -> int:
        """Index of the outermost element of the SVG or MathML content now open."""
        index = len(self.stack) - 1
        while self.stack[index - 1].holds_foreign:
            index -= 1
        return index

    def _pop_to(self, index: int, at: int) -> None:
        """Close the element at ``index`` and all inside it; their content ends at ``at``."""
        if not 1 <= index < len(self.stack):
            return
        for position in range(index, len(self.stack)):
            element = self.stack[position]
            if element.protect_from is not None and self.stack[position - 1].protect_from is None:
                self.run.protect(Span(element.protect_from, max(at, element.protect_from)))
        if any(element.block for element in self.stack[index:]):
            self._flush()
        for element in self.stack[index:]:
            self.open_names[element.name] -= 1
        for node in self.nodes[index:]:
            self.tree.close(node, at)
        del self.stack[index:]
        del self.bylines[index:]
        del self.nodes[index:]

    def _close_implied(self, name: str, at: int) -> None:
        """Close the open elements that a ``name`` start tag ends implicitly."""
        if self.stack[-1].name == "head" and name not in HEAD_ELEMENTS:
            self._pop_to(len(self.stack) - 1, at)
        if name in CLOSES_P:
            self._close(frozenset({"p"}), SCOPE_BOUNDARIES | {"button"}, at)
        closing = IMPLIED_CLOSINGS.get(name)
        if closing is not None:
            self._close(closing.closes, closing.stops, at)
        if name in HEADINGS and self.stack[-1].name in HEADINGS:
            self._pop_to(len(self.stack) - 1, at)

    def _close(self, names: frozenset[str], stops: frozenset[str], at: int) -> None:
        """Close the innermost open element named in ``names``, if the search finds one."""
        index = self._find(names, stops)
        if index is not None:
            self._pop_to(index, at)

    # Blocks

    def _begin_run(self) -> None:
        """Give the run its kind from the current element if it has not started yet."""
        if self.run.start is None:
            top = self.stack[-1]
            self.run.kind = top.kind
            self.run.owner = top.owner
            self.run.byline = any(self.bylines)

    def _flush(self) -> None:
        """End the current run: make it a block if it holds letters or digits."""
        run = self.run
        notes: list[str] = []
        start, end = run.start, run.end
        for pending in run.attributes:
            inside = start is not None and run.letters and start <= pending.tag.start and pending.tag.end <= end
            if inside:
                notes.append(pending.block.comment or "")
            else:
                self.drafts.append(_Draft(pending.block))
        if start is not None and run.letters:
            block = Block(
                kind=run.kind,
                text=self.source[start:end],
                pieces=(Span(start, end),),
                comment=("translate in place: " + "; ".join(notes)) if notes else None,
                protected=relative_spans(run.protected, start, end),
            )
            if run.byline and len(html.unescape(_MARKUP.sub("", block.text))) <= _BYLINE_MAX:
                self.drafts.extend(_Draft(part) for part in split_byline(block, self.source, "html"))
            else:
                self.drafts.append(_Draft(block, from_h1=run.owner == "h1"))
        self.run = _Run()

    def _attributes(self, tag: Tag, block: bool) -> None:
        """Make blocks of the tag's translatable attribute values."""
        found: list[Block] = []
        if tag.name == "meta":
            found.extend(meta_block(tag))
        elif tag.name not in HIDDEN_ELEMENTS:
            for name in self.attribute_names:
                attribute = tag.attribute(name)
                if attribute is not None:
                    found.extend(attribute_block(attribute, f"{name} of <{tag.name}>"))
        for found_block in found:
            if block:
                self.drafts.append(_Draft(found_block))
            else:
                self.run.attributes.append(_PendingAttribute(tag.span, found_block))

    def _blocks(self) -> tuple[Block, ...]:
        """The blocks in source order, the first ``<h1>`` made the title when there is none."""
        drafts = sorted(self.drafts, key=lambda draft: draft.block.pieces[0].start)
        blocks = [draft.block for draft in drafts]
        if not any(block.kind is BlockKind.TITLE for block in blocks):
            for index, draft in enumerate(drafts):
                if draft.from_h1:
                    blocks[index] = replace(draft.block, kind=BlockKind.TITLE)
                    break
        return tuple(blocks)


_MARKUP = re.compile(r"<[^<>]*>")


def elements(source: str) -> tuple[Node, ...]:
    """Every element of a document as the reader opens and closes it, with its exact source range.

    The Markdown edition of an HTML article uses it to find tables, code
    blocks and text kept out of translation around the article's blocks.
    """
    reader = _Reader(source, ReadOptions())
    reader.read()
    return reader.tree.nodes()
