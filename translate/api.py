"""The library's entry points: extract catalogs, publish articles, report status.

Each function takes many articles and keeps going when one fails: the error
is returned in that article's result, never raised, so that a batch reports
every problem at once. The command line is a thin layer over these.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import polib

from translate.article import Article, article_slug
from translate.catalog.header import catalog_metadata
from translate.catalog.merge import MergeReport, merge
from translate.catalog.paths import catalog_path, find_catalogs, template_path
from translate.catalog.stats import CatalogStats, catalog_stats
from translate.catalog.store import read_catalog, render_catalog, snapshot, update_catalog, write_atomic
from translate.catalog.template import build_template, same_entries
from translate.config import ReadOptions
from translate.editions import Edition, EditionFormat, bilingual_path, edition_info, render_edition
from translate.errors import CatalogError, InputError, TranslateError
from translate.glossary import load_glossary
from translate.languages import Language
from translate.khmer import KhmerOptions
from translate.load import load_article
from translate.mt.memory import TranslationMemory, default_memory_path
from translate.mt.models import ResolvedModel
from translate.mt.service import CatalogResult, EngineSpec, MTRun, Progress
from translate.mt.service import machine_translate as run_machine_translation
from translate.mt.setup import MTSettings, choose_backend, load_engine, resolve
from translate.publish import PublishOptions, localize, output_path, translate_blocks
from translate.rules import PublishRules, check_rules
from translate.terms import TermUse, collect_terms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workspace:
    """Where catalogs live and how articles are read.

    Attributes:
        locales: the catalog tree (``templates/`` and one folder per language).
        read: how articles are read.
        fmt: force one article format instead of guessing from extensions.
        base: folder that ``#:`` references are relative to (default: working folder).
    """

    locales: Path = Path("locales")
    read: ReadOptions = field(default_factory=ReadOptions)
    fmt: str | None = None
    base: Path | None = None

    def load(self, path: Path) -> Article:
        return load_article(path, self.read, self.fmt)


@dataclass(frozen=True)
class CatalogUpdate:
    """What extraction did to one language's catalog."""

    lang: Language
    path: Path
    report: MergeReport
    written: bool


@dataclass(frozen=True)
class ExtractResult:
    """Extraction of one article."""

    path: Path
    template: Path | None = None
    sentences: int = 0
    catalogs: tuple[CatalogUpdate, ...] = ()
    error: TranslateError | None = None


@dataclass(frozen=True)
class PublishResult:
    """Publication of one article in one language."""

    path: Path
    output: Path | None = None
    sentences: int = 0
    translated: int = 0
    error: TranslateError | None = None
    reviewed: int = 0


@dataclass(frozen=True)
class StatusRow:
    """Review state of one article's catalog in one language.

    Attributes:
        stats: entry counts; ``None`` when the catalog is missing or cannot be read.
        article: the article file (workspace status; ``None`` when only catalogs were looked at).
        changed: the article's English changed since its catalogs were updated
            (workspace status; ``None`` when not known).
    """

    slug: str
    lang: str
    path: Path
    stats: CatalogStats | None = None
    error: TranslateError | None = None
    article: Path | None = None
    changed: bool | None = None


def _unique_slugs(paths: Sequence[Path]) -> dict[Path, TranslateError]:
    """Errors for articles whose slug (catalog domain) another article already has."""
    owners: dict[str, Path] = {}
    errors: dict[Path, TranslateError] = {}
    for path in paths:
        try:
            slug = article_slug(path)
        except InputError as error:
            errors[path] = error
            continue
        owner = owners.setdefault(slug, path)
        if owner != path:
            errors[path] = InputError(
                f"has the same catalog name {slug!r} as {owner}",
                path=path,
                hint="rename one of them: the file name before the first dot names its catalogs",
            )
    return errors


def _updated_template(article: Article, locales: Path, now: datetime, base: Path | None) -> tuple[polib.POFile, Path]:
    """Build the article's template; rewrite the file only when its entries changed.

    The template is made from the article alone, so one that cannot be read
    (a bad hand edit, a merge conflict) is written again, with a warning.
    """
    path = template_path(locales, article.slug)
    pot = build_template(article, created=now, base=base)
    try:
        old, seen = read_catalog(path)
    except CatalogError as error:
        where = f"{error.path}:{error.line}" if error.line is not None else str(error.path)
        log.warning("%s: %s; the template is made again from the article", where, error.message)
        old, seen = None, snapshot(path)
    if old is not None and same_entries(old, pot):
        return old, path
    write_atomic(path, render_catalog(pot), expected=seen)
    return pot, path


