"""Tests for the Markdown reader: block contract, round trips, golden blocks, bad input."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest
import yaml

from translate.article import Block, BlockKind, Parsed, Slot
from translate.config import ReadOptions
from translate.errors import InputError
from translate.formats.markdown import parse
from translate.render import apply_edits, edits_for, render

DATA = Path(__file__).parent / "data" / "markdown"
FIXTURES = sorted(path.name for path in DATA.glob("*.md"))
KHMER = 'ចំណងជើង "ថ្មី": #១'


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def parse_text(source: str, options: ReadOptions | None = None) -> Parsed:
    return parse(source, options or ReadOptions(), "article.md")


def front_matter(source: str) -> dict[str, object]:
    """The front matter of a document, loaded with PyYAML or tomllib."""
    delimiter = source.split("\n", 1)[0]
    inside = source.split(delimiter + "\n", 2)[1]
    if delimiter == "+++":
        return tomllib.loads(inside)
    return yaml.safe_load(inside)


def shout(block: Block) -> str:
    """The block's text upper-cased outside its protected spans, in brackets."""
    parts = []
    position = 0
    for span in block.protected:
        parts.append(block.text[position : span.start].upper())
        parts.append(block.text[span.start : span.end])
        position = span.end
    parts.append(block.text[position:].upper())
    return "⟦" + "".join(parts) + "⟧"


def new_text(block: Block) -> str:
    if block.slot is Slot.YAML:
        return f"{KHMER} {block.context} {block.text[:12]}"
    return shout(block)


def expected_text(block: Block) -> str:
    """What a block reads after ``new_text`` was published (later lines join the first)."""
    text = new_text(block)
    return text if block.slot is Slot.YAML else " ".join(text.split("\n"))


def gaps(source: str, blocks: tuple[Block, ...]) -> list[str]:
    """The source between blocks: what publishing must copy as it is."""
    found = []
    position = 0
    for block in sorted(blocks, key=lambda item: item.pieces[0].start):
        found.append(source[position : block.pieces[0].start])
        position = block.pieces[-1].end
    found.append(source[position:])
    return found


def in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


# -- every fixture -------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_has_blocks_of_several_kinds(name: str) -> None:
    kinds = {block.kind for block in parse_text(read(name)).blocks}
    assert BlockKind.FRONT_MATTER in kinds
    assert BlockKind.PARAGRAPH in kinds


@pytest.mark.parametrize("name", FIXTURES)
def test_identity_render(name: str) -> None:
    source = read(name)
    parsed = parse_text(source)
    assert render(source, parsed.blocks, lambda block: block.text) == source


@pytest.mark.parametrize("name", FIXTURES)
def test_identity_forced_rewrite_of_one_piece_blocks(name: str) -> None:
    source = read(name)
    blocks = parse_text(source).blocks
    raw = [block for block in blocks if block.slot is Slot.RAW and len(block.pieces) == 1]
    assert raw
    for block in raw:
        assert apply_edits(source, edits_for(block, block.text, source)) == source
    every = [edit for block in raw for edit in edits_for(block, block.text, source)]
    assert apply_edits(source, every) == source


@pytest.mark.parametrize("name", FIXTURES)
def test_forced_rewrite_of_front_matter_keeps_values(name: str) -> None:
    source = read(name)
    blocks = [block for block in parse_text(source).blocks if block.slot is Slot.YAML]
    edits = [edit for block in blocks for edit in edits_for(block, block.text, source)]
    assert front_matter(apply_edits(source, edits)) == front_matter(source)


