"""Catalogs through the tools translators and build systems use, and back into ``translate``.

Real GNU gettext (``msgmerge``, ``msgcat`` as Poedit runs it on save,
``msgfmt -c``), real Babel (``pybabel update``, ``pybabel compile``) and real
Translate Toolkit (``po2csv``, ``csv2po``, ``pomerge``; from ``.venv-ttk``,
see ``tests/ttk.py``). Every translation, review state, translator comment and
piece of provenance must come back; where a tool loses review states (a CSV
round trip), ``translate`` says so and restores them on request.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import ttk
from conftest import FROZEN_NOW, msgfmt_check
from translate.api import Workspace, extract, publish, status
from translate.catalog.annotate import Unconfirmed
from translate.catalog.provenance import Origin, State, read_records
from translate.catalog.store import render_catalog
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.memory import TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.service import EngineSpec, MTRun, machine_translate
from translate.publish import PublishOptions

KM = language("km")
MODEL = ResolvedModel(name="nllb-test", path=Path("."), family="nllb", revision="f8d333a098d1c1ea10c34e2bd9a4b3c6f5e1d2a7", license="MIT")
PYBABEL = Path(sys.executable).with_name("pybabel")
LINK = "[the full statement of the ministry](https://example.org/2024/03/statement-on-hotel-occupancy)"

STORY = """# Hotels fill up before the festival

The hotel reported 60% occupancy in March.

