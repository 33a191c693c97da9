"""Localized metadata: digits, dates and language names for a target locale (Babel)."""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from translate.article import Article, BlockKind
from translate.languages import Language
from translate.layout import Layout, LayoutKind, is_jekyll_document, jekyll_permalink, relative_link, site_permalink

if TYPE_CHECKING:
    from translate.bylines import BylineDate

_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

#: Date patterns per language; other languages use Babel's long format.
DATE_PATTERNS = {"km": "ថ្ងៃEEEE ទីd ខែMMMM ឆ្នាំy"}

#: Time-of-day patterns per language; other languages use Babel's short format
#: (Babel's ``km`` one is ``h:mm a`` with Latin AM/PM).
TIME_PATTERNS = {"km": "'ម៉ោង' H:mm"}


def uses_khmer_digits(lang: Language, khmer_digits: bool | None = None) -> bool:
    """Whether to write Khmer digits: ``khmer_digits`` when set, else only for Khmer."""
    return khmer_digits if khmer_digits is not None else lang.code.split("-")[0] == "km"


def localize_digits(text: str, lang: Language, khmer_digits: bool | None = None) -> str:
    """ASCII digits as the language writes them (Babel prints ASCII digits even for ``km``)."""
    return text.translate(_KHMER_DIGITS) if uses_khmer_digits(lang, khmer_digits) else text


def format_date(value: date, lang: Language, khmer_digits: bool | None = None) -> str:
    """A date as the target language writes it, e.g. ``ថ្ងៃព្រហស្បតិ៍ ទី២៦ ខែវិច្ឆិកា ឆ្នាំ២០២៦``."""
    from babel.dates import format_date as babel_format_date

    base = lang.code.split("-")[0]
    pattern = DATE_PATTERNS.get(base, "long")
    return localize_digits(babel_format_date(value, pattern, locale=lang.gettext), lang, khmer_digits)


def format_byline_date(value: BylineDate, lang: Language, khmer_digits: bool | None = None) -> str:
    """A byline's date (and time) as the target language writes it.

    The date as :func:`format_date` writes it; a time with the language's
    pattern joined as CLDR joins date and time (``{1}, {0}``); a time zone
    (``ICT``, ``GMT+7``) as the source wrote it.
    """
    from babel import Locale
    from babel.dates import format_time

    day = format_date(value.day, lang, khmer_digits)
    if value.at is None:
        return day
    base = lang.code.split("-")[0]
    clock = localize_digits(format_time(value.at, TIME_PATTERNS.get(base, "short"), locale=lang.gettext), lang, khmer_digits)
    if value.zone:
        clock = f"{clock} {value.zone}"
    joined = "{1} {0}" if base in TIME_PATTERNS else str(Locale.parse(lang.gettext).datetime_formats["medium"])
    joined = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", joined)
    return joined.replace("{0}", clock).replace("{1}", day)


def byline_dates(article: Article) -> list[tuple[int, BylineDate]]:
    """The dates of an article's bylines that parse, with their block indexes."""
    from translate.bylines import date_of

    found = []
    for index, block in enumerate(article.blocks):
        if block.kind is BlockKind.DATE:
            value = date_of(block, article.source, article.format)
            if value is not None:
                found.append((index, value))
    return found


def language_name(code: str, in_lang: Language) -> str:
    """The name of language ``code`` in ``in_lang`` (``en`` in Khmer: ``អង់គ្លេស``)."""
    from babel import Locale

    locale = Locale.parse(code.replace("_", "-"), sep="-")
    return locale.get_display_name(in_lang.gettext) or code


def article_date(article: Article) -> date | None:
    """The article's date: its YAML front matter's ``date``, else its first byline date."""
    found = front_matter_date(article)
    if found is None:
        dates = byline_dates(article)
        found = dates[0][1].day if dates else None
    return found


