"""Front matter of Jekyll and Hugo articles: where it is, and which of its values are prose.

YAML front matter (between ``---`` lines) is read from PyYAML's parse events
(libyaml's parser where PyYAML has it), so every value comes with its exact
place in the source; only top-level keys are looked at, and a front matter of
several megabytes reads in seconds. A translatable value becomes a
``Slot.YAML`` block covering the whole scalar token, which publishing replaces
with a double-quoted string. YAML aliases are refused
outright (they are never needed in front matter, and an alias bomb would
otherwise cost time and memory). TOML front matter (between ``+++`` lines) is
checked with :mod:`tomllib`; its one-line ``key = "string"`` lines are read
line by line, under their ``[table]`` or ``[[array]]`` header (multi-line
strings, arrays and inline tables are left as they are). JSON front matter (a
first line ``{`` up to a line ``}``) is left untouched.

Keys are named by dotted paths: ``image.alt`` is the ``alt`` of the
``image`` mapping, ``params.summary`` the ``summary`` of Hugo's ``[params]``;
a list of mappings adds no step (``resources.title`` is the ``title`` of
every item of ``resources``).

The language is stated by ``lang`` or ``language`` at the top level (or by
the configured ``language_key``); when neither is there, ``lang: <code>`` is
added, which Jekyll themes and plugins read as ``page.lang`` (jekyll-seo-tag,
jekyll-polyglot, minima's ``<html lang>``). Hugo takes a page's language from
its file name (``story.km.md``) and keeps ``lang`` as a page parameter.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from translate.article import Block, BlockKind, LanguageMarker, MarkerSyntax, Slot, Span
from translate.config import ReadOptions
from translate.errors import InputError
from translate.formats.markdown_inline import has_letters, protected, scan

logger = logging.getLogger(__name__)

#: Keys that state the article's language (unless one is configured).
LANGUAGE_KEYS = ("lang", "language")

#: PyYAML's safe loader, in C (libyaml) where PyYAML was built with it: about ten
#: times faster than the pure-Python one, with the same node marks (character offsets).
YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MAX_DEPTH = 64
_STRING_TAG = "tag:yaml.org,2002:str"
_TOML_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')"""
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
_RESOLVER = yaml.resolver.Resolver()
_TOML_STRING = re.compile(
    rf"""[ \t]*(?P<key>{_TOML_KEY_PART}(?:[ \t]*\.[ \t]*{_TOML_KEY_PART})*)[ \t]*=[ \t]*"""
    r"""(?P<value>"(?:[^"\\\n]|\\.)*+"|'[^'\n]*')[ \t]*(?:#.*)?"""
)
_TOML_HEADER = re.compile(rf"""[ \t]*\[(?P<array>\[?)[ \t]*(?P<key>{_TOML_KEY_PART}(?:[ \t]*\.[ \t]*{_TOML_KEY_PART})*)[ \t]*\]\]?[ \t]*(?:#.*)?""")
_TOML_DOT = re.compile(rf"""[ \t]*({_TOML_KEY_PART})[ \t]*(?:\.|$)""")
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


def _is_language_key(key: str, options: ReadOptions) -> bool:
    """Whether the (dotted) ``key`` states the article's language."""
    return key == options.language_key if options.language_key else key in LANGUAGE_KEYS


def _insertion(offset: int, options: ReadOptions, toml: bool) -> LanguageMarker | None:
    """A marker that adds a language statement at ``offset`` (none for a nested language key)."""
    key = options.language_key or "lang"
    if "." in key:
        logger.info("the language key %s is not in the front matter; no language is stated", key)
        return None
    if toml:
        return LanguageMarker(Span(offset, offset), key + ' = "{lang}"\n', MarkerSyntax.TOML, values=options.language_values)
    return LanguageMarker(Span(offset, offset), key + ": {lang}\n", MarkerSyntax.YAML, values=options.language_values)


def _read_yaml(inside: _Text, line_count: int, options: ReadOptions, path: str) -> FrontMatter:
    """Blocks and language marker of YAML front matter."""
    root = _compose(inside, path)
    insertion = _insertion(inside.closing_offset, options, toml=False)
    if root is None:
        return FrontMatter(marker=insertion, line_count=line_count)
    if not isinstance(root, yaml.MappingNode):
        raise _not_a_mapping(inside, path, root.start_mark.line)
    blocks: list[Block] = []
    markers: list[LanguageMarker | None] = []
    for key, value_node in _yaml_items(root):
        if _is_language_key(key, options):
            markers.append(_yaml_marker(inside, value_node, options))
        if key in options.front_matter_keys:
            blocks.extend(_yaml_blocks(inside, key, value_node))
    # A language key that is not a scalar cannot be rewritten, and adding a second one would be wrong.
    marker = markers[0] if markers else insertion
    has_title = any(isinstance(key, yaml.ScalarNode) and key.value == "title" for key, _ in root.value)
    return FrontMatter(tuple(blocks), marker, line_count, has_title)


def _yaml_items(node: yaml.MappingNode, prefix: str = "") -> Iterator[tuple[str, yaml.Node]]:
    """Every ``(dotted key, value)`` of a mapping and the mappings inside it, in source order.

    Items of a list of mappings are walked with the list's own key.
    """
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = f"{prefix}{key_node.value}"
        yield key, value_node
        children = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for child in children:
            if isinstance(child, yaml.MappingNode):
                yield from _yaml_items(child, key + ".")


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