@pytest.mark.parametrize("name", FIXTURES)
def test_block_contract(name: str) -> None:
    source = read(name)
    blocks = parse_text(source).blocks
    previous_end = 0
    for block in blocks:
        assert block.pieces[0].start >= previous_end, "blocks overlap or are out of order"
        previous_end = block.pieces[-1].end
        reach = 0
        for span in block.protected:
            assert reach <= span.start < span.end <= len(block.text)
            reach = span.end
        if block.slot is Slot.RAW:
            assert block.text == "\n".join(source[piece.start : piece.end] for piece in block.pieces)
            for piece in block.pieces:
                content = source[piece.start : piece.end]
                assert content and "\n" not in content and content == content.strip()
        elif block.slot is Slot.TAG_ATTRIBUTE:
            [piece] = block.pieces
            assert source[piece.start : piece.end] == block.text
            assert source[piece.start - 1] == source[piece.end] and source[piece.end] in "\"'`"
        else:
            assert len(block.pieces) == 1
            token = source[block.pieces[0].start : block.pieces[0].end]
            assert token == token.rstrip()
            if source.startswith("+++"):
                assert tomllib.loads(f"v = {token}")["v"] == block.text
            else:
                assert yaml.safe_load(token + "\n") == block.text  # a block scalar ends at its line break


@pytest.mark.parametrize("name", FIXTURES)
def test_rewrite_reparses_to_the_new_text(name: str) -> None:
    source = read(name)
    parsed = parse_text(source)
    rendered = render(source, parsed.blocks, new_text)
    again = parse_text(rendered)
    assert [block.text for block in again.blocks] == [expected_text(block) for block in parsed.blocks]
    assert in_order(rendered, gaps(source, parsed.blocks))
    flat = " ".join(rendered.split())
    for block in parsed.blocks:
        for span in block.protected:
            # Lines of a rewritten block are joined, those of a tag over several lines too.
            assert " ".join(block.text[span.start : span.end].split()) in flat


@pytest.mark.parametrize("name", FIXTURES)
def test_rewrite_front_matter_loads_with_new_values_and_language(name: str) -> None:
    source = read(name)
    parsed = parse_text(source)
    rendered = render(source, parsed.blocks, new_text, marker=parsed.marker, lang="km")
    loaded = front_matter(rendered)
    original = front_matter(source)
    language_key = "language" if "language" in original else "lang"
    assert loaded[language_key] == parsed.marker.value("km")
    for block in parsed.blocks:
        if block.slot is not Slot.YAML:
            continue
        values = nested_values(loaded, block.context)
        assert any(new_text(block) == value or new_text(block) in value for value in values)
    translated = {key.split(".")[0] for key in ReadOptions().front_matter_keys}
    for key, value in original.items():
        if key not in translated and key != language_key:
            assert loaded[key] == value


def nested_values(data: object, dotted: str) -> list[object]:
    """The values at a dotted key path; lists of mappings add no step."""
    found = [data]
    for part in dotted.split("."):
        found = [item for value in found for item in (value if isinstance(value, list) else [value])]
        found = [value[part] for value in found if isinstance(value, dict) and part in value]
    return [item for value in found for item in (value if isinstance(value, list) else [value])]


# -- golden expectations ---------------------------------------------------------

JEKYLL_BLOCKS = [
    (BlockKind.FRONT_MATTER, "Mekong dam talks stall as dry season bites"),
    (
        BlockKind.FRONT_MATTER,
        (
            "Officials from four countries failed to agree on water releases, "
            "leaving fishing villages downstream short of water."
        ),
    ),
    (BlockKind.FRONT_MATTER, "The dam at dusk"),
    (
        BlockKind.PARAGRAPH,
        (
            "PHNOM PENH -- Talks on the Mekong River's dams ended without agreement on Thursday,\n"
            "officials said, as the dry season left villages along the river short of water.\n"
            "The Mekong River Commission said it would meet again in May."
        ),
    ),
    (BlockKind.CAPTION, "Fishermen on the Tonle Sap lake, March 2024."),
    (BlockKind.ATTRIBUTE, "Boats on a lake"),
    (BlockKind.HEADING, "What was on the table"),
    (BlockKind.PARAGRAPH, "Delegates from Cambodia, Laos, Thailand and Vietnam discussed three proposals:"),
    (BlockKind.LIST_ITEM, "a shared early-warning system for sudden releases;"),
    (BlockKind.LIST_ITEM, "monthly data on reservoir levels, published on the\n[commission's website][mrc];"),
    (BlockKind.LIST_ITEM, "compensation for fishing communities"),
    (BlockKind.LIST_ITEM, "in Cambodia's Tonle Sap basin, and"),
    (BlockKind.LIST_ITEM, "in Vietnam's delta provinces."),
    (
        BlockKind.QUOTE,
        (
            '"We cannot plan a season when the river rises and falls overnight,"\n'
            'said Chea Sophal, a fisherman from Kampong Chhnang. "Last year we lost\n'
            'half our catch."'
        ),
    ),
    (
        BlockKind.PARAGRAPH,
        (
            "Read the full statement at <https://www.mrcmekong.org/news> or see our\n"
            "[earlier coverage]({{ site.url }}/2023/11/mekong-drought/). The data is\n"
            "published as `levels.csv` every Monday."
        ),
    ),
    (BlockKind.PARAGRAPH, "Analysts used a short script to compare the figures:"),
    (BlockKind.PARAGRAPH, "*Reporting by Sokha Chan; editing by Mary Jones.*"),
]


