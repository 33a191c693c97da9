"""Whole news pages: the article is translated, the page around it stays byte for byte."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from conftest import FROZEN_NOW, msgfmt_check, page_fixtures
from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog, write_atomic
from translate.cli import cli
from translate.config import ReadOptions
from translate.errors import ConfigError, InputError
from translate.eval.content import read_reference, score_page
from translate.formats.html import _Reader, parse
from translate.formats.html_select import html_settings, matching
from translate.languages import language
from translate.load import load_article
from translate.publish import PublishOptions
from translate.render import render
from translate.workspace.config import load_config
from translate.workspace.setup import read_options

PAGES = page_fixtures()
KM = language("km")


def documented(page: Path) -> ReadOptions:
    """The selectors documented for a page's layout (its reference's ``# include:``/``# exclude:``)."""
    reference = read_reference(page.with_suffix(".article.txt"))
    return ReadOptions(html_content="selectors", html_include=reference.include, html_exclude=reference.exclude)


MODES = {"auto": lambda page: ReadOptions(html_content="auto"), "selectors": documented}


def test_there_are_eight_pages_of_different_layouts() -> None:
    assert len(PAGES) >= 8
    for page in PAGES:
        reference = read_reference(page.with_suffix(".article.txt"))
        assert reference.lines and reference.include, page.name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_whole_pages_are_mostly_furniture(page: Path) -> None:
    """Without selection most entries are not the article: the fixtures are real pages."""
    score = score_page(load_article(page), read_reference(page.with_suffix(".article.txt")))
    assert not score.missed, score.missed
    assert score.share < 0.7, score.share


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_article_is_selected_with_auto_or_the_documented_selectors(page: Path) -> None:
    reference = read_reference(page.with_suffix(".article.txt"))
    scores = {name: score_page(load_article(page, options(page)), reference) for name, options in MODES.items()}
    passing = [name for name, score in scores.items() if score.share >= 0.9 and not score.missed]
    assert passing, {name: (f"{score.share:.0%}", score.missed, score.furniture) for name, score in scores.items()}
    assert not scores["selectors"].missed and scores["selectors"].share >= 0.9


def test_auto_finds_the_article_on_most_pages() -> None:
    good = 0
    for page in PAGES:
        score = score_page(load_article(page, ReadOptions(html_content="auto")), read_reference(page.with_suffix(".article.txt")))
        good += score.share >= 0.9 and not score.missed
    assert good >= len(PAGES) - 1


def _fill(po_path: Path, fill) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = fill(entry.msgid)
    write_atomic(po_path, render_catalog(po))


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_publishing_changes_only_the_selection(page: Path, mode: str, workdir: Path) -> None:
    """Identity publishing is byte-exact; a full translation changes the selected blocks and nothing else."""
    options = MODES[mode](page)
    shutil.copyfile(page, workdir / page.name)
    article_path = workdir / page.name
    ws = Workspace(locales=workdir / "locales", read=options)
    [result] = extract([article_path], [KM], ws, now=FROZEN_NOW)
    assert result.error is None, result.error
    po_path = result.catalogs[0].path
    msgfmt_check(po_path)
    _fill(po_path, lambda msgid: msgid)
    [same] = publish([article_path], KM, workdir / "same", ws)
    source = load_article(article_path)
    marker = source.marker
    assert marker is not None
    expected = render(source.source, (), lambda block: None, marker=marker, lang=KM.code)  # lang and xml:lang set
    assert same.output.read_text(encoding="utf-8") == expected

    _fill(po_path, lambda msgid: f"ក{len(msgid)}ខ")
    # Checks off: the stand-in translations change numbers and drop markup, which the checks would withhold.
    [translated] = publish([article_path], KM, workdir / "out", ws, PublishOptions(checks=False))
    output = translated.output.read_text(encoding="utf-8")
    delta = 2 - len(marker.span)
    selected = sorted(block.pieces[0] for block in load_article(article_path, options).blocks)
    gaps, previous = [], 0
    for span in selected:  # the page between selected blocks, as published (language marker set)
        gaps.append(expected[previous : span.start + delta])
        previous = span.end + delta
    gaps.append(expected[previous:])
    position = 0
    for number, gap in enumerate(gaps):
        found = output.find(gap, position)
        assert found == position if number == 0 else found >= position, (number, gap[:80])
        position = found + len(gap)
    assert position == len(output)
    assert output.count("ក") >= len(polib.pofile(str(po_path)))


# Selectors on the reader's own elements

PAGE = """<!doctype html><html lang="en"><head><title>Floods | Times</title>
<meta name="description" content="Water is rising."></head><body>
<nav><ul><li><a href="/">Home</a><li><a href="/news">News</a></ul></nav>
<article><h1>Floods hit Kratie</h1><p>Water rose overnight. <a href="/more">Read more.</a></p>
<div class="share"><a href="#">Share on Facebook</a></div>
<p>Families moved to pagodas<div class="aside-note">Help line open</div></article>
<aside role="complementary"><p>Most read today</p><img alt="Sudoku puzzle" src="s.png"></aside>
<footer><p>&copy; 2025 Times</p></footer></body></html>"""


def texts(options: ReadOptions) -> list[str]:
    return [block.text for block in parse(PAGE, options, "page.html").blocks]


def test_include_keeps_the_elements_and_the_page_description() -> None:
    kept = texts(ReadOptions(html_content="selectors", html_include=("article",)))
    assert kept == [
        "Floods | Times",
        "Water is rising.",
        "Floods hit Kratie",
        'Water rose overnight. <a href="/more">Read more.</a>',
        '<a href="#">Share on Facebook</a>',
        "Families moved to pagodas",
        "Help line open",
    ]


