"""Hugo and Jekyll sites built by the real generators from what ``translate sync`` publishes.

Each fixture under ``tests/data/sites/`` is a small site as newsrooms keep
them (page bundles with images, ``_index.md`` sections, TOML and YAML front
matter, shortcodes and Liquid includes, Hugo's ``[languages.km]`` with
``languageCode`` and per-language ``contentDir``, Jekyll's ``_config.yml``
with jekyll-polyglot and a permalink pattern). A sync publishes the Khmer
pages where the layout says, the generator builds the site, and the
assertions read the generated HTML: the Khmer page exists, says
``lang="km"``, and it and the English page link to each other through the
generator's own pairing of translations.

Hugo comes from the ``hugo`` package of the test extra (a pinned release);
Jekyll and jekyll-polyglot from Debian's ``jekyll`` and
``ruby-jekyll-polyglot`` packages (``.ci/run`` installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import html5lib
import polib
import pytest
from click.testing import CliRunner
from conftest import DATA, khmer_stand_in, msgfmt_check

from translate.catalog.owner import FIELD
from translate.catalog.store import render_catalog
from translate.cli import cli

SITES = DATA / "sites"
XHTML = "{http://www.w3.org/1999/xhtml}"


def hugo_binary() -> Path:
    """The Hugo executable the ``hugo`` distribution installed."""
    from importlib.metadata import distribution

    return Path(str(distribution("hugo").locate_file("hugo/binaries/hugo")))


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def copy_site(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    monkeypatch.chdir(site)
    return site


def english_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def sync_and_review(site: Path) -> None:
    """Sync, review every Khmer catalog (Khmer stand-ins), sync again: the reviewed text is published."""
    first = invoke("sync")
    assert first.exit_code == 0, first.output
    for po_path in sorted((site / "locales" / "km" / "LC_MESSAGES").glob("*.po")):
        po = polib.pofile(str(po_path))
        for entry in po:
            entry.msgstr, entry.flags = khmer_stand_in(entry.msgid, "ខ្មែរ"), []
        po_path.write_bytes(render_catalog(po))
        msgfmt_check(po_path)
    second = invoke("sync")
    assert second.exit_code == 0, second.output


def build_hugo(site: Path) -> Path:
    done = subprocess.run([str(hugo_binary()), "--quiet", "--minify=false", "-s", str(site), "-d", str(site / "public")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return site / "public"


def read_page(path: Path):  # type: ignore[no-untyped-def]
    assert path.is_file(), f"{path} was not generated"
    return html5lib.parse(path.read_bytes(), transport_encoding="utf-8")


def page_lang(document) -> str:  # type: ignore[no-untyped-def]
    return document.get("lang")


def translation_links(document) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {a.get("hreflang"): a.get("href") for a in document.iter(f"{XHTML}a") if a.get("class") == "translation"}


def title_of(document) -> str:  # type: ignore[no-untyped-def]
    return "".join(next(document.iter(f"{XHTML}h1")).itertext())


def assert_paired(public: Path, english: str, khmer: str) -> None:
    """The English page at URL ``english`` and the Khmer one at ``khmer`` link to each other."""
    en_page = read_page(public / english.strip("/") / "index.html")
    km_page = read_page(public / khmer.strip("/") / "index.html")
    assert page_lang(en_page) == "en" and page_lang(km_page) == "km"
    assert translation_links(en_page) == {"km": khmer}, english
    assert translation_links(km_page) == {"en": english}, khmer
    assert title_of(km_page).startswith("ខ្មែរ"), khmer  # the reviewed Khmer title, not the English fallback


def test_hugo_translation_by_file_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site("hugo-filename", tmp_path, monkeypatch)
    before = english_files(site)
    sync_and_review(site)

    published = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.km.md"))
    assert published == ["content/_index.km.md", "content/about.km.md", "content/post/_index.km.md", "content/post/angkor/index.km.md", "content/post/floods/index.km.md"]
    assert all((site / name).read_bytes() == data for name, data in before.items())  # the English pages as they were
    templates = sorted(p.name for p in (site / "locales" / "templates").iterdir())
    assert templates == ["about.pot", "content-post-angkor.pot", "content-post-floods.pot", "content-post.pot", "content.pot"]
    assert polib.pofile(str(site / "locales/km/LC_MESSAGES/content-post-angkor.po")).metadata[FIELD] == "content/post/angkor/index.md"
    angkor = (site / "content/post/angkor/index.km.md").read_text(encoding="utf-8")
    assert "translationKey" not in angkor  # Hugo pairs index.md and index.km.md by their path
    assert 'date_display: "ថ្ងៃច័ន្ទ ទី៣០ ខែវិច្ឆិកា ឆ្នាំ២០២៦"' in angkor and "lang: km" in angkor
    again = invoke("sync")
    assert again.exit_code == 0 and "5 articles: 0 updated, 5 unchanged" in again.output  # translations are never read as articles

    public = build_hugo(site)
    assert_paired(public, "/post/angkor/", "/km/post/angkor/")
    assert_paired(public, "/post/floods/", "/km/post/floods/")
    assert_paired(public, "/post/", "/km/post/")
    assert_paired(public, "/about/", "/km/about/")
    km_angkor = read_page(public / "km/post/angkor/index.html")
    assert [img.get("src") for img in km_angkor.iter(f"{XHTML}img") if img.get("class") == "lead"] == ["/post/angkor/photo.jpg"]  # the bundle's image serves both
    assert any(True for _ in km_angkor.iter(f"{XHTML}table"))
    texts = {p.get("class"): "".join(p.itertext()) for p in km_angkor.iter(f"{XHTML}p") if p.get("class")}
    assert texts["summary"].startswith("ខ្មែរ") and texts["image-alt"].startswith("ខ្មែរ")  # params.summary and image.alt, by dotted key
    floods = read_page(public / "km/post/floods/index.html")
    assert [("".join(p.itertext())) for p in floods.iter(f"{XHTML}p") if p.get("class") == "summary"] == ["ខ្មែរ។"]  # TOML [params] summary
    assert [a.get("href") for a in km_angkor.iter(f"{XHTML}a") if a.get("class") is None] == ["https://news.example.org/post/floods/"]
    home = read_page(public / "km" / "index.html")
    assert page_lang(home) == "km" and translation_links(home) == {"en": "/"}


def test_a_translation_key_on_the_khmer_page_alone_breaks_hugos_link_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Why no ``translationKey`` is written in the Hugo layouts: the English page has none to match."""
    site = copy_site("hugo-filename", tmp_path, monkeypatch)
    sync_and_review(site)
    khmer = site / "content/post/angkor/index.km.md"
    khmer.write_text(khmer.read_text(encoding="utf-8").replace("lang: km\n", 'lang: km\ntranslationKey: "content-post-angkor"\n'), encoding="utf-8")
    public = build_hugo(site)
    assert translation_links(read_page(public / "km/post/angkor/index.html")) == {}
    assert_paired(public, "/post/floods/", "/km/post/floods/")  # the untouched pair still links