def test_golden_jekyll_blocks() -> None:
    blocks = parse_text(read("jekyll_post.md")).blocks
    assert [(block.kind, block.text) for block in blocks] == JEKYLL_BLOCKS
    contexts = [block.context for block in blocks if block.kind is BlockKind.FRONT_MATTER]
    assert contexts == ["title", "description", "image.alt"]
    caption = blocks[4]
    assert caption.comment == "caption of {% include figure.html %}"


def test_golden_jekyll_protected_spans() -> None:
    blocks = parse_text(read("jekyll_post.md")).blocks
    paragraph = blocks[14]
    assert [paragraph.text[span.start : span.end] for span in paragraph.protected] == [
        "<https://www.mrcmekong.org/news>",
        "[earlier coverage]({{ site.url }}/2023/11/mekong-drought/)",
        "`levels.csv`",
    ]
    item = blocks[9]
    assert [item.text[span.start : span.end] for span in item.protected] == ["[commission's website][mrc]"]


def test_golden_hugo_blocks() -> None:
    blocks = parse_text(read("hugo_post.md")).blocks
    pairs = [(block.kind, block.text, block.comment) for block in blocks]
    assert (BlockKind.CAPTION, "Visitors at Angkor Wat at sunrise.", "caption of {{< figure >}}") in pairs
    assert (BlockKind.ATTRIBUTE, "Crowd in front of a temple", "alt of {{< figure >}}") in pairs
    assert (BlockKind.ATTRIBUTE, "Chart of ticket sales, 2019 to 2023", "alt text of an image") in pairs
    assert (BlockKind.CAPTION, "*Source: Angkor Enterprise*", None) in pairs
    assert (BlockKind.HEADING, "Who is coming", None) in pairs
    assert (BlockKind.PARAGRAPH, "Prices for the three-day pass are unchanged at $62.", None) in pairs
    summaries = [block.text for block in blocks if block.context == "summary"]
    assert summaries == ["Foreign arrivals doubled in a year.", "Hotels in Siem Reap report 60% occupancy."]
    assert [block.context for block in blocks if block.slot is Slot.YAML] == ["title", "subtitle", "summary", "summary"]


def test_golden_khmer_tables_blocks() -> None:
    source = read("khmer_tables.md")
    parsed = parse_text(source)
    cells = [block.text for block in parsed.blocks if block.kind is BlockKind.TABLE_CELL]
    assert cells == [
        "Variety",
        "Price (riel/kg)",
        "Change",
        "Jasmine rice",
        "down 3%",
        "White rice \\| long grain",
        "unchanged",
    ]
    headings = [(block.kind, block.text) for block in parsed.blocks if block.kind is BlockKind.HEADING]
    assert headings == [(BlockKind.HEADING, "Rice prices"), (BlockKind.HEADING, "Market summary")]
    texts = [block.text for block in parsed.blocks]
    assert "A line with zero-width joiners: ក្រុង\u200bភ្នំពេញ and a bidi mark \u200fhere." in texts
    assert any("អង្ករ (angkor)" in text and "🌾" in text for text in texts)
    hard_wrapped = next(block for block in parsed.blocks if block.text.startswith("Farmers"))
    assert len(hard_wrapped.pieces) == 4
    assert hard_wrapped.text.endswith("risen sharply.\nTraders expect a recovery after the harvest.")
    assert parsed.marker is not None
    assert source[parsed.marker.span.start : parsed.marker.span.end] == "en"


