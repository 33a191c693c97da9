"""Detect bad machine translations: cut generation, loops, implausible lengths, nothing.

Each check is a small function; :func:`assess` runs them all and returns the
:class:`~translate.mt.types.Issue` s found. The checks look at one output at a
time, cost time linear in its length and never import the MT libraries.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence

from translate.mt.decoding import DecodingConfig
from translate.mt.types import Issue

#: Sources shorter than this (visible characters) are not checked for length ratio:
#: for "Yes." or a name, any ratio is plausible.
MIN_RATIO_SOURCE_CHARS = 20

#: A token or word repeated this many times back to back is a loop...
SINGLE_REPEATS = 4
#: ...and so is a phrase of 2 to ``LONGEST_PHRASE`` tokens or words repeated this many times.
PHRASE_REPEATS = 3
LONGEST_PHRASE = 4

#: Text without token ids (Khmer has no spaces between words) is also searched for
#: a short block of characters (2 to 7: about a syllable or word) repeated
#: ``SINGLE_REPEATS`` times, or a longer one (8 to 40: a phrase) repeated
#: ``PHRASE_REPEATS`` times. The block must contain a letter, so that rows of
#: dots, dashes or zeros ("1,000,000,000,000") are not loops.
_SHORT_BLOCK_LOOP = re.compile(rf"(.{{2,7}})\1{{{SINGLE_REPEATS - 1},}}", re.DOTALL)
_LONG_BLOCK_LOOP = re.compile(rf"(.{{8,40}})\1{{{PHRASE_REPEATS - 1},}}", re.DOTALL)

#: Characters that take no room: word-break marks that a spacing policy may add or remove.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def visible_length(text: str) -> int:
    """Characters of ``text`` without zero-width marks and surrounding white space.

    Khmer references mark word breaks with ZERO WIDTH SPACE (7 % of their
    characters in FLORES-200) while model output usually has none, so these
    marks are not counted.
    """
    return len(_ZERO_WIDTH.sub("", text).strip())


def is_empty(output: str) -> bool:
    """Whether the output holds nothing but white space and zero-width marks."""
    return visible_length(output) == 0


def hit_length_cap(output_tokens: int, max_new_tokens: int) -> bool:
    """Whether generation stopped because it reached ``max_new_tokens``, not because it ended."""
    return output_tokens >= max_new_tokens


def length_ratio(source: str, output: str) -> float | None:
    """Visible characters of ``output`` per visible character of ``source``.

    Returns ``None`` for a source shorter than :data:`MIN_RATIO_SOURCE_CHARS`.
    """
    source_length = visible_length(source)
    if source_length < MIN_RATIO_SOURCE_CHARS:
        return None
    return visible_length(output) / source_length


def implausible_length(source: str, output: str, config: DecodingConfig) -> bool:
    """Whether the length ratio lies outside ``[config.min_length_ratio, config.max_length_ratio]``."""
    ratio = length_ratio(source, output)
    return ratio is not None and not config.min_length_ratio <= ratio <= config.max_length_ratio


def most_repeats(items: Sequence[Hashable], period: int) -> int:
    """The most times any run of ``period`` items is repeated back to back in ``items``.

    One pass: ``items[i] == items[i + period]`` holding for ``r`` positions in a
    row means a block of ``period`` items repeated ``r // period + 1`` times.
    Returns 1 when nothing repeats (and for sequences shorter than two blocks).
    """
    best = run = 0
    for here, there in zip(items, items[period:], strict=False):
        if here == there:
            run += 1
            best = max(best, run)
        else:
            run = 0
    return best // period + 1


def _sequence_loops(items: Sequence[Hashable]) -> bool:
    """Whether a token (or word) repeats ``SINGLE_REPEATS`` times or a short phrase ``PHRASE_REPEATS`` times."""
    if most_repeats(items, 1) >= SINGLE_REPEATS:
        return True
    return any(most_repeats(items, n) >= PHRASE_REPEATS for n in range(2, LONGEST_PHRASE + 1))


def _characters_loop(text: str) -> bool:
    """Whether a block of characters containing a letter repeats back to back (see the patterns above)."""
    for pattern in (_SHORT_BLOCK_LOOP, _LONG_BLOCK_LOOP):
        for match in pattern.finditer(text):
            if any(character.isalpha() for character in match.group(1)):
                return True
    return False


def has_repetition(output: str, token_ids: Sequence[int] | None = None) -> bool:
    """Whether the output loops on a token, word, phrase or block of characters.

    Args:
        output: the decoded translation.
        token_ids: the generated token ids without padding or special tokens
            (a row of padding would look like a loop). When given, only they
            are checked: they are the most precise signal. Otherwise the words
            of the text (split at spaces and zero-width marks) and, for scripts
            without spaces, its characters (zero-width marks left out) are.
    """
    if token_ids is not None:
        return _sequence_loops(token_ids)
    return _sequence_loops(_ZERO_WIDTH.sub(" ", output).split()) or _characters_loop(_ZERO_WIDTH.sub("", output))


def assess(
    source: str,
    output: str,
    *,
    input_tokens: int,
    output_tokens: int,
    output_token_ids: Sequence[int] | None = None,
    max_new_tokens: int | None = None,
    config: DecodingConfig,
) -> tuple[Issue, ...]:
    """Find what is wrong with one machine translation.

    Args:
        source: the sentence sent to the engine.
        output: its translation.
        input_tokens: source length in the model's tokens.
        output_tokens: tokens the decoder generated, counted as the engine
            counts them against ``max_new_tokens``.
        output_token_ids: the generated ids without padding or special tokens,
            if the engine has them (see :func:`has_repetition`).
        max_new_tokens: the cap the engine used; by default
            ``config.max_new_tokens(input_tokens)``.
        config: the decoding settings, for the length-ratio bounds.

    Returns:
        The issues found, in the order of :class:`Issue`, each at most once. An
        empty output is reported as ``EMPTY`` alone (it has no ratio or loop).
    """
    if max_new_tokens is None:
        max_new_tokens = config.max_new_tokens(input_tokens)
    found = set()
    if hit_length_cap(output_tokens, max_new_tokens):
        found.add(Issue.HIT_LENGTH_CAP)
    if is_empty(output):
        found.add(Issue.EMPTY)
    else:
        if has_repetition(output, output_token_ids):
            found.add(Issue.REPETITION)
        if implausible_length(source, output, config):
            found.add(Issue.LENGTH_RATIO)
    return tuple(issue for issue in Issue if issue in found)
