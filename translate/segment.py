"""English sentence segmentation: sentencex boundaries, corrected by a small rule layer.

`sentencex <https://github.com/wikimedia/sentencex>`_ (Wikimedia, a Rust
extension) proposes the boundaries; it is fast and knows most English
abbreviations. The rules below then correct what it gets wrong in news text and
inline markup, each one a small named function (see ``docs/segmentation.md``):

* a boundary sits in whitespace, after the closing quotes, brackets, emphasis
  markers and closing tags that follow the terminal punctuation (``*no.*``,
  ``<em>Yes.</em>``, ``(See page 3.)``), never inside a protected range, never
  before a lowercase word or a comma;
* vetoes: after a title (``Dr.``, ``Lt. Col.``), after a Latin abbreviation
  (``e.g.``, ``vs.``), after an abbreviation that announces a number (``No. 5``,
  ``Sept. 3``), after a list number that starts its sentence (``1. First``),
  between ``a.m.``/``p.m.`` and a weekday, month or time zone;
* additions: after ``?``, ``!`` or an ellipsis and after terminal punctuation
  closed by quotes or brackets, when a new sentence follows; after ``U.S.``,
  ``Inc.``, ``p.m.`` and the like when a word that typically opens a sentence
  (or an opening quote) follows; at every blank line.

Offsets are character offsets into the text given, so markup and spacing come
out exactly as they went in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sentencex

from translate.article import Span

_TERMINALS = ".!?…‽"
_CLOSING_CHARS = "\"'”’»)]}*_~"
_OPENING_CHARS = "\"'“‘«([{*_¿¡"

# A terminal run (not preceded by another terminal, so a long run of dots is
# scanned once), then closing quotes, brackets, emphasis markers or closing tags,
# followed by whitespace.
_CANDIDATE = re.compile(
    r"(?<![.!?…‽])(?P<run>[.!?…‽]++)(?:[\"'”’»)\]}*_~]|</[A-Za-z][\w:.-]*\s*>)*+(?=\s)"
)
_TRAIL = re.compile(r"(?:[\"'”’»)\]}*_~]|</[A-Za-z][\w:.-]*\s*>)*+")
_OPENING = re.compile(r"(?:[\"'“‘«(\[{*_¿¡]|<[A-Za-z][^<>\n]{0,200}>)*+")
_LEADING_MARKUP = re.compile(r"^(?:[\"'“‘«(\[{*_¿¡]|<[A-Za-z][^<>]*>)+")
_SPACE = re.compile(r"\s*+")
_BLANK_LINE = re.compile(r"\n[^\S\n]*+\n")
_LETTERS = re.compile(r"[^\W\d_]++")
_CAMEL = re.compile(r"[a-z]++[A-Z]")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_LIST_NUMBER = re.compile(r"\d{1,3}|[A-Za-z]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

_TOKEN_LOOKBACK = 40

#: Titles before a name; they never end a sentence (only when capitalised: "ft." is feet).
_TITLES = frozenset(
    "mr mrs ms messrs mmes dr prof gen lt col maj capt cmdr adm brig sgt cpl pvt "
    "gov rep rev hon pres supt insp det amb atty fr mt ft".split()
)
#: Latin abbreviations inside a sentence.
_LATIN = frozenset("e.g i.e vs v cf viz".split())
#: Abbreviations that announce a number: "No. 5", "pp. 12-14", "approx. 3".
_NUMBERED = frozenset("no nos nr art vol vols p pp fig figs ch chap sec para approx ca tel ext".split())
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
#: Abbreviations that may end a sentence but often do not ("the U.S. Embassy", "Apple Inc. Chief").
_AMBIGUOUS = frozenset(
    "inc ltd co corp llc plc bros jr sr st sen dept univ assn est ave blvd rd "
    "ph.d mon tue tues wed thu thur thurs fri sat sun".split()
) | _MONTHS
_TIMES = frozenset({"a.m", "p.m"})
#: Words after "a.m."/"p.m." that continue the sentence: "10 a.m. Monday", "5 p.m. ET".
_TIME_FOLLOWERS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december et est edt ct cst "
    "cdt mt mst mdt pt pst pdt gmt utc ict bst cet cest jst hkt aest".split()
) | _MONTHS
#: Words that open a new sentence after an ambiguous abbreviation ("... the U.S. He said").
_STARTERS = frozenset(
    "the a an he she it they we i you his her its their our my your this that these those "
    "there here but and or so yet however meanwhile also still in on at for after before "
    "when while although though if as since because some many most all both each every "
    "no not now then today yesterday earlier later according what why how who where which "
    "one two three".split()
)


@dataclass(frozen=True)
class _Cut:
    """A possible boundary: the left sentence ends at ``end``, the next one starts at ``next``."""

    end: int
    next: int
    run: str  # terminal punctuation before the closing trail; "" when none
    token_start: int  # where the word before the terminal run starts
    word: str  # that word, without leading markup and the terminal run
    trail: bool  # whether closing quotes, brackets or markup follow the run


@dataclass(frozen=True)
class _Next:
    """What follows a possible boundary."""

    first: str  # first character after opening markup ("" at the end of the text)
    word: str  # the letters starting there
    initial: bool  # that word is a single letter followed by "."
    quote: bool  # the opening markup contains a double quote


def split_sentences(text: str, protected: Sequence[Span] = ()) -> tuple[Span, ...]:
    """Sentence spans of `text`, in order.

    Args:
        text: English text; may contain newlines (a single one is not a boundary,
            a blank line is) and inline Markdown or HTML markup.
        protected: ranges of `text` in which no boundary may fall (links, inline
            code, tags, template expressions).

    Returns:
        Non-overlapping spans, each trimmed of whitespace, with only whitespace
        between and around them; ``()`` when `text` is blank.
    """
    if not text or text.isspace():
        return ()
    guard = _Protection(protected)
    library = _library_cuts(text)
    candidates = {m.end(): m.start("run") for m in _CANDIDATE.finditer(text)}
    blank = {_settle_back(text, m.start()) for m in _BLANK_LINE.finditer(text)}
    spans: list[Span] = []
    start = _SPACE.match(text, 0).end()
    for end in sorted(library | candidates.keys() | blank):
        if end <= start:
            continue
        cut = _cut_at(text, end, candidates.get(end))
        if guard.blocks(cut):
            continue
        if end in blank or (end in library and _library_ok(text, cut, start)) or _added(text, cut, start):
            spans.append(Span(start, cut.end))
            start = cut.next
    end = len(text.rstrip())
    if end > start:
        spans.append(Span(start, end))
    return tuple(spans)


def _library_cuts(text: str) -> set[int]:
    """Boundaries proposed by sentencex, moved past closing markup; those not in whitespace are dropped."""
    try:
        pieces = sentencex.get_sentence_boundaries("en", text)
    except UnicodeEncodeError:  # lone surrogates; same length, so offsets hold
        pieces = sentencex.get_sentence_boundaries("en", _SURROGATE.sub("\ufffd", text))
    cuts = set()
    for piece in pieces[1:]:
        end = _settle_back(text, piece["start_index"])
        end = _TRAIL.match(text, end).end()
        if end < len(text) and text[end].isspace():
            cuts.add(end)
    return cuts


def _settle_back(text: str, pos: int) -> int:
    """Move `pos` back over whitespace."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _cut_at(text: str, end: int, run_start: int | None) -> _Cut:
    """Describe the boundary at `end` (a whitespace position)."""
    following = _SPACE.match(text, end).end()
    if run_start is None:
        return _Cut(end, following, "", end, "", False)
    run = text[run_start:_CANDIDATE.match(text, run_start).start() + 0 or run_start]
    run = _run_at(text, run_start)
    token_start = run_start
    lowest = max(0, run_start - _TOKEN_LOOKBACK)
    while token_start > lowest and not text[token_start - 1].isspace():
        token_start -= 1
    word = _LEADING_MARKUP.sub("", text[token_start:run_start])
    return _Cut(end, following, run, token_start, word, run_start + len(run) < end)


def _run_at(text: str, run_start: int) -> str:
    """The terminal punctuation run starting at `run_start`."""
    end = run_start
    while end < len(text) and text[end] in _TERMINALS:
        end += 1
    return text[run_start:end]
