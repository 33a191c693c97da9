"""Machine-translate the catalogs of many articles with one model load.

For each language: gather the sentences that need a translation in every
catalog, answer what the translation memory knows (reviewed human translations
first, then earlier machine output for the same model, revision and settings),
load the model only if something is left, translate it in length-sorted
batches (an LLM: with each sentence's place in its article), remember the
results, and write each catalog with its provenance sidecar safely.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate.catalog.annotate import Unconfirmed, refresh
from translate.catalog.guard import KnownCatalogs
from translate.catalog.owner import check_owner, claim, owner
from translate.catalog.paths import catalog_path, find_catalogs
from translate.catalog.provenance import Match, read_records
from translate.catalog.store import read_catalog
from translate.catalog.tracked import update_tracked
from translate.errors import CatalogError, TranslateError
from translate.glossary import Glossary, Term
from translate.khmer import KhmerOptions
from translate.languages import Language, language
from translate.mt.context import Place, article_order, places, sentence_context
from translate.mt.engine import Engine
from translate.mt.fuzzy import FuzzyIndex
from translate.mt.jobs.local import LocalExecutor
from translate.mt.jobs.types import CHUNK, EngineSpec, Executor, Job, TranslateProgress
from translate.mt.memory import (
    MachineKey,
    MachineRecord,
    ReviewedRecord,
    TranslationMemory,
)
from translate.mt.pretranslate import (
    Origin,
    Provenance,
    Suggestion,
    fill,
    pending,
    reviewed_translations,
)
from translate.mt.protect import VERSION as MASK_VERSION
from translate.mt.protect import Masked, mask, restore
from translate.mt.types import EngineSignature, Issue, SentenceContext, Translation

ENGLISH = "en"

Progress = Callable[[TranslateProgress], None]


@dataclass(frozen=True)
class CatalogResult:
    """Machine translation of one article's catalog in one language."""

    path: Path
    lang: str
    catalog: Path | None = None
    machine: int = 0
    reviewed: int = 0
    flagged: int = 0
    written: bool = False
    error: TranslateError | None = None
    unconfirmed: tuple[str, ...] = ()
    migrated: int = 0
    restored: int = 0


@dataclass(frozen=True)
class MTRun:
    """Totals of a machine-translation run."""

    results: tuple[CatalogResult, ...]
    sentences: int = 0
    memory_hits: int = 0
    reviewed_hits: int = 0
    translated: int = 0
    model_calls: int = 0
    seconds: float = 0.0
    errors: tuple[TranslateError, ...] = field(default=())


def harvest_reviewed(locales: Path, lang: Language, memory: TranslationMemory) -> int:
    """Put every reviewed translation of ``lang`` in the catalog tree into the memory."""
    records = []
    for gettext_lang, po_path in find_catalogs(locales):
        if gettext_lang != lang.gettext:
            continue
        try:
            catalog, _ = read_catalog(po_path)
            provenance = read_records(po_path)
        except CatalogError:
            continue  # reported when that article itself is processed
        if catalog is None:
            continue
        settled = refresh(catalog, provenance, in_place=True)  # machine text that lost its fuzzy flag unedited is not reviewed
        origin = po_path.relative_to(locales).as_posix() if po_path.is_relative_to(locales) else str(po_path)
        records.extend(
            ReviewedRecord(msgid, ENGLISH, lang.code, msgstr, origin)
            for msgid, msgstr in reviewed_translations(settled.catalog, settled.records)
        )
    memory.put_reviewed(records)
    return len(records)