NOT_TRANSLATED = {
    "jekyll_post.md": [
        "import pandas",
        "levels.describe",
        "curl -O",
        "{% include",
        "{% highlight",
        "Editor's note",
        "[mrc]:",
        'Mekong River Commission"',
        "factbox",
        "six countries",
        "photo rights",
        "layout",
        "Sokha Chan\n",
        "2024-03-14",
        "/assets/img/mekong-dam.jpg",
    ],
    "hugo_post.md": [
        "def occupancy",
        "booked / rooms",
        "{{< figure",
        "{{< highlight",
        "{{% notice",
        "indented code block",
        "angkor-visitors-return",
        "tourism, Cambodia",
        "/images/",
    ],
    "khmer_tables.md": ["SKU-22", "2,950", "\\frac", "👍🎉", "---"],
    "toml_post.md": ["multi-line summary", "Not configured", 'floods", "education'],
}


@pytest.mark.parametrize("name", sorted(NOT_TRANSLATED))
def test_code_tags_and_definitions_are_not_translated(name: str) -> None:
    source = read(name)
    texts = [block.text for block in parse_text(source).blocks]
    for needle in NOT_TRANSLATED[name]:
        assert needle in source
        assert not any(needle in text for text in texts), needle


def test_toml_front_matter() -> None:
    source = read("toml_post.md")
    parsed = parse_text(source)
    fields = [(block.context, block.text) for block in parsed.blocks if block.slot is Slot.YAML]
    assert fields == [
        ("title", "Floods close schools in Kandal"),
        ("description", "Classes move online for two weeks."),
        ("params.subtitle", "Read as params.subtitle"),
    ]
    rendered = render(source, parsed.blocks, new_text, marker=parsed.marker, lang="km")
    loaded = front_matter(rendered)
    assert loaded["lang"] == "km"
    assert loaded["params"]["teaser"] == "Not configured, so not read"
    assert loaded["params"]["subtitle"].startswith(KHMER)
    assert loaded["title"].startswith(KHMER)


# -- language marker -------------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        pytest.param("title: T\nlang: en\n", "title: T\nlang: km\n", id="plain"),
        pytest.param('lang: "en-US"\ntitle: T\n', "lang: km\ntitle: T\n", id="quoted"),
        pytest.param("title: T\nlang:\n", "title: T\nlang: km\n", id="empty"),
        pytest.param("language: en\n", "language: km\n", id="language-key"),
        pytest.param("title: T\n", "title: T\nlang: km\n", id="inserted"),
        pytest.param("", "lang: km\n", id="empty-front-matter"),
    ],
)
def test_language_marker(front: str, expected: str) -> None:
    source = f"---\n{front}---\nBody text.\n"
    parsed = parse_text(source)
    assert (
        render(source, (), lambda block: None, marker=parsed.marker, lang="km") == f"---\n{expected}---\nBody text.\n"
    )


def test_no_front_matter_has_no_marker() -> None:
    assert parse_text("# Title\n\nText.\n").marker is None


# -- kinds and constructs --------------------------------------------------------


def kinds_and_texts(source: str, options: ReadOptions | None = None) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in parse_text(source, options).blocks]


def test_first_h1_is_title_without_front_matter_title() -> None:
    source = "# Floods in Kandal\n\nText.\n\n# Second\n"
    assert kinds_and_texts(source)[0] == (BlockKind.TITLE, "Floods in Kandal")
    assert kinds_and_texts(source)[2] == (BlockKind.HEADING, "Second")
    with_title = "---\ntitle: Floods\n---\n# Floods in Kandal\n"
    assert kinds_and_texts(with_title)[1] == (BlockKind.HEADING, "Floods in Kandal")


def test_headings_keep_markers_out() -> None:
    source = "## C# news in brief ##\n\nA setext heading\nover two lines\n---\n"
    blocks = parse_text(source).blocks
    assert [block.text for block in blocks] == ["C# news in brief", "A setext heading\nover two lines"]
    assert len(blocks[1].pieces) == 2