def _update_language(pot: polib.POFile, locales: Path, slug: str, lang: Language, now: datetime) -> CatalogUpdate:
    path = catalog_path(locales, slug, lang.gettext)
    reports: list[MergeReport] = []

    def change(old: polib.POFile | None) -> polib.POFile:
        merged, report = merge(old, pot)
        merged.metadata = catalog_metadata(pot.metadata, old.metadata if old is not None else None, lang, now)
        if old is None:
            merged.header = f"{lang.english_name} translation of the article {slug}."
        reports.append(report)
        return merged

    update = update_catalog(path, change)
    return CatalogUpdate(lang=lang, path=path, report=reports[-1], written=update.written)


def extract(paths: Iterable[str | Path], langs: Sequence[Language], workspace: Workspace | None = None, *, now: datetime | None = None) -> list[ExtractResult]:
    """Write or update the template and each language's catalog of every article.

    Args:
        paths: article files.
        langs: target languages; an empty sequence updates only templates.
        workspace: catalog tree and reading options.
        now: the time written in headers (default: now, UTC).
    """
    workspace = workspace or Workspace()
    now = now or datetime.now(timezone.utc).replace(second=0, microsecond=0)
    paths = [Path(p) for p in paths]
    clashes = _unique_slugs(paths)
    results = []
    for path in paths:
        if path in clashes:
            results.append(ExtractResult(path, error=clashes[path]))
            continue
        try:
            article = workspace.load(path)
            pot, pot_path = _updated_template(article, workspace.locales, now, workspace.base)
            updates = tuple(_update_language(pot, workspace.locales, article.slug, lang, now) for lang in langs)
            results.append(ExtractResult(path, template=pot_path, sentences=len(pot), catalogs=updates))
        except TranslateError as error:
            results.append(ExtractResult(path, error=error))
    return results


def publish(
    paths: Iterable[str | Path],
    lang: Language,
    out_dir: Path,
    workspace: Workspace | None = None,
    options: PublishOptions | None = None,
    *,
    edition: Edition = Edition.LOCALIZED,
    edition_format: EditionFormat | None = None,
    rules: PublishRules | None = None,
    highlight_unreviewed: bool = False,
) -> list[PublishResult]:
    """Publish every article in one language.

    The localized edition is ``<out_dir>/<slug>.<lang>.<ext>`` in the source
    format, or ``<slug>.<lang>.md`` with ``edition_format`` Markdown (plain
    text and HTML converted, see :mod:`translate.editions.localized_markdown`);
    the bilingual one ``<out_dir>/<slug>.en-<lang>.html`` (the default) or
    ``.md``. An article that breaks ``rules`` is not written and any previous
    output is left as it was.

    Raises:
        PublishError: (in a result) a localized HTML edition asked of an article that is not HTML.
    """
    from translate.editions import localized_markdown_edition
    from translate.editions.localized_markdown import localized_markdown_path
    from translate.errors import PublishError

    workspace = workspace or Workspace()
    options = options or PublishOptions()
    results = []
    for path in map(Path, paths):
        try:
            article = workspace.load(path)
            po_path = catalog_path(workspace.locales, article.slug, lang.gettext)
            catalog, _ = read_catalog(po_path)
            if catalog is None:
                raise CatalogError(
                    f"has no {lang.english_name} catalog ({po_path})",
                    path=path,
                    hint=f"run: translate extract {path} --to {lang.code}",
                )
            translated = translate_blocks(article, catalog, lang, options)
            if rules is not None:
                check_rules(translated, rules)
            if edition is Edition.BILINGUAL:
                fmt = edition_format or EditionFormat.HTML
                target = bilingual_path(article, lang, out_dir, fmt)
                info = edition_info(article, translated, options, highlight_unreviewed=highlight_unreviewed)
                data = render_edition(translated, fmt, info).encode("utf-8")
                used = translated.used(options.include_fuzzy)
            elif edition_format is EditionFormat.MARKDOWN and article.format != "markdown":
                target = localized_markdown_path(article, lang, out_dir)
                data = localized_markdown_edition(translated, options).encode("utf-8")
                used = translated.used(options.include_fuzzy)
            elif edition_format is EditionFormat.HTML and article.format != "html":
                raise PublishError(
                    f"is {article.format}, and a localized HTML edition is written only from HTML articles",
                    path=path,
                    hint="use --edition-format md, or --edition bilingual for an HTML page",
                )
            else:
                localized = localize(article, catalog, lang, options)
                target = output_path(article, lang, out_dir)
                data, used = localized.data, localized.translated
            write_atomic(target, data)
            results.append(PublishResult(path, output=target, sentences=translated.sentences, translated=used, reviewed=translated.reviewed))
        except TranslateError as error:
            results.append(PublishResult(path, error=error))
    return results


