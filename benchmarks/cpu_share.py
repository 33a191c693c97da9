"""How much of the CPUs other work took while a benchmark measured something.

Two figures per measurement, both in %:

* **other**: CPU time the whole machine spent busy (``/proc/stat``: user,
  nice, system, irq, softirq, steal) less the measured process's own CPU
  time, over the wall time of all usable CPUs: the share of the CPUs that
  other processes (or the host, as steal) took;
* **stall**: the share of the wall time in which some task waited for a CPU
  (``/proc/pressure/cpu``, ``some total``).

A figure measured while other work took more than :data:`LIMIT` % of the CPUs
is not reported (:func:`refusal` says why instead).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

LIMIT = 10.0  # % of the CPUs other work may take before a figure is refused
_TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU seconds all CPUs spent busy since boot (idle and iowait left out; steal counted)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / _TICK


def stall_seconds() -> float:
    """Seconds in which some task waited for a CPU since boot (Linux PSI), 0.0 where unavailable."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return 0.0
    fields = dict(item.split("=") for item in first.split()[1:])
    return int(fields.get("total", 0)) / 1e6


def cpus() -> int:
    return len(os.sched_getaffinity(0))


@dataclass(frozen=True)
class Share:
    """Other work's share of the CPUs and the stall share over one measurement, in %."""

    other_percent: float
    stall_percent: float

    @property
    def disturbed(self) -> bool:
        return self.other_percent > LIMIT or self.stall_percent > LIMIT


class Watch:
    """Start before a measurement; :meth:`stop` with the measured process's CPU seconds over it."""

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.busy = busy_seconds()
        self.stall = stall_seconds()

    def stop(self, own_cpu_s: float) -> Share:
        wall = max(1e-9, time.perf_counter() - self.wall)
        other = max(0.0, busy_seconds() - self.busy - own_cpu_s)
        return Share(100 * other / (wall * cpus()), 100 * (stall_seconds() - self.stall) / wall)


def refusal(other_percent: float, stall_percent: float) -> str | None:
    """Why a figure is not reported, or ``None`` when it may be."""
    if other_percent > LIMIT or stall_percent > LIMIT:
        return f"not reported: other work took {other_percent:.0f} % of the CPUs (stall {stall_percent:.0f} %), over {LIMIT:g} %"
    return None
