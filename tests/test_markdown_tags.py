"""Liquid tags and Hugo shortcodes as real Jekyll and Hugo posts write them.

A tag is one skeleton unit whatever its layout (blank lines, tab-indented
attributes, whitespace control); its configured prose attributes are catalog
entries with their kind, and publishing leaves every tag, URL and image path
of the source in place.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from pathlib import Path

import polib
import pytest

from conftest import DATA, FROZEN_NOW, msgfmt_check
from translate.publish import PublishOptions
from translate.api import Workspace, extract, publish
from translate.article import BlockKind, Slot
from translate.catalog.store import render_catalog, write_atomic
from translate.config import DEFAULT_TAG_ATTRIBUTES, ReadOptions
from translate.formats.markdown import parse
from translate.languages import language
from translate.load import load_article

KM = language("km")
MARKDOWN = DATA / "markdown"
SITE_POSTS = ("jekyll_election_photos.md", "jekyll_budget_liquid.md", "hugo_floods_shortcodes.md", "hugo_toml_exports.md")
TAB = "\t"

#: Template constructs as a test reads them, independently of the reader: Liquid
#: tags and output, shortcodes (non-greedy, over any lines).
TEMPLATE = re.compile(r"\{%.*?%\}|\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{\{.*?\}\}", re.DOTALL)
PROSE_VALUE = re.compile(r"""(?<![\w-])(%s)(\s*=\s*)(["'])(.*?)\3""" % "|".join(DEFAULT_TAG_ATTRIBUTES), re.DOTALL)
URL_OR_PATH = re.compile(r"""https?://[^\s)"'>\]]+|(?<![\w.])/?[\w./-]+\.(?:jpg|jpeg|png|gif|pdf|csv|md)\b""")
#: What a translation keeps as it is: code, Liquid comments, tags, link destinations, URLs, HTML, entities, IALs, footnotes.
MARKUP = re.compile(
    r"`[^`]*`|\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}|\{%.*?%\}|\{\{.*?\}\}|\]\([^)]*\)|\]\[[^\]]*\]|<[^>]*>|https?://\S+|\{:[^}]*\}|\[\^[^\]]*\]|&\w+;",
    re.DOTALL,
)


def parse_text(source: str, options: ReadOptions | None = None):
    return parse(source, options or ReadOptions(), "post.md")


def kinds_and_texts(source: str, options: ReadOptions | None = None) -> list[tuple[BlockKind, str]]:
    return [(block.kind, block.text) for block in parse_text(source, options).blocks]


def khmerish(msgid: str) -> str:
    """A stand-in translation: every run of Latin letters outside markup becomes Khmer, markup stays."""
    parts = []
    position = 0
    for match in MARKUP.finditer(msgid):
        parts.append(re.sub(r"[A-Za-z]+", "ខ្មែរ", msgid[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(re.sub(r"[A-Za-z]+", "ខ្មែរ", msgid[position:]))
    return "".join(parts)


def skeleton_tags(text: str) -> Counter[str]:
    """The template constructs of a text, prose attribute values blanked, white space collapsed."""
    found = Counter()
    for tag in TEMPLATE.findall(text):
        blanked = PROSE_VALUE.sub(lambda match: match.group(1) + match.group(2) + match.group(3) * 2, tag)
        found[" ".join(blanked.split())] += 1
    return found


# -- multi-line tags -----------------------------------------------------------


def test_include_over_blank_and_tab_indented_lines_is_one_unit() -> None:
    source = (
        "Voters came early.\n\n"
        "{% include photo.html\n\n"
        f'{TAB}file="/img/a.jpg"\n'
        f'{TAB}caption="Voters queue outside a polling station."\n\n'
        "%}\n\n"
        "More text here.\n"
    )
    blocks = parse_text(source).blocks
    assert [(block.kind, block.text, block.comment) for block in blocks] == [
        (BlockKind.PARAGRAPH, "Voters came early.", None),
        (BlockKind.CAPTION, "Voters queue outside a polling station.", "caption of {% include photo.html %}"),
        (BlockKind.PARAGRAPH, "More text here.", None),
    ]
    assert blocks[1].slot is Slot.TAG_ATTRIBUTE


@pytest.mark.parametrize(
    "tag",
    [
        pytest.param('{%- include photo.html\n\n   caption="A river at dusk"\n\n-%}', id="whitespace-control"),
        pytest.param('{{< figure\n    src="/a.jpg"\n\n    caption="A river at dusk"\n>}}', id="shortcode"),
        pytest.param('{{% figure\n\n\tcaption="A river at dusk" %}}', id="percent-shortcode"),
        pytest.param('{% include_cached photo.html\n\n\n\n\tcaption="A river at dusk"\n\n\n%}', id="many-blank-lines"),
        pytest.param('{% photo /a.jpg\n\n  caption="A river at dusk" %}', id="plugin-tag"),
    ],
)
def test_multi_line_tag_layouts(tag: str) -> None:
    source = f"Before the photo.\n\n{tag}\n\n    After the photo, indented after a blank line.\n"
    kinds = kinds_and_texts(source)
    assert kinds[1] == (BlockKind.CAPTION, "A river at dusk")
    assert kinds[0] == (BlockKind.PARAGRAPH, "Before the photo.")
    assert len(kinds) == 2  # the indented line after the tag is a code block, as in Jekyll and Hugo


def test_include_of_a_variable_file_over_several_lines() -> None:
    [block] = parse_text('{% include {{ page.photo_include }}\n\n\tcaption="A river at dusk" %}\n').blocks
    assert (block.text, block.comment) == ("A river at dusk", "caption of {% include {{ page.photo_include }} %}")


def test_tag_inside_a_list_item_and_a_quote() -> None:
    source = (
        "- First item.\n"
        "  {% include photo.html\n\n"
        '     caption="In a list" %}\n'
        "- Second item.\n\n"
        "> Quoted text.\n"
        "> {{< figure\n"
        ">\n"
        '>     caption="In a quote" >}}\n'
    )
    assert kinds_and_texts(source) == [
        (BlockKind.LIST_ITEM, "First item."),
        (BlockKind.CAPTION, "In a list"),
        (BlockKind.LIST_ITEM, "Second item."),
        (BlockKind.QUOTE, "Quoted text."),
        (BlockKind.CAPTION, "In a quote"),
    ]


def test_caption_over_several_lines() -> None:
    source = '{% include photo.html\n    caption="Voters queue outside\n    a polling station." %}\n'
    [block] = parse_text(source).blocks
    assert block.text == "Voters queue outside\n    a polling station."
    assert source[block.pieces[0].start : block.pieces[0].end] == block.text
    rendered = source[: block.pieces[0].start] + "ក ខ" + source[block.pieces[0].end :]
    assert kinds_and_texts(rendered) == [(BlockKind.CAPTION, "ក ខ")]


def test_multi_line_output_tag_and_capture_are_skeleton() -> None:
    source = (
        "{% capture note %}\nPolls close at 3 p.m.\n{% endcapture %}\n\n"
        '{{ page.note\n\n   | default: "No note" }}\n\n'
        "Text after.\n"
    )
    assert kinds_and_texts(source) == [
        (BlockKind.PARAGRAPH, "Polls close at 3 p.m."),
        (BlockKind.PARAGRAPH, "Text after."),
    ]


def test_if_block_spanning_paragraphs() -> None:
    source = (
        "{% if page.live %}\nThe count is live.\n\nRefresh for updates.\n{% else %}\nThe count is over.\n{% endif %}\n"
    )
    assert [text for _, text in kinds_and_texts(source)] == [
        "The count is live.",
        "Refresh for updates.",
        "The count is over.",
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            '{% include photo.html caption="Missing its end"\n\nA paragraph.\n\n{% include x.html %}\n', id="unclosed-include"
        ),
        pytest.param("{{ page.title\n\nA paragraph.\n\n{{ page.date }}\n", id="unclosed-output"),
        pytest.param("{{< figure src=a.jpg\n\nA paragraph.\n\n{{< /figure >}}\n", id="unclosed-shortcode"),
        pytest.param("{% include x.html\n\nA paragraph.\n\n```\ncode\n```\n%}\n", id="code-fence-inside"),
    ],
)
def test_an_unclosed_tag_does_not_swallow_paragraphs(source: str) -> None:
    assert "A paragraph." in [text for _, text in kinds_and_texts(source)]


def test_kramdown_attribute_list_never_spans_lines() -> None:
    source = "{: .lead\n\nA paragraph.\n\n}\n"
    assert "A paragraph." in [text for _, text in kinds_and_texts(source)]


def test_pipes_inside_liquid_do_not_split_table_cells() -> None:
    source = '| Party | Seats |\n| --- | --- |\n| {{ "CPP" | upcase }} wins | {{ page.seats | default: 9 }} |\n'
    texts = [text for _, text in kinds_and_texts(source)]
    assert texts == ["Party", "Seats", '{{ "CPP" | upcase }} wins']


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("## How the vote works {#how}\n", "How the vote works"),
        ("## How the vote works {: .lead #how}\n", "How the vote works"),
        ("How the vote works {#how}\n---\n", "How the vote works"),
        ("## Sets {a, b} and {c}\n", "Sets {a, b} and {c}"),
    ],
)
def test_heading_ids_stay_out_of_headings(source: str, expected: str) -> None:
    assert kinds_and_texts(source) == [(BlockKind.HEADING, expected)]


