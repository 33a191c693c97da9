"""Shared set-up of the exchange tests: a realistic catalog in every review state, Translate Toolkit's tools."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import DATA, FROZEN_NOW, ROOT
from translate.api import Workspace, extract
from translate.catalog.store import render_catalog
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.memory import TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.service import EngineSpec, machine_translate

KM = language("km")
MODEL = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0123456789abcdef0123456789abcdef01234567", license="MIT")
TTK = ROOT / ".venv-ttk" / "bin"
SCHEMAS = ROOT / ".schemas" / "xliff"
ARTICLE = "jekyll_post.md"
SLUG = "jekyll_post"
REVIEWED = "Checked against the ministry's statement."


def catalog_file(locales: Path) -> Path:
    return locales / "km" / "LC_MESSAGES" / f"{SLUG}.po"


def make_catalog(root: Path) -> Path:
    """A Markdown article's Khmer catalog with every state a catalog holds.

    Machine output with provenance (a fake engine through the real service),
    one entry reviewed with a translator's comment, one machine translation a
    person edited, a front-matter entry (msgctxt) reviewed, entries left
    untranslated, and one fuzzy with ``#| msgid`` after the English changed.
    Returns the catalog tree.
    """
    locales = root / "locales"
    article = root / ARTICLE
    shutil.copyfile(DATA / "markdown" / ARTICLE, article)
    extract([article], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    with TranslationMemory(root / "memory.sqlite3") as memory:
        machine_translate([(article, SLUG)], [KM], locales, EngineSpec("fake", MODEL, DecodingConfig()), lambda: FakeEngine(MODEL, DecodingConfig()), memory)
    path = catalog_file(locales)
    po = polib.pofile(str(path))
    entries = [e for e in po if not e.obsolete]
    entries[0].flags.remove("fuzzy")
    entries[0].tcomment = "\n".join(filter(None, [REVIEWED, entries[0].tcomment]))
    entries[1].msgstr = "ការបកប្រែដែលមនុស្សកែ"
    for entry in entries[-3:]:
        entry.msgstr, entry.flags, entry.tcomment = "", [], ""
    front = next(e for e in entries if e.msgctxt)
    front.flags = [f for f in front.flags if f != "fuzzy"]
    path.write_bytes(render_catalog(po))
    text = article.read_text(encoding="utf-8")
    changed = "The Mekong River Commission said it would meet again in May."
    assert changed in text
    article.write_text(text.replace(changed, "The Mekong River Commission said it would meet again in June."), encoding="utf-8")
    extract([article], [KM], Workspace(locales=locales), now=FROZEN_NOW)
    return locales


def blank(po: polib.POFile) -> polib.POFile:
    """The same catalog with every translation, translator comment, fuzzy flag and previous msgid removed."""
    for entry in po:
        entry.msgstr, entry.tcomment = "", ""
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = None
    return po


def ttk(tool: str, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run one of Translate Toolkit's commands from its own environment."""
    command = TTK / tool
    if not command.exists():
        pytest.fail(f"{command} is missing: ./scripts/setup installs Translate Toolkit into .venv-ttk")
    return subprocess.run([str(command), *map(str, args)], capture_output=True, text=True, check=True, cwd=cwd, timeout=120)


def ttk_read(path: Path, kind: str) -> list[dict]:
    """The units Translate Toolkit's own reader finds in a file (``kind``: xliff1, xliff2, tmx)."""
    script = ROOT / "tests" / "ttk_read.py"
    out = ttk("python", script, kind, path).stdout
    return json.loads(out)
