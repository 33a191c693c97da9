"""Progress on stderr for every long command (sync, mt, run): one implementation.

On a terminal one line is rewritten in place; otherwise (a log, cron, CI) a
line is written when a phase starts (machine translation: when its first
sentence is done), when it ends, and every few seconds in between. Each line has done/total, the rate, the ETA, and during machine
translation the workers of a pool (alive/started, restarts).
"""

from __future__ import annotations

import time
from typing import Any, TextIO


class ProgressPrinter:
    """Draws progress events (``phase``, ``done``, ``total``, ``unit``, ``detail``, optional ``pool``) on a stream.

    Args:
        stream: where to write (stderr).
        every: seconds between lines when the stream is not a terminal.
        prefix: the command, first on every line (``sync``, ``mt``).
    """

    def __init__(self, stream: TextIO, every: float = 5.0, prefix: str = "sync") -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.every = every
        self.prefix = prefix
        self.phase: tuple[str, str] | None = None
        self.started: dict[tuple[str, str], tuple[float, int]] = {}
        self.last = 0.0

    def __call__(self, event: Any) -> None:
        if event.total == 0:
            return
        now = time.monotonic()
        key = (event.phase, event.detail if event.phase == "translate" else "")
        if event.phase == "translate" and event.done == 0:
            # Not drawn before the first sentence is done: a model that cannot be
            # loaded then leaves only its one-line error on stderr.
            self.started.setdefault(key, (now, 0))
            return
        new_phase = key != self.phase
        if new_phase:
            if self.tty and self.phase is not None:
                self.stream.write("\n")
            self.phase, self.last = key, 0.0
            self.started.setdefault(key, (now, event.done))
        finished = event.done >= event.total
        if not self.tty and not (new_phase or finished or now - self.last >= self.every):
            return
        self.last = now
        began, base = self.started[key]
        line = self.line(event, now - began, self.prefix, event.done - base)
        if self.tty:
            self.stream.write("\r\x1b[2K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    @staticmethod
    def line(event: Any, elapsed: float, prefix: str = "sync", progressed: int | None = None) -> str:
        """One progress line; ``progressed``: how much of ``done`` happened in ``elapsed`` (default: all of it)."""
        progressed = event.done if progressed is None else progressed
        label = f"{event.phase} {event.detail}" if event.phase == "translate" and event.detail else event.phase
        text = f"{prefix}: {label} {event.done}/{event.total} {event.unit}"
        if 0 < event.done < event.total and elapsed > 0.5 and progressed > 0:
            rate = progressed / elapsed
            eta = int((event.total - event.done) / rate)
            clock = f"{eta // 3600}:{eta % 3600 // 60:02d}:{eta % 60:02d}" if eta >= 3600 else f"{eta // 60}:{eta % 60:02d}"
            text += f", {_rate(rate)}, ETA {clock}"
        pool = getattr(event, "pool", None)
        if pool is not None and pool.workers > 1:
            text += f", workers {pool.alive}/{pool.workers}" + (f" ({pool.restarts} restarted)" if pool.restarts else "")
        return text

    def close(self) -> None:
        if self.tty and self.phase is not None:
            self.stream.write("\n")
            self.stream.flush()


def _rate(per_second: float) -> str:
    """``90/s``, ``5.0/s``, ``2.0/min``."""
    if per_second >= 10:
        return f"{per_second:.0f}/s"
    if per_second >= 1:
        return f"{per_second:.1f}/s"
    return f"{per_second * 60:.1f}/min"
