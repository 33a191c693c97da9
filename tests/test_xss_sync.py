"""``translate sync`` publishes through the same rule: hostile reviewed translations in a workspace.

A real ``translate sync`` process (fake engine) makes the catalogs; a
translator then types payloads into them and marks them reviewed; the next
sync publishes the body payloads as text and refuses the article whose title
carries markup, naming the catalog and line, while the other article is
published.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
from conftest import FROZEN_NOW
from xss_support import HOSTILE_PREFIX, PAYLOADS, as_page, audit, template_tags

from translate.catalog.store import render_catalog

STORY = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A title</title></head>
<body>
<h1>A title</h1>
<p>The report was released. See <a href="https://example.com/">the report</a>.</p>
<p>The minister spoke on Monday.</p>
</body></html>
"""
POST = "---\ntitle: A post\n---\n\nThe minister spoke on Monday. Prices rose.\n"
CONFIG = """[workspace]
sources = ["articles/*.html", "articles/*.md"]
languages = ["km"]
output = "site"
engine = "fake"
editions = ["localized", "bilingual"]
edition_format = "md"
"""


def _sync(root: Path) -> subprocess.CompletedProcess[str]:
    env = {"SOURCE_DATE_EPOCH": str(int(FROZEN_NOW.timestamp())), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "translate", "sync"], cwd=root, env=env, capture_output=True, text=True, timeout=120)


def _review(po_path: Path, msgstr) -> None:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = msgstr(entry)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po_path.write_bytes(render_catalog(po))


def test_sync_publishes_hostile_translations_as_text_and_refuses_markup_in_a_title(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "story.html").write_text(STORY, encoding="utf-8")
    (tmp_path / "articles" / "post.md").write_text(POST, encoding="utf-8")
    (tmp_path / "translate.toml").write_text(CONFIG, encoding="utf-8")
    first = _sync(tmp_path)
    assert first.returncode == 0, first.stderr
    catalogs = tmp_path / "locales" / "km" / "LC_MESSAGES"
    payloads = " ".join(PAYLOADS[name] for name in ("form-formaction", "meta-refresh", "math-mglyph-style", "md-js-link-entity"))
    _review(catalogs / "story.po", lambda e: "ចំណងជើង" if e.msgid == "A title" else f"{HOSTILE_PREFIX} {payloads} ថ្ងៃច័ន្ទ។")
    _review(catalogs / "post.po", lambda e: f"ចំណងជើង {PAYLOADS['script']}" if e.msgctxt else "ប្រយោគ។")

    second = _sync(tmp_path)

    assert second.returncode != 0
    po_lines = (catalogs / "post.po").read_text(encoding="utf-8").splitlines()
    refusals = [line for line in (second.stdout + second.stderr).splitlines() if "post.po:" in line]
    assert refusals, second.stdout + second.stderr
    line = int(refusals[0].split("post.po:", 1)[1].split(":", 1)[0])
    assert po_lines[line - 1].startswith("msgstr") and po_lines[line - 3] == 'msgctxt "title"', po_lines[line - 3 : line]
    assert "adds markup to plain text" in refusals[0]
    for name, fmt in (("story.km.html", "html"), ("story.en-km.md", "html")):
        text = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert HOSTILE_PREFIX in text
        edition = "localized" if name.endswith(".km.html") else "bilingual-md"
        assert not audit(as_page(edition, fmt, text)), name
        assert template_tags(text) == set()
