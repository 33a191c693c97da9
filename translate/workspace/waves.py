"""The body of a sync: changed articles in waves of ``[executor] wave`` articles.

Each wave is extracted, machine-translated (all languages), checked,
published and recorded before the next one starts, so a long backfill
publishes finished articles from its first minutes, and what the run holds
in memory (pending sentences, suggestions) is bounded by the wave size. The
engine or the pool of workers is started once, on the first wave that needs
it, and kept for the others; reviewed translations of the whole catalog tree
go to the memory once per run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.languages import Language
from translate.mt.jobs import Executor, ExecutorSettings, TranslateProgress, create_executor
from translate.mt.service import MTRun
from translate.workspace.config import WorkspaceConfig
from translate.workspace.publishing import publish_article
from translate.workspace.report import ArticleOutcome, Outcome
from translate.workspace.setup import EngineSetup, engine_setup, publish_settings
from translate.workspace.stage import Planned, ProgressCallback, SyncProgress, Timer, relative
from translate.workspace.state import Record, SyncState

#: State rows are committed after this many finished articles.
CHECKPOINT = 50


class Waves:
    """Extract, translate, check, publish and record changed articles, a wave at a time."""

    def __init__(
        self,
        config: WorkspaceConfig,
        langs: Sequence[Language],
        workspace: Any,
        state: SyncState,
        *,
        fingerprint: str,
        now: datetime,
        executor: ExecutorSettings,
        outcomes: dict[Path, ArticleOutcome],
        timer: Timer,
        notify: ProgressCallback,
        on_model: Callable[[object], None] | None,
    ) -> None:
        self.config, self.langs, self.workspace, self.state = config, langs, workspace, state
        self.fingerprint, self.now, self.settings = fingerprint, now, executor
        self.outcomes, self.timer, self.notify, self.on_model = outcomes, timer, notify, on_model
        self.setup: EngineSetup | None = None
        self.executor: Executor | None = None
        self.glossary: Any = None
        self.harvested = False
        self.totals = {"sentences": 0, "translated": 0, "memory": 0, "reviewed": 0}
        self.extracted = 0
        self.published = 0
        self.total = 0
        self.waves = 0
        self.wave = 0

    def run(self, todo: Sequence[Planned]) -> None:
        """Do every planned article, ``[executor] wave`` at a time; the workers are stopped at the end, also on errors."""
        size = self.settings.wave
        self.total = len(todo)
        self.waves = (len(todo) + size - 1) // size
        try:
            for self.wave, start in enumerate(range(0, len(todo), size), start=1):
                self._one(todo[start : start + size])
        finally:
            if self.executor is not None:
                self.executor.close()

    @property
    def model_calls(self) -> int:
        return self.executor.model_calls if self.executor is not None else 0

    @property
    def model_loads(self) -> int:
        return self.executor.loads if self.executor is not None else 0

    def _one(self, wave: Sequence[Planned]) -> None:
        skipped: dict[Path, dict[str, TranslateError]] = {}
        extracted = self._extract(wave, skipped)
        mt = self._translate(extracted, skipped) if extracted else None
        self.published += len(wave) - len(extracted)  # failed before publishing: counted as done
        self._publish(extracted, mt, skipped)

    def _extract(self, wave: Sequence[Planned], skipped: dict[Path, dict[str, TranslateError]]) -> list[tuple[Planned, int]]:
        """Extract every article of the wave; a language whose catalog fails is noted in ``skipped`` (article -> language code -> error)."""
        from translate.api import extract

        config = self.config
        t = time.perf_counter()
        extracted = []
        self.notify(SyncProgress("extract", self.extracted, self.total, "articles"))
        for planned in wave:
            source = planned.source
            result = extract([config.root / source.path], self.langs, self.workspace, now=self.now)[0]
            if result.error is not None:
                self.outcomes[source.path] = ArticleOutcome(source.path, source.slug, Outcome.FAILED, errors=(relative(config, result.error),))
            else:
                for update in result.catalogs:
                    if update.error is not None:
                        skipped.setdefault(source.path, {})[update.lang.code] = relative(config, update.error)
                extracted.append((planned, result.sentences))
            self.extracted += 1
            self.notify(SyncProgress("extract", self.extracted, self.total, "articles", str(source.path)))
        self.timer.add("extract", t)
        return extracted

    def _start(self) -> Executor:
        if self.executor is None:
            self.setup = engine_setup(self.config, self.on_model, pool=self.settings.kind != "local")
            self.executor = create_executor(self.settings, self.setup.loader)
        return self.executor

    def _translate(self, extracted: Sequence[tuple[Planned, int]], skipped: dict[Path, dict[str, TranslateError]]) -> MTRun:
        from translate.glossary import load_glossary
        from translate.mt.memory import TranslationMemory
        from translate.mt.service import machine_translate

        config, langs = self.config, self.langs
        t = time.perf_counter()
        if self.glossary is None:
            self.glossary = load_glossary(config.path(config.locales), [lang.gettext for lang in langs], [config.path(Path(name)) for name in config.glossaries])
        articles = [(config.root / p.source.path, p.source.slug) for p, _ in extracted]
        skip = {(config.root / path, code) for path, by_lang in skipped.items() for code in by_lang}
        executor = self._start()
        assert self.setup is not None
        loading = executor.load_seconds
        suffix = f", wave {self.wave}/{self.waves}" if self.waves > 1 else ""

        def progress(event: TranslateProgress) -> None:
            self.notify(SyncProgress("translate", event.done, event.total, "sentences", event.lang + suffix, event.pool))

        config.path(config.memory).parent.mkdir(parents=True, exist_ok=True)
        with TranslationMemory(config.path(config.memory)) as memory:
            run = machine_translate(
                articles, langs, config.path(config.locales), self.setup.spec, None, memory,
                retranslate_machine=config.retranslate_machine, progress=progress, khmer=self.setup.khmer, glossary=self.glossary,
                known=self.workspace.known, skip=skip, executor=executor, harvest=not self.harvested, chunk=self.settings.chunk,
            )
        self.harvested = True
        for key, value in (("sentences", run.sentences), ("translated", run.translated), ("memory", run.memory_hits), ("reviewed", run.reviewed_hits)):
            self.totals[key] += value
        self.timer.add("translate", t)
        loaded = executor.load_seconds - loading
        if loaded:
            self.timer.spent["translate"] -= loaded
            self.timer.spent["model load"] = self.timer.spent.get("model load", 0.0) + loaded
        return run

    def _publish(self, extracted: Sequence[tuple[Planned, int]], mt: MTRun | None, skipped: dict[Path, dict[str, TranslateError]]) -> None:
        mt_results = {(result.path, result.lang): result for result in (mt.results if mt else ())}
        settings = publish_settings(self.config, self.langs)
        pending: dict[str, Record] = {}
        self.notify(SyncProgress("publish", self.published, self.total, "articles"))
        for planned, sentences in extracted:
            source = planned.source
            outcome, record = publish_article(self.config, planned, sentences, self.langs, self.workspace, settings, mt_results,
                                              skipped.get(source.path, {}), self.fingerprint, self.timer)
            self.outcomes[source.path] = outcome
            if record is not None:
                pending[source.path.as_posix()] = record
            if len(pending) >= CHECKPOINT:
                self._save(pending)
            self.published += 1
            self.notify(SyncProgress("publish", self.published, self.total, "articles", str(source.path)))
        self._save(pending)

    def _save(self, pending: dict[str, Record]) -> None:
        t = time.perf_counter()
        self.state.put(pending)
        pending.clear()
        self.timer.add("state", t)