Read [the full statement of the ministry](https://example.org/2024/03/statement-on-hotel-occupancy) for details.

Almost 100% of {0} members voted for the plan.

Tourism officials expect more visitors next year.

Prices rose sharply in the capital.
"""

KHMER = {
    "Hotels fill up before the festival": "សណ្ឋាគារ​ពេញ​មុន​ពិធីបុណ្យ",
    "The hotel reported 60% occupancy in March.": "សណ្ឋាគារ​បាន​រាយការណ៍​អត្រា​ស្នាក់នៅ ៦០% ក្នុង​ខែ​មីនា។",
    "Read {1} for details.": "សូម​អាន​ព័ត៌មាន​លម្អិត។",
    "Almost 100% of {1} members voted for the plan.": "សមាជិក​ស្ទើរតែ ១០០% នៃ {1} បាន​បោះឆ្នោត​គាំទ្រ​ផែនការ។",
    "Tourism officials expect more visitors next year.": "មន្ត្រី​ទេសចរណ៍​រំពឹង​ភ្ញៀវ​ច្រើន​ឡើង​នៅ​ឆ្នាំ​ក្រោយ។",
    "Prices rose sharply in the capital.": "តម្លៃ​បាន​ឡើង​ខ្លាំង​នៅ​រាជធានី។",
}


class KhmerEngine(FakeEngine):
    """Fixed Khmer for the story's sentences as the model sees them (markup masked)."""

    def translate(self, sentences, src, tgt):  # type: ignore[no-untyped-def]
        return [dataclasses.replace(t, text=KHMER.get(t.source, "ប្រយោគ។")) for t in super().translate(sentences, src, tgt)]


class Newsroom:
    """A story, its catalogs, a memory, and ``translate extract`` / ``mt`` as a sync runs them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.article = root / "story.md"
        self.article.write_text(STORY, encoding="utf-8")
        self.locales = root / "locales"
        self.po = self.locales / "km" / "LC_MESSAGES" / "story.po"
        self.pot = self.locales / "templates" / "story.pot"
        self.memory = root / "memory.sqlite3"

    def extract(self) -> None:
        [result] = extract([self.article], [KM], Workspace(locales=self.locales), now=FROZEN_NOW)
        assert result.error is None and all(c.error is None for c in result.catalogs)

    def mt(self, unconfirmed: Unconfirmed = Unconfirmed.KEEP) -> MTRun:
        with TranslationMemory(self.memory) as memory:
            run = machine_translate(
                [(self.article, "story")], [KM], self.locales, EngineSpec("fake", MODEL, DecodingConfig()),
                lambda: KhmerEngine(MODEL, DecodingConfig()), memory, unconfirmed=unconfirmed,
            )
        assert not run.errors
        return run

    def sync(self, unconfirmed: Unconfirmed = Unconfirmed.KEEP) -> MTRun:
        self.extract()
        return self.mt(unconfirmed)

    def catalog(self) -> polib.POFile:
        return polib.pofile(str(self.po))

    def save(self, po: polib.POFile) -> None:
        self.po.write_bytes(render_catalog(po))

    def state(self) -> dict[str, tuple[str, bool, str, str]]:
        """Per msgid: translation, fuzzy, translator comment, and provenance (model@revision of untouched machine text)."""
        records = read_records(self.po)
        found = {}
        for entry in self.catalog():
            if entry.obsolete:
                continue
            record = records.for_entry(entry)
            origin = ""
            if record is not None and record.origin is Origin.MACHINE and record.provenance is not None:
                origin = f"{record.provenance.signature}:{record.state}"
            found[entry.msgid] = (entry.msgstr, "fuzzy" in entry.flags, entry.tcomment or "", origin)
        return found

    def reviewed_in_memory(self) -> set[str]:
        with TranslationMemory(self.memory) as memory:
            return {source for source, _ in memory.reviewed_pairs("en", "km")}


@pytest.fixture
def newsroom(workdir: Path) -> Newsroom:
    room = Newsroom(workdir)
    room.sync()
    return room


def _poedit_review(room: Newsroom) -> None:
    """A translator in Poedit: edits one suggestion, accepts one unchanged, comments one; Poedit saves through msgcat."""
    po = room.catalog()
    edited = po.find("Prices rose sharply in the capital.")
    edited.msgstr, edited.flags = "តម្លៃ​ឡើង​យ៉ាង​ខ្លាំង​នៅ​ភ្នំពេញ។", [f for f in edited.flags if f != "fuzzy"]
    accepted = po.find("The hotel reported 60% occupancy in March.")
    accepted.flags = [f for f in accepted.flags if f != "fuzzy"]
    po.find("Tourism officials expect more visitors next year.").tcomment = "check the figure with the ministry"
    room.save(po)
    _run("msgcat", "--force-po", "-o", room.po, room.po)


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    tool = shutil.which(str(args[0])) or str(args[0])
    result = subprocess.run([tool, *map(str, args[1:])], capture_output=True, text=True)
    assert result.returncode == 0, f"{args[0]} failed: {result.stderr}"
    return result


def test_notes_not_translator_comments(newsroom: Newsroom) -> None:
    entry = newsroom.catalog().find(f"Read {LINK} for details.")
    assert not entry.tcomment
    notes = entry.comment.split("\n")
    assert notes[:3] == ["paragraph", f"mt: nllb-test@{MODEL.revision[:12]}", "mt issues: markup-not-placed"]
    assert notes[3].startswith("mt checks failed: ") and {"markup", "urls"} <= set(notes[3].split(": ")[1].split(", "))
    assert notes[4:] == [f"mt restore: link: {LINK}"]
    msgfmt_check(newsroom.po)


def test_msgmerge_and_msgcat_keep_everything(newsroom: Newsroom) -> None:
    _poedit_review(newsroom)
    newsroom.extract()  # a sync settles the review states
    before = newsroom.state()
    assert before["The hotel reported 60% occupancy in March."][3].endswith(":accepted")
    _run("msgmerge", "--quiet", "--previous", "-U", "--backup=off", newsroom.po, newsroom.pot)
    assert "#. mt: " not in newsroom.po.read_text(encoding="utf-8")  # msgmerge replaced the notes with the template's
    _run("msgcat", "--force-po", "-o", newsroom.po, newsroom.po)
    assert newsroom.sync().results[0].machine == 0
    assert newsroom.state() == before
    assert "#. mt: " in newsroom.po.read_text(encoding="utf-8")  # and the next update brought them back
    msgfmt_check(newsroom.po)


def test_pybabel_update_then_compile(newsroom: Newsroom) -> None:
    _poedit_review(newsroom)
    newsroom.extract()
    before = newsroom.state()
    update = subprocess.run(
        [str(PYBABEL), "update", "-i", str(newsroom.pot), "-d", str(newsroom.locales), "-D", "story", "-l", "km", "--previous"],
        capture_output=True, text=True,
    )
    assert update.returncode == 0, update.stderr
    text = newsroom.po.read_text(encoding="utf-8")
    # Babel guesses python-format for "60% occupancy" ("% o") whatever the entry says, and sorts it last,
    # where msgfmt -c takes it: the reviewed entry no longer passes.
    assert "#, no-c-format, no-python-format, python-format\nmsgid \"The hotel reported 60% occupancy" in text
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(newsroom.po)], capture_output=True).returncode == 1
    # pybabel compile reports the same guess as an error, and writes the .mo all the same
    mo = newsroom.po.with_suffix(".mo")
    compiled = subprocess.run([str(PYBABEL), "compile", "-d", str(newsroom.locales), "-D", "story", "-l", "km"], capture_output=True, text=True)
    errors = [line for line in compiled.stderr.splitlines() if line.startswith("error:")]
    lines = newsroom.po.read_text(encoding="utf-8").splitlines()
    assert errors and all(
        "placeholders are incompatible" in error and "% " in lines[int(error.split(":")[2]) - 1] for error in errors
    ), compiled.stderr
    reviewed = {e.msgid: e.msgstr for e in polib.pofile(str(newsroom.po)) if e.msgstr and "fuzzy" not in e.flags and not e.obsolete}
    assert {e.msgid: e.msgstr for e in polib.mofile(str(mo)) if e.msgid} == reviewed
    # the next update takes the format flags from the template again: msgfmt -c passes, nothing else changed
    newsroom.sync()
    assert newsroom.state() == before
    assert "python-format\n" not in newsroom.po.read_text(encoding="utf-8").replace("no-python-format\n", "")
    msgfmt_check(newsroom.po)
    _run("msgfmt", "-c", "-o", mo, newsroom.po)


def test_csv_round_trip_is_detected_reported_and_restored(newsroom: Newsroom) -> None:
    _poedit_review(newsroom)
    newsroom.extract()
    before = newsroom.state()
    csv = newsroom.root / "story.csv"
    ttk.run("po2csv", newsroom.po, csv)
    ttk.run("csv2po", csv, newsroom.po)  # no template: every fuzzy flag and comment is gone
    back = newsroom.catalog()
    assert not any("fuzzy" in e.flags for e in back) and not any(e.comment for e in back if e.msgid)
    run = newsroom.sync()
    [result] = run.results
    machine_left = {m for m, (_, fuzzy, _, origin) in before.items() if fuzzy and origin}
    assert set(result.unconfirmed) == machine_left and len(machine_left) >= 3
    assert newsroom.reviewed_in_memory() == {"Prices rose sharply in the capital.", "The hotel reported 60% occupancy in March."}
    assert all("CSV round trip" in newsroom.catalog().find(m).comment for m in machine_left)
    assert all("fuzzy" not in newsroom.catalog().find(m).flags for m in machine_left)  # reported, not rewritten
    [row] = status([newsroom.article], [KM], Workspace(locales=newsroom.locales))
    assert row.stats is not None and row.stats.translated == 2 and row.stats.fuzzy == len(machine_left)  # not counted as reviewed
    [published] = publish([newsroom.article], KM, newsroom.root / "out", Workspace(locales=newsroom.locales), PublishOptions(include_fuzzy=False, checks=False))
    assert published.error is None and published.translated == 2  # reviewed-only publishing leaves them out
    restored = newsroom.mt(Unconfirmed.RESTORE)
    assert restored.results[0].restored == len(machine_left) and not restored.results[0].unconfirmed
    after = newsroom.state()
    assert {m: s[:2] + s[3:] for m, s in after.items()} == {m: s[:2] + s[3:] for m, s in before.items()}  # translator comments: CSV has none
    msgfmt_check(newsroom.po)


def test_csv_round_trip_with_the_catalog_as_template_keeps_everything(newsroom: Newsroom) -> None:
    _poedit_review(newsroom)
    newsroom.extract()
    before = newsroom.state()
    csv = newsroom.root / "story.csv"
    ttk.run("po2csv", newsroom.po, csv)
    ttk.run("csv2po", "-t", newsroom.po, csv, newsroom.root / "back.po")
    shutil.copyfile(newsroom.root / "back.po", newsroom.po)
    assert not newsroom.sync().results[0].unconfirmed
    assert newsroom.state() == before


def test_pomerge_of_spreadsheet_edits_loses_fuzzy_flags_and_is_detected(newsroom: Newsroom) -> None:
    newsroom.extract()
    csv = newsroom.root / "story.csv"
    ttk.run("po2csv", newsroom.po, csv)
    ttk.run("csv2po", csv, newsroom.root / "edits.po")
    ttk.run("pomerge", "-t", newsroom.po, "-i", newsroom.root / "edits.po", "-o", newsroom.root / "merged.po")
    shutil.copyfile(newsroom.root / "merged.po", newsroom.po)
    assert "#. mt: " in newsroom.po.read_text(encoding="utf-8")  # pomerge keeps comments, but not the fuzzy flags
    assert len(newsroom.sync().results[0].unconfirmed) == 6


def test_a_catalog_of_the_old_layout_keeps_its_history(newsroom: Newsroom) -> None:
    """Translator comments as older versions wrote them (and pybabel update wrapped them) move to the sidecar."""
    po = newsroom.catalog()
    records = read_records(newsroom.po)
    for entry in po:
        record = records.for_entry(entry)
        entry.comment = entry.comment.split("\n")[0]
        if record is None:
            continue
        lines = [f"mt:{record.provenance.signature}", f"mt_settings:{record.provenance.settings}", f"mt_sha256:{record.digest}"]
        lines += [f"mt_issues:{','.join(record.issues)}"] if record.issues else []
        lines += [f"mt_check:{','.join(record.checks)}"] if record.checks else []
        lines += [f"mt_restore: {item}" for item in record.restore]
        entry.tcomment = "\n".join(lines)
    edited = po.find("Prices rose sharply in the capital.")
    edited.msgstr = "តម្លៃ​ឡើង​យ៉ាង​ខ្លាំង។"  # edited by a person before the move
    newsroom.save(po)
    newsroom.po.with_name("story.mt.jsonl").unlink()
    _run(PYBABEL, "update", "-i", newsroom.pot, "-d", newsroom.locales, "-D", "story", "-l", "km", "--previous")
    assert "\n# ministry](https://example.org/2024/03/statement-on-hotel-occupancy)\n" in newsroom.po.read_text(encoding="utf-8")  # the wrapped tail
    assert newsroom.sync().results[0].machine == 0
    moved = newsroom.catalog()
    assert not any(e.tcomment for e in moved)
    link = moved.find(f"Read {LINK} for details.")
    assert f"mt restore: link: {LINK}" in link.comment.split("\n")
    history = read_records(newsroom.po).history(moved.find("Prices rose sharply in the capital."))
    assert history is not None and history.state is State.SUGGESTED and history.digest != ""
    assert read_records(newsroom.po).for_entry(moved.find("Prices rose sharply in the capital.")) is None  # a person's text now
    msgfmt_check(newsroom.po)


def test_everything_through_every_tool_comes_back(newsroom: Newsroom) -> None:
    """Poedit edits, msgmerge, pybabel update + compile, a Translate Toolkit CSV round trip: all of it comes back."""
    _poedit_review(newsroom)
    newsroom.extract()
    before = newsroom.state()
    _run("msgmerge", "--quiet", "--previous", "-U", "--backup=off", newsroom.po, newsroom.pot)
    _run("msgcat", "--force-po", "-o", newsroom.po, newsroom.po)
    subprocess.run([str(PYBABEL), "update", "-i", str(newsroom.pot), "-d", str(newsroom.locales), "-D", "story", "-l", "km", "--previous"], check=True, capture_output=True)
    subprocess.run([str(PYBABEL), "compile", "-d", str(newsroom.locales), "-D", "story", "-l", "km"], capture_output=True)
    assert newsroom.po.with_suffix(".mo").is_file()
    csv = newsroom.root / "story.csv"
    ttk.run("po2csv", newsroom.po, csv)
    ttk.run("csv2po", csv, newsroom.po)
    comments = {e.msgid: e.tcomment for e in polib.pofile(str(newsroom.root / "locales" / "km" / "LC_MESSAGES" / "story.po"))}
    assert not any(comments.values())  # CSV carries no translator comments: put the one back as the translator would
    po = newsroom.catalog()
    po.find("Tourism officials expect more visitors next year.").tcomment = "check the figure with the ministry"
    newsroom.save(po)
    first = newsroom.sync()
    assert len(first.results[0].unconfirmed) >= 3
    newsroom.mt(Unconfirmed.RESTORE)
    assert newsroom.state() == before
    msgfmt_check(newsroom.po)


def test_mt_command_reports_a_csv_round_trip_and_restores_on_request(newsroom: Newsroom, tiny_nllb_folder: Path) -> None:
    from click.testing import CliRunner

    from translate.cli import cli

    csv = newsroom.root / "story.csv"
    ttk.run("po2csv", newsroom.po, csv)
    ttk.run("csv2po", csv, newsroom.po)
    args = ["--locales", str(newsroom.locales), "mt", str(newsroom.article), "--to", "km", "--model", str(tiny_nllb_folder), "--memory", str(newsroom.memory)]
    reported = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert reported.exit_code == 0, reported.output
    assert f"{newsroom.po}: 6 machine suggestions came back as reviewed without an edit: probably through a CSV round trip" in reported.output
    assert not any("fuzzy" in e.flags for e in newsroom.catalog())
    restored = CliRunner().invoke(cli, [*args, "--unconfirmed", "restore-fuzzy"], catch_exceptions=False)
    assert restored.exit_code == 0, restored.output
    assert "came back as reviewed" not in restored.output and "6 marked fuzzy again" in restored.output
    assert all("fuzzy" in e.flags for e in newsroom.catalog() if e.msgid)