def test_kramdown_list_attribute_list_stays_out_of_the_item() -> None:
    source = "- One item.\n- Two items.\n{: .checklist}\n"
    assert kinds_and_texts(source) == [(BlockKind.LIST_ITEM, "One item."), (BlockKind.LIST_ITEM, "Two items.")]


# -- attributes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("caption", BlockKind.CAPTION),
        ("cutline", BlockKind.CAPTION),
        ("alt", BlockKind.ATTRIBUTE),
        ("title", BlockKind.ATTRIBUTE),
        ("quote", BlockKind.QUOTE),
        ("quotation", BlockKind.QUOTE),
        ("attribution", BlockKind.ATTRIBUTE),
        ("headline", BlockKind.HEADING),
        ("hedline", BlockKind.HEADING),
        ("dek", BlockKind.HEADING),
        ("description", BlockKind.ATTRIBUTE),
        ("summary", BlockKind.ATTRIBUTE),
    ],
)
def test_default_prose_attributes_and_their_kinds(name: str, kind: BlockKind) -> None:
    source = f'{{% include card.html url="/a/b.html"\n\n  {name}="Floods close schools" %}}\n'
    [block] = parse_text(source).blocks
    assert (block.kind, block.text, block.comment) == (kind, "Floods close schools", f"{name} of {{% include card.html %}}")


