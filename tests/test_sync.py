"""translate sync over a workspace, run as real processes: incremental runs,
kill -9 at several points, corrupt input, a translator saving during a run, the lock."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from conftest import FROZEN_NOW, khmer_stand_in, msgfmt_check

EPOCH = str(int(FROZEN_NOW.timestamp()))
LANGS = ("km", "th")
PROVINCES = ["Kampot", "Takeo", "Kandal", "Battambang", "Siem Reap", "Kratie", "Pursat", "Kep"]
SUBJECTS = ["The ministry", "The provincial governor", "A spokesman for the council", "The union", "Local farmers", "The World Bank"]
VERBS = ["said on Monday", "announced on Tuesday", "warned on Friday", "confirmed last week", "told reporters"]
#: Words of stand-in reviewed Khmer translations ("the first translation", ...).
WORDS = ["ការបកប្រែទីមួយ", "ការបកប្រែទីពីរ", "ការបកប្រែទីបី", "ការបកប្រែទីបួន", "ការបកប្រែទីប្រាំ", "ការបកប្រែទីប្រាំមួយ", "ការបកប្រែទីប្រាំពីរ", "ការបកប្រែទីប្រាំបី", "ការបកប្រែទីប្រាំបួន", "ការបកប្រែទីដប់"]
OBJECTS = ["rice prices would rise", "the new road would open in March", "flood defences were being repaired", "school fees would be cut", "exports had doubled"]


def sentence(rng: random.Random, n: int) -> str:
    return f"{rng.choice(SUBJECTS)} in {rng.choice(PROVINCES)} {rng.choice(VERBS)} that {rng.choice(OBJECTS)} by {n} percent."


def write_article(folder: Path, index: int, sentences: int = 8) -> Path:
    """A deterministic article: Markdown, plain text or HTML in turn."""
    rng = random.Random(index)
    paras = [" ".join(sentence(rng, index * 100 + p * 10 + s) for s in range(2)) for p in range(sentences // 2)]
    kind = index % 3
    if kind == 0:
        path = folder / f"story-{index:03d}.md"
        text = f"---\ntitle: Story number {index} from {rng.choice(PROVINCES)}\ndate: 2026-11-{index % 28 + 1:02d}\n---\n\n" + "\n\n".join(paras) + "\n"
    elif kind == 1:
        path = folder / f"story-{index:03d}.txt"
        text = f"Story number {index} about {rng.choice(PROVINCES)}\n\n" + "\n\n".join(paras) + "\n"
    else:
        path = folder / f"story-{index:03d}.html"
        body = "".join(f"<p>{p}</p>\n" for p in paras)
        text = f"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Story {index}</title></head>\n<body>\n<h1>Story number {index}</h1>\n{body}</body></html>\n"
    path.write_text(text, encoding="utf-8")
    return path


def make_workspace(root: Path, articles: int = 24, delay: float = 0.0, extra: str = "") -> Path:
    (root / "articles").mkdir(parents=True)
    for i in range(articles):
        write_article(root / "articles", i)
    options = f"backend_options = {{ delay = {delay} }}\n" if delay else ""
    (root / "translate.toml").write_text(
        '[workspace]\nsources = ["articles/**/*.md", "articles/**/*.txt", "articles/**/*.html"]\n'
        f'languages = {json.dumps(list(LANGS))}\noutput = "site"\nbackend = "fake"\n{options}{extra}',
        encoding="utf-8",
    )
    return root


def env() -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1"}


def run_sync(root: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "translate", "sync", *args], cwd=root, env=env(), capture_output=True, text=True, timeout=timeout)


def start_sync(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "translate", "sync", *args], cwd=root, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the catalogs and the published site, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for folder in ("locales", "site") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert proc.poll() is None, f"sync ended before the kill point:\n{proc.stderr.read() if proc.stderr else ''}"
        assert time.monotonic() < deadline, "kill point never reached"
        time.sleep(0.005)


def wait_for_line(proc: subprocess.Popen[str], text: str) -> None:
    assert proc.stderr is not None
    for line in proc.stderr:
        if text in line:
            return
    raise AssertionError(f"sync ended without printing {text!r}")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Catalogs and site of an uninterrupted run."""
    root = make_workspace(tmp_path_factory.mktemp("reference"))
    proc = run_sync(root)
    assert proc.returncode == 0, proc.stderr
    return tree(root)


