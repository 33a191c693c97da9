"""Split a sentence too long for the model at clause boundaries instead of truncating it.

A sentence over the token budget is cut in two at its best boundary, and each
half again until every part fits. Boundaries, best first:

1. after ``;`` or ``:``;
2. after ``,`` when a conjunction or relative word follows (``, and``, ``, which``);
3. after any ``,``;
4. after a spaced dash (`` - ``, `` – ``, `` — ``);
5. any space (last resort).

Within the best kind, the boundary nearest the middle of the text wins, so
parts come out balanced. A boundary inside quotes or parentheses is used only
when the text has none outside them. Markup and links are never cut: a
Markdown link or image, an HTML element (``<a href="...">...</a>``) or tag,
Liquid and Hugo tags (``{{ ... }}``, ``{% ... %}``), inline code and URLs each
stay whole. A part that cannot be cut further (one long word, one link) is
returned as it is: no text is ever dropped.

Every cut is made at a space, so ``" ".join(parts)`` gives back the sentence
with its white space normalized by :func:`translate.article.normalize_space`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from translate.article import normalize_space

CLAUSE, CONJUNCTION, COMMA, DASH, SPACE = range(5)  # kinds of boundary, best first

CONJUNCTIONS = ("and", "but", "or", "while", "which", "who", "because", "although", "after", "before", "when", "where", "as")

_CLOSER = "[\"'”’»)\\]]?"  # a closing quote or bracket may follow the punctuation
_RULES = (
    (CLAUSE, re.compile(f"[;:]{_CLOSER} ")),
    (CONJUNCTION, re.compile(f",{_CLOSER} (?=(?:{'|'.join(CONJUNCTIONS)})\\b)", re.IGNORECASE)),
    (COMMA, re.compile(f",{_CLOSER} ")),
    (DASH, re.compile(" (?:-|--|–|—) ")),
)

_ATOMIC = re.compile(
    r"!?\[[^\[\]]*\]\([^()]*\)"  # Markdown link or image (with a title, perhaps)
    r"|\{\{[^{}]*\}\}|\{%[^{}]*%\}"  # Liquid output, Hugo shortcode, Liquid tag
    r"|`[^`]*`"  # inline code
    r"|(?P<tag></?(?P<name>[A-Za-z][\w:-]*)(?:\s[^<>]*)?>)"  # an HTML tag, paired below
    r"|(?:https?://|www\.)\S+"  # a URL
)
_VOID_ELEMENTS = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"))
_QUOTE_OR_SPACE = re.compile("[ \"“”«»()\\[\\]]")


def split_clauses(sentence: str, count_tokens: Callable[[str], int], max_tokens: int) -> tuple[str, ...]:
    """Split ``sentence`` into parts of at most ``max_tokens`` tokens each.

    Args:
        sentence: one sentence, as segmentation produced it.
        count_tokens: the model's token count of a text.
        max_tokens: the most tokens a part may have.

    Returns:
        ``(sentence,)`` unchanged when it fits. Otherwise the parts, in order,
        such that ``" ".join(parts) == normalize_space(sentence)``; a part that
        cannot be cut further may be longer than ``max_tokens``.

    Raises:
        ValueError: ``max_tokens`` is less than 1.
    """
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
    if count_tokens(sentence) <= max_tokens:
        return (sentence,)
    text = normalize_space(sentence)
    boundaries = _Boundaries(text)
    parts = []
    pending = [(0, len(text))]
    while pending:
        start, end = pending.pop()
        cut = None if count_tokens(text[start:end]) <= max_tokens else boundaries.best(start, end)
        if cut is None:
            parts.append(text[start:end])
        else:
            pending += [(cut + 1, end), (start, cut)]  # the left half is taken next
    return tuple(parts)


class _Boundaries:
    """The spaces of a text where it may be cut, by kind, in position order."""

    def __init__(self, text: str) -> None:
        atomic = _atomic_spans(text)
        kinds = {match.end() - 1: kind for kind, rule in reversed(_RULES) for match in rule.finditer(text)}
        # One sorted list of positions per (inside quotes?, kind), best first.
        self._lists: list[list[int]] = [[] for _ in range(2 * (SPACE + 1))]
        for position, quoted in _spaces(text, atomic):
            self._lists[quoted * (SPACE + 1) + kinds.get(position, SPACE)].append(position)

    def best(self, start: int, end: int) -> int | None:
        """The best boundary strictly inside ``text[start:end]``, or ``None`` if there is none."""
        middle = (start + end) / 2
        for positions in self._lists:
            low, high = bisect.bisect_right(positions, start), bisect.bisect_left(positions, end)
            if low < high:
                here = bisect.bisect_left(positions, middle, low, high)
                candidates = positions[max(here - 1, low) : min(here + 1, high)]
                return min(candidates, key=lambda position: abs(position - middle))
        return None


def _atomic_spans(text: str) -> list[tuple[int, int]]:
    """Ranges ``[start, end)`` of markup and links that must not be cut, merged and sorted."""
    spans = []
    open_tags: list[tuple[str, int]] = []
    for match in _ATOMIC.finditer(text):
        spans.append(match.span())
        if match.group("tag") is None:
            continue
        name, tag = match.group("name").lower(), match.group("tag")
        if not tag.startswith("</"):
            if name not in _VOID_ELEMENTS and not tag.endswith("/>"):
                open_tags.append((name, match.start()))
            continue
        for depth in range(len(open_tags) - 1, -1, -1):
            if open_tags[depth][0] == name:
                spans.append((open_tags[depth][1], match.end()))
                del open_tags[depth:]
                break
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spaces(text: str, atomic: list[tuple[int, int]]) -> Iterator[tuple[int, bool]]:
    """Each space outside ``atomic`` spans, with whether it lies inside quotes or brackets.

    Straight double quotes open and close in turn; curly quotes, guillemets
    and brackets nest. Single quotes are ignored: they are mostly apostrophes.
    """
    brackets = curly = guillemets = 0
    straight = False
    span = 0
    for match in _QUOTE_OR_SPACE.finditer(text):
        position, char = match.start(), match.group()
        while span < len(atomic) and atomic[span][1] <= position:
            span += 1
        if span < len(atomic) and atomic[span][0] <= position:
            continue
        if char == " ":
            yield position, straight or brackets > 0 or curly > 0 or guillemets > 0
        elif char == '"':
            straight = not straight
        elif char in "([":
            brackets += 1
        elif char in ")]":
            brackets = max(brackets - 1, 0)
        elif char == "“":
            curly += 1
        elif char == "”":
            curly = max(curly - 1, 0)
        elif char == "«":
            guillemets += 1
        else:
            guillemets = max(guillemets - 1, 0)
