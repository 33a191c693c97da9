"""``translate sync``: bring every article of a workspace up to date in every language.

For each article that changed since the last completed sync (its English, a
catalog, a published file or the settings): extract and merge its catalogs,
machine-translate what is new (one model load for the whole run, and only if
something is not in the translation memory), check, and publish. Articles
that did not change are not even parsed, so a second run does nothing.

Safety: the run holds the workspace lock; every file is written atomically;
catalogs are updated with :func:`translate.catalog.store.update_catalog`, so a
translator's save during the run is merged, not overwritten; an article's
state row is written only after it is completely done, so a run killed at
any moment is finished by the next one with the same result.

A catalog being saved by another program, or one that looks cut short by a
save in progress compared with its last known state (kept in the state
database), is left alone: that article is *skipped* in that language this
run (nothing extracted, translated or published for it), reported, and
done by the next run.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.errors import BeingEditedError, FailedCheckError, PublishError, TranslateError, UnsafeTranslation
from translate.languages import Language, parse_languages
from translate.workspace.config import WorkspaceConfig
from translate.workspace.discover import Source, discover
from translate.workspace.lock import WorkspaceLock
from translate.workspace.report import (
    ArticleOutcome,
    LanguageOutcome,
    Outcome,
    SyncReport,
    relative_withheld,
)
from translate.workspace.setup import (
    EngineSetup,
    engine_setup,
    publish_settings,
    read_options,
)
from translate.workspace.state import Record, SyncState, catalog_keys, file_digest, settled_digest

log = logging.getLogger(__name__)

#: State rows are committed after this many finished articles.
CHECKPOINT = 50
_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@dataclass(frozen=True)
class SyncProgress:
    """How far a phase is: ``done`` of ``total`` ``unit`` (``articles`` or ``sentences``)."""

    phase: str
    done: int
    total: int
    unit: str
    detail: str = ""


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class SyncOptions:
    """How one sync runs.

    Attributes:
        now: the time written in catalog headers (default: now, UTC, to the minute).
        force: redo every article, even those that did not change.
        wait: seconds to wait for another sync to finish (``None``: as long as it takes).
    """

    now: datetime | None = None
    force: bool = False
    wait: float | None = 0.0


@dataclass(frozen=True)
class _Planned:
    source: Source
    digest: str | None


def expected_outputs(config: WorkspaceConfig, source: Source, lang: Language) -> list[Path]:
    """The published files of an article in one language, relative to the root (where the layout puts them)."""
    from translate.workspace.layout import workspace_layout

    out = config.output
    paths = []
    if "localized" in config.editions:
        try:
            target = workspace_layout(config).localized_path(config.root / source.path, source.slug, lang.code, config.path(out))
        except TranslateError:  # publishing reports it
            target = None
        if target is not None:
            paths.append(target.relative_to(config.root) if target.is_relative_to(config.root) else target)
    if "bilingual" in config.editions:
        paths.append(out / f"{source.slug}.en-{lang.code}.{config.edition_format}")
    return paths


def _files(config: WorkspaceConfig, source: Source, langs: Sequence[Language]) -> list[Path]:
    from translate.catalog.paths import catalog_path, template_path

    files = [source.path, template_path(config.locales, source.slug)]
    for lang in langs:
        files.append(catalog_path(config.locales, source.slug, lang.gettext))
        files.extend(expected_outputs(config, source, lang))
    return files


def _digests(config: WorkspaceConfig, paths: Sequence[Path]) -> tuple[tuple[str, str | None], ...]:
    return tuple(sorted((p.as_posix(), file_digest(config.path(p))) for p in paths))


def remove_stale_temporaries(folders: Sequence[Path]) -> int:
    """Delete temporary files an interrupted atomic write left behind (``.<name>.XXXXXXXX.tmp``)."""
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob(".*.tmp"):
            if _TEMP.match(path.name) and path.is_file():
                try:
                    path.unlink(missing_ok=True)
                except OSError as error:  # a read-only folder: the writable check reports it
                    log.info("cannot remove %s: %s", path, error.strerror)
                    continue
                removed += 1
    return removed


class _Timer:
    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, phase: str, started: float) -> None:
        self.spent[phase] = self.spent.get(phase, 0.0) + time.perf_counter() - started


def sync(
    config: WorkspaceConfig,
    options: SyncOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    on_model: Callable[[object], None] | None = None,
) -> SyncReport:
    """Sync a workspace: extract, machine-translate, check and publish what changed.

    Errors of single articles or catalogs are collected in the report and the
    others go on; the report's ``partial`` says whether any happened.

    Raises:
        LockedError: another sync holds the workspace lock.
        WriteError: the catalog or output folders cannot be written (nothing was done).
        StateError: another program holds the sync state database.
        ConfigError: the languages or settings are invalid.
        TranslateError: the model cannot be found or loaded.
    """
    options = options or SyncOptions()
    now = options.now or datetime.now(timezone.utc).replace(second=0, microsecond=0)
    langs = parse_languages(",".join(config.languages)) if config.languages else ()
    if not langs:
        from translate.errors import ConfigError

        raise ConfigError("no target languages", path=config.file or config.root, hint='set languages = ["km"] under [workspace], or pass --to km')
    started = time.perf_counter()
    timer = _Timer()
    notify = progress or (lambda event: None)
    with WorkspaceLock(config.state_dir / "sync.lock", wait=options.wait):
        removed = remove_stale_temporaries([config.path(config.locales), config.path(config.output)])
        if removed:
            log.info("removed %d temporary files left by an interrupted run", removed)
        _check_folders(config, langs)
        with SyncState(config.state_dir / "state.sqlite3") as state:
            state.check_writable()  # a database another program holds is found before any work
            return _run(config, langs, now, options, state, timer, notify, on_model, started)


def _check_folders(config: WorkspaceConfig, langs: Sequence[Language]) -> None:
    """Stop before any work when the catalogs or the published files cannot be written.

    Raises:
        WriteError: one of the folders (or its nearest existing parent) refuses new files.
    """
    from translate.catalog.paths import catalog_path, template_path
    from translate.catalog.store import check_writable

    folders = [template_path(config.locales, "x").parent, *(catalog_path(config.locales, "x", lang.gettext).parent for lang in langs), config.output]
    for folder in folders:
        try:
            check_writable(config.path(folder))
        except TranslateError as error:
            raise _relative(config, error) from error


def _run(
    config: WorkspaceConfig,
    langs: Sequence[Language],
    now: datetime,
    options: SyncOptions,
    state: SyncState,
    timer: _Timer,
    notify: ProgressCallback,
    on_model: Callable[[object], None] | None,
    started: float,
) -> SyncReport:
    from translate.api import Workspace

    t = time.perf_counter()
    sources, errors = discover(config)
    records = state.records()
    gone = set(records) - {s.path.as_posix() for s in sources}
    if gone:
        state.forget(gone)  # removed or excluded articles: their files are left as they are
    fingerprint = config.fingerprint()
    outcomes: dict[Path, ArticleOutcome] = {}
    todo: list[_Planned] = []
    for done, source in enumerate(sources, start=1):
        files = _digests(config, _files(config, source, langs))
        record = records.get(source.path.as_posix())
        if not options.force and record is not None and record.fingerprint == fingerprint and record.files == files:
            outcomes[source.path] = ArticleOutcome(source.path, source.slug, Outcome.UNCHANGED)
        else:
            todo.append(_Planned(source, dict(files)[source.path.as_posix()]))
        if done % 200 == 0 or done == len(sources):
            notify(SyncProgress("scan", done, len(sources), "articles"))
    timer.add("scan", t)
    for error in errors:
        assert error.path is not None
        outcomes[Path(error.path)] = ArticleOutcome(Path(error.path), Path(error.path).name.split(".", 1)[0], Outcome.FAILED, errors=(error,))

    names = {(config.root / source.path).resolve(): source.slug for source in sources}
    workspace = Workspace(locales=config.path(config.locales), read=read_options(config), base=config.root, known=state.known_catalogs(config.root), catalog_names=names)
    skipped: dict[Path, dict[str, TranslateError]] = {}
    extracted = _extract(config, todo, langs, workspace, now, outcomes, skipped, timer, notify)
    mt = None
    setup: EngineSetup | None = None
    if extracted:
        setup = engine_setup(config, on_model)
        mt = _translate(config, extracted, langs, setup, workspace, skipped, timer, notify)
    _publish(config, extracted, langs, workspace, mt, state, fingerprint, outcomes, skipped, timer, notify)
    state.put_known(workspace.known, config.root)
    ordered = tuple(outcomes[p] for p in sorted(outcomes))
    all_errors = tuple(e for o in ordered for e in o.errors if not isinstance(e, BeingEditedError))
    return SyncReport(
        root=config.root,
        languages=tuple(lang.code for lang in langs),
        articles=ordered,
        errors=all_errors,
        skipped=tuple(e for o in ordered for e in o.errors if isinstance(e, BeingEditedError)),
        to_translate=mt.sentences if mt else 0,
        translated=mt.translated if mt else 0,
        memory_hits=mt.memory_hits if mt else 0,
        reviewed_hits=mt.reviewed_hits if mt else 0,
        model_calls=mt.model_calls if mt else 0,
        model_loads=setup.loads if setup else 0,
        timings=tuple(timer.spent.items()),
        seconds=time.perf_counter() - started,
    )


def _extract(
    config: WorkspaceConfig,
    todo: Sequence[_Planned],
    langs: Sequence[Language],
    workspace: object,
    now: datetime,
    outcomes: dict[Path, ArticleOutcome],
    skipped: dict[Path, dict[str, TranslateError]],
    timer: _Timer,
    notify: ProgressCallback,
) -> list[tuple[_Planned, int]]:
    """Extract every planned article; a language whose catalog fails is noted in ``skipped`` (article -> language code -> error)."""
    from translate.api import extract

    t = time.perf_counter()
    extracted = []
    notify(SyncProgress("extract", 0, len(todo), "articles"))
    for done, planned in enumerate(todo, start=1):
        source = planned.source
        result = extract([config.root / source.path], langs, workspace, now=now)[0]  # type: ignore[arg-type]
        if result.error is not None:
            outcomes[source.path] = ArticleOutcome(source.path, source.slug, Outcome.FAILED, errors=(_relative(config, result.error),))
        else:
            for update in result.catalogs:
                if update.error is not None:
                    skipped.setdefault(source.path, {})[update.lang.code] = _relative(config, update.error)
            extracted.append((planned, result.sentences))
        notify(SyncProgress("extract", done, len(todo), "articles", str(source.path)))
    timer.add("extract", t)
    return extracted


def _relative(config: WorkspaceConfig, error: TranslateError) -> TranslateError:
    """The error with its file named relative to the workspace root (shorter, and the same from anywhere)."""
    if error.path is not None:
        path = Path(error.path)
        if path.is_absolute() and path.is_relative_to(config.root):
            error.path = str(path.relative_to(config.root))
    return error


def _translate(  # type: ignore[no-untyped-def]
    config: WorkspaceConfig,
    extracted: Sequence[tuple[_Planned, int]],
    langs: Sequence[Language],
    setup: EngineSetup,
    workspace: Any,
    skipped: dict[Path, dict[str, TranslateError]],
    timer: _Timer,
    notify: ProgressCallback,
):
    from translate.glossary import load_glossary
    from translate.mt.memory import TranslationMemory
    from translate.mt.service import machine_translate

    t = time.perf_counter()
    glossary = load_glossary(config.path(config.locales), [lang.gettext for lang in langs], [config.path(Path(name)) for name in config.glossaries])
    articles = [(config.root / p.source.path, p.source.slug) for p, _ in extracted]
    skip = {(config.root / path, code) for path, by_lang in skipped.items() for code in by_lang}
    position = {"lang": -1}

    def progress(done: int, total: int) -> None:
        if done == 0:
            position["lang"] += 1
        index = min(max(position["lang"], 0), len(langs) - 1)
        notify(SyncProgress("translate", done, total, "sentences", langs[index].code))

    config.path(config.memory).parent.mkdir(parents=True, exist_ok=True)
    with TranslationMemory(config.path(config.memory)) as memory:
        run = machine_translate(
            articles, langs, config.path(config.locales), setup.spec, setup.load, memory,
            retranslate_machine=config.retranslate_machine, progress=progress, khmer=setup.khmer, glossary=glossary,
            known=workspace.known, skip=skip,
        )
    timer.add("translate", t)
    if setup.load_seconds:
        timer.spent["translate"] -= setup.load_seconds
        timer.spent["model load"] = setup.load_seconds
    return run


def _publish(
    config: WorkspaceConfig,
    extracted: Sequence[tuple[_Planned, int]],
    langs: Sequence[Language],
    workspace: Any,
    mt: object,
    state: SyncState,
    fingerprint: str,
    outcomes: dict[Path, ArticleOutcome],
    skipped: dict[Path, dict[str, TranslateError]],
    timer: _Timer,
    notify: ProgressCallback,
) -> None:
    from translate.api import publish
    from translate.catalog.paths import catalog_path, template_path

    mt_results = {}
    for result in getattr(mt, "results", ()):
        mt_results[(result.path, result.lang)] = result
    settings = publish_settings(config, langs)
    pending: dict[str, Record] = {}
    notify(SyncProgress("publish", 0, len(extracted), "articles"))
    for done, (planned, sentences) in enumerate(extracted, start=1):
        source = planned.source
        absolute = config.root / source.path
        failed_langs = skipped.get(source.path, {})
        errors: list[TranslateError] = list(failed_langs.values())
        per_lang = []
        files: dict[str, str | None] = {source.path.as_posix(): planned.digest}
        pot = template_path(config.locales, source.slug)
        files[pot.as_posix()] = file_digest(config.path(pot))
        pot_keys = catalog_keys(config.path(pot))
        for lang in langs:
            if lang.code in failed_langs:
                continue
            mt_result = mt_results.get((absolute, lang.code))
            if mt_result is not None and mt_result.error is not None:
                errors.append(_relative(config, mt_result.error))
                continue
            po = catalog_path(config.locales, source.slug, lang.gettext)
            files[po.as_posix()] = settled_digest(config.path(po), pot_keys)
            t = time.perf_counter()
            check_errors, check_warnings = _check(config, po, lang) if config.checks else (0, 0)
            timer.add("check", t)
            t = time.perf_counter()
            published, held, counts, withheld = [], None, (0, 0, 0), ()
            for edition, fmt in settings.editions:
                result = publish([absolute], lang, config.path(config.output), workspace, settings.options[lang.code], edition=edition, edition_format=fmt, rules=settings.rules)[0]  # type: ignore[arg-type]
                if isinstance(result.error, PublishError) and not isinstance(result.error, (UnsafeTranslation, FailedCheckError)) and settings.can_hold:
                    held = held or result.error.message
                elif result.error is not None:
                    errors.append(_relative(config, result.error))
                    break
                else:
                    assert result.output is not None
                    published.append(result.output.relative_to(config.root) if result.output.is_relative_to(config.root) else result.output)
                    counts = (result.sentences, result.reviewed, result.translated)
                    withheld = tuple(relative_withheld(w, config.root) for w in result.withheld)
            timer.add("publish", t)
            for output in expected_outputs(config, source, lang):
                files[output.as_posix()] = file_digest(config.path(output))
            per_lang.append(
                LanguageOutcome(
                    lang=lang.code,
                    machine=mt_result.machine if mt_result else 0,
                    reused=mt_result.reviewed if mt_result else 0,
                    sentences=counts[0],
                    reviewed=counts[1],
                    published_sentences=counts[2],
                    check_errors=check_errors,
                    check_warnings=check_warnings,
                    outputs=tuple(published),
                    held=held,
                    withheld=withheld,
                    unconfirmed=len(mt_result.unconfirmed) if mt_result else 0,
                )
            )
        if any(not isinstance(e, BeingEditedError) for e in errors):
            status = Outcome.FAILED
        else:
            status = Outcome.SKIPPED if errors else Outcome.UPDATED
        outcomes[source.path] = ArticleOutcome(source.path, source.slug, status, sentences, tuple(per_lang), tuple(errors))
        if not errors:
            pending[source.path.as_posix()] = Record(fingerprint, tuple(sorted(files.items())))
        if len(pending) >= CHECKPOINT:
            _save(state, pending, timer)
        notify(SyncProgress("publish", done, len(extracted), "articles", str(source.path)))
    _save(state, pending, timer)


def _save(state: SyncState, pending: dict[str, Record], timer: _Timer) -> None:
    t = time.perf_counter()
    state.put(pending)
    pending.clear()
    timer.add("state", t)


def _check(config: WorkspaceConfig, po: Path, lang: Language) -> tuple[int, int]:
    """Errors and warnings of the quality checks on one catalog (reported, never fatal)."""
    from translate.catalog.provenance import read_records
    from translate.catalog.store import read_catalog
    from translate.workspace.checks import check_counts

    try:
        catalog, _ = read_catalog(config.path(po))
        records = read_records(config.path(po))
    except TranslateError:
        return 0, 0  # publishing reports it
    return check_counts(catalog, lang.code, records) if catalog is not None else (0, 0)


__all__ = ["SyncOptions", "SyncProgress", "sync"]
