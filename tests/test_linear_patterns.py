"""Patterns and scanners on the hot paths: the same matches as before, in linear time.

The scanners of :mod:`translate.mt.scan` replace lazy regular expressions; on
thousands of random strings they must find exactly what those expressions
find. The rewritten patterns must find what the old ones found wherever the
old ones were not ambiguous. Then every pattern and the functions that use
them run on hostile strings of 200,000 characters in a process with a time
limit: a group of linear runs takes seconds there (tens on a busy machine), a
single quadratic one tens of minutes. The figures are in
``benchmarks/pattern_speed.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from translate.bylines import _TIME_ELEMENT
from translate.checks.standard import _LINK_TARGET
from translate.mt.scan import EMPHASIS, STRONG, opaque, pairs
from translate.patterns import TEMPLATE_TAG, URL

# The expressions the scanners and rewritten patterns replace: the specification they are checked against.
OLD_OPAQUE = re.compile(
    r"(?P<shortcode>\{\{[<%].*?[%>]\}\})"
    r"|(?P<liquid>\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}|\{\{.*?\}\}|\{%.*?%\})"
    r"|(?P<ial>\{:[^{}\n]*\})"
    r"|(?P<code>(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)|<(?P<codetag>code|kbd|samp|var)(?:\s[^<>]*)?>.*?</(?P=codetag)\s*>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<image>!\[[^\[\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\))"
    r"|(?P<autolink><(?:https?://|mailto:)[^<>\s]+>)",
    re.DOTALL | re.IGNORECASE,
)
OLD_STRONG = re.compile(r"(?P<open>\*\*|(?<![\w_])__|~~)(?=\S)(?P<inner>.+?)(?<=\S)(?P<close>(?P=open))(?![\w_])")
OLD_EMPHASIS = re.compile(r"(?P<open>(?<![\w*])\*|(?<![\w_])_)(?=[^\s*_])(?P<inner>.+?)(?<=[^\s*_])(?P<close>(?P=open))(?![\w*_])")
OLD_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'«»“”]+[^\s<>()\[\]\"'«»“”.,;:!?]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
OLD_TEMPLATE_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
OLD_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
OLD_TIME_ELEMENT = re.compile(r"<time\b[^<>]*?\bdatetime\s*=\s*(['\"]?)([^'\"<>\s]+)\1[^<>]*>\s*([^<>]*?)\s*</time\s*>", re.IGNORECASE)

OPAQUE_PIECES = [
    "{{", "}}", "{%", "%}", "{{<", ">}}", "{{%", "%}}", "`", "``", "```", "<code>", "</code>", "<KBD x=1>", "</kbd >",
    "<!--", "-->", "![a](b.png)", '![a](b "t")', "![", "](", "<https://x.org>", "<mailto:a@b>", "<", ">", "!",
    "a", "b c", " ", "\n", "*", "_", "x", "{% comment %}", "{%- endcomment -%}", "{%comment%}", "{% endcomment", "{:", "{: .lead}", "}", ":",
]  # fmt: skip
PAIR_PIECES = ["**", "__", "~~", "*", "_", "a", "b", "word", " ", "\n", "\t", ".", "ab_c", "*a*", "**b**", "x_"]
URL_PIECES = ["http://", "https://", "www.", "a", "b.c", "@", ".", "-", "+", "_", " ", "(", ")", "«", "!", "?", ",", "x@y.z", "é", "1"]


def random_texts(pieces: list[str], count: int = 3000, seed: int = 7) -> list[str]:
    generator = random.Random(seed)
    return ["".join(generator.choice(pieces) for _ in range(generator.randint(0, 30))) for _ in range(count)]


def old_kind(match: re.Match[str]) -> str:
    kind = match.lastgroup or "code"
    return "code" if kind in ("ticks", "codetag") else kind


def test_opaque_scanner_finds_what_the_lazy_expression_finds() -> None:
    for text in random_texts(OPAQUE_PIECES):
        expected = [(m.start(), m.end(), old_kind(m)) for m in OLD_OPAQUE.finditer(text)]
        assert [(f.start, f.end, f.kind) for f in opaque(text)] == expected, text


@pytest.mark.parametrize(("syntax", "old"), [(STRONG, OLD_STRONG), (EMPHASIS, OLD_EMPHASIS)], ids=["strong", "emphasis"])
def test_pair_scanner_finds_what_the_lazy_expression_finds(syntax, old: re.Pattern[str]) -> None:
    for text in random_texts(PAIR_PIECES):
        expected = [(m.start(), m.end("open"), m.start("close"), m.end()) for m in old.finditer(text)]
        assert [(p.start, p.inner_start, p.inner_end, p.end) for p in pairs(text, syntax)] == expected, text


def test_url_finds_what_it_found() -> None:
    glued = 0
    for text in random_texts(URL_PIECES, count=5000):
        old = [m.span() for m in OLD_URL.finditer(text)]
        # The one difference: an address glued to the end of another match ("a@b.c+d@e.f")
        # started inside a run of address characters, which a match no longer does.
        if any(start == end and re.match(r"[\w.+-]", text[start - 1]) for (_, end), (start, _) in zip(old, old[1:])):
            glued += 1
            continue
        assert [m.span() for m in URL.finditer(text)] == old, text
    assert glued < 100
    assert URL.findall("a@b.c+d@e.f and x@y.z") == ["a@b.c", "x@y.z"]


@pytest.mark.parametrize(
    ("new", "old", "opener"),
    [(TEMPLATE_TAG, OLD_TEMPLATE_TAG, ("{{", "{%")), (_LINK_TARGET, OLD_LINK_TARGET, ("](",))],
    ids=["template-tag", "link-target"],
)
def test_delimited_patterns_find_what_they_found_unless_nested(new: re.Pattern[str], old: re.Pattern[str], opener: tuple[str, ...]) -> None:
    pieces = ["{{", "}}", "{%", "%}", "{", "}", "%", "](", ")", "]", "(", " ", '"', "a", "\n"]
    compared = 0
    for text in random_texts(pieces, count=5000):
        found = old.findall(text)
        if any(any(o in match[1:] for o in opener) for match in found):
            continue  # an opener inside a match: the one case they differ (below)
        assert new.findall(text) == found, text
        compared += 1
    assert compared > 3000


def test_a_tag_holds_no_opener_of_its_own_kind() -> None:
    assert TEMPLATE_TAG.findall("{{ a {{ b }} and {% x {% y %}") == ["{{ b }}", "{% y %}"]
    assert OLD_TEMPLATE_TAG.findall("{{ a {{ b }} and {% x {% y %}") == ["{{ a {{ b }}", "{% x {% y %}"]
    assert _LINK_TARGET.findall("[a](b](c)") == ["](c)"]


def test_time_element_finds_what_it_found() -> None:
    pieces = ["<time", " datetime=", '"2026-01-05"', "2026-01-05", " class=x", ">", "</time>", "</time >", " ", "Jan 5", "\n", "<", "'"]
    for text in random_texts(pieces, count=5000):
        assert [m.groups() for m in _TIME_ELEMENT.finditer(text)] == [m.groups() for m in OLD_TIME_ELEMENT.finditer(text)], text


# -- linear time, guarded by a time limit -----------------------------------------------

SIZE = 200_000
#: (what runs, hostile inputs): ``"name"`` is ``module:attribute`` of a pattern (run with
#: finditer, or ``match``/``fullmatch`` after a comma) or of a function of one string.
GUARDED = {
    "translate.patterns:URL": ["_", "a", "a@", "a.", "http://" + "a" * SIZE, "www." * 3],
    "translate.patterns:TEMPLATE_TAG": ["{{", "{%", "{{ a", "{{ {%"],
    "translate.patterns:HTML_TAG": ["<a ", "<a", "</a"],
    "translate.checks.standard:_LINK_TARGET": ["](", "](a", ']( "'],
    "translate.khmer:_PROTECTED": ["_", "a@", "{{", "{%", "](", "`a"],
    "translate.bylines:_TIME_ELEMENT": ['<time datetime="2026-01-05">' + " " * SIZE, "<time datetime=1 ", "<time datetime=x>a  "],
    "translate.bylines:_TIME_BEFORE": ["<time datetime=1 "],
    "translate.formats.tags:_SHORTCODE_NAME,match": ["{{<" + " " * SIZE, "{{<" + "\n" * SIZE],
    "translate.segment:_CAMEL": ["a"],
    "translate.mt.protect:mask": ["_", "{{", "{{<", "{%", "`", "`a``b", "**A", "*a ", "_a ", "<!--", "<code>", "<b>", "[a](", "a@", "<b><i>", "**x " * 3],
    "translate.mt.protect:_restore_self": ["{{ x }} ", "http://a.b ", "**a** ", "<b>", "[`x`](u) ", "{1} "],
    "translate.checks:_run_all": ["_", "a", "{{", "]("],
    "translate.checks:_run_all,more": ["**A", "`", "1.", "<b>"],
    "translate.segment:_split": ["a", ". ", "Mr. ", "`", "'", "„", "‹", "《", "「", "‘", "a'", "`a``b", "<b>", '"'],
    "translate.khmer:_postprocess": ["1.", "_", "a@", "{{", "](", "ក ", "ក."],
    "translate.formats.markdown:_parse": ["{{<" + " " * SIZE + ">}}", "{{< " * 3, "**A", "`a``b", "<time datetime=x>"],
    "translate.formats.html:_parse": ['<p><time datetime="2026-01-05">' + " " * SIZE + "</p>", "<p>" + "**A" * 3],
    "translate.formats.text:_parse": ["a", "- ", " " * 3, "_"],
}

WORKER = r"""
import json, re, sys, importlib
from translate.config import ReadOptions
from translate.khmer import KhmerOptions, postprocess
from translate.load import reader
from translate.mt.protect import mask, restore
from translate.segment import split_sentences
from translate.checks import run_checks