def test_exclude_applies_in_every_mode_with_full_css() -> None:
    everything = texts(ReadOptions())
    assert "Most read today" in everything and "Sudoku puzzle" in everything
    without = texts(ReadOptions(html_exclude=("nav", "[role=complementary]", "footer", "div:is(.share)", "meta")))
    assert without == [t for t in everything if t not in {
        '<a href="/">Home</a>', '<a href="/news">News</a>', "Most read today", "Sudoku puzzle",
        "&copy; 2025 Times", '<a href="#">Share on Facebook</a>', "Water is rising.",
    }]  # fmt: skip
    has = texts(ReadOptions(html_content="selectors", html_include=("article > :has(a[href='/more'])",)))
    assert has == ["Floods | Times", "Water is rising.", 'Water rose overnight. <a href="/more">Read more.</a>']


def test_elements_end_where_the_reader_closes_them() -> None:
    reader = _Reader(PAGE, ReadOptions())
    reader.read()
    nodes = reader.tree.nodes()
    [p] = [nodes[i] for i in matching(nodes, ("article > p:last-of-type",))]
    assert PAGE[p.span.start : p.span.end] == "<p>Families moved to pagodas"  # closed by the <div>
    [li] = [nodes[i] for i in matching(nodes, ("li:first-child",))]
    assert PAGE[li.span.start : li.span.end] == '<li><a href="/">Home</a>'
    [img] = [nodes[i] for i in matching(nodes, ("img",))]
    assert PAGE[img.span.start : img.span.end] == '<img alt="Sudoku puzzle" src="s.png">'


def test_bad_settings_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"invalid CSS selector 'nav\[': .*at position 3"):
        parse(PAGE, ReadOptions(html_exclude=("nav[",)), "page.html")
    with pytest.raises(ConfigError, match="needs at least one include selector"):
        ReadOptions(html_content="selectors")
    with pytest.raises(ConfigError, match="unknown setting 'includes'"):
        html_settings({"includes": ["article"]}, path="translate.toml")
    assert html_settings({"include": ["article"]}) == {"html_content": "selectors", "html_include": ("article",), "html_exclude": ()}
    assert html_settings({"content": "auto", "include": ["x"]}, include=["main"])["html_include"] == ("main",)
    config = tmp_path / "translate.toml"
    config.write_text('[workspace]\nlanguages = ["km"]\n\n[html]\ncontent = "auto"\nexclude = [".share"]\n', encoding="utf-8")
    options = read_options(load_config(config))
    assert (options.html_content, options.html_exclude) == ("auto", (".share",))
    config.write_text('[workspace]\nlanguages = ["km"]\n\n[html]\nexclude = ["nav["]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert str(error.value).startswith(f"{config}: [html] exclude: invalid CSS selector 'nav['")
    assert "\n" not in str(error.value)


def test_auto_without_the_library_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "readability", None)
    with pytest.raises(InputError, match=r'page.html: finding the main content \(auto\) needs readability-lxml \(pip install "newsroom-translate\[html\]"'):
        parse(PAGE, ReadOptions(html_content="auto"), "page.html")


def test_cli_flags_and_the_html_table(workdir: Path) -> None:
    page = workdir / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["extract", "page.html", "--include", "article", "--exclude", ".share"])
    assert result.exit_code == 0, result.output
    assert "page.html: 7 sentences" in result.output
    (workdir / "translate.toml").write_text('[html]\ninclude = ["article"]\nexclude = [".share", ".aside-note"]\n', encoding="utf-8")
    result = runner.invoke(cli, ["extract", "page.html"])
    assert "page.html: 6 sentences" in result.output, result.output
    result = runner.invoke(cli, ["extract", "page.html", "--content", "all"])
    assert "page.html: 11 sentences" in result.output, result.output  # exclude applies to all
    result = runner.invoke(cli, ["extract", "page.html", "--exclude", "div["])
    assert result.exit_code == 2
    assert "Error: --exclude: invalid CSS selector 'div[': Malformed attribute selector at position 3" in result.output


@pytest.mark.parametrize(
    ("name", "source", "entries"),
    [
        ("teaser.html", '<ul><li><a href="/x">Floods rise in Kratie. </a></li><li>&nbsp;|&nbsp;</li></ul><p>Score <b>3-1</b></p><table><tr><td>22.8</td></tr></table>', ['<a href="/x">Floods rise in Kratie.', "Score <b>3-1</b>"]),
        ("image.md", "Water rose overnight. ![](flood.jpg)\n\n* * *\n\n| Level |\n| --- |\n| 22.8 |\n", ["Water rose overnight. ![](flood.jpg)", "Level"]),
        ("story.txt", "Floods in Kratie\n\nWater rose overnight. ...\n\n* * *\n\n2024\n", ["Floods in Kratie", "Water rose overnight. ..."]),
    ],
)
def test_entries_without_letters_never_reach_a_catalog(name: str, source: str, entries: list[str], workdir: Path) -> None:
    path = workdir / name
    path.write_text(source, encoding="utf-8")
    [result] = extract([path], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None, result.error
    assert [entry.msgid for entry in polib.pofile(str(result.template))] == entries
    _fill(result.catalogs[0].path, lambda msgid: msgid)
    [published] = publish([path], KM, workdir / "out", Workspace(locales=workdir / "locales"))
    text = published.output.read_text(encoding="utf-8")
    assert text.replace('lang="km"', "") == source.replace('lang="km"', "")
