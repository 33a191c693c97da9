"""Tell a half-saved catalog from a translator's work.

An editor that saves in place truncates the file and writes it again; read
in between, the catalog is valid gettext but holds only its header, or only
its first entries. Written back, that would lose every translation after the
cut. :class:`KnownCatalogs` remembers what each catalog held when it was
last read or written in good order (its entry counts), and
:meth:`KnownCatalogs.half_saved` says why a catalog read now looks cut
short:

- it holds no entry at all (only its header, or nothing), where it had
  entries, or where nothing is known of it;
- it has fewer reviewed translations (translated, not fuzzy) than it had.

Both compare what the file holds, never what an update makes of it: English
sentences removed from an article make entries obsolete in the update, not in
the file, so they are not mistaken for a cut.

A catalog that looks half-saved is left alone for this run. If the next run
finds it exactly as it was skipped (same content, inode and modification
time), nobody is saving it: it is what the translator meant (an entry marked
fuzzy again, a catalog emptied on purpose) and it is used; so does a program
that keeps one memory, once the catalog has stayed so for :data:`SETTLE`
seconds. Within one command the memory starts empty and fills as catalogs are
read; ``translate sync`` keeps it in the workspace's state database, so it
spans runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalog.stats import CatalogStats, catalog_stats

#: Seconds a catalog skipped as cut short must stay exactly as it was before
#: the same memory (one long-lived program) takes it as it is.
SETTLE = 10.0


@dataclass(frozen=True)
class Seen:
    """What a file was when it was read: enough to tell whether it is still the same file."""

    digest: str
    size: int
    inode: int
    mtime_ns: int

    @property
    def stamp(self) -> str:
        """One string naming this exact state of the file."""
        return f"{self.digest}:{self.inode}:{self.mtime_ns}"


def _key(path: Path) -> str:
    return os.path.abspath(path)


class KnownCatalogs:
    """The last known entry counts of catalogs, and the catalogs skipped as half-saved.

    Args:
        known: absolute path -> (digest, counts) from an earlier run.
        skipped: absolute path -> :attr:`Seen.stamp` of catalogs an earlier run skipped.
    """

    def __init__(
        self,
        known: Mapping[str, tuple[str, CatalogStats]] | None = None,
        skipped: Mapping[str, str] | None = None,
        *,
        settle: float = SETTLE,
    ) -> None:
        self._known: dict[str, tuple[str, CatalogStats]] = {os.path.abspath(p): v for p, v in (known or {}).items()}
        self._skipped_before: dict[str, str] = {os.path.abspath(p): v for p, v in (skipped or {}).items()}
        self._skipped_at: dict[str, float] = {}
        self._settle = settle
        self.updated: dict[str, tuple[str, CatalogStats]] = {}
        self.skipped: dict[str, str] = {}

    def last(self, path: Path) -> CatalogStats | None:
        """The counts of the catalog when it was last read or written in good order."""
        found = self._known.get(_key(path))
        return found[1] if found else None

    def remember(self, path: Path, digest: str, stats: CatalogStats) -> None:
        """Record a state of the catalog known to be complete (read and found whole, or just written)."""
        key = _key(path)
        self._known[key] = self.updated[key] = (digest, stats)
        self.skipped.pop(key, None)

    def remember_catalog(self, path: Path, digest: str, catalog: polib.POFile) -> None:
        self.remember(path, digest, catalog_stats(catalog))

    def half_saved(self, path: Path, catalog: polib.POFile, seen: Seen | None) -> str | None:
        """Why ``catalog``, as read from ``path``, looks cut short by a save in progress; ``None`` when it does not.

        A catalog that an earlier run skipped and that is still exactly as it
        was then is taken as it is (``None``).
        """
        stats = catalog_stats(catalog)
        last = self.last(path)
        if stats.entries + stats.obsolete == 0 and (last is None or last.entries + last.obsolete > 0):
            reason = "holds only its header" if catalog.metadata else "is empty"
        elif last is not None and stats.translated < last.translated:
            reason = f"has {stats.translated} reviewed translations where it had {last.translated}"
        else:
            return None
        key = _key(path)
        if seen is not None and self._skipped_before.get(key) == seen.stamp:
            return None
        if seen is not None and self.skipped.get(key) == seen.stamp and time.monotonic() - self._skipped_at[key] >= self._settle:
            return None
        return reason

    def skip(self, path: Path, seen: Seen | None) -> None:
        """Record that the catalog was left alone in this state (see :meth:`half_saved`)."""
        if seen is not None:
            key = _key(path)
            if self.skipped.get(key) != seen.stamp:
                self._skipped_at[key] = time.monotonic()
            self.skipped[key] = seen.stamp
