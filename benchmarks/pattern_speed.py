"""Worst-case time of every regular expression on the hot paths, on adversarial megabyte strings.

Python's ``re`` backtracks: a pattern that tries again from every position of
an unclosed construct, or that can split a run of characters between two
quantifiers, costs the square (or cube) of the length of the text, and a
single long line (a megabyte without a space, a pasted log, a hostile
catalog) then takes minutes or hours. This benchmark looks for the worst input
of each pattern and times it on a megabyte.

**Patterns.** Every compiled pattern at module level (also inside tuples and
dicts) of the modules on the hot paths: ``translate.patterns``, masking
(``translate.mt.protect``, ``translate.mt.scan``), the checks
(``translate.checks.standard``), segmentation (``translate.segment``), the
readers (``translate.formats.*``), ``translate.bylines`` and
``translate.khmer``, plus the patterns those modules compile inside functions
(``_extra``). Each is run the way the code runs it (``MODES``): ``search``
(``finditer`` over the whole text, as ``findall``, ``finditer`` and a ``sub``
with a function do), ``sub`` (with a string), ``match`` (anchored at one
position, as for a line or a token) or ``fullmatch``.

**Adversarial inputs.** From a few strings each pattern matches
(``EXAMPLES``), every prefix is a *seed*: the state of a match that has
started. Candidates, for a seed ``s`` and every *filler* character ``f`` (the
characters of the pattern, of its examples, and a common set): ``s`` repeated,
``s`` then ``f`` repeated, and ``s + f`` repeated; plus every character and
pair of characters repeated. All candidates are timed on 1 kB, the three
slowest again on 8 kB, and the slowest of those on 1 MB (``--size``), in a
fresh process with a time limit (``--timeout``) when it is slow on 8 kB. The
growth exponent from 1 kB to 8 kB tells linear (about 1) from quadratic
(about 2); times under a millisecond are noisy.

**Functions.** The library functions that apply these patterns, on 1 MB
hostile strings (``HOSTILE``, plus each module's worst inputs found above):
masking and restoring, the checks, segmentation, the three readers, Khmer
post-processing. A whole reader or the twelve checks on a megabyte of dense
markup take seconds; what matters is that the time grows linearly, so the
worst input is timed again on a quarter of the size and the growth exponent
printed (1 is linear, 2 quadratic).

Usage::

    python benchmarks/pattern_speed.py [--size 1000000] [--timeout 20] [--only NAME] [--no-functions]

The target: every pattern under 0.5 s on 1 MB, every function linear; the
exit code is 1 when one misses it.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import json
import math
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MODULES = (
    "translate.patterns",
    "translate.mt.scan",
    "translate.mt.protect",
    "translate.checks.standard",
    "translate.segment",
    "translate.formats.text",
    "translate.formats.markdown",
    "translate.formats.markdown_inline",
    "translate.formats.frontmatter",
    "translate.formats.tags",
    "translate.formats.html",
    "translate.formats.html_tokens",
    "translate.formats.html_tags",
    "translate.bylines",
    "translate.khmer",
    "translate.article",
    "translate.textfile",
)

#: How the code applies each pattern (default: ``search``).
MODES = {
    "translate.patterns.BLANK": "fullmatch",
    "translate.mt.protect._TRAILING": "fullmatch",
    "translate.mt.protect._PRIVATE": "match",
    "translate.segment._MASKED": "sub",
    "translate.segment._SINGLE_QUOTE": "sub",
    "translate.segment._SURROGATE": "sub",
    "translate.article._SPACE_RUN": "sub",
    "translate.segment._TRAIL": "match",
    "translate.segment._OPENING": "match",
    "translate.segment._SPACE": "match",
    "translate.segment._LETTERS": "match",
    "translate.segment._CAMEL": "match",
    "translate.segment._INITIALISM": "fullmatch",
    "translate.segment._LIST_NUMBER": "fullmatch",
    "translate.formats.text._BULLET": "match",
    "translate.formats.text._IMAGE_LINE": "fullmatch",
    "translate.formats.markdown._MATH_FENCE": "fullmatch",
    "translate.formats.markdown._EMPHASIS": "fullmatch",
    "translate.formats.markdown_inline._INLINE_TAIL": "match",
    "translate.formats.markdown_inline._REFERENCE_TAIL": "match",
    "translate.formats.markdown_inline._AUTOLINK": "match",
    "translate.formats.markdown_inline._HTML_TAG": "match",
    "translate.formats.markdown_inline._BACKTICKS": "search",
    "translate.formats.frontmatter._TOML_STRING": "fullmatch",
    "translate.formats.frontmatter._TOML_TABLE": "match",
    "translate.formats.tags._LIQUID_NAME": "match",
    "translate.formats.tags._SHORTCODE_NAME": "match",
    "translate.formats.html_tokens._TAG_NAME": "match",
    "translate.formats.html_tokens._ATTRIBUTE": "match",
    "translate.bylines.DATE": "search",
    "translate.bylines._KEYWORD": "match",
    "translate.bylines._NAMED": "match",
    "translate.bylines._ENTITY_START": "match",
    "translate.bylines._EMPHASIS": "fullmatch",
    "translate.mt.scan._CODE_TAG": "match",
    "translate.mt.scan._IMAGE": "match",
    "translate.mt.scan._AUTOLINK": "match",
    "translate.formats.tags.code_regions[0]": "match",
    "translate.formats.tags.code_regions[1]": "match",
}

#: Strings each pattern matches; their prefixes seed the adversarial inputs.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "translate.patterns.URL": ("https://example.com/a_b?c=d", "www.example.org", "jane.doe+x@example.co.uk"),
    "translate.patterns.EMAIL": ("jane.doe+x@example.co.uk",),
    "translate.patterns.HTML_TAG": ('<a href="x">', "</em>", "<br/>"),
    "translate.patterns.TEMPLATE_TAG": ("{{ page.title }}", "{% include x.html %}"),
    "translate.patterns.PLACEHOLDER": ("%(name)s", "{0}", "{name}", "%d"),
    "translate.patterns.LETTER": ("a",),
    "translate.patterns.BLANK": ("\u200b \ufeff\u2060",),
    "translate.mt.protect._PRIVATE": ("\U000f0001",),
    "translate.mt.protect._OPAQUE": ("{{< figure src=x >}}", "{{ x }}", "{% x %}", "``co`de``", "<code class=x>a</code>", "<!-- c -->", '![alt](a.png "t")', "<https://x.org>"),
    "translate.mt.protect._LINK": ('[text](http://x.org/a(b) "title")', "[text][ref]", "[t](<a b>)", "[t](u 'x')"),
    "translate.mt.protect._HTML_PAIR": ('<a href="x">link</a>', "<strong>b</strong>", "<time datetime=x>t</time >"),
    "translate.mt.protect._STRONG": ("**bold text**", "__bold__", "~~gone~~"),
    "translate.mt.protect._EMPHASIS": ("*em text*", "_em_"),
    "translate.mt.protect._KEPT_ENTITY": ("&amp;", "&#039;", "&#x3c;"),
    "translate.mt.protect._ENTITY": ("&eacute;", "&#x41;", "&#123;"),
    "translate.mt.protect._OUTPUT_PLACEHOLDER": ("{ 12 }", "｛១｝"),
    "translate.mt.protect._TRAILING": ('." ',),
    "translate.mt.scan._OPAQUE_START": ("{",),
    "translate.mt.scan._SHORTCODE_CLOSE": (">}}",),
    "translate.mt.scan._LIQUID_OUTPUT_CLOSE": ("}}",),
    "translate.mt.scan._LIQUID_TAG_CLOSE": ("%}",),
    "translate.mt.scan._COMMENT_CLOSE": ("-->",),
    "translate.mt.scan._CODE_TAG": ("<code class=x>", "<KBD>"),
    "translate.mt.scan._IMAGE": ('![alt](a.png "t")',),
    "translate.mt.scan._AUTOLINK": ("<https://x.org>", "<mailto:a@b>"),
    "translate.mt.scan._TICKS": ("```",),
    "translate.mt.scan._NEWLINE": ("\n",),
    "translate.mt.scan.STRONG.opener": ("**a", "__a", "~~a"),
    "translate.mt.scan.STRONG.closers['**']": ("a** ",),
    "translate.mt.scan.STRONG.closers['__']": ("a__ ",),
    "translate.mt.scan.STRONG.closers['~~']": ("a~~ ",),
    "translate.mt.scan.EMPHASIS.closers['_']": ("a_ ",),
    "translate.mt.scan.EMPHASIS.opener": ("*a", "_a"),
    "translate.mt.scan.EMPHASIS.closers['*']": ("a* ",),
    "translate.checks.standard._NUMBER": ("1,234.56",),
    "translate.checks.standard._CODE_SPAN": ("`code`",),
    "translate.checks.standard._LINK_TARGET": ('](http://x "t")',),
    "translate.checks.standard._EMPHASIS": ("**", "*"),
    "translate.checks.standard._LATIN_WORD": ("don't",),
    "translate.checks.standard._KHMER_ENDS": ("។!",),
    "translate.segment._CANDIDATE": ('...") ', "!</b> "),
    "translate.segment._TRAIL": ('")</em >',),
    "translate.segment._OPENING": ('"(<b class="x">',),
    "translate.segment._LEADING_MARKUP": ('"<em>',),
    "translate.segment._SPACE": (" \n",),
    "translate.segment._BLANK_LINE": ("\n  \n",),
    "translate.segment._LETTERS": ("abc",),
    "translate.segment._CAMEL": ("iPhone",),
    "translate.segment._INITIALISM": ("U.S.A",),
    "translate.segment._LIST_NUMBER": ("12",),
    "translate.segment._MASKED": ('"',),
    "translate.segment._SINGLE_QUOTE": ("‘",),
    "translate.segment._SURROGATE": ("\ud800",),
    "translate.formats.text._BULLET": ("  - ", "12. "),
    "translate.formats.text._IMAGE_LINE": ("Photo by AFP",),
    "translate.formats.markdown._MATH_FENCE": ("> $$ ",),
    "translate.formats.markdown._CELL_SPLIT": ("\\|", "|"),
    "translate.formats.markdown._ATX_MARKER": ("###",),
    "translate.formats.markdown._FIGURE_NAME": ("figure",),
    "translate.formats.markdown._EMPHASIS": ("*Photo: Reuters*", "**x**"),
    "translate.formats.markdown_inline._SPECIAL": ("`",),
    "translate.formats.markdown_inline._BACKTICKS": ("```",),
    "translate.formats.markdown_inline._INLINE_TAIL": ('(http://x.org/a\\(b\\) "title \\" x")', "(<a b>)", "(a (b) 'c')", "(u (t))"),
    "translate.formats.markdown_inline._REFERENCE_TAIL": ("[ref\\]x]",),
    "translate.formats.markdown_inline._AUTOLINK": ("<https://x.org>", "<a.b@c.org>"),
    "translate.formats.markdown_inline._HTML_TAG": ('<a href="x" b=c d>', "</a >"),
    "translate.formats.markdown_inline._URL": ("https://x.org/a", "www.x"),
    "translate.formats.markdown_inline._ENTITY": ("&amp;", "&#123;"),
    "translate.formats.frontmatter._TOML_STRING": ('title = "A \\"b\\"" # c', "\"key\" = 'v'"),
    "translate.formats.frontmatter._TOML_TABLE": ("  [x",),
    "translate.formats.frontmatter._TOML_ERROR_LINE": ("at line 12",),
    "translate.formats.tags._OPENERS": ("{{<", "{%", "{:", "$$"),
    "translate.formats.tags._LIQUID_NAME": ("{%- include x.html",),
    "translate.formats.tags._SHORTCODE_NAME": ("{{< / figure",),
    "translate.formats.tags._ATTRIBUTE": ('caption="a \\" b"', "alt='x'", "t=`y`"),
    "translate.formats.html._BYLINE_WORDS": ("byline",),
    "translate.formats.html._MARKUP": ("<b>",),
    "translate.formats.html_tokens._TAG_NAME": ("div",),
    "translate.formats.html_tokens._ATTRIBUTE": (' name="v"', " a='b'", " c=d", " e"),
    "translate.formats.html_tokens._COMMENT_END": ("--!>",),
    "translate.formats.html_tokens._CHARACTER_REFERENCE": ("&#x41;", "&amp"),
    "translate.bylines.DATE": ("Monday, 12th January 2026, at 10:30 a.m. UTC+7", "Jan. 5, 2026", "2026-01-05"),
    "translate.bylines._KEYWORD": ("last updated",),
    "translate.bylines._NAMED": ("By Jane",),
    "translate.bylines._ENTITY": ("&middot;",),
    "translate.bylines._ENTITY_START": ("&nbsp;",),
    "translate.bylines._WRAPPING_START": ('<p class="x"> ',),
    "translate.bylines._EMPHASIS": ("*By Jane*",),
    "translate.bylines._TAG": ("<b>", "&nbsp;"),
    "translate.bylines._TIME_ELEMENT": ('<time class="x" datetime="2026-01-05"> Jan 5 </time>',),
    "translate.bylines._TIME_BEFORE": ("<time datetime=2026-01-05 > ",),
    "translate.khmer._DOUBLE_COENG": ("\u17d2\u17d2",),
    "translate.khmer._RO_SECOND": ("\u17d2\u179a\u17d2\u1780",),
    "translate.khmer._SPACE_BETWEEN_KHMER": ("ក ក",),
    "translate.khmer._FINAL_STOP": ('ក" .',),
    "translate.khmer._PROTECTED": ("https://x.org", "a@b.co", "{{ x }}", "{% y %}", "<b>", "`c`", "](u)"),
    "translate.khmer._ASCII_NUMBER": ("1,234.5",),
    "translate.khmer._COMPOSE[0][0]": ("\u17c1\u17bb\u17b8",),
    "translate.khmer._COMPOSE[1][0]": ("\u17c1\u17b6",),
    "translate.article._SPACE_RUN": (" \n\t",),
    "translate.article.UNNAMEABLE": ("\n",),
    "translate.errors._UNPRINTABLE": ("\n",),
    "translate.formats.tags.code_regions[0]": ("  > {% highlight ruby",),
    "translate.formats.tags.code_regions[1]": ("{{< highlight go",),
    "translate.formats.tags.code_regions.closer[0]": ("{%- endhighlight -%}",),
    "translate.formats.tags.code_regions.closer[1]": ("{{< / highlight >}}",),
    "translate.formats.tags._make_tag.end_tag": ("{%- endraw -%}",),
    **{
        f"translate.formats.html_tokens._RAW_TEXT_CLOSE[{name!r}]": (f"</{name}>",)
        for name in ("script", "style", "textarea", "title", "iframe", "noscript", "noembed", "noframes", "xmp")
    },
    "translate.catalog.template._NOT_IN_REFERENCE": (" ",),
}


def _extra() -> dict[str, re.Pattern[str]]:
    """Patterns compiled inside functions, built as the functions build them."""
    from translate.formats import tags

    found: dict[str, re.Pattern[str]] = {}
    prefix = getattr(tags, "_LINE_PREFIX", r"[ \t>]*")
    found["translate.formats.tags.code_regions[0]"] = re.compile(prefix + r"\{%-?\s*(" + "|".join(tags.LIQUID_CODE_TAGS) + r")\b")
    found["translate.formats.tags.code_regions[1]"] = re.compile(prefix + r"\{\{[<%]\s*(" + "|".join(tags.SHORTCODE_CODE_NAMES) + r")\b")
    found["translate.formats.tags.code_regions.closer[0]"] = re.compile(r"\{%-?\s*end" + "highlight" + r"\s*-?%\}")
    found["translate.formats.tags.code_regions.closer[1]"] = re.compile(r"\{\{[<%]\s*/\s*" + "highlight" + r"\s*[>%]\}\}")
    found["translate.formats.tags._make_tag.end_tag"] = re.compile(r"\{%-?\s*" + "endraw" + r"\s*-?%\}")
    for name in ("translate.errors", "translate.catalog.template"):
        module = importlib.import_module(name)
        for key, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{name}.{key}"] = value
    return found


def collect() -> dict[str, re.Pattern[str]]:
    """Every pattern of the hot paths, by dotted name (a pattern shared by modules is listed once)."""
    found: dict[str, re.Pattern[str]] = {}
    seen: set[int] = set()

    def add(name: str, value: object) -> None:
        if isinstance(value, re.Pattern) and id(value) not in seen:
            seen.add(id(value))
            found[name] = value

    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for key, value in vars(module).items():
            if isinstance(value, re.Pattern):
                add(f"{module_name}.{key}", value)
            elif isinstance(value, (tuple, list)):
                for index, item in enumerate(value):
                    add(f"{module_name}.{key}[{index}]", item)
                    if isinstance(item, tuple):
                        for inner, part in enumerate(item):
                            add(f"{module_name}.{key}[{index}][{inner}]", part)
            elif isinstance(value, dict):
                for item_key, item in value.items():
                    add(f"{module_name}.{key}[{item_key!r}]", item)
            elif hasattr(value, "opener") and hasattr(value, "closers"):  # translate.mt.scan.PairSyntax
                add(f"{module_name}.{key}.opener", value.opener)
                for item_key, item in value.closers.items():
                    add(f"{module_name}.{key}.closers[{item_key!r}]", item)
    for name, pattern in _extra().items():
        add(name, pattern)
    return found


# -- adversarial inputs ------------------------------------------------------------

COMMON = list("aZ1 \n.@-_<>{}%*`[]()&#;\"'/:=|!?\\~$+,") + ["ក", "\u17d2", "\u200b"]


def _fillers(pattern: re.Pattern[str], examples: tuple[str, ...]) -> list[str]:
    chars = set(COMMON)
    chars.update(c for c in pattern.pattern if c.isprintable() and not c.isspace())
    for example in examples:
        chars.update(example)
    return sorted(chars)


def candidates(pattern: re.Pattern[str], examples: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    """``(form, seed, filler)`` descriptions of adversarial inputs (see :func:`build`)."""
    fillers = _fillers(pattern, examples)
    seeds = sorted({example[:end] for example in examples for end in range(1, len(example) + 1)})
    for seed in seeds:
        yield ("repeat", seed, "")
        for filler in fillers:
            yield ("then", seed, filler)
            yield ("repeat", seed + filler, "")
    for a, b in itertools.product(fillers, COMMON):
        yield ("repeat", a + b, "")
    for a in fillers:
        yield ("repeat", a, "")


def build(form: str, seed: str, filler: str, size: int) -> str:
    """An input of ``size`` characters: ``seed`` repeated, or ``seed`` then ``filler`` repeated."""
    if form == "repeat":
        return (seed * (size // len(seed) + 1))[:size]
    return seed + filler * max(0, size - len(seed))


def describe(form: str, seed: str, filler: str) -> str:
    shown = repr(seed)[1:-1]
    if form == "repeat":
        return f"({shown})*"
    return f"{shown} + ({repr(filler)[1:-1]})*"


def run_once(pattern: re.Pattern[str], mode: str, text: str) -> float:
    started = time.perf_counter()
    if mode == "search":
        for _ in pattern.finditer(text):
            pass
    elif mode == "sub":
        pattern.sub(" ", text)
    elif mode == "match":
        pattern.match(text)
    else:
        pattern.fullmatch(text)
    return time.perf_counter() - started


SMALL, LARGE = 1_000, 8_000


def screen(name: str, pattern: re.Pattern[str], timeout: float) -> tuple[tuple[str, str, str], float, float]:
    """The worst candidate of a pattern, with its times on 1 kB and 8 kB (``inf`` past ``timeout``)."""
    mode = MODES.get(name, "search")
    examples = EXAMPLES.get(name, ())
    timed = []
    for candidate in dict.fromkeys(candidates(pattern, examples)):
        timed.append((run_once(pattern, mode, build(*candidate, SMALL)), candidate))
    timed.sort(reverse=True)
    # A candidate already slow on 1 kB is the one; otherwise the three slowest are timed again.
    finalists = timed[:1] if timed[0][0] > 0.02 else timed[:3]
    worst = []
    for small, candidate in finalists:
        if small > 0.005:  # maybe much slower on 8 kB: timed in a process that is stopped at the limit
            spec = {"kind": "pattern", "name": name, "form": candidate[0], "seed": candidate[1], "filler": candidate[2], "size": LARGE}
            seconds = timed_elsewhere(spec, timeout)
            worst.append((math.inf if seconds is None else seconds, small, candidate))
            continue
        large = min(run_once(pattern, mode, build(*candidate, LARGE)) for _ in range(3))
        small = min(small, *(run_once(pattern, mode, build(*candidate, SMALL)) for _ in range(3)))
        worst.append((large, small, candidate))
    large, small, candidate = max(worst)
    return candidate, small, large


# -- worker: one timing in a fresh process -----------------------------------------


def worker(spec: dict[str, object]) -> None:
    """Time one pattern (or function) on one input; print the seconds as JSON."""
    print(json.dumps({"seconds": _time(spec)}))


def _time(spec: dict[str, object]) -> float:
    size = int(spec["size"])  # type: ignore[arg-type]
    text = build(str(spec["form"]), str(spec["seed"]), str(spec["filler"]), size)
    if spec["kind"] == "pattern":
        name = str(spec["name"])
        return run_once(collect()[name], MODES.get(name, "search"), text)
    function = FUNCTIONS[str(spec["name"])]
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def measure(spec: dict[str, object], timeout: float, probe: float | None = None) -> float | None:
    """Seconds of one measurement; ``None`` past ``timeout``.

    An input that is slow already on 8 kB (``probe``: its time there, if
    known) is timed in a fresh process that is stopped at the limit; the
    others are timed here.
    """
    if probe is None:
        probe = _time({**spec, "size": LARGE})
    if probe < 0.01:
        return _time(spec)
    return timed_elsewhere(spec, timeout)


def timed_elsewhere(spec: dict[str, object], timeout: float) -> float | None:
    """Seconds of one measurement in a fresh process, ``None`` past ``timeout``."""
    try:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", json.dumps(spec)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        raise RuntimeError(f"worker failed on {spec}: {proc.stderr[-2000:]}")
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


# -- functions ---------------------------------------------------------------------


def _functions() -> dict[str, Callable[[str], object]]:
    from translate.checks import run_checks
    from translate.config import ReadOptions
    from translate.khmer import KhmerOptions, postprocess
    from translate.load import reader
    from translate.mt.protect import mask, restore
    from translate.segment import split_sentences

    options = ReadOptions()
    khmer = KhmerOptions(order=True, spacing="zwsp", full_stop=True, digits=True)
    return {
        "mask": mask,
        "restore(mask(s), mask(s).text)": lambda text: restore(masked := mask(text), masked.text),
        "run_checks(s, s)": lambda text: run_checks(text, text, "km"),
        "run_checks(s, ក+s)": lambda text: run_checks(text, "ក " + text, "km"),
        "split_sentences": lambda text: split_sentences(text, ()),
        "text reader": lambda text: reader("text")(text, options, "a.txt"),
        "markdown reader": lambda text: reader("markdown")(text, options, "a.md"),
        "html reader": lambda text: reader("html")(text, options, "a.html"),
        "khmer postprocess": lambda text: postprocess("ក " + text, khmer),
    }


class _Lazy(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> Callable[[str], object]:
        self.update(_functions())
        return dict.__getitem__(self, key)


FUNCTIONS: dict[str, Callable[[str], object]] = _Lazy()

#: Hostile strings every function is run on (form, seed, filler), besides the worst inputs of the patterns.
HOSTILE = (
    ("repeat", "a", ""),
    ("repeat", "_", ""),
    ("repeat", "a@", ""),
    ("then", "http://", "a"),
    ("repeat", "{{", ""),
    ("repeat", "{%", ""),
    ("repeat", "{{<", ""),
    ("repeat", "`", ""),
    ("repeat", "`a``b", ""),
    ("repeat", "'", ""),
    ("repeat", "a'", ""),
    ("repeat", "„", ""),
    ("repeat", "‹", ""),
    ("repeat", "{1} ", ""),
    ("repeat", "[`x`](u) ", ""),
    ("repeat", "**A", ""),
    ("repeat", "*a ", ""),
    ("repeat", "_a ", ""),
    ("repeat", "](", ""),
    ("repeat", "[a](", ""),
    ("repeat", "<!--", ""),
    ("repeat", "<code>", ""),
    ("repeat", "<b>", ""),
    ("repeat", "<a href=x>", ""),
    ("then", '<time datetime="2026-01-05">', " "),
    ("repeat", "Mr. ", ""),
    ("repeat", "1.", ""),
    ("repeat", "ក ", ""),
    ("repeat", ". ", ""),
    ("repeat", "\n", ""),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters of the timed inputs (default 1,000,000)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a timing is given up (default 20)")
    parser.add_argument("--only", default="", help="only patterns and functions whose name contains one of these (comma-separated)")
    parser.add_argument("--no-functions", dest="functions", action="store_false", help="patterns only")
    parser.add_argument("--no-patterns", dest="patterns", action="store_false", help="functions only, on the HOSTILE strings")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return 0

    def wanted(name: str) -> bool:
        return not args.only or any(part in name for part in args.only.split(","))

    print(f"# pattern_speed: Python {platform.python_version()}, {platform.machine()}, inputs of {args.size:,} characters, limit {args.timeout:g} s")
    print()
    worst_by_module: dict[str, list[tuple[float, tuple[str, str, str]]]] = {}
    slow = []
    if args.patterns:
        print("| pattern | mode | worst input | 1 kB ms | 8 kB ms | growth | 1 MB s |")
        print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for name, pattern in collect().items() if args.patterns else ():
        if not wanted(name):
            continue
        candidate, small, large = screen(name, pattern, args.timeout)
        if math.isinf(large):
            growth, seconds = math.inf, None
        else:
            growth = math.log(max(large, 1e-7) / max(small, 1e-7)) / math.log(LARGE / SMALL)
            spec = {"kind": "pattern", "name": name, "form": candidate[0], "seed": candidate[1], "filler": candidate[2], "size": args.size}
            seconds = measure(spec, args.timeout, large)
        shown = f"> {args.timeout:g}" if seconds is None else f"{seconds:.3f}"
        if seconds is None or seconds >= 0.5:
            slow.append(name)  # the target: every pattern under 0.5 s on 1 MB
        note = "" if name in EXAMPLES else " (no examples)"
        large_shown = f"> {args.timeout * 1e3:g}" if math.isinf(large) else f"{large * 1e3:.1f}"
        growth_shown = "—" if math.isinf(growth) else f"{growth:.1f}"
        print(f"| `{name}`{note} | {MODES.get(name, 'search')} | `{describe(*candidate)}` | {small * 1e3:.2f} | {large_shown} | {growth_shown} | {shown} |", flush=True)
        module = name.rsplit(".", 1)[0]
        worst_by_module.setdefault(module, []).append((large, candidate))
    if args.functions:
        print()
        quarter = args.size // 4
        print(f"| function | worst input | {quarter / 1e6:g} MB s | {args.size / 1e6:g} MB s | growth |")
        print("| --- | --- | ---: | ---: | ---: |")
        extra = {candidate for entries in worst_by_module.values() for large, candidate in sorted(entries, reverse=True)[:3] if large > 0.002}
        inputs = list(dict.fromkeys([*HOSTILE, *sorted(extra)]))
        for function in _functions():
            if not wanted(function):
                continue
            worst: tuple[float, tuple[str, str, str]] = (-1.0, inputs[0])
            for candidate in inputs:
                seconds = measure({"kind": "function", "name": function, "form": candidate[0], "seed": candidate[1], "filler": candidate[2], "size": args.size}, args.timeout)
                value = math.inf if seconds is None else seconds
                if value > worst[0]:
                    worst = (value, candidate)
                if seconds is None:
                    break  # past the limit already: the worst is known
            candidate = worst[1]
            spec = {"kind": "function", "name": function, "form": candidate[0], "seed": candidate[1], "filler": candidate[2], "size": quarter}
            small = timed_elsewhere(spec, args.timeout)
            growth = math.log(worst[0] / small) / math.log(4) if small and not math.isinf(worst[0]) else math.inf
            shown = f"> {args.timeout:g}" if math.isinf(worst[0]) else f"{worst[0]:.3f}"
            small_shown = f"> {args.timeout:g}" if small is None else f"{small:.3f}"
            if growth > 1.5:
                slow.append(function)
            growth_shown = "—" if math.isinf(growth) else f"{growth:.2f}"
            print(f"| {function} (worst of {len(inputs)}) | `{describe(*candidate)}` | {small_shown} | {shown} | {growth_shown} |", flush=True)
    print()
    print(f"patterns over 0.5 s, functions growing faster than linearly: {', '.join(slow) if slow else 'none'}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
