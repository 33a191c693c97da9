"""The command line, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA, SAMPLES, msgfmt_check
from translate.cli import cli

HEAVY = ("polib", "babel", "yaml", "markdown_it", "torch", "transformers", "pysbd")


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        "sys.argv = ['translate', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", ["extract", "publish", "status"])
def test_each_command_has_help(command: str) -> None:
    result = _run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_python_dash_m_works() -> None:
    out = subprocess.run([sys.executable, "-m", "translate", "--version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("translate, version ")


def test_extract_publish_status_on_articles(workdir: Path) -> None:
    for name in ("cambodia-rice-exports.txt", "flood-warning.txt"):
        shutil.copyfile(DATA / "text" / name, workdir / name)
    result = _run("extract", "cambodia-rice-exports.txt", "flood-warning.txt", "--to", "km,th")
    assert result.exit_code == 0, result.output
    for po in sorted((workdir / "locales").glob("*/LC_MESSAGES/*.po")) + sorted((workdir / "locales").glob("templates/*.pot")):
        msgfmt_check(po)
    assert len(list((workdir / "locales").glob("*/LC_MESSAGES/*.po"))) == 4
    status = _run("status", "--json")
    rows = json.loads(status.output)
    assert {(r["article"], r["language"]) for r in rows} == {
        ("cambodia-rice-exports", "km"), ("cambodia-rice-exports", "th"), ("flood-warning", "km"), ("flood-warning", "th"),
    }
    assert all(r["translated"] == 0 and r["untranslated"] == r["entries"] > 0 for r in rows)
    table = _run("status", "--to", "km")
    assert "cambodia-rice-exports" in table.output and " th " not in table.output
    published = _run("publish", "flood-warning.txt", "--to", "km", "-o", "site")
    assert published.exit_code == 0
    assert (workdir / "site" / "flood-warning.km.txt").read_bytes() == (DATA / "text" / "flood-warning.txt").read_bytes()


def test_furniture_is_skipped_by_default_and_can_be_kept(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "flood-warning.txt")
    _run("extract", "flood-warning.txt")
    pot = (workdir / "locales" / "templates" / "flood-warning.pot").read_text(encoding="utf-8")
    assert "Logo of" not in pot and "Related Articles" not in pot and "Drought hits" not in pot
    assert "#. caption" in pot
    _run("extract", "flood-warning.txt", "--keep-furniture")
    pot = (workdir / "locales" / "templates" / "flood-warning.pot").read_text(encoding="utf-8")
    assert "Logo of" in pot and "Drought hits" in pot


def test_custom_stop_at_rule(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "cambodia-rice-exports.txt", workdir / "rice.txt")
    _run("extract", "rice.txt", "--stop-at", "The main destinations were:")
    pot = (workdir / "locales" / "templates" / "rice.pot").read_text(encoding="utf-8")
    assert "Chan Sokheang" in pot and "European Union" not in pot


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample articles not present")
def test_sample_article_main_job(workdir: Path) -> None:
    articles = [str(p) for p in sorted(SAMPLES.glob("*.txt"))]
    assert _run("extract", *articles, "--to", "km").exit_code == 0
    for po in (workdir / "locales").glob("*/LC_MESSAGES/*.po"):
        msgfmt_check(po)
    pot = next((workdir / "locales" / "templates").glob("*.pot")).read_text(encoding="utf-8")
    assert "MOST VIEWED" not in pot and "Swire Coca-Cola" not in pot and "Logo of" not in pot
    assert "#. title; heading" in pot
    assert _run("publish", *articles, "--to", "km").exit_code == 0
