"""Options that shape how articles are read, with their documented defaults."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.errors import ConfigError

#: Front-matter keys whose string values are translated by default.
DEFAULT_FRONT_MATTER_KEYS = ("title", "summary", "description", "subtitle", "caption")

#: String attributes of Liquid includes and Hugo shortcodes that hold prose.
DEFAULT_TAG_ATTRIBUTES = ("caption", "alt", "title")

#: HTML attributes whose values are translated.
DEFAULT_HTML_ATTRIBUTES = ("alt", "title")

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
        front_matter_keys: top-level front-matter keys whose string values
            (or lists of strings) are translated.
        tag_attributes: string attributes of Liquid ``{% include %}`` tags and
            Hugo shortcodes that are translated (``caption="..."``).
        html_attributes: HTML attributes that are translated.
        skip_lines: plain-text lines to keep out of translation (regexes).
        stop_at: plain-text lines from which the rest is kept out (regexes).
        encoding: the encoding of article files; ``None`` means UTF-8 with
            or without a byte-order mark.
    """

    front_matter_keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    tag_attributes: tuple[str, ...] = DEFAULT_TAG_ATTRIBUTES
    html_attributes: tuple[str, ...] = DEFAULT_HTML_ATTRIBUTES
    skip_lines: tuple[str, ...] = DEFAULT_SKIP_LINES
    stop_at: tuple[str, ...] = DEFAULT_STOP_AT
    encoding: str | None = None

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
    import re
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
