"""Catalog names and output layouts: bundles, shared file names, Hugo and Jekyll places, and their errors."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW, khmer_stand_in

from translate.api import Workspace, extract, publish
from translate.catalog.names import catalog_name, path_name, recorded_article
from translate.catalog.owner import FIELD
from translate.catalog.store import render_catalog
from translate.cli import cli
from translate.languages import language
from translate.layout import Layout, LayoutKind, common_folder, jekyll_permalink
from translate.publish import PublishOptions

KM = language("km")
STORY = "---\ntitle: Floods in Kratie\n---\n\nThe river rose by 3 metres on Monday.\n"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, text: str = STORY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("post/angkor/index.md", "post-angkor"),
        ("content/post/_index.md", "content-post"),
        ("content/post/angkor/index.en.md", "content-post-angkor"),
        ("docs/README.md", "docs"),
        ("index.md", "index"),
        ("a/story.v2.md", "a-story"),
        ("story.md", "story"),
        ("../elsewhere/story.md", "elsewhere-story"),
    ],
)
def test_names_from_paths(key: str, name: str) -> None:
    assert path_name(key) == name


def test_page_bundles_have_their_own_catalogs(workdir: Path) -> None:
    write(workdir / "post" / "angkor" / "index.md")
    write(workdir / "post" / "floods" / "index.md", STORY.replace("Kratie", "Stung Treng"))
    write(workdir / "post" / "_index.md", "---\ntitle: Stories\n---\n\nOur stories.\n")
    result = invoke("extract", "post/angkor/index.md", "post/floods/index.md", "post/_index.md", "--to", "km")
    assert result.exit_code == 0, result.output
    templates = sorted(p.name for p in (workdir / "locales" / "templates").iterdir())
    assert templates == ["post-angkor.pot", "post-floods.pot", "post.pot"]
    po = polib.pofile(str(workdir / "locales/km/LC_MESSAGES/post-floods.po"))
    assert po.metadata[FIELD] == "post/floods/index.md" and po.metadata["Project-Id-Version"] == "post-floods"
    assert recorded_article(workdir / "locales/templates/post-angkor.pot") == "post/angkor/index.md"


def test_names_are_stable_as_articles_come_and_go(workdir: Path) -> None:
    locales = workdir / "locales"
    a, b = write(workdir / "a" / "story.md"), write(workdir / "b" / "story.md")
    assert catalog_name(a, locales, shared=True) == "a-story"  # both new in one run: both from their paths
    [done] = extract([a, b], [KM], Workspace(locales=locales), now=FROZEN_NOW)[:1]
    assert done.template == locales / "templates" / "a-story.pot"
    b.unlink()
    assert catalog_name(a, locales) == "a-story"  # alone again, it keeps the name its catalogs have
    c = write(workdir / "c" / "note.md")
    extract([c], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    d = write(workdir / "d" / "note.md")
    assert catalog_name(c, locales, shared=True) == "note"  # the first to claim a file name keeps it
    assert catalog_name(d, locales) == "d-note"


def test_a_long_path_in_the_header_is_read_back(workdir: Path) -> None:
    deep = write(workdir / "content" / "post" / "2026" / "11" / "a-very-long-folder-name-for-a-story-about-the-mekong" / "index.md")
    [result] = extract([deep], [], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None
    assert recorded_article(result.template) == "content/post/2026/11/a-very-long-folder-name-for-a-story-about-the-mekong/index.md"


@pytest.mark.parametrize(
    ("kind", "article", "expected"),
    [
        (LayoutKind.FLAT, "content/post/angkor/index.md", "out/content-post-angkor.km.md"),
        (LayoutKind.HUGO_FILENAME, "content/post/angkor/index.md", "out/content/post/angkor/index.km.md"),
        (LayoutKind.HUGO_FILENAME, "content/post/angkor/index.en.md", "out/content/post/angkor/index.km.md"),
        (LayoutKind.HUGO_FILENAME, "content/story.v2.md", "out/content/story.v2.km.md"),
        (LayoutKind.HUGO_CONTENTDIR, "content/post/angkor/index.md", "out/km/content/post/angkor/index.md"),
        (LayoutKind.JEKYLL, "_posts/2026-11-30-angkor.md", "out/_posts/km/2026-11-30-angkor.md"),
        (LayoutKind.JEKYLL, "news/_posts/2026-11-30-angkor.md", "out/news/_posts/km/2026-11-30-angkor.md"),
        (LayoutKind.JEKYLL, "_projects/dam.md", "out/_projects/km/dam.md"),
        (LayoutKind.JEKYLL, "about/team.md", "out/km/about/team.md"),
    ],
)
def test_layout_places(workdir: Path, kind: LayoutKind, article: str, expected: str) -> None:
    name = path_name(article)
    assert Layout(kind, workdir).localized_path(workdir / article, name, "km", workdir / "out") == workdir / expected


@pytest.mark.parametrize(
    ("page", "site", "url"),
    [
        ("about.md", None, "/about.html"),
        ("about.md", "pretty", "/about/"),
        ("about.md", "/:categories/:year/:title/", "/about/"),
        ("about.md", "/:year/:title:output_ext", "/about.html"),
        ("about.md", "/:year/:title", "/about"),
        ("docs/setup.markdown", "date", "/docs/setup.html"),
        ("docs/index.md", "pretty", "/docs/"),
        ("index.html", None, "/"),
        ("feed.xml", "pretty", "/feed.xml"),
    ],
)
def test_jekyll_page_urls(page: str, site: str | None, url: str) -> None:
    assert jekyll_permalink(PurePosixPath(page), site) == url


def test_source_root_from_patterns() -> None:
    assert common_folder(["content/en/**/*.md"]) == PurePosixPath("content/en")
    assert common_folder(["content/posts/**/*.md", "content/news/*.md"]) == PurePosixPath("content")
    assert common_folder(["_posts/*.md", "*.md"]) == PurePosixPath(".")


def _reviewed(workdir: Path, article: Path) -> None:
    [result] = extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    po = polib.pofile(str(result.catalogs[0].path))
    for entry in po:
        entry.msgstr = khmer_stand_in(entry.msgid)
    result.catalogs[0].path.write_bytes(render_catalog(po))


def test_cli_publishes_a_bundle_beside_its_english_page_and_never_over_it(workdir: Path) -> None:
    article = write(workdir / "content" / "post" / "angkor" / "index.md")
    _reviewed(workdir, article)
    result = invoke("publish", "content/post/angkor/index.md", "--to", "km", "--layout", "hugo-filename", "-o", ".", "--metadata")
    assert result.exit_code == 0, result.output
    published = (workdir / "content/post/angkor/index.km.md").read_text(encoding="utf-8")
    assert "lang: km" in published and "translationKey" not in published
    assert article.read_text(encoding="utf-8") == STORY
    flat = invoke("publish", "content/post/angkor/index.md", "--to", "km", "--metadata")
    assert flat.exit_code == 0 and 'translationKey: "content-post-angkor"' in (workdir / "out/content-post-angkor.km.md").read_text(encoding="utf-8")

    own = write(workdir / "site" / "notes.km.md")  # an article named as its flat edition would be
    _reviewed(workdir, own)
    before = own.read_bytes()
    refused = invoke("publish", "site/notes.km.md", "--to", "km", "-o", "site")
    assert refused.exit_code == 1 and refused.output.count("\n") == 1
    assert "notes.km.md: would be replaced by its own km edition" in refused.output and "(choose another output folder or layout)" in refused.output
    assert own.read_bytes() == before


def test_layout_errors_are_one_line(workdir: Path) -> None:
    article = write(workdir / "site" / "about.md")
    _reviewed(workdir, article)
    outside = invoke("publish", "site/about.md", "--to", "km", "--layout", "jekyll", "--source-root", "elsewhere")
    assert outside.exit_code == 1 and outside.output.count("\n") == 1
    assert "site/about.md: is outside" in outside.output and "the folder the jekyll layout mirrors" in outside.output
    (workdir / "translate.toml").write_text('[publish]\nlayout = "hugo"\n', encoding="utf-8")
    bad = invoke("publish", "site/about.md", "--to", "km")
    assert bad.exit_code == 1 and bad.output.count("\n") == 1 and "[publish] layout: unknown layout 'hugo'" in bad.output
    assert "choose from flat, hugo-filename, hugo-contentdir, jekyll" in bad.output
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nengine = "fake"\n\n[publish]\nlayout = "hugo"\n', encoding="utf-8")
    sync = invoke("sync")
    assert sync.exit_code == 2 and "[publish] layout: unknown layout 'hugo'" in sync.output


def test_api_publish_follows_the_options_layout(workdir: Path) -> None:
    article = write(workdir / "_posts" / "2026-11-30-angkor.md")
    _reviewed(workdir, article)
    options = PublishOptions(layout=Layout(LayoutKind.JEKYLL, workdir))
    [result] = publish([article], KM, workdir, Workspace(locales=workdir / "locales"), options)
    assert result.error is None and result.output == workdir / "_posts" / "km" / "2026-11-30-angkor.md"
    assert "lang: km" in result.output.read_text(encoding="utf-8") and "permalink" not in result.output.read_text(encoding="utf-8")
