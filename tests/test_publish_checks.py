"""Nothing broken is published: translations failing an error-level check are withheld (or, strict, refused)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.checks import all_failures
from translate.cli import cli
from translate.editions import Edition, EditionFormat
from translate.errors import FailedCheckError, PublishError
from translate.languages import language
from translate.publish import PublishOptions, Untranslated

KM = language("km")
ARTICLE = """Floods hit Kandal province

Heavy rain flooded three districts on Monday. Hundreds of families left their homes. Schools stayed closed. Phnom Penh

Officials counted the damage. Aid arrived by boat.
"""
GOOD = {
    "Floods hit Kandal province": "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល",
    "Heavy rain flooded three districts on Monday.": "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។",
    "Officials counted the damage.": "មន្ត្រីបានរាប់ការខូចខាត។",
    "Phnom Penh": "Phnom Penh",  # a name kept as it is: identity is fine
}
BROKEN = {
    "Hundreds of families left their homes.": ("control", "គ្រួសាររាប់រយ\x00បានចាកចេញ។"),
    "Schools stayed closed.": ("conflict", "#-#-#-#-#  a.po  #-#-#-#-#\nសាលារៀនបិទ។\n#-#-#-#-#  b.po  #-#-#-#-#\nសាលាបិទ។"),
    "Aid arrived by boat.": ("empty", "  \u200b \u200b  "),
}


def _catalog(root: Path) -> tuple[Path, Path]:
    """The article and its Khmer catalog: every entry reviewed, three of them broken."""
    article = root / "floods.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    [result] = extract([article], [KM], Workspace(locales=root / "locales"), now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = GOOD.get(entry.msgid) or BROKEN[entry.msgid][1]
    po_path.write_bytes(render_catalog(po))
    return article, po_path


def _lines(po_path: Path) -> dict[str, int]:
    return {e.msgid: e.linenum for e in polib.pofile(str(po_path))}


def test_broken_translations_are_withheld_and_listed(workdir: Path) -> None:
    article, po_path = _catalog(workdir)
    [result] = publish([article], KM, workdir / "out", Workspace(locales=workdir / "locales"))
    assert result.error is None and result.output is not None
    text = result.output.read_text(encoding="utf-8")
    assert text == (
        "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល\n\n"
        "ភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។ Hundreds of families left their homes. Schools stayed closed. Phnom Penh\n\n"
        "មន្ត្រីបានរាប់ការខូចខាត។ Aid arrived by boat.\n"
    )
    assert "\x00" not in text and "#-#-#-#-#" not in text and "\u200b" not in text
    lines = _lines(po_path)
    assert {(w.msgid, w.line, w.catalog, w.failures[0].check) for w in result.withheld} == {
        (msgid, lines[msgid], str(po_path), check) for msgid, (check, _) in BROKEN.items()
    }
    assert result.translated == 4 and result.reviewed == 4 and result.sentences == 7  # the identity entry is published too
    assert str(result.withheld[0]).startswith(f"{po_path}:{lines['Hundreds of families left their homes.']}: control: control characters: U+0000")


def test_withheld_sentences_follow_the_untranslated_policy(workdir: Path) -> None:
    article, po_path = _catalog(workdir)
    ws = Workspace(locales=workdir / "locales")
    [omitted] = publish([article], KM, workdir / "out", ws, PublishOptions(untranslated=Untranslated.OMIT))
    assert omitted.output is not None
    assert omitted.output.read_text(encoding="utf-8") == (
        "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល\n\nភ្លៀងធ្លាក់ខ្លាំងបានធ្វើឱ្យលិចស្រុកចំនួនបីកាលពីថ្ងៃច័ន្ទ។ Phnom Penh\n\nមន្ត្រីបានរាប់ការខូចខាត។\n"
    )
    [failed] = publish([article], KM, workdir / "fail", ws, PublishOptions(untranslated=Untranslated.FAIL))
    assert isinstance(failed.error, PublishError) and "3 sentence(s) have no reviewed Khmer translation" in str(failed.error)
    assert not (workdir / "fail").exists()


def test_strict_refuses_the_article_naming_catalog_and_line(workdir: Path) -> None:
    article, po_path = _catalog(workdir)
    ws = Workspace(locales=workdir / "locales")
    [first] = publish([article], KM, workdir / "out", ws)
    before = first.output.read_bytes() if first.output else b""
    for edition in Edition:
        [refused] = publish([article], KM, workdir / "out", ws, PublishOptions(strict=True), edition=edition)
        assert isinstance(refused.error, FailedCheckError) and refused.output is None
        message = str(refused.error)
        line = _lines(po_path)["Hundreds of families left their homes."]
        assert message.startswith(f"{po_path}:{line}: 3 Khmer translation(s) of {article} fail error-level checks, the first here: control:")
        assert "without --strict" in message and len(message.splitlines()) == 1
    assert (workdir / "out" / "floods.km.txt").read_bytes() == before
    assert not (workdir / "out" / "floods.en-km.html").exists()


def test_each_translation_is_checked_once_for_all_editions(workdir: Path) -> None:
    article, _ = _catalog(workdir)
    ws = Workspace(locales=workdir / "locales")
    all_failures.cache_clear()
    for edition, fmt in [(Edition.LOCALIZED, None), (Edition.BILINGUAL, EditionFormat.HTML), (Edition.BILINGUAL, EditionFormat.MARKDOWN)]:
        [result] = publish([article], KM, workdir / "out", ws, edition=edition, edition_format=fmt)
        assert result.error is None and len(result.withheld) == 3
    info = all_failures.cache_info()
    assert info.misses == 6 and info.hits >= 12  # the 6 translations that differ from their English, each checked once


def test_bilingual_edition_shows_the_english_of_a_withheld_sentence(workdir: Path) -> None:
    article, _ = _catalog(workdir)
    [result] = publish([article], KM, workdir / "out", Workspace(locales=workdir / "locales"), edition=Edition.BILINGUAL)
    assert result.output is not None
    page = result.output.read_text(encoding="utf-8")
    assert "\x00" not in page and "#-#-#-#-#" not in page
    assert '<span class="untranslated" lang="en">Hundreds of families left their homes.</span>' in page


def test_cli_lists_withheld_translations_and_strict_refuses(workdir: Path) -> None:
    _catalog(workdir)
    runner = CliRunner()
    result = runner.invoke(cli, ["publish", "floods.txt", "--to", "km", "-o", "out"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    withheld = [line for line in result.stderr.splitlines() if line.startswith("withheld: ")]
    assert len(withheld) == 3 and all("locales/km/LC_MESSAGES/floods.po:" in line and "out/floods.km.txt" in line for line in withheld)
    assert any(": conflict: msgcat conflict markers" in line for line in withheld) and any(": empty: translation is empty" in line for line in withheld)
    result = runner.invoke(cli, ["publish", "floods.txt", "--to", "km", "-o", "out", "--strict"], catch_exceptions=False)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: locales/km/LC_MESSAGES/floods.po:")
    (workdir / "translate.toml").write_text("[publish]\nstrict = true\n", encoding="utf-8")
    assert runner.invoke(cli, ["publish", "floods.txt", "--to", "km", "-o", "out"], catch_exceptions=False).exit_code == 1
    assert runner.invoke(cli, ["publish", "floods.txt", "--to", "km", "-o", "out", "--no-strict"], catch_exceptions=False).exit_code == 0


def _sync(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "translate", "sync", *args], cwd=root, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("strict", [False, True], ids=["withheld", "strict"])
def test_sync_withholds_broken_translations_or_refuses_them(tmp_path: Path, strict: bool) -> None:
    root = tmp_path / "ws"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "floods.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nbackend = "fake"\noutput = "site"\ninclude_fuzzy = false\n', encoding="utf-8")
    first = _sync(root)
    assert first.returncode == 0, first.stderr
    po_path = root / "locales" / "km" / "LC_MESSAGES" / "floods.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr, entry.flags = GOOD.get(entry.msgid) or BROKEN[entry.msgid][1], []
    po_path.write_bytes(render_catalog(po))
    before = (root / "site" / "floods.km.txt").read_bytes()
    if strict:
        (root / "translate.toml").write_text((root / "translate.toml").read_text(encoding="utf-8") + "\n[publish]\nstrict = true\n", encoding="utf-8")
    proc = _sync(root, "--json")
    report = json.loads(proc.stdout)
    lines = _lines(po_path)
    site = (root / "site" / "floods.km.txt").read_bytes()
    if strict:
        assert proc.returncode == 1
        [error] = report["errors"]
        assert (error["file"], error["line"]) == ("locales/km/LC_MESSAGES/floods.po", lines["Hundreds of families left their homes."])
        assert f"error: locales/km/LC_MESSAGES/floods.po:{error['line']}: 3 Khmer translation(s)" in proc.stderr
        assert site == before  # the previous edition stays
        return
    assert proc.returncode == 0, proc.stderr
    assert "\x00".encode() not in site and b"#-#-#-#-#" not in site and "ទឹកជំនន់".encode() in site
    [lang] = report["changed"][0]["languages"]
    assert {(w["msgid"], w["line"], w["checks"][0]["check"]) for w in lang["withheld"]} == {
        (msgid, lines[msgid], check) for msgid, (check, _) in BROKEN.items()
    }
    assert report["languages"][0]["withheld"] == 3 and report["partial"] is False
    assert sum(line.startswith("withheld: locales/km/LC_MESSAGES/floods.po:") for line in proc.stderr.splitlines()) == 3
    table = _sync(root, "--force")
    assert table.returncode == 0 and "withheld" in table.stdout.splitlines()[1]
