"""Which article a catalog belongs to, so that two articles never share one.

Catalog names come from file names and paths (:mod:`translate.catalog.names`),
and a name can still be taken: by a catalog copied from elsewhere, or by an
article whose path makes the same name as another's. The template and every catalog record the
article they belong to in the header field ``X-Translate-Article``: its path
relative to the folder that holds the catalog tree (the workspace root in the
usual layout, where ``locales/`` sits next to the articles), with ``/``
separators. gettext tools keep ``X-`` fields (``msgmerge`` copies the
catalog's header; ``msgfmt -c`` accepts them).

Every command that uses an article's catalogs checks the field first: a
catalog that belongs to another article is refused with an
:class:`~translate.errors.OwnershipError` naming both. A catalog without the
field (written before it existed) is taken by the first article that writes
it; so is a catalog whose recorded article no longer exists (it was moved or
renamed). The field is independent of how catalog names are made.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

import polib

from translate.errors import OwnershipError

log = logging.getLogger(__name__)

FIELD = "X-Translate-Article"


def catalog_root(locales: Path) -> Path:
    """The folder article paths are recorded relative to: the one holding the catalog tree."""
    return locales.resolve().parent


#: What a header value cannot hold as it is: percent-encoded (the bytes of the file name), as in ``#:`` references.
_NOT_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff%]")


def article_key(article: Path, locales: Path) -> str:
    """How a catalog names its article: the path relative to :func:`catalog_root`, POSIX separators.

    A line break, a control character, a byte that is not UTF-8 and ``%`` are
    percent-encoded, so the key is one line of UTF-8 in the header.
    """
    root = catalog_root(locales)
    resolved = article.resolve()
    key = resolved.as_posix() if resolved.anchor != root.anchor else Path(os.path.relpath(resolved, root)).as_posix()
    return _NOT_IN_HEADER.sub(lambda match: "".join(f"%{byte:02X}" for byte in os.fsencode(match.group())), key)


def key_path(root: Path, key: str) -> Path:
    """The file an article key names (the inverse of the encoding of :func:`article_key`)."""
    return root / os.fsdecode(unquote_to_bytes(key))


def owner(catalog: polib.POFile | None) -> str | None:
    """The article recorded in a catalog's header, ``None`` when none is."""
    if catalog is None:
        return None
    return catalog.metadata.get(FIELD, "").strip() or None


def check_owner(catalog: polib.POFile | None, catalog_path: Path, article: Path, locales: Path) -> None:
    """Refuse to use another article's catalog.

    Raises:
        OwnershipError: the catalog records another article, and that article
            still exists (both named as recorded: relative to :func:`catalog_root`).
    """
    recorded = owner(catalog)
    key = article_key(article, locales)
    if recorded is None or recorded == key:
        return
    if not key_path(catalog_root(locales), recorded).exists():
        log.info("%s: belonged to %s, which no longer exists; %s takes it over", catalog_path, recorded, key)
        return
    shown = catalog_path.resolve()
    if shown.is_relative_to(catalog_root(locales)):
        shown = shown.relative_to(catalog_root(locales))
    raise OwnershipError(
        f"cannot use {shown.as_posix()}: it belongs to {recorded}",
        path=article,
        hint="two articles have the same catalog name; rename a folder or file of one of them (docs/static-sites.md#catalog-names)",
    )


def claim(catalog: polib.POFile, article: Path, locales: Path) -> None:
    """Record ``article`` as the catalog's article (in place)."""
    catalog.metadata[FIELD] = article_key(article, locales)
