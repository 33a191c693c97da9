"""Pre-translate catalog entries: which entries to fill, and filling them safely.

Machine output goes in as ``#, fuzzy`` with its provenance in translator
comments, which survive ``msgmerge`` and our own updates. Each line is one
word with no hyphen after its short prefix, so no PO writer wraps it::

    # mt:nllb-200-distilled-600m@f8d333a098d1
    # mt_settings:transformers|beam:4|maxnew:3x+10|maxin:200|lp:1|rp:1|nrng:0|retry:yes
    # mt_sha256:1a2b3c4d5e6f
    # mt_issues:repetition,hit-length-cap
    # mt_check:numbers,urls
    # mt_restore: link: [the report](https://example.org/report)

The digest is that of the machine text itself, so an entry whose msgstr no
longer matches it was edited by a person and is never replaced. Reviewed
(non-fuzzy) entries are never touched. Reviewed human translations of the same
sentence found in other catalogs are reused first, as a gettext compendium
would be, and say so (``# tm_reviewed:<catalog>``).

Machine output in Khmer is post-processed (:func:`translate.khmer.postprocess`:
character order, spacing, full stop) before it is written, and the quality
checks (:mod:`translate.checks`) run on it: the names of those that fail go in
``# mt_check:``, where a translator sees them in Poedit. Markup of the English
that the machine translation lacks (a link or emphasis whose place in the
translation is not certain, a URL the model lost) is listed, one
``# mt_restore:`` line each, exactly as written in the English, for the
translator to put back.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import polib

from translate.catalog.stats import is_translated
from translate.mt.protect import unplaced_markup
from translate.mt.types import Issue

if TYPE_CHECKING:
    from translate.khmer import KhmerOptions

_MT = "mt:"
_MT_SETTINGS = "mt_settings:"
_MT_DIGEST = "mt_sha256:"
_MT_ISSUES = "mt_issues:"
_MT_CHECK = "mt_check:"
_MT_RESTORE = "mt_restore:"
_TM = "tm_reviewed:"
_OURS = (_MT, _MT_SETTINGS, _MT_DIGEST, _MT_ISSUES, _MT_CHECK, _MT_RESTORE, _TM)


def text_digest(text: str) -> str:
    """A short digest of a translation, to tell later whether someone edited it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Provenance:
    """Where a machine translation came from.

    Attributes:
        model: model name.
        revision: model revision (commit).
        settings: backend and decoding-settings signature.
        digest: :func:`text_digest` of the machine text as written.
    """

    model: str
    revision: str
    settings: str
    digest: str

    def lines(self) -> list[str]:
        """The comment lines that record it (each a single word)."""
        return [f"{_MT}{self.model}@{self.revision[:12]}", f"{_MT_SETTINGS}{self.settings}", f"{_MT_DIGEST}{self.digest}"]

    @classmethod
    def parse(cls, comment: str) -> Provenance | None:
        """The provenance recorded in a translator comment, if any."""
        found: dict[str, str] = {}
        for line in comment.splitlines():
            line = line.strip()
            for prefix in (_MT, _MT_SETTINGS, _MT_DIGEST):
                if line.startswith(prefix) and " " not in line:
                    found[prefix] = line[len(prefix) :]
        if len(found) != 3 or "@" not in found[_MT]:
            return None
        model, revision = found[_MT].rsplit("@", 1)
        return cls(model, revision, found[_MT_SETTINGS], found[_MT_DIGEST])


class Origin(StrEnum):
    """Where a suggestion comes from."""

    MACHINE = "machine"
    REVIEWED = "reviewed"


@dataclass(frozen=True)
class Suggestion:
    """A translation to write into an entry.

    Attributes:
        text: the translation.
        origin: machine output, or a reviewed translation from another catalog.
        provenance: for machine output, its provenance (digest filled in when written).
        issues: problems detected in machine output.
        source_catalog: for reviewed translations, the catalog it comes from.
    """

    text: str
    origin: Origin
    provenance: Provenance | None = None
    issues: tuple[Issue, ...] = ()
    source_catalog: str = ""


def recorded_checks(entry: polib.POEntry) -> list[str]:
    """The names of the checks machine output failed when it was written (``# mt_check:numbers,urls``)."""
    for line in (entry.tcomment or "").splitlines():
        line = line.strip()
        if line.startswith(_MT_CHECK):
            return [name.strip() for name in line[len(_MT_CHECK) :].split(",") if name.strip()]
    return []


def machine_text_untouched(entry: polib.POEntry) -> bool:
    """Whether the entry's msgstr is still exactly what a machine wrote."""
    provenance = Provenance.parse(entry.tcomment or "")
    return provenance is not None and provenance.digest == text_digest(entry.msgstr)


def needs_translation(entry: polib.POEntry, *, retranslate_machine: bool = False) -> bool:
    """Whether ``mt`` should fill this entry.

    Untranslated entries are filled; with ``retranslate_machine``, so are fuzzy
    entries whose text is still the machine's own. Everything else (reviewed
    entries, text a person wrote or edited) is left alone.
    """
    if entry.obsolete or entry.msgid_plural:
        return False
    if not is_translated(entry):
        return True
    return retranslate_machine and "fuzzy" in entry.flags and machine_text_untouched(entry)


