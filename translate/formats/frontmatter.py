"""Front matter of Jekyll and Hugo articles: where it is, and which of its values are prose.

YAML front matter (between ``---`` lines) is parsed with PyYAML's composer, so
every value comes with its exact place in the source: a translatable value
becomes a ``Slot.YAML`` block covering the whole scalar token, which
publishing replaces with a double-quoted string. YAML aliases are refused
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
from dataclasses import dataclass

import yaml

from translate.article import Block, BlockKind, LanguageMarker, Slot, Span
from translate.config import ReadOptions
from translate.errors import InputError
from translate.formats.markdown_inline import has_letters, protected, scan

#: Keys that state the article's language.
LANGUAGE_KEYS = ("lang", "language")

_MAX_DEPTH = 64
_STRING_TAG = "tag:yaml.org,2002:str"
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
    root = _compose(inside, path)
    insertion = LanguageMarker(Span(inside.closing_offset, inside.closing_offset), "lang: {lang}\n")
    if root is None:
        return FrontMatter(marker=insertion, line_count=line_count)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            "front matter is not a mapping of keys to values",
            path=path,
            line=inside.first_line,
            hint="write it as 'key: value' lines",
        )
    blocks: list[Block] = []
    markers: list[LanguageMarker | None] = []
    keys: set[str] = set()
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        key = key_node.value
        keys.add(key)
        if key in LANGUAGE_KEYS:
            markers.append(_yaml_marker(inside, value_node))
        if key in options.front_matter_keys:
            blocks.extend(_yaml_blocks(inside, key, value_node))
    # A language key that is not a scalar cannot be rewritten, and adding a second one would be wrong.
    marker = markers[0] if markers else insertion
    return FrontMatter(tuple(blocks), marker, line_count, "title" in keys)


def _compose(inside: _Text, path: str) -> yaml.Node | None:
    """The YAML node tree, after refusing aliases and deep nesting."""
    try:
        depth = 0
        for event in yaml.parse(inside.text, Loader=yaml.SafeLoader):
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
        return yaml.compose(inside.text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = inside.first_line + mark.line if mark is not None else inside.first_line
        problem = getattr(error, "problem", None) or str(error)
        raise InputError(f"front matter is not valid YAML: {problem}", path=path, line=line, hint=_YAML_HINT) from error


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
