"""The openai-compatible backend against a real llama.cpp server process with a tiny Llama built here.

llama-cpp-python's server (``python -m llama_cpp.server``) compiles llama.cpp
when installed, which takes long on small machines, so it lives in its own
environment, made by ``scripts/setup-llama`` (``.venv-llama``, or the Python
named by ``$TRANSLATE_LLAMA_PYTHON``); ``scripts/test`` makes it, so CI runs
these tests (with ``CI`` set, a missing environment fails them). Run alone
without it, they are skipped; the protocol itself is also tested against
tests/llmserver.py.

The model has random weights: what it writes is gibberish, so these tests
check what a real server does with our requests, not translations: the model
list, the chat template applied, greedy decoding being reproducible, replies
out of form asked again and flagged, and a GBNF grammar passed through
``[llm.extra_body]`` (llama.cpp's constrained decoding) giving replies in form.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from translate.catalog.provenance import read_records
from translate.languages import language
from translate.mt.backends.openai_compatible import OpenAICompatibleEngine
from translate.mt.decoding import DecodingConfig
from translate.mt.llm.settings import llm_settings, remote_model
from translate.mt.types import Issue

EN, KM = language("en"), language("km")
SENTENCES = ["The ministry said the project would cost $3.5 million.", "Visit {1} for the full report.", "Farmers welcomed the news."]
#: One numbered line of lower-case words: llama.cpp's GBNF, sent as the request's "grammar".
ONE_LINE = r'root ::= "1. " [a-z]{1,8} (" " [a-z]{1,8}){2,6} "."'


def _llama_python() -> str | None:
    candidates = [os.environ.get("TRANSLATE_LLAMA_PYTHON", ""), str(ROOT / ".venv-llama" / "bin" / "python")]
    for candidate in filter(None, candidates):
        if Path(candidate).is_file():
            probe = subprocess.run([candidate, "-c", "import llama_cpp.server, gguf, numpy"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


PYTHON = _llama_python()
pytestmark = pytest.mark.skipif(PYTHON is None and not os.environ.get("CI"), reason="no llama-cpp-python server environment (scripts/setup-llama)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama-cpp-python server on 127.0.0.1 serving the tiny Llama as ``tiny-llama``; yields its /v1 URL."""
    import tinyllama

    if PYTHON is None:
        pytest.fail("no llama-cpp-python server environment: ./scripts/setup-llama makes .venv-llama (./scripts/test runs it)")
    folder = tmp_path_factory.mktemp("llama")
    weights = tinyllama.build_weights(folder / "tiny-llama.npz")
    model = folder / "tiny-llama.gguf"
    subprocess.run([PYTHON, str(ROOT / "tests" / "tinyllama.py"), str(weights), str(model)], check=True)
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [PYTHON, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "tiny-llama", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192", "--n_threads", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/models", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("llama.cpp server did not start:\n" + (folder / "server.log").read_text()[-2000:]) from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _engine(url: str, **table: object) -> OpenAICompatibleEngine:
    llm = llm_settings({"endpoint": url, "model": "tiny-llama", "timeout": 120, **table})
    return OpenAICompatibleEngine(remote_model(llm), DecodingConfig(max_new_tokens_factor=0.2, max_new_tokens_extra=8, retry=False), llm)


def test_gibberish_is_asked_again_then_flagged_and_greedy_is_reproducible(server: str) -> None:
    engine = _engine(server, batch_sentences=3)
    first = engine.translate(SENTENCES, EN, KM)
    assert len(first) == 3 and all(t.source == s for t, s in zip(first, SENTENCES))
    assert all(Issue.MALFORMED in t.issues or Issue.EMPTY in t.issues or t.issues == () for t in first)
    assert engine.model_calls >= 4  # the batch of 3, then its halves down to single sentences
    assert all(c.isprintable() for t in first for c in t.text)  # the random model's control bytes are dropped
    again = _engine(server, batch_sentences=3).translate(SENTENCES, EN, KM)
    assert [t.text for t in again] == [t.text for t in first]


def test_grammar_through_extra_body_gives_replies_in_form(server: str) -> None:
    engine = _engine(server, batch_sentences=1, extra_body={"grammar": ONE_LINE})
    out = engine.translate([SENTENCES[0], SENTENCES[2]], EN, KM)
    for translation in out:
        assert Issue.MALFORMED not in translation.issues
        words = translation.text.rstrip(".").split(" ")
        assert 3 <= len(words) <= 7 and all(w.isalpha() and w.islower() for w in words), translation.text
    assert engine.model_calls == 2


def test_unknown_model_is_refused_by_the_real_server(server: str) -> None:
    from translate.mt.llm.client import EndpointError

    llm = llm_settings({"endpoint": server, "model": "other"})
    with pytest.raises(EndpointError, match="does not serve model 'other'; it serves: tiny-llama"):
        OpenAICompatibleEngine(remote_model(llm), DecodingConfig(), llm)


def test_run_publishes_through_the_real_server(server: str, workdir: Path) -> None:
    import polib
    from click.testing import CliRunner

    from translate.cli import cli

    (workdir / "story.txt").write_text("Floods hit the north.\n\nFarmers lost their rice. Roads were closed for a week.\n", encoding="utf-8")
    (workdir / "translate.toml").write_text(
        f"[decoding]\nmax_new_tokens_factor = 0.2\nmax_new_tokens_extra = 8\n\n[llm]\nbatch_sentences = 1\n\n[llm.extra_body]\ngrammar = '{ONE_LINE}'\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["run", "story.txt", "--to", "km", "--backend", "openai-compatible", "--endpoint", server, "--model", "tiny-llama", "--memory", "tm.sqlite3"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(workdir / "locales" / "km" / "LC_MESSAGES" / "story.po"))
    assert len(po) == 3 and all(e.msgstr and "fuzzy" in e.flags and "mt: tiny-llama@unpinned" in e.comment for e in po)
    records = read_records(workdir / "locales" / "km" / "LC_MESSAGES" / "story.po")
    assert len(records) == 3 and all(r.provenance is not None and "|extra:" in r.provenance.settings for r in records)  # the grammar is part of the signature
    assert (workdir / "out" / "story.km.txt").is_file()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-v"]))