def pending(catalog: polib.POFile, *, retranslate_machine: bool = False) -> list[str]:
    """The distinct msgids of a catalog that need a translation, in catalog order."""
    seen: dict[str, None] = {}
    for entry in catalog:
        if needs_translation(entry, retranslate_machine=retranslate_machine):
            seen.setdefault(entry.msgid, None)
    return list(seen)


def _comment(existing: str, ours: Iterable[str]) -> str:
    kept = [line for line in (existing or "").splitlines() if not line.strip().startswith(_OURS)]
    return "\n".join(kept + list(ours))


@dataclass(frozen=True)
class ProvenanceLine:
    """One line of provenance this module writes in a translator comment.

    Attributes:
        kind: the line's prefix without its colon: ``mt``, ``mt_settings``,
            ``mt_sha256``, ``mt_issues``, ``mt_check``, ``mt_restore`` or ``tm_reviewed``.
        value: the rest of the line, exactly as written.
    """

    kind: str
    value: str

    def text(self) -> str:
        """The comment line."""
        return f"{self.kind}:{self.value}"


def split_comment(comment: str | None) -> tuple[list[str], list[ProvenanceLine]]:
    """A translator comment split into the lines a person wrote and the provenance lines written here."""
    person: list[str] = []
    provenance: list[ProvenanceLine] = []
    for line in (comment or "").splitlines():
        prefix = next((p for p in _OURS if line.strip().startswith(p)), None)
        if prefix is None:
            person.append(line)
        else:
            provenance.append(ProvenanceLine(prefix[:-1], line.strip()[len(prefix) :]))
    return person, provenance


def join_comment(person: Iterable[str], provenance: Iterable[ProvenanceLine]) -> str:
    """The translator comment made of a person's lines and provenance lines (the inverse of :func:`split_comment`)."""
    known = {prefix[:-1] for prefix in _OURS}
    lines = list(person)
    for item in provenance:
        if item.kind not in known or "\n" in item.value:
            raise ValueError(f"not a provenance line: {item!r}")
        lines.append(item.text())
    return "\n".join(lines)


def _machine_text(source: str, text: str, lang: str, khmer: KhmerOptions | None) -> tuple[str, list[str]]:
    """Machine output as written (Khmer post-processed) and the names of the checks it fails."""
    from translate.checks import all_failures
    from translate.checks.standard import base_language
    from translate.khmer import postprocess

    if not lang:
        return text, []
    if base_language(lang) == "km":
        text = postprocess(text, khmer)
    return text, list(dict.fromkeys(failure.check for failure in all_failures(source, text, lang)))


def _apply(entry: polib.POEntry, suggestion: Suggestion, lang: str = "", khmer: KhmerOptions | None = None) -> None:
    failed: list[str] = []
    text = suggestion.text
    if suggestion.origin is Origin.MACHINE:
        text, failed = _machine_text(entry.msgid, text, lang, khmer)
    entry.msgstr = text
    entry.previous_msgid = None
    entry.previous_msgctxt = None
    if suggestion.origin is Origin.REVIEWED:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.tcomment = _comment(entry.tcomment, [f"{_TM}{suggestion.source_catalog}"])
        return
    if "fuzzy" not in entry.flags:
        entry.flags.insert(0, "fuzzy")
    assert suggestion.provenance is not None
    provenance = Provenance(suggestion.provenance.model, suggestion.provenance.revision, suggestion.provenance.settings, text_digest(text))
    lines = provenance.lines()
    if suggestion.issues:
        lines.append(_MT_ISSUES + ",".join(suggestion.issues))
    if failed:
        lines.append(_MT_CHECK + ",".join(failed))
    lines.extend(f"{_MT_RESTORE} {item}" for item in unplaced_markup(entry.msgid, text))
    entry.tcomment = _comment(entry.tcomment, lines)


@dataclass(frozen=True)
class FillReport:
    """What :func:`fill` wrote."""

    machine: int
    reviewed: int
    flagged: int


def fill(
    catalog: polib.POFile,
    suggestions: Mapping[str, Suggestion],
    *,
    retranslate_machine: bool = False,
    lang: str | None = None,
    khmer: KhmerOptions | None = None,
) -> tuple[polib.POFile, FillReport]:
    """A copy of ``catalog`` with suggestions written into the entries that need them.

    Pure: applied again to a catalog a translator saved in the meantime, it
    fills only what still needs filling there.

    Args:
        lang: the catalog's language, for post-processing and checking machine
            output; by default its ``Language`` header (none: neither is done).
        khmer: how Khmer machine output is post-processed (default: :class:`KhmerOptions` defaults).
    """
    if lang is None:
        lang = catalog.metadata.get("Language", "")
    result = copy.deepcopy(catalog)
    machine = reviewed = flagged = 0
    for entry in result:
        suggestion = suggestions.get(entry.msgid)
        if suggestion is None or not needs_translation(entry, retranslate_machine=retranslate_machine):
            continue
        _apply(entry, suggestion, lang, khmer)
        if suggestion.origin is Origin.REVIEWED:
            reviewed += 1
        else:
            machine += 1
            flagged += bool(suggestion.issues)
    return result, FillReport(machine=machine, reviewed=reviewed, flagged=flagged)


def reviewed_translations(catalog: polib.POFile) -> Iterable[tuple[str, str]]:
    """``(msgid, msgstr)`` of the catalog's reviewed entries (translated, not fuzzy)."""
    for entry in catalog:
        if not entry.obsolete and not entry.msgid_plural and is_translated(entry) and "fuzzy" not in entry.flags:
            yield entry.msgid, entry.msgstr
