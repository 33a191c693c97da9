"""Glossaries: approved translations of names, titles and institutions.

A glossary is a CSV file with a header row naming at least ``source`` and
``target``, optionally ``note``, ``lang`` (to hold several languages in one
file) and ``flags``, or a TBX file (TermBase eXchange, TBX 2 ``martif`` or
TBX 3 ``tbx``)::

    source,target,note,lang,flags
    National Assembly,រដ្ឋសភា,the lower house,km,
    Phnom Penh,ភ្នំពេញ,,km,
    ADHOC,ADHOC,rights group,km,do-not-translate
    Ministry of Interior,,,km,

A do-not-translate term stays as written in every translation: say so with
``do-not-translate`` in the ``flags`` column (Weblate's ``read-only`` is
understood too), or write the term itself as its target. An empty target
means only that there is no approved translation yet: the row is skipped, so
a list of terms filled in halfway (``translate glossary --csv``) forbids
nothing. Older glossaries used an empty target for do-not-translate; a file
without a ``flags`` column that has empty targets is read the new way, with a
warning naming the file and the first such line. Terms are found in English
as whole words or phrases, ignoring case; the longest term wins where terms
overlap.

Glossaries are used twice: machine translation masks each term and inserts its
approved target (:mod:`translate.mt.protect`), and the ``glossary`` check
(:mod:`translate.checks.glossary`) reports translations that do not use it.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import ConfigError

log = logging.getLogger(__name__)

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Values of a CSV glossary's ``flags`` column that make a term do-not-translate (``read-only``: Weblate's name).
DO_NOT_TRANSLATE = frozenset({"do-not-translate", "read-only"})
_warned: set[tuple[str, int, int]] = set()


def base_language(lang: str) -> str:
    """``km`` for ``km``, ``km_KH`` or ``km-KH``."""
    return re.split(r"[-_]", lang, maxsplit=1)[0].lower()


@dataclass(frozen=True)
class Term:
    """One glossary entry.

    Attributes:
        source: the English term.
        target: its approved translation; the source itself, or empty, for a do-not-translate term.
        lang: the language it applies to (empty: every language).
        note: a note for translators (shown by ``translate glossary``).
    """

    source: str
    target: str
    lang: str = ""
    note: str = ""

    @property
    def keep(self) -> bool:
        """Whether the term is not translated (kept as written)."""
        return not self.target or self.target == self.source

    def applies_to(self, lang: str) -> bool:
        """Whether the term holds for the language ``lang`` (``km`` or ``km_KH``)."""
        return not self.lang or self.lang == lang or base_language(self.lang) == base_language(lang)

    def translation(self, found: str) -> str:
        """What replaces the occurrence ``found`` in a translation."""
        return found if self.keep else self.target


@dataclass(frozen=True)
class Glossary:
    """The terms of one or more glossary files.

    Attributes:
        terms: every term, in file order.
        paths: the files read.
    """

    terms: tuple[Term, ...] = ()
    paths: tuple[Path, ...] = ()

    def for_language(self, lang: str) -> tuple[Term, ...]:
        """The terms that apply to ``lang``, longest source first (the order matching uses)."""
        chosen: dict[str, Term] = {}
        for term in self.terms:
            if term.applies_to(lang):
                key = term.source.casefold()
                # A term for the exact language beats one for every language.
                if key not in chosen or (term.lang and not chosen[key].lang):
                    chosen[key] = term
        return tuple(sorted(chosen.values(), key=lambda t: (-len(t.source), t.source.casefold())))

    def signature(self, lang: str) -> str:
        """A short digest of the terms for ``lang``: machine output depends on it."""
        terms = self.for_language(lang)
        if not terms:
            return ""
        text = "\n".join(f"{t.source}\t{t.target}" for t in sorted(terms, key=lambda t: t.source))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class Occurrence:
    """Where a term occurs in a text.

    Attributes:
        term: the glossary term.
        start: offset of the first character.
        end: offset after the last character.
        text: the text as written there (its case may differ from the term's).
    """

    term: Term
    start: int
    end: int
    text: str


def find_terms(text: str, terms: Sequence[Term]) -> list[Occurrence]:
    """Non-overlapping occurrences of ``terms`` in ``text``, leftmost first, longest term winning.

    ``terms`` should come from :meth:`Glossary.for_language` (longest first).
    """
    if not terms:
        return []
    by_key = {t.source.casefold(): t for t in terms}
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t.source) for t in terms) + r")(?!\w)", re.IGNORECASE)
    return [Occurrence(by_key[m.group().casefold()], m.start(), m.end(), m.group()) for m in pattern.finditer(text) if m.group().casefold() in by_key]


def read_glossary(path: Path) -> Glossary:
    """Read a glossary file: CSV (``.csv``, ``.tsv``) or TBX (``.tbx``, ``.xml``).

    Raises:
        ConfigError: the file cannot be read or is not a glossary.
    """
    if path.suffix.lower() in (".tbx", ".xml"):
        return Glossary(_read_tbx(path), (path,))
    return Glossary(_read_csv(path), (path,))


def read_glossaries(paths: Iterable[Path]) -> Glossary:
    """All terms of several glossary files (later files add to earlier ones)."""
    terms: list[Term] = []
    read: list[Path] = []
    for path in paths:
        glossary = read_glossary(path)
        terms.extend(glossary.terms)
        read.append(path)
    return Glossary(tuple(terms), tuple(read))


def _read_csv(path: Path) -> tuple[Term, ...]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter)
            columns = {name.strip().lower() for name in reader.fieldnames or ()}
            if not {"source", "target"} <= columns:
                raise ConfigError("the glossary needs a header row with source and target columns", path=path, line=1, hint="e.g. source,target,note,lang,flags")
            terms = []
            pending = []
            for row in reader:
                values = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if isinstance(value, str)}
                if not values.get("source"):
                    if any(values.values()):
                        raise ConfigError("a row has a target but no source term", path=path, line=reader.line_num, hint="fill the source column or delete the row")
                    continue
                source, target = values["source"], values.get("target", "")
                keep = _do_not_translate(values.get("flags", ""), path, reader.line_num)
                if keep and target and target != source:
                    raise ConfigError(
                        f"{source!r} is marked do-not-translate but has the target {target!r}", path=path, line=reader.line_num, hint="clear the target or the flag"
                    )
                if not target and not keep:
                    pending.append(reader.line_num)  # no approved translation yet
                    continue
                terms.append(Term(source, source if keep else target, values.get("lang", ""), values.get("note", "")))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ConfigError(f"cannot read the glossary: {error}", path=path, hint="save it as UTF-8 CSV with a source,target header") from error
    if pending and "flags" not in columns:
        _warn_empty_targets(path, pending)
    return tuple(terms)


def _do_not_translate(flags: str, path: Path, line: int) -> bool:
    """Whether a CSV row's ``flags`` mark a do-not-translate term.

    Raises:
        ConfigError: an unknown flag (a typo would otherwise let the term be translated).
    """
    words = {word.lower() for word in re.split(r"[\s,;]+", flags) if word}
    unknown = words - DO_NOT_TRANSLATE
    if unknown:
        raise ConfigError(f"unknown glossary flag {sorted(unknown)[0]!r}", path=path, line=line, hint="the flags column knows do-not-translate (or Weblate's read-only)")
    return bool(words)


def _warn_empty_targets(path: Path, lines: list[int]) -> None:
    """Say once per run and file that empty targets no longer mean do-not-translate."""
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (str(path), 0, 0)
    if key in _warned:
        return
    _warned.add(key)
    log.warning(
        "%s:%d: %d term(s) with an empty target are not approved translations and are translated freely "
        "(an empty target no longer means do not translate: to keep a term as written, add a flags column with do-not-translate, "
        "or write the term itself as its target)",
        path,
        lines[0],
        len(lines),
    )


def _read_tbx(path: Path) -> tuple[Term, ...]:
    """Terms of a TBX file: each concept's English term paired with its term in every other language."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        line = error.position[0] if error.position else None
        message = re.sub(r": line \d+, column \d+$", "", str(error))
        raise ConfigError(f"is not well-formed XML: {message}", path=path, line=line, hint="fix the TBX file or export it again") from error
    except (OSError, DefusedXmlException) as error:
        raise ConfigError(f"cannot read the TBX glossary: {error}", path=path, hint="TBX files must not declare entities; export it again") from error
    terms = []
    concepts = [e for e in root.iter() if _local(e.tag) in ("termEntry", "conceptEntry")]
    if not concepts:
        raise ConfigError("no termEntry or conceptEntry elements: not a TBX glossary", path=path, hint="export the termbase as TBX")
    for concept in concepts:
        note = " ".join(_text(e) for e in concept if _local(e.tag) in ("descrip", "note", "descripGrp") and _text(e))
        by_lang: dict[str, list[str]] = {}
        for lang_set in (e for e in concept if _local(e.tag) == "langSet"):
            lang = lang_set.get(_XML_LANG) or lang_set.get("lang") or ""
            for term in (e for e in lang_set.iter() if _local(e.tag) == "term"):
                if _text(term):
                    by_lang.setdefault(lang.replace("-", "_"), []).append(_text(term))
        english = [t for lang, found in by_lang.items() if base_language(lang) == "en" for t in found]
        for source in english[:1]:
            others = {lang: found for lang, found in by_lang.items() if base_language(lang) != "en"}
            for lang, found in others.items():
                terms.append(Term(source, found[0], lang, note))
            if not others and re.search(r"do\s*not\s*translate|doNotTranslate", ElementTree.tostring(concept, encoding="unicode"), re.IGNORECASE):
                terms.append(Term(source, "", "", note))
    return tuple(terms)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: object) -> str:
    return " ".join("".join(element.itertext()).split()) if hasattr(element, "itertext") else ""


