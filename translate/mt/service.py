"""Machine-translate the catalogs of many articles with one model load.

For each language: gather the sentences that need a translation in every
catalog, answer what the translation memory knows (reviewed human translations
first, then earlier machine output for the same model, revision and settings),
load the model only if something is left, translate it in length-sorted
batches, remember the results, and write each catalog safely.
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
from translate.mt.decoding import DecodingConfig
from translate.mt.engine import Engine
from translate.mt.llm.settings import LLMSettings
from translate.mt.fuzzy import FuzzyIndex
from translate.mt.memory import (
    MachineKey,
    MachineRecord,
    ReviewedRecord,
    TranslationMemory,
)
from translate.mt.models import ResolvedModel
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
from translate.mt.types import Issue, Translation

ENGLISH = "en"
#: Sentences per engine call: results reach the memory after each chunk, so
#: an interrupted run keeps what was translated.
CHUNK = 256

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class EngineSpec:
    """What identifies machine output: backend, model and decoding settings (and a server's prompt settings)."""

    backend: str
    model: ResolvedModel
    config: DecodingConfig
    llm: LLMSettings | None = None

    @property
    def settings(self) -> str:
        """Backend and decoding signature: part of the translation-memory key and the provenance."""
        return self.settings_for(None)

    def settings_for(self, lang: Language | None) -> str:
        """The signature of output in ``lang`` (an LLM's prompt template depends on the language)."""
        if self.llm is not None:
            return self.llm.signature(self.config, lang)
        signature = f"{self.backend}|{self.config.signature()}"
        if self.backend == "ctranslate2":
            from translate.mt.backends.ctranslate2 import CTranslate2Engine

            signature += CTranslate2Engine.signature_suffix(self.config)
        return signature


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
        settled = refresh(catalog, provenance)  # machine text that lost its fuzzy flag unedited is not reviewed
        origin = po_path.relative_to(locales).as_posix() if po_path.is_relative_to(locales) else str(po_path)
        records.extend(
            ReviewedRecord(msgid, ENGLISH, lang.code, msgstr, origin)
            for msgid, msgstr in reviewed_translations(settled.catalog, settled.records)
        )
    memory.put_reviewed(records)
    return len(records)


class _LazyEngine:
    def __init__(self, load: Callable[[], Engine]) -> None:
        self._load = load
        self.engine: Engine | None = None

    def get(self) -> Engine:
        if self.engine is None:
            self.engine = self._load()
        return self.engine

    @property
    def calls(self) -> int:
        return self.engine.model_calls if self.engine is not None else 0


def machine_translate(
    articles: Sequence[tuple[Path, str]],
    langs: Sequence[Language],
    locales: Path,
    spec: EngineSpec,
    load_engine: Callable[[], Engine],
    memory: TranslationMemory,
    *,
    retranslate_machine: bool = False,
    progress: Progress | None = None,
    khmer: KhmerOptions | None = None,
    glossary: Glossary | None = None,
    known: KnownCatalogs | None = None,
    skip: Collection[tuple[Path, str]] = (),
    unconfirmed: Unconfirmed = Unconfirmed.KEEP,
    fuzzy_matches: bool = True,
) -> MTRun:
    """Fill the catalogs of ``articles`` (``(path, slug)`` pairs) in each language.

    The engine is loaded (``load_engine``) only when some sentence is neither in
    the memory nor reviewed elsewhere, and at most once. Markup and
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
        unconfirmed: what to do with machine suggestions that came back
            without their fuzzy flag and unedited (see :mod:`translate.catalog.annotate`).
        fuzzy_matches: record the closest reviewed translations of similar
            sentences (:mod:`translate.mt.fuzzy`) with each machine suggestion.
    """
    known = known if known is not None else KnownCatalogs()
    started = time.perf_counter()
    lazy = _LazyEngine(load_engine)
    src = language(ENGLISH)
    results: list[CatalogResult] = []
    totals = {"sentences": 0, "memory": 0, "reviewed": 0, "translated": 0}
    for lang in langs:
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
        settings = f"{spec.settings_for(lang)}|mask:{MASK_VERSION}" + (f"|gloss:{glossary.signature(lang.gettext)}" if glossary and terms else "")
        suggestions = _suggest(sentences, terms, src, lang, spec.model, settings, lazy, memory, totals, progress, places(orders))
        matches = _matches(suggestions, src, lang, memory) if fuzzy_matches else {}
        for path, po_path in ready:
            written = _write(path, lang, po_path, suggestions, retranslate_machine, khmer, locales, known, matches, unconfirmed)
            results.append(written)
    errors = tuple(r.error for r in results if r.error is not None)
    return MTRun(
        results=tuple(results),
        sentences=totals["sentences"],
        memory_hits=totals["memory"],
        reviewed_hits=totals["reviewed"],
        translated=totals["translated"],
        model_calls=lazy.calls,
        seconds=time.perf_counter() - started,
        errors=errors,
    )


def _suggest(
    sentences: list[str],
    terms: Sequence[Term],
    src: Language,
    tgt: Language,
    model: ResolvedModel,
    settings: str,
    lazy: _LazyEngine,
    memory: TranslationMemory,
    totals: dict[str, int],
    progress: Progress | None,
    around: dict[str, Place] | None = None,
) -> dict[str, Suggestion]:
    suggestions: dict[str, Suggestion] = {}
    provenance = Provenance(model.name, model.revision, settings, "")
    for source, record in memory.get_reviewed_many(sentences, src.code, tgt.code).items():
        suggestions[source] = Suggestion(record.target, Origin.REVIEWED, source_catalog=record.origin)
    totals["reviewed"] += len(suggestions)
    keys = {s: MachineKey(s, src.code, tgt.code, model.name, model.revision, settings) for s in sentences if s not in suggestions}
    known = memory.get_machine_many(list(keys.values()))
    for source, key in keys.items():
        if key in known:
            record = known[key]
            suggestions[source] = Suggestion(record.target, Origin.MACHINE, provenance, record.issues)
    totals["memory"] += sum(1 for key in keys.values() if key in known)
    missing = [s for s, key in keys.items() if key not in known]
    masks = {s: mask(s, terms) for s in missing}  # only what the memory does not answer
    # Nothing to translate outside the masked pieces (a URL, a name in the glossary): no model call.
    for source in [s for s in missing if not masks[s].needs_model]:
        restored = restore(masks[source], masks[source].text)
        memory.put_machine([MachineRecord(keys[source], restored.text, restored.issues)])
        suggestions[source] = Suggestion(restored.text, Origin.MACHINE, provenance, restored.issues)
        totals["translated"] += 1
    missing = [s for s in missing if masks[s].needs_model]
    done = 0
    if progress is not None:
        progress(0, len(missing))
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        engine = lazy.get()
        engine.on_batch = _batch_progress(progress, done, len(chunk), len(missing))
        model_texts = list(dict.fromkeys(masks[s].text for s in chunk))
        by_text = dict(zip(model_texts, _translate(engine, model_texts, chunk, masks, around or {}, src, tgt)))
        results = [(source, _unmask(masks[source], by_text[masks[source].text])) for source in chunk]
        memory.put_machine(MachineRecord(keys[source], text, issues) for source, (text, issues) in results)
        for source, (text, issues) in results:
            suggestions[source] = Suggestion(text, Origin.MACHINE, provenance, issues)
        done += len(chunk)
        totals["translated"] += len(chunk)
        if progress is not None:
            progress(done, len(missing))
    return suggestions


def _translate(engine: Engine, texts: list[str], chunk: list[str], masks: dict[str, Masked], around: dict[str, Place], src: Language, tgt: Language) -> list[Translation]:
    """Translate the distinct masked ``texts``; an engine that takes context gets each one's place in its article."""
    in_context = getattr(engine, "translate_in_context", None)
    if in_context is None:
        return engine.translate(texts, src, tgt)
    first: dict[str, str] = {}
    for source in chunk:
        first.setdefault(masks[source].text, source)
    contexts = [sentence_context(masks[first[text]], around.get(first[text])) for text in texts]
    result: list[Translation] = in_context(texts, src, tgt, contexts)
    return result
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


def _unmask(masked: Masked, translation: Translation) -> tuple[str, tuple[Issue, ...]]:
    """The translation with its masked pieces restored, and every issue found."""
    restored = restore(masked, translation.text)
    return restored.text, tuple(dict.fromkeys(translation.issues + restored.issues))


def _batch_progress(progress: Progress | None, done: int, chunk: int, total: int) -> Callable[[int], None] | None:
    """Advance the progress bar within a chunk as batches finish (never past the chunk)."""
    if progress is None:
        return None
    seen = 0

    def advance(count: int) -> None:
        nonlocal seen
        seen = min(seen + count, chunk - 1)
        progress(done + seen, total)

    return advance


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
            records=settled.records, matches=matches,
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