@pytest.mark.parametrize("name", ["credit", "attr", "src", "file", "url", "id", "class", "source"])
def test_names_and_paths_are_not_prose_by_default(name: str) -> None:
    assert kinds_and_texts(f'{{{{< figure {name}="Heng Sinith AP" >}}}}\n') == []


def test_configured_attributes_replace_the_defaults() -> None:
    source = '{% include photo.html legend="A river" photo_caption="Dusk" caption="Boats" credit="Jane Doe" %}\n'
    options = ReadOptions(tag_attributes=("legend", "photo_caption", "credit"))
    assert kinds_and_texts(source, options) == [
        (BlockKind.CAPTION, "A river"),
        (BlockKind.CAPTION, "Dusk"),
        (BlockKind.ATTRIBUTE, "Jane Doe"),
    ]


def test_liquid_builtin_tags_have_no_prose_attributes() -> None:
    source = '{% assign title = "Floods close schools" %}\n{% render "card", title="Floods" %}\n{% endphoto title="x" %}\n'
    assert kinds_and_texts(source) == []


def test_attribute_kind_reaches_the_catalog_comment(workdir: Path) -> None:
    article = workdir / "pull.md"
    article.write_text(
        '---\ntitle: Pull quote\n---\n\n{% include pullquote.html\n\n\tquote="We came early."\n\tattribution="Chan Dara, a voter"\n%}\n',
        encoding="utf-8",
    )
    [result] = extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    entries = {entry.msgid: entry.comment for entry in polib.pofile(str(result.template))}
    assert entries["We came early."] == "quote: quote of {% include pullquote.html %}"
    assert entries["Chan Dara, a voter"] == "attribute: attribution of {% include pullquote.html %}"


# -- the site fixtures -----------------------------------------------------------

