"""Hostile payloads, every edition of an article published from them, and a browser-grade audit.

The audit parses a page with html5lib (the WHATWG tree builder, with scripting
on and off, so ``<noscript>`` is read both ways) and walks the tree: what a
browser would run, request or navigate to is a problem. Markdown editions are
rendered first the way a permissive site generator does (raw HTML passed
through as kramdown does, every link URL kept), with each front-matter value
printed unescaped, as a careless theme prints ``{{ page.title }}``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import html5lib
import polib
import yaml
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.editions import EDITION_NAMES
from translate.languages import language
from translate.publish import PublishOptions

#: Markup and script payloads: classic vectors, obfuscated URL schemes, mutation XSS.
HTML_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": '<img src=x onerror="alert(1)">',
    "js-url": '<a href="javascript:alert(1)">x</a>',
    "js-url-entity": '<a href="jav&#x61;script:alert(1)">x</a>',
    "js-url-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "js-url-newline-entity": '<a href="java&NewLine;script:alert(1)">x</a>',
    "js-url-colon-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "js-url-control-prefix": '<a href=" &#14; javascript:alert(1)">x</a>',
    "js-url-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "data-url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "vbscript-url": '<a href="vbscript:msgbox(1)">x</a>',
    "svg-onload": '<svg onload="alert(1)"><circle r="1"/></svg>',
    "svg-animate-onbegin": '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s"/></svg>',
    "svg-set-href": '<svg><a><set attributeName="href" to="javascript:alert(1)"/><text y="20">x</text></a></svg>',
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object-embed": '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    "form-formaction": "<form><button formaction=javascript:alert(1)>x</button></form>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-href": '<base href="javascript:alert(1)//">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style-import": "<style>@import url(https://evil.example/x.css);</style>",
    "style-attribute": '<span style="background:url(javascript:alert(1))" onmouseover="alert(1)">x</span>',
    "math-mglyph-style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "svg-style-mxss": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "template": "<template><img src=x onerror=alert(1)></template>",
    "comment-breakout": "<!--><img src=x onerror=alert(1)>-->",
    "cdata-svg": '<svg><![CDATA[><image xlink:href="]]><img src=x onerror=alert(1)//"></svg>',
    "title-breakout": "</title><script>alert(1)</script>",
    "unclosed-tag": "<img src=x onerror=alert(1)//",
    "broken-tag": '<a href="https://ok.example/" onclick=alert(1) >x</a',
    "tag-in-attribute": '<x title="<img src=x onerror=alert(1)>">y</x>',
    "liquid": "{{ '<scr' | append: 'ipt>alert(1)</script>' }}",
    "kramdown-ial": '*x*{: onmouseover="alert(1)"}',
}

#: Markdown link and raw-HTML payloads, decoded as CommonMark renderers decode them.
MARKDOWN_PAYLOADS = {
    "md-js-link": "[x](javascript:alert(1))",
    "md-js-link-escaped-colon": "[x](javascript\\:alert(1))",
    "md-js-link-entity": "[x](&#106;avascript:alert(1))",
    "md-js-link-colon-entity": "[x](javascript&#58;alert(1))",
    "md-js-link-angle": "[x](<javascript:alert(1)>)",
    "md-js-link-title": '[x](javascript:alert(1) "t")',
    "md-nested-link": "[a [b](javascript:alert(1))](https://example.com/)",
    "md-image": "![x](javascript:alert(1))",
    "md-autolink": "<javascript:alert(1)>",
    "md-data-link": "[x]( data:text/html,x)",
    "md-backtick-confusion": '<q title="`">x</q> `<img src=x onerror=alert(1)>`',
}

PAYLOADS = {**HTML_PAYLOADS, **MARKDOWN_PAYLOADS}

#: (edition name of ``translate run --editions``, source format) pairs that make a page.
EDITIONS = [
    ("localized", "html"),
    ("localized", "md"),
    ("localized-md", "txt"),
    ("localized-md", "html"),
    ("bilingual-html", "txt"),
    ("bilingual-html", "md"),
    ("bilingual-html", "html"),
    ("bilingual-md", "txt"),
    ("bilingual-md", "md"),
    ("bilingual-md", "html"),
]

#: Editions that are the source filled in, not a new page: they may keep the source's own markup.
OWN_FORMAT = {("localized", "html"), ("localized", "md")}

HOSTILE_PREFIX = "រដ្ឋមន្ត្រី"


def source_text(fmt: str, payload: str) -> str:
    """An article of format ``fmt`` whose second sentence holds ``payload``."""
    sentence = f"The minister spoke {payload} on Monday."
    if fmt == "txt":
        return f"A title\n\nBy Jane Doe | 25 November 2026\n\nThe report was released. {sentence}\n"
    if fmt == "md":
        return f"---\ntitle: A title\nsummary: A short summary.\n---\n\n*By Jane Doe | 25 November 2026*\n\nThe report was released. {sentence}\n"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>A title</title>'
        '<meta name="description" content="A short summary."></head>\n<body>\n<h1>A title</h1>\n'
        '<p class="byline">By Jane Doe | 25 November 2026</p>\n'
        f'<p>The report was released. See <a href="https://example.com/">the report</a>. {sentence}</p>\n</body></html>\n'
    )


#: The msgids of :func:`source_text` that are plain-text values (titles, front matter, attributes).
VALUES = ("A title", "A short summary.")


def is_value(entry: polib.POEntry) -> bool:
    return bool(entry.msgctxt) or entry.msgid in VALUES


def hostile(payload: str):
    """A msgstr for every entry: the payload in body sentences, plain text in values (refused otherwise)."""

    def msgstr(entry: polib.POEntry) -> str:
        return "ចំណងជើង" if is_value(entry) else f"{HOSTILE_PREFIX} {payload} ថ្ងៃច័ន្ទ។"

    return msgstr


def hostile_values(payload: str):
    """A msgstr for every entry: the payload in titles, front matter and attributes."""

    def msgstr(entry: polib.POEntry) -> str:
        return f"ចំណងជើង {payload}" if is_value(entry) else "ប្រយោគ។"

    return msgstr


def echo(entry: polib.POEntry) -> str:
    """A msgstr that carries back exactly its msgid's markup."""
    return "ប្រែ " + entry.msgid


