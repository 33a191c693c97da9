"""Options that shape how articles are read, with their documented defaults."""

from __future__ import annotations

from dataclasses import dataclass

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
