"""The localized Markdown edition: plain-text and HTML articles as ``<slug>.<lang>.md`` for Hugo and Jekyll."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import polib
import pytest
import yaml
from click.testing import CliRunner
from conftest import DATA, FROZEN_NOW, SAMPLES, msgfmt_check
from markdown_it import MarkdownIt

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog, write_atomic
from translate.cli import cli
from translate.editions import EditionFormat
from translate.editions.localized_markdown import escape_text
from translate.languages import language
from translate.publish import PublishOptions

KM = language("km")
SAMPLE = SAMPLES / "phnompenhpost-justice-ministry.txt"


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _fill(po_path: Path, fill) -> None:
    po = polib.pofile(str(po_path))
    for index, entry in enumerate(po):
        entry.msgstr = fill(index, entry.msgid)
    write_atomic(po_path, render_catalog(po))
    msgfmt_check(po_path)


def _front_matter(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :].lstrip("\n")


@pytest.mark.parametrize(
    "text",
    [
        "1. Not a list",
        "2026) neither",
        "# not a heading",
        "> not a quote",
        "- not an item",
        "+ nor this",
        "*not emphasis* and _not_ either",
        "[not a link](http://example.org)",
        "<b>not a tag</b>",
        "`not code`",
        "AT&T and &amp; stay text",
        "back\\slash",
        "ក្រសួង *យុត្តិធម៌*",
    ],
)
def test_escaped_text_reads_as_itself(text: str) -> None:
    rendered = MarkdownIt("commonmark").render(escape_text(text))
    assert rendered.startswith("<p>"), rendered
    assert html.unescape(rendered[3:].rsplit("</p>", 1)[0]) == text


@pytest.mark.skipif(not SAMPLE.is_file(), reason="sample article not present")
def test_sample_article_publishes_as_khmer_markdown(workdir: Path) -> None:
    article = workdir / SAMPLE.name
    shutil.copyfile(SAMPLE, article)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [KM], ws, now=FROZEN_NOW)
    _fill(result.catalogs[0].path, lambda index, msgid: f"ប្រយោគទី{index} ({len(msgid)})។")
    [published] = publish([article], KM, workdir / "out", ws, PublishOptions(checks=False), edition_format=EditionFormat.MARKDOWN)  # stand-ins drop numbers
    assert published.error is None, published.error
    assert published.output == workdir / "out" / "phnompenhpost-justice-ministry.km.md"
    text = published.output.read_text(encoding="utf-8")
    front, body = _front_matter(text)
    assert front["title"] == "ប្រយោគទី0 (60)។"
    assert front["lang"] == "km" and front["translationKey"] == "phnompenhpost-justice-ministry"
    assert front["translation_status"].startswith("ការបកប្រែបានពិនិត្យរួច")
    tokens = MarkdownIt("commonmark").parse(body)
    kinds = [t.tag for t in tokens if t.type.endswith("_open")]
    assert kinds.count("h1") == 1 and "h2" not in kinds  # the title, printed twice on the page, once
    assert body.startswith("# ប្រយោគទី0 (60)។\n\n*ប្រយោគទី1")  # title, then the photo's caption in emphasis
    inline = [t for t in tokens if t.type == "inline"]
    assert inline[1].children[0].type == "em_open"
    paragraphs = [t for t in inline[2:]]
    assert len(paragraphs) == 13 and all(p.content.startswith("ប្រយោគទី") for p in paragraphs)
    for furniture in ("MOST VIEWED", "Logo of", "Content image", "Swire"):
        assert furniture not in text


def test_markdown_article_keeps_its_identity_render(workdir: Path) -> None:
    source = DATA / "markdown" / "jekyll_post.md"
    article = workdir / source.name
    shutil.copyfile(source, article)
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [KM], ws, now=FROZEN_NOW)
    _fill(result.catalogs[0].path, lambda index, msgid: msgid)
    [plain] = publish([article], KM, workdir / "a", ws)
    [converted] = publish([article], KM, workdir / "b", ws, edition_format=EditionFormat.MARKDOWN)
    assert converted.output.name == plain.output.name == "jekyll_post.km.md"
    assert converted.output.read_bytes() == plain.output.read_bytes()


def test_cli_localized_markdown_and_html_refused_for_text(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "flood.txt")
    assert _run("extract", "flood.txt", "--to", "km").exit_code == 0
    result = _run("publish", "flood.txt", "--to", "km", "--edition-format", "md")
    assert result.exit_code == 0, result.output
    text = (workdir / "out" / "flood.km.md").read_text(encoding="utf-8")
    front, body = _front_matter(text)
    assert front["lang"] == "km" and body.startswith("# ")
    refused = _run("publish", "flood.txt", "--to", "km", "--edition-format", "html")
    assert refused.exit_code == 1
    assert refused.output.count("\n") == 1 and "flood.txt" in refused.output and "--edition-format md" in refused.output
    assert not (workdir / "out" / "flood.km.html").exists()


def test_cli_run_rejects_unknown_edition(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "flood.txt")
    result = _run("run", "flood.txt", "--to", "km", "--editions", "localized,pdf")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "'pdf'" in result.output and "localized-md" in result.output


def test_run_writes_every_edition_asked_for(workdir: Path, tiny_nllb_folder: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.2\nmax_new_tokens_extra = 1\n", encoding="utf-8")
    fast = ["--model", str(tiny_nllb_folder), "--memory", str(workdir / "tm.sqlite3"), "--beam-size", "1", "--no-retry"]
    result = _run("run", "wages.txt", "--to", "km", "--editions", "localized,localized-md,bilingual-html", *fast)
    assert result.exit_code == 0, result.output
    out = workdir / "out"
    assert sorted(p.name for p in out.iterdir()) == ["wages.en-km.html", "wages.km.md", "wages.km.txt"]
    front, _ = _front_matter((out / "wages.km.md").read_text(encoding="utf-8"))
    assert front["translation_status"].startswith("ការបកប្រែដោយម៉ាស៊ីន")
    assert re.search(r'<html lang="km">', (out / "wages.en-km.html").read_text(encoding="utf-8"))
