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
#: A letter of any script.
LETTER = re.compile(r"[^\W\d_]")
#: Text that shows nothing (match it whole): white space, zero-width and bidi
#: format characters, byte-order marks, variation selectors, soft hyphens.
BLANK = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]*+"
)