def status(paths: Iterable[str | Path] = (), langs: Sequence[Language] = (), workspace: Workspace | None = None) -> list[StatusRow]:
    """Review state of catalogs: of the given articles, or of every catalog in the tree.

    For a whole workspace (every configured article, language totals, and
    articles whose English changed since their catalogs were updated) see
    :func:`translate.workspace.status.workspace_status`, whose rows are
    ``StatusRow`` too, with ``article`` and ``changed`` filled in.

    Args:
        paths: articles whose catalogs to report; all catalogs when empty.
        langs: languages to report; all languages found when empty.
    """
    workspace = workspace or Workspace()
    wanted = {lang.gettext for lang in langs}
    slugs = {Path(p).name.split(".", 1)[0] for p in paths}  # a name starting with a dot matches no catalog
    rows = []
    for lang, po_path in find_catalogs(workspace.locales):
        slug = po_path.stem
        if (wanted and lang not in wanted) or (slugs and slug not in slugs):
            continue
        try:
            catalog, _ = read_catalog(po_path)
            assert catalog is not None
            rows.append(StatusRow(slug, lang, po_path, stats=catalog_stats(catalog)))
        except TranslateError as error:
            rows.append(StatusRow(slug, lang, po_path, error=error))
    return rows


@dataclass(frozen=True)
class MTRequest:
    """A machine-translation run's settings beyond the articles and languages.

    Attributes:
        settings: model, backend and decoding settings.
        memory: the translation-memory file (default: :func:`translate.mt.memory.default_memory_path`).
        retranslate_machine: also replace fuzzy machine text that nobody edited.
        khmer: post-processing of Khmer machine output (default: KhmerOptions()).
        glossaries: glossary files (CSV or TBX) used besides each language's own
            ``locales/<lang>/glossary.csv`` (see :mod:`translate.glossary`).
    """

    settings: MTSettings = field(default_factory=lambda: MTSettings())
    memory: Path | None = None
    retranslate_machine: bool = False
    khmer: KhmerOptions | None = None
    glossaries: tuple[Path, ...] = ()


def machine_translate(
    paths: Iterable[str | Path],
    langs: Sequence[Language],
    workspace: Workspace | None = None,
    request: MTRequest | None = None,
    *,
    progress: Progress | None = None,
    on_model: Callable[[ResolvedModel], None] | None = None,
) -> MTRun:
    """Fill the catalogs of articles with machine translations (fuzzy), loading the model at most once.

    Args:
        on_model: called with the resolved model before anything is translated
            (the command line prints the license warning there).

    Raises:
        TranslateError: the model cannot be found, pulled or loaded, or the memory opened.
    """
    workspace = workspace or Workspace()
    request = request or MTRequest()
    glossary = load_glossary(workspace.locales, [lang.gettext for lang in langs], request.glossaries)
    model, _ = resolve(request.settings)
    if on_model is not None:
        on_model(model)
    backend = choose_backend(request.settings, model)
    spec = EngineSpec(backend, model, request.settings.decoding)
    articles: list[tuple[Path, str]] = []
    unnamed: list[CatalogResult] = []
    for path in map(Path, paths):
        try:
            articles.append((path, article_slug(path)))
        except InputError as error:
            unnamed.extend(CatalogResult(path, lang.code, error=error) for lang in langs)
    with TranslationMemory(request.memory or default_memory_path()) as memory:
        run = run_machine_translation(
            articles,
            langs,
            workspace.locales,
            spec,
            lambda: load_engine(request.settings, model, backend),
            memory,
            retranslate_machine=request.retranslate_machine,
            progress=progress,
            khmer=request.khmer,
            glossary=glossary,
        )
    if not unnamed:
        return run
    return replace(run, results=(*unnamed, *run.results), errors=(*(r.error for r in unnamed if r.error), *run.errors))


def find_terms_in(
    paths: Iterable[str | Path],
    lang: Language,
    workspace: Workspace | None = None,
    glossaries: Sequence[Path] = (),
    *,
    min_count: int = 1,
) -> tuple[list[TermUse], list[TranslateError]]:
    """The terms of articles with their translations in ``lang`` (see :mod:`translate.terms`).

    Articles or catalogs that cannot be read are returned as errors; the others are used.

    Raises:
        ConfigError: a glossary file cannot be read.
    """
    workspace = workspace or Workspace()
    glossary = load_glossary(workspace.locales, [lang.gettext], glossaries)
    articles: dict[str, Article] = {}
    catalogs: dict[str, polib.POFile | None] = {}
    errors: list[TranslateError] = []
    for path in map(Path, paths):
        try:
            slug = article_slug(path)
            articles[slug] = workspace.load(path)
            catalogs[slug], _ = read_catalog(catalog_path(workspace.locales, slug, lang.gettext))
        except TranslateError as error:
            errors.append(error)
    return collect_terms(articles, catalogs, glossary.for_language(lang.gettext), min_count=min_count), errors
