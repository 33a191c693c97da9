"""Where a localized article is written: the file layouts of static-site generators.

* ``flat``: ``post/angkor/index.md`` -> ``<out>/<catalog name>.km.md``;
* ``hugo-filename``: ``content/post/angkor/index.md`` -> ``<out>/content/post/angkor/index.km.md``;
* ``hugo-contentdir``: ``content/en/post/angkor/index.md`` (source root
  ``content/en``) -> ``<out>/km/post/angkor/index.md``;
* ``jekyll``: ``_posts/2026-11-30-angkor.md`` -> ``<out>/_posts/km/2026-11-30-angkor.md``,
  ``about.md`` -> ``<out>/km/about.md``.

Every layout but ``flat`` mirrors the tree below the *source root* (the
folder the articles' paths are taken from: the working folder, or a
workspace's common source folder) into the output folder, so that an
output folder equal to the source root puts the translations where the
generator looks for them:

* ``hugo-filename``: Hugo's translation by file name, beside the English
  page in the same bundle; Hugo pairs ``index.md`` and ``index.km.md`` by
  their path, and the bundle's images serve both.
* ``hugo-contentdir``: Hugo's translation by content directory
  (``[languages.km] contentDir = "content/km"``): the same path below the
  language's own content folder; Hugo pairs pages by that path.
* ``jekyll``: jekyll-polyglot's conventions: the language folder is the
  first path segment, or the second under ``_posts`` and other
  ``_collections`` (where ``lang_from_path`` looks for it too); the page
  states ``lang`` and keeps the English page's URL, which polyglot serves
  under ``/km/``. A post placed in ``_posts/km/`` has the same URL as its
  English original; a page without its own ``permalink`` gets the one
  Jekyll gives the English page (:func:`jekyll_permalink`).

The output never replaces the English file: a target equal to its source is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

from translate.errors import ConfigError, InputError, WriteError


class LayoutKind(StrEnum):
    """The file layouts ``[publish] layout`` and ``--layout`` choose from."""

    FLAT = "flat"
    HUGO_FILENAME = "hugo-filename"
    HUGO_CONTENTDIR = "hugo-contentdir"
    JEKYLL = "jekyll"


#: Extensions of pages whose URL ends in ``.html`` on a Jekyll site.
_HTML_PAGES = frozenset({".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm"})


@dataclass(frozen=True)
class Layout:
    """Where localized articles go.

    Attributes:
        kind: the layout.
        source_root: the folder whose tree the output mirrors (``None``: the working folder).
        source_lang: the articles' language (a file name's language part such
            as ``index.en.md`` is dropped from the Khmer file's name).
    """

    kind: LayoutKind = LayoutKind.FLAT
    source_root: Path | None = None
    source_lang: str = "en"

    @property
    def hugo(self) -> bool:
        """Whether Hugo pairs the editions by their paths (no ``translationKey`` is written)."""
        return self.kind in (LayoutKind.HUGO_FILENAME, LayoutKind.HUGO_CONTENTDIR)

    @property
    def root(self) -> Path:
        return (self.source_root or Path.cwd()).resolve()

    def relative(self, article: Path) -> PurePosixPath:
        """The article's path below the source root.

        Raises:
            InputError: the article is not below it.
        """
        resolved = article.resolve()
        if not resolved.is_relative_to(self.root):
            raise InputError(
                f"is outside {self.root}, the folder the {self.kind} layout mirrors",
                path=article,
                hint="publish from the site's folder, or set the source root ([publish] source_root, --source-root)",
            )
        return PurePosixPath(resolved.relative_to(self.root).as_posix())

    def localized_path(self, article: Path, name: str, lang: str, out_dir: Path, suffix: str | None = None) -> Path:
        """The localized article's file.

        Args:
            article: the English article.
            name: its catalog name (the ``flat`` file name).
            lang: the target language code.
            out_dir: the output folder.
            suffix: the edition's extension (default: the article's own).

        Raises:
            InputError: the article is outside the source root.
            WriteError: the file would be the article itself.
        """
        suffix = article.suffix if suffix is None else suffix
        if self.kind is LayoutKind.FLAT:
            target = out_dir / f"{name}.{lang}{suffix}"
        else:
            rel = self.relative(article)
            base = _without_language(rel.name, self.source_lang).rsplit(".", 1)[0]
            if self.kind is LayoutKind.HUGO_FILENAME:
                target = out_dir / rel.parent / f"{base}.{lang}{suffix}"
            elif self.kind is LayoutKind.HUGO_CONTENTDIR:
                target = out_dir / lang / rel.parent / f"{base}{suffix}"
            else:
                target = out_dir / jekyll_place(rel.parent / f"{base}{suffix}", lang)
        if target.resolve() == article.resolve():
            raise WriteError(
                f"would be replaced by its own {lang} edition ({target})",
                path=article,
                hint="choose another output folder or layout",
            )
        return target

    def is_output(self, relative: PurePosixPath, output: PurePosixPath, langs: tuple[str, ...]) -> bool:
        """Whether a file is where this layout writes translations.

        Discovery leaves such files out: they are never English articles.
        Both paths are relative to one folder (a workspace's root).

        Args:
            relative: the file.
            output: the output folder.
            langs: the target language codes.
        """
        codes = {code.casefold() for code in langs}
        if not _below(relative, output):
            return False
        if self.kind is LayoutKind.FLAT:
            return True
        inside = PurePosixPath(*relative.parts[len(output.parts) :]) if output.parts not in ((), (".",)) else relative
        if self.kind is LayoutKind.HUGO_FILENAME:
            parts = inside.name.split(".")
            return len(parts) >= 3 and parts[-2].casefold() in codes
        if self.kind is LayoutKind.HUGO_CONTENTDIR:
            return len(inside.parts) > 1 and inside.parts[0].casefold() in codes
        return jekyll_language(inside, codes) is not None


def _below(path: PurePosixPath, folder: PurePosixPath) -> bool:
    return folder.parts in ((), (".",)) or path.parts[: len(folder.parts)] == folder.parts


def _without_language(name: str, source_lang: str) -> str:
    """A file name without its language part: ``index.en.md`` -> ``index.md``."""
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].casefold() == source_lang.casefold():
        del parts[-2]
    return ".".join(parts)


def _language_slot(parts: tuple[str, ...]) -> int:
    """Which path segment holds the language folder: after ``_posts`` or a ``_collection``, else the first."""
    if "_posts" in parts[:-1]:
        return parts.index("_posts") + 1
    if len(parts) > 1 and parts[0].startswith("_"):
        return 1
    return 0


def jekyll_place(relative: PurePosixPath, lang: str) -> PurePosixPath:
    """Where jekyll-polyglot finds a translation: ``_posts/km/x.md``, ``_news/km/x.md``, ``km/about.md``."""
    parts = relative.parts
    at = _language_slot(parts)
    return PurePosixPath(*parts[:at], lang, *parts[at:])


def jekyll_language(relative: PurePosixPath, codes: set[str]) -> str | None:
    """The target language of a file in a :func:`jekyll_place`, if it is in one."""
    parts = relative.parts
    at = _language_slot(parts)
    if at < len(parts) - 1 and parts[at].casefold() in codes:
        return parts[at]
    return None


def is_jekyll_document(relative: PurePosixPath) -> bool:
    """Whether a file is a post or collection document (its URL comes from the site's pattern), not a page."""
    return "_posts" in relative.parts[:-1] or (len(relative.parts) > 1 and relative.parts[0].startswith("_"))


def jekyll_permalink(relative: PurePosixPath, site_permalink: str | None = None) -> str:
    """The URL Jekyll gives a page that states none, as ``Jekyll::Page#template`` makes it.

    Args:
        relative: the page, relative to the site's source folder.
        site_permalink: ``permalink`` of the site's ``_config.yml`` (``date`` when unset).
    """
    folder = "/" + "/".join(relative.parts[:-1])
    basename, _, ext = relative.name.rpartition(".")
    if not basename:
        basename, ext = relative.name, ""
    ext = "." + ext if ext else ""
    html = ext.lower() in _HTML_PAGES
    output_ext = ".html" if html else ext
    style = (site_permalink or "date").strip()
    if not html:
        url = f"{folder}/{basename}{output_ext}"
    elif basename == "index":
        url = f"{folder}/"
    elif style == "pretty" or (style not in ("date", "ordinal", "none", "weekdate") and style.endswith("/")):
        url = f"{folder}/{basename}/"
    elif style in ("date", "ordinal", "none", "weekdate") or style.endswith(":output_ext"):
        url = f"{folder}/{basename}{output_ext}"
    else:
        url = f"{folder}/{basename}"
    while "//" in url:
        url = url.replace("//", "/")
    return url


def site_permalink(source_root: Path) -> str | None:
    """``permalink`` of the Jekyll site's ``_config.yml`` in ``source_root``, if it sets one."""
    import yaml

    config = source_root / "_config.yml"
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("permalink") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def relative_link(target: Path, start: Path) -> str:
    """A relative link from the folder ``start`` to ``target`` (POSIX separators)."""
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def parse_layout(value: str, *, where: str = "--layout", path: Path | None = None) -> LayoutKind:
    """A layout name.

    Raises:
        ConfigError: it is not one of :class:`LayoutKind`.
    """
    try:
        return LayoutKind(value)
    except ValueError:
        raise ConfigError(
            f"{where}: unknown layout {value!r}",
            path=path,
            hint="choose from " + ", ".join(kind.value for kind in LayoutKind),
        ) from None


def common_folder(patterns: tuple[str, ...] | list[str]) -> PurePosixPath:
    """The folder every source pattern starts in: ``content/en/**/*.md`` -> ``content/en``."""
    folders = []
    for pattern in patterns:
        parts = PurePosixPath(pattern.replace("\\", "/")).parts[:-1]
        literal = []
        for part in parts:
            if any(ch in part for ch in "*?["):
                break
            literal.append(part)
        folders.append(tuple(literal))
    if not folders:
        return PurePosixPath(".")
    common = folders[0]
    for folder in folders[1:]:
        size = 0
        while size < min(len(common), len(folder)) and common[size] == folder[size]:
            size += 1
        common = common[:size]
    return PurePosixPath(*common) if common else PurePosixPath(".")


def default_source_root(kind: LayoutKind, root: Path, patterns: tuple[str, ...] | list[str]) -> Path:
    """A workspace's source root when ``[publish] source_root`` is not set.

    The folder all source patterns start in; for ``jekyll`` the nearest one
    at or above it (inside ``root``) that holds the site's ``_config.yml``,
    else ``root``.
    """
    start = root / common_folder(patterns)
    if kind is not LayoutKind.JEKYLL:
        return start
    for folder in (start, *start.parents):
        if (folder / "_config.yml").is_file():
            return folder
        if folder == root or not folder.is_relative_to(root):
            break
    return root


def layout_settings(table: dict[str, object], *, base: Path, where: Path | None = None) -> tuple[LayoutKind, Path | None]:
    """``layout`` and ``source_root`` of a ``[publish]`` table (``source_root`` relative to ``base``).

    Raises:
        ConfigError: a value of the wrong type, or an unknown layout.
    """
    kind = table.get("layout", LayoutKind.FLAT.value)
    if not isinstance(kind, str):
        raise ConfigError("[publish] layout must be a string", path=where, hint="choose from " + ", ".join(k.value for k in LayoutKind))
    source_root = table.get("source_root")
    if source_root is not None and not isinstance(source_root, str):
        raise ConfigError("[publish] source_root must be a string (a folder)", path=where)
    return parse_layout(kind, where="[publish] layout", path=where), (base / source_root if source_root is not None else None)


def read_layout(kind: str | None = None, source_root: Path | None = None, config: Path | None = None) -> Layout:
    """The layout of a command: its options, else ``[publish]`` of ``translate.toml`` in the working folder.

    Raises:
        ConfigError: an unknown layout, or a bad setting in the file.
    """
    from translate.config import read_config_table

    table = read_config_table("publish", config)
    file_kind, file_root = layout_settings(table, base=(config.parent if config else Path.cwd()), where=config or Path("translate.toml"))
    chosen = parse_layout(kind) if kind is not None else file_kind
    return Layout(chosen, source_root if source_root is not None else file_root)
