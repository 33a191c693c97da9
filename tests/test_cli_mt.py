"""``translate mt`` and ``translate run`` end to end with a tiny model built here."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from click.testing import CliRunner

from conftest import DATA, msgfmt_check
from translate.cli import cli
from translate.checks import error_failures
from translate.catalog.provenance import read_records
from translate.mt.pretranslate import machine_text_untouched


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _fast(model: Path, memory: Path) -> list[str]:
    return ["--model", str(model), "--memory", str(memory), "--beam-size", "1", "--no-retry"]


def test_run_translates_and_publishes(workdir: Path, tiny_nllb_folder: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.5\nmax_new_tokens_extra = 2\n", encoding="utf-8")
    result = _run("run", "wages.txt", "--to", "km", *_fast(tiny_nllb_folder, workdir / "tm.sqlite3"))
    assert result.exit_code == 0, result.output
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"
    msgfmt_check(po_path)
    po = polib.pofile(str(po_path))
    records = read_records(po_path)
    assert all(e.msgstr and "fuzzy" in e.flags and machine_text_untouched(e, records) for e in po)
    assert all("maxnew:0.5x+2" in r.provenance.settings and "beam:1" in r.provenance.settings for r in records)
    published = (workdir / "out" / "wages.km.txt").read_bytes()
    # a random-weight model's output: what fails an error-level check is withheld (listed), the rest is published
    passing = [e for e in po if not error_failures(e.msgid, e.msgstr, "km")]
    assert result.output.count("withheld: ") == len(po) - len(passing)
    assert (published != (DATA / "text" / "garment-wages.txt").read_bytes()) == bool(passing)
    assert all(e.msgstr.encode() in published for e in passing)
    assert b"\r\n" in published  # the source's CRLF line ends are kept
    again = _run("run", "wages.txt", "--to", "km", *_fast(tiny_nllb_folder, workdir / "tm.sqlite3"))
    assert again.exit_code == 0 and "0 model calls" in again.output
    assert (workdir / "out" / "wages.km.txt").read_bytes() == published


def test_reviewed_only_publishes_english(workdir: Path, tiny_nllb_folder: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.2\nmax_new_tokens_extra = 1\n", encoding="utf-8")
    result = _run("run", "wages.txt", "--to", "km", "--reviewed-only", *_fast(tiny_nllb_folder, workdir / "tm.sqlite3"))
    assert result.exit_code == 0, result.output
    assert (workdir / "out" / "wages.km.txt").read_bytes() == (DATA / "text" / "garment-wages.txt").read_bytes()


def test_missing_model_is_one_line_error(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    _run("extract", "wages.txt", "--to", "km")
    result = _run("mt", "wages.txt", "--to", "km", "--model", "./no-such-model")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "no-such-model" in result.output


def test_bad_decoding_setting_in_config(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text("[decoding]\nbeam_width = 4\n", encoding="utf-8")
    result = _run("mt", "wages.txt", "--to", "km", "--model", ".")
    assert result.exit_code == 1 and "unknown decoding setting 'beam_width'" in result.output