#: Text of each fixture that no block may hold: tags, paths, names, code.
NOT_TRANSLATED = {
    "jekyll_election_photos.md": [
        "include photo.html",
        "/img/2022/06/queue.jpg",
        "Heng Sinith/AP",
        "file=",
        "lead_photo",
        "Editors: confirm",
        "{: .checklist}",
        "how-it-works",
        "results-table.html",
        "/data/2022-commune.csv",
        "Sokunthea Hean",
        "@sokunthea",
    ],
    "hugo_floods_shortcodes.md": [
        "{{< figure",
        "Photo: Kong Vuthy",
        "kampong-chhnang.jpg",
        "Srey Mom, rice farmer",
        "dQw4w9WgXcQ",
        "Highest since 2013",
        "Vuthy Kong",
        "images/boat.jpg",
        "{{% notice",
        "{{< /details >}}",
    ],
    "jekyll_budget_liquid.md": [
        "toc.html",
        "callout.html",
        'type="note"',
        "lede | markdownify",
        "{: .lead}",
        "sectors.sum",
        "Mr. Smith",
        "Spending by sector, 2023-2025",
        "chart_caption",
        "{{ site.cdn }}",
        "Ministry of Economy and Finance",
        "mef.gov.kh",
        "item in page.sources",
        "related.md",
    ],
    "hugo_toml_exports.md": [
        "Ministry of Commerce",
        "chart-exports.png",
        "factory-floor.jpg",
        "[trade]",
        "{{% notice tip %}}",
    ],
}


@pytest.mark.parametrize("name", SITE_POSTS)
def test_tags_paths_and_names_are_not_translated(name: str) -> None:
    source = (MARKDOWN / name).read_text(encoding="utf-8")
    texts = [block.text for block in parse_text(source, ReadOptions(front_matter_keys=SITE_KEYS)).blocks]
    for needle in NOT_TRANSLATED[name]:
        assert needle in source
        assert not any(needle in text for text in texts), needle


#: (``#.`` comment, msgid) entries each fixture's catalog must hold.
EXPECTED_ENTRIES = {
    "jekyll_election_photos.md": [
        ("front matter: title", "Polls close in commune elections as turnout tops 80 percent"),
        ("front matter: image.alt", "Voters line up at a school in Phnom Penh"),
        ("caption: caption of {% include photo.html %}", "Voters queue outside a polling station in Chbar Ampov district."),
        ("attribute: alt of {% include photo.html %}", "Election officials count ballots by lamplight"),
        ("caption: caption of {% include photo.html %}", "Officials count ballots at a school in Kandal province."),
        ("heading", "How the vote works"),
        ("list item", 'Results are final after {{ site.data.nec.appeal_days | default: "five" }} days.'),
        ("paragraph", "The provisional results will be published here on Monday morning."),
        ("attribute: title of {% include results-table.html %}", "Provisional results by province"),
        ("paragraph", "Results are not yet available."),
        ("quote: quote of {% include pullquote.html %}", "We came early because we wanted our voices to be counted."),
        ("attribute: attribution of {% include pullquote.html %}", "Chan Dara, a voter in Takeo"),
        ("caption: caption of {% include figure.html %}", "Map: communes won by each party in 2017."),
        ("caption", "*Source: National Election Committee*"),
    ],
    "jekyll_budget_liquid.md": [
        ("front matter: image.alt", "Lawmakers raise their hands during a vote at the National Assembly"),
        ("front matter: image.caption", "The vote took less than an hour."),
        ("heading: headline of {% include callout.html %}", "What the budget pays for"),
        ("attribute: description of {% include callout.html %}", "Figures from the finance ministry."),
        (
            "paragraph",
            '"People cannot eat asphalt," one lawmaker said{% if page.show_names %}, naming '
            '{{ page.speaker | default: "a member of the committee" }}{% endif %}.',
        ),
        ("list item", 'Source: [{{ item.name }}]({{ item.url }}){:target="_blank"}'),
        ("attribute: title of {% include_relative related.md %}", "More on the budget"),
        ("caption", "*Finance Minister Aun Pornmoniroth presents the budget.*"),
    ],
    "hugo_floods_shortcodes.md": [
        ("front matter: params.summary", "Water levels on the Tonle Sap are the highest in a decade."),
        ("front matter: resources.title", "Families move their belongings by boat."),
        ("front matter: resources.title", "A school used as a shelter."),
        ("caption: caption of {{< figure >}}", "Residents wade through floodwater in Kampong Chhnang town."),
        ("attribute: alt of {{< figure >}}", "People walking through brown water between houses"),
        ("paragraph", "Roads 5 and 6 are closed north of **Kampong Chhnang**."),
        ("paragraph", "The water came in one night."),
        ("attribute: summary of {{< details >}}", "How the lake works"),
        ("attribute: alt of {{< img >}}", "A flooded pagoda"),
        ("attribute: alt of {{< img >}}", "Children on a raft"),
        ("paragraph", "Donations can be made through the [Cambodian Red Cross](https://redcross.org.kh/)."),
    ],
    "hugo_toml_exports.md": [
        ("front matter: description", "Factories report new orders from Europe and the United States."),
        ("front matter: params.summary", "Exports of garments, footwear and travel goods rose 11 percent in January."),
        ("front matter: resources.title", "Monthly garment exports, 2022-2024"),
        ("attribute: title of {{< figure >}}", "Exports by month"),
        ("caption: caption of {{< figure >}}", "Garment exports, in millions of dollars."),
        ("table cell", '{{< abbr "RoW" >}} Rest of the world'),
    ],
}

