"""Catalog names: the gettext domain of each article's template and catalogs.

An article's catalogs are ``templates/<name>.pot`` and
``<lang>/LC_MESSAGES/<name>.po``. The name is the file name up to its first
dot (``story.md`` and ``story.en.md`` -> ``story``) when that names the
article alone. When it does not, the name is made from the article's path
relative to the folder holding the catalog tree (the workspace root in the
usual layout), its folders joined with ``-``:

* page bundles: ``content/post/angkor/index.md`` -> ``content-post-angkor``
  (``index``, ``_index`` and ``README`` name no article: the folder does);
* two articles of one run or workspace with one file name:
  ``a/story.md`` -> ``a-story``, ``b/story.md`` -> ``b-story``;
* an article whose file name is taken by another existing article's
  catalogs (recorded in ``X-Translate-Article``, see
  :mod:`translate.catalog.owner`).

Names never change under a translator's feet: an article whose catalogs
exist under either name keeps that name (the template records its article),
so ``a/story.md``, extracted alone as ``story``, stays ``story`` when a
``b/story.md`` appears, which becomes ``b-story``. The name depends only on
the article's path and on the catalogs on disk, so every machine with the
same files finds the same names. Names are flat file names, not folders:
Poedit, Weblate's component discovery (one ``*`` per path part), GNU
``msgfmt`` and Python's ``gettext`` all take them as they are.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath

from translate.catalog.owner import FIELD, article_key, catalog_root, key_path
from translate.catalog.paths import template_path
from translate.article import UNNAMEABLE, article_slug
from translate.errors import InputError

log = logging.getLogger(__name__)

#: File names that name a folder's page, not an article (Hugo page bundles, sections, READMEs).
BUNDLE_NAMES = frozenset({"index", "_index", "readme"})

_STRING_LINE = re.compile(r'^\s*"(.*)"\s*$')


def file_slug(path: Path | PurePosixPath) -> str:
    """The file name up to its first dot: ``a/story.en.md`` -> ``story``."""
    return path.name.split(".", 1)[0]


def is_bundle_file(path: Path | PurePosixPath) -> bool:
    """Whether the file name names its folder's page (``index.md``, ``_index.km.md``, ``README.md``)."""
    return file_slug(path).casefold() in BUNDLE_NAMES


def path_name(key: str) -> str:
    """The name made from an article's relative path (POSIX): folders and file name joined with ``-``.

    A bundle file's own name is left out (``post/angkor/index.md`` ->
    ``post-angkor``), except at the top, where the folder has no name.
    """
    parts = [part for part in PurePosixPath(key).parts if part not in ("/", ".", "..")]
    if not parts:
        return key
    stem = parts[-1].split(".", 1)[0]
    folders = parts[:-1]
    if folders and stem.casefold() in BUNDLE_NAMES:
        return "-".join(folders)
    return "-".join([*folders, stem])


def recorded_article(pot: Path) -> str | None:
    """The article a template records (``X-Translate-Article``), read from its header only; ``None`` if none.

    Only the header entry (up to the first blank line) is read, so that
    finding the names of a large workspace stays fast.
    """
    try:
        with pot.open("rb") as handle:
            head = handle.read(16384)
    except OSError:
        return None
    text = head.decode("utf-8", "replace").replace("\r\n", "\n")
    end = text.find("\n\n")
    lines = (text if end == -1 else text[:end]).split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("msgstr ")), None)
    if start is None:
        return None
    strings = [_STRING_LINE.match(lines[start][len("msgstr ") :])]
    strings.extend(_STRING_LINE.match(line) for line in lines[start + 1 :])
    value = "".join(match.group(1) for match in strings if match is not None)
    for field in value.split("\\n"):
        name, _, recorded = field.partition(":")
        if name.strip() == FIELD:
            return recorded.strip().replace('\\"', '"').replace("\\\\", "\\") or None
    return None


def _claimed_by_other(recorded: str | None, key: str, root: Path) -> bool:
    """Whether a template belongs to another article that still exists."""
    return recorded is not None and recorded != key and key_path(root, recorded).exists()


def catalog_name(path: Path, locales: Path, *, shared: bool = False) -> str:
    """The catalog name of one article (see the module's description).

    Args:
        path: the article file.
        locales: the catalog tree.
        shared: another article of the same run or workspace has the same file name.
    """
    key = article_key(path, locales)
    short = file_slug(path)
    long = path_name(key)
    if long == short:
        return short
    root = catalog_root(locales)
    if recorded_article(template_path(locales, long)) == key:
        return long
    recorded = recorded_article(template_path(locales, short))
    if recorded == key:
        return short
    if shared or is_bundle_file(path) or _claimed_by_other(recorded, key, root):
        return long
    return short


def unnameable_name(name: str, path: Path) -> InputError | None:
    """An error when a name made from folders holds what catalog files and headers cannot (a line break, a control character)."""
    if UNNAMEABLE.search(name) is None:
        return None
    return InputError(
        f"is in a folder whose name cannot name its catalogs ({name!r})",
        path=path,
        hint="rename the folder: catalog file names and headers take printable UTF-8 text",
    )


def catalog_names(paths: Sequence[Path], locales: Path, decided: Mapping[Path, str] | None = None) -> tuple[dict[Path, str], dict[Path, InputError]]:
    """The catalog names of the articles of one run, and an error for each article whose name another also has.

    Args:
        paths: the articles.
        locales: the catalog tree.
        decided: names already chosen for some articles (by resolved path),
            e.g. by the workspace for all its articles at once.

    Returns:
        ``(names, clashes)``: a name for every article not in ``clashes``;
        every article of a clash is refused (renaming a folder or a file, or
        excluding one, resolves it), and so is one whose name cannot name
        catalogs (see :func:`translate.article.article_slug`).
    """
    decided = decided or {}
    unnameable: dict[Path, InputError] = {}
    for path in paths:
        try:
            article_slug(path)
        except InputError as error:
            unnameable[path] = error
    paths = [path for path in paths if path not in unnameable]
    slugs: dict[str, int] = {}
    for path in paths:
        slugs[file_slug(path)] = slugs.get(file_slug(path), 0) + 1
    names: dict[Path, str] = {}
    for path in paths:
        known = decided.get(path.resolve())
        names[path] = known if known is not None else catalog_name(path, locales, shared=slugs[file_slug(path)] > 1)
    holders: dict[str, list[Path]] = {}
    for path, name in names.items():
        if path.resolve() not in {p.resolve() for p in holders.get(name, [])}:
            holders.setdefault(name, []).append(path)
    clashes: dict[Path, InputError] = {}
    for name, same in holders.items():
        if len(same) < 2:
            continue
        for path in same:
            others = ", ".join(str(p) for p in same if p != path)
            clashes[path] = InputError(
                f"has the same catalog name {name!r} as {others}",
                path=path,
                hint="rename a folder or file of one of them, or leave one out (docs/static-sites.md#catalog-names)",
            )
    for path in clashes:
        names.pop(path, None)
    for path, name in list(names.items()):
        if name != file_slug(path) and (error := unnameable_name(name, path)) is not None:
            names.pop(path)
            clashes[path] = error
    return names, {**unnameable, **clashes}