def _not_a_mapping(inside: _Text, path: str, line: int) -> InputError:
    """The error for front matter whose top level is a list or a scalar (``line`` within it, from 0)."""
    return InputError("front matter is not a mapping of keys to values", path=path, line=inside.first_line + line, hint="write it as 'key: value' lines")


def _compose(inside: _Text, path: str) -> yaml.Node | None:
    """The YAML node tree (libyaml's parser where PyYAML has it), after refusing aliases and deep nesting."""
    for _ in _events(inside, path):
        pass
    try:
        return yaml.compose(inside.text, Loader=YAML_LOADER)
    except yaml.YAMLError as error:  # more than one document
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = inside.first_line + mark.line if mark is not None else inside.first_line
        problem = getattr(error, "problem", None) or str(error)
        if "another document" in problem:
            problem = "it holds more than one document"
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
        raise _not_a_mapping(inside, path, root.start_mark.line)
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


def _yaml_marker(inside: _Text, node: yaml.Node, options: ReadOptions) -> LanguageMarker | None:
    """The language marker for a ``lang:`` value (an empty value gets one inserted)."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    span = _scalar_span(inside, node)
    template = "{lang}" if len(span) else " {lang}"
    return LanguageMarker(span, template, MarkerSyntax.YAML, written=node.value, values=options.language_values)


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
    """Blocks and language marker of TOML front matter (one-line strings, under their table headers)."""
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
    insert_at: int | None = None
    table = _TomlTable(data)
    offset = inside.offset
    in_multiline = False
    open_brackets = 0
    for text_line in inside.text.split("\n"):
        line_start, offset = offset, offset + len(text_line) + 1
        if text_line.count('"""') % 2 or text_line.count("'''") % 2:
            in_multiline = not in_multiline
            continue
        if in_multiline:
            continue
        if open_brackets > 0:  # inside a multi-line array
            open_brackets += text_line.count("[") - text_line.count("]")
            continue
        header = _TOML_HEADER.fullmatch(text_line)
        if header is not None and table.enter(_toml_parts(header.group("key")), bool(header.group("array"))):
            insert_at = line_start if insert_at is None else insert_at
            continue
        match = _TOML_STRING.fullmatch(text_line)
        if match is None:
            if "=" in text_line:
                open_brackets = max(text_line.count("[") - text_line.count("]"), 0)
            continue
        parts = _toml_parts(match.group("key"))
        value = _toml_value(match.group("value"))
        span = Span(line_start + match.start("value"), line_start + match.end("value"))
        if value is None or table.lookup(parts) != value:
            continue
        key = ".".join(table.path + parts)
        if _is_language_key(key, options) and marker is None:
            marker = LanguageMarker(span, '"{lang}"', MarkerSyntax.TOML, written=value, values=options.language_values)
        if key in options.front_matter_keys and has_letters(value):
            blocks.append(
                Block(BlockKind.FRONT_MATTER, value, (span,), Slot.YAML, context=key, protected=protected(scan(value)))
            )
    if marker is None and not _toml_states_language(data, options):
        marker = _insertion(inside.closing_offset if insert_at is None else insert_at, options, toml=True)
    return FrontMatter(tuple(blocks), marker, line_count, "title" in data)


class _TomlTable:
    """The table that the lines being read belong to, followed through ``[table]`` and ``[[array]]`` headers."""

    def __init__(self, data: dict[str, object]) -> None:
        self.data = data
        self.path: tuple[str, ...] = ()
        self.counts: dict[tuple[str, ...], int] = {}

    def enter(self, parts: tuple[str, ...], array: bool) -> bool:
        """Follow a header; False (nothing changed) when the parsed data has no such table."""
        if array:
            counts = {key: count for key, count in self.counts.items() if key[: len(parts)] != parts or key == parts}
            counts[parts] = counts.get(parts, 0) + 1
            if not isinstance(_lookup(self.data, parts, counts), dict):
                return False
            self.counts = counts
        elif not isinstance(_lookup(self.data, parts, self.counts), dict):
            return False
        self.path = parts
        return True

    def lookup(self, parts: tuple[str, ...]) -> object:
        """The parsed value of a key of the current table."""
        return _lookup(self.data, self.path + parts, self.counts)


def _lookup(data: dict[str, object], parts: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> object:
    """The value at a key path; an array of tables stands for its element that is being read."""
    node: object = data
    for depth, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
        if isinstance(node, list) and parts[: depth + 1] in counts:
            index = counts[parts[: depth + 1]] - 1
            node = node[index] if 0 <= index < len(node) else None
    return node


def _toml_parts(key: str) -> tuple[str, ...]:
    """The parts of a dotted TOML key, quotes removed: ``a."b c"`` -> ``("a", "b c")``."""
    return tuple(part[1:-1] if part[:1] in "\"'" else part for part in _TOML_DOT.findall(key))


def _toml_states_language(data: dict[str, object], options: ReadOptions) -> bool:
    """Whether the parsed front matter has a language key (then none is added)."""
    if options.language_key:
        return _lookup(data, _toml_parts(options.language_key), {}) is not None
    return any(key in data for key in LANGUAGE_KEYS)


def _toml_value(literal: str) -> str | None:
    """The value of a one-line TOML string literal, or None if it does not parse."""
    try:
        value = tomllib.loads(f"v = {literal}")["v"]
    except tomllib.TOMLDecodeError:
        return None
    return value if isinstance(value, str) else None