#: Front-matter keys of the fixtures, Hugo's nested ones included.
SITE_KEYS = ReadOptions().front_matter_keys + ("resources.title", "params.hero.alt")


def site_workspace(workdir: Path) -> Workspace:
    from dataclasses import replace

    return Workspace(locales=workdir / "locales", read=replace(ReadOptions(), front_matter_keys=SITE_KEYS))


@pytest.mark.parametrize("name", SITE_POSTS)
def test_site_post_catalog(name: str, workdir: Path) -> None:
    article = workdir / name
    shutil.copyfile(MARKDOWN / name, article)
    [result] = extract([article], [KM], site_workspace(workdir), now=FROZEN_NOW)
    assert result.error is None, result.error
    msgfmt_check(result.template)
    msgfmt_check(result.catalogs[0].path)
    po = polib.pofile(str(result.template))
    entries = {(note, entry.msgid) for entry in po for note in entry.comment.split("; ")}
    missing = [entry for entry in EXPECTED_ENTRIES[name] if entry not in entries]
    assert not missing, missing
    for entry in po:
        # No fragment of a tag reaches the catalog: each tag in a msgid is whole.
        outside = TEMPLATE.sub(" ", entry.msgid)
        for fragment in ("{%", "%}", "{{", "}}", "include", "file=", "src=", "credit=", "/img/", "/images/", "endif", "dQw4w9WgXcQ"):
            assert fragment not in outside, entry.msgid


@pytest.mark.parametrize("name", SITE_POSTS)
def test_site_post_translated_keeps_every_tag_url_and_path(name: str, workdir: Path) -> None:
    article = workdir / name
    shutil.copyfile(MARKDOWN / name, article)
    workspace = site_workspace(workdir)
    [result] = extract([article], [KM], workspace, now=FROZEN_NOW)
    po = polib.pofile(str(result.catalogs[0].path))
    for entry in po:
        entry.msgstr = khmerish(entry.msgid)
        assert entry.msgstr != entry.msgid
    write_atomic(result.catalogs[0].path, render_catalog(po))
    msgfmt_check(result.catalogs[0].path)
    # Checks off: the stand-in fill repeats words, which the loop check would withhold.
    [published] = publish([article], KM, workdir / "out", workspace, PublishOptions(checks=False))
    assert published.error is None, published.error
    assert published.translated == published.sentences > 0
    source = (MARKDOWN / name).read_text(encoding="utf-8")
    output = published.output.read_text(encoding="utf-8")
    assert skeleton_tags(output) == skeleton_tags(source)
    assert Counter(URL_OR_PATH.findall(output)) == Counter(URL_OR_PATH.findall(source))
    # Every caption went in translated, inside its tag.
    for entry in po:
        if "of {%" in entry.comment or "of {{<" in entry.comment:
            assert entry.msgstr in output, entry.msgstr
            assert entry.msgid not in output, entry.msgid
    # Read again, the published post has the same blocks, all of them translated.
    again = load_article(published.output, workspace.read)
    assert len(again.blocks) == len(load_article(article, workspace.read).blocks)
    assert not [block.text for block in again.blocks if re.search("[A-Za-z]{4}", _prose(block.text))]


def _prose(text: str) -> str:
    return MARKUP.sub(" ", text)


# -- linear time -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{% include x.html\n\n" * 20_000 + "%}",
        "{{\n" * 100_000 + "}}",
        "{{<\n\n" * 30_000 + ">}}",
        "{% a\n```\n" * 30_000 + "%}",
        "{:\n" * 100_000 + "}",
        '{% include x.html\n\n\tcaption="A"\n\n%}\n' * 10_000,
    ],
    ids=lambda text: repr(text[:8]),
)
def test_adversarial_multi_line_tags_stay_linear(text: str) -> None:
    started = time.perf_counter()
    parse_text(text + "\n")
    assert time.perf_counter() - started < 60  # a quadratic blow-up takes hours; this only catches that