SIZE = {size}
extras = {{
    "_restore_self": lambda text: restore(mask(text), mask(text).text),
    "_run_all": lambda text: run_checks(text, "ក " + text, "km"),
    "_split": lambda text: split_sentences(text, ()),
    "_postprocess": lambda text: postprocess("ក " + text, KhmerOptions(digits=True)),
    "_parse": None,
}}
name, inputs = json.loads(sys.stdin.read())
target, _, mode = name.partition(",")
mode = "" if mode == "more" else mode
module, attribute = target.split(":")
if attribute == "_parse":
    fmt = module.rsplit(".", 1)[1]
    run = lambda text: reader(fmt)(text, ReadOptions(), "a." + fmt)
elif attribute in extras:
    run = extras[attribute]
else:
    value = getattr(importlib.import_module(module), attribute)
    if isinstance(value, re.Pattern):
        run = (lambda text: [m for m in value.finditer(text)]) if not mode else getattr(value, mode)
    else:
        run = value
for seed in inputs:
    text = seed if len(seed) >= SIZE else (seed * (SIZE // len(seed) + 1))[:SIZE]
    run(text)
print("done")
"""


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_hostile_strings_take_linear_time(name: str) -> None:
    code = WORKER.format(size=SIZE)
    proc = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps([name, GUARDED[name]]),
        capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.strip() == "done", proc.stderr[-3000:]


def test_restoring_reads_each_placeholder_once() -> None:
    from translate.mt.protect import mask, restore

    for source in ("Call {2} or `a`.", "See {1}, {0} and **`b`** at http://x.org/{2}.", "{{ page.title }} says {1} {1}."):
        masked = mask(source)
        restored = restore(masked, masked.text)
        assert restored.text == source and not restored.issues, (source, masked.text, restored)
    masked = mask("Call {2} or `a`.")
    assert restore(masked, "A {1} B {2} C {2}").text == "A {2} B `a` C"  # a repeated placeholder is dropped with its space


def test_a_sentence_of_thousands_of_pieces_of_markup_is_left_as_it_is() -> None:
    from translate.mt.protect import mask, restore

    source = "{1} <b>x</b> " * 12_000
    masked = mask(source)
    assert masked.text == source and not masked.atoms and not masked.pairs
    assert restore(masked, "translated").text == "translated"
