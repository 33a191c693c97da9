"""The library's entry points: extract catalogs, publish articles, report status, exchange files.

Each function takes many articles and keeps going when one fails: the error
is returned in that article's result, never raised, so that a batch reports
every problem at once. The command line is a thin layer over these.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import polib

from translate.article import Article
from translate.catalog.annotate import Unconfirmed, as_reviewed
from translate.catalog.guard import KnownCatalogs
from translate.catalog.header import catalog_metadata
from translate.catalog.merge import MergeReport, merge
from translate.catalog.names import catalog_names
from translate.catalog.owner import catalog_root, check_owner, claim, owner
from translate.catalog.paths import catalog_path, find_catalogs, template_path
from translate.catalog.stats import CatalogStats, catalog_stats
from translate.catalog.provenance import Records, read_records
from translate.catalog.store import read_catalog, render_catalog, snapshot, write_atomic
from translate.catalog.template import build_template, same_entries
from translate.catalog.tracked import update_tracked
from translate.config import ReadOptions
from translate.editions import Edition, EditionFormat, bilingual_path, edition_info, render_edition
from translate.errors import BeingEditedError, CatalogError, InputError, OwnershipError, TranslateError
from translate.exchange.service import (  # noqa: F401  (entry points of translate xliff and translate memory)
    XliffVersion,
    export_memory,
    export_xliff,
    import_memory,
    import_xliff,
)
from translate.glossary import load_glossary
from translate.languages import Language
from translate.khmer import KhmerOptions
from translate.load import load_article
from translate.mt.jobs import ExecutorSettings, create_executor
from translate.mt.memory import TranslationMemory, default_memory_path
from translate.mt.models import ResolvedModel
from translate.mt.service import CatalogResult, EngineSpec, MTRun, Progress
from translate.mt.service import machine_translate as run_machine_translation
from translate.mt.setup import MTSettings, choose_backend, llm_for, load_engine, resolve, resolve_for_pool
from translate.publish import PublishOptions, Withheld, localize, output_path, translate_blocks
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
        base: folder that ``#:`` references are relative to (default: the
            folder holding the catalog tree, the workspace root in the usual
            layout, whatever folder the command runs in).
        known: what catalogs held when last read or written in good order, to
            tell a catalog cut short by a save in progress (see
            :mod:`translate.catalog.guard`); shared by the commands run with
            this workspace.
        catalog_names: catalog names already chosen, by resolved article path
            (a workspace names all its articles at once, see
            :mod:`translate.catalog.names`); other articles are named among
            those of the same call.
    """

    locales: Path = Path("locales")
    read: ReadOptions = field(default_factory=ReadOptions)
    fmt: str | None = None
    base: Path | None = None
    known: KnownCatalogs = field(default_factory=KnownCatalogs, compare=False, repr=False)
    catalog_names: Mapping[Path, str] = field(default_factory=dict, compare=False, repr=False)

    def load(self, path: Path, name: str | None = None) -> Article:
        """Read an article; ``name``: its catalog name."""
        article = load_article(path, self.read, self.fmt)
        return replace(article, catalog=name) if name is not None else article

    def names(self, paths: Sequence[Path]) -> tuple[dict[Path, str], dict[Path, TranslateError]]:
        """The catalog names of the articles of one call, and errors for those that clash."""
        names, clashes = catalog_names(paths, self.locales, self.catalog_names)
        return names, dict(clashes)


@dataclass(frozen=True)
class CatalogUpdate:
    """What extraction did to one language's catalog (``error``: nothing, and why)."""

    lang: Language
    path: Path
    report: MergeReport | None
    written: bool
    error: TranslateError | None = None