def count(root: Path, pattern: str) -> int:
    return sum(1 for _ in root.glob(pattern))


KILL_POINTS = {
    "at-start": lambda root, proc: time.sleep(0.3),
    "during-extract": lambda root, proc: wait_for(lambda: count(root, "locales/km/LC_MESSAGES/*.po") >= 9, proc),
    "during-translation": lambda root, proc: (wait_for_line(proc, "sync: translate km"), time.sleep(0.4)),
    "during-publish": lambda root, proc: wait_for(lambda: count(root, "site/*") >= 15, proc),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_then_rerun_is_identical_to_an_uninterrupted_run(tmp_path: Path, reference: dict[str, bytes], point: str) -> None:
    root = make_workspace(tmp_path / "ws", delay=0.004)
    proc = start_sync(root)
    try:
        KILL_POINTS[point](root, proc)
        assert proc.poll() is None, "sync finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        assert proc.stderr is not None and proc.stdout is not None
        proc.stderr.close()
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert tree(root) != reference, "the kill came too late to test anything"
    again = run_sync(root, "--json")
    assert again.returncode == 0, again.stderr
    assert tree(root) == reference
    assert not list(root.rglob("*.tmp"))
    report = json.loads(again.stdout)
    assert report["model"]["loads"] <= 1
    assert run_sync(root).returncode == 0 and tree(root) == reference


def test_sync_then_nothing_to_do(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws")
    first = run_sync(root, "--json")
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["articles"] == {"unchanged": 0, "updated": 24, "skipped": 0, "failed": 0}
    assert report["model"]["loads"] == 1 and report["partial"] is False
    assert report["sentences"]["translated"] > 0
    assert [row["language"] for row in report["languages"]] == ["km", "th"]
    assert "sync: translate km" in first.stderr and "sync: publish 24/24 articles" in first.stderr
    for po in (root / "locales").rglob("*.po"):
        msgfmt_check(po)
    assert count(root, "site/*.km.*") == 24 and count(root, "site/*.th.*") == 24
    # the fake engine's "[km] <English>" fails the untranslated check: withheld, listed, the English published
    published = (root / "site" / "story-000.km.md").read_text(encoding="utf-8")
    assert "title: Story number 0" in published and "lang: km" in published and "[km]" not in published
    story = next(a for a in report["changed"] if a["article"] == "articles/story-000.md")
    withheld = story["languages"][0]["withheld"]
    assert withheld and {c["check"] for w in withheld for c in w["checks"]} == {"untranslated"}
    assert all(w["catalog"] == "locales/km/LC_MESSAGES/story-000.po" and w["line"] > 0 for w in withheld)
    assert report["languages"][0]["withheld"] >= len(withheld)
    before = tree(root)

    started = time.monotonic()
    second = run_sync(root, "--json")
    elapsed = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["articles"] == {"unchanged": 24, "updated": 0, "skipped": 0, "failed": 0}
    assert report["model"]["loads"] == 0 and report["changed"] == []
    assert tree(root) == before
    assert elapsed < 5

    # an edited article and a translator's save: only those two are redone
    article = root / "articles" / "story-004.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("Story number 4", "Story number four"), encoding="utf-8")
    po_path = root / "locales" / "th" / "LC_MESSAGES" / "story-007.po"
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid.startswith("Story number 7"))
    entry.msgstr, entry.flags = "เรื่องที่ 7", []
    po.save(str(po_path))
    third = run_sync(root)
    assert third.returncode == 0, third.stderr
    assert "24 articles: 2 updated, 22 unchanged, 0 failed" in third.stdout
    assert "language" in third.stdout and "machine" in third.stdout  # the summary table
    assert "เรื่องที่ 7" in (root / "site" / "story-007.th.txt").read_text(encoding="utf-8")
    assert "Story number four" in (root / "site" / "story-004.km.txt").read_text(encoding="utf-8")
    assert "[km] Story number four" in (root / "locales" / "km" / "LC_MESSAGES" / "story-004.po").read_text(encoding="utf-8")
    assert "withheld: locales/km/LC_MESSAGES/story-004.po:" in third.stderr

    # quiet: the withheld translations in one line
    article.write_text(article.read_text(encoding="utf-8").replace("Story number four", "Story number 4"), encoding="utf-8")
    quiet = subprocess.run([sys.executable, "-m", "translate", "-q", "sync"], cwd=root, env=env(), capture_output=True, text=True, timeout=120)
    assert quiet.returncode == 0, quiet.stderr
    each = sum(line.startswith("withheld: ") and "/story-004.po:" in line for line in third.stderr.splitlines())  # the same sentences
    assert each > 2
    assert [line for line in quiet.stderr.splitlines() if line.startswith("withheld: ")] == [
        f"withheld: {each} translation(s) in 2 catalog(s) failed an error-level check and were published without them; run: translate check"
    ]


def test_corrupt_catalog_and_unreadable_article_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=6)
    assert run_sync(root).returncode == 0
    po_path = root / "locales" / "km" / "LC_MESSAGES" / "story-001.po"
    lines = po_path.read_text(encoding="utf-8").splitlines()
    bad = next(i for i, line in enumerate(lines) if line.startswith('msgid "') and line != 'msgid ""' and i > 20)
    lines[bad] = lines[bad].rstrip('"')  # a string without its closing quote
    po_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = root / "articles" / "story-002.html"
    broken.write_bytes(broken.read_bytes().replace(b"Story number 2</h1>", b"Story number 2 \xe9t\xe9</h1>"))
    for name in ("story-001.txt", "story-003.md"):
        article = root / "articles" / name
        article.write_text(article.read_text(encoding="utf-8").replace("Story number", "Tale number"), encoding="utf-8")

    proc = run_sync(root, "--json")
    assert proc.returncode == 1, proc.stderr
    assert f"error: locales/km/LC_MESSAGES/story-001.po:{bad + 1}: is not a valid PO file" in proc.stderr
    assert "error: articles/story-002.html:" in proc.stderr and "UTF-8" in proc.stderr
    assert "partial: 2 file(s) had errors" in proc.stderr
    report = json.loads(proc.stdout)
    assert report["partial"] is True
    assert report["articles"] == {"unchanged": 3, "updated": 1, "skipped": 0, "failed": 2}
    assert "Tale number 3" in (root / "site" / "story-003.km.md").read_text(encoding="utf-8")
    assert po_path.read_text(encoding="utf-8").splitlines()[bad] == lines[bad]  # left as it was

    # fixed: the next run finishes the two
    po_path.write_text("\n".join(lines[:bad] + [lines[bad] + '"'] + lines[bad + 1 :]) + "\n", encoding="utf-8")
    broken.write_bytes(broken.read_bytes().replace(b"\xe9", b"e"))
    proc = run_sync(root, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"] == {"unchanged": 4, "updated": 2, "skipped": 0, "failed": 0}
    assert "Tale number 1" in (root / "site" / "story-001.km.txt").read_text(encoding="utf-8")


def test_translator_save_during_a_run_is_kept_and_a_second_sync_is_locked_out(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", delay=0.01)
    proc = start_sync(root)
    try:
        wait_for_line(proc, "sync: translate km")
        blocked = run_sync(root, timeout=30)
        assert blocked.returncode == 3
        assert f"another translate sync (pid {proc.pid}) is running in this workspace" in blocked.stderr
        assert len(blocked.stderr.strip().splitlines()) == 1

        # a translator reviews two entries in Poedit and saves
        po_path = root / "locales" / "km" / "LC_MESSAGES" / "story-005.po"
        po = polib.pofile(str(po_path))
        reviewed = [e for e in po if not e.obsolete][:2]
        for n, entry in enumerate(reviewed):
            entry.msgstr, entry.flags = khmer_stand_in(entry.msgid, WORDS[n]), []
            entry.tcomment = "checked by Sokha"
        po_path.write_text(str(po) + "\n", encoding="utf-8")
        assert proc.poll() is None, "the save came after the run"
    finally:
        assert proc.stdout is not None and proc.stderr is not None
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    msgfmt_check(po_path)
    saved = polib.pofile(str(po_path))
    for n, original in enumerate(reviewed):
        entry = saved.find(original.msgid, msgctxt=original.msgctxt)
        assert entry is not None and entry.msgstr == khmer_stand_in(original.msgid, WORDS[n]) and "fuzzy" not in entry.flags
        assert entry.tcomment == "checked by Sokha"
    others = [e for e in saved if not e.obsolete and e.msgid not in {r.msgid for r in reviewed}]
    assert others and all(e.msgstr.startswith("[km] ") and "fuzzy" in e.flags for e in others)
    again = run_sync(root)
    assert again.returncode == 0, again.stderr
    assert WORDS[0] in (root / "site" / "story-005.km.html").read_text(encoding="utf-8")
    # the lock is released after a run and after kill -9
    assert "pid" not in (root / ".translate" / "sync.lock").read_text()


def test_progress_has_eta_and_the_model_is_loaded_once_for_all_articles_and_languages(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=12, delay=0.004)
    proc = subprocess.run(
        [sys.executable, "-m", "translate", "sync", "--json"], cwd=root, env=env(), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["model"] == {"loads": 1, "calls": 2}  # one engine call per language, one load
    assert set(report["timings"]) >= {"scan", "extract", "translate", "publish"}
    assert all(line.startswith(("sync: ", "withheld: ")) for line in proc.stderr.splitlines())


def test_removed_output_is_published_again(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=3)
    assert run_sync(root).returncode == 0
    before = tree(root)
    (root / "site" / "story-001.th.txt").unlink()
    proc = run_sync(root)
    assert proc.returncode == 0 and "1 updated, 2 unchanged" in proc.stdout
    assert tree(root) == before


def test_python_module_and_console_script_agree(tmp_path: Path) -> None:
    root = make_workspace(tmp_path / "ws", articles=2)
    script = Path(sys.executable).parent / "translate"
    if not script.exists():
        pytest.skip("console script not installed")
    proc = subprocess.run([str(script), "sync", "--to", "km"], cwd=root, env=env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert count(root, "site/*") == 2


def test_glossaries_apply_during_sync(tmp_path: Path) -> None:
    """locales/<lang>/glossary.csv and the configured glossaries replace terms in machine output."""
    root = make_workspace(tmp_path / "ws", articles=3, extra='glossaries = ["terms.csv"]\n')
    (root / "terms.csv").write_text("source,target,lang\nThe World Bank,ธนาคารโลก,th\n", encoding="utf-8")
    (root / "locales" / "km").mkdir(parents=True)
    (root / "locales" / "km" / "glossary.csv").write_text("source,target\nKandal,កណ្ដាល\nThe World Bank,ធនាគារពិភពលោក\n", encoding="utf-8")
    proc = run_sync(root)
    assert proc.returncode == 0, proc.stderr
    km = "".join(e.msgstr for po in (root / "locales" / "km").rglob("*.po") for e in polib.pofile(str(po)))
    th = "".join(e.msgstr for po in (root / "locales" / "th").rglob("*.po") for e in polib.pofile(str(po)))
    english = "".join(e.msgid for po in (root / "locales" / "km").rglob("*.po") for e in polib.pofile(str(po)))
    assert "Kandal" in english and "The World Bank" in english
    assert "កណ្ដាល" in km and "Kandal" not in km and "ធនាគារពិភពលោក" in km
    assert "ธนาคารโลก" in th and "Kandal" in th  # the Khmer file applies to Khmer only
    (root / "terms.csv").write_text("term\n", encoding="utf-8")
    (root / "articles" / "story-000.md").write_text("---\ntitle: New\n---\n\nNew text.\n", encoding="utf-8")
    broken = run_sync(root)
    assert broken.returncode != 0 and "terms.csv" in broken.stderr and "source and target" in broken.stderr
