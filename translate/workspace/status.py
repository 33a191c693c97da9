"""Progress over a whole workspace: per language, per article, and what is out of date."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.catalog.stats import CatalogStats
from translate.errors import TranslateError
from translate.languages import Language, parse_languages
from translate.workspace.config import WorkspaceConfig
from translate.workspace.discover import Source, discover
from translate.workspace.state import Record, StateError, SyncState, file_digest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArticleStatus:
    """One article of the workspace.

    Attributes:
        rows: its catalogs, one per language (``stats`` is ``None`` when the catalog is missing or broken).
        changed: its English changed since its catalogs were updated (or it has no catalogs yet).
        errors: the article or a catalog cannot be read.
    """

    path: Path
    slug: str
    rows: tuple[object, ...]
    changed: bool
    errors: tuple[TranslateError, ...] = ()


@dataclass(frozen=True)
class LanguageTotal:
    """Entry counts of one language over all articles."""

    lang: str
    articles: int
    stats: CatalogStats
    missing: int

    @property
    def reviewed_percent(self) -> float:
        return self.stats.reviewed_percent


@dataclass(frozen=True)
class WorkspaceStatus:
    """What ``translate status`` reports for a workspace."""

    root: Path
    languages: tuple[str, ...]
    articles: tuple[ArticleStatus, ...]
    totals: tuple[LanguageTotal, ...]
    errors: tuple[TranslateError, ...]

    @property
    def changed(self) -> tuple[ArticleStatus, ...]:
        return tuple(a for a in self.articles if a.changed)


def _msgids(po: object) -> set[tuple[str | None, str]]:
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}  # type: ignore[attr-defined]


def _english_changed(config: WorkspaceConfig, source: Source, catalogs: Callable[[], list[object]], missing: bool, record: Record | None) -> bool:
    """Whether the article's sentences are no longer those of its catalogs (``catalogs`` reads them when needed)."""
    from translate.api import Workspace
    from translate.catalog.paths import template_path
    from translate.catalog.template import build_template
    from translate.workspace.setup import read_options

    if missing:
        return True
    if record is not None:
        files = dict(record.files)
        pot = template_path(config.locales, source.slug).as_posix()
        if files.get(source.path.as_posix()) == file_digest(config.path(source.path)) and pot in files and files[pot] == file_digest(config.path(Path(pot))):
            return False
    workspace = Workspace(locales=config.path(config.locales), read=read_options(config), base=config.root)
    current = _msgids(build_template(workspace.load(config.path(source.path)), base=config.root))
    return any(_msgids(c) != current for c in catalogs())


def _counts(stats: CatalogStats) -> tuple[int, ...]:
    return (stats.entries, stats.translated, stats.fuzzy, stats.untranslated, stats.obsolete)


def workspace_status(config: WorkspaceConfig, langs: Sequence[Language] = ()) -> WorkspaceStatus:
    """Progress of every article of the workspace in every language (``langs``: only these).

    Entry counts of catalogs are remembered in the sync state by digest, so a
    catalog that did not change since the last status is not parsed again.

    Raises:
        ConfigError: an invalid language in the configuration.
    """
    from translate.api import StatusRow
    from translate.catalog.paths import catalog_path
    from translate.catalog.stats import catalog_stats
    from translate.catalog.store import read_catalog

    langs = tuple(langs) or (parse_languages(",".join(config.languages)) if config.languages else ())
    sources, errors = discover(config)
    state_path = config.state_dir / "state.sqlite3"
    records: dict[str, Record] = {}
    cached: dict[str, tuple[str, tuple[int, ...]]] = {}
    if state_path.is_file():
        try:
            with SyncState(state_path) as state:
                records, cached = state.records(), state.cached_counts()
        except StateError as error:  # the state only saves work here: go on without it
            log.warning("%s", error)
    fresh: dict[str, tuple[str, tuple[int, ...]]] = {}
    articles = []
    sums: dict[str, list[int]] = {lang.code: [0] * 7 for lang in langs}
    for source in sources:
        rows, problems, paths, missing = [], [], [], False
        for lang in langs:
            relative = catalog_path(config.locales, source.slug, lang.gettext)
            paths.append(config.path(relative))
            digest = file_digest(config.path(relative))
            total = sums[lang.code]
            if digest is None:
                missing = True
                total[6] += 1
                rows.append(StatusRow(source.slug, lang.code, relative, article=source.path))
                continue
            known = cached.get(relative.as_posix())
            if known is not None and known[0] == digest and len(known[1]) == 5:
                stats = CatalogStats(*known[1])
            else:
                try:
                    catalog, _ = read_catalog(config.path(relative))
                except TranslateError as error:
                    problems.append(error)
                    rows.append(StatusRow(source.slug, lang.code, relative, error=error, article=source.path))
                    continue
                stats = catalog_stats(catalog) if catalog is not None else CatalogStats(0, 0, 0, 0, 0)
                fresh[relative.as_posix()] = (digest, _counts(stats))
            for i, value in enumerate((1, *_counts(stats))):
                total[i] += value
            rows.append(StatusRow(source.slug, lang.code, relative, stats=stats, article=source.path))

        def catalogs(paths: list[Path] = paths) -> list[object]:
            return [c for c in (read_catalog(p)[0] for p in paths) if c is not None]

        try:
            changed = _english_changed(config, source, catalogs, missing, records.get(source.path.as_posix())) if not problems else False
        except TranslateError as error:
            problems.append(error)
            changed = False
        rows = [dataclasses.replace(row, changed=changed) for row in rows]
        articles.append(ArticleStatus(source.path, source.slug, tuple(rows), changed, tuple(problems)))
    if fresh and state_path.is_file():
        try:
            with SyncState(state_path) as state:
                state.put_counts(fresh)
        except StateError as error:
            log.warning("%s", error)
    totals = tuple(LanguageTotal(code, t[0], CatalogStats(t[1], t[2], t[3], t[4], t[5]), t[6]) for code, t in sums.items())
    all_errors = tuple(errors) + tuple(e for a in articles for e in a.errors)
    return WorkspaceStatus(config.root, tuple(lang.code for lang in langs), tuple(articles), totals, all_errors)
