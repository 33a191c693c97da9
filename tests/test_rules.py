"""Publish rules: minimum reviewed share, parts that must be reviewed, config and CLI."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW

from translate.api import Workspace, extract, publish
from translate.catalog.store import render_catalog
from translate.cli import cli
from translate.editions import Edition
from translate.errors import ConfigError
from translate.languages import language
from translate.rules import PublishRules, read_rules

ARTICLE = """Floods hit Kandal province

Heavy rain flooded three districts on Monday.

Officials said schools were closed.

Hundreds of families left their homes.
"""
REVIEWED = {
    "Floods hit Kandal province": "ទឹកជំនន់វាយប្រហារខេត្តកណ្ដាល",
    "Officials said schools were closed.": "មន្ត្រីបាននិយាយថាសាលារៀនត្រូវបានបិទ។",
    "Hundreds of families left their homes.": "គ្រួសាររាប់រយបានចាកចេញពីផ្ទះរបស់ពួកគេ។",
}
MACHINE = {"Heavy rain flooded three districts on Monday.": "ភ្លៀងធ្លាក់ខ្លាំង។"}


@pytest.fixture
def story(workdir: Path) -> tuple[Path, Workspace]:
    article = workdir / "floods.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    ws = Workspace(locales=workdir / "locales")
    [result] = extract([article], [language("km")], ws, now=FROZEN_NOW)
    po_path = result.catalogs[0].path
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = REVIEWED.get(entry.msgid) or MACHINE.get(entry.msgid, "")
        if entry.msgid in MACHINE:
            entry.flags.append("fuzzy")
    po_path.write_bytes(render_catalog(po))
    return article, ws


@pytest.mark.parametrize(
    "rules, error",
    [
        (PublishRules(min_reviewed=0.75), None),
        (PublishRules(min_reviewed=0.8), "only 3 of 4 sentences (75%) are reviewed in km, 80% required"),
        (PublishRules(require_reviewed=("title",)), None),
        (PublishRules(require_reviewed=("title", "lede")), "the lede is not reviewed in km: 'Heavy rain flooded"),
        (PublishRules(require_reviewed=("heading", "caption")), None),
    ],
    ids=["min-met", "min-missed", "title-ok", "lede-fuzzy", "no-headings-or-captions"],
)
def test_rules(story: tuple[Path, Workspace], workdir: Path, rules: PublishRules, error: str | None) -> None:
    article, ws = story
    [result] = publish([article], language("km"), workdir / "out", ws, rules=rules)
    if error is None:
        assert result.error is None
    else:
        assert result.error is not None and error in str(result.error)
        assert str(result.error).startswith(str(article))
        assert "\n" not in str(result.error) and "(" in str(result.error)  # one line with a hint


@pytest.mark.parametrize("edition", list(Edition))
def test_failed_rule_keeps_previous_output(story: tuple[Path, Workspace], workdir: Path, edition: Edition) -> None:
    article, ws = story
    [first] = publish([article], language("km"), workdir / "out", ws, edition=edition)
    assert first.output is not None
    before = first.output.read_bytes()
    po_path = workdir / "locales/km/LC_MESSAGES/floods.po"
    po = polib.pofile(str(po_path))
    po.find("Floods hit Kandal province").flags.append("fuzzy")
    po_path.write_bytes(render_catalog(po))
    [second] = publish([article], language("km"), workdir / "out", ws, rules=PublishRules(require_reviewed=("title",)), edition=edition)
    assert second.error is not None and "title" in str(second.error)
    assert first.output.read_bytes() == before


def test_rules_from_config_and_flags(workdir: Path) -> None:
    (workdir / "translate.toml").write_text('[publish]\nmin_reviewed = 0.9\nrequire_reviewed = ["title", "lede"]\n', encoding="utf-8")
    assert read_rules() == PublishRules(0.9, ("title", "lede"))
    assert read_rules(min_reviewed=0.5, require_reviewed="caption") == PublishRules(0.5, ("caption",))


@pytest.mark.parametrize(
    "kwargs",
    [{"min_reviewed": 1.5}, {"require_reviewed": ("body",)}],
    ids=["share-above-one", "unknown-part"],
)
def test_invalid_rules(kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        PublishRules(**kwargs)


def test_cli_stops_with_one_line(story: tuple[Path, Workspace], workdir: Path) -> None:
    article, _ = story
    result = CliRunner().invoke(cli, ["--locales", str(workdir / "locales"), "publish", str(article), "--to", "km", "--require-reviewed", "title,lede", "-o", str(workdir / "out")])
    assert result.exit_code != 0
    assert "the lede is not reviewed in km" in result.output
    assert not (workdir / "out" / "floods.km.txt").exists()
