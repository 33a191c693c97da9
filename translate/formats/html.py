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
  no block.
* A translatable attribute on a tag inside a block's text stays part of that
  text (two blocks may not overlap): the block's comment names it.
* Comments inside a run of text stay in the block, protected; comments
  around it do not.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from translate.article import Block, BlockKind, LanguageMarker, Parsed, Slot, Span
from translate.config import ReadOptions
from translate.formats.html_tags import (
    BLOCK_ELEMENTS,
    BREAKS,
    CLOSES_P,
    FOREIGN_ELEMENTS,
    HEAD_ELEMENTS,
    HEADINGS,
    HIDDEN_ELEMENTS,
    IMPLIED_CLOSINGS,
    KINDS,
    META_NAMES,
    NEVER_TRANSLATED,
    SCOPE_BOUNDARIES,
    VOID_ELEMENTS,
    is_translate_no,
)
from translate.formats.html_tokens import (
    WHITESPACE,
    Attribute,
    Markup,
    Tag,
    Text,
    character_references,
    tokenize,
)

__all__ = ["parse"]


def parse(source: str, options: ReadOptions, path: str) -> Parsed:
    """Find the translatable blocks and the language marker of an HTML document.

    Args:
        source: the decoded document, a whole page or a fragment.
        options: which attributes are translated (``options.html_attributes``).
        path: the file the source came from, for messages.

    Returns:
        The blocks in source order, and the ``lang`` of ``<html>`` as the
        language marker (``None`` for a fragment without ``<html>``).

    HTML has no error that stops a browser, so none stops this reader either:
    broken markup is read the way browsers read it, as far as blocks go.
    """
    return _Reader(source, options).read()


@dataclass(frozen=True)
class _Element:
    """An open element and what it means for the content inside it.

    Attributes:
        name: the tag name.
        block: whether it is block-level (its content is cut off from the
            text around it).
        kind: the kind of text inside it.
        owner: the innermost block-level element it is in (or itself).
        skipped: its content is never translated and not part of any block.
        protect_from: inside an inline element that is never translated, the
            offset where the outermost such element starts.
        foreign: it is SVG or MathML content.
    """

    name: str
    block: bool
    kind: BlockKind
    owner: str
    skipped: bool = False
    protect_from: int | None = None
    foreign: bool = False


_ROOT = _Element(name="", block=True, kind=BlockKind.PARAGRAPH, owner="")


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
        self.stack: list[_Element] = [_ROOT]
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
            self.run.letters = _has_letters(html.unescape(stripped))

    def _start_tag(self, tag: Tag) -> None:
        name = tag.name
        if name == "html" and not self.seen_html:
            self.seen_html = True
            self.marker = _language_marker(tag)
        if not self.stack[-1].foreign:
            self._close_implied(name, tag.span.start)
        parent = self.stack[-1]
        block = name in BLOCK_ELEMENTS and not parent.foreign
        never = name in NEVER_TRANSLATED or is_translate_no(tag)
        if block:
            self._flush()
        element = _Element(
            name=name,
            block=block,
            kind=KINDS.get(name, parent.kind),
            owner=name if block else parent.owner,
            skipped=parent.skipped or (block and (never or parent.protect_from is not None)),
            protect_from=_protect_from(parent, block, never, tag.span.start),
            foreign=parent.foreign or name in FOREIGN_ELEMENTS,
        )
        if not element.skipped and not block:
            self._begin_run()
            if name not in BREAKS:  # a line break neither starts nor ends a block
                self.run.extend(tag.span.start, tag.span.end)
            self.run.protect(tag.span)
        if not element.skipped and element.protect_from is None:
            self._attributes(tag, block)
        if name not in VOID_ELEMENTS and not (tag.self_closing and element.foreign):
            self._push(element)

    def _end_tag(self, tag: Tag) -> None:
        name = tag.name
        top = self.stack[-1]
        if name == "br" and not top.foreign:
            self._start_tag(replace(tag, end_tag=False))
            return
        if top.foreign or name not in BLOCK_ELEMENTS:
            index = self._find(frozenset({name}), None)
            if not top.skipped:
                self._begin_run()
                self.run.extend(tag.span.start, tag.span.end, can_start=False)
                self.run.protect(tag.span)
            if index is not None:
                self._pop_to(index, tag.span.end)
            return
        index = self._find(frozenset({name}), SCOPE_BOUNDARIES)
        if index is not None:
            self._pop_to(index, tag.span.start)
        self._flush()

    # Open elements

    def _push(self, element: _Element) -> None:
        self.stack.append(element)
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
            if element.block if stops is None else element.name in stops and not element.foreign:
                return None
        return None

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
        del self.stack[index:]

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
                comment="translate in place: " + "; ".join(notes) if notes else None,
                protected=_relative(run.protected, start, end),
            )
            self.drafts.append(_Draft(block, from_h1=run.owner == "h1"))
        self.run = _Run()

    def _attributes(self, tag: Tag, block: bool) -> None:
        """Make blocks of the tag's translatable attribute values."""
        found: list[Block] = []
        if tag.name == "meta":
            found.extend(_meta_content(tag))
        elif tag.name not in HIDDEN_ELEMENTS:
            for name in self.attribute_names:
                attribute = tag.attribute(name)
                if attribute is not None:
                    found.extend(_attribute_block(attribute, f"{name} of <{tag.name}>"))
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


def _protect_from(parent: _Element, block: bool, never: bool, start: int) -> int | None:
    """Where the protected inline content that a new element is in starts, if it is."""
    if block:
        return None
    if parent.protect_from is not None:
        return parent.protect_from
    return start if never else None


def _has_letters(text: str) -> bool:
    """Whether ``text`` holds a letter or digit of any script."""
    return any(character.isalnum() for character in text)


def _relative(spans: list[Span], start: int, end: int) -> tuple[Span, ...]:
    """Clip source spans to ``[start, end)``, shift them to block offsets and merge overlaps."""
    merged: list[Span] = []
    for span in sorted(spans):
        low, high = max(span.start, start) - start, min(span.end, end) - start
        if low >= high:
            continue
        if merged and low < merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(high, merged[-1].end))
        else:
            merged.append(Span(low, high))
    return tuple(merged)


def _attribute_block(attribute: Attribute, comment: str) -> list[Block]:
    """The block for an attribute value, or none when it holds no letters or digits."""
    if attribute.value_span is None:
        return []
    text = html.unescape(attribute.value)
    if not _has_letters(text):
        return []
    return [
        Block(
            kind=BlockKind.ATTRIBUTE,
            text=text,
            pieces=(attribute.value_span,),
            slot=Slot.HTML_ATTRIBUTE,
            comment=comment,
        )
    ]


def _meta_content(tag: Tag) -> list[Block]:
    """The block for the ``content`` of a description or Open Graph ``<meta>``."""
    content = tag.attribute("content")
    if content is None:
        return []
    for key in ("name", "property"):
        attribute = tag.attribute(key)
        if attribute is not None and attribute.value.strip().lower() in META_NAMES:
            return _attribute_block(content, f'content of <meta {key}="{attribute.value.strip()}">')
    return []


def _language_marker(tag: Tag) -> LanguageMarker:
    """Where ``<html>`` states the language, or where to insert ``lang``."""
    lang = tag.attribute("lang")
    if lang is not None and lang.value_span is not None:
        return LanguageMarker(span=lang.value_span, template="{lang}")
    after_name = tag.span.start + len("<html")
    return LanguageMarker(span=Span(after_name, after_name), template=' lang="{lang}"')
