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
import html
import logging
import re
from collections.abc import Sequence
from typing import NamedTuple

import sentencex  # type: ignore[import-untyped]

from translate.article import Span

_log = logging.getLogger(__name__)

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
_CONTINUING = frozenset(",;:" + _TERMINALS + "”’»)]}")  # never open a sentence
_BLANK_LINE = re.compile(r"\n[^\S\n]*+\n")
_LETTERS = re.compile(r"[^\W\d_]++")
_CAMEL = re.compile(r"(?<![a-z])[a-z]++[A-Z]")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_LIST_NUMBER = re.compile(r"\d{1,3}|[A-Za-z]")
# What sentencex sees instead of the text, character for character: quotes and
# brackets (which it pairs up and never splits between, so a quoted paragraph of
# several sentences would stay in one piece; and it looks for the closer of
# every unclosed opener to the end of the text, so a long run of them costs the
# square of its length) and whitespace other than " " and "\n" (sentencex 1.0
# panics on "A\u00a0.") become spaces; lone surrogates, which cannot cross
# into Rust, become U+FFFD.
_MASKED = re.compile(
    "[\"“”«»„‚‛‹›《》「」『』〈〉＂（）｢｣()\\[\\]{}\t\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
# Single quotes, curly or straight, and backticks, except an apostrophe between
# letters ("country’s", "don't"): sentencex would pair a decade's apostrophe
# ("the '90s") with a plural possessive ("clients' ") as quotes and never split
# between them. Also the openers of HTML comments and processing instructions,
# whose end sentencex looks for from each of them.
_SINGLE_QUOTE = re.compile(r"[‘’'`](?:(?<![^\W\d_][‘’'`])|(?![^\W\d_]))")
_HTML_OPENER = re.compile(r"<!--|<\?")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,500}>")
_SURROGATE = re.compile("[\ud800-\udfff]")

_TOKEN_LOOKBACK = 40

#: Titles before a name; they never end a sentence (only when capitalised: "ft." is feet).
_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "messrs", "mmes", "dr", "prof", "gen", "lt", "col", "maj", "capt",
        "cmdr", "adm", "brig", "sgt", "cpl", "pvt", "gov", "rep", "rev", "hon", "pres", "supt",
        "insp", "det", "amb", "atty", "fr", "mt", "ft",
    }
)
#: Latin abbreviations inside a sentence.
_LATIN = frozenset({"e.g", "i.e", "vs", "v", "cf", "viz"})
#: Abbreviations that announce a number: "No. 5", "pp. 12-14", "approx. 3".
_NUMBERED = frozenset(
    {
        "no", "nos", "nr", "art", "vol", "vols", "p", "pp", "fig", "figs", "ch", "chap", "sec",
        "para", "approx", "ca", "tel", "ext",
    }
)
_MONTHS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"})
#: Abbreviations that may end a sentence but often do not ("the U.S. Embassy", "Apple Inc. Chief").
_AMBIGUOUS = frozenset(
    {
        "inc", "ltd", "co", "corp", "llc", "plc", "bros", "jr", "sr", "st", "sen", "dept",
        "univ", "assn", "est", "ave", "blvd", "rd", "ph.d", "mon", "tue", "tues", "wed", "thu",
        "thur", "thurs", "fri", "sat", "sun",
    }
) | _MONTHS
_TIMES = frozenset({"a.m", "p.m"})
#: Abbreviations that mostly end their sentence when a capitalised word follows.
_USUALLY_FINAL = frozenset({"etc"})
#: Words after "a.m."/"p.m." that continue the sentence: "10 a.m. Monday", "5 p.m. ET".
_TIME_FOLLOWERS = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt",
        "pt", "pst", "pdt", "gmt", "utc", "ict", "bst", "cet", "cest", "jst", "hkt", "aest",
    }
) | _MONTHS
#: Words that open a new sentence after an ambiguous abbreviation ("... the U.S. He said").
_STARTERS = frozenset(
    {
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "its",
        "their", "our", "my", "your", "this", "that", "these", "those", "there", "here", "but",
        "and", "or", "so", "yet", "however", "meanwhile", "also", "still", "in", "on", "at",
        "for", "after", "before", "when", "while", "although", "though", "if", "as", "since",
        "because", "some", "many", "most", "all", "both", "each", "every", "no", "not", "now",
        "then", "today", "yesterday", "earlier", "later", "according", "what", "why", "how",
        "who", "where", "which", "one", "two", "three",
    }
)