def test_nested_containers_take_the_innermost_kind() -> None:
    source = "> - an item in a quote\n>   continued\n\n- > a quote in an item\n  > continued\n"
    assert kinds_and_texts(source) == [
        (BlockKind.LIST_ITEM, "an item in a quote\ncontinued"),
        (BlockKind.QUOTE, "a quote in an item\ncontinued"),
    ]


def test_lazy_continuation_and_hard_breaks() -> None:
    source = "> Quoted line  \nlazy line\\\n> back in\n"
    block = parse_text(source).blocks[0]
    assert block.text == "Quoted line\nlazy line\\\nback in"
    assert len(block.pieces) == 3


def test_tag_lines_inside_a_paragraph_are_split_out() -> None:
    source = 'Text before the figure.\n{% include figure.html caption="A river" %}\nText after it.\n'
    assert kinds_and_texts(source) == [
        (BlockKind.PARAGRAPH, "Text before the figure."),
        (BlockKind.CAPTION, "A river"),
        (BlockKind.PARAGRAPH, "Text after it."),
    ]


def test_multi_line_include_and_escaped_attributes() -> None:
    source = '{% include figure.html\n   image="/a.jpg"\n   caption="A river"\n   alt="A \\"quoted\\" boat" %}\n'
    assert kinds_and_texts(source) == [(BlockKind.CAPTION, "A river")]


def test_tag_attributes_follow_options() -> None:
    source = '{{< figure src="/a.jpg" caption="A river" alt="Boats" title="Dusk" >}}\n'
    assert [text for _, text in kinds_and_texts(source)] == ["A river", "Boats", "Dusk"]
    only_captions = ReadOptions(tag_attributes=("caption",))
    assert kinds_and_texts(source, only_captions) == [(BlockKind.CAPTION, "A river")]


def test_front_matter_keys_follow_options() -> None:
    source = "---\ntitle: T\nsummary: S\nteaser: Read this\n---\n"
    assert [block.context for block in parse_text(source).blocks] == ["title", "summary"]
    options = ReadOptions(front_matter_keys=("teaser",))
    assert kinds_and_texts(source, options) == [(BlockKind.FRONT_MATTER, "Read this")]


def test_front_matter_scalar_styles() -> None:
    source = (
        "---\n"
        "title: Plain title  # a comment\n"
        "summary: |\n  Line one.\n  Line two.\n\n\n"
        "description: 'It''s here'\n"
        "subtitle: !!str 2024\n"
        "caption: 12\n"
        "---\n"
    )
    blocks = parse_text(source).blocks
    assert [block.text for block in blocks] == ["Plain title", "Line one.\nLine two.\n", "It's here"]
    tokens = [source[block.pieces[0].start : block.pieces[0].end] for block in blocks]
    assert tokens == ["Plain title", "|\n  Line one.\n  Line two.", "'It''s here'"]
    rendered = render(source, blocks, lambda block: KHMER)
    loaded = yaml.safe_load(rendered.split("---\n")[1])
    assert loaded == {"title": KHMER, "summary": KHMER, "description": KHMER, "subtitle": "2024", "caption": 12}


def test_protected_spans() -> None:
    source = (
        'A <span class="x">tag</span>, `code. Here`, ![img. Alt](a.png "T. x"), <http://a.org/x.y>, '
        '{{ page.title }}, {% if a %}, {{< ref "a. b" >}}, {{% note %}}, [ref], [undefined] and [^1].\n\n'
        "[ref]: http://example.org\n"
    )
    block = parse_text(source).blocks[0]
    assert [block.text[span.start : span.end] for span in block.protected] == [
        '<span class="x">',
        "</span>",
        "`code. Here`",
        '![img. Alt](a.png "T. x")',
        "<http://a.org/x.y>",
        "{{ page.title }}",
        "{% if a %}",
        '{{< ref "a. b" >}}',
        "{{% note %}}",
        "[ref]",
        "[^1]",
    ]


def test_inline_raw_region_is_one_protected_span() -> None:
    block = parse_text("Use {% raw %}{{ x }}. Not prose.{% endraw %} here.\n").blocks[0]
    assert [block.text[span.start : span.end] for span in block.protected] == [
        "{% raw %}{{ x }}. Not prose.{% endraw %}"
    ]