def machine_translate(
    articles: Sequence[tuple[Path, str]],
    langs: Sequence[Language],
    locales: Path,
    spec: EngineSpec,
    load_engine: Callable[[], Engine] | None,
    memory: TranslationMemory,
    *,
    retranslate_machine: bool = False,
    progress: Progress | None = None,
    khmer: KhmerOptions | None = None,
    glossary: Glossary | None = None,
    known: KnownCatalogs | None = None,
    skip: Collection[tuple[Path, str]] = (),
    executor: Executor | None = None,
    harvest: bool = True,
    chunk: int = CHUNK,
    unconfirmed: Unconfirmed = Unconfirmed.KEEP,
    fuzzy_matches: bool = True,
) -> MTRun:
    """Fill the catalogs of ``articles`` (``(path, slug)`` pairs) in each language.

    The model work goes to ``executor`` (default: a :class:`LocalExecutor`
    that loads the engine with ``load_engine`` only when some sentence is
    neither in the memory nor reviewed elsewhere, and at most once). Each
    chunk's translations go to the memory as soon as the executor returns
    them, so an interrupted run keeps them. Markup and
    non-translatable text are masked before the model sees a sentence and put
    back after (:mod:`translate.mt.protect`); glossary terms are masked and
    replaced by their approved translations.

    A catalog that belongs to another article is refused; one that records
    no article is given this one (:mod:`translate.catalog.owner`).

    Args:
        known: what catalogs held when last read in good order (see
            :mod:`translate.catalog.guard`); a catalog that looks cut short is not written.
        skip: ``(article path, language code)`` pairs to leave out (their
            catalogs could not be brought up to date).
        executor: where the model runs (the caller closes it).
        harvest: first put the reviewed translations of the whole catalog
            tree into the memory (a run that calls this function for several
            waves of articles does it once).
        chunk: distinct sentences per unit of work.
        unconfirmed: what to do with machine suggestions that came back
            without their fuzzy flag and unedited (see :mod:`translate.catalog.annotate`).
        fuzzy_matches: record the closest reviewed translations of similar
            sentences (:mod:`translate.mt.fuzzy`) with each machine suggestion.
    """
    known = known if known is not None else KnownCatalogs()
    started = time.perf_counter()
    if executor is None:
        if load_engine is None:
            raise ValueError("machine_translate needs load_engine or an executor")
        executor = LocalExecutor(load_engine)
    calls_before = executor.model_calls
    src = language(ENGLISH)
    results: list[CatalogResult] = []
    totals = {"sentences": 0, "memory": 0, "reviewed": 0, "translated": 0}
    for lang in langs:
        if harvest:
            harvest_reviewed(locales, lang, memory)
        wanted: dict[Path, list[str]] = {}
        ready: list[tuple[Path, Path]] = []
        orders: dict[str, list[str]] = {}
        for path, slug in articles:
            if (path, lang.code) in skip:
                continue
            po_path = catalog_path(locales, slug, lang.gettext)
            try:
                catalog, _ = read_catalog(po_path)
                if catalog is None:
                    raise CatalogError(f"has no {lang.english_name} catalog ({po_path})", path=path, hint=f"run: translate extract {path} --to {lang.code}")
                check_owner(catalog, po_path, path, locales)
                wanted[po_path] = pending(catalog, retranslate_machine=retranslate_machine, records=read_records(po_path))
                ready.append((path, po_path))
                orders[str(path)] = article_order(catalog)
            except TranslateError as error:
                results.append(CatalogResult(path, lang.code, error=error))
        sentences = list(dict.fromkeys(s for msgids in wanted.values() for s in msgids))
        totals["sentences"] += len(sentences)
        terms = glossary.for_language(lang.gettext) if glossary else ()
        gloss = f"|gloss:{glossary.signature(lang.gettext)}" if glossary and terms else ""
        task = _Task(src, lang, terms, gloss, spec, executor, memory, chunk, progress, places(orders))
        suggestions = _suggest(sentences, task, totals)
        matches = _matches(suggestions, src, lang, memory) if fuzzy_matches else {}
        for path, po_path in ready:
            results.append(_write(path, lang, po_path, suggestions, retranslate_machine, khmer, locales, known, matches, unconfirmed))
    errors = tuple(r.error for r in results if r.error is not None)
    return MTRun(
        results=tuple(results),
        sentences=totals["sentences"],
        memory_hits=totals["memory"],
        reviewed_hits=totals["reviewed"],
        translated=totals["translated"],
        model_calls=executor.model_calls - calls_before,
        seconds=time.perf_counter() - started,
        errors=errors,
    )


