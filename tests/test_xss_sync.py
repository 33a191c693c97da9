"""``translate sync`` publishes through the same rules: hostile reviewed translations in a workspace.

A real ``translate sync`` process (fake engine) makes the catalogs; a
translator then types payloads into them and marks them reviewed. The next
sync withholds every one of them (the error-level checks see markup and URLs
that the English does not have: ``markup``, ``urls``), names each catalog and
line, publishes the English in their place, and no page carries anything
executable. The markup rule behind the checks (:mod:`translate.safety`) is
tested on every edition with the checks turned off in ``tests/test_xss.py``.
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
backend = "fake"
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


def test_sync_withholds_hostile_translations_and_publishes_nothing_executable(tmp_path: Path) -> None:
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

    assert second.returncode == 0, second.stderr
    withheld = [line for line in second.stderr.splitlines() if line.startswith("withheld:")]
    for catalog, entry in (("story.po", "The minister spoke on Monday."), ("post.po", "A post")):
        lines = [line for line in withheld if f"{catalog}:" in line]
        assert lines, second.stderr
        po = polib.pofile(str(catalogs / catalog))
        linenum = next(e.linenum for e in po if e.msgid == entry)
        assert any(f"{catalog}:{linenum}:" in line and "markup" in line for line in lines), (lines, linenum)
    for name, edition, fmt in (("story.km.html", "localized", "html"), ("story.en-km.md", "bilingual-md", "html"), ("post.km.md", "localized", "md")):
        text = (tmp_path / "site" / name).read_text(encoding="utf-8")
        assert HOSTILE_PREFIX not in text and "alert(1)" not in text, name
        assert not audit(as_page(edition, fmt, text)), name
        assert template_tags(text) == set()
    assert "The minister spoke on Monday." in (tmp_path / "site" / "story.km.html").read_text(encoding="utf-8")
    assert "title: A post" in (tmp_path / "site" / "post.km.md").read_text(encoding="utf-8")
