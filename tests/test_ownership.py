"""A catalog belongs to one article: two articles never share one, in any command.

An article whose file name another article's catalogs have taken gets a
name from its path (``b/story.md`` -> ``b-story``); a catalog that still
names another article (copied by hand) is refused.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW, khmer_stand_in, msgfmt_check

from translate.api import Workspace, extract, publish, status
from translate.catalog.owner import FIELD
from translate.catalog.store import render_catalog
from translate.cli import cli
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.memory import TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.service import EngineSpec, machine_translate

KM = language("km")
A_TEXT = "Floods in Kratie\n\nThe river rose by 3 metres on Monday. Schools in Kratie were closed.\n"
B_TEXT = "Rice prices\n\nRice prices rose by 12 percent in Takeo. Farmers said they would plant more.\n"
PO = Path("locales/km/LC_MESSAGES/story.po")
POT = Path("locales/templates/story.pot")
B_PO = Path("locales/km/LC_MESSAGES/b-story.po")
B_POT = Path("locales/templates/b-story.pot")


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def review_all(po_path: Path, word: str = "ទឹកជំនន់") -> dict[str, str]:
    """A translator reviews every entry; returns msgid -> msgstr."""
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr, entry.flags, entry.tcomment = khmer_stand_in(entry.msgid, word), [], "checked by Sokha"
    po_path.write_bytes(render_catalog(po))
    return {e.msgid: e.msgstr for e in po}


def copy_a_catalogs_to_b(workdir: Path) -> None:
    """Someone copies a/story.md's catalogs to the names b/story.md would use."""
    shutil.copyfile(workdir / POT, workdir / B_POT)
    shutil.copyfile(workdir / PO, workdir / B_PO)


@pytest.fixture
def a_extracted(workdir: Path) -> dict[str, str]:
    """a/story.md extracted into km and reviewed."""
    write(workdir / "a" / "story.md", A_TEXT)
    write(workdir / "b" / "story.md", B_TEXT)
    result = invoke("extract", "a/story.md", "--to", "km")
    assert result.exit_code == 0, result.output
    return review_all(workdir / PO)


def test_the_template_and_catalogs_record_their_article(workdir: Path, a_extracted: dict[str, str]) -> None:
    assert polib.pofile(str(workdir / POT)).metadata[FIELD] == "a/story.md"
    assert polib.pofile(str(workdir / PO)).metadata[FIELD] == "a/story.md"
    msgfmt_check(workdir / POT)
    msgfmt_check(workdir / PO)
    # GNU msgmerge keeps the field in the catalog it updates
    merged = subprocess.run(["msgmerge", "--quiet", "--previous", str(workdir / PO), str(workdir / POT)], capture_output=True, text=True, check=True).stdout
    assert f'"{FIELD}: a/story.md\\n"' in merged


def test_the_recorded_path_does_not_depend_on_the_working_folder(workdir: Path, a_extracted: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir / "a")
    result = invoke("--locales", "../locales", "extract", "story.md", "--to", "km")
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(workdir / PO))
    assert po.metadata[FIELD] == "a/story.md"
    assert {e.msgid: e.msgstr for e in po if "fuzzy" not in e.flags} == a_extracted
    result = invoke("--locales", "../locales", "extract", "../b/story.md", "--to", "km")
    assert result.exit_code == 0, result.output
    assert polib.pofile(str(workdir / B_PO)).metadata[FIELD] == "b/story.md"
    assert polib.pofile(str(workdir / PO)).metadata[FIELD] == "a/story.md"


def test_another_article_with_the_same_file_name_gets_a_name_from_its_path(workdir: Path, a_extracted: dict[str, str]) -> None:
    po_before, pot_before = (workdir / PO).read_bytes(), (workdir / POT).read_bytes()
    result = invoke("extract", "b/story.md", "--to", "km")
    assert result.exit_code == 0, result.output
    assert (workdir / PO).read_bytes() == po_before and (workdir / POT).read_bytes() == pot_before  # a keeps its name
    b = polib.pofile(str(workdir / B_PO))
    assert b.metadata[FIELD] == "b/story.md" and "Rice prices" in {e.msgid for e in b}
    msgfmt_check(workdir / B_PO)
    assert invoke("extract", "a/story.md", "b/story.md", "--to", "km").exit_code == 0  # stable on every later run
    assert (workdir / PO).read_bytes() == po_before and sorted(p.name for p in (workdir / "locales/templates").iterdir()) == ["b-story.pot", "story.pot"]


def test_a_copied_catalog_that_names_another_article_is_refused(workdir: Path, a_extracted: dict[str, str]) -> None:
    copy_a_catalogs_to_b(workdir)
    po_before, pot_before = (workdir / B_PO).read_bytes(), (workdir / B_POT).read_bytes()
    result = invoke("extract", "b/story.md", "--to", "km")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: b/story.md: cannot use {B_POT}: it belongs to a/story.md "
        "(two articles have the same catalog name; rename a folder or file of one of them (docs/static-sites.md#catalog-names))"
    )
    assert (workdir / B_PO).read_bytes() == po_before and (workdir / B_POT).read_bytes() == pot_before


def test_a_dotted_name_with_the_same_slug_gets_its_own_catalog(workdir: Path, a_extracted: dict[str, str]) -> None:
    shutil.copyfile(workdir / "b" / "story.md", workdir / "a" / "story.v2.md")
    before = (workdir / PO).read_bytes()
    result = invoke("extract", "a/story.v2.md", "--to", "km")
    assert result.exit_code == 0, result.output
    assert (workdir / PO).read_bytes() == before
    assert polib.pofile(str(workdir / "locales/km/LC_MESSAGES/a-story.po")).metadata[FIELD] == "a/story.v2.md"
    assert invoke("extract", "a/story.md", "--to", "km").exit_code == 0  # the owner goes on


