"""Keep markup and non-translatable text away from the model, and put it back exactly.

The model never sees raw markup. :func:`mask` turns a catalog msgid into the
text the model translates:

- *atoms* — URLs, e-mail addresses, code (Markdown code spans, ``<code>``),
  Liquid tags, Hugo shortcodes, kramdown attribute lists (``{: .lead}``,
  ``{:target="_blank"}``), images, HTML comments, lone HTML tags
  (``<br>``), ``&amp;``-style entities, existing placeholders (``{0}``, ``%s``)
  and glossary terms — become numbered placeholders ``{1}``, ``{2}`` … (the
  placeholder form that machine-translation models copy most reliably);
- *pairs* — links (``[text](url)``, ``<a href>``) and emphasis (``**``, ``*``,
  ``_``, ``~~``, ``<em>``, ``<strong>`` …) — lose their markers and keep their
  translatable text.

:func:`restore` reads the model's output, tolerating what models do to
placeholders (``{ 1 }``, ``{១}``, full-width braces, duplicates, reordering),
and puts every atom back exactly: its source text, or for a glossary term its
approved translation. A pair is carried into the translation only where its
placement is certain: it wraps the whole sentence, or its text (a name, a
number, a glossary term) appears in the translation exactly once. Otherwise the
translation is produced without it and the pair is listed in
:attr:`Restored.to_restore`, exactly as it was written in the English, so the
translator can put it back: a link is never dropped silently.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translate.mt.scan import EMPHASIS, STRONG, PairFound, PairSyntax, opaque, pairs
from translate.mt.types import Issue
from translate.patterns import HTML_TAG, LETTER, PLACEHOLDER, URL

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

    from translate.glossary import Term

#: Version of the masking rules: part of the machine-output signature.
VERSION = "2"

#: Working characters: one per atom, two per pair (Unicode plane-15 private use):
#: atoms from the bottom of the plane, then the markers of placed pairs, pairs from the top.
_BASE = 0xF0000
_MAX_ATOMS = 0x7000
_MAX_PAIRS = 0x1000
_PRIVATE = re.compile("[\U000f0000-\U000ffffd]")
_ATOM = re.compile("[\U000f0000-\U000f7fff]")

_LINK = re.compile(
    r"\[(?P<inner>[^\[\]]*+)\](?P<dest>\((?:<[^<>]*+>|[^()\s]*+(?:\([^()\s]*+\)[^()\s]*+)*+)(?:\s++(?:\"[^\"]*+\"|'[^']*+'|\([^()]*+\)))?\)|\[[^\[\]]++\])"
)
_INLINE_TAGS = "a|abbr|b|bdi|bdo|cite|del|dfn|em|i|ins|mark|q|s|small|span|strong|sub|sup|time|u"
# The body stops at the next tag of the same name, so an unclosed tag is read up to there only.
_HTML_PAIR = re.compile(rf"(?P<open><(?P<tag>{_INLINE_TAGS})(?:\s[^<>]*+)?>)(?P<inner>(?:(?!</?(?P=tag)[\s>/]).)*?)(?P<close></(?P=tag)\s*+>)", re.DOTALL | re.IGNORECASE)
#: A placeholder as :func:`restore` writes every form of it the model made.
_CANONICAL_PLACEHOLDER = re.compile(r"\{(\d+)\}")
#: Links and emphasis are placed by finding their text in the translation, up to this many in a sentence.
_MAX_PLACED = 100
#: Nested pairs are masked innermost first, one level per pass, up to this depth;
#: markup nested deeper is left to the model as it is.
_MAX_NESTING = 4
_KEPT_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#0*3[489]|#0*6[02]|#x0*2[26]|#x0*3[ce]);", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
#: What models make of ``{12}``: spaces inside, Khmer or full-width digits and braces.
_OUTPUT_PLACEHOLDER = re.compile(r"[{｛]\s*([0-9០-៩０-９]+)\s*[}｝]")
_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩０１２３４５６７８９", "01234567890123456789")
_TRAILING = re.compile(r"[\s.!?:;,។៕\"'”’»)]*$")


@dataclass(frozen=True)
class Atom:
    """A piece the model must not translate.

    Attributes:
        kind: url, email, code, liquid, shortcode, ial (kramdown attribute list), image, comment, autolink, html, entity, placeholder or term.
        source: the text as written in the English.
        restore: what goes into the translation (the source text; for a glossary term, its approved translation).
    """

    kind: str
    source: str
    restore: str


@dataclass(frozen=True)
class Pair:
    """Markup around translatable text: a link or emphasis.

    Attributes:
        kind: link or emphasis.
        open: the opening markup as written (``[``, ``<a href="…">``, ``**``).
        close: the closing markup as written (``](https://…)``, ``</a>``, ``**``).
    """

    kind: str
    open: str
    close: str


@dataclass(frozen=True)
class Masked:
    """A sentence prepared for the model.

    Attributes:
        source: the msgid.
        text: what the model translates.
        atoms: the masked atoms; atom ``i`` is the placeholder ``{i+1}``.
        pairs: the links and emphasis found.
        work: the sentence with one private character per atom and two per pair (internal form).
        wrappers: pairs that wrap the whole sentence, outermost first: the
            pair, the punctuation that followed it in the English, and the
            white space just inside its markers (``<a …> Skip </a>``).
    """

    source: str
    text: str
    atoms: tuple[Atom, ...] = ()
    pairs: tuple[Pair, ...] = ()
    work: str = ""
    wrappers: tuple[tuple[int, str, str, str], ...] = ()

    @property
    def needs_model(self) -> bool:
        """Whether there is anything to translate (letters outside the atoms)."""
        return bool(LETTER.search(_OUTPUT_PLACEHOLDER.sub("", self.text)))

    @property
    def changed(self) -> bool:
        """Whether the model sees something other than the msgid."""
        return self.text != self.source


@dataclass(frozen=True)
class Restored:
    """A translation with the masked pieces put back.

    Attributes:
        text: the translation.
        issues: ``placeholder`` when the model lost, duplicated or invented a
            placeholder; ``markup-not-placed`` when a link or emphasis could not be placed.
        to_restore: the markup of the English that is missing from the
            translation, as written, for the translator to put back.
    """

    text: str
    issues: tuple[Issue, ...] = ()
    to_restore: tuple[str, ...] = field(default=())


def _atom_char(index: int) -> str:
    return chr(_BASE + index)


def _placed_marker(pair_index: int) -> str:
    """Stands, while restoring, for a placed pair (a range of the plane no sentence has atoms in)."""
    return chr(_BASE + 0x7000 + pair_index)


class _TooMuchMarkup(Exception):
    """More atoms or pairs than the working characters can number."""


class _Builder:
    """Collects atoms and pairs while the sentence is rewritten into its working form."""

    def __init__(self) -> None:
        self.atoms: list[Atom] = []
        self.pairs: list[Pair] = []
        # Pair markers come after every atom character: numbered from the top of the plane.
        self.top = 0xFFFFD

    def atom(self, kind: str, source: str, restore: str | None = None) -> str:
        if len(self.atoms) >= _MAX_ATOMS:
            raise _TooMuchMarkup
        self.atoms.append(Atom(kind, source, source if restore is None else restore))
        return _atom_char(len(self.atoms) - 1)

    def pair(self, kind: str, open_: str, close: str) -> tuple[str, str]:
        # Markup may hold atoms found earlier (a Liquid tag in a link's URL): they belong to the markup.
        if len(self.pairs) >= _MAX_PAIRS:
            raise _TooMuchMarkup
        self.pairs.append(Pair(kind, self.source_of(open_), self.source_of(close)))
        index = len(self.pairs) - 1
        return chr(self.top - 2 * index), chr(self.top - 2 * index - 1)

    def source_of(self, text: str) -> str:
        """``text`` with the atom characters in it replaced by their source."""
        return _ATOM.sub(lambda m: self.atoms[ord(m.group()) - _BASE].source, text)


def _pair_index(char: str) -> tuple[int, bool]:
    """``(pair index, is_open)`` of a pair marker character."""
    offset = 0xFFFFD - ord(char)
    return offset // 2, offset % 2 == 0


def _is_atom(char: str) -> bool:
    return _BASE <= ord(char) < _BASE + 0x8000


def mask(source: str, terms: Sequence[Term] = ()) -> Masked:
    """Prepare ``source`` for the model (see the module documentation).

    Args:
        terms: glossary terms for the target language, longest first
            (:meth:`translate.glossary.Glossary.for_language`).
    """
    if _PRIVATE.search(source):
        return Masked(source, source, work=source)  # cannot happen in real text; translate as is
    try:
        return _mask(source, terms)
    except _TooMuchMarkup:
        return Masked(source, source, work=source)  # thousands of pieces of markup: not a sentence; translate as is


def _mask(source: str, terms: Sequence[Term]) -> Masked:
    build = _Builder()
    work = _replace(source, ((found.start, found.end, build.atom(found.kind, source[found.start : found.end])) for found in opaque(source)))
    work = _mask_pairs(work, build)
    work = URL.sub(lambda m: build.atom("email" if "@" in m.group() and "://" not in m.group() else "url", m.group()), work)
    work = HTML_TAG.sub(lambda m: build.atom("html", m.group()), work)
    work = _KEPT_ENTITY.sub(lambda m: build.atom("entity", m.group()), work)
    work = _ENTITY.sub(lambda m: html.unescape(m.group()), work)
    work = PLACEHOLDER.sub(lambda m: build.atom("placeholder", m.group()), work)
    if terms:
        work = _mask_terms(work, terms, build)
    work, atoms = _in_reading_order(work, build.atoms)
    work, wrappers = _unwrap(work)
    return Masked(source, _model_text(work), atoms, tuple(build.pairs), work, wrappers)


def _in_reading_order(work: str, atoms: list[Atom]) -> tuple[str, tuple[Atom, ...]]:
    """Renumber atoms in the order they appear, so the model sees ``{1}``, ``{2}``, ``{3}`` …"""
    order = [ord(c) - _BASE for c in _ATOM.findall(work)]
    renumber = {old: new for new, old in enumerate(order)}
    work = _ATOM.sub(lambda m: _atom_char(renumber[ord(m.group()) - _BASE]), work)
    return work, tuple(atoms[old] for old in order)


def _replace(text: str, replacements: Iterable[tuple[int, int, str]]) -> str:
    """``text`` with the ``(start, end, new text)`` ranges, in order and not overlapping, replaced."""
    pieces = []
    last = 0
    for start, end, new in replacements:
        pieces.append(text[last:start])
        pieces.append(new)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _html_pairs(work: str) -> Iterator[tuple[PairFound, str]]:
    for match in _HTML_PAIR.finditer(work):
        kind = "link" if match.group("tag").lower() == "a" else "emphasis"
        yield PairFound(match.start(), match.end("open"), match.start("close"), match.end()), kind


def _markdown_pairs(syntax: PairSyntax) -> Callable[[str], Iterator[tuple[PairFound, str]]]:
    return lambda work: ((found, "emphasis") for found in pairs(work, syntax))


def _mask_pairs(work: str, build: _Builder) -> str:
    def link(match: re.Match[str]) -> str:
        start, end = build.pair("link", "[", "]" + match.group("dest"))
        return start + match.group("inner") + end

    def replacement(text: str, found: PairFound, kind: str) -> tuple[int, int, str]:
        start, end = build.pair(kind, text[found.start : found.inner_start], text[found.inner_end : found.end])
        return found.start, found.end, start + text[found.inner_start : found.inner_end] + end

    work = _LINK.sub(link, work)
    for finder in (_html_pairs, _markdown_pairs(STRONG), _markdown_pairs(EMPHASIS)):
        # Innermost first: repeat until nothing changes (<b><i>x</i></b>, **a *b* c**).
        for _ in range(_MAX_NESTING):
            found = list(finder(work))
            if not found:
                break
            work = _replace(work, (replacement(work, pair, kind) for pair, kind in found))
    return work


def _mask_terms(work: str, terms: Sequence[Term], build: _Builder) -> str:
    from translate.glossary import find_terms

    pieces = []
    last = 0
    for occurrence in find_terms(work, terms):
        pieces.append(work[last : occurrence.start])
        pieces.append(build.atom("term", occurrence.text, occurrence.term.translation(occurrence.text)))
        last = occurrence.end
    pieces.append(work[last:])
    return "".join(pieces)


def _unwrap(work: str) -> tuple[str, tuple[tuple[int, str, str, str], ...]]:
    """Take off pairs that wrap the whole sentence (``**Breaking.**``, ``[Read more](…).``)."""
    wrappers = []
    while True:
        stripped = work.strip()
        if not stripped or _is_atom(stripped[0]) or not _PRIVATE.match(stripped[0]):
            break
        index, is_open = _pair_index(stripped[0])
        if not is_open:
            break
        close = chr(ord(stripped[0]) - 1)
        end = stripped.find(close)
        trailing = stripped[end + 1 :]
        if end < 0 or not _TRAILING.fullmatch(trailing) or _PRIVATE.search(trailing):
            break
        inner = stripped[1:end]
        body = inner.strip()
        lead = inner[: len(inner) - len(inner.lstrip())]
        tail = inner[len(inner.rstrip()) :]
        wrappers.append((index, trailing, lead, tail))
        work = body + trailing
    return work, tuple(wrappers)


def _model_text(work: str) -> str:
    """The working form as the model sees it: atoms as ``{n}``, pair markers removed."""
    return _PRIVATE.sub(lambda m: "{" + str(ord(m.group()) - _BASE + 1) + "}" if _is_atom(m.group()) else "", work)


def _expand(masked: Masked, text: str, *, as_written: bool = False) -> str:
    """Working characters replaced by what they stand for: in a translation, or (``as_written``) in the English."""

    def expand(match: re.Match[str]) -> str:
        char = match.group()
        if _is_atom(char):
            atom = masked.atoms[ord(char) - _BASE]
            return atom.source if as_written else atom.restore
        index, is_open = _pair_index(char)
        pair = masked.pairs[index]
        return pair.open if is_open else pair.close

    return _PRIVATE.sub(expand, text)


def _top_level_pairs(work: str) -> list[tuple[int, int, int]]:
    """``(pair index, start, end)`` of the outermost pairs in the working form (end after the close marker)."""
    found = []
    position = 0
    while position < len(work):
        char = work[position]
        if _PRIVATE.match(char) and not _is_atom(char):
            index, is_open = _pair_index(char)
            if is_open:
                end = work.find(chr(ord(char) - 1), position)
                if end > position:
                    found.append((index, position, end + 1))
                    position = end + 1
                    continue
        position += 1
    return found


def restore(masked: Masked, output: str) -> Restored:
    """Put the masked pieces of ``masked`` back into the model's ``output``."""
    if not masked.atoms and not masked.pairs:
        return Restored(output)
    issues: list[Issue] = []
    to_restore: list[str] = []
    count = len(masked.atoms)

    def canonical(match: re.Match[str]) -> str:
        number = int(match.group(1).translate(_DIGITS))
        return "{" + str(number) + "}" if 1 <= number <= count else match.group()

    text = _OUTPUT_PLACEHOLDER.sub(canonical, output)
    # Links and emphasis whose text the translation kept verbatim: place them there.
    placed: dict[str, str] = {}
    consumed: set[str] = set()  # atoms inside placed pairs: restored with them
    for number, (index, start, end) in enumerate(_top_level_pairs(masked.work)):
        inner = _model_text(masked.work[start + 1 : end - 1])
        # Text of its own (not only punctuation: a "*" in emphasis counts) found once in the translation.
        if number < _MAX_PLACED and inner.strip() and not _TRAILING.fullmatch(inner) and text.count(inner) == 1:
            marker = _placed_marker(index)
            text = text.replace(inner, marker)
            placed[marker] = _expand(masked, masked.work[start:end])
            consumed.update(c for c in masked.work[start:end] if _is_atom(c))
        else:
            issues.append(Issue.MARKUP_NOT_PLACED)
            to_restore.append(f"{masked.pairs[index].kind}: {_expand(masked, masked.work[start:end], as_written=True)}")
    # Atoms: exactly one placeholder each.
    text, counts = _put_atoms_back(masked, text)
    for number, atom in enumerate(masked.atoms, start=1):
        if counts.get(number, 0) == 0 and _atom_char(number - 1) not in consumed:
            issues.append(Issue.PLACEHOLDER)
            to_restore.append(f"{atom.kind}: {atom.source}")
        elif counts.get(number, 0) > 1:
            issues.append(Issue.PLACEHOLDER)
    if _OUTPUT_PLACEHOLDER.search(text) and not _OUTPUT_PLACEHOLDER.search(masked.source):
        text = re.sub(" ?" + _OUTPUT_PLACEHOLDER.pattern, "", text)  # placeholders the model invented
        issues.append(Issue.PLACEHOLDER)
    for marker, markup in placed.items():
        text = text.replace(marker, markup)
    for index, trailing, lead, tail in reversed(masked.wrappers):
        text = _wrap(text, masked.pairs[index], trailing, lead, tail)
    text = re.sub(r"  +", " ", text) if "  " not in masked.source else text
    return Restored(text, tuple(dict.fromkeys(issues)), tuple(to_restore))


def _put_atoms_back(masked: Masked, text: str) -> tuple[str, dict[int, int]]:
    """Each atom's first placeholder replaced by the atom, the others (and a space before each) removed.

    One pass over the text, so text put back is never read again as a
    placeholder. Returns the text and how often each atom's placeholder was there.
    """
    counts: dict[int, int] = {}
    first_end: dict[int, int] = {}
    pieces = []
    last = 0
    for match in _CANONICAL_PLACEHOLDER.finditer(text):
        number = int(match.group(1))
        if not 1 <= number <= len(masked.atoms):
            continue
        counts[number] = counts.get(number, 0) + 1
        start = match.start()
        if number not in first_end:
            first_end[number] = match.end()
            pieces += [text[last:start], masked.atoms[number - 1].restore]
        else:
            space_before = start > last and start - 1 >= first_end[number] and text[start - 1] == " "
            pieces.append(text[last : start - 1 if space_before else start])
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces), counts


def _wrap(text: str, pair: Pair, trailing: str, lead: str = "", tail: str = "") -> str:
    """Wrap a whole translation in ``pair``, keeping its final punctuation outside when the English did.

    ``lead`` and ``tail``: the white space the English had just inside the markers.
    """
    stripped = text.strip()
    before = text[: len(text) - len(text.lstrip())]
    if trailing.strip():
        body = _TRAILING.sub("", stripped)
        end = stripped[len(body) :]
        return before + pair.open + lead + body + tail + pair.close + end
    return before + pair.open + lead + stripped + tail + pair.close


def unplaced_markup(source: str, target: str) -> list[str]:
    """Markup of ``source`` (links, emphasis, code, URLs …) that ``target`` lacks, as written in the English."""
    masked = mask(source)
    missing = []
    for index, start, end in _top_level_pairs(masked.work):
        pair = masked.pairs[index]
        if pair.open not in target or pair.close not in target:
            missing.append(f"{pair.kind}: {_expand(masked, masked.work[start:end], as_written=True)}")
    for index, *_ in masked.wrappers:
        pair = masked.pairs[index]
        if pair.open not in target or pair.close not in target:
            missing.append(f"{pair.kind}: {pair.open}…{pair.close}")
    in_pairs = {c for _, start, end in _top_level_pairs(masked.work) for c in masked.work[start:end]}
    for number, atom in enumerate(masked.atoms):
        if atom.source not in target and _atom_char(number) not in in_pairs:
            missing.append(f"{atom.kind}: {atom.source}")
    return missing
