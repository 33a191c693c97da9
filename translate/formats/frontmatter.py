"""Front matter of Jekyll and Hugo articles: where it is, and which of its values are prose.

YAML front matter (between ``---`` lines) is read from PyYAML's parse events
(libyaml's parser where PyYAML has it), so every value comes with its exact
place in the source; only top-level keys are looked at, and a front matter of
several megabytes reads in seconds. A translatable value becomes a
``Slot.YAML`` block covering the whole scalar token, which publishing replaces
with a double-quoted string. YAML aliases are refused
outright (they are never needed in front matter, and an alias bomb would
otherwise cost time and memory). TOML front matter (between ``+++`` lines) is
checked with :mod:`tomllib`; its top-level ``key = "string"`` lines, before the
first table, are read line by line (multi-line strings and arrays are left
as they are). JSON front matter (a first line ``{`` up to a line ``}``) is
left untouched.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from translate.article import Block, BlockKind, LanguageMarker, Slot, Span
from translate.config import ReadOptions
from translate.errors import InputError
from translate.formats.markdown_inline import has_letters, protected, scan

#: Keys that state the article's language.
LANGUAGE_KEYS = ("lang", "language")

#: PyYAML's safe loader, in C (libyaml) where PyYAML was built with it: about ten
#: times faster than the pure-Python one, with the same node marks (character offsets).
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MAX_DEPTH = 64
_STRING_TAG = "tag:yaml.org,2002:str"
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
_RESOLVER = yaml.resolver.Resolver()
_TOML_STRING = re.compile(
    r"""[ \t]*(?P<key>[A-Za-z0-9_-]+|"[^"\\\n]*")[ \t]*=[ \t]*"""
    r"""(?P<value>"(?:[^"\\\n]|\\.)*+"|'[^'\n]*')[ \t]*(?:#.*)?"""
)
_TOML_TABLE = re.compile(r"[ \t]*\[")
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")
_YAML_HINT = "fix the YAML between the --- lines; quote values that contain ': ' or start with a special character"


@dataclass(frozen=True)
class FrontMatter:
    """What the front matter of an article holds for translation.

    Attributes:
        blocks: its translatable values, in source order.
        marker: where the article's language is (or would be) stated.
        line_count: lines it takes at the top of the source, delimiters included.
        has_title: whether it has a ``title`` key.
    """

    blocks: tuple[Block, ...] = ()
    marker: LanguageMarker | None = None
    line_count: int = 0
    has_title: bool = False


@dataclass(frozen=True)
class _Text:
    """The inside of a front matter: its text and where it starts in the source."""

    text: str
    offset: int
    first_line: int
    closing_offset: int


def read(source: str, options: ReadOptions, path: str) -> FrontMatter:
    """Find and read the front matter at the top of ``source``.

    Raises:
        InputError: the front matter is not terminated, not valid YAML or
            TOML, not a mapping, or uses YAML aliases.
    """
    first_end = source.find("\n")
    first = (source if first_end < 0 else source[:first_end]).rstrip()
    if first not in ("---", "+++", "{"):
        return FrontMatter()
    closing = _closing_line(source, first)
    if closing is None:
        if first == "{":
            return FrontMatter()
        delimiter = "three dashes (---)" if first == "---" else "three plus signs (+++)"
        raise InputError("front matter is not terminated", path=path, line=1, hint=f"end it with a line of {delimiter}")
    line_count, closing_offset = closing
    inside = _Text(source[first_end + 1 : closing_offset], first_end + 1, 2, closing_offset)
    if first == "{":
        return FrontMatter(line_count=line_count)
    if first == "+++":
        return _read_toml(inside, line_count, options, path)
    return _read_yaml(inside, line_count, options, path)


def _closing_line(source: str, first: str) -> tuple[int, int] | None:
    """The number of lines up to the closing delimiter and the offset where that line starts."""
    closers = {"---": ("---", "..."), "+++": ("+++",), "{": ("}",)}[first]
    offset = source.find("\n") + 1
    number = 1
    while 0 < offset <= len(source):
        end = source.find("\n", offset)
        line = source[offset : end if end >= 0 else len(source)]
        number += 1
        if line.rstrip() in closers:
            return number, offset
        if end < 0:
            return None
        offset = end + 1
    return None