@dataclass(frozen=True)
class _Task:
    """One language of a run: what :func:`_suggest` needs besides the sentences."""

    src: Language
    tgt: Language
    terms: Sequence[Term]
    gloss: str
    spec: EngineSpec
    executor: Executor
    memory: TranslationMemory
    chunk: int
    progress: Progress | None
    around: dict[str, Place] = field(default_factory=dict)

    def settings(self, signature: EngineSignature) -> str:
        """The memory key's settings: the engine's signature (an LLM's: with this language's prompt), the masking rules, the glossary."""
        return f"{self.spec.settings_for(self.tgt, signature)}|mask:{MASK_VERSION}{self.gloss}"


def _suggest(sentences: list[str], task: _Task, totals: dict[str, int]) -> dict[str, Suggestion]:
    """Suggestions for ``sentences``: reviewed elsewhere, then the memory, then the model."""
    src, tgt, memory = task.src, task.tgt, task.memory
    suggestions: dict[str, Suggestion] = {}
    for source, record in memory.get_reviewed_many(sentences, src.code, tgt.code).items():
        suggestions[source] = Suggestion(record.target, Origin.REVIEWED, source_catalog=record.origin)
    totals["reviewed"] += len(suggestions)
    if len(suggestions) == len(sentences):
        return suggestions
    signature = task.executor.start(task.spec)  # the memory key names what produces the text
    settings = task.settings(signature)
    provenance = Provenance(signature.model, signature.revision, settings, "")
    keys = {s: MachineKey(s, src.code, tgt.code, signature.model, signature.revision, settings) for s in sentences if s not in suggestions}
    known = memory.get_machine_many(list(keys.values()))
    for source, key in keys.items():
        if key in known:
            record = known[key]
            suggestions[source] = Suggestion(record.target, Origin.MACHINE, provenance, record.issues)
    totals["memory"] += sum(1 for key in keys.values() if key in known)
    missing = [s for s, key in keys.items() if key not in known]
    masks = {s: mask(s, task.terms) for s in missing}  # only what the memory does not answer
    # Nothing to translate outside the masked pieces (a URL, a name in the glossary): no model call.
    for source in [s for s in missing if not masks[s].needs_model]:
        restored = restore(masks[source], masks[source].text)
        memory.put_machine([MachineRecord(keys[source], restored.text, restored.issues)])
        suggestions[source] = Suggestion(restored.text, Origin.MACHINE, provenance, restored.issues)
        totals["translated"] += 1
    by_text: dict[str, list[str]] = {}
    for source in missing:
        if masks[source].needs_model:
            by_text.setdefault(masks[source].text, []).append(source)
    contexts: tuple[SentenceContext, ...] = ()
    if task.spec.takes_context:  # an engine that translates with context gets each sentence's place in its article
        contexts = tuple(sentence_context(masks[sources[0]], task.around.get(sources[0])) for sources in by_text.values())
    job = Job(tuple(by_text), src, tgt, task.chunk, contexts)
    report = _Reporter(task, len(job.texts))
    seen: set[int] = set()
    for result in task.executor.translate(job, on_batch=report.batch if task.progress else None):
        if result.index in seen:  # a retried chunk that came back twice: already written
            continue
        seen.add(result.index)
        records = []
        for text, translation in zip(result.texts, result.translations, strict=True):
            for source in by_text[text]:
                restored, issues = _unmask(masks[source], translation)
                records.append(MachineRecord(keys[source], restored, issues))
                suggestions[source] = Suggestion(restored, Origin.MACHINE, provenance, issues)
        memory.put_machine(records)
        totals["translated"] += len(records)
        report.chunk(len(result.texts))
    return suggestions