def test_hugo_translation_by_content_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site("hugo-contentdir", tmp_path, monkeypatch)
    before = english_files(site)
    sync_and_review(site)

    published = sorted(p.relative_to(site / "content" / "km").as_posix() for p in (site / "content" / "km").rglob("*.md"))
    english = sorted(p.relative_to(site / "content" / "en").as_posix() for p in (site / "content" / "en").rglob("*.md"))
    assert published == english == ["_index.md", "news/mekong-dam.md", "post/_index.md", "post/angkor/index.md", "post/floods/index.md"]
    assert all((site / name).read_bytes() == data for name, data in before.items())
    templates = sorted(p.name for p in (site / "locales" / "templates").iterdir())
    assert templates == ["content-en-post-angkor.pot", "content-en-post-floods.pot", "content-en-post.pot", "content-en.pot", "mekong-dam.pot"]
    assert not list((site / "content" / "km").rglob("*.jpg"))  # images stay in the English bundle

    public = build_hugo(site)
    assert_paired(public, "/post/angkor/", "/km/post/angkor/")
    assert_paired(public, "/news/mekong-dam/", "/km/news/mekong-dam/")
    assert_paired(public, "/post/", "/km/post/")
    km_angkor = read_page(public / "km/post/angkor/index.html")
    assert [img.get("src") for img in km_angkor.iter(f"{XHTML}img") if img.get("class") == "lead"] == ["/post/angkor/photo.jpg"]


def jekyll_or_skip() -> str:
    found = shutil.which("jekyll")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("jekyll is not installed: .ci/run installs Debian's jekyll and ruby-jekyll-polyglot")
        pytest.skip("jekyll is not installed (apt-get install jekyll ruby-jekyll-polyglot)")
    return found


def test_jekyll_polyglot_pages_and_posts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    jekyll = jekyll_or_skip()
    site = copy_site("jekyll", tmp_path, monkeypatch)
    before = english_files(site)
    sync_and_review(site)

    assert all((site / name).read_bytes() == data for name, data in before.items())
    published = sorted(p.relative_to(site).as_posix() for p in [*site.glob("km/*.md"), *site.glob("_posts/km/*.md")])
    assert published == ["_posts/km/2026-11-28-floods.md", "_posts/km/2026-11-30-angkor.md", "km/about.md", "km/contact.md", "km/index.md"]
    about = (site / "km/about.md").read_text(encoding="utf-8")
    assert 'permalink: "/about/"' in about and "lang: km" in about  # the URL Jekyll gives the English page (pattern ending in /)
    assert "permalink: /contact-us/" in (site / "km/contact.md").read_text(encoding="utf-8")  # its own, as written
    assert "permalink" not in (site / "_posts/km/2026-11-30-angkor.md").read_text(encoding="utf-8")  # same file name, same URL

    done = subprocess.run([jekyll, "build", "--quiet", "-s", str(site), "-d", str(site / "_site")], capture_output=True, text=True, timeout=120, env={**os.environ, "JEKYLL_ENV": "production"})
    assert done.returncode == 0, done.stderr
    public = site / "_site"
    assert_paired(public, "/news/2026/11/30/angkor/", "/km/news/2026/11/30/angkor/")
    assert_paired(public, "/floods-kratie/", "/km/floods-kratie/")
    assert_paired(public, "/about/", "/km/about/")
    assert_paired(public, "/contact-us/", "/km/contact-us/")
    assert not (public / "km" / "km").exists()  # no page was served under its own folder again
    home = read_page(public / "km" / "index.html")
    assert page_lang(home) == "km" and translation_links(home) == {"en": "/"}
