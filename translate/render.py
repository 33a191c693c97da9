"""Write new text into an article's skeleton.

The one place where translated text meets the source: every block's pieces are
replaced by its new text (encoded for its slot) and everything else is copied
unchanged. Format readers only have to say where their text lies.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable

from translate.article import Block, LanguageMarker, MarkerSyntax, Slot, Span

_YAML_PLAIN = re.compile(r"[^\W_][\w.() -]*")


def encode(block: Block, text: str, source: str) -> str:
    """Encode ``text`` for the slot that ``block`` fills in ``source``."""
    if block.slot is Slot.YAML:
        # JSON strings are valid YAML and TOML basic strings, except a raw DEL in TOML.
        return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
    if block.slot is Slot.HTML_ATTRIBUTE:
        escaped = html.escape(text, quote=True)
        start = block.pieces[0].start
        quoted = start > 0 and source[start - 1] in "\"'"
        return escaped if quoted else f'"{escaped}"'
    if block.slot is Slot.TAG_ATTRIBUTE:
        start = block.pieces[0].start
        quote = source[start - 1] if start > 0 else '"'
        entity = {'"': "&quot;", "'": "&#39;", "`": "&#96;"}.get(quote, "&quot;")
        return " ".join(text.replace(quote, entity).split("\n"))
    if len(block.pieces) > 1 or "\n" not in block.text:
        # Later pieces (and the container prefixes between them) are dropped,
        # and a one-line slot (heading, table cell, alt text) must stay one
        # line, so the new text goes on the first piece's line.
        return " ".join(text.split("\n"))
    return text


def edits_for(block: Block, text: str, source: str) -> list[tuple[Span, str]]:
    """The source edits that put ``text`` in place of ``block``'s current text."""
    first = block.pieces[0]
    edits = [(first, encode(block, text, source))]
    previous_end = first.end
    for piece in block.pieces[1:]:
        edits.append((Span(previous_end, piece.end), ""))
        previous_end = piece.end
    return edits


def apply_edits(source: str, edits: Iterable[tuple[Span, str]]) -> str:
    """Replace non-overlapping spans of ``source``; raises ValueError on overlap."""
    out: list[str] = []
    position = 0
    for span, replacement in sorted(edits, key=lambda edit: (edit[0].start, edit[0].end)):
        if span.start < position:
            raise ValueError(f"overlapping edits at offset {span.start}")
        out.append(source[position : span.start])
        out.append(replacement)
        position = span.end
    out.append(source[position:])
    return "".join(out)


def render(
    source: str,
    blocks: Iterable[Block],
    new_text: Callable[[Block], str | None],
    *,
    marker: LanguageMarker | None = None,
    lang: str | None = None,
) -> str:
    """Return ``source`` with each block's text replaced by ``new_text(block)``.

    A block for which ``new_text`` returns ``None`` or its own text is left
    byte for byte as it is. When ``marker`` and ``lang`` are given the
    article's language marker is set to ``lang``.
    """
    edits: list[tuple[Span, str]] = []
    for block in blocks:
        text = new_text(block)
        if text is None or text == block.text:
            continue
        edits.extend(edits_for(block, text, source))
    if marker is not None and lang is not None:
        edits.extend(marker_edits(marker, lang))
    return apply_edits(source, edits)


def marker_edits(marker: LanguageMarker, lang: str) -> list[tuple[Span, str]]:
    """The source edits that make ``marker`` state ``lang`` (a BCP-47 code)."""
    value = encode_marker_value(marker.value(lang), marker.syntax)
    return [(marker.span, marker.template.format(lang=value)), *((span, value) for span in marker.also)]


def encode_marker_value(value: str, syntax: MarkerSyntax) -> str:
    """A language value written for the place it goes (see :class:`MarkerSyntax`)."""
    if syntax is MarkerSyntax.HTML:
        return html.escape(value, quote=True)
    if syntax is MarkerSyntax.TOML:
        return json.dumps(value, ensure_ascii=False)[1:-1]
    if syntax is MarkerSyntax.YAML and not _plain_yaml(value):
        return json.dumps(value, ensure_ascii=False)
    return value


def _plain_yaml(value: str) -> bool:
    """Whether YAML reads ``value`` written plainly as that very string (``no`` is a boolean)."""
    import yaml

    if _YAML_PLAIN.fullmatch(value) is None or value != value.strip():
        return False
    try:
        return yaml.safe_load(value) == value
    except yaml.YAMLError:
        return False
