"""``translate run|mt|sync --backend openai-compatible`` end to end against the test chat server."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from click.testing import CliRunner

from conftest import DATA, msgfmt_check
from llmserver import ChatServer

from translate.catalog.provenance import read_records
from translate.cli import cli
from translate.languages import language
from translate.mt.llm.settings import LLMSettings


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _llm(server: ChatServer, memory: Path) -> list[str]:
    return ["--backend", "openai-compatible", "--endpoint", server.url, "--model", "tiny-llm", "--memory", str(memory)]


def test_run_translates_through_the_server_with_context_and_glossary(workdir: Path) -> None:
    shutil.copyfile(DATA / "markdown" / "jekyll_post.md", workdir / "mekong.md")
    (workdir / "glossary.csv").write_text("source,target,note\nMekong River Commission,គណៈកម្មការទន្លេមេគង្គ,\n", encoding="utf-8")
    (workdir / "translate.toml").write_text("[llm]\nbatch_sentences = 3\ncontext_sentences = 1\nconcurrency = 2\n", encoding="utf-8")
    with ChatServer() as server:
        result = _run("run", "mekong.md", "--to", "km", "--glossary", "glossary.csv", *_llm(server, workdir / "tm.sqlite3"))
        assert result.exit_code == 0, result.output
        first = len(server.requests)
        again = _run("run", "mekong.md", "--to", "km", "--glossary", "glossary.csv", *_llm(server, workdir / "tm.sqlite3"))
        assert again.exit_code == 0 and "0 model calls" in again.output
        assert len(server.requests) == first
    po_path = workdir / "locales" / "km" / "LC_MESSAGES" / "mekong.po"
    msgfmt_check(po_path)
    po = polib.pofile(str(po_path))
    digest = LLMSettings().template_for(language("km")).digest
    assert all("fuzzy" in e.flags for e in po)
    records = read_records(po_path)
    assert all("mt: tiny-llm@unpinned" in e.comment for e in po), po[0].comment
    assert len(records) == len(po)
    assert all(r.provenance is not None and f"openai-compatible|endpoint:{server.url}|tpl:{digest}|" in r.provenance.settings for r in records)
    said = po.find("The Mekong River Commission said it would meet again in May.")
    assert said is not None and said.msgstr == "KM: The គណៈកម្មការទន្លេមេគង្គ said it would meet again in May."
    prompts = [m["content"] for body in server.requests for m in body["messages"] if m["role"] == "user"]
    assert any('{1} is "Mekong River Commission", translated "គណៈកម្មការទន្លេមេគង្គ"' in p for p in prompts)
    assert sum("Before the sentences:" in p for p in prompts) >= first - 2  # every batch but the article's first has context
    assert all(p.count("\n1. ") == 1 for p in prompts)
    assert any("KM: Delegates from Cambodia, Laos, Thailand and Vietnam discussed three proposals:" in e.msgstr for e in po)
    assert any("[commission's website][mrc]" in e.msgstr for e in po)  # the link survived masking, the model and restoring
    # The stand-in "KM: <English>" fails the untranslated check: published, each sentence keeps its English.
    assert (workdir / "out" / "mekong.km.md").is_file()


def test_unknown_model_and_unreachable_server_are_one_line_errors(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    with ChatServer(models=("qwen2.5:7b",)) as server:
        result = _run("run", "wages.txt", "--to", "km", "--backend", "openai-compatible", "--endpoint", server.url, "--model", "tiny-llm", "--memory", "tm.sqlite3")
        url = server.url
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert f"Error: {url} does not serve model 'tiny-llm'; it serves: qwen2.5:7b (pass --model with a name from that list)" in result.output
    gone = _run("mt", "wages.txt", "--to", "km", "--backend", "openai-compatible", "--endpoint", url, "--model", "tiny-llm", "--memory", "tm.sqlite3")
    assert gone.exit_code == 1 and gone.output.count("\n") == 1 and f"cannot reach {url}" in gone.output
    missing = _run("mt", "wages.txt", "--to", "km", "--backend", "openai-compatible", "--memory", "tm.sqlite3")
    assert missing.exit_code == 1 and "no model named for the openai-compatible backend" in missing.output
    wrong = _run("mt", "wages.txt", "--to", "km", "--endpoint", url)
    assert wrong.exit_code == 2 and "--endpoint is for --backend openai-compatible" in wrong.output


def test_bad_llm_table_names_the_setting(workdir: Path) -> None:
    shutil.copyfile(DATA / "text" / "garment-wages.txt", workdir / "wages.txt")
    (workdir / "translate.toml").write_text('[llm.template]\nuser = "Translate: $text"\n', encoding="utf-8")
    result = _run("mt", "wages.txt", "--to", "km", "--backend", "openai-compatible", "--model", "m")
    assert result.exit_code == 1 and "[llm.template] user: unknown or malformed $name 'text'" in result.output


def test_sync_with_the_workspace_engine(workdir: Path) -> None:
    (workdir / "articles").mkdir()
    shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "articles" / "flood.txt")
    with ChatServer() as server:
        (workdir / "translate.toml").write_text(
            f'[workspace]\nlanguages = ["km"]\nengine = "openai-compatible"\nmodel = "tiny-llm"\n\n[llm]\nendpoint = "{server.url}"\nrevision = "sha256-0f3a"\n',
            encoding="utf-8",
        )
        result = _run("sync")
        assert result.exit_code == 0, result.output
        assert server.requests
    po = polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "flood.po"))
    records = read_records(workdir / "locales" / "km" / "LC_MESSAGES" / "flood.po")
    assert po and all("mt: tiny-llm@sha256-0f3a" in e.comment for e in po)
    assert len(records) == len(po) and all(r.provenance is not None and "endpoint:" in r.provenance.settings for r in records)
    assert (workdir / "out" / "flood.km.txt").is_file()  # "KM: <English>" is withheld by the checks: English published


def test_separate_server_and_cli_processes(workdir: Path) -> None:
    """The test server as its own process and ``python -m translate`` as another, over loopback."""
    import subprocess
    import sys

    from conftest import ROOT

    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "llmserver.py"), "0"], stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        url = server.stderr.readline().split()[1]
        shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "flood.txt")
        command = [sys.executable, "-m", "translate", "run", "flood.txt", "--to", "km", "--backend", "openai-compatible", "--endpoint", url, "--model", "tiny-llm", "--memory", "tm.sqlite3"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "by the model in" in done.stderr
        po = polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "flood.po"))
        assert po and all(e.msgstr.startswith("KM: ") for e in po)
        assert (workdir / "out" / "flood.km.txt").is_file()
        # The stand-in "KM: <English>" fails the untranslated check wherever the sentence has English words
        # to find; what is not withheld is published, and the summary line counts both.
        withheld = done.stderr.count("withheld: ")
        assert withheld >= len(po) - 2
        assert f"({len(po) - withheld}/{len(po)} sentences translated)" in done.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_ray_executor_is_refused_in_one_line(workdir: Path) -> None:
    """An LLM server spreads its own work: a Ray pool in front of it is refused before anything runs."""
    shutil.copyfile(DATA / "text" / "flood-warning.txt", workdir / "flood.txt")
    assert _run("extract", "flood.txt", "--to", "km").exit_code == 0
    with ChatServer() as server:
        result = _run("mt", "flood.txt", "--to", "km", *_llm(server, workdir / "tm.sqlite3"), "--executor", "ray")
        assert not server.requests
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: the openai-compatible backend sends sentences to an LLM server, which spreads its own work "
        "(use --executor local with it; scale the server instead: docs/scale.md)"
    ]
