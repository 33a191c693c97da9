"""Catalog headers: the metadata gettext tools and editors expect."""

from __future__ import annotations

from datetime import datetime

from translate import __version__
from translate.catalog.owner import FIELD as ARTICLE_FIELD
from translate.languages import Language

GENERATOR = f"translate {__version__}"


def po_date(moment: datetime) -> str:
    """Format a date as gettext headers do: ``2026-11-26 09:30+0000``."""
    return moment.strftime("%Y-%m-%d %H:%M%z")


def template_metadata(slug: str, created: datetime) -> dict[str, str]:
    """Header of a ``.pot`` template."""
    return {
        "Project-Id-Version": slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": po_date(created),
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }


#: Header values of a blank catalog, as xgettext (and tools that copy it) write them.
_INITIAL_VALUES = frozenset({"YEAR-MO-DA HO:MI+ZONE", "FULL NAME <EMAIL@ADDRESS>", "LANGUAGE <LL@li.org>"})


def catalog_metadata(template: dict[str, str], old: dict[str, str] | None, lang: Language, now: datetime) -> dict[str, str]:
    """Header of a language's ``.po``: the template's, the translators' own fields kept.

    Fields a translator or editor sets (Last-Translator, Language-Team,
    PO-Revision-Date, any ``X-`` field) survive an update, unless they still
    hold the initial values of a blank catalog; the language
    fields are always set from Babel's locale data, and the article the
    catalog belongs to (``X-Translate-Article``) from the template.
    """
    metadata = dict(template)
    metadata["PO-Revision-Date"] = po_date(now)
    metadata["Last-Translator"] = "Automatically generated"
    metadata["Language-Team"] = f"{lang.english_name} <{lang.code}@translate.invalid>"
    if old:
        for key, value in old.items():
            if value.strip() in _INITIAL_VALUES:
                continue  # a tool's blank header (csv2po without a template writes one)
            if key in ("PO-Revision-Date", "Last-Translator", "Language-Team") or (key.startswith("X-") and key not in ("X-Generator", ARTICLE_FIELD)):
                metadata[key] = value
    metadata["Language"] = lang.gettext
    metadata["Plural-Forms"] = lang.plural_forms
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata["X-Generator"] = GENERATOR
    return metadata
