"""Where each sentence stands in its article, for engines that translate with context.

A language model translates a sentence better when it sees the sentences
around it (who "he" is, which "bank"). The catalog keeps an article's
sentences in article order, so the neighbours of a msgid are the entries
before and after it. Neighbours are shown to the model as a reader sees them
(the masked text with every placeholder replaced by what it stands for);
they are context only and never translated.

The memory keys machine output by sentence, not by neighbours: a sentence met
again in another article reuses its translation (the context size is part of
the signature, see :mod:`translate.mt.llm.settings`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polib

from translate.mt.protect import Masked, mask
from translate.mt.types import SentenceContext, TermNote

#: The most neighbours kept on each side; an engine shows fewer if configured so.
WIDTH = 5

_PLACEHOLDER = re.compile(r"\{(\d+)\}")


@dataclass(frozen=True)
class Place:
    """A msgid's first place: its article, and the msgids around it."""

    document: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def article_order(catalog: polib.POFile) -> list[str]:
    """The catalog's msgids in article order (each once, obsolete entries left out)."""
    return list(dict.fromkeys(entry.msgid for entry in catalog if not entry.obsolete and entry.msgid))


def places(orders: Mapping[str, Sequence[str]], width: int = WIDTH) -> dict[str, Place]:
    """Each msgid's place in the first article (``document -> msgids in order``) that holds it."""
    found: dict[str, Place] = {}
    for document, msgids in orders.items():
        for index, msgid in enumerate(msgids):
            if msgid not in found:
                found[msgid] = Place(document, tuple(msgids[max(0, index - width) : index]), tuple(msgids[index + 1 : index + 1 + width]))
    return found


def reading(masked: Masked) -> str:
    """The masked text with each placeholder replaced by the text it stands for, as written in the English."""

    def expand(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return masked.atoms[index].source if 0 <= index < len(masked.atoms) else match.group(0)

    return _PLACEHOLDER.sub(expand, masked.text)


def sentence_context(masked: Masked, place: Place | None) -> SentenceContext:
    """The context of a masked sentence: its neighbours as read, and the glossary terms it masks."""
    terms = tuple(TermNote("{" + str(i) + "}", atom.source, atom.restore) for i, atom in enumerate(masked.atoms, 1) if atom.kind == "term")
    if place is None:
        return SentenceContext(terms=terms)
    return SentenceContext(
        document=place.document,
        before=tuple(reading(mask(s)) for s in place.before),
        after=tuple(reading(mask(s)) for s in place.after),
        terms=terms,
    )