def _read_yaml(inside: _Text, line_count: int, options: ReadOptions, path: str) -> FrontMatter:
    """Blocks and language marker of YAML front matter."""
    wanted = frozenset((*LANGUAGE_KEYS, *options.front_matter_keys))
    entries = _top_level(inside, path, wanted)
    insertion = LanguageMarker(Span(inside.closing_offset, inside.closing_offset), "lang: {lang}\n")
    if entries is None:
        return FrontMatter(marker=insertion, line_count=line_count)
    blocks: list[Block] = []
    markers: list[LanguageMarker | None] = []
    keys: set[str] = set()
    for key, value_node in entries:
        keys.add(key)
        if value_node is None:
            continue
        if key in LANGUAGE_KEYS:
            markers.append(_yaml_marker(inside, value_node))
        if key in options.front_matter_keys:
            blocks.extend(_yaml_blocks(inside, key, value_node))
    # A language key that is not a scalar cannot be rewritten, and adding a second one would be wrong.
    marker = markers[0] if markers else insertion
    return FrontMatter(tuple(blocks), marker, line_count, "title" in keys)


def top_level_scalar(text: str, key: str) -> object:
    """The value of a top-level scalar of YAML ``text`` (a date, a number, a string); ``None`` when there is none.

    Only that value is built, so a front matter of megabytes costs one pass
    of the parser, and text that is not valid YAML gives ``None``.
    """
    try:
        entries = _top_level(_Text(text, 0, 1, len(text)), "", frozenset({key}))
    except InputError:
        return None
    node = next((node for name, node in entries or () if name == key), None)
    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.constructor.SafeConstructor().construct_object(node)


