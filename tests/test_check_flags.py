"""``ignore-<check>`` flags: they survive catalog updates and silence their check at publish time too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW, msgfmt_check

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.checks import ignored_checks
from translate.languages import language

KM = language("km")
MILES = "The town is 5 miles from the border."
KILOMETRES = "ទីក្រុង\u200bនេះ\u200bស្ថិត\u200bនៅ\u200bចម្ងាយ ៨ គីឡូម៉ែត្រ\u200bពី\u200bព្រំដែន។"
ARTICLE = f"Border town\n\n{MILES} Trade is brisk.\n"


def _catalog(root: Path, flags: list[str], comment: str = "") -> tuple[Path, Path]:
    """The article and its Khmer catalog, every entry reviewed; the miles sentence converted to kilometres."""
    article = root / "border.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    [result] = extract([article], [KM], Workspace(locales=root / "locales"), now=FROZEN_NOW)
    path = result.catalogs[0].path
    po = polib.pofile(str(path))
    texts = {"Border town": "ទីក្រុង\u200bព្រំដែន", MILES: KILOMETRES, "Trade is brisk.": "ពាណិជ្ជកម្ម\u200bរស់រវើក។"}
    for entry in po:
        entry.msgstr = texts[entry.msgid]
        if entry.msgid == MILES:
            entry.flags = flags
            entry.tcomment = comment
    path.write_bytes(render_catalog(po))
    return article, path


@pytest.mark.parametrize(
    ("flags", "comment", "published"),
    [
        ([], "", False),
        (["ignore-numbers"], "", True),
        ([], "ignore-numbers: 5 miles is 8 km", True),
        (["ignore-urls"], "", False),
    ],
    ids=["no-flag-withheld", "flag", "translator-comment", "other-check-silenced"],
)
def test_a_silenced_check_does_not_withhold_the_translation(workdir: Path, flags: list[str], comment: str, published: bool) -> None:
    article, path = _catalog(workdir, flags, comment)
    [result] = publish([article], KM, workdir / "out", Workspace(locales=workdir / "locales"))
    assert result.error is None and result.output is not None
    text = result.output.read_text(encoding="utf-8")
    assert (KILOMETRES in text) is published
    assert (MILES in text) is not published
    assert [w.msgid for w in result.withheld] == ([] if published else [MILES])


def test_flags_survive_extract_when_the_english_changes(workdir: Path) -> None:
    article, path = _catalog(workdir, ["ignore-numbers", "no-wrap"], "ignore-urls: checked")
    extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)  # nothing changed
    assert set(polib.pofile(str(path)).find(MILES).flags) >= {"ignore-numbers", "no-wrap"}
    article.write_text(ARTICLE.replace("5 miles", "5 long miles"), encoding="utf-8")
    extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    edited = polib.pofile(str(path)).find(MILES.replace("5 miles", "5 long miles"))
    assert edited.previous_msgid == MILES and "fuzzy" in edited.flags
    assert ignored_checks(edited.flags, edited.tcomment) == {"numbers", "urls"}
    msgfmt_check(path)


def test_gnu_msgmerge_drops_flags_but_keeps_the_translator_comment(workdir: Path) -> None:
    """Why the translator-comment form exists: msgmerge takes the flags from the template."""
    msgmerge = shutil.which("msgmerge")
    assert msgmerge, "msgmerge (GNU gettext) is needed: apt-get install gettext"
    article, path = _catalog(workdir, ["ignore-numbers"])
    flagged = workdir / "flagged.po"
    shutil.copy(path, flagged)
    _catalog(workdir, [], "ignore-numbers: 5 miles is 8 km")
    template = workdir / "locales" / "templates" / "border.pot"
    for source, silenced in ((flagged, frozenset()), (path, frozenset({"numbers"}))):
        out = workdir / "merged.po"
        subprocess.run([msgmerge, "--quiet", "--previous", "-o", str(out), str(source), str(template)], check=True)
        entry = polib.pofile(str(out)).find(MILES)
        assert entry.msgstr == KILOMETRES
        assert ignored_checks(entry.flags, entry.tcomment) == silenced
