"""`translate check` over catalogs, and checks recorded on machine output by `mt`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
from click.testing import CliRunner

from translate.checks.run import check_catalogs
from translate.cli import cli
from translate.mt.pretranslate import Origin, Provenance, Suggestion, fill, text_digest

QA = Path(__file__).parent / "data" / "qa" / "failures.po"


def _locales(tmp_path: Path) -> Path:
    locales = tmp_path / "locales"
    (locales / "km" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(QA, locales / "km" / "LC_MESSAGES" / "qa.po")
    shutil.copy(QA.with_name("glossary.csv"), locales / "km" / "glossary.csv")
    return locales


def test_check_prints_path_line_severity_check_message_and_exits_1(tmp_path: Path) -> None:
    locales = _locales(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check"])
    assert result.exit_code == 1, result.output
    path = locales / "km" / "LC_MESSAGES" / "qa.po"
    lines = {entry.linenum: entry for entry in polib.pofile(str(path))}
    numbers = next(line for line in result.stdout.splitlines() if ": numbers: " in line)
    location, severity, check, _ = numbers.split(": ", 3)
    where, line = location.rsplit(":", 1)
    assert where == str(path)
    assert lines[int(line)].msgctxt == "numbers-1"
    assert (severity, check) == ("error", "numbers")
    assert "errors" in result.stderr


def test_check_article_names_and_json(tmp_path: Path) -> None:
    locales = _locales(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "articles/qa.md", "--to", "km", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["entries"] == len([e for e in polib.pofile(str(QA)) if e.msgstr])
    flagged = {item["msgctxt"]: {failure["check"] for failure in item["failures"]} for item in report["failures"]}
    assert "numbers" in flagged["numbers-1"]
    assert flagged["glossary-1"] == {"glossary"}  # locales/km/glossary.csv is used without options
    assert not any(context.startswith("clean") for context in flagged)
    assert {failure["severity"] for item in report["failures"] for failure in item["failures"]} == {"error", "warning"}


def test_ignore_flag_reports_the_failure_as_suppressed_in_json(tmp_path: Path) -> None:
    locales = _locales(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "--json"])
    report = json.loads(result.stdout)
    items = {item["msgctxt"]: item for item in report["failures"]}
    miles = items["suppressed-numbers"]
    assert miles["failures"] == []
    assert miles["suppressed"] == [{"check": "numbers", "severity": "error", "message": "numbers differ: missing 5; extra 8"}]
    assert [f["check"] for f in items["suppressed-end-stop"]["suppressed"]] == ["end-punctuation"]
    assert report["suppressed"] == sum(len(item["suppressed"]) for item in report["failures"]) == 2
    assert [f["check"] for f in items["flags-1"]["failures"]] == ["flags"]
    assert "ignore-numbrs" in items["flags-1"]["failures"][0]["message"]


def test_an_entry_whose_only_error_is_silenced_does_not_fail_the_check(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    folder = locales / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    path = folder / "a.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: km\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        "#, ignore-numbers\n"
        'msgid "The town is 5 miles from the border."\n'
        'msgstr "ទីក្រុង\u200bនេះ\u200bស្ថិត\u200bនៅ\u200bចម្ងាយ ៨ គីឡូម៉ែត្រ\u200bពី\u200bព្រំដែន។"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errors, 0 warnings, 1 suppressed by ignore- flags" in result.stderr
    path.write_text(path.read_text(encoding="utf-8").replace("#, ignore-numbers\n", ""), encoding="utf-8")
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check"])
    assert result.exit_code == 1
    assert ": error: numbers: " in result.stdout


def test_a_po_path_is_checked_as_given(tmp_path: Path) -> None:
    elsewhere = tmp_path / "review" / "qa-km.po"
    elsewhere.parent.mkdir()
    shutil.copy(QA, elsewhere)
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path / "locales"), "check", str(elsewhere), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["catalogs"] == [str(elsewhere)]
    assert report["entries"] > 20 and report["errors"] > 0


def test_a_po_path_without_language_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "A."\nmsgstr "ក។"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path), "check", str(path)])
    assert result.exit_code == 2
    assert f"{path}: has no Language header" in result.output


def test_a_path_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    locales = _locales(tmp_path)
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "nosuch.po"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["Error: nosuch.po: no such catalog (check the path, or name the article (translate check story.md) to check its catalogs)"]
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "some-article.md"])
    assert result.exit_code == 2
    assert "some-article.md: no catalog named some-article.po under" in result.output
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "qa.md", "--to", "th"])
    assert result.exit_code == 2
    assert "in th" in result.output


def test_check_list_names_every_check_and_its_flags() -> None:
    result = CliRunner().invoke(cli, ["check", "--list", "--json"])
    assert result.exit_code == 0
    listed = {item["check"]: item for item in json.loads(result.stdout)}
    assert {"numbers", "placeholders", "brackets", "glossary"} <= set(listed)
    assert listed["end-punctuation"]["flags"][:2] == ["ignore-end-punctuation", "ignore-end-stop"]
    assert listed["numbers"]["severity"] == "error"


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    folder = locales / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Language": "km", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="He left.", msgstr="គាត់\u200bបាន\u200bចាកចេញ"))
    po.save(str(folder / "a.po"))
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check"])
    assert result.exit_code == 0
    assert ": warning: end-punctuation: " in result.stdout


def test_untranslated_entries_are_not_checked(tmp_path: Path) -> None:
    locales = _locales(tmp_path)
    po = polib.pofile(str(QA))
    for entry in po:
        entry.msgstr = ""
    po.save(str(locales / "km" / "LC_MESSAGES" / "qa.po"))
    report = check_catalogs(locales)
    assert (report.entries, report.reports, report.has_errors) == (0, (), False)


def _catalog() -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": "km", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="About 1200 companies were used."))
    po.append(polib.POEntry(msgid="The court met on Monday."))
    return po


def _machine(text: str) -> Suggestion:
    return Suggestion(text, Origin.MACHINE, Provenance("tiny", "0" * 40, "fake|beam:4", ""))


def test_mt_records_failed_checks_on_machine_output_and_keeps_it_fuzzy() -> None:
    result, report = fill(_catalog(), {"About 1200 companies were used.": _machine("ក្រុមហ៊ុន\u200bប្រហែល ១៣០០ ត្រូវ\u200bបាន\u200bប្រើ។")})
    entry = result.find("About 1200 companies were used.")
    assert "fuzzy" in entry.flags
    [record] = report.records
    assert record.checks == ("numbers",) and not entry.tcomment
    assert report.machine == 1


def test_mt_postprocesses_khmer_machine_output_and_digests_what_it_wrote() -> None:
    result, report = fill(_catalog(), {"The court met on Monday.": _machine("តុលាការ បាន ប្រជុំ នៅ ថ្ងៃ ច័ន្ទ.")})
    entry = result.find("The court met on Monday.")
    assert entry.msgstr == "តុលាការ\u200bបាន\u200bប្រជុំ\u200bនៅ\u200bថ្ងៃ\u200bច័ន្ទ។"
    [record] = report.records
    assert record.checks == ()
    assert record.digest == record.provenance.digest == text_digest(entry.msgstr)


def test_reviewed_suggestions_are_neither_rewritten_nor_checked() -> None:
    text = "តុលាការ បាន ប្រជុំ."
    result, report = fill(_catalog(), {"The court met on Monday.": Suggestion(text, Origin.REVIEWED, source_catalog="other")})
    entry = result.find("The court met on Monday.")
    assert entry.msgstr == text
    [record] = report.records
    assert record.origin is Origin.REVIEWED and record.checks == () and record.provenance is None


def test_glossary_terms_must_be_used(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    folder = locales / "km" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Language": "km", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="The National Assembly met in Phnom Penh.", msgstr="សភា\u200bជាតិ\u200bបាន\u200bប្រជុំ\u200bនៅ\u200bភ្នំពេញ។"))
    po.append(polib.POEntry(msgid="The national assembly voted.", msgstr="រដ្ឋ\u200bសភា\u200bបាន\u200bបោះឆ្នោត។"))
    po.save(str(folder / "a.po"))
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("source,target,lang\nNational Assembly,រដ្ឋសភា,km\nPhnom Penh,ភ្នំពេញ,km\nPhnom Penh,Phnom Penh,fr\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--locales", str(locales), "check", "--glossary", str(glossary), "--json"])
    assert result.exit_code == 0, result.output
    failures = [(item["msgid"], failure["check"], failure["message"]) for item in json.loads(result.stdout)["failures"] for failure in item["failures"]]
    assert failures == [("The National Assembly met in Phnom Penh.", "glossary", "glossary term not used: National Assembly → រដ្ឋសភា")]


def test_glossary_without_header_is_refused(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.csv"
    glossary.write_text("National Assembly,រដ្ឋសភា\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--locales", str(tmp_path), "check", "--glossary", str(glossary)])
    assert result.exit_code == 1
    assert "source and target" in result.output
