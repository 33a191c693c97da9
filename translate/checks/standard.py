"""The standard checks: numbers, URLs, markup, untranslated text, loops, length, punctuation.

Each function takes ``(source, target, lang)`` and returns a short message when
the translation fails the check, else ``None``; :func:`~translate.checks.register`
gives it a name and a severity. Errors are what a reader would notice as wrong
(a changed number, a dropped link); warnings need a look (a missing ``។``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from translate.checks import Severity, register
from translate.mt.decoding import DecodingConfig
from translate.mt.quality import has_repetition, is_empty, length_ratio
from translate.patterns import FORMAT_PLACEHOLDER, HTML_TAG, LETTER, TEMPLATE_TAG, URL

ERROR = Severity.ERROR
WARNING = Severity.WARNING

#: Languages whose script is not Latin: Latin words left in them are untranslated.
NON_LATIN = frozenset({"km", "th", "lo", "my", "zh", "ja", "ko", "ru", "uk", "bg", "el", "ar", "fa", "he", "hi", "bn", "ta", "am"})

#: Lower-case Latin words, not in the English, that make a non-Latin translation "untranslated"...
UNTRANSLATED_WORDS = 3
#: ...or the share of its letters they make up.
UNTRANSLATED_SHARE = 0.3

_KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩", "0123456789")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CODE_SPAN = re.compile(r"`[^`\n]+`")
# The target holds no "](" of its own, so a text full of "](" is read once.
_LINK_TARGET = re.compile(r"\]\((?:[^)\s\]]|\](?!\())*+(?:\s++\"[^\"]*+\")?\)")
_EMPHASIS = re.compile(r"\*\*|__|(?<![*\w])\*(?!\*)|(?<!\*)\*(?![*\w])")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ][A-Za-zÀ-ÖØ-öø-ɏ'’-]*")
_CONTROL_OK = frozenset("\n\t")
_BIDI = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_CONFLICT = "#-#-#-#-#"
_CLOSERS = "\"'”’»)]*_`>"
#: Khmer sentence ends: KHAN and BARIYOOSAN, and the kept ? and !.
_KHMER_ENDS = re.compile(r"[។៕?!]+")


def base_language(lang: str) -> str:
    """``km`` for ``km``, ``km_KH`` or ``km-KH``."""
    return re.split(r"[-_]", lang, maxsplit=1)[0].lower()


def _canonical_number(number: str) -> str:
    """A number with its thousands separators removed and its decimal mark as ``.``.

    ``1,000`` and ``1.000`` are 1000; ``3.5`` and ``3,5`` are 3.5: a last group
    of other than three digits after a separator is a decimal part.
    """
    groups = re.split(r"[.,]", number)
    if len(groups) > 1 and len(groups[-1]) != 3:
        return "".join(groups[:-1]) + "." + groups[-1]
    return "".join(groups)


def numbers_in(text: str) -> Counter[str]:
    """The numbers of a text (Khmer digits read as ASCII), canonical, counted.

    URLs and markup are left out: their digits are checked by their own checks.
    """
    text = strip_code(text).translate(_KHMER_DIGITS)
    return Counter(_canonical_number(found) for found in _NUMBER.findall(text))


def urls_in(text: str) -> Counter[str]:
    """URLs and e-mail addresses, without trailing sentence punctuation."""
    return Counter(URL.findall(text))


def markup_in(text: str) -> Counter[str]:
    """Inline markup: Liquid/Hugo tags, HTML tags, code spans, link targets, emphasis.

    Format placeholders (``%s``, ``{0}``) have their own check, ``placeholders``.
    """
    return Counter(dict(_markup_in(text)))


@functools.lru_cache(maxsize=1024)  # every check of an entry looks at the same two texts
def _markup_in(text: str) -> tuple[tuple[str, int], ...]:
    found: Counter[str] = Counter()
    for pattern in (TEMPLATE_TAG, HTML_TAG, _CODE_SPAN, _LINK_TARGET):
        found.update(pattern.findall(text))
        text = pattern.sub(" ", text)
    found.update(_EMPHASIS.findall(text))
    return tuple(found.items())


@functools.lru_cache(maxsize=1024)  # every check of an entry looks at the same two texts
def strip_code(text: str) -> str:
    """Text without URLs, e-mails, markup and placeholders (whose contents are never translated)."""
    for pattern in (TEMPLATE_TAG, HTML_TAG, _CODE_SPAN, _LINK_TARGET, URL, FORMAT_PLACEHOLDER):
        text = pattern.sub(" ", text)
    return text


def _difference(source: Counter[str], target: Counter[str]) -> str | None:
    missing = source - target
    extra = target - source
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append("missing " + ", ".join(sorted(missing.elements())))
    if extra:
        parts.append("extra " + ", ".join(sorted(extra.elements())))
    return "; ".join(parts)


@register("empty", ERROR)
def empty(source: str, target: str, lang: str) -> str | None:
    """The translation holds nothing but white space."""
    return "translation is empty" if is_empty(target) and not is_empty(source) else None


@register("same-as-source", ERROR, aliases=("same", "unchanged"))
def same_as_source(source: str, target: str, lang: str) -> str | None:
    """The translation is the English text itself (a sentence, not a name or number)."""
    if target.strip() != source.strip() or len(_LATIN_WORD.findall(strip_code(source))) < 3:
        return None
    return "translation is the same as the English"


@register("numbers", ERROR)
def numbers(source: str, target: str, lang: str) -> str | None:
    """Numbers differ (Khmer digits equal ASCII ones; thousands separators and a decimal comma are tolerated)."""
    difference = _difference(numbers_in(source), numbers_in(target))
    return None if difference is None else f"numbers differ: {difference}"


@register("urls", ERROR, aliases=("url",))
def urls(source: str, target: str, lang: str) -> str | None:
    """A URL or e-mail address of the English is not in the translation verbatim."""
    missing = urls_in(source) - urls_in(target)
    return None if not missing else "URL or e-mail missing or changed: " + ", ".join(sorted(missing.elements()))


@register("markup", ERROR, aliases=("md-link", "xml-tags", "xmltags"))
def markup(source: str, target: str, lang: str) -> str | None:
    """Inline markup differs (links, emphasis, code, HTML, Liquid, Hugo)."""
    difference = _difference(markup_in(source), markup_in(target))
    return None if difference is None else f"markup differs: {difference}"


@register("untranslated", ERROR)
def untranslated(source: str, target: str, lang: str) -> str | None:
    """English words left in a translation into a non-Latin script.

    Names, acronyms, units and terms are allowed: capitalised words
    (``Reuters``, ``COVID-19``), words under three letters (``km``, ``x``) and a
    few lower-case words the English has too (a term glossed in brackets).
    Failing: :data:`UNTRANSLATED_WORDS` lower-case words that are not in the
    English (``inkject``), or lower-case Latin words making up
    :data:`UNTRANSLATED_SHARE` of the letters (a copied clause). On the 997
    FLORES-200 Khmer references (human translations) this flags none.
    """
    if base_language(lang) not in NON_LATIN:
        return None
    source_words = {word.lower() for word in _LATIN_WORD.findall(strip_code(source))}
    target_text = strip_code(target)
    left = [word for word in _LATIN_WORD.findall(target_text) if word == word.lower() and len(word) >= 3]
    unknown = [word for word in left if word not in source_words]
    share = sum(len(word) for word in left) / max(len(LETTER.findall(target_text)), 1)
    if len(unknown) < UNTRANSLATED_WORDS and share < UNTRANSLATED_SHARE:
        return None
    return "English left untranslated: " + " ".join(left[:6]) + (" …" if len(left) > 6 else "")


@register("loop", ERROR)
def loop(source: str, target: str, lang: str) -> str | None:
    """The translation repeats a word, phrase or block of characters (a machine loop)."""
    return "translation repeats itself" if has_repetition(target) and not has_repetition(source) else None


@register("length-ratio", WARNING, aliases=("long", "short"))
def length_ratio_check(source: str, target: str, lang: str) -> str | None:
    """Translation implausibly short or long for its source.

    The bounds are those of :class:`~translate.mt.decoding.DecodingConfig`
    (0.3-3.0 visible characters per English character), well outside the
    0.49-2.04 that all 997 FLORES-200 English-Khmer pairs lie in.
    """
    config = DecodingConfig()
    ratio = length_ratio(source, target)
    if ratio is None or config.min_length_ratio <= ratio <= config.max_length_ratio:
        return None
    return f"translation is {ratio:.2f}x the length of the English (expected {config.min_length_ratio}-{config.max_length_ratio})"


def english_sentences(text: str) -> int:
    """How many sentences the English text has (by the project's segmenter)."""
    from translate.segment import split_sentences

    return len(split_sentences(strip_code(text)))


def khmer_sentences(text: str) -> int:
    """How many sentences a Khmer text has: runs of ``។ ៕ ? !`` counted, plus a last one without."""
    text = strip_code(text).strip().rstrip(_CLOSERS + " ")
    ends = _KHMER_ENDS.findall(text)
    return len(ends) + (0 if _KHMER_ENDS.search(text[-1:] if text else "") else 1) if text else 0


@register("dropped-sentence", WARNING)
def dropped_sentence(source: str, target: str, lang: str) -> str | None:
    """A Khmer translation with fewer sentences than the English (NLLB drops second sentences)."""
    if base_language(lang) != "km":
        return None
    expected = english_sentences(source)
    if expected < 2:
        return None
    found = khmer_sentences(target)
    return None if found >= expected else f"{expected} sentences in the English, {found} in the translation"


def _last_mark(text: str) -> str:
    return strip_code(text).rstrip().rstrip(_CLOSERS + " \u200b")[-1:]


@register("end-punctuation", WARNING, aliases=("end-stop", "end-colon", "end-question", "end-exclamation", "end-ellipsis", "endpunc"))
def end_punctuation(source: str, target: str, lang: str) -> str | None:
    """The sentence end differs: English ``.`` wants Khmer ``។``; ``?`` and ``!`` are kept."""
    source_end, target_end = _last_mark(source), _last_mark(target)
    if not source_end or not target_end:
        return None
    if base_language(lang) == "km":
        if source_end == "." and not strip_code(source).rstrip().endswith(("...", "…")):
            return None if target_end in "។៕" else "English ends with '.', the translation should end with '។'"
        if source_end in "?!" and target_end != source_end:
            return f"English ends with '{source_end}', the translation should too"
        if source_end == ":" and target_end not in "៖:":
            return "English ends with ':', the translation should end with '៖'"
        return None
    if source_end in ".?!:" and target_end != source_end:
        return f"English ends with '{source_end}', the translation ends with '{target_end}'"
    return None


@register("control", ERROR)
def control(source: str, target: str, lang: str) -> str | None:
    """Bidirectional controls (U+202A-U+202E, U+2066-U+2069) or other control characters."""
    bad = sorted({c for c in target if c in _BIDI or (unicodedata.category(c) == "Cc" and c not in _CONTROL_OK)} - set(source))
    return None if not bad else "control characters: " + ", ".join(f"U+{ord(c):04X}" for c in bad)


@register("conflict", ERROR)
def conflict(source: str, target: str, lang: str) -> str | None:
    """msgcat's ``#-#-#-#-#`` conflict markers: two catalogs were merged without resolving."""
    return "msgcat conflict markers (#-#-#-#-#): choose one translation" if _CONFLICT in target and _CONFLICT not in source else None


@register("khmer-order", WARNING)
def khmer_order(source: str, target: str, lang: str) -> str | None:
    """Khmer characters not in encoding order (they render alike but do not search or compare alike).

    Reported only: translator text is never rewritten. Machine output is
    put in order when it is written (:func:`translate.khmer.postprocess`).
    """
    if base_language(lang) != "km":
        return None
    from translate.khmer import normalize_order

    normalized = normalize_order(target)
    if normalized == target:
        return None
    words = [word for word, fixed in zip(target.split(), normalized.split(), strict=False) if word != fixed]
    return "characters out of Khmer encoding order in: " + " ".join(words[:3]).replace(ZWSP, "")


ZWSP = "\u200b"
