"""The local executor: the engine in this process, loaded on first use, one chunk after another."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

from translate.mt.engine import Engine
from translate.mt.jobs.types import BatchCallback, ChunkResult, EngineSpec, Job, PoolError, PoolState
from translate.mt.types import EngineSignature

log = logging.getLogger(__name__)


class LocalExecutor:
    """Translate in this process with one engine, loaded at most once and only when a chunk needs it.

    Args:
        load: loads the engine (called on the first chunk, never when the
            memory answers everything).
        signature: the engine's signature when the caller knows it (an
            engine it built itself, outside the registered backends);
            otherwise it is predicted from the spec.
    """

    def __init__(self, load: Callable[[], Engine], signature: EngineSignature | None = None) -> None:
        self._load = load
        self._engine: Engine | None = None
        self._signature: EngineSignature | None = signature
        self.loads = 0
        self.load_seconds = 0.0

    @property
    def model_calls(self) -> int:
        return self._engine.model_calls if self._engine is not None else 0

    def start(self, spec: EngineSpec) -> EngineSignature:
        """The signature the engine will report here, worked out without loading it."""
        if self._signature is None:
            self._signature = spec.predicted()
        return self._signature

    def engine(self) -> Engine:
        """The engine, loaded now if it is not yet; its own signature must be the one predicted.

        Raises:
            PoolError: the loaded engine reports another signature than :meth:`start` returned.
        """
        if self._engine is None:
            started = time.perf_counter()
            engine = self._load()
            self.loads += 1
            self.load_seconds += time.perf_counter() - started
            reported = getattr(engine, "signature", None)
            if self._signature is not None and reported is not None and reported.settings != self._signature.settings:
                raise PoolError(f"the engine loaded as {reported.settings}, not {self._signature.settings} as expected",
                                hint="report this; the memory was looked up under the expected settings")
            self._engine = engine
        return self._engine

    def translate(self, job: Job, on_batch: BatchCallback | None = None) -> Iterator[ChunkResult]:
        """Translate chunk after chunk, yielding each when done."""
        for index, chunk in enumerate(job.chunks()):
            engine = self.engine()
            before = engine.model_calls
            engine.on_batch = on_batch
            contexts = job.chunk_contexts(index)
            in_context = getattr(engine, "translate_in_context", None)
            if contexts and in_context is not None:
                translations = in_context(list(chunk), job.src, job.tgt, list(contexts))
            else:
                translations = engine.translate(list(chunk), job.src, job.tgt)
            yield ChunkResult(index, chunk, tuple(translations), "local", engine.model_calls - before)

    def state(self) -> PoolState:
        return PoolState(workers=1, alive=1 if self._engine is not None else 0)

    def close(self) -> None:
        """Nothing to release: the engine goes with the process."""
