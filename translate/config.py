"""Options that shape how articles are read, with their documented defaults."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from translate.errors import ConfigError
from translate.languages import language_tag

#: Front-matter keys whose string values are translated by default: Jekyll's
#: and Hugo's own, the ``image.alt`` of jekyll-seo-tag themes, and the same
#: texts under Hugo's ``params``.
DEFAULT_FRONT_MATTER_KEYS = (
    "title",
    "summary",
    "description",
    "subtitle",
    "caption",
    "image.alt",
    "image.caption",
    "params.summary",
    "params.description",
    "params.subtitle",
)

#: String attributes of Liquid includes, plugin tags and Hugo shortcodes that
#: hold prose, as news sites name them. ``credit`` and Hugo's ``attr`` are left
#: out: they hold photographers' and agencies' names, which stay as written.
DEFAULT_TAG_ATTRIBUTES = (
    "caption",
    "cutline",
    "alt",
    "title",
    "quote",
    "quotation",
    "attribution",
    "headline",
    "hedline",
    "dek",
    "description",
    "summary",
)

#: HTML attributes whose values are translated.
DEFAULT_HTML_ATTRIBUTES = ("alt", "title")

#: How much of an HTML page is read: every block, the elements that CSS
#: selectors name, or the article's main content found automatically.
HTML_CONTENT = ("all", "selectors", "auto")

#: Plain-text lines that are page furniture, not article text (regular expressions,
#: matched against the whole line with surrounding whitespace removed).
DEFAULT_SKIP_LINES = (
    r"Logo of .*",
    r"Content image( - .*)?",
    r"(?i)(advertisement|share this article|click to share.*)",
)

#: A plain-text line matching one of these starts trailing furniture: it and
#: everything after it are left out ("MOST VIEWED" teasers, related stories).
DEFAULT_STOP_AT = (
    r"(?i)(most viewed|most read|most popular|related( articles| stories| news)?|read more|you may also like)",
)


#: Codecs Python registers as text encodings that are not the encoding of a
#: text file: they decode escapes or domain-name syntax, or always fail.
_NOT_FILE_ENCODINGS = frozenset({"undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape"})


def check_encoding(name: str, *, setting: str = "encoding", path: str | Path | None = None) -> str:
    """Python's name of a text encoding articles can be read and written in.

    Only real text encodings (bytes to ``str``) are accepted: ``rot13``,
    ``base64``, ``hex`` or ``zlib`` are transforms, and ``punycode``, ``idna``,
    the escape codecs and ``undefined`` are not file encodings.

    Args:
        setting: how the user gave it, for the message (``--encoding``).
        path: the configuration file it comes from, if any.

    Raises:
        ConfigError: an unknown codec, or one that is not a text encoding.
    """
    import codecs

    hint = "use a text encoding such as utf-8, latin-1, cp1252 or utf-16"
    try:
        info = codecs.lookup(name)
    except LookupError as error:
        raise ConfigError(f"{setting}: unknown encoding {name!r}", path=path, hint=hint) from error
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise ConfigError(f"{setting}: {name!r} is not a text encoding", path=path, hint=hint)
    return info.name


@dataclass(frozen=True)
class ReadOptions:
    """How a reader finds the translatable text of an article.

    Attributes:
        front_matter_keys: front-matter keys whose string values (or lists of
            strings) are translated; a dotted path names a nested key
            (``image.alt``, ``params.summary``).
        tag_attributes: string attributes of Liquid ``{% include %}`` and
            plugin tags and of Hugo shortcodes that are translated
            (``caption="..."``).
        language_key: the front-matter key that states the article's
            language (may be dotted); ``None``: ``lang`` or ``language``,
            whichever is there, else ``lang`` is added.
        language_values: the value to write for a target language, by
            BCP-47 code (``(("km", "khmer"),)``); a language not listed gets
            its code, or its English name when the source states its
            language by name (``language: english``).
        html_attributes: HTML attributes that are translated.
        skip_lines: plain-text lines to keep out of translation (regexes).
        stop_at: plain-text lines from which the rest is kept out (regexes).
        encoding: the encoding of article files; ``None`` means UTF-8 with
            or without a byte-order mark.
        html_content: which part of an HTML page is translated: ``all`` of
            it, the elements of ``html_include`` (``selectors``), or the main
            content found by an extraction library (``auto``, which adds the
            elements of ``html_include``). See :mod:`translate.formats.html_select`.
        html_include: CSS selectors of the elements to translate.
        html_exclude: CSS selectors of elements never to translate, in any mode.

    Raises:
        ConfigError: an unknown ``html_content``, or ``selectors`` without
            ``html_include``.
    """

    front_matter_keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    tag_attributes: tuple[str, ...] = DEFAULT_TAG_ATTRIBUTES
    language_key: str | None = None
    language_values: tuple[tuple[str, str], ...] = ()
    html_attributes: tuple[str, ...] = DEFAULT_HTML_ATTRIBUTES
    skip_lines: tuple[str, ...] = DEFAULT_SKIP_LINES
    stop_at: tuple[str, ...] = DEFAULT_STOP_AT
    encoding: str | None = None
    html_content: str = "all"
    html_include: tuple[str, ...] = ()
    html_exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.html_content not in HTML_CONTENT:
            raise ConfigError(f"unknown HTML content mode {self.html_content!r}", hint="use " + ", ".join(HTML_CONTENT))
        if self.html_content == "selectors" and not self.html_include:
            raise ConfigError("HTML content 'selectors' needs at least one include selector", hint='e.g. include = ["article", "main"]')


_KEY_NAME = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")

#: Settings of the ``[markdown]`` table.
MARKDOWN_SETTINGS = ("tag_attributes", "language_key", "language_values")


def markdown_options(options: ReadOptions, table: dict[str, Any], path: Path | str | None = None) -> ReadOptions:
    """``options`` with the settings of a ``[markdown]`` table applied.

    Raises:
        ConfigError: an unknown setting, or a value of the wrong type.
    """
    where = path or CONFIG_FILE
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "tag_attributes":
            if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
                raise ConfigError("[markdown] tag_attributes must be a list of names", path=where, hint='e.g. tag_attributes = ["caption", "alt"]')
            changes[key] = tuple(item.strip() for item in value)
        elif key == "language_key":
            if not isinstance(value, str) or _KEY_NAME.fullmatch(value.strip()) is None:
                raise ConfigError("[markdown] language_key must be a key name (letters, digits, _ and -, dots between nested keys)", path=where, hint='e.g. language_key = "language"')
            changes[key] = value.strip()
        elif key == "language_values":
            if not isinstance(value, dict):
                raise ConfigError("[markdown] language_values must map language codes to values", path=where, hint='e.g. language_values = { km = "khmer" }')
            changes[key] = language_values(value.items(), where)
        else:
            raise ConfigError(f"[markdown] has an unknown setting {key!r}", path=where, hint="known: " + ", ".join(MARKDOWN_SETTINGS))
    return replace(options, **changes)


def language_values(pairs: Iterable[tuple[object, object]], where: Path | str | None = None) -> tuple[tuple[str, str], ...]:
    """Checked ``(code, value)`` pairs, codes normalised (``pt_BR`` -> ``pt-br``).

    Raises:
        ConfigError: a code or value is empty, not a string, or a value spans lines.
    """
    checked = []
    for code, value in pairs:
        if not isinstance(code, str) or not code.strip() or not isinstance(value, str) or not value.strip():
            raise ConfigError(f"[markdown] language_values: {code!r} = {value!r} must be a code and a non-empty string", path=where, hint='e.g. km = "khmer"')
        if any(char in value for char in "\r\n\0"):
            raise ConfigError(f"[markdown] language_values: the value for {code} must be one line", path=where)
        checked.append((language_tag(code), value.strip()))
    return tuple(checked)

    def __post_init__(self) -> None:
        if self.encoding is not None:
            check_encoding(self.encoding)


CONFIG_FILE = "translate.toml"


PYPROJECT = "pyproject.toml"


def read_settings(path: Path, *, missing_hint: str = "check --config") -> dict[str, Any]:
    """The translate settings of a file: the whole ``translate.toml``, or ``[tool.translate]`` of a ``pyproject.toml``.

    Raises:
        ConfigError: the file is missing, cannot be read or is not valid TOML (with its line).
    """
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError("no such configuration file", path=path, hint=missing_hint) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot be read: {error}", path=path) from error
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\s*\(at line (\d+), column \d+\)", str(error))
        message = str(error).replace(found.group(0), "") if found else str(error)
        raise ConfigError(f"is not valid TOML: {message}", path=path, line=int(found.group(1)) if found else None, hint="fix the file") from error
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        data = tool.get("translate", {}) if isinstance(tool, dict) else {}
        if not isinstance(data, dict):
            raise ConfigError("[tool.translate] must be a table", path=path)
    return data


def read_config_table(table: str, path: Path | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """One table of the configuration file (``translate.toml`` in the working folder, or ``path``).

    A missing default file is an empty configuration; a missing explicit file
    is an error. ``path`` may be a ``pyproject.toml``: its ``[tool.translate]``
    tables are read.

    Raises:
        ConfigError: the file cannot be read or is not valid TOML (with its line).
    """
    target = path or (cwd or Path.cwd()) / CONFIG_FILE
    if path is None and not target.is_file():
        return {}
    value = read_settings(target).get(table, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{table}] must be a table", path=target)
    return value
