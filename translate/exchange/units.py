"""Data types of the exchange formats: units, the files they travel in, what an import did."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from translate.errors import TranslateError
from translate.exchange.provenance import ProvenanceLine

#: The source language of every catalog.
ENGLISH = "en"


class ExchangeError(TranslateError):
    """An XLIFF or TMX file cannot be read, or does not fit the catalogs it is for."""


class UnitState(StrEnum):
    """Review state of a unit, as the catalogs know it.

    ``MACHINE`` and ``NEEDS_REVIEW`` are both ``#, fuzzy`` in a catalog:
    machine output nobody has edited since (its provenance digest still
    matches), and everything else a person has still to review (edited
    machine output, a translation kept when the English changed).
    """

    NEW = "new"
    MACHINE = "machine"
    NEEDS_REVIEW = "needs-review"
    REVIEWED = "reviewed"

    @property
    def fuzzy(self) -> bool:
        return self in (UnitState.MACHINE, UnitState.NEEDS_REVIEW)


@dataclass(frozen=True)
class Reference:
    """Where a sentence is in its article (a ``#:`` reference)."""

    file: str
    line: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Unit:
    """One catalog entry as it travels in an exchange file.

    Attributes:
        id: stable identifier (from msgctxt and msgid, see :func:`translate.exchange.catalog_units.unit_id`).
        source: the English sentence (msgid).
        target: its translation; empty when there is none.
        state: review state.
        context: msgctxt, or ``None``.
        comments: the translator comment lines a person wrote.
        provenance: the machine-translation provenance lines of the translator comment.
        extracted: ``#.`` comment lines (which block a sentence comes from).
        references: ``#:`` references.
        flags: gettext flags other than ``fuzzy`` (``no-wrap``).
        previous_source: ``#| msgid``: the English the translation was made for, when it changed.
        exported_digest: digest of the translation the catalog held when the file was
            written (None: unknown, such as in a file another tool made); on import it tells
            whether the catalog has changed since.
        line: line of the unit in the file it was read from (None for written units).
    """

    id: str
    source: str
    target: str = ""
    state: UnitState = UnitState.NEW
    context: str | None = None
    comments: tuple[str, ...] = ()
    provenance: tuple[ProvenanceLine, ...] = ()
    extracted: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    flags: tuple[str, ...] = ()
    previous_source: str | None = None
    exported_digest: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class CatalogUnits:
    """The units of one catalog: one ``<file>`` of an XLIFF document.

    Attributes:
        original: the catalog, relative to the catalog tree (``km/LC_MESSAGES/<slug>.po``).
        units: its entries.
        line: line of the ``<file>`` element in the file it was read from.
    """

    original: str
    units: tuple[Unit, ...]
    line: int | None = None

    @property
    def slug(self) -> str:
        """The article's slug: the catalog's file name without ``.po``."""
        name = self.original.replace("\\", "/").rsplit("/", 1)[-1]
        for suffix in (".po", ".pot"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name


@dataclass(frozen=True)
class Bundle:
    """An XLIFF document: the catalogs of several articles in one target language."""

    source_lang: str
    target_lang: str
    files: tuple[CatalogUnits, ...]


@dataclass(frozen=True)
class Conflict:
    """A unit whose translation was not taken because the catalog's own would be lost."""

    line: int | None
    source: str
    reason: str


@dataclass(frozen=True)
class CatalogImport:
    """What importing one ``<file>`` of an XLIFF document did to its catalog.

    Attributes:
        catalog: the catalog written (or left as it was).
        translated: units whose translation was written into the catalog.
        reviewed: entries that became reviewed (a new reviewed translation or a confirmed one).
        unchanged: units the catalog already agreed with, or that carried no translation.
        conflicts: units left out so as not to lose the catalog's translation.
        written: whether the catalog file changed.
    """

    catalog: str
    translated: int = 0
    reviewed: int = 0
    unchanged: int = 0
    conflicts: tuple[Conflict, ...] = ()
    written: bool = False
