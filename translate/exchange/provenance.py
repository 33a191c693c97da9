"""Machine-translation provenance of a catalog entry, for the exchange formats.

Provenance lives in translator comments written by :mod:`translate.mt.pretranslate`;
this module reads and writes it only through that module's own functions, in
one place, so that the exchange formats follow wherever provenance moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polib

from translate.mt.pretranslate import ProvenanceLine, join_comment, machine_text_untouched, split_comment


@dataclass(frozen=True)
class EntryNotes:
    """An entry's translator comment, split.

    Attributes:
        comments: lines a person wrote.
        provenance: provenance lines the tools wrote.
        machine_untouched: the msgstr is still exactly the machine's output.
    """

    comments: tuple[str, ...]
    provenance: tuple[ProvenanceLine, ...]
    machine_untouched: bool


def read_notes(entry: polib.POEntry) -> EntryNotes:
    """The person's comments and the provenance of ``entry``."""
    comments, provenance = split_comment(entry.tcomment)
    return EntryNotes(tuple(comments), tuple(provenance), machine_text_untouched(entry))


def split_notes(comment: str) -> tuple[tuple[str, ...], tuple[ProvenanceLine, ...]]:
    """A translator comment as read from a file (XLIFF 1.2 carries it whole): person lines, provenance."""
    comments, provenance = split_comment(comment)
    return tuple(comments), tuple(provenance)


def comment_text(comments: Iterable[str], provenance: Iterable[ProvenanceLine]) -> str:
    """The translator comment holding ``comments`` and ``provenance``."""
    return join_comment(comments, provenance)