def fill_catalog(po_path: Path, msgstr) -> polib.POFile:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = msgstr(entry)
    po_path.write_bytes(render_catalog(po))
    return po


@dataclass(frozen=True)
class Published:
    """Every edition of one article, or the error that stopped it."""

    source: str
    pages: dict[str, str]
    errors: dict[str, str]


def publish_all(folder: Path, fmt: str, source: str, msgstr, names=("localized", "localized-md", "bilingual-html", "bilingual-md")) -> Published:
    """Extract an article, fill its catalog with ``msgstr`` (reviewed), publish every edition."""
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / f"story.{fmt}"
    article.write_text(source, encoding="utf-8")
    ws = Workspace(locales=folder / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    assert result.error is None, result.error
    fill_catalog(result.catalogs[0].path, msgstr)
    pages: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in names:
        edition, edition_format = EDITION_NAMES[name]
        if name == "localized-md" and fmt == "md":
            continue  # the same file as the localized edition
        # Checks off: the markup check would withhold most payloads, and the
        # pages must be safe without it (with it: tests/test_publish_checks.py).
        [published] = publish([article], language("km"), folder / "out" / name, ws, PublishOptions(checks=False), edition=edition, edition_format=edition_format)
        if published.error is not None:
            errors[name] = str(published.error)
        else:
            assert published.output is not None
            pages[name] = published.output.read_text(encoding="utf-8")
    return Published(source, pages, errors)


# --- rendering Markdown as a permissive site generator does ----------------------------------------


def split_front_matter(text: str) -> tuple[dict, str]:
    if text.startswith("---\n"):
        end = text.index("\n---", 3)
        return yaml.safe_load(text[4:end]) or {}, text[end + 4 :]
    return {}, text


def render_markdown(text: str) -> str:
    """A Markdown document as a page of a site that trusts its content.

    markdown-it with raw HTML on (kramdown, Jekyll's default, passes raw HTML
    through) and no link validation (kramdown keeps ``javascript:`` URLs);
    front-matter values printed unescaped into the page.
    """
    from markdown_it import MarkdownIt

    front, body = split_front_matter(text)
    renderer = MarkdownIt("commonmark", {"html": True})
    renderer.validateLink = lambda url: True  # type: ignore[method-assign]
    values = "".join(f"<p class='{key}'>{value}</p>\n" for key, value in front.items() if isinstance(value, str))
    return f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>\n{values}{renderer.render(body)}</body></html>\n"


def as_page(name: str, fmt: str, text: str) -> str:
    """What a browser gets from an edition: the HTML, or the Markdown rendered."""
    if name.endswith("-md") or (name == "localized" and fmt == "md"):
        return render_markdown(text)
    return text


# --- the audit ----------------------------------------------------------------------------------------

_EXECUTABLE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "form", "template", "svg", "math"}
_URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "cite", "longdesc", "ping",
    "codebase", "manifest", "dynsrc", "lowsrc", "to", "from", "values", "by",
}  # fmt: skip
_RESOURCE_ATTRIBUTES = {"src", "srcset", "poster", "data", "background", "dynsrc", "lowsrc"}
_BAD_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
_STYLE_ACTIONS = re.compile(r"(?i)url\s*\(|@import|expression\s*\(|javascript:|behavior\s*:")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _url(value: str) -> str:
    """A URL as the URL parser reads it (html5lib has decoded character references)."""
    stripped = value.strip("".join(chr(c) for c in range(0x21)))
    return re.sub(r"[\t\n\r]", "", stripped).lower()