class _Cut(NamedTuple):
    """What precedes a possible boundary at ``end`` (a whitespace position)."""

    end: int
    run: str  # terminal punctuation before the closing trail; "" when none
    token_start: int  # where the word before the terminal run starts
    word: str  # that word, without leading markup and the terminal run
    closed: bool  # closing quotes, brackets or markup follow the word or the run


class _Next(NamedTuple):
    """What follows a possible boundary."""

    first: str  # first character after opening markup ("" at the end of the text)
    word: str  # the letters starting there
    initial: bool  # that word is a single letter followed by "."
    quote: bool  # the opening markup contains a double quote


#: What a reader does not see as words: tags and comments, template tags,
#: Markdown link destinations and bare URLs.
_NOT_WORDS = re.compile(
    r"<!--.*?-->|</?[A-Za-z][^<>]*>|\{\{.*?\}\}|\{%.*?%\}|\]\([^()\s]*\)|(?<![\w.])(?:[A-Za-z][\w+.-]*://|www\.)\S+",
    re.DOTALL,
)


def has_words(text: str) -> bool:
    """Whether ``text`` holds a letter of any script outside markup, URLs and template tags.

    Character references count as what they stand for (``&eacute;`` is a
    letter, ``&nbsp;`` is not); digits alone (a score, a page number) are no words.
    """
    return any(character.isalpha() for character in html.unescape(_NOT_WORDS.sub(" ", text)))


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
    blocks = _Protection(protected).blocks if protected else None
    runs = {m.end(): m.span("run") for m in _CANDIDATE.finditer(text)}
    proposed = _library_cuts(text)
    blank = {_settle_back(text, m.start()) for m in _BLANK_LINE.finditer(text)}
    spans: list[Span] = []
    start = _skip(_SPACE, text, 0)
    for end in sorted((proposed or set()) | runs.keys() | blank):
        if end <= start:
            continue
        following = _skip(_SPACE, text, end)
        if following == len(text) or (blocks and blocks(end, following)):
            continue
        says = None if proposed is None else end in proposed
        if end in blank or _ends_sentence(text, end, following, runs.get(end), says, start):
            spans.append(Span(start, end))
            start = following
    end = _settle_back(text, len(text))
    if end > start:
        spans.append(Span(start, end))
    return tuple(spans)


def _library_cuts(text: str) -> set[int] | None:
    """Boundaries proposed by sentencex, moved past closing markup; those not in whitespace are dropped.

    Returns ``None`` when sentencex fails on the text (it is a Rust extension: a
    bug in it raises a panic); the rules then decide alone.
    """
    masked = _mask(text)
    try:
        pieces = sentencex.segment("en", masked)
    except BaseException as error:  # a Rust panic is a BaseException
        if type(error).__name__ != "PanicException":
            raise
        _log.warning("sentencex failed on a text of %d characters (%s); using the rules alone", len(text), error)
        return None
    cuts = set()
    position = 0
    for piece in pieces:  # the pieces in order, without some of the whitespace between them
        sentence = piece.strip()  # also masked quotes and brackets
        if not sentence:
            continue
        start = masked.find(sentence, position)
        if start < 0:
            _log.warning("sentencex changed a text of %d characters; using the rules alone", len(text))
            return None
        position = start + len(sentence)
        end = _skip(_TRAIL, text, position)
        if end < len(text) and text[end].isspace():
            cuts.add(end)
    return cuts


def _mask(text: str) -> str:
    """What sentencex sees instead of `text`: the same length, so offsets hold."""
    masked = _MASKED.sub(" ", text)
    if "<" in masked:  # tags are not words: <a href="/x">J. K. Rowling</a>
        masked = _TAG.sub(lambda m: " " * len(m.group()), masked)
        masked = _HTML_OPENER.sub(lambda match: " " * len(match.group()), masked)
    masked = _SINGLE_QUOTE.sub(" ", masked)
    return _SURROGATE.sub("\ufffd", masked) if _SURROGATE.search(masked) else masked


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a match of `pattern` (one that may be empty) starting at `pos` ends."""
    match = pattern.match(text, pos)
    return match.end() if match else pos


def _settle_back(text: str, pos: int) -> int:
    """Move `pos` back over whitespace."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos


