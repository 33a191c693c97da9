"""The other ways text reaches a published page: labels, links between editions, dates,
generated front matter, Liquid/shortcode arguments, Markdown image alt text."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from xss_support import HOSTILE_PREFIX, PAYLOADS, as_page, audit, publish_all, split_front_matter, template_tags

from translate.errors import ConfigError
from translate.labels import read_label_overrides
from translate.languages import language


@pytest.mark.parametrize("template", ["<b>MT</b> {reviewed}/{total}", "MT {{ site.x }}", "[MT](javascript:alert(1)) {total}"])
def test_label_templates_with_markup_are_config_errors(workdir: Path, template: str) -> None:
    (workdir / "translate.toml").write_text(f"[labels.km]\npartial = {template!r}\n".replace("'", '"', 2), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[labels.km\] partial holds markup") as raised:
        read_label_overrides(language("km"))
    assert "\n" not in str(raised.value) and "translate.toml" in str(raised.value)


def test_workspace_label_templates_with_markup_are_config_errors(tmp_path: Path) -> None:
    from translate.workspace.config import load_config
    from translate.workspace.setup import publish_settings

    (tmp_path / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\n\n[labels.km]\npartial = "<img src=x onerror=alert(1)>"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="holds markup"):
        publish_settings(load_config(tmp_path / "translate.toml"), [language("km")])


def test_links_between_editions_never_read_as_a_scheme(tmp_path: Path) -> None:
    """An article file named like a URL scheme: hreflang and alternate links stay relative."""
    from translate.api import Workspace, extract, publish
    from translate.editions import Edition, EditionFormat
    from translate.publish import PublishOptions

    article = tmp_path / "javascript:alert(1).html"
    article.write_text("<html><head><title>A title</title></head><body><p>A sentence.</p></body></html>\n", encoding="utf-8")
    ws = Workspace(locales=tmp_path / "locales")
    extract([article], [language("km")], ws)
    [localized] = publish([article], language("km"), tmp_path / "out", ws, PublishOptions(metadata=True))
    [bilingual] = publish([article], language("km"), tmp_path / "out", ws, PublishOptions(), edition=Edition.BILINGUAL, edition_format=EditionFormat.HTML)
    for result in (localized, bilingual):
        assert result.output is not None, result.error
        text = result.output.read_text(encoding="utf-8")
        assert 'href="./javascript:alert(1).html"' in text and not audit(text)


def test_byline_dates_and_labels_are_text_in_every_edition(tmp_path: Path) -> None:
    """Dates come from Babel, labels from configuration: escaped in HTML, plain in front matter."""
    source = '<html><head><title>A title</title></head><body><p class="byline">By Jane Doe | 25 November 2026</p><p>A sentence.</p></body></html>\n'
    result = publish_all(tmp_path, "html", source, lambda e: "ចំណងជើង" if e.msgid == "A title" else "ប្រយោគ។")
    assert set(result.pages) == {"localized", "localized-md", "bilingual-html", "bilingual-md"}, result.errors
    assert "ថ្ងៃពុធ ទី២៥ ខែវិច្ឆិកា ឆ្នាំ២០២៦" in result.pages["localized"]
    for name, text in result.pages.items():
        assert not audit(as_page(name, "html", text)), name
        front, _ = split_front_matter(text)
        assert all("<" not in str(value) for value in front.values()), front


@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_generated_front_matter_takes_no_markup_from_the_source(tmp_path: Path, fmt: str) -> None:
    """A new Markdown page's title comes from the source's title: its markup is left out."""
    title = "A &lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b> {{ x }} [y](javascript:alert(1)) title"
    source = f"{title}\n\nA sentence.\n" if fmt == "txt" else f"<html><head><title>{title}</title></head><body><h1>{title}</h1><p>A sentence.</p></body></html>\n"
    result = publish_all(tmp_path, fmt, source, lambda e: e.msgid, names=("localized-md", "bilingual-md"))
    for name, text in result.pages.items():
        front, _ = split_front_matter(text)
        assert not audit(as_page(name, fmt, text)), (name, front)
        assert not template_tags(str(front["title"])) and "](" not in front["title"], front


def test_liquid_and_shortcode_arguments_carry_back_only_their_source_markup(tmp_path: Path) -> None:
    """A translated ``caption="..."`` of an include ends up in HTML: the Markdown rule applies."""
    source = '---\ntitle: A title\n---\n\n{% include figure.html src="river.jpg" caption="The river at dawn." %}\n\n{{< figure src="x.jpg" caption="The city at night." >}}\n\nA sentence.\n'
    payload = PAYLOADS["img-onerror"] + " " + PAYLOADS["liquid"]
    result = publish_all(tmp_path, "md", source, lambda e: "ចំណងជើង" if e.msgctxt else f"{HOSTILE_PREFIX} {payload}", names=("localized",))
    text = result.pages["localized"]
    assert text.count(HOSTILE_PREFIX) == 3, text
    openers = re.compile(r"\{[{%:]")
    assert len(openers.findall(text)) == len(openers.findall(source)) == 2  # the include and the shortcode
    for line in text.splitlines():
        if "caption=" in line:
            caption = line.split('caption="', 1)[1].rsplit('"', 1)[0]
            assert not audit(f"<p>{caption}</p>"), caption  # an include printing it raw


def test_markdown_image_alt_text_carries_back_only_its_source_markup(tmp_path: Path) -> None:
    source = "---\ntitle: A title\n---\n\n![A photo of the river](river.jpg)\n\nA sentence.\n"

    def msgstr(entry: polib.POEntry) -> str:
        if entry.msgctxt:
            return "ចំណងជើង"
        return f"{HOSTILE_PREFIX} {PAYLOADS['md-js-link']} {PAYLOADS['img-onerror']}"

    result = publish_all(tmp_path, "md", source, msgstr)
    for name in ("localized", "bilingual-md", "bilingual-html"):
        assert not audit(as_page(name, "md", result.pages[name])), name
    # Escaped on its own, the link's "]" would still close the image around it:
    # the published document is checked as a whole too.
    assert "(javascript:alert(1))" in result.pages["localized"]


def test_safe_autolinks_stay_on_new_markdown_pages(tmp_path: Path) -> None:
    source = "---\ntitle: A title\n---\n\nWrite to <desk@example.com> or see <https://example.com/report> now.\n"
    result = publish_all(tmp_path, "md", source, lambda e: "ចំណងជើង" if e.msgctxt else "សរសេរ <desk@example.com> ឬ <https://example.com/report> <javascript:alert(1)>។")
    page = result.pages["bilingual-md"]
    assert page.count("<https://example.com/report>") == 2 and page.count("<desk@example.com>") == 2
    assert "&lt;javascript:alert(1)>" in page  # the translator's autolink, as text
    assert not audit(as_page("bilingual-md", "md", page))