def _element_problems(element) -> list[str]:
    name = _local(element.tag) if isinstance(element.tag, str) else ""
    if not name:
        return []
    found = []
    if name in _EXECUTABLE:
        found.append(f"<{name}>")
    attributes = {_local(key): value for key, value in element.attrib.items()}
    for attribute, value in attributes.items():
        if attribute.startswith("on"):
            found.append(f"{name}[{attribute}]")
        elif attribute in _URL_ATTRIBUTES and _url(value).startswith(_BAD_SCHEMES):
            found.append(f"{name}[{attribute}={value[:40]}]")
        elif attribute in ("srcset", "imagesrcset") and any(_url(part.split()[0]).startswith(_BAD_SCHEMES) for part in value.split(",") if part.split()):
            found.append(f"{name}[{attribute}]")
        elif attribute == "srcdoc":
            found.append(f"{name}[srcdoc]")
        elif attribute == "style":
            found.append(f"{name}[style]")
        elif attribute == "formaction":
            found.append(f"{name}[formaction]")
        if attribute in _RESOURCE_ATTRIBUTES and re.match(r"(?i)\s*(https?:)?//", value):
            found.append(f"{name}[{attribute}] requests {value[:40]}")
    if name == "meta" and attributes.get("http-equiv", "").strip().lower() == "refresh":
        found.append("<meta refresh>")
    if name == "link" and attributes.get("rel", "").strip().lower() != "alternate":
        found.append(f"<link rel={attributes.get('rel')}>")
    if name == "style" and _STYLE_ACTIONS.search(element.text or ""):
        found.append("<style> that fetches or runs")
    if name in ("animate", "set", "animatetransform", "animatemotion") and "href" in attributes.get("attributename", "").lower():
        found.append(f"<{name}> of href")
    return found


def audit(page: str) -> Counter[str]:
    """What a browser would run, request or navigate to in a page: problems and how often.

    Parsed twice (scripting off and on), as ``<noscript>`` reads differently.
    """
    problems: Counter[str] = Counter()
    for scripting in (False, True):
        tree = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=True).parse(page, scripting=scripting)
        for element in tree.iter():
            problems.update(_element_problems(element))
    return problems


_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{:.*?\}|\{[{%:]")


def template_tags(text: str) -> set[str]:
    """Liquid tags, shortcodes and kramdown attribute lists (and bare openers) of a text."""
    return set(_TEMPLATE.findall(text))


def value_markup(front: dict) -> set[str]:
    """The markup in front-matter values: elements as html5lib builds them, template tags, link syntax."""
    found: set[str] = set()
    for value in front.values():
        if not isinstance(value, str):
            continue
        fragment = html5lib.parseFragment(value, treebuilder="etree", namespaceHTMLElements=False)
        found.update(f"<{element.tag}>" for element in fragment.iter() if isinstance(element.tag, str) and element is not fragment)
        found.update(template_tags(value))
        found.update(match.group() for match in re.finditer(r"\]\(|<[A-Za-z][A-Za-z0-9+.-]*:", value))
    return found
