"""The HTML reader: blocks, exact offsets, what is never translated, broken markup."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest

from translate.article import Block, BlockKind, Slot, Span
from translate.config import ReadOptions
from translate.formats.html import parse
from translate.formats.html_tokens import Tag, tokenize
from translate.render import apply_edits, edits_for, render

DATA = Path(__file__).parent / "data" / "html"
FIXTURES = sorted(DATA.glob("*.html"))
OPTIONS = ReadOptions()
K = BlockKind

#: A replacement attribute value with every character that needs escaping.
KHMER_ATTRIBUTE = 'រូបថត "ទឹកជំនន់" <ខេត្ត> & ក្រចេះ'

#: Source constructs that must come out of publishing untouched.
UNTOUCHED = re.compile(
    r"<script\b.*?</script>|<style\b.*?</style>|<pre\b.*?</pre>|<!--.*?-->|<textarea\b.*?</textarea>"
    r"|<template\b.*?</template>|<noscript\b.*?</noscript>|<[^>]*translate=\"no\"[^>]*>.*?</p>",
    re.DOTALL | re.IGNORECASE,
)


def read(source: str, options: ReadOptions = OPTIONS) -> list[Block]:
    return list(parse(source, options, "test.html").blocks)


def kinds_and_texts(source: str) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in read(source)]


def rewritten(block: Block) -> str:
    return "⟦" + block.text + "⟧" if block.slot is Slot.RAW else KHMER_ATTRIBUTE


# Every fixture


def test_there_are_three_fixtures() -> None:
    assert len(FIXTURES) >= 3


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_identity_render(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    parsed = parse(source, OPTIONS, str(path))
    assert parsed.blocks
    assert render(source, parsed.blocks, lambda b: b.text) == source
    raw = [block for block in parsed.blocks if block.slot is Slot.RAW]
    assert apply_edits(source, [edit for block in raw for edit in edits_for(block, block.text, source)]) == source


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_raw_text_is_the_source_of_its_pieces(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for block in parse(source, OPTIONS, str(path)).blocks:
        [piece] = block.pieces
        if block.slot is Slot.RAW:
            assert block.text == "\n".join(source[p.start : p.end] for p in block.pieces)
            assert block.text == block.text.strip()
        else:
            assert block.slot is Slot.HTML_ATTRIBUTE and block.kind is K.ATTRIBUTE
            assert source[piece.start - 1] in "\"'=" and block.text


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_blocks_are_ordered_and_do_not_overlap(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    pieces = [block.pieces[0] for block in parse(source, OPTIONS, str(path)).blocks]
    assert pieces == sorted(pieces)
    for before, after in itertools.pairwise(pieces):
        assert before.end <= after.start


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_rewrite_reparses_into_the_new_texts(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    blocks = parse(source, OPTIONS, str(path)).blocks
    published = render(source, blocks, rewritten)
    again = parse(published, OPTIONS, "published.html").blocks
    assert [b.kind for b in again] == [b.kind for b in blocks]
    assert [b.text for b in again] == [rewritten(b) for b in blocks]
    for construct in UNTOUCHED.findall(source):
        assert published.count(construct) == source.count(construct), construct


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_tags_and_references_are_protected(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    for block in parse(source, OPTIONS, str(path)).blocks:
        if block.slot is not Slot.RAW:
            continue
        covered: set[int] = set()
        for span in block.protected:
            assert 0 <= span.start < span.end <= len(block.text)
            covered.update(range(span.start, span.end))
        for match in re.finditer(r"<[^>]*>|&#?\w+;", block.text):
            assert set(range(match.start(), match.end())) <= covered, match.group()


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_tokens_cover_the_source(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    position = 0
    for token in tokenize(source):
        assert token.span.start == position
        position = token.span.end
    assert position == len(source)


# Golden expectations


def test_golden_cms_fragment() -> None:
    source = (DATA / "cms_fragment_budget.html").read_text(encoding="utf-8")
    parsed = parse(source, OPTIONS, "cms_fragment_budget.html")
    assert parsed.marker is None
    assert [(b.kind, b.text) for b in parsed.blocks] == [
        (
            K.PARAGRAPH,
            "The government on Friday unveiled a <STRONG>$9.3 billion</STRONG> budget for 2025, its largest"
            " ever, with spending on roads and irrigation up by a fifth.",
        ),
        (
            K.PARAGRAPH,
            "Finance Minister Aun Pornmoniroth told the National Assembly that revenue would grow 8.4% &amp;"
            " the deficit would stay below 3% of GDP.<br>\nHe did not say how the new <a href='https://"
            "example.org/tax' title='Read the tax law'>property tax</a> would be collected.",
        ),
        (K.HEADING, "Key figures"),
        (K.LIST_ITEM, "Education: $1.1 billion"),
        (K.LIST_ITEM, "Health: $820 million (up 12%)"),
        (K.LIST_ITEM, "Defence: $<em>unchanged</em>"),
        (
            K.PARAGRAPH,
            "Analysts queried the data with <code>SELECT total FROM budget WHERE year = 2025;</code> and"
            " found the numbers matched.",
        ),
        (
            K.PARAGRAPH,
            "Open data is published at <A HREF=https://data.example.gov/budget TARGET=_blank>"
            "data.example.gov</A>. Press <kbd>Ctrl</kbd>+<kbd>F</kbd> to search it.",
        ),
        (K.ATTRIBUTE, "Chart"),
        (K.PARAGRAPH, "Inflation is expected to ease to 3.2%, though 5 < 6 of the economists surveyed disagreed."),
    ]
    assert parsed.blocks[1].comment == "translate in place: title of <a>"


def test_golden_whole_page() -> None:
    source = (DATA / "page_mekong_floods.html").read_text(encoding="utf-8")
    parsed = parse(source, OPTIONS, "page_mekong_floods.html")
    assert parsed.marker is not None
    assert source[parsed.marker.span.start : parsed.marker.span.end] == "en"
    texts = [(b.kind, b.text) for b in parsed.blocks]
    assert texts[:9] == [
        (K.TITLE, "Mekong floods displace 12,000 families | The Riverside Times"),
        (
            K.ATTRIBUTE,
            'Rising water along the Mekong has forced "tens of thousands" from their homes, officials said on Tuesday.',
        ),
        (K.ATTRIBUTE, "Mekong floods displace 12,000 families"),
        (K.ATTRIBUTE, "Officials in Kratie and Stung Treng say the water is still rising."),
        (K.ATTRIBUTE, "The Riverside Times home"),
        (K.ATTRIBUTE, "The Riverside Times"),
        (K.LIST_ITEM, '<a href="/news">News</a>'),
        (K.LIST_ITEM, '<a href="/business">Business</a>'),
        (K.HEADING, "Mekong floods displace 12,000 families"),
    ]
    assert [b.comment for b in parsed.blocks[1:6]] == [
        'content of <meta name="description">',
        'content of <meta property="og:title">',
        'content of <meta property="og:description">',
        "title of <a>",
        "alt of <img>",
    ]
    kinds = [kind for kind, _ in texts]
    assert kinds.count(K.TABLE_CELL) == 9
    assert kinds.count(K.CAPTION) == 2
    assert (K.QUOTE, "&mdash; <cite>Nhem Srey Mom, 43, a farmer</cite>") in texts
    assert (K.LIST_ITEM, 'Call the hotline <a href="tel:+855115">115</a> for boat rescue.') in texts
    assert texts[-1] == (K.PARAGRAPH, "&copy; 2024 The Riverside Times. All rights reserved.")


@pytest.mark.parametrize(
    "hidden",
    [
        "window.dataLayer",
        "Subscribe for more",
        "font-family",
        "level_m",
        "RiverWatch",
        "ខ្មែរ",
        "Old footer text",
        "Riverside Times RSS",
        "width=device-width",
        "kratie-flood.jpg",
    ],
)
def test_never_translated_text_is_in_no_block(hidden: str) -> None:
    source = (DATA / "page_mekong_floods.html").read_text(encoding="utf-8")
    assert hidden in source
    assert not [b for b in read(source) if hidden in b.text]


@pytest.mark.parametrize(
    "hidden",
    ["tick", "Tell us what you think", "Template text", "enable JavaScript", "🎉"],
)
def test_never_translated_text_in_multiscript_page(hidden: str) -> None:
    source = (DATA / "world_roundup_multiscript.html").read_text(encoding="utf-8")
    assert not [b for b in read(source) if hidden in b.text and "<svg" not in b.text]


def test_code_is_protected_and_never_a_block_of_its_own() -> None:
    source = "<p><code>make all</code></p>\n<div> <kbd>Ctrl</kbd> </div>\n<p>Run <code>make. Then go</code> now.</p>"
    [block] = read(source)
    assert block.text == "Run <code>make. Then go</code> now."
    assert block.protected == (Span(4, 30),)


def test_multiscript_characters_are_kept() -> None:
    source = (DATA / "world_roundup_multiscript.html").read_text(encoding="utf-8")
    texts = [b.text for b in read(source)]
    assert any("ភ្នំពេញ\u200bរាជធានី" in text for text in texts)
    assert "مرحبا بكم في النشرة" in texts
    assert any("\u202e" in text and "co&shy;operation" in text for text in texts)
    assert any(text.endswith("readers loved it 👍🏽.") for text in texts)
    assert "Editor's note: this story was updated at 10:30." in texts


# Structure: implied end tags, kinds, nesting


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>One<p>Two", [(K.PARAGRAPH, "One"), (K.PARAGRAPH, "Two")]),
        ("<p>One<div>Two</div>Three", [(K.PARAGRAPH, "One"), (K.PARAGRAPH, "Two"), (K.PARAGRAPH, "Three")]),
        ("<ul><li>A<li>B</ul>after", [(K.LIST_ITEM, "A"), (K.LIST_ITEM, "B"), (K.PARAGRAPH, "after")]),
        ("<ul><li>A<ul><li>B</ul>C</ul>", [(K.LIST_ITEM, "A"), (K.LIST_ITEM, "B"), (K.LIST_ITEM, "C")]),
        ("<dl><dt>T<dd>D<dt>U</dl>", [(K.LIST_ITEM, "T"), (K.LIST_ITEM, "D"), (K.LIST_ITEM, "U")]),
        ("<table><tr><td>a<td>b<tr><th>c</table>", [(K.TABLE_CELL, "a"), (K.TABLE_CELL, "b"), (K.TABLE_CELL, "c")]),
        ("<blockquote><p>Q</p>— Name</blockquote>", [(K.QUOTE, "Q"), (K.QUOTE, "— Name")]),
        ("<h1>T</h1><h2>S</h2><h1>U</h1>", [(K.TITLE, "T"), (K.HEADING, "S"), (K.HEADING, "U")]),
        ("<title>T</title><h1>H</h1>", [(K.TITLE, "T"), (K.HEADING, "H")]),
        ("<figure><figcaption><p>C</p></figcaption></figure>", [(K.CAPTION, "C")]),
        ("<div>Lead text<p>Para</p></div>", [(K.PARAGRAPH, "Lead text"), (K.PARAGRAPH, "Para")]),
        ("<select><option>One<option>Two</select>", [(K.PARAGRAPH, "One"), (K.PARAGRAPH, "Two")]),
        ("<label>Name</label> <button>Send</button>", [(K.PARAGRAPH, "Name"), (K.PARAGRAPH, "Send")]),
        ("Loose <b>text</b> here", [(K.PARAGRAPH, "Loose <b>text</b> here")]),
        ("<p>A<br>B<br></p>", [(K.PARAGRAPH, "A<br>B")]),
        ("<p><br>A</p>", [(K.PARAGRAPH, "A")]),
        ("<p>a <!-- x --> b <!-- y --></p>", [(K.PARAGRAPH, "a <!-- x --> b")]),
        ("<p>Hello</P>  <P>World", [(K.PARAGRAPH, "Hello"), (K.PARAGRAPH, "World")]),
        ("<p>x<hr>y", [(K.PARAGRAPH, "x"), (K.PARAGRAPH, "y")]),
        ("<a href=x><div>Card</div></a>", [(K.PARAGRAPH, "Card")]),
    ],
    ids=[
        "p-closes-p", "div-closes-p", "li-closes-li", "nested-list", "dt-dd", "table-cells",
        "blockquote", "first-h1-title", "title-wins", "caption", "div-with-text", "options",
        "label-button", "fragment-text", "trailing-br", "leading-br", "inner-comment",
        "uppercase", "hr", "block-in-link",
    ],
)  # fmt: skip
def test_structure(source: str, expected: list[tuple[BlockKind, str]]) -> None:
    assert kinds_and_texts(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "<script>var p = '<p>No</p>';</script>",
        "<style>p::after { content: '<p>No</p>'; }</style>",
        "<pre>No\n  <b>way</b></pre>",
        "<textarea>No <p>way</p></textarea>",
        "<template><p>No</p></template>",
        "<noscript><p>No</p></noscript>",
        "<iframe>No</iframe>",
        "<object><p>No</p></object>",
        "<svg><text>No</text><style>x</style></svg>",
        "<math><mi>No</mi></math>",
        "<div translate=no><p>No</p><img alt=Nope title=Nope></div>",
        "<div class='a notranslate b'><p>No</p></div>",
        "<p TRANSLATE='No'>No</p>",
        "<head><link title=No><base href=/></head>",
        "<!-- <p>No</p> -->",
        "<![CDATA[ No ]]>",
        "<!DOCTYPE html><?php echo 'No'; ?>",
    ],
)
def test_never_translated(source: str) -> None:
    assert read(source) == []


def test_translate_no_inline_stays_protected_in_the_sentence() -> None:
    [block] = read('<p>Try <span class="notranslate" title="Brand">Acme<b>Pro</b></span> today.</p>')
    assert block.text == 'Try <span class="notranslate" title="Brand">Acme<b>Pro</b></span> today.'
    assert block.protected == (Span(block.text.index("<span"), block.text.index("</span>") + 7),)
    assert block.comment is None


def test_script_end_tag_is_case_insensitive_and_needs_a_delimiter() -> None:
    source = "<script>a = '</scriptx>';</SCRIPT ><p>Yes</p>"
    assert kinds_and_texts(source) == [(K.PARAGRAPH, "Yes")]


def test_html_tags_break_out_of_unclosed_svg() -> None:
    source = "<p>Icon <svg><path d='M0'><p>Real text</p><style>a</style>"
    assert [b.text for b in read(source)] == ["Icon <svg><path d='M0'>", "Real text"]


def test_html_inside_svg_foreign_object_is_still_never_translated() -> None:
    source = "<div><svg><foreignObject><style>x</style><p>No</p></foreignObject></svg><p>Yes</p></div>"
    assert [b.text for b in read(source)] == ["Yes"]


def test_style_inside_svg_is_markup_and_html_resumes_after() -> None:
    source = "<svg><style/><text>In svg</text></svg><style>p { }</style><p>Yes</p>"
    assert [b.text for b in read(source)] == ["Yes"]


# Attributes


@pytest.mark.parametrize(
    ("source", "text", "value"),
    [
        ('<img alt="A cat">', "A cat", "A cat"),
        ("<img alt='A &amp; B'>", "A & B", "A &amp; B"),
        ("<img alt=Cat>", "Cat", "Cat"),
        ('<IMG ALT = "Spaced" >', "Spaced", "Spaced"),
        ('<td title="Hint">1</td>', "Hint", "Hint"),
        ('<img alt="first" alt="second">', "first", "first"),
    ],
    ids=["double", "single-reference", "unquoted", "uppercase-spaced", "on-block", "duplicate"],
)
def test_attribute_values(source: str, text: str, value: str) -> None:
    [block] = [b for b in read(source) if b.kind is K.ATTRIBUTE]
    [piece] = block.pieces
    assert block.slot is Slot.HTML_ATTRIBUTE
    assert block.text == text
    assert source[piece.start : piece.end] == value


@pytest.mark.parametrize("source", ['<img alt="">', "<img alt>", "<img alt='  '>", '<img alt="&nbsp;">', "<img src=x>"])
def test_empty_attributes_are_not_blocks(source: str) -> None:
    assert read(source) == []


def test_attribute_rewrite_escapes_and_quotes() -> None:
    source = "<img alt=Cat><img alt='Dog'><img alt=\"Cow\">"
    blocks = read(source)
    published = render(source, blocks, lambda b: KHMER_ATTRIBUTE)
    escaped = "រូបថត &quot;ទឹកជំនន់&quot; &lt;ខេត្ត&gt; &amp; ក្រចេះ"
    assert published == f'<img alt="{escaped}"><img alt=\'{escaped}\'><img alt="{escaped}">'
    assert [b.text for b in read(published)] == [KHMER_ATTRIBUTE] * 3


def test_attribute_inside_a_block_travels_with_it() -> None:
    source = '<p>The <abbr title="United Nations">UN</abbr> met. <img alt="Flag"></p><p><img alt="Alone"></p>'
    blocks = read(source)
    assert [(b.kind, b.text) for b in blocks] == [
        (K.PARAGRAPH, 'The <abbr title="United Nations">UN</abbr> met. <img alt="Flag">'),
        (K.ATTRIBUTE, "Alone"),
    ]
    assert blocks[0].comment == "translate in place: title of <abbr>; alt of <img>"


def test_configured_attributes() -> None:
    options = ReadOptions(html_attributes=("aria-label", "placeholder"))
    source = '<input placeholder="Search news"><img alt="Not now"><nav aria-label="Main menu"></nav>'
    assert [b.text for b in read(source, options)] == ["Search news", "Main menu"]


def test_meta_tags() -> None:
    source = (
        '<meta name="Description" content="Desc"><meta property="og:title" content="OG">'
        '<meta name="twitter:description" content="TW"><meta name="keywords" content="no, thanks">'
        '<meta property="og:url" content="https://x"><meta name="description">'
    )
    assert [(b.text, b.comment) for b in read(source)] == [
        ("Desc", 'content of <meta name="Description">'),
        ("OG", 'content of <meta property="og:title">'),
        ("TW", 'content of <meta name="twitter:description">'),
    ]


# Language marker


@pytest.mark.parametrize(
    ("source", "published"),
    [
        ('<html lang="en"><p>x', '<html lang="km"><p>x'),
        ("<HTML LANG='en-GB' dir=ltr><p>x", "<HTML LANG='km' dir=ltr><p>x"),
        ("<html lang=en><p>x", "<html lang=km><p>x"),
        ("<!doctype html>\n<html>\n<p>x", '<!doctype html>\n<html lang="km">\n<p>x'),
        ('<html class="no-js"><p>x', '<html lang="km" class="no-js"><p>x'),
        ('<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en"><p>x', '<html xmlns="http://www.w3.org/1999/xhtml" lang="km" xml:lang="km"><p>x'),
        ("<html xml:lang='en-GB'><p>x", "<html lang=\"km\" xml:lang='km'><p>x"),
    ],
    ids=["double", "single", "unquoted", "absent", "absent-with-attributes", "xhtml", "xml-lang-only"],
)
def test_language_marker(source: str, published: str) -> None:
    parsed = parse(source, OPTIONS, "test.html")
    assert render(source, parsed.blocks, lambda b: None, marker=parsed.marker, lang="km") == published


def test_fragment_has_no_marker() -> None:
    assert parse("<p>Hello</p>", OPTIONS, "test.html").marker is None


# Edge cases


def test_megabyte_single_line_paragraph_reads_in_linear_time() -> None:
    unit = "Word &amp; <em>word</em> a < b, "
    repeat = 1_000_000 // len(unit)
    source = "<p>" + unit * repeat + "end</p>"
    started = time.perf_counter()
    [block] = read(source)
    elapsed = time.perf_counter() - started
    assert block.text == source[3:-4]
    assert len(block.protected) == 3 * repeat
    assert elapsed < 120  # linear; a quadratic blow-up would take hours


@pytest.mark.parametrize(
    "source",
    ["<" * 200_000, "<p>" * 100_000, "</p>" * 100_000, "<a x='" * 50_000, "<!--" * 100_000, "&amp" * 100_000],
    ids=["lt", "open-p", "close-p", "open-quote", "comment-open", "references"],
)
def test_pathological_input_finishes(source: str) -> None:
    started = time.perf_counter()
    parse(source, OPTIONS, "test.html")
    assert time.perf_counter() - started < 120


@pytest.mark.parametrize(
    "source",
    ["", "   \n", "<!-- one -->\n<!-- two -->\n", "<!doctype html><html><head></head><body></body></html>"],
    ids=["empty", "whitespace", "comments", "empty-page"],
)
def test_documents_without_text(source: str) -> None:
    assert read(source) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('<p>Text <a href="x', ["Text"]),
        ("<p>Unclosed <em>emphasis", ["Unclosed <em>emphasis"]),
        ("<b><i>Misnested</b> tags</i>", ["<b><i>Misnested</b> tags</i>"]),
        ("<p>Stray </> and </ 3> here", ["Stray </> and </ 3> here"]),
        ("<div><p>One<div>Two</p></div>Three", ["One", "Two", "Three"]),
        ("a < b, c <= d", ["a < b, c <= d"]),
        ("<p>5 <3 and x<y >", ["5 <3 and x<y >"]),
        ("<p>Fish &chips &amp &#12; AT&T</p>", ["Fish &chips &amp &#12; AT&T"]),
        ("</p>Before<p>After", ["Before", "After"]),
        ("<p>Title</title>x</p>", ["Title</title>x"]),
        ("<title>Unclosed title <b>x", ["Unclosed title <b>x"]),
        ("<script>never closed <p>No</p>", []),
        ("<p>Tab\tand\u00a0nbsp\u200b</p>", ["Tab\tand\u00a0nbsp\u200b"]),
        ("<p>\u200f\u202bRTL\u202c</p>", ["\u200f\u202bRTL\u202c"]),
        ("<p>🎉</p><p>🎉 Party</p>", ["🎉 Party"]),
    ],
    ids=[
        "unterminated-tag", "unclosed-inline", "misnested", "stray-end-tags", "stray-close",
        "lt-in-fragment", "lt-in-text", "references", "close-before-open", "stray-title-end",
        "unclosed-title", "unclosed-script", "whitespace-kinds", "bidi", "emoji",
    ],
)  # fmt: skip
def test_broken_and_unusual_markup(source: str, expected: list[str]) -> None:
    blocks = read(source)
    assert [b.text for b in blocks] == expected
    assert render(source, blocks, rewritten).count("⟦") == len(expected)


def test_references_are_protected_only_when_browsers_decode_them() -> None:
    [block] = read("<p>Fish &chips &amp &#12; AT&T &copy;</p>")
    assert [block.text[s.start : s.end] for s in block.protected] == ["&amp", "&#12;", "&copy;"]


def test_tokenizer_attribute_offsets() -> None:
    source = "<a HREF=x/ title='t' data-x = \"q\" checked/>"
    [tag] = list(tokenize(source))
    assert isinstance(tag, Tag)
    assert [(a.name, a.value, a.quoted) for a in tag.attributes] == [
        ("href", "x/", False),
        ("title", "t", True),
        ("data-x", "q", True),
        ("checked", "", False),
    ]
    assert tag.self_closing
    assert all(source[a.value_span.start : a.value_span.end] == a.value for a in tag.attributes if a.value_span)
