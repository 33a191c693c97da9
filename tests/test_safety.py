"""The one rule of translate.safety: a translation carries back only its source sentence's markup."""

from __future__ import annotations

import pytest

from translate.safety import Syntax, UnsafeMarkup, carry_back, open_raw_text, plain_text
from translate.safety.markdown_markup import references_of
from translate.safety.urls import html_url, is_safe_url, markdown_url, relative_href

# --- URLs as browsers and Markdown renderers read them ------------------------------------------------


@pytest.mark.parametrize(
    "written, safe",
    [
        ("https://example.com/", True),
        ("HTTP://example.com/", True),
        ("mailto:desk@example.com", True),
        ("/km/story.html", True),
        ("story.km.html#top", True),
        ("?page=2", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("jav&#x61;script:alert(1)", False),
        ("jav&#x09;ascript:alert(1)", False),
        ("java&NewLine;script:alert(1)", False),
        ("javascript&colon;alert(1)", False),
        (" &#14; javascript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:msgbox(1)", False),
    ],
)
def test_html_urls(written: str, safe: bool) -> None:
    assert is_safe_url(html_url(written)) is safe


@pytest.mark.parametrize(
    "destination, safe",
    [
        ("https://example.com/", True),
        ("<https://example.com/a b>", True),
        ("javascript\\:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("javascript&#58;alert(1)", False),
        ("<javascript:alert(1)>", False),
        ("java\\script:alert(1)", True),  # a backslash before a letter stays: "java\script" has no scheme
    ],
)
def test_markdown_urls(destination: str, safe: bool) -> None:
    assert is_safe_url(markdown_url(destination)) is safe


def test_a_file_name_never_reads_as_a_scheme() -> None:
    assert relative_href("story.km.html") == "story.km.html"
    assert relative_href("javascript:alert(1).html") == "./javascript:alert(1).html"


# --- what comes back unchanged ------------------------------------------------------------------------

SOURCES = {
    Syntax.HTML: 'See <a href="https://example.com/" class="ext">the\n report</a>, <em>this</em> &amp; <img src="p.jpg" alt="A photo"> <!-- note -->.',
    Syntax.MARKDOWN: 'See [the report](https://example.com/ "Report"), `<b>code</b>`, <span class="x">this</span> and {% include note.html %}.',
}


@pytest.mark.parametrize("syntax", list(SOURCES))
def test_the_source_itself_comes_back_unchanged(syntax: Syntax) -> None:
    source = SOURCES[syntax]
    assert carry_back(source, source, syntax).text == source
    assert carry_back(source, " ".join(source.split()), syntax).text == " ".join(source.split())


@pytest.mark.parametrize(
    "syntax, source, translation",
    [
        (Syntax.HTML, 'See <a href="https://example.com/" class="ext">the report</a> and <em>this</em>.', 'មើល <em>នេះ</em> និង <a href="https://example.com/" class="ext">របាយការណ៍</a>។'),
        (Syntax.HTML, 'A <a\n   href="https://example.com/">link</a>.', 'តំណ <a href="https://example.com/">ភ្ជាប់</a>។'),
        (Syntax.HTML, "A &lt;tag&gt; and 3 < 4.", "ស្លាក &lt;tag&gt; និង ៣ < ៤។"),
        (Syntax.MARKDOWN, "See [the report](https://example.com/) and `<b>`.", "មើល `<b>` និង [របាយការណ៍](https://example.com/)។"),
        (Syntax.MARKDOWN, "By {{ page.author }} on {% include date.html %}.", "ដោយ {{ page.author }} {% include date.html %}។"),
        (Syntax.MARKDOWN, "See [the report][r].", "មើល [របាយការណ៍][r]។"),
        (Syntax.MARKDOWN, "Photo {: .wide}", "រូបថត {: .wide}"),
        (Syntax.MARKDOWN, "Old [link](javascript:void(0)).", "តំណ [ចាស់](javascript:void(0))។"),  # the source's own URL
    ],
)
def test_the_sources_markup_rearranged_comes_back_unchanged(syntax: Syntax, source: str, translation: str) -> None:
    carried = carry_back(source, translation, syntax, references={"R": "https://example.com/r"})
    assert (carried.text, carried.escaped) == (translation, ())


def test_text_attributes_and_links_may_change() -> None:
    source = 'See <a href="https://example.com/" title="The report">it</a> <img src="p.jpg" alt="A photo">.'
    translation = 'មើល <a title="របាយការណ៍" href="/km/report.html">វា</a> <img src="p.jpg" alt="រូបថត">។'
    assert carry_back(source, translation, Syntax.HTML).text == 'មើល <a title="របាយការណ៍" href="/km/report.html">វា</a> <img src="p.jpg" alt="រូបថត">។'
    markdown = carry_back("See [it](https://example.com/).", "មើល [វា](https://example.com/km)។", Syntax.MARKDOWN)
    assert markdown.text == "មើល [វា](https://example.com/km)។"


# --- what is escaped ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, translation, published",
    [
        ("A sentence.", "<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
        ("A sentence.", '<x title="<img src=x onerror=alert(1)>">y</x>', '&lt;x title="&lt;img src=x onerror=alert(1)>">y&lt;/x>'),
        ("A sentence.", "<img src=x onerror=alert(1)//", "&lt;img src=x onerror=alert(1)//"),
        ("A sentence.", "<!--><img src=x onerror=alert(1)>-->", "&lt;!-->&lt;img src=x onerror=alert(1)>-->"),
        ("A sentence.", "<style>@import url(//evil.example/x.css);</style>", "&lt;style>@import url(//evil.example/x.css);&lt;/style>"),
        ("A sentence.", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "&lt;math>&lt;mtext>&lt;table>&lt;mglyph>&lt;style>&lt;img src=x onerror=alert(1)>"),
        ('See <a href="https://a.example/">it</a>.', '<a href="javascript:alert(1)">វា</a>', '&lt;a href="javascript:alert(1)">វា</a>'),
        ('See <a href="https://a.example/">it</a>.', '<a href="jav&#x09;ascript:alert(1)">វា</a>', '&lt;a href="jav&#x09;ascript:alert(1)">វា</a>'),
        ('See <a href="https://a.example/">it</a>.', '<a href="https://a.example/" onclick="alert(1)">វា</a>', '&lt;a href="https://a.example/" onclick="alert(1)">វា</a>'),
        ('A <img src="p.jpg"> photo.', '<img src="https://tracker.example/p.gif">', '&lt;img src="https://tracker.example/p.gif">'),
        ("A <style>p{}</style> style.", "<style>@import url(//evil.example/);</style>", "&lt;style>@import url(//evil.example/);&lt;/style>"),
        ("A sentence.", "{{ site.secret }} {% include evil.html %}", "&#123;{ site.secret }} &#123;% include evil.html %}"),
    ],
)
def test_html_markup_the_source_has_not_is_escaped(source: str, translation: str, published: str) -> None:
    carried = carry_back(source, translation, Syntax.HTML)
    assert carried.text == published
    assert carried.escaped


@pytest.mark.parametrize(
    "translation, published",
    [
        ("[x](javascript:alert(1))", "\\[x](javascript:alert(1))"),
        ("[x](javascript\\:alert(1))", "\\[x](javascript\\:alert(1))"),
        ("[x](&#106;avascript:alert(1))", "\\[x](&#106;avascript:alert(1))"),
        ("[x](javascript&#58;alert(1))", "\\[x](javascript&#58;alert(1))"),
        ("[x](<javascript:alert(1)>)", "[x](&lt;javascript:alert(1)>)"),  # now a relative link to "<javascript:…>"
        ("![x](javascript:alert(1))", "!\\[x](javascript:alert(1))"),
        ("![x](https://tracker.example/p.gif)", "!\\[x](https://tracker.example/p.gif)"),
        ("[a [b](javascript:alert(1))](https://ok.example/)", "\\[a \\[b](javascript:alert(1))](https://ok.example/)"),
        ("<javascript:alert(1)>", "&lt;javascript:alert(1)>"),
        ("[evil]: javascript:alert(1)", "\\[evil]: javascript:alert(1)"),
        ("[x][evil]", "\\[x]\\[evil]"),  # once [x] is text, [evil] alone is a link
        ('<q title="`">x</q> `<img src=x onerror=alert(1)>`', '&lt;q title="`">x&lt;/q> `&lt;img src=x onerror=alert(1)>`'),
        ('*x*{: onmouseover="alert(1)"}', '*x*&#123;: onmouseover="alert(1)"}'),
        ("{{ '<scr' | append: 'ipt>' }}", "&#123;{ '&lt;scr' | append: 'ipt>' }}"),
    ],
)
def test_markdown_markup_the_source_has_not_is_made_inert(translation: str, published: str) -> None:
    carried = carry_back("See [the report](https://example.com/).", translation, Syntax.MARKDOWN, references={"EVIL": "javascript:alert(1)"})
    assert carried.text == published


def test_reference_definitions_of_the_document_are_read_whatever_their_url() -> None:
    references = references_of("Text [x][a].\n\n[a]: javascript:alert(1)\n[b]: https://example.com/\n")
    assert references == {"A": "javascript:alert(1)", "B": "https://example.com/"}


# --- a sentence that starts inside a raw-text element ----------------------------------------------


def test_a_sentence_inside_a_raw_text_element_keeps_what_precedes_its_end() -> None:
    assert open_raw_text("First <style>p { color: red; }") == "style"
    assert open_raw_text("First <style>p{}</style> done.") is None
    assert open_raw_text("A <title>not raw text") is None
    source = "b { color: blue; }</style> Second sentence."
    kept = carry_back(source, "b { color: blue; }</style> ប្រយោគទីពីរ។", Syntax.MARKDOWN, inside="style")
    assert kept.text == "b { color: blue; }</style> ប្រយោគទីពីរ។"
    with pytest.raises(UnsafeMarkup):
        carry_back(source, "@import url(//evil.example/x.css);</style> ប្រយោគ។", Syntax.MARKDOWN, inside="style")


# --- plain-text values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "translation",
    ["<script>alert(1)</script>", "<b>ដាស់</b>", "[x](https://example.com/)", "{{ site.title }}", "<https://example.com/>", "*x*{: .big}"],
)
def test_a_value_with_markup_its_source_has_not_is_refused(translation: str) -> None:
    with pytest.raises(UnsafeMarkup) as raised:
        carry_back("A title", f"ចំណងជើង {translation}", Syntax.VALUE)
    assert raised.value.markup


def test_a_value_may_keep_its_sources_markup_and_plain_text() -> None:
    assert carry_back("A <b>big</b> day", "ថ្ងៃ <b>ធំ</b>", Syntax.VALUE).text == "ថ្ងៃ <b>ធំ</b>"
    assert carry_back("Prices < 5 & rising", "តម្លៃ < ៥ & កើនឡើង", Syntax.VALUE).text == "តម្លៃ < ៥ & កើនឡើង"


def test_a_title_is_also_checked_as_the_value_it_becomes() -> None:
    """An escaped tag in an HTML title is text in the page, and a tag again in a front-matter title."""
    assert carry_back("A title", "ចំណងជើង <b>x</b>", Syntax.HTML).text == "ចំណងជើង &lt;b>x&lt;/b>"
    assert plain_text("ចំណងជើង &lt;b>x&lt;/b>", Syntax.HTML) == "ចំណងជើង <b>x</b>"
    with pytest.raises(UnsafeMarkup):
        carry_back("A title", "ចំណងជើង <b>x</b>", Syntax.HTML, value=True)
    with pytest.raises(UnsafeMarkup):
        carry_back("A title", "ចំណងជើង &lt;script&gt;", Syntax.HTML, value=True)
    with pytest.raises(UnsafeMarkup):
        carry_back("A title", "ចំណងជើង <script>", Syntax.TEXT, value=True)


def test_plain_text_files_are_left_as_typed() -> None:
    assert carry_back("A sentence.", "<script>alert(1)</script>", Syntax.TEXT).text == "<script>alert(1)</script>"


# --- random markup: whatever a translation mixes, nothing beyond the source's becomes executable ------

_PIECES = [
    "<", ">", '"', "'", "`", "[", "]", "(", ")", "!", "\\", " ", "img", " src=x", " onerror=alert(1)", " href=", "javascript:alert(1)",
    "jav&#x09;ascript:", "&#106;", "&colon;", "{{", "}}", "{%", "{:", "<!--", "-->", "<![CDATA[", "]]>", "<svg>", "</svg>", "<math>",
    "<mtext>", "<mglyph>", "<table>", "<noscript>", "</noscript>", "<style>", "</style>", "p{}", "<style>p{}</style>", "<title>",
    "</title>", '<a href="https://e.example/" title="t">', '<a href="javascript:x" title="t">', "</a>", '<a id="', "<p>", "\n", "*", "_",
]  # fmt: skip
_SOURCE = 'A <svg><circle r="1"></circle></svg> <math><mi>x</mi></math> <a href="https://e.example/" title="t">l</a> <style>p{}</style> [r](https://e.example/r) c'


def _page(syntax: Syntax, text: str) -> str:
    from xss_support import render_markdown

    return f"<!DOCTYPE html><html><body><p>{text}</p></body></html>" if syntax is Syntax.HTML else render_markdown(f"Intro.\n\n{text}\n")


@pytest.mark.parametrize("syntax", [Syntax.HTML, Syntax.MARKDOWN])
def test_random_markup_never_becomes_executable(syntax: Syntax) -> None:
    """400 seeded random mixtures of tags, quotes, brackets, comments and schemes, rendered and audited."""
    import random

    from xss_support import audit

    rng = random.Random(20261126)
    allowed = set(audit(_page(syntax, _SOURCE)))
    for _ in range(400):
        translation = "".join(rng.choice(_PIECES) for _ in range(rng.randint(3, 30)))
        published = carry_back(_SOURCE, translation, syntax).text
        assert set(audit(_page(syntax, published))) <= allowed, (translation, published)