@dataclass(frozen=True)
class ExtractResult:
    """Extraction of one article.

    Attributes:
        error: the article could not be extracted at all.
        catalogs: each language's catalog; one that failed (being edited,
            another article's, corrupt) has its own error and the others are done.
    """

    path: Path
    template: Path | None = None
    sentences: int = 0
    catalogs: tuple[CatalogUpdate, ...] = ()
    error: TranslateError | None = None

    @property
    def errors(self) -> tuple[TranslateError, ...]:
        """The article's error and those of its catalogs."""
        return ((self.error,) if self.error is not None else ()) + tuple(c.error for c in self.catalogs if c.error is not None)

    def failed(self, lang: Language) -> bool:
        """Whether the article's catalog in ``lang`` was not brought up to date."""
        return self.error is not None or any(c.error is not None for c in self.catalogs if c.lang == lang)


@dataclass(frozen=True)
class PublishResult:
    """Publication of one article in one language.

    Attributes:
        withheld: translations kept out of the output because they fail an
            error-level check (the English, or the ``untranslated`` policy, went out instead).
    """

    path: Path
    output: Path | None = None
    sentences: int = 0
    translated: int = 0
    error: TranslateError | None = None
    reviewed: int = 0
    withheld: tuple[Withheld, ...] = ()


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


def _updated_template(article: Article, locales: Path, now: datetime, base: Path | None) -> tuple[polib.POFile, Path]:
    """Build the article's template; rewrite the file only when its entries or its article changed.

    The template is made from the article alone, so one that cannot be read
    (a bad hand edit, a merge conflict) is written again, with a warning.

    Raises:
        OwnershipError: the template belongs to another article.
    """
    path = template_path(locales, article.slug)
    pot = build_template(article, created=now, base=base if base is not None else catalog_root(locales))
    claim(pot, article.path, locales)
    try:
        old, seen = read_catalog(path)
    except CatalogError as error:
        where = f"{error.path}:{error.line}" if error.line is not None else str(error.path)
        log.warning("%s: %s; the template is made again from the article", where, error.message)
        old, seen = None, snapshot(path)
    check_owner(old, path, article.path, locales)
    if old is not None and same_entries(old, pot) and owner(old) == owner(pot):
        return old, path
    write_atomic(path, render_catalog(pot), expected=seen)
    return pot, path


