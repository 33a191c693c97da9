"""Where catalogs live: ``<locales>/templates/<slug>.pot`` and ``<locales>/<lang>/LC_MESSAGES/<slug>.po``."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = "templates"


def template_path(locales: Path, slug: str) -> Path:
    """The template (``.pot``) of an article."""
    return locales / TEMPLATES / f"{slug}.pot"


def catalog_path(locales: Path, slug: str, gettext_lang: str) -> Path:
    """The catalog (``.po``) of an article in one language (gettext name, e.g. ``pt_BR``)."""
    return locales / gettext_lang / "LC_MESSAGES" / f"{slug}.po"


def find_catalogs(locales: Path) -> list[tuple[str, Path]]:
    """All ``(language, .po path)`` pairs under ``locales``, sorted."""
    found = []
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        if lang != TEMPLATES:
            found.append((lang, po))
    return found