#: Per-language glossary files looked for in the catalog tree: locales/<lang>/glossary.<ext>.
GLOSSARY_NAMES = ("glossary.csv", "glossary.tsv", "glossary.tbx")


def language_glossaries(locales: Path, gettext_lang: str) -> list[Path]:
    """The glossary files kept for one language in the catalog tree (``locales/km/glossary.csv``)."""
    return [locales / gettext_lang / name for name in GLOSSARY_NAMES if (locales / gettext_lang / name).is_file()]


def load_glossary(locales: Path, gettext_langs: Iterable[str], extra: Iterable[Path] = ()) -> Glossary:
    """The terms for some languages: each language's own glossary files plus ``extra`` files.

    Terms without a ``lang`` in a language's own file apply to that language
    only; in an ``extra`` file, to every language.

    Raises:
        ConfigError: a glossary file cannot be read.
    """
    terms: list[Term] = []
    paths: list[Path] = []
    for lang in dict.fromkeys(gettext_langs):
        for path in language_glossaries(locales, lang):
            glossary = read_glossary(path)
            terms.extend(t if t.lang else Term(t.source, t.target, lang, t.note) for t in glossary.terms)
            paths.append(path)
    extra_glossary = read_glossaries(extra)
    return Glossary(tuple(terms) + extra_glossary.terms, tuple(paths) + extra_glossary.paths)