def _update_language(pot: polib.POFile, article: Path, workspace: Workspace, slug: str, lang: Language, now: datetime) -> CatalogUpdate:
    path = catalog_path(workspace.locales, slug, lang.gettext)
    reports: list[MergeReport] = []

    def change(old: polib.POFile | None, _records: Records) -> tuple[polib.POFile, tuple[()]]:
        check_owner(old, path, article, workspace.locales)
        merged, report = merge(old, pot)
        merged.metadata = catalog_metadata(pot.metadata, old.metadata if old is not None else None, lang, now)
        if old is None:
            merged.header = f"{lang.english_name} translation of the article {slug}."
        reports.append(report)
        return merged, ()

    try:
        update = update_tracked(path, change, known=workspace.known).update
    except TranslateError as error:
        return CatalogUpdate(lang=lang, path=path, report=None, written=False, error=error)
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
    names, clashes = workspace.names(paths)
    results = []
    for path in paths:
        if path in clashes:
            results.append(ExtractResult(path, error=clashes[path]))
            continue
        try:
            article = workspace.load(path, names[path])
            pot, pot_path = _updated_template(article, workspace.locales, now, workspace.base)
            updates = tuple(_update_language(pot, path, workspace, article.slug, lang, now) for lang in langs)
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

    The localized edition is written in the source format, or in Markdown
    with ``edition_format`` Markdown (plain text and HTML converted, see
    :mod:`translate.editions.localized_markdown`), where ``options.layout``
    puts it (:mod:`translate.layout`; the default ``flat`` layout:
    ``<out_dir>/<catalog name>.<lang>.<ext>``); the bilingual one is
    ``<out_dir>/<catalog name>.en-<lang>.html`` (the default) or ``.md`` in
    every layout. An article that breaks ``rules`` is not written and any
    previous output is left as it was.

    Raises:
        PublishError: (in a result) a localized HTML edition asked of an article that is not HTML.
    """
    from translate.editions import localized_markdown_edition
    from translate.errors import PublishError

    workspace = workspace or Workspace()
    options = options or PublishOptions()
    paths = [Path(p) for p in paths]
    names, clashes = workspace.names(paths)
    layout = options.layout
    results = []
    for path in paths:
        if path in clashes:
            results.append(PublishResult(path, error=clashes[path]))
            continue
        try:
            article = workspace.load(path, names[path])
            catalog = _catalog_to_publish(article, lang, workspace)
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
                target = layout.localized_path(path, article.slug, lang.code, out_dir, ".md")
                data = localized_markdown_edition(translated, options).encode("utf-8")
                used = translated.used(options.include_fuzzy)
            elif edition_format is EditionFormat.HTML and article.format != "html":
                raise PublishError(
                    f"is {article.format}, and a localized HTML edition is written only from HTML articles",
                    path=path,
                    hint="use --edition-format md, or --edition bilingual for an HTML page",
                )
            else:
                target = layout.localized_path(path, article.slug, lang.code, out_dir)
                localized = localize(article, catalog, lang, options, translated, target=target)
                data, used = localized.data, localized.translated
            write_atomic(target, data)
            results.append(
                PublishResult(path, output=target, sentences=translated.sentences, translated=used, reviewed=translated.reviewed, withheld=translated.withheld)
            )
        except TranslateError as error:
            results.append(PublishResult(path, error=error))
    return results


def _catalog_to_publish(article: Article, lang: Language, workspace: Workspace) -> polib.POFile:
    """The article's catalog in ``lang``, if it is the article's own and not an empty shell.

    Publishing only reads the catalog (waiting for a save in progress, see
    :func:`~translate.catalog.store.read_catalog`); a catalog without any entry
    for an article with sentences is taken for a save caught half done.
    Machine suggestions that came back without their fuzzy flag and unedited
    (a CSV round trip, see :mod:`translate.catalog.annotate`) are published as
    the suggestions they are, not as reviewed translations.

    Raises:
        CatalogError: there is none, or it cannot be read.
        OwnershipError: it belongs to another article.
        BeingEditedError: it is still being saved, or holds no entry.
    """
    po_path = catalog_path(workspace.locales, article.slug, lang.gettext)
    catalog, _ = read_catalog(po_path)
    if catalog is None:
        raise CatalogError(
            f"has no {lang.english_name} catalog ({po_path})",
            path=article.path,
            hint=f"run: translate extract {article.path} --to {lang.code}",
        )
    check_owner(catalog, po_path, article.path, workspace.locales)
    if len(catalog) == 0 and any(True for _ in article.segments()):
        raise BeingEditedError(
            "holds no entry: another program may be saving it; not published this time",
            path=po_path,
            hint=f"run the command again when it is saved, or run: translate extract {article.path} --to {lang.code}",
        )
    return as_reviewed(catalog, read_records(po_path), in_place=True)  # machine text that only lost its fuzzy flag is still a suggestion


def status(paths: Iterable[str | Path] = (), langs: Sequence[Language] = (), workspace: Workspace | None = None) -> list[StatusRow]:
    """Review state of catalogs: of the given articles, or of every catalog in the tree.

    For a whole workspace (every configured article, language totals, and
    articles whose English changed since their catalogs were updated) see
    :func:`translate.workspace.status.workspace_status`, whose rows are
    ``StatusRow`` too, with ``article`` and ``changed`` filled in.

    Args:
        paths: articles whose catalogs to report; all catalogs when empty. A
            catalog that belongs to another article is reported as an error.
        langs: languages to report; all languages found when empty.
    """
    workspace = workspace or Workspace()
    wanted = {lang.gettext for lang in langs}
    names, _ = workspace.names([Path(p) for p in paths])
    slugs = {name: path for path, name in names.items()}
    rows = []
    for lang, po_path in find_catalogs(workspace.locales):
        slug = po_path.stem
        if (wanted and lang not in wanted) or (slugs and slug not in slugs):
            continue
        try:
            catalog, _ = read_catalog(po_path)
            assert catalog is not None
            if slug in slugs and slugs[slug].is_file():
                check_owner(catalog, po_path, slugs[slug], workspace.locales)
            rows.append(StatusRow(slug, lang, po_path, stats=catalog_stats(as_reviewed(catalog, read_records(po_path), in_place=True))))
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
        unconfirmed: what to do with machine suggestions that came back
            without their fuzzy flag and unedited, as a CSV round trip leaves
            them (default: report them; see :mod:`translate.catalog.annotate`).
        executor: where the model runs: in this process (default) or on a
            Ray cluster (see :mod:`translate.mt.jobs`).
    """

    settings: MTSettings = field(default_factory=lambda: MTSettings())
    memory: Path | None = None
    retranslate_machine: bool = False
    khmer: KhmerOptions | None = None
    glossaries: tuple[Path, ...] = ()
    unconfirmed: Unconfirmed = Unconfirmed.KEEP
    executor: ExecutorSettings = field(default_factory=ExecutorSettings)


