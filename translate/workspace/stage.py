"""What the stages of a sync share: progress events, timings, planned articles, paths in errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError
from translate.mt.jobs import PoolState
from translate.workspace.config import WorkspaceConfig
from translate.workspace.discover import Source


@dataclass(frozen=True)
class SyncProgress:
    """How far a phase is: ``done`` of ``total`` ``unit`` (``articles`` or ``sentences``).

    ``pool`` is the state of the translation workers during ``translate``.
    """

    phase: str
    done: int
    total: int
    unit: str
    detail: str = ""
    pool: PoolState | None = None


ProgressCallback = Callable[[SyncProgress], None]


@dataclass(frozen=True)
class Planned:
    """An article to sync, with the digest of its source when planned."""

    source: Source
    digest: str | None


class Timer:
    """Seconds spent per phase, added up over the run."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, phase: str, started: float) -> None:
        self.spent[phase] = self.spent.get(phase, 0.0) + time.perf_counter() - started


def relative(config: WorkspaceConfig, error: TranslateError) -> TranslateError:
    """The error with its file named relative to the workspace root (shorter, and the same from anywhere)."""
    if error.path is not None:
        path = Path(error.path)
        if path.is_absolute() and path.is_relative_to(config.root):
            error.path = str(path.relative_to(config.root))
    return error