def test_publish_keeps_two_articles_with_one_file_name_apart_and_refuses_another_articles_catalog(workdir: Path, a_extracted: dict[str, str]) -> None:
    result = invoke("publish", "a/story.md", "b/story.md", "--to", "km", "-o", "out")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: b/story.md: has no Khmer catalog ({B_PO}) (run: translate extract b/story.md --to km)"
    published = (workdir / "out" / "story.km.md").read_text(encoding="utf-8")
    assert "ទឹកជំនន់ 3។" in published and "Rice" not in published  # a's article with a's catalog
    copy_a_catalogs_to_b(workdir)
    result = invoke("publish", "b/story.md", "--to", "km", "-o", "out")
    assert result.exit_code == 1 and f"b/story.md: cannot use {B_PO}: it belongs to a/story.md" in result.stderr
    assert not (workdir / "out" / "b-story.km.md").exists()


def test_machine_translation_check_and_status_refuse_another_articles_catalog(workdir: Path, a_extracted: dict[str, str]) -> None:
    copy_a_catalogs_to_b(workdir)
    before = (workdir / PO).read_bytes()
    model = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0" * 40, license="MIT")
    with TranslationMemory(workdir / "memory.sqlite3") as memory:
        run = machine_translate(
            [(Path("b/story.md"), "story"), (Path("a/story.md"), "story")],
            [KM], Path("locales"), EngineSpec("fake", model, DecodingConfig()), lambda: FakeEngine(model, DecodingConfig()), memory,
        )
    [refused] = run.errors
    assert str(refused).startswith(f"b/story.md: cannot use {PO}: it belongs to a/story.md")
    assert (workdir / PO).read_bytes() == before

    result = invoke("check", "b/story.md", "--to", "km", "--json")
    assert result.exit_code == 1 and f"error: b/story.md: cannot use {B_PO}: it belongs to a/story.md" in result.stderr
    assert json.loads(result.stdout)["catalogs"] == []
    assert invoke("check", "a/story.md", "--to", "km").exit_code == 0

    [row] = status(["b/story.md"], [KM])
    assert row.stats is None and row.error is not None and "belongs to a/story.md" in str(row.error)
    [row] = status(["a/story.md"], [KM])
    assert row.error is None and row.stats is not None and row.stats.translated == len(a_extracted)


def test_a_catalog_from_before_the_field_is_adopted_by_the_first_article_that_writes_it(workdir: Path, a_extracted: dict[str, str]) -> None:
    for path in (workdir / PO, workdir / POT):
        po = polib.pofile(str(path))
        del po.metadata[FIELD]
        path.write_bytes(render_catalog(po))
    [result] = extract([Path("a/story.md")], [KM], Workspace(), now=FROZEN_NOW)
    assert result.errors == ()
    assert polib.pofile(str(workdir / PO)).metadata[FIELD] == "a/story.md" == polib.pofile(str(workdir / POT)).metadata[FIELD]
    assert {e.msgid: e.msgstr for e in polib.pofile(str(workdir / PO))} == a_extracted
    [other] = extract([Path("b/story.md")], [KM], Workspace(), now=FROZEN_NOW)
    assert other.errors == () and other.template == Path("locales/templates/b-story.pot")


def test_an_article_that_moved_takes_its_catalog_with_it(workdir: Path, a_extracted: dict[str, str]) -> None:
    (workdir / "2026").mkdir()
    (workdir / "a" / "story.md").rename(workdir / "2026" / "story.md")
    [result] = extract([Path("2026/story.md")], [KM], Workspace(), now=FROZEN_NOW)
    assert result.errors == ()
    po = polib.pofile(str(workdir / PO))
    assert po.metadata[FIELD] == "2026/story.md"
    assert {e.msgid: e.msgstr for e in po if "fuzzy" not in e.flags} == a_extracted  # every reviewed translation kept
    [published] = publish([Path("2026/story.md")], KM, workdir / "out")
    assert published.error is None
    # a new article at the old place finds the name taken by 2026/story.md: its catalogs are named after its path
    write(workdir / "a" / "story.md", B_TEXT)
    [other] = extract([Path("a/story.md")], [KM], Workspace(), now=FROZEN_NOW)
    assert other.errors == () and other.template == Path("locales/templates/a-story.pot")
    assert polib.pofile(str(workdir / PO)).metadata[FIELD] == "2026/story.md"


def test_sync_refuses_an_article_whose_catalog_belongs_to_another(workdir: Path, a_extracted: dict[str, str]) -> None:
    """b/story.md is the workspace's only article; its catalogs are copies of a/story.md's (a is outside the sources)."""
    (workdir / "translate.toml").write_text('[workspace]\nsources = ["b/*.md"]\nlanguages = ["km"]\nbackend = "fake"\n', encoding="utf-8")
    copy_a_catalogs_to_b(workdir)
    before = (workdir / B_PO).read_bytes()
    result = invoke("sync", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["articles"]["failed"] == 1
    assert [e["text"] for e in report["errors"]] == [
        f"b/story.md: cannot use {B_POT}: it belongs to a/story.md (two articles have the same catalog name; rename a folder or file of one of them (docs/static-sites.md#catalog-names))"
    ]
    assert (workdir / B_PO).read_bytes() == before
    assert not (workdir / "out").exists() or not list((workdir / "out").iterdir())
