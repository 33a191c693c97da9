"""Command-line habits: the same names for the same thing, --json everywhere, one report shape."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polib
import pytest
from click.testing import CliRunner
from conftest import DATA, khmer_stand_in

from translate.cli import cli

ERROR_KEYS = {"file", "line", "message", "hint", "text"}


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


# -- one name per thing; test-only choices hidden ---------------------------------


@pytest.mark.parametrize("command", ["mt", "run", "sync"])
def test_backend_is_one_option_with_the_same_choices(command: str) -> None:
    text = invoke(command, "--help").output
    assert "--backend [auto|ctranslate2|transformers|openai-compatible]" in text
    assert "fake" not in text and "--engine" not in text


def _workspace(root: Path) -> Path:
    (root / "articles").mkdir()
    (root / "articles" / "story.txt").write_text("Floods hit Kandal\n\nHeavy rain fell on Monday.\n", encoding="utf-8")
    (root / "translate.toml").write_text('[workspace]\nsources = ["articles/*.txt"]\nlanguages = ["km"]\noutput = "site"\n', encoding="utf-8")
    return root


def test_sync_takes_the_hidden_fake_backend_and_the_former_option_name(workdir: Path) -> None:
    _workspace(workdir)
    result = invoke("sync", "--backend", "fake")
    assert result.exit_code == 0, result.output
    assert (workdir / "site" / "story.km.txt").is_file()
    result = invoke("sync", "--engine", "fake", "--force")
    assert result.exit_code == 0, result.output
    assert "note: --engine is now called --backend" in result.stderr
    result = invoke("sync", "--engine", "fake", "--backend", "auto")
    assert result.exit_code == 2
    assert "--engine is the former name of --backend" in result.output


def test_unknown_backend_lists_only_the_real_ones(workdir: Path) -> None:
    _workspace(workdir)
    result = invoke("sync", "--backend", "magic")
    assert result.exit_code == 2
    assert "'magic' is not one of 'auto', 'ctranslate2', 'transformers'" in result.output


# -- --json on extract, publish, mt and run ---------------------------------------


def _article(workdir: Path) -> Path:
    path = workdir / "wages.txt"
    shutil.copyfile(DATA / "text" / "garment-wages.txt", path)
    return path


def _review(po_path: Path) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = khmer_stand_in(entry.msgid)
    po.save(str(po_path))


def test_extract_and_publish_json(workdir: Path) -> None:
    _article(workdir)
    result = invoke("extract", "wages.txt", "missing.txt", "--to", "km", "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"articles", "errors", "skipped"}
    good, bad = report["articles"]
    assert good["article"] == "wages.txt" and good["template"] == "locales/templates/wages.pot" and good["error"] is None
    [catalog] = good["catalogs"]
    assert catalog == {"language": "km", "catalog": "locales/km/LC_MESSAGES/wages.po", "written": True, "kept": 0, "fuzzy": 0, "new": good["sentences"], "obsolete": 0, "error": None}
    assert set(bad["error"]) == ERROR_KEYS and bad["error"]["file"] == "missing.txt"
    assert report["errors"] == [bad["error"]] and report["skipped"] == []
    _review(workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po")
    result = invoke("publish", "wages.txt", "--to", "km", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    [article] = report["articles"]
    assert article["article"] == "wages.txt" and article["language"] == "km" and article["output"] == "out/wages.km.txt"
    assert article["translated"] == article["reviewed"] == article["sentences"] > 0
    assert article["withheld"] == [] and article["error"] is None and report["errors"] == []


def test_publish_json_lists_withheld_translations(workdir: Path) -> None:
    _article(workdir)
    invoke("extract", "wages.txt", "--to", "km")
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "wages.po"
    _review(po_path)
    po = polib.pofile(str(po_path))
    po[0].msgstr = "ក\u202eខ"
    po.save(str(po_path))
    report = json.loads(invoke("publish", "wages.txt", "--to", "km", "--json").stdout)
    [withheld] = report["articles"][0]["withheld"]
    assert withheld["catalog"] == str(po_path.relative_to(workdir)) and withheld["msgid"] == po[0].msgid
    assert withheld["checks"][0]["check"] == "control"


def test_mt_and_run_json(workdir: Path, tiny_nllb_folder: Path) -> None:
    _article(workdir)
    (workdir / "translate.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.2\nmax_new_tokens_extra = 1\n", encoding="utf-8")
    fast = ["--model", str(tiny_nllb_folder), "--memory", str(workdir / "tm.sqlite3"), "--beam-size", "1", "--no-retry", "--json"]
    result = invoke("run", "wages.txt", "--to", "km", *fast)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"articles", "mt", "published", "errors", "skipped"}
    assert report["articles"][0]["catalogs"][0]["language"] == "km"
    sentences = report["mt"]["sentences"]
    assert sentences["to_translate"] == sentences["translated"] > 0 and report["mt"]["model"]["calls"] >= 1
    [catalog] = report["mt"]["catalogs"]
    assert catalog["article"] == "wages.txt" and catalog["machine"] == sentences["translated"] and catalog["error"] is None
    assert report["published"][0]["output"] == "out/wages.km.txt"
    result = invoke("mt", "wages.txt", "--to", "km", *fast)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"seconds", "sentences", "model", "catalogs", "errors", "skipped"}
    assert report["sentences"]["to_translate"] == 0 and report["model"]["calls"] == 0  # all done: nothing to translate


def test_check_json_refused_catalogs_use_the_error_shape(workdir: Path) -> None:
    _article(workdir)
    invoke("extract", "wages.txt", "--to", "km")
    other = workdir / "other" / "wages.txt"
    other.parent.mkdir()
    shutil.copyfile(workdir / "wages.txt", other)
    # other/wages.txt is named other-wages (wages is taken); a copy of wages.txt's catalogs under that name belongs to wages.txt
    for folder in ("templates", "km/LC_MESSAGES"):
        suffix = ".pot" if folder == "templates" else ".po"
        shutil.copyfile(workdir / "locales" / folder / f"wages{suffix}", workdir / "locales" / folder / f"other-wages{suffix}")
    result = invoke("check", str(other), "--json")
    assert result.exit_code == 1
    [refused] = json.loads(result.stdout)["refused"]
    assert set(refused) == ERROR_KEYS and "belongs to" in refused["message"]


# -- references do not depend on the folder a command runs in ------------------------


def test_references_are_relative_to_the_workspace_root_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "site"
    (root / "content" / "news").mkdir(parents=True)
    story = root / "content" / "news" / "story.txt"
    story.write_text("Floods hit Kandal\n\nHeavy rain fell on Monday.\n", encoding="utf-8")
    templates = []
    for folder, args in ((root, ["extract", "content/news/story.txt", "--to", "km"]), (root / "content" / "news", ["--locales", "../../locales", "extract", "story.txt", "--to", "km"])):
        monkeypatch.chdir(folder)
        (root / "locales" / "templates" / "story.pot").unlink(missing_ok=True)
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        templates.append((root / "locales" / "templates" / "story.pot").read_text(encoding="utf-8"))
        catalog = polib.pofile(str(root / "locales" / "km" / "LC_MESSAGES" / "story.po"))
        assert {occurrence[0] for entry in catalog for occurrence in entry.occurrences} == {"content/news/story.txt"}
    assert templates[0] == templates[1]
    assert "#: content/news/story.txt:1" in templates[0]
