"""Workspace configuration, init, article discovery, the lock, and status over a workspace."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import FROZEN_NOW, khmer_stand_in

from translate.cli import cli
from translate.errors import ConfigError
from translate.workspace.config import load_config
from translate.workspace.discover import discover, matches
from translate.workspace.lock import LockedError, WorkspaceLock
from translate.workspace.status import workspace_status
from translate.workspace.sync import SyncOptions, sync


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def article(path: Path, title: str, body: str = "The ministry said on Monday that rice prices would rise. Farmers in Kampot welcomed the news.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def test_init_writes_a_commented_default_that_loads(workdir: Path) -> None:
    result = invoke("init", "--to", "km,th", "--source", "news/*.md")
    assert result.exit_code == 0, result.output
    text = (workdir / "translate.toml").read_text(encoding="utf-8")
    assert text.count("\n# ") > 15  # commented
    config = load_config()
    assert config.languages == ("km", "th") and config.sources == ("news/*.md",)
    assert config.root == workdir.resolve() and config.file == (workdir / "translate.toml").resolve()
    assert config.table("decoding") == {"beam_size": 4}
    again = invoke("init")
    assert again.exit_code == 1 and "translate.toml: already exists (edit it, or pass --force to replace it)" in again.output
    assert invoke("init", "--force").exit_code == 0


def test_pyproject_tool_translate_with_nested_tables(workdir: Path) -> None:
    (workdir / "pyproject.toml").write_text('[project]\nname = "newsroom"\n', encoding="utf-8")
    assert invoke("init", "--pyproject", "--to", "km").exit_code == 0
    text = (workdir / "pyproject.toml").read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "newsroom"\n') and "[tool.translate.workspace]" in text and "[tool.translate.decoding]" in text
    (workdir / "sub").mkdir()
    config = load_config(cwd=workdir / "sub")  # found from a subfolder
    assert config.file == (workdir / "pyproject.toml").resolve() and config.languages == ("km",)
    assert config.table("publish") == {"label": False, "metadata": False, "layout": "flat"}
    assert invoke("init", "--pyproject").exit_code == 1


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[workspace]\nlanguages = "km"\nbackend = "magic"\n', "backend must be one of auto, ctranslate2, transformers, openai-compatible, not 'magic'"),
        ('[workspace]\nengine = "magic"\n', "backend must be one of auto, ctranslate2, transformers, openai-compatible, not 'magic'"),
        ('[workspace]\nengine = "auto"\nbackend = "auto"\n', "[workspace] has both engine and backend (keep backend (engine is its former name))"),
        ("[workspace]\nsource = []\n", "[workspace] has an unknown setting 'source'"),
        ("[workspace]\nlanguages = [1]\n", "[workspace] languages must be a list of strings"),
        ('[workspace]\nlanguages = ["km"\nbackend = "fake"\n', "translate.toml:3: is not valid TOML"),
        ('[workspace]\nbackend = "auto"\nbackend_options = { delay = 1 }\n', "backend_options are only understood by the fake backend"),
    ],
    ids=["backend", "engine-is-the-former-name", "both-names", "unknown-key", "list-type", "bad-toml", "backend-options"],
)
def test_configuration_errors_name_the_file(workdir: Path, toml: str, message: str) -> None:
    (workdir / "translate.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert message in str(caught.value) and "translate.toml" in str(caught.value)
    result = invoke("sync")
    assert result.exit_code == 2 and message in result.output


def test_discovery_globs_exclusions_and_catalog_names(workdir: Path) -> None:
    article(workdir / "news" / "a.txt", "A")
    article(workdir / "news" / "drafts" / "b.txt", "B")
    article(workdir / "news" / "2026" / "c.txt", "C")
    article(workdir / "news" / "2026" / "a.md", "Same file name as news/a.txt")
    article(workdir / "news-2026" / "a.txt", "Same name from its path as news/2026/a.md")
    article(workdir / "out" / "a.km.txt", "Published, never an article")
    (workdir / "translate.toml").write_text(
        '[workspace]\nsources = ["news/**/*.txt", "news/**/*.md", "**/*.txt"]\nexclude = ["news/drafts"]\n', encoding="utf-8"
    )
    sources, errors = discover(load_config())
    assert [(s.path.as_posix(), s.slug) for s in sources] == [("news/2026/c.txt", "c"), ("news/a.txt", "news-a")]
    assert sorted(str(e) for e in errors) == [
        "news-2026/a.txt: has the same catalog name 'news-2026-a' as news/2026/a.md"
        " (rename a folder or file of one of them, or leave one out (docs/static-sites.md#catalog-names))",
        "news/2026/a.md: has the same catalog name 'news-2026-a' as news-2026/a.txt"
        " (rename a folder or file of one of them, or leave one out (docs/static-sites.md#catalog-names))",
    ]
    assert matches("x/y/z.md", ["**/*.md"]) and matches("z.md", ["**/*.md"]) and not matches("x/z.md", ["*.md"])


def test_flags_override_the_file(workdir: Path) -> None:
    article(workdir / "articles" / "flood.txt", "Floods in Kratie")
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["th"]\nbackend = "fake"\noutput = "site"\n', encoding="utf-8")
    result = invoke("--locales", "po", "sync", "--to", "km", "--output", "public", "--source", "articles/*.txt")
    assert result.exit_code == 0, result.output
    assert (workdir / "po" / "km" / "LC_MESSAGES" / "flood.po").is_file()
    assert (workdir / "public" / "flood.km.txt").read_text(encoding="utf-8").startswith("[km] Floods in Kratie")
    assert not (workdir / "site").exists() and not (workdir / "locales").exists()


def test_no_languages_is_a_usage_error(workdir: Path) -> None:
    (workdir / "translate.toml").write_text('[workspace]\nbackend = "fake"\n', encoding="utf-8")
    result = invoke("sync")
    assert result.exit_code == 2 and "no target languages" in result.output


def test_publish_rules_hold_articles_back_without_failing(workdir: Path) -> None:
    article(workdir / "articles" / "flood.txt", "Floods in Kratie")
    (workdir / "translate.toml").write_text(
        '[workspace]\nlanguages = ["km"]\nbackend = "fake"\n\n[publish]\nmin_reviewed = 0.5\n\n[labels.km]\nreviewed = "ok"\n', encoding="utf-8"
    )
    result = invoke("sync", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["languages"][0]["held"] == 1 and report["languages"][0]["published"] == 0
    assert "reviewed" in report["changed"][0]["languages"][0]["held"]
    assert not (workdir / "out" / "flood.km.txt").exists()
    # a translator reviews everything: the next sync publishes it
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "flood.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
        entry.msgstr = khmer_stand_in(entry.msgid)
    po.save(str(po_path))
    result = invoke("sync")
    assert result.exit_code == 0 and "1 updated" in result.output
    assert (workdir / "out" / "flood.km.txt").is_file()


def test_bilingual_edition_and_library_call(workdir: Path) -> None:
    article(workdir / "articles" / "flood.txt", "Floods in Kratie")
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nbackend = "fake"\neditions = ["localized", "bilingual"]\n', encoding="utf-8")
    report = sync(load_config(), SyncOptions(now=FROZEN_NOW))
    assert not report.partial and report.model_loads == 1
    assert sorted(p.name for p in (workdir / "out").iterdir()) == ["flood.en-km.html", "flood.km.txt"]
    assert "PO-Revision-Date: 2026-11-26 09:30+0000" in (workdir / "locales" / "km" / "LC_MESSAGES" / "flood.po").read_text(encoding="utf-8")
    assert sync(load_config(), SyncOptions(now=FROZEN_NOW)).count(report.articles[0].outcome.UNCHANGED) == 1


def test_lock_names_the_holder_and_is_released_when_it_dies(tmp_path: Path) -> None:
    lock_path = tmp_path / ".translate" / "sync.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import time; from pathlib import Path; from translate.workspace.lock import WorkspaceLock; l = WorkspaceLock(Path({str(lock_path)!r})); l.acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockedError) as caught:
            WorkspaceLock(lock_path).acquire()
        assert caught.value.pid == holder.pid
        assert f"another translate sync (pid {holder.pid}) is running in this workspace (wait for it to finish, or run with --wait)" in str(caught.value)
        started = time.monotonic()
        with pytest.raises(LockedError):
            WorkspaceLock(lock_path, wait=0.3).acquire()
        assert time.monotonic() - started >= 0.3
    finally:
        holder.kill()
        holder.wait()
    with WorkspaceLock(lock_path):  # kill -9 released it
        assert lock_path.read_text().strip().isdigit()


def test_workspace_status_totals_progress_and_changed_english(workdir: Path) -> None:
    article(workdir / "articles" / "flood.txt", "Floods in Kratie")
    article(workdir / "articles" / "rice.txt", "Rice exports rise")
    article(workdir / "articles" / "new.txt", "Not synced yet")
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km", "th"]\nbackend = "fake"\nexclude = ["articles/new.txt"]\n', encoding="utf-8")
    assert invoke("sync").exit_code == 0
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km", "th"]\nbackend = "fake"\n', encoding="utf-8")
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "rice.po"
    po = polib.pofile(str(po_path))
    po[0].flags = []
    po.save(str(po_path))
    flood = workdir / "articles" / "flood.txt"
    flood.write_text(flood.read_text(encoding="utf-8").replace("Monday", "Tuesday"), encoding="utf-8")
    rice = workdir / "articles" / "rice.txt"
    rice.write_text(rice.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # bytes changed, sentences not

    result = workspace_status(load_config())
    assert [a.path.as_posix() for a in result.changed] == ["articles/flood.txt", "articles/new.txt"]
    km = next(t for t in result.totals if t.lang == "km")
    assert (km.articles, km.stats.entries, km.stats.translated, km.stats.fuzzy, km.missing) == (2, 6, 1, 5, 1)

    text = invoke("status")
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].split() == ["language", "articles", "entries", "reviewed", "fuzzy", "untranslated", "reviewed", "%", "no", "catalog"]
    assert lines[1].split() == ["km", "2", "6", "1", "5", "0", "17%", "1"]
    assert [line.split() for line in lines if line.startswith("articles/rice.txt")] == [["articles/rice.txt", "1/3", "33%", "0/3", "0%"]]
    assert "2 article(s) changed since their catalogs were updated (run translate sync):" in text.output
    data = json.loads(invoke("status", "--json").stdout)
    assert data["changed"] == ["articles/flood.txt", "articles/new.txt"]
    assert data["languages"][1] == {"language": "th", "articles": 2, "missing": 1, "entries": 6, "translated": 0, "fuzzy": 6, "untranslated": 0, "obsolete": 0, "reviewed_percent": 0.0}
    row = data["articles"][1]["languages"][0]
    assert row["article"] == "new" and row["missing"] is True
    # counts are cached by digest: a translator's next save shows at once
    po = polib.pofile(str(po_path))
    po[1].flags = []
    po.save(str(po_path))
    km = next(t for t in workspace_status(load_config()).totals if t.lang == "km")
    assert (km.stats.translated, km.stats.fuzzy) == (2, 4)
    # the catalog-tree view is still there
    assert invoke("status", "--catalogs").output.splitlines()[0].split()[:2] == ["article", "lang"]
    assert invoke("sync").exit_code == 0
    assert invoke("status", "--json").exit_code == 0 and json.loads(invoke("status", "--json").stdout)["changed"] == []


def test_sync_progress_lines_with_eta() -> None:
    import io

    from translate.cli.progress import Progress
    from translate.workspace.sync import SyncProgress

    now = [0.0]
    stream = io.StringIO()
    progress = Progress("sync", stream, every=3600, tty=False, clock=lambda: now[0], heartbeat=False)
    for done in range(0, 101):
        now[0] = done / 10
        progress.sync_event(SyncProgress("extract", done, 100, "articles"))
    progress.sync_event(SyncProgress("publish", 0, 0, "articles"))  # nothing to do: nothing printed
    progress.sync_event(SyncProgress("translate", 0, 200, "sentences", "km"))
    now[0] = 20.0
    progress.sync_event(SyncProgress("translate", 50, 200, "sentences", "km"))
    progress.close()
    assert stream.getvalue().splitlines() == [
        "sync: extract 1/100 articles, 10.0 articles/s, ETA 0:10",
        "sync: extract 100/100 articles, done in 0:10",
        "sync: translate km 50/200 sentences, 5.0 sentences/s, ETA 0:30",  # started at 10 s
    ]
    assert progress.phase is None


def test_progress_lines_name_the_workers_of_a_pool() -> None:
    import io

    from translate.cli.progress import Progress
    from translate.mt.jobs import PoolState, TranslateProgress

    now = [0.0]
    stream = io.StringIO()
    progress = Progress("mt", stream, every=3600, tty=False, clock=lambda: now[0], heartbeat=False)
    pool = PoolState(workers=4, alive=3, restarts=1)
    progress.translate_event(TranslateProgress("km", 0, 900000, pool))
    now[0] = 100.0
    progress.translate_event(TranslateProgress("km", 9000, 900000, pool))
    progress.translate_event(TranslateProgress("th", 0, 10, PoolState(workers=1, alive=1)))
    now[0] = 101.0
    progress.translate_event(TranslateProgress("th", 10, 10, PoolState(workers=1, alive=1)))
    progress.close()
    assert stream.getvalue().splitlines() == [
        "mt: translate km 9000/900000 sentences, 90.0 sentences/s, ETA 2:45:00, workers 3/4 (1 restarted)",
        "mt: translate th 10/10 sentences, done in 0:01",  # one worker: not named
    ]


def test_real_model_loaded_once_for_all_articles_and_languages_and_only_new_sentences(workdir: Path, tiny_nllb_folder: Path) -> None:
    for name in ("flood", "rice", "wages"):
        article(workdir / "articles" / f"{name}.txt", f"News about {name}")
    (workdir / "translate.toml").write_text(
        f'[workspace]\nlanguages = ["km", "th"]\nbackend = "transformers"\nmodel = "{tiny_nllb_folder}"\n\n'
        "[decoding]\nbeam_size = 1\nretry = false\nmax_new_tokens_factor = 0.5\nmax_new_tokens_extra = 2\n",
        encoding="utf-8",
    )
    report = sync(load_config(), SyncOptions(now=FROZEN_NOW))
    assert not report.partial
    assert report.model_loads == 1 and report.translated == report.to_translate == 2 * 5  # per language: three titles, two shared body sentences
    po = polib.pofile(str(workdir / "locales" / "th" / "LC_MESSAGES" / "rice.po"))
    assert all(e.msgstr and "fuzzy" in e.flags and "\nmt: tiny-nllb@local-" in e.comment for e in po)
    wages = workdir / "articles" / "wages.txt"
    wages.write_text(wages.read_text(encoding="utf-8") + "\nPrices in Takeo rose sharply.\n", encoding="utf-8")
    report = sync(load_config(), SyncOptions(now=FROZEN_NOW))
    assert report.model_loads == 1 and report.translated == 2  # the new sentence, in each language
    assert report.count(report.articles[0].outcome.UNCHANGED) == 2
    assert sync(load_config(), SyncOptions(now=FROZEN_NOW)).model_loads == 0


def test_force_redoes_every_article_from_memory_with_the_same_result(workdir: Path) -> None:
    for name in ("flood", "rice"):
        article(workdir / "articles" / f"{name}.txt", f"News about {name}")
    (workdir / "translate.toml").write_text('[workspace]\nlanguages = ["km"]\nbackend = "fake"\n', encoding="utf-8")
    assert invoke("sync").exit_code == 0
    before = {p: p.read_bytes() for p in sorted(workdir.rglob("*")) if p.is_file() and ".translate" not in p.parts}
    result = invoke("sync", "--force", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"]["updated"] == 2 and report["model"] == {"loads": 0, "calls": 0}
    assert report["sentences"]["memory_hits"] == report["sentences"]["to_translate"] > 0
    assert {p: p.read_bytes() for p in sorted(workdir.rglob("*")) if p.is_file() and ".translate" not in p.parts} == before


def test_command_tables_are_read_from_pyproject_too(tmp_path: Path) -> None:
    from translate.config import read_config_table
    from translate.errors import ConfigError

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "site"\n\n[tool.translate.decoding]\nbeam_size = 2\n', encoding="utf-8")
    assert read_config_table("decoding", pyproject) == {"beam_size": 2}
    assert read_config_table("khmer", pyproject) == {}
    broken = tmp_path / "translate.toml"
    broken.write_text("[decoding]\nbeam_size = = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config_table("decoding", broken)
    assert caught.value.line == 2
