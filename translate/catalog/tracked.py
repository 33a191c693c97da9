"""Update a catalog together with its provenance sidecar.

:func:`update_tracked` is :func:`translate.catalog.store.update_catalog` for
commands that write catalogs (``extract``, ``mt``, ``sync``): the change sees
the catalog's records, :func:`translate.catalog.annotate.refresh` brings
notes, review states and legacy comments in step, and the sidecar is written
right before the catalog. If the catalog write then fails, the sidecar only
holds records that no entry's text matches, which describe nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from translate.catalog.annotate import Refreshed, Unconfirmed, refresh
from translate.catalog.guard import KnownCatalogs
from translate.catalog.provenance import Record, Records, read_records, save_records
from translate.catalog.store import Update, update_catalog

#: A change that also returns the records of what it wrote.
TrackedChange = Callable[[polib.POFile | None, Records], tuple[polib.POFile, Iterable[Record]]]


@dataclass(frozen=True)
class TrackedUpdate:
    """The outcome of :func:`update_tracked`: the catalog update and what the refresh found."""

    update: Update
    refreshed: Refreshed


def update_tracked(
    path: Path,
    change: TrackedChange,
    *,
    known: KnownCatalogs | None = None,
    unconfirmed: Unconfirmed = Unconfirmed.KEEP,
) -> TrackedUpdate:
    """Apply ``change`` to the catalog at ``path`` and its records; write both safely.

    Raises:
        as :func:`~translate.catalog.store.update_catalog`, and
        CatalogError: the sidecar cannot be read.
    """
    results: list[Refreshed] = []

    def apply(current: polib.POFile | None) -> polib.POFile:
        records = read_records(path)
        updated, written = change(current, records)
        # the change made ``updated`` (it must not alter ``current``, which is compared with it): refreshed in place
        refreshed = refresh(updated, records.with_records(written), unconfirmed=unconfirmed, in_place=updated is not current)
        results.append(refreshed)
        return refreshed.catalog

    update = update_catalog(path, apply, known=known, before_write=lambda _: save_records(path, results[-1].records))
    if not update.written:
        save_records(path, results[-1].records)  # review states can change while the catalog's bytes do not
    return TrackedUpdate(update, results[-1])
