"""Translation jobs: the model work of a run, and the executors that do it.

The service (:mod:`translate.mt.service`) turns the pending sentences of many
catalogs into one :class:`Job` per language (deduplicated, masked, after the
memory answered what it could); an :class:`Executor` translates it and
yields each chunk as it finishes. :class:`LocalExecutor` runs the engine in
this process (the default); :mod:`translate.mt.jobs.ray_pool` spreads the
chunks over Ray actors and is imported only when chosen.
"""

from __future__ import annotations

from translate.mt.jobs.types import (
    CHUNK,
    EXECUTORS,
    ChunkResult,
    EngineSpec,
    Executor,
    ExecutorSettings,
    Job,
    PoolError,
    PoolState,
    TranslateProgress,
    executor_settings,
)

__all__ = [
    "CHUNK", "EXECUTORS", "ChunkResult", "EngineSpec", "Executor", "ExecutorSettings", "Job", "PoolError", "PoolState",
    "TranslateProgress", "create_executor", "executor_settings",
]


def create_executor(settings: ExecutorSettings, load_engine: object) -> Executor:
    """The executor ``settings`` ask for.

    Args:
        load_engine: loads the engine in this process (local executor only).

    Raises:
        PoolError: Ray is asked for and not installed.
    """
    if settings.kind == "ray":
        from translate.mt.jobs.ray_pool import RayExecutor

        return RayExecutor(settings)
    from translate.mt.jobs.local import LocalExecutor

    return LocalExecutor(load_engine)  # type: ignore[arg-type]
