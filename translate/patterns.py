"""Patterns of text in a sentence that is never translated, shared by masking and the checks.

:mod:`translate.mt.protect` hides these from the model and
:mod:`translate.checks.standard` verifies that translations keep them, so both
must agree on what a URL, a tag or a placeholder is.
"""

from __future__ import annotations

import re

#: URLs (``http(s)://``, ``www.``) without trailing sentence punctuation, and e-mail addresses.
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'«»“”]+[^\s<>()\[\]\"'«»“”.,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
#: Any HTML start, end or empty-element tag.
HTML_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
#: Liquid output and tags (``{{ x }}``, ``{% x %}``), Hugo shortcodes included.
TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
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