def test_no_prose_paragraphs_are_skipped() -> None:
    source = (
        "![](a.png)\n\nhttps://example.org/a/b\n\n{{ site.url }}\n\n`just code`\n\n"
        "🎉 🎉\n\n&nbsp;\n\n<br>\n\n[![](badge.svg)](https://ci.example.org)\n\n2024\n\n$$ x^2 $$\n"
    )
    assert parse_text(source).blocks == ()


def test_alt_text_of_a_lone_image_is_an_attribute() -> None:
    source = "[![Flood map. Kandal](map.png)](https://example.org/map)\n"
    assert kinds_and_texts(source) == [(BlockKind.ATTRIBUTE, "Flood map. Kandal")]


def test_caption_only_right_after_an_image() -> None:
    source = "![A boat](b.png)\n\n*Photo: Reuters*\n\n*Not a caption*\n"
    assert kinds_and_texts(source) == [
        (BlockKind.ATTRIBUTE, "A boat"),
        (BlockKind.CAPTION, "*Photo: Reuters*"),
        (BlockKind.PARAGRAPH, "*Not a caption*"),
    ]


def test_caption_after_a_figure_tag_or_on_the_image_paragraph() -> None:
    source = (
        '{{< figure src="/a.jpg" >}}\n\n_Photo: AP_\n\n'
        "![A boat](b.png)\n**Photo: Reuters**\n\n"
        "{{< youtube id >}}\n\n*Not one*\n"
    )
    assert kinds_and_texts(source) == [
        (BlockKind.CAPTION, "_Photo: AP_"),
        (BlockKind.ATTRIBUTE, "A boat"),
        (BlockKind.CAPTION, "**Photo: Reuters**"),
        (BlockKind.PARAGRAPH, "*Not one*"),
    ]


def test_table_in_a_quote() -> None:
    source = "> | Town | People |\n> |---|---|\n> | Ta Khmau | 75,000 |\n"
    assert [text for _, text in kinds_and_texts(source)] == ["Town", "People", "Ta Khmau"]


def test_gfm_table_without_outer_pipes() -> None:
    source = "Town | Note\n--- | ---\nTa Khmau | Capital of Kandal\n"
    assert [text for _, text in kinds_and_texts(source)] == ["Town", "Note", "Ta Khmau", "Capital of Kandal"]


def test_code_regions_pass_through() -> None:
    source = (
        '{{< highlight go >}}\nfmt.Println("Hello. World.")\n\nSecond paragraph of code.\n{{< /highlight >}}\n\n'
        "{% raw %}\nLiquid {{ kept }} as is.\n{% endraw %}\n\n"
        "$$\nx = y. Not prose.\n$$\n\n"
        "<div>\nHTML block text.\n</div>\n\n"
        "~~~\nfenced\n~~~\n\n"
        "Real text.\n"
    )
    assert kinds_and_texts(source) == [(BlockKind.PARAGRAPH, "Real text.")]


def test_unclosed_code_region_opens_nothing() -> None:
    source = "{% highlight ruby %}\n\nText after an unclosed tag.\n"
    assert kinds_and_texts(source) == [(BlockKind.PARAGRAPH, "Text after an unclosed tag.")]


def test_stray_carriage_return_and_nul() -> None:
    source = "Line one\rstill one.\nLine two\x00.\r\n\nNext.\n"
    blocks = parse_text(source).blocks
    assert blocks[0].text == "\n".join(source[piece.start : piece.end] for piece in blocks[0].pieces)
    assert render(source, blocks, lambda block: block.text) == source
    assert blocks[-1].text == "Next."


def test_zero_width_bidi_and_emoji() -> None:
    source = "\u200bWord\u200b joiner\u200d and \u202eRTL override\u202c, emoji 👩‍👩‍👧 👍🏽.\n\n# \U0001f30f World\n"
    blocks = parse_text(source).blocks
    assert blocks[0].text == source.split("\n")[0]
    assert blocks[1].kind is BlockKind.TITLE and blocks[1].text == "\U0001f30f World"
    rendered = render(source, blocks, shout)
    assert [block.text for block in parse_text(rendered).blocks] == [shout(block) for block in blocks]


# -- empty, minimal and malformed input ------------------------------------------


