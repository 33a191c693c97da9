"""``translate sync``: bring every article of a workspace up to date in every language.

For each article that changed since the last completed sync (its English, a
catalog, a published file or the settings): extract and merge its catalogs,
machine-translate what is new (one model load or one pool of workers for the
whole run, and only if something is not in the translation memory), check,
and publish, in waves of articles (:mod:`translate.workspace.waves`).
Articles that did not change are not even parsed, so a second run does nothing.

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

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from translate.errors import BeingEditedError, TranslateError
from translate.languages import Language, parse_languages
from translate.mt.jobs import ExecutorSettings
from translate.workspace.config import WorkspaceConfig
from translate.workspace.discover import Source, discover
from translate.workspace.lock import WorkspaceLock
from translate.workspace.publishing import expected_outputs
from translate.workspace.report import ArticleOutcome, Outcome, SyncReport
from translate.workspace.setup import executor as executor_settings
from translate.workspace.setup import read_options
from translate.workspace.stage import Planned, ProgressCallback, SyncProgress, Timer, relative
from translate.workspace.state import SyncState, file_digest
from translate.workspace.waves import Waves

log = logging.getLogger(__name__)

_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@dataclass(frozen=True)
class SyncOptions:
    """How one sync runs.

    Attributes:
        now: the time written in catalog headers (default: now, UTC, to the minute).
        force: redo every article, even those that did not change.
        wait: seconds to wait for another sync to finish (``None``: as long as it takes).
        executor: where the model runs (``None``: ``[executor]`` of the configuration file).
    """

    now: datetime | None = None
    force: bool = False
    wait: float | None = 0.0
    executor: ExecutorSettings | None = None


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
        PoolError: the ray executor is asked for and Ray is missing, or its workers cannot translate.
    """
    options = options or SyncOptions()
    now = options.now or datetime.now(timezone.utc).replace(second=0, microsecond=0)
    langs = parse_languages(",".join(config.languages)) if config.languages else ()
    if not langs:
        from translate.errors import ConfigError

        raise ConfigError("no target languages", path=config.file or config.root, hint='set languages = ["km"] under [workspace], or pass --to km')
    where = options.executor or executor_settings(config)
    if where.kind == "ray":
        from translate.mt.jobs.ray_pool import import_ray

        import_ray()  # Ray missing: said now, before any work
    options = dataclasses.replace(options, executor=where)
    started = time.perf_counter()
    timer = Timer()
    notify = progress or (lambda event: None)
    with WorkspaceLock(config.state_dir / "sync.lock", wait=options.wait):
        removed = remove_stale_temporaries([config.path(config.locales), config.path(config.output)])
        if removed:
            log.info("removed %d temporary files left by an interrupted run", removed)
        _check_folders(config, langs)
        with SyncState(config.state_dir / "state.sqlite3") as state:
            state.check_writable()  # a database another program holds is found before any work
            return _run(config, langs, now, options, state, timer, notify, on_model, started)


def where_of(options: SyncOptions) -> ExecutorSettings:
    assert options.executor is not None
    return options.executor


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
            raise relative(config, error) from error


def _run(
    config: WorkspaceConfig,
    langs: Sequence[Language],
    now: datetime,
    options: SyncOptions,
    state: SyncState,
    timer: Timer,
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
    todo: list[Planned] = []
    for done, source in enumerate(sources, start=1):
        files = _digests(config, _files(config, source, langs))
        record = records.get(source.path.as_posix())
        if not options.force and record is not None and record.fingerprint == fingerprint and record.files == files:
            outcomes[source.path] = ArticleOutcome(source.path, source.slug, Outcome.UNCHANGED)
        else:
            todo.append(Planned(source, dict(files)[source.path.as_posix()]))
        if done % 200 == 0 or done == len(sources):
            notify(SyncProgress("scan", done, len(sources), "articles"))
    timer.add("scan", t)
    for error in errors:
        assert error.path is not None
        outcomes[Path(error.path)] = ArticleOutcome(Path(error.path), Path(error.path).name.split(".", 1)[0], Outcome.FAILED, errors=(error,))

    names = {(config.root / source.path).resolve(): source.slug for source in sources}
    workspace = Workspace(locales=config.path(config.locales), read=read_options(config), base=config.root, known=state.known_catalogs(config.root), catalog_names=names)
    waves = Waves(config, langs, workspace, state, fingerprint=fingerprint, now=now, executor=where_of(options),
                  outcomes=outcomes, timer=timer, notify=notify, on_model=on_model)
    waves.run(todo)
    state.put_known(workspace.known, config.root)
    ordered = tuple(outcomes[p] for p in sorted(outcomes))
    all_errors = tuple(e for o in ordered for e in o.errors if not isinstance(e, BeingEditedError))
    return SyncReport(
        root=config.root,
        languages=tuple(lang.code for lang in langs),
        articles=ordered,
        errors=all_errors,
        skipped=tuple(e for o in ordered for e in o.errors if isinstance(e, BeingEditedError)),
        to_translate=waves.totals["sentences"],
        translated=waves.totals["translated"],
        memory_hits=waves.totals["memory"],
        reviewed_hits=waves.totals["reviewed"],
        model_calls=waves.model_calls,
        model_loads=waves.model_loads,
        timings=tuple(timer.spent.items()),
        seconds=time.perf_counter() - started,
    )


__all__ = ["SyncOptions", "SyncProgress", "expected_outputs", "sync"]
