"""Bylines and the dates in them.

A byline is the short line that names the author and says when a story was
published or updated: ``By Jane Doe | 25 November 2026``, ``Published:
November 25, 2026 17:30 ICT``, ``Updated Nov 25, 2026``, or in HTML an
element whose ``class``, ``rel`` or ``itemprop`` says byline, author or date
(``<time itemprop="datePublished">``).

A recognised date in a byline is data, not prose: the readers cut it out of
the byline's text into a :attr:`BlockKind.DATE` block, which never goes into
a catalog and which publishing writes in the target language with Babel
(:func:`translate.metadata.format_byline_date`). The rest of the byline is a
:attr:`BlockKind.BYLINE` block translated through the catalog as usual. A
date that does not parse (``February 30, 2026``, ``yesterday``) stays part of
the byline's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from translate.article import Block, BlockKind, Slot, Span

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
_TIME = r"(?:,?\s+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<ampm>[AaPp])\.?[Mm]\.?)?(?:\s+(?P<zone>(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Z]{3,4}\b))?)?"
DATE = re.compile(
    rf"\b{_WEEKDAY}(?:"
    rf"(?P<d1>\d{{1,2}}){_ORDINAL}\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}){_ORDINAL},?\s+(?P<y2>\d{{4}})"
    rf"|(?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})(?=$|[^\d-])"
    rf"){_TIME}",
)
_KEYWORD = re.compile(r"(?i)(?:by|published|updated|last updated|first published|posted|posted on|date|dated)\b")
_NAMED = re.compile(r"By\s+\w*[A-Z]")
_SEPARATORS = "|·•—–-,:;/ \t\n"
_ENTITY = re.compile(r"&(?:middot|bull|mdash|ndash|nbsp|vert|#183|#8226|#8212|#8211|#160|#124|#x[bB]7);$")
_ENTITY_START = re.compile(r"^&(?:middot|bull|mdash|ndash|nbsp|vert|#183|#8226|#8212|#8211|#160|#124|#x[bB]7);")
_WRAPPING_START = re.compile(r"<([A-Za-z][\w-]*)\b[^<>]*>\s*$")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.*\S)\1")
_TAG = re.compile(r"<[^<>]*>|&[#\w]+;")
_BYLINE_MAX = 160
# A <time> start tag with a datetime attribute; the lookahead makes sure the tag
# ends before anything else is tried, so an unclosed one is read once.
_TIME_TAG = r"<time\b(?=[^<>]*+>)[^<>]*?\bdatetime\s*+=\s*+(['\"]?)([^'\"<>\s]++)\1[^<>]*+>"
#: ... and its text (white space around it left out) and end tag.
_TIME_ELEMENT = re.compile(_TIME_TAG + r"\s*+((?:\s*+[^<>\s]++)*+)\s*+</time\s*+>", re.IGNORECASE)
_TIME_BEFORE = re.compile(_TIME_TAG + r"\s*+$", re.IGNORECASE)


@dataclass(frozen=True)
class BylineDate:
    """A date read from a byline.

    Attributes:
        day: the calendar date.
        at: the time of day, if the byline gives one.
        zone: the time zone as written (``ICT``, ``GMT+7``), kept as it is.
    """

    day: date
    at: time | None = None
    zone: str | None = None


def parse_date(text: str) -> BylineDate | None:
    """Read an English date (``25 November 2026``, ``Nov. 25, 2026 5:30 pm ICT``, ``2026-11-25``).

    Returns ``None`` unless the whole of ``text`` is one valid date.
    """
    match = DATE.fullmatch(text.strip())
    return _value(match) if match else None


def _value(match: re.Match[str]) -> BylineDate | None:
    groups = match.groupdict()
    if groups["y3"]:
        year, month, day = int(groups["y3"]), int(groups["m3"]), int(groups["d3"])
    else:
        word = (groups["m1"] or groups["m2"]).rstrip(".").lower()
        year = int(groups["y1"] or groups["y2"])
        month = _MONTHS[word[:4] if word.startswith("sept") else word[:3]]
        day = int(groups["d1"] or groups["d2"])
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    at = None
    if groups["hour"] is not None:
        hour, minute = int(groups["hour"]), int(groups["minute"])
        ampm = (groups["ampm"] or "").lower()
        if ampm and not 1 <= hour <= 12:
            return None
        if ampm:
            hour = hour % 12 + (12 if ampm == "p" else 0)
        if hour > 23 or minute > 59:
            return None
        at = time(hour, minute)
    return BylineDate(when, at, groups["zone"])


def parse_iso(value: str) -> BylineDate | None:
    """Read a machine-readable date (``2026-11-25``, ``2026-11-25T17:30:00+07:00``)."""
    try:
        if len(value) == 10:
            return BylineDate(date.fromisoformat(value))
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return BylineDate(moment.date(), moment.time().replace(second=0, microsecond=0, tzinfo=None))


def date_of(block: Block, source: str, fmt: str) -> BylineDate | None:
    """The value of a DATE block: its text read as a date, else (HTML) the ``datetime`` of its ``<time>``."""
    value = parse_date(block.text)
    if value is None and fmt == "html":
        before = _TIME_BEFORE.search(source, max(0, block.pieces[0].start - 300), block.pieces[0].start)
        if before is not None:
            value = parse_iso(before.group(2))
    return value


def is_byline_text(text: str) -> bool:
    """Whether a one-line text block reads as a byline (plain text and Markdown).

    It is short, does not end like a sentence, and either holds a date and
    starts with a byline word (By, Published, Updated, Posted...), holds a
    date next to a separator (``|``, ``·``, ``•``) or is only a date; or it is
    ``By`` and a capitalised name (``By Sok Chan, Phnom Penh``).
    """
    core = _unwrap(text)[1].strip()
    if not core or "\n" in core or len(core) > _BYLINE_MAX or (core.endswith((".", "!", "?")) and not core.endswith(("a.m.", "p.m."))):
        return False
    if any(_value(match) is not None for match in DATE.finditer(core)):
        return parse_date(core) is not None or _KEYWORD.match(core) is not None or any(mark in core for mark in "|·•")
    return _NAMED.match(core) is not None


def _unwrap(text: str) -> tuple[int, str]:
    """Text inside a Markdown emphasis wrapping all of it, and where it starts."""
    match = _EMPHASIS.fullmatch(text)
    if match is None:
        return 0, text
    return len(match.group(1)), match.group(2)


def _has_letters(text: str) -> bool:
    return any(c.isalpha() for c in _TAG.sub("", text))


def split_byline(block: Block, source: str, fmt: str) -> tuple[Block, ...]:
    """A byline block as BYLINE blocks for its words and DATE blocks for its dates.

    Args:
        block: a one-piece block holding a byline.
        source: the article source (to find tags that wrap a date in HTML).
        fmt: ``text``, ``markdown`` or ``html``.

    Returns:
        The blocks in source order; just the block made a BYLINE when it
        holds no date that parses.
    """
    if block.slot is not Slot.RAW or len(block.pieces) != 1:
        return (block,)
    base = block.pieces[0].start
    text = block.text
    offset, inner = _unwrap(text) if fmt == "markdown" else (0, text)
    cuts: list[tuple[int, int, int, int]] = []  # outer start, date start, date end, outer end
    if fmt == "html":  # <time datetime="..."> holds a date whatever its text says
        for element in _TIME_ELEMENT.finditer(text):
            start, end = element.start(3), element.end(3)
            if start < end and parse_iso(element.group(2)) is not None:
                cuts.append((element.start(), start, end, element.end()))
    for match in DATE.finditer(inner):
        start, end = match.start() + offset, match.end() + offset
        if _value(match) is None or any(p.start < end and start < p.end for p in block.protected):
            continue
        if any(c[0] < end and start < c[3] for c in cuts):
            continue
        outer_start, outer_end = start, end
        if fmt == "html":
            outer_start, outer_end = _wrapping_tags(text, start, end)
        cuts.append((outer_start, start, end, outer_end))
    cuts.sort()
    if not cuts:
        return (replace(block, kind=BlockKind.BYLINE),)
    blocks: list[Block] = []
    previous = offset
    limit = offset + len(inner)
    for outer_start, start, end, outer_end in cuts:
        blocks.extend(_words(block, base, previous, outer_start, fmt))
        blocks.append(Block(BlockKind.DATE, text[start:end], (Span(base + start, base + end),), comment="date"))
        previous = outer_end
    blocks.extend(_words(block, base, previous, limit, fmt))
    return tuple(blocks)


def _wrapping_tags(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a date's range over the elements that hold only it (``<time ...>…</time>``)."""
    while True:
        opening = _WRAPPING_START.search(text, 0, start)
        if opening is None:
            return start, end
        closing = re.compile(rf"\s*</{re.escape(opening.group(1))}\s*>", re.IGNORECASE).match(text, end)
        if closing is None:
            return start, end
        start, end = opening.start(), closing.end()


def _words(block: Block, base: int, start: int, end: int, fmt: str) -> list[Block]:
    """The BYLINE block for ``[start, end)`` of the block's text, trimmed of separators."""
    text = block.text
    while start < end:
        entity = _ENTITY_START.match(text, start, end) if fmt == "html" else None
        if entity:
            start = entity.end()
        elif text[start] in _SEPARATORS:
            start += 1
        else:
            break
    while end > start:
        entity = _ENTITY.search(text, start, end) if fmt == "html" else None
        if entity:
            end = entity.start()
        elif text[end - 1] in _SEPARATORS and text[end - 1] != ":":  # "Published:" keeps its colon
            end -= 1
        else:
            break
    if not _has_letters(text[start:end]):
        return []
    protected = tuple(Span(max(p.start, start) - start, min(p.end, end) - start) for p in block.protected if p.start < end and start < p.end)
    return [Block(BlockKind.BYLINE, text[start:end], (Span(base + start, base + end),), comment=block.comment, protected=protected)]
