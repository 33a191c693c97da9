"""Progress of long commands on stderr, one implementation for ``mt``, ``run`` and ``sync``.

The library reports progress through callbacks (:class:`~translate.mt.jobs.TranslateProgress`
events from :func:`translate.api.machine_translate`, :class:`~translate.workspace.stage.SyncProgress`
events from ``sync``); this class shows them. On a terminal it redraws one
line with a bar; anywhere else (cron, CI, a pipe) it writes a line when a
phase's first items are done (the first rate and ETA), every
:data:`DEFAULT_EVERY` seconds in between, even while the model loads or works
on a long batch, so a log never falls silent, and when it ends. Nothing is
written for a phase that ends before its first item, so a command that stops
at once (a model that fails to load) still says so in one line.
Each line says done/total, the rate and the ETA, and while a pool of workers
translates (``--executor ray``), how many are alive and how often one was restarted. The rate is measured from
the first sentences (the engines translate a small batch first, see
:data:`translate.mt.batching.PROBE_SIZE`), not counting the time the model
took to load once the first sentences are in.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from translate.mt.jobs import PoolState, TranslateProgress
    from translate.workspace.stage import SyncProgress

#: Seconds between two progress lines when stderr is not a terminal.
DEFAULT_EVERY = 10.0
#: Environment variable overriding :data:`DEFAULT_EVERY` (seconds; 0: a line for every update).
EVERY_VARIABLE = "TRANSLATE_PROGRESS_INTERVAL"
_BAR = 24


@dataclass
class _Phase:
    """What is being counted: ``done`` of ``total`` ``unit`` in the phase ``label``."""

    label: str
    unit: str
    total: int
    started: float
    done: int = 0
    first_done: int = 0  # the count when the first items were in (the rate starts there)
    first_at: float | None = None
    pool: PoolState | None = None
    finished: bool = False  # its "done" line is written


def interval_from_environment(default: float = DEFAULT_EVERY) -> float:
    """The seconds between progress lines: ``$TRANSLATE_PROGRESS_INTERVAL`` when it is a number, else ``default``."""
    value = os.environ.get(EVERY_VARIABLE, "").strip()
    try:
        return max(float(value), 0.0) if value else default
    except ValueError:
        return default


def clock_text(seconds: float) -> str:
    """``h:mm:ss`` or ``m:ss``."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """Progress lines or a bar on a stream (stderr), fed by the library's callbacks.

    Args:
        command: what the lines start with (``mt``, ``sync``).
        stream: where to write (default: stderr).
        every: seconds between lines when the stream is not a terminal
            (default: ``$TRANSLATE_PROGRESS_INTERVAL``, else :data:`DEFAULT_EVERY`).
        tty: draw a bar (default: whether the stream is a terminal).
        clock: the time source (tests pass their own).
        heartbeat: write lines between updates from a background thread.
    """

    def __init__(
        self,
        command: str,
        stream: TextIO | None = None,
        *,
        every: float | None = None,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        heartbeat: bool = True,
    ) -> None:
        self.command = command
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.every = interval_from_environment() if every is None else every
        self.clock = clock
        self.phase: _Phase | None = None
        self.last_line = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if heartbeat and (self.tty or self.every > 0):
            self._thread = threading.Thread(target=self._beat, name="progress", daemon=True)
            self._thread.start()

    # -- the library's callbacks ---------------------------------------------

    def counter(self, label: str, unit: str) -> Callable[[int, int], None]:
        """A ``(done, total)`` callback for one kind of work; ``done == 0`` starts it again (the next language)."""

        def update(done: int, total: int) -> None:
            self.update(label, unit, done, total)

        return update

    def sync_event(self, event: SyncProgress) -> None:
        """The callback of ``translate sync``: one phase per step (and per language when translating)."""
        label = f"{event.phase} {event.detail}" if event.phase == "translate" and event.detail else event.phase
        self.update(label, event.unit, event.done, event.total, event.pool)

    def translate_event(self, event: TranslateProgress) -> None:
        """The callback of ``translate mt`` and ``run``: the model work of one language."""
        self.update(f"translate {event.lang}", "sentences", event.done, event.total, event.pool)

    def update(self, label: str, unit: str, done: int, total: int, pool: PoolState | None = None) -> None:
        """``done`` of ``total`` ``unit`` of the phase ``label``; a new label, a new total or ``done == 0`` starts a phase."""
        if total <= 0:
            return
        with self._lock:
            now = self.clock()
            phase = self.phase
            fresh = phase is None or phase.label != label or phase.total != total or done < phase.done or (done == 0 and phase.done > 0)
            if fresh:
                if self.tty and phase is not None:
                    self.stream.write("\n")
                phase = self.phase = _Phase(label, unit, total, now)
            assert phase is not None
            first = done > phase.done and phase.first_at is None
            if first:
                phase.first_at, phase.first_done = now, done
            phase.done = done
            phase.pool = pool
            if fresh and not self.tty:
                self.last_line = now  # the heartbeat speaks if the first items take long
            if done >= total:
                if self.tty or not phase.finished:  # one "done" line, however often the total is reported
                    phase.finished = True
                    self._write(now)
            elif self.tty or first or (done > 0 and now - self.last_line >= self.every):
                self._write(now)

    def close(self) -> None:
        """Stop the heartbeat and end the bar's line."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        with self._lock:
            if self.tty and self.phase is not None:
                self.stream.write("\n")
                self.stream.flush()
            self.phase = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the lines ------------------------------------------------------------

    def rate(self, now: float) -> float | None:
        """Items per second: from the first items in when later ones came, else since the phase began."""
        phase = self.phase
        if phase is None or phase.first_at is None:
            return None
        if phase.done > phase.first_done and now > phase.first_at:
            return (phase.done - phase.first_done) / (now - phase.first_at)
        elapsed = phase.first_at - phase.started
        return phase.done / elapsed if elapsed > 0 else None

    def line(self, now: float) -> str:
        """The text shown for the current phase."""
        phase = self.phase
        assert phase is not None
        count = f"{phase.done}/{phase.total} {phase.unit}"
        if self.tty:
            filled = _BAR * phase.done // phase.total
            count = f"[{'#' * filled}{'-' * (_BAR - filled)}] {count}"
        parts = [f"{self.command}: {phase.label} {count}"]
        rate = self.rate(now)
        if phase.done >= phase.total:
            parts.append(f"done in {clock_text(now - phase.started)}")
        elif rate:
            parts.append(f"{rate:.1f} {phase.unit}/s" if rate >= 1 else f"{60 * rate:.1f} {phase.unit}/min")
            parts.append(f"ETA {clock_text((phase.total - phase.done) / rate)}")
        else:
            parts.append(f"{clock_text(now - phase.started)} so far, first {phase.unit} under way")
        pool = phase.pool
        if pool is not None and pool.workers > 1:
            parts.append(f"workers {pool.alive}/{pool.workers}" + (f" ({pool.restarts} restarted)" if pool.restarts else ""))
        return ", ".join(parts)

    def _write(self, now: float) -> None:
        text = self.line(now)
        self.stream.write("\r\x1b[2K" + text if self.tty else text + "\n")
        self.stream.flush()
        self.last_line = now

    def _beat(self) -> None:
        """Write the current line when nothing was written for a while (a long batch, the model loading)."""
        pause = 1.0 if self.tty else max(self.every, 0.05)
        while not self._stop.wait(min(pause, 1.0)):
            with self._lock:
                now = self.clock()
                phase = self.phase
                if phase is None or phase.done >= phase.total:
                    continue
                if self.tty or now - self.last_line >= self.every:
                    self._write(now)