def machine_translate(
    paths: Iterable[str | Path],
    langs: Sequence[Language],
    workspace: Workspace | None = None,
    request: MTRequest | None = None,
    *,
    progress: Progress | None = None,
    on_model: Callable[[ResolvedModel], None] | None = None,
    skip: Collection[tuple[Path, str]] = (),
) -> MTRun:
    """Fill the catalogs of articles with machine translations (fuzzy), loading the model at most once.

    Args:
        on_model: called with the resolved model before anything is translated
            (the command line prints the license warning there).
        skip: ``(article path, language code)`` pairs to leave out.

    Raises:
        TranslateError: the model cannot be found, pulled or loaded, or the memory opened.
    """
    workspace = workspace or Workspace()
    request = request or MTRequest()
    glossary = load_glossary(workspace.locales, [lang.gettext for lang in langs], request.glossaries)
    pool = request.executor.kind != "local"
    model = resolve_for_pool(request.settings) if pool else resolve(request.settings)[0]
    if on_model is not None:
        on_model(model)
    backend = choose_backend(request.settings, model)
    spec = EngineSpec(backend, model, request.settings.decoding, llm_for(request.settings, backend))
    paths = [Path(p) for p in paths]
    names, clashes = workspace.names(paths)
    articles = [(p, names[p]) for p in paths if p not in clashes]
    executor = create_executor(request.executor, lambda: load_engine(request.settings, model, backend))
    try:
        with TranslationMemory(request.memory or default_memory_path()) as memory:
            run = run_machine_translation(
                articles,
                langs,
                workspace.locales,
                spec,
                None,
                memory,
                retranslate_machine=request.retranslate_machine,
                progress=progress,
                khmer=request.khmer,
                glossary=glossary,
                known=workspace.known,
                skip=skip,
                executor=executor,
                chunk=request.executor.chunk,
                unconfirmed=request.unconfirmed,
            )
    finally:
        executor.close()
    if not clashes:
        return run
    refused = tuple(CatalogResult(path, lang.code, error=error) for path, error in clashes.items() for lang in langs[:1])
    return replace(run, results=refused + run.results, errors=tuple(e for _, e in clashes.items()) + run.errors)


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
    paths = [Path(p) for p in paths]
    names, clashes = workspace.names(paths)
    errors.extend(clashes.values())
    for path in paths:
        if path in clashes:
            continue
        slug = names[path]
        po_path = catalog_path(workspace.locales, slug, lang.gettext)
        try:
            article = workspace.load(path, slug)
        except TranslateError as error:
            errors.append(error)
            continue
        try:
            catalog, _ = read_catalog(po_path)
            check_owner(catalog, po_path, path, workspace.locales)
        except OwnershipError as error:  # another article's translations: not this one's
            errors.append(error)
            continue
        except TranslateError as error:
            articles[slug] = article
            errors.append(error)
            continue
        articles[slug], catalogs[slug] = article, catalog
    return collect_terms(articles, catalogs, glossary.for_language(lang.gettext), min_count=min_count), errors