def front_matter_date(article: Article) -> date | None:
    """The ``date`` of a Markdown article's YAML front matter, if it has a readable one."""
    from translate.formats.frontmatter import top_level_scalar

    if article.format != "markdown" or not article.source.startswith("---\n"):
        return None
    end = article.source.find("\n---", 3)
    if end == -1:
        return None
    value = top_level_scalar(article.source[4:end], "date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)


def add_metadata(
    text: str,
    article: Article,
    lang: Language,
    khmer_digits: bool | None = None,
    *,
    layout: Layout | None = None,
    target: Path | None = None,
) -> str:
    """Static-site metadata in a localized article.

    Markdown front matter gets ``translationKey`` (Hugo's link between the
    editions, for the ``flat`` layout; in the Hugo layouts Hugo pairs the
    editions by their paths, and a key on the translation alone would break
    the link back to the English page) and, when the article has a ``date``,
    ``date_display`` written for the language (``date`` itself stays ISO for
    the site generator); HTML gets ``<link rel="alternate" hreflang>`` to both
    editions before ``</head>`` (relative to ``target`` in the layouts that
    mirror the source tree; beside the article in ``flat``). Plain text has
    no place for it and is returned as it is.
    """
    layout = layout or Layout()
    if article.format == "markdown":
        lines = [] if layout.hugo else [("translationKey", article.slug)]
        when = article_date(article)
        if when is not None:
            lines.append(("date_display", format_date(when, lang, khmer_digits)))
        return add_front_matter(text, lines)
    if article.format == "html":
        match = _HEAD_END.search(text)
        if match is None:
            return text
        from translate.safety.urls import relative_href

        if target is None or layout.kind is LayoutKind.FLAT:
            hrefs = ((layout.source_lang, article.path.name), (lang.code, f"{article.slug}.{lang.code}{article.path.suffix}"))
        else:
            hrefs = ((layout.source_lang, relative_link(article.path, target.parent)), (lang.code, target.name))
        links = "".join(f'<link rel="alternate" hreflang="{html.escape(code)}" href="{html.escape(relative_href(href))}">\n' for code, href in hrefs)
        return text[: match.start()] + links + text[match.start() :]
    return text


def front_matter_keys(text: str) -> set[str] | None:
    """The top-level keys of a Markdown text's YAML or TOML front matter; ``None`` when it has none (or none that parses)."""
    import tomllib

    import yaml

    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            closing = text.find(f"\n{fence}", len(fence))
            if closing == -1:
                return None
            body = text[len(fence) + 1 : closing + 1]
            try:
                data = yaml.safe_load(body) if fence == "---" else tomllib.loads(body)
            except (yaml.YAMLError, tomllib.TOMLDecodeError):
                return None
            return set(data) if isinstance(data, dict) else set() if data is None else None
    return None


def add_front_matter(text: str, lines: list[tuple[str, str]]) -> str:
    """``key: value`` lines added at the end of a YAML (``key = value`` in TOML) front matter.

    Keys the front matter has already are left as they are; values are
    written as JSON strings (valid YAML and TOML). Text without a front
    matter is returned as it is.
    """
    for fence, sep in (("---", ": "), ("+++", " = ")):
        if text.startswith(fence + "\n"):
            closing = text.find(f"\n{fence}", len(fence))
            if closing == -1:
                return text
            head = text[: closing + 1]
            present = front_matter_keys(text) or set()
            added = "".join(
                f"{key}{sep}{json.dumps(value, ensure_ascii=False)}\n" for key, value in lines if key not in present and f"\n{key}" not in head
            )
            if fence == "+++" and added:
                table = re.search(r"^\s*\[", head, re.MULTILINE)
                if table is not None:  # keys after a [table] header would belong to it
                    return head[: table.start()] + added + head[table.start() :] + text[closing + 1 :]
            return head + added + text[closing + 1 :]
    return text


def add_permalink(text: str, article: Article, layout: Layout) -> str:
    """A Jekyll page's translation with the English page's URL (jekyll-polyglot pairs pages by it).

    The front matter's own ``permalink`` is kept as the source wrote it
    (the translation has the same one); a page without one gets the URL
    Jekyll gives the English page (:func:`translate.layout.jekyll_permalink`,
    after the site's ``_config.yml`` in the source root). Posts and
    collection documents keep their file name in ``_posts/<lang>/``, which
    gives them the English URL already.

    Raises:
        InputError: the article is outside the layout's source root.
    """
    relative = layout.relative(article.path)
    if is_jekyll_document(relative):
        return text
    keys = front_matter_keys(text)
    if keys is None or "permalink" in keys:
        return text
    return add_front_matter(text, [("permalink", jekyll_permalink(relative, site_permalink(layout.root)))])
