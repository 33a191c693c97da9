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


CONFIG_FILE = "translate.toml"


def read_config_table(table: str, path: Path | None = None, cwd: Path | None = None) -> dict[str, Any]:
    """One table of the configuration file (``translate.toml`` in the working folder, or ``path``).

    A missing default file is an empty configuration; a missing explicit file
    is an error.

    Raises:
        ConfigError: the file cannot be read or is not valid TOML (with its line).
    """
    import tomllib

    target = path or (cwd or Path.cwd()) / CONFIG_FILE
    if path is None and not target.is_file():
        return {}
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError("no such configuration file", path=target, hint="check --config") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot be read: {error}", path=target) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"is not valid TOML: {error}", path=target, hint="fix the file") from error
    value = data.get(table, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{table}] must be a table", path=target)
    return value
