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