def translate_sentences(
    sentences: Sequence[str],
    src: Language,
    tgt: Language,
    spec: EngineSpec,
    executor: Executor,
    memory: TranslationMemory,
    *,
    chunk: int = CHUNK,
    progress: Progress | None = None,
) -> dict[str, Suggestion]:
    """Suggestions for ``sentences`` without any catalog: reviewed translations, the memory, then the model.

    The same path as :func:`machine_translate` takes for each language
    (masking, one job for the executor, each chunk stored as it arrives),
    without a glossary.
    """
    totals = {"sentences": 0, "memory": 0, "reviewed": 0, "translated": 0}
    task = _Task(src, tgt, (), "", spec, executor, memory, chunk, progress)
    return _suggest(list(dict.fromkeys(sentences)), task, totals)


class _Reporter:
    """Progress of one language: chunks as they finish, batches inside a chunk where the executor tells."""

    def __init__(self, task: _Task, total: int) -> None:
        self.task = task
        self.total = total
        self.done = 0
        self.within = 0
        self.emit()

    def emit(self) -> None:
        if self.task.progress is not None:
            done = self.done + self.within
            if self.within:  # batches inside a chunk (retries count again): the last sentence is done when its chunk is
                done = min(done, self.total - 1)
            self.task.progress(TranslateProgress(self.task.tgt.code, done, self.total, self.task.executor.state()))

    def batch(self, count: int) -> None:
        self.within += count
        self.emit()

    def chunk(self, count: int) -> None:
        self.done += count
        self.within = 0
        self.emit()


def _unmask(masked: Masked, translation: Translation) -> tuple[str, tuple[Issue, ...]]:
    """The translation with its masked pieces restored, and every issue found."""
    restored = restore(masked, translation.text)
    return restored.text, tuple(dict.fromkeys(translation.issues + restored.issues))


def _matches(suggestions: dict[str, Suggestion], src: Language, tgt: Language, memory: TranslationMemory) -> dict[str, tuple[Match, ...]]:
    """Reviewed translations of sentences similar to those given machine suggestions (the index is built only if needed)."""
    wanted = [source for source, suggestion in suggestions.items() if suggestion.origin is Origin.MACHINE]
    if not wanted:
        return {}
    index = FuzzyIndex(memory.reviewed_pairs(src.code, tgt.code))
    if not len(index):
        return {}
    found = {source: index.lookup(source) for source in wanted}
    return {source: matches for source, matches in found.items() if matches}


def _write(
    path: Path,
    lang: Language,
    po_path: Path,
    suggestions: dict[str, Suggestion],
    retranslate_machine: bool,
    khmer: KhmerOptions | None,
    locales: Path,
    known: KnownCatalogs,
    matches: dict[str, tuple[Match, ...]],
    unconfirmed: Unconfirmed,
) -> CatalogResult:
    reports = []

    def change(catalog, records):  # type: ignore[no-untyped-def]
        if catalog is None:
            raise CatalogError("disappeared during machine translation", path=po_path, hint="run translate extract again")
        check_owner(catalog, po_path, path, locales)
        settled = refresh(catalog, records, unconfirmed=unconfirmed)  # legacy comments moved, states known before filling
        filled, report = fill(
            settled.catalog, suggestions, retranslate_machine=retranslate_machine, lang=lang.code, khmer=khmer,
            records=settled.records, matches=matches, in_place=True,  # refresh made settled.catalog: ``catalog`` stays as read
        )
        if owner(filled) is None:
            claim(filled, path, locales)
        reports.append((report, settled))
        return filled, [*settled.records, *report.records]

    try:
        tracked = update_tracked(po_path, change, known=known)
    except TranslateError as error:
        return CatalogResult(path, lang.code, catalog=po_path, error=error)
    report, settled = reports[-1]
    return CatalogResult(
        path, lang.code, catalog=po_path, machine=report.machine, reviewed=report.reviewed, flagged=report.flagged,
        written=tracked.update.written, unconfirmed=tracked.refreshed.unconfirmed, migrated=settled.migrated,
        restored=settled.restored,
    )


__all__ = ["CHUNK", "CatalogResult", "EngineSpec", "MTRun", "Progress", "harvest_reviewed", "machine_translate", "translate_sentences"]
