"""Patterns of text in a sentence that is never translated, shared by masking and the checks.

:mod:`translate.mt.protect` hides these from the model and
:mod:`translate.checks.standard` verifies that translations keep them, so both
must agree on what a URL, a tag or a placeholder is.

Every pattern runs in time linear in the length of the text, also on hostile
input (a megabyte without a space, thousands of unclosed ``{{``): a match
cannot start inside a run it would have to read again, and a failed attempt
stops at the next place where another attempt starts. The benchmark
``benchmarks/pattern_speed.py`` checks every pattern of the hot paths on
adversarial megabyte strings.
"""

from __future__ import annotations

import re

#: An e-mail address. Its local part starts where a run of the characters it
#: may hold starts, so a long run of letters with no ``@`` is read once, not
#: once from each of its letters.
EMAIL = r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+"
#: URLs (``http(s)://``, ``www.``) without trailing sentence punctuation, and e-mail addresses.
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'«»“”]+[^\s<>()\[\]\"'«»“”.,;:!?]|" + EMAIL, re.IGNORECASE)
#: Any HTML start, end or empty-element tag.
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*+(?:\s[^<>]*+)?/?>")
#: Liquid output and tags (``{{ x }}``, ``{% x %}``), Hugo shortcodes included, up to the
#: first closing delimiter. A tag holds no opening delimiter of its own kind:
#: in ``{{ a {{ b }}`` the tag is ``{{ b }}``, and a text full of unclosed ``{{``
#: is read once.
TEMPLATE_TAG = re.compile(r"\{\{(?:[^{}]|\{(?!\{)|\}(?!\}))*+\}\}|\{%(?:[^{%]|\{(?!%)|%(?!\}))*+%\}")
#: printf and format placeholders: ``%s``, ``%(name)d``, ``{0}``, ``{}``, ``{name}``.
PLACEHOLDER = re.compile(r"%(?:\([\w.]+\))?[sdifr]|\{\d*\}|\{[A-Za-z_]\w*\}")
#: Every printf conversion and brace field the ``placeholders`` check compares, a
#: superset of :data:`PLACEHOLDER` (which masking hides): positions (``%1$s``),
#: flags, width and precision (``%-5.2f``, ``%*d``), length modifiers (``%lu``),
#: ``%(name)s``; ``{0}``, ``{}``, ``{name}``, ``{user.name}``, ``{items[0]}``,
#: ``{0!r}``, ``{0:>8.2f}``. No space flag, so "50% of" is prose; ``%%`` is a
#: literal percent sign; a kramdown list ``{:.lead}`` is not a format spec. The
#: parts cannot overlap (a width never starts with 0, a flag) and repeat
#: possessively, so matching stays linear.
FORMAT_PLACEHOLDER = re.compile(
    r"%(?:[1-9]\d*+\$)?(?:\([\w.]++\))?[-+#0]*+(?:[1-9]\d*+|\*)?(?:\.(?:\d++|\*))?(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcsr]"
    r"|\{(?:\d++|[A-Za-z_]\w*+)?(?:\.[A-Za-z_]\w*+|\[\w++\])*+(?:![rsa])?"
    r"(?::(?:[^{}]?[<>=^])?[-+ ]?z?#?0?+\d*+[,_]?(?:\.\d++)?[bcdeEfFgGnosxX%]?)?\}"
)
#: A letter of any script.
LETTER = re.compile(r"[^\W\d_]")
#: Text that shows nothing (match it whole): white space, zero-width and bidi
#: format characters, byte-order marks, variation selectors, soft hyphens.
BLANK = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]*+"
)


class Finder:
    """The next match of a pattern at or after a position, with the last answer remembered.

    Queries made in increasing order of position cost one pass over the text
    in total, whether the pattern is found or not: this is how a closing
    delimiter is looked for from every opening one without reading the rest
    of the text again each time.
    """

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self._text = text
        self._pattern = pattern
        self._searched_from = len(text) + 1
        self._match: re.Match[str] | None = None

    def next(self, position: int) -> re.Match[str] | None:
        """The first match starting at or after ``position``."""
        if self._searched_from <= position:
            if self._match is None:
                return None
            if self._match.start() >= position:
                return self._match
        self._searched_from = position
        self._match = self._pattern.search(self._text, position)
        return self._match