def _ends_sentence(
    text: str, end: int, following: int, run: tuple[int, int] | None, proposed: bool | None, sentence_start: int
) -> bool:
    """Whether a sentence ends at `end`, the next one starting at `following`.

    A boundary that sentencex proposed stands unless a veto applies; one that it
    missed is added only by a rule of :func:`_added`. `proposed` is ``None`` when
    sentencex failed: then a period after a word that is no abbreviation ends a
    sentence too.
    """
    first = text[following]
    if first in _CONTINUING or (first.islower() and not _CAMEL.match(text, following)):
        return False  # the common case, decided before anything is built
    cut = _cut_at(text, end, run)
    after = _next_at(text, following)
    if _vetoed(cut, after, sentence_start):
        return False
    if proposed is None:
        return _added(cut, after) or (cut.run == "." and not _abbreviation(cut.word))
    return proposed or _added(cut, after)


def _cut_at(text: str, end: int, run: tuple[int, int] | None) -> _Cut:
    """Describe what precedes `end`; `run` is the span of its terminal punctuation, if any."""
    if run is None:
        return _Cut(end, "", end, "", False)
    run_start, run_end = run
    word = ""
    if run_start and not text[run_start - 1].isspace():
        word = text[max(0, run_start - _TOKEN_LOOKBACK) : run_start].rsplit(None, 1)[-1]
    token_start = run_start - len(word)
    if ">" in word:  # the word starts inside an element: <a href="/x">Mr. Smith</a>
        word = word.rsplit(">", 1)[1]
    if word[:1] in _OPENING_CHARS or word[:1] == "<":
        word = _LEADING_MARKUP.sub("", word)
    closed = run_end < end or word[-1:] in _CLOSING_CHARS  # "(See page 3.)", 'read "e".'
    return _Cut(end, text[run_start:run_end], token_start, word, closed)


def _next_at(text: str, pos: int) -> _Next:
    """Describe the text that starts at `pos`, past any opening quotes, brackets or tags."""
    at = _skip(_OPENING, text, pos)
    if at >= len(text):
        return _Next("", "", False, False)
    letters = _LETTERS.match(text, at)
    word = letters.group() if letters else ""
    initial = len(word) == 1 and text.startswith(".", at + 1)
    marks = text[pos:at]
    return _Next(text[at], word, initial, '"' in marks or "“" in marks)


class _Protection:
    """Answers whether a boundary falls inside one of the protected ranges."""

    def __init__(self, protected: Sequence[Span]) -> None:
        ordered = sorted((span.start, span.end) for span in protected if span.end > span.start)
        self._starts = [start for start, _ in ordered]
        self._reach: list[int] = []  # the furthest end of the spans up to each index
        furthest = -1
        for _, end in ordered:
            furthest = max(furthest, end)
            self._reach.append(furthest)

    def blocks(self, end: int, following: int) -> bool:
        """Whether a protected range overlaps the gap from `end` to `following`."""
        before = bisect.bisect_left(self._starts, following)
        return before > 0 and self._reach[before - 1] > end


def _vetoed(cut: _Cut, after: _Next, sentence_start: int) -> bool:
    """Whether no sentence may end at `cut`, whoever proposed it."""
    first = after.first
    if not first:
        return False
    if first in _CONTINUING or (first.islower() and not _CAMEL.match(after.word)):
        return True
    if cut.run != ".":
        return False
    word = cut.word.lower()
    if word in _LATIN or (word in _TITLES and cut.word[:1].isupper()):
        return True
    if first.isdigit() and (word in _NUMBERED or _ambiguous(cut.word)):
        return True
    if word in _TIMES and after.word.lower() in _TIME_FOLLOWERS:
        return True
    return cut.token_start == sentence_start and bool(_LIST_NUMBER.fullmatch(cut.word))


def _added(cut: _Cut, after: _Next) -> bool:
    """Whether a boundary that sentencex missed is added (the vetoes already passed)."""
    if not cut.run:
        return False
    if cut.run != ".":
        return True  # "?", "!", an ellipsis
    word = cut.word.lower()
    if word in _TIMES or word in _USUALLY_FINAL:
        return after.first.isupper()
    if _ambiguous(cut.word):
        return after.quote or (after.word.lower() in _STARTERS and not after.initial)
    return cut.closed and not _abbreviation(cut.word)


def _ambiguous(word: str) -> bool:
    """Whether `word` + "." is an abbreviation that may or may not end a sentence."""
    return (
        word.lower() in _AMBIGUOUS
        or bool(_INITIALISM.fullmatch(word))
        or (len(word) == 1 and word.isupper())
    )


def _abbreviation(word: str) -> bool:
    """Whether `word` + "." is a title, a Latin or an ambiguous abbreviation, or an initial.

    Abbreviations of :data:`_NUMBERED` are left out: before a number a veto keeps
    them, anywhere else they are ordinary words ("The answer was no.").
    """
    lower = word.lower()
    return lower in _TITLES or lower in _LATIN or _ambiguous(word)