def _events(inside: _Text, path: str) -> Iterator[yaml.Event]:
    """YAML parse events of the front matter, refusing aliases and deep nesting."""
    try:
        depth = 0
        for event in yaml.parse(inside.text, Loader=YAML_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise InputError(
                    "front matter uses YAML aliases; write the values out",
                    path=path,
                    line=inside.first_line + event.start_mark.line,
                    hint="replace each *alias with the value of its &anchor",
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    raise InputError(
                        "front matter is nested too deeply",
                        path=path,
                        line=inside.first_line + event.start_mark.line,
                        hint=f"keep it under {_MAX_DEPTH} levels",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            yield event
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = inside.first_line + mark.line if mark is not None else inside.first_line
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"front matter is not valid YAML: {problem}", path=path, line=line, hint=_YAML_HINT) from error


def _top_level(inside: _Text, path: str, wanted: frozenset[str]) -> list[tuple[str, yaml.Node | None]] | None:
    """The keys of the top-level mapping with, for the ``wanted`` keys, their value as a node.

    One pass over the parse events: composing the whole node tree (and
    resolving the tag of every scalar) costs several times more and is not
    needed, since only a few top-level values are read. Values of other keys
    are ``None``; inside a wanted value, only scalars and sequences of scalars
    are kept (deeper collections become empty mapping nodes). Non-scalar keys
    are left out.

    Returns:
        ``None`` when the front matter holds no document (empty, or comments only).

    Raises:
        InputError: not valid YAML, not a mapping, more than one document,
            aliases or nesting deeper than 64 levels.
    """
    events = _events(inside, path)
    next(events)  # stream start
    event = next(events)
    if isinstance(event, yaml.StreamEndEvent):
        return None
    root = next(events)  # after the document start
    if not isinstance(root, yaml.MappingStartEvent):
        raise InputError(
            "front matter is not a mapping of keys to values",
            path=path,
            line=inside.first_line + root.start_mark.line,
            hint="write it as 'key: value' lines",
        )
    entries: list[tuple[str, yaml.Node | None]] = []
    while not isinstance(key := next(events), yaml.MappingEndEvent):
        if not isinstance(key, yaml.ScalarEvent):
            _skip(key, events)
            _skip(next(events), events)
            continue
        value = next(events)
        entries.append((key.value, _node(value, events) if key.value in wanted else _skip(value, events)))
    next(events)  # document end
    extra = next(events)
    if not isinstance(extra, yaml.StreamEndEvent):
        raise InputError(
            "front matter is not valid YAML: it holds more than one document",
            path=path,
            line=inside.first_line + extra.start_mark.line,
            hint=_YAML_HINT,
        )
    return entries


def _skip(event: yaml.Event, events: Iterator[yaml.Event]) -> None:
    """Consume the events of the node that starts with ``event``."""
    depth = 1 if isinstance(event, yaml.CollectionStartEvent) else 0
    while depth:
        event = next(events)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _node(event: yaml.Event, events: Iterator[yaml.Event], *, nested: bool = False) -> yaml.Node:
    """The node that starts with ``event``: scalars and sequences of scalars, as the composer makes them."""
    if isinstance(event, yaml.ScalarEvent):
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        return yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
    if isinstance(event, yaml.SequenceStartEvent) and not nested:
        items = []
        while not isinstance(item := next(events), yaml.SequenceEndEvent):
            items.append(_node(item, events, nested=True))
        return yaml.SequenceNode(event.tag or _SEQUENCE_TAG, items, event.start_mark, event.end_mark)
    _skip(event, events)
    return yaml.MappingNode(_MAPPING_TAG, [], event.start_mark, event.end_mark)


def _yaml_marker(inside: _Text, node: yaml.Node) -> LanguageMarker | None:
    """The language marker for a ``lang:`` value (an empty value gets one inserted)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    span = _scalar_span(inside, node)
    if not len(span):
        return LanguageMarker(span, " {lang}")
    return LanguageMarker(span, "{lang}")


def _yaml_blocks(inside: _Text, key: str, node: yaml.Node) -> list[Block]:
    """One block per string scalar of a translatable key (the value, or each item of a list)."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    blocks = []
    for item in items:
        if not isinstance(item, yaml.ScalarNode) or item.tag != _STRING_TAG or not has_letters(item.value):
            continue
        blocks.append(
            Block(
                kind=BlockKind.FRONT_MATTER,
                text=item.value,
                pieces=(_scalar_span(inside, item),),
                slot=Slot.YAML,
                context=key,
                protected=protected(scan(item.value)),
            )
        )
    return blocks


def _scalar_span(inside: _Text, node: yaml.Node) -> Span:
    """The source span of a scalar token: quotes and tags included, trailing line breaks not."""
    start = node.start_mark.index
    token = inside.text[start : node.end_mark.index].rstrip()
    return Span(inside.offset + start, inside.offset + start + len(token))


def _read_toml(inside: _Text, line_count: int, options: ReadOptions, path: str) -> FrontMatter:
    """Blocks and language marker of TOML front matter (top-level one-line strings only)."""
    try:
        data = tomllib.loads(inside.text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_ERROR_LINE.search(str(error))
        line = inside.first_line + int(found.group(1)) - 1 if found else inside.first_line
        raise InputError(
            f"front matter is not valid TOML: {error}", path=path, line=line, hint="fix the TOML between the +++ lines"
        ) from error
    blocks: list[Block] = []
    marker: LanguageMarker | None = None
    insert_at = inside.closing_offset
    offset = inside.offset
    in_multiline = False
    for text_line in inside.text.split("\n"):
        line_start, offset = offset, offset + len(text_line) + 1
        if text_line.count('"""') % 2 or text_line.count("'''") % 2:
            in_multiline = not in_multiline
            continue
        if in_multiline:
            continue
        if _TOML_TABLE.match(text_line):
            insert_at = line_start
            break
        match = _TOML_STRING.fullmatch(text_line)
        if match is None:
            continue
        key = match.group("key").strip('"')
        if key not in LANGUAGE_KEYS and key not in options.front_matter_keys:
            continue
        value = _toml_value(match.group("value"))
        span = Span(line_start + match.start("value"), line_start + match.end("value"))
        if value is None or data.get(key) != value:
            continue
        if key in LANGUAGE_KEYS and marker is None:
            marker = LanguageMarker(span, '"{lang}"')
        if key in options.front_matter_keys and has_letters(value):
            blocks.append(
                Block(BlockKind.FRONT_MATTER, value, (span,), Slot.YAML, context=key, protected=protected(scan(value)))
            )
    if marker is None and not any(key in data for key in LANGUAGE_KEYS):
        marker = LanguageMarker(Span(insert_at, insert_at), 'lang = "{lang}"\n')
    return FrontMatter(tuple(blocks), marker, line_count, "title" in data)


def _toml_value(literal: str) -> str | None:
    """The value of a one-line TOML string literal, or None if it does not parse."""
    try:
        value = tomllib.loads(f"v = {literal}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None