@pytest.mark.parametrize("source", ["", "\n", "   \n\n", "---\n---\n", "---\n---"], ids=repr)
def test_empty_documents(source: str) -> None:
    assert parse_text(source).blocks == ()


def test_document_with_only_front_matter() -> None:
    source = "---\ntitle: Only a title\n---"
    parsed = parse_text(source)
    assert [(block.kind, block.text) for block in parsed.blocks] == [(BlockKind.FRONT_MATTER, "Only a title")]
    assert render(source, parsed.blocks, lambda block: "T", marker=parsed.marker, lang="km") == (
        '---\ntitle: "T"\nlang: km\n---'
    )


def test_json_front_matter_passes_through() -> None:
    source = '{\n  "title": "Not read"\n}\n\nBody.\n'
    assert kinds_and_texts(source) == [(BlockKind.PARAGRAPH, "Body.")]


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        pytest.param("---\ntitle: ok\nsummary: [unclosed\n---\nBody\n", 4, "not valid YAML", id="unclosed-flow"),
        pytest.param("---\ntitle: a: b\n---\n", 2, "not valid YAML", id="colon"),
        pytest.param('---\ntitle: "x\n---\n', 3, "not valid YAML", id="unclosed-quote"),
        pytest.param("---\ntitle: a\x01b\n---\n", 2, "not valid YAML", id="control-char"),
        pytest.param("---\ntitle: x\n\nBody\n", 1, "not terminated", id="unterminated"),
        pytest.param("+++\ntitle = 'x'\n", 1, "not terminated", id="unterminated-toml"),
        pytest.param("---\n- a\n- b\n---\n", 2, "not a mapping", id="list"),
        pytest.param("---\njust text\n---\n", 2, "not a mapping", id="scalar"),
        pytest.param("---\nbase: &b x\ntitle: *b\n---\n", 3, "aliases", id="alias"),
        pytest.param("+++\ntitle = \n+++\n", 2, "not valid TOML", id="toml"),
        pytest.param("---\nx: " + "[" * 200 + "]" * 200 + "\n---\n", 2, "nested too deeply", id="deep"),
    ],
)
def test_malformed_front_matter(source: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_text(source)
    error = raised.value
    assert words in error.message
    assert error.line == line
    assert error.path == "article.md"
    assert error.hint
    assert str(error).startswith(f"article.md:{line}: ")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{previous}" for _ in range(9)) + "]")
    source = "---\n" + "\n".join(lines) + "\n---\nBody\n"
    started = time.perf_counter()
    with pytest.raises(InputError, match="aliases; write the values out"):
        parse_text(source)
    assert time.perf_counter() - started < 30  # the alias bomb is refused before anything expands


# -- size ------------------------------------------------------------------------


