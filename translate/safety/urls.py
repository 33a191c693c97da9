"""URLs as browsers read them: decoded, stripped, and judged by their scheme.

A URL in a page is safe when, read as a browser reads it, it is relative or
uses ``http``, ``https`` or ``mailto``. Reading it as a browser does means
decoding character references (``jav&#x61;script:``, ``javascript&colon;``),
Markdown backslash escapes (``javascript\\:``) where the URL comes from
Markdown, then what the WHATWG URL parser does before looking for a scheme:
leading and trailing C0 controls and spaces are dropped, tabs and line
breaks anywhere are removed (``jav&#x09;ascript:`` is ``javascript:``).
"""

from __future__ import annotations

import html
import re

#: Schemes a URL may have (besides none: a relative URL).
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: Attributes whose value is one URL.
URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
        "cite", "longdesc", "ping", "codebase", "archive", "manifest", "icon", "dynsrc",
        "lowsrc", "usemap", "profile", "classid", "xml:base",
    }
)  # fmt: skip

#: Attributes whose value is a list of ``URL [descriptor]`` candidates.
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})

#: URL attributes that only name where a link goes (no request, no script when
#: the scheme is safe): a translation may point them elsewhere.
LINK_ATTRIBUTES = frozenset({"href"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_MARKDOWN_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_STRIP = "".join(chr(code) for code in range(0x21))  # C0 controls and space
_REMOVED = str.maketrans("", "", "\t\n\r")


def browser_url(value: str) -> str:
    """A decoded URL as a browser's URL parser starts reading it."""
    return value.strip(_STRIP).translate(_REMOVED)


def html_url(value: str) -> str:
    """The URL an HTML attribute value holds (character references decoded)."""
    return browser_url(html.unescape(value))


def markdown_url(destination: str) -> str:
    """The URL a Markdown link destination holds, as CommonMark renderers decode it.

    Backslash escapes and character references are decoded; the angle
    brackets of ``<destination>`` are removed.
    """
    text = destination.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return browser_url(html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", text)))


def scheme(url: str) -> str | None:
    """The lowercased scheme of a decoded URL, ``None`` for a relative one."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    """Whether a decoded URL is relative or has a safe scheme."""
    found = scheme(url)
    return found is None or found in SAFE_SCHEMES


def srcset_urls(value: str) -> list[str]:
    """The decoded URLs of a ``srcset`` value."""
    urls = []
    for candidate in html.unescape(value).split(","):
        parts = candidate.split()
        if parts:
            urls.append(browser_url(parts[0]))
    return urls


def relative_href(name: str) -> str:
    """A file name as a relative link: ``./`` before a name a browser would read as a scheme (``javascript:x.html``)."""
    return "./" + name if scheme(name) is not None else name
