"""Updating catalogs after the English article changes, against golden before/after files.

Each case folder under ``data/merge`` holds the article as it was
(``before.txt``), the catalog a translator left (``before.po``), the edited
article (``after.txt``) and the catalog expected after ``extract``
(``expected.po``). Set ``UPDATE_GOLDEN=1`` to rewrite the expected files after
checking the differences by hand.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polib
import pytest

from conftest import DATA, FROZEN_NOW, msgfmt_check
from translate.api import Workspace, extract
from translate.catalog.merge import merge
from translate.catalog.template import build_template
from translate.languages import language
from translate.load import load_article

CASES = sorted(p.name for p in (DATA / "merge").iterdir() if p.is_dir())
KM = language("km")


def _run_case(case: str, workdir: Path) -> Path:
    folder = DATA / "merge" / case
    po = workdir / "locales" / "km" / "LC_MESSAGES" / "article.po"
    po.parent.mkdir(parents=True)
    shutil.copyfile(folder / "before.po", po)
    shutil.copyfile(folder / "after.txt", workdir / "article.txt")
    [result] = extract([workdir / "article.txt"], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None, result.error
    return po


def test_cases_exist() -> None:
    assert set(CASES) >= {"moved", "edited", "added", "removed", "comments-flags", "revived"}


@pytest.mark.parametrize("case", CASES)
def test_before_po_matches_before_article(case: str, workdir: Path) -> None:
    """The golden input catalog is what extraction gives for the old article."""
    shutil.copyfile(DATA / "merge" / case / "before.txt", workdir / "article.txt")
    pot = build_template(load_article(workdir / "article.txt"))
    before = polib.pofile(str(DATA / "merge" / case / "before.po"))
    assert [e.msgid for e in before if not e.obsolete] == [e.msgid for e in pot]


@pytest.mark.parametrize("case", CASES)
def test_update_matches_golden(case: str, workdir: Path) -> None:
    po = _run_case(case, workdir)
    expected = DATA / "merge" / case / "expected.po"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.copyfile(po, expected)
    assert po.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    msgfmt_check(po)


@pytest.mark.parametrize("case", CASES)
def test_no_translation_or_comment_is_lost(case: str, workdir: Path) -> None:
    before = polib.pofile(str(DATA / "merge" / case / "before.po"))
    after = polib.pofile(str(_run_case(case, workdir)))
    kept_strings = {e.msgstr for e in after}
    kept_comments = {e.tcomment for e in after}
    for entry in before:
        assert entry.msgstr in kept_strings, entry.msgid
        if entry.tcomment:
            assert entry.tcomment in kept_comments


def test_moved_sentences_keep_translations(workdir: Path) -> None:
    after = polib.pofile(str(_run_case("moved", workdir)))
    assert all(e.translated() for e in after if not e.obsolete)
    moved = after.find("He promised food and clean water.")
    assert moved.occurrences == [("article.txt", "7")] and "fuzzy" not in moved.flags


def test_edited_sentences_become_fuzzy_with_previous(workdir: Path) -> None:
    after = polib.pofile(str(_run_case("edited", workdir)))
    edited = after.find("Heavy rain flooded four districts on Monday.")
    assert "fuzzy" in edited.flags
    assert edited.previous_msgid == "Heavy rain flooded three districts on Monday."
    assert edited.msgstr.startswith("ភ្លៀង")
    assert not [e for e in after if e.obsolete]


def test_removed_sentences_become_obsolete(workdir: Path) -> None:
    after = polib.pofile(str(_run_case("removed", workdir)))
    obsolete = {e.msgid for e in after if e.obsolete}
    assert obsolete == {"Hundreds of families left their homes.", "Schools will stay closed until the water recedes."}


def test_comments_and_flags_survive(workdir: Path) -> None:
    after = polib.pofile(str(_run_case("comments-flags", workdir)))
    schools = after.find("Schools will stay closed until the water recedes.")
    assert schools.tcomment == "Checked with the desk editor." and "no-wrap" in schools.flags
    hundreds = after.find("Hundreds of families left their homes.")
    assert "fuzzy" in hundreds.flags and hundreds.tcomment == "Not sure about 'homes' here."
    edited = after.find("The governor visited the flooded area on Tuesday.")
    assert edited.tcomment == "Use the formal title for the governor." and "fuzzy" in edited.flags
    assert after.metadata["Last-Translator"] == "Sok Dara <dara@example.org>"


def test_obsolete_entries_are_revived(workdir: Path) -> None:
    after = polib.pofile(str(_run_case("revived", workdir)))
    assert not [e for e in after if e.obsolete]
    assert all(e.translated() and "fuzzy" not in e.flags for e in after)


def test_second_extract_changes_nothing(workdir: Path) -> None:
    po = _run_case("edited", workdir)
    first = po.read_bytes()
    [result] = extract([workdir / "article.txt"], [KM], Workspace(locales=workdir / "locales"))
    assert not result.catalogs[0].written
    assert po.read_bytes() == first


def test_merge_is_pure() -> None:
    old = polib.pofile(str(DATA / "merge" / "edited" / "before.po"))
    snapshot = str(old)
    template = polib.POFile()
    template.append(polib.POEntry(msgid="Heavy rain flooded four districts on Monday.", msgstr=""))
    merged, report = merge(old, template)
    assert str(old) == snapshot
    assert report.fuzzy == 1 and report.obsoleted == 5


@pytest.mark.parametrize("case", CASES)
def test_agrees_with_real_msgmerge(case: str, workdir: Path) -> None:
    """Same translations, fuzzy states, previous msgids and obsolete entries as ``msgmerge --previous``.

    One deliberate difference: translator flags such as ``no-wrap`` are kept
    here, where msgmerge takes non-fuzzy flags from the template.
    """
    import subprocess

    msgmerge = shutil.which("msgmerge")
    assert msgmerge, "msgmerge (GNU gettext) is needed: apt-get install gettext"
    ours = polib.pofile(str(_run_case(case, workdir)))
    out = workdir / "msgmerge.po"
    subprocess.run(
        [msgmerge, "--quiet", "--previous", "-o", str(out), str(DATA / "merge" / case / "before.po"), str(workdir / "locales" / "templates" / "article.pot")],
        check=True,
    )

    def shape(po: polib.POFile) -> list[tuple[object, ...]]:
        return sorted((e.msgid, e.msgstr, "fuzzy" in e.flags, e.previous_msgid, e.obsolete, e.tcomment) for e in po)

    assert shape(ours) == shape(polib.pofile(str(out)))