def test_one_megabyte_paragraph() -> None:
    sentence = 'Mr. Hun said [the plan](http://example.org/plan "Plan. B") costs `$5. m` <b>now</b>. '
    source = sentence * (1_000_000 // len(sentence))
    started = time.perf_counter()
    blocks = parse_text(source + "\n").blocks
    assert time.perf_counter() - started < 120  # a quadratic blow-up takes hours; this only catches that
    assert len(blocks) == 1 and blocks[0].text == source.rstrip()
    protected = [blocks[0].text[span.start : span.end] for span in blocks[0].protected]
    count = len(source) // len(sentence)
    assert protected == ['[the plan](http://example.org/plan "Plan. B")', "`$5. m`", "<b>", "</b>"] * count


@pytest.mark.parametrize(
    "text",
    [
        "[" * 1_000_000,
        "[a](" * 250_000,
        "[a][" * 250_000,
        "![" * 500_000,
        "{{" * 500_000,
        "{% " * 330_000,
        "{{<" * 330_000,
        '<a title="' * 100_000,
        "<" * 1_000_000,
        "".join("`" * (index % 1000 + 1) + "x" for index in range(2000)),
        "http://" + "a" * 1_000_000,
        "a(" * 500_000,
        "![Flood](a.png)\nText line.\n" * 40_000,
        "{% include x.html caption='A' %}\n" * 30_000,
        "> line\n" * 140_000,
    ],
    ids=lambda text: repr(text[:6]),
)
def test_adversarial_megabyte_lines_stay_linear(text: str) -> None:
    started = time.perf_counter()
    parse_text(text + "\n")
    assert time.perf_counter() - started < 120  # a quadratic blow-up takes hours; this only catches that


@pytest.mark.parametrize(
    "source",
    ["---\nlang: [en, km]\n---\n", '+++\nlang = ["en"]\n+++\n'],
    ids=["yaml-list", "toml-array"],
)
def test_language_key_that_cannot_be_rewritten_gives_no_marker(source: str) -> None:
    assert parse_text(source).marker is None


def test_toml_language_goes_before_the_first_table() -> None:
    source = '+++\ntitle = "T"\n[params]\nsubtitle = "S"\n+++\n'
    parsed = parse_text(source)
    rendered = render(source, parsed.blocks, lambda block: None, marker=parsed.marker, lang="km")
    assert front_matter(rendered) == {"title": "T", "lang": "km", "params": {"subtitle": "S"}}


def _composed_values(source: str, keys: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(key, value, source text) of the translatable string values, found by composing the whole YAML tree."""
    inside = source.split("---\n", 2)[1]
    offset = len("---\n")
    found = []
    for key_node, value_node in yaml.compose(inside, Loader=yaml.SafeLoader).value:
        if key_node.value not in keys:
            continue
        items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for item in items:
            if isinstance(item, yaml.ScalarNode) and item.tag == "tag:yaml.org,2002:str":
                token = inside[item.start_mark.index : item.end_mark.index].rstrip()
                found.append((key_node.value, item.value, source[offset + item.start_mark.index :][: len(token)]))
    return found


def test_large_front_matter_reads_the_values_of_its_keys() -> None:
    filler = [f"key{index}: value {index}, with words\nlist{index}: [a, {{b: c}}]" for index in range(5000)]
    wanted = (
        'title: "The \\"title\\" 🎉"\nlang: en\nsummary: [Plain one, \'Quoted: two\', 42, {nested: map}, [deep]]\n'
        "description: |\n  Literal block,\n  two lines.\ncaption: 2026-11-26\nsubtitle: ~\n? [complex, key]\n: value\n"
    )
    source = "---\n" + "\n".join(filler[:2500]) + "\n" + wanted + "\n".join(filler[2500:]) + "\n---\n\nBody.\n"
    parsed = parse_text(source)
    blocks = [(b.context, b.text, source[b.pieces[0].start : b.pieces[0].end]) for b in parsed.blocks if b.kind is BlockKind.FRONT_MATTER]
    assert blocks == _composed_values(source, ReadOptions().front_matter_keys)
    assert [text for _, text, _ in blocks] == ['The "title" 🎉', "Plain one", "Quoted: two", "Literal block,\ntwo lines.\n"]
    assert parsed.marker is not None and source[parsed.marker.span.start : parsed.marker.span.end] == "en"


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        pytest.param("---\ntitle: a\n--- b\n---\n", 3, "more than one document", id="two-documents"),
        pytest.param("---\n? [a, *x]\n: b\n---\n", 2, "aliases", id="alias-in-skipped-key"),
        pytest.param("---\nother: {a: [b, c}\n---\n", 2, "not valid YAML", id="error-in-skipped-value"),
    ],
)
def test_errors_anywhere_in_front_matter_are_found(source: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_text(source)
    assert words in raised.value.message and raised.value.line == line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title: T\ndate: 2026-11-26\n", __import__("datetime").date(2026, 11, 26)),
        ("date: 2026-11-26 09:30:00\n", __import__("datetime").datetime(2026, 11, 26, 9, 30)),
        ('date: "26 November"\n', "26 November"),
        ("other: 1\n", None),
        ("date: [2026]\n", None),
        ("date: [unclosed\n", None),
        ("- a list\n", None),
        ("", None),
    ],
    ids=["date", "datetime", "string", "missing", "not-a-scalar", "invalid", "not-a-mapping", "empty"],
)
def test_top_level_scalar(text: str, expected: object) -> None:
    from translate.formats.frontmatter import top_level_scalar

    assert top_level_scalar(text, "date") == expected
