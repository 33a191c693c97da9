"""The openai-compatible backend against a real HTTP server speaking the chat-completions protocol.

The server (tests/llmserver.py) runs on 127.0.0.1 and can be told to
misbehave: rate limits, server errors, time-outs, dropped connections,
replies that are not JSON, replies with a line missing or placeholders lost.
"""

from __future__ import annotations

import json
import socket

import pytest

from llmserver import ChatServer
from translate.errors import ConfigError
from translate.languages import language
from translate.mt.backends.openai_compatible import OpenAICompatibleEngine, output_cap
from translate.mt.decoding import DecodingConfig
from translate.mt.llm.client import ChatClient, EndpointError
from translate.mt.llm.settings import LLMSettings, api_key, remote_model
from translate.mt.types import Issue, SentenceContext, TermNote

EN, KM = language("en"), language("km")
SENTENCES = [
    "The ministry said the project would cost $3.5 million.",
    "Visit {1} for the full report.",
    "Prime Minister Hun Manet opened the bridge on Monday.",
    "Rice exports rose by 12 percent in the first half of the year.",
    "Farmers in Battambang welcomed the news.",
]


class Sleeps:
    """Records the waits the client asks for instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def _engine(server: ChatServer, *, sleeps: Sleeps | None = None, config: DecodingConfig | None = None, timeout: float = 5.0, **settings: object) -> OpenAICompatibleEngine:
    llm = LLMSettings(endpoint=server.url, model="tiny-llm", timeout=timeout, **settings)  # type: ignore[arg-type]
    client = ChatClient(llm.url, timeout=llm.timeout, attempts=llm.attempts, backoff=llm.backoff, max_backoff=llm.max_backoff, sleep=sleeps or Sleeps(), jitter=lambda: 0.5)
    return OpenAICompatibleEngine(remote_model(llm), config or DecodingConfig(), llm, client=client)


def test_translates_in_numbered_batches() -> None:
    with ChatServer() as server:
        engine = _engine(server, batch_sentences=2, concurrency=1)
        out = engine.translate(SENTENCES, EN, KM)
    assert [t.text for t in out] == [f"KM: {s}" for s in SENTENCES]
    assert all(t.source == s and t.issues == () for t, s in zip(out, SENTENCES))
    assert len(server.requests) == 3 and engine.model_calls == 3  # 2 + 2 + 1
    body = server.requests[0]
    assert body["stream"] is False and body["temperature"] == 0.0 and body["model"] == "tiny-llm" and body["n"] == 1
    assert body["max_tokens"] == output_cap(SENTENCES[:2], DecodingConfig())
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "Khmer" in body["messages"][0]["content"] and "។" in body["messages"][0]["content"]
    assert "exactly 2 lines" in body["messages"][1]["content"]
    assert server.headers[0]["Content-Type"] == "application/json"


def test_requests_run_concurrently_up_to_the_limit() -> None:
    sentences = [f"Sentence {i} of a long article." for i in range(12)]
    with ChatServer() as server:
        server.latency = 0.3
        engine = _engine(server, batch_sentences=1, concurrency=3)
        seen: list[int] = []
        engine.on_batch = seen.append
        out = engine.translate(sentences, EN, KM)
    assert [t.text for t in out] == [f"KM: {s}" for s in sentences]
    assert server.most_in_flight == 3 and sum(seen) == 12


def test_context_and_glossary_terms_go_into_the_prompt() -> None:
    contexts = [
        SentenceContext("a.md", before=("Floods hit the north.",), after=("Roads were closed.", "Schools shut.")),
        SentenceContext("a.md", before=("Floods hit the north.", "first"), after=("Schools shut.",), terms=(TermNote("{1}", "Ministry of Health", "ក្រសួងសុខាភិបាល"),)),
        SentenceContext("b.md", before=("Another article.",)),
    ]
    with ChatServer() as server:
        engine = _engine(server, context_sentences=1, concurrency=1)
        engine.translate_in_context(["The rain stopped.", "{1} sent doctors.", "A new one."], EN, KM, contexts)
    assert len(server.requests) == 2  # one request per article
    first = server.requests[0]["messages"][1]["content"]
    assert "Before the sentences: Floods hit the north." in first
    assert "After the sentences: Schools shut." in first and "Roads were closed." not in first  # one sentence of context
    assert 'in sentence 2, {1} is "Ministry of Health", translated "ក្រសួងសុខាភិបាល"' in first
    second = server.requests[1]["messages"][1]["content"]
    assert "Another article." in second and "Glossary" not in second


@pytest.mark.parametrize(
    "faults, retries",
    [
        pytest.param(["429:3"], [3.0], id="rate-limit-retry-after"),
        pytest.param(["503", "503"], [1.0 * 0.75, 2.0 * 0.75], id="server-error-backoff"),
        pytest.param(["close"], [0.75], id="dropped-connection"),
        pytest.param(["not-json"], [0.75], id="not-json"),
        pytest.param(["no-choices"], [0.75], id="no-choices"),
    ],
)
def test_transient_failures_are_retried(faults: list[str], retries: list[float]) -> None:
    sleeps = Sleeps()
    with ChatServer() as server:
        engine = _engine(server, sleeps=sleeps)
        server.faults = list(faults)
        out = engine.translate(SENTENCES[:2], EN, KM)
    assert [t.text for t in out] == [f"KM: {s}" for s in SENTENCES[:2]]
    assert [w for w in sleeps.waits if w > 0.01] == pytest.approx(retries, abs=0.05)


def test_time_out_is_retried() -> None:
    with ChatServer() as server:
        server.delay = 1.5
        engine = _engine(server, timeout=0.5)
        server.faults = ["timeout"]
        out = engine.translate(SENTENCES[:1], EN, KM)
    assert out[0].text == f"KM: {SENTENCES[0]}" and engine.client.retries == 1


def test_failure_on_every_attempt_is_one_line_error() -> None:
    with ChatServer() as server:
        engine = _engine(server, attempts=3)
        server.faults = ["503"] * 3
        with pytest.raises(EndpointError) as caught:
            engine.translate(SENTENCES[:1], EN, KM)
    message = str(caught.value)
    assert "\n" not in message and "failed 3 times" in message and "HTTP 503 Service unavailable" in message


@pytest.mark.parametrize("fault", ["drop-line", "chatter", "lose-placeholder", "unnumbered", "split-line"])
def test_a_reply_out_of_form_is_asked_again_in_halves(fault: str) -> None:
    with ChatServer() as server:
        engine = _engine(server, batch_sentences=4)
        server.faults = [fault]
        out = engine.translate(SENTENCES[:4], EN, KM)
    assert [t.text for t in out] == [f"KM: {s}" for s in SENTENCES[:4]]
    assert all(t.issues == () for t in out)
    assert len(server.requests) == 3  # the refused batch of 4, then its halves


def test_a_reasoning_block_is_ignored() -> None:
    with ChatServer() as server:
        server.faults = ["think"]
        out = _engine(server).translate(SENTENCES[:2], EN, KM)
    assert [t.text for t in out] == [f"KM: {s}" for s in SENTENCES[:2]] and len(server.requests) == 1


def test_a_single_sentence_reply_out_of_form_is_kept_and_flagged() -> None:
    with ChatServer() as server:
        engine = _engine(server, batch_sentences=1)
        server.faults = ["chatter"]
        out = engine.translate([SENTENCES[0]], EN, KM)
    assert out[0].text == f"KM: {SENTENCES[0]}"
    assert Issue.MALFORMED in out[0].issues


def test_lost_placeholder_in_a_single_sentence_is_kept_for_restore_to_flag() -> None:
    with ChatServer() as server:
        server.faults = ["lose-placeholder"]
        out = _engine(server).translate([SENTENCES[1]], EN, KM)
    assert out[0].text == "KM: Visit  for the full report." and Issue.MALFORMED not in out[0].issues


def test_cut_reply_is_flagged_and_retried_with_a_frequency_penalty() -> None:
    long = "The committee met on Monday to discuss the budget for next year and the many projects it holds."
    config = DecodingConfig(max_new_tokens_factor=0.05, max_new_tokens_extra=0)
    with ChatServer() as server:
        out = _engine(server, config=config).translate([long], EN, KM)
    assert Issue.HIT_LENGTH_CAP in out[0].issues
    assert len(server.requests) == 2 and "frequency_penalty" not in server.requests[0]
    assert server.requests[1]["frequency_penalty"] == pytest.approx(0.2)


def test_quality_flags_of_every_backend() -> None:
    replies = {SENTENCES[0]: "", SENTENCES[2]: "ល្អ ល្អ ល្អ ល្អ ល្អ ល្អ ល្អ ល្អ", SENTENCES[3]: "x"}
    with ChatServer(translator=lambda s: replies.get(s, "កសិករនៅបាត់ដំបងស្វាគមន៍ព័ត៌មាននេះ។")) as server:
        engine = _engine(server, batch_sentences=1, config=DecodingConfig(retry=False))
        out = engine.translate([SENTENCES[0], SENTENCES[2], SENTENCES[3], SENTENCES[4]], EN, KM)
    assert [t.issues for t in out] == [(Issue.EMPTY,), (Issue.REPETITION,), (Issue.LENGTH_RATIO,), ()]


def test_unreachable_endpoint_is_one_line_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    llm = LLMSettings(endpoint=f"http://127.0.0.1:{port}/v1", model="m")
    with pytest.raises(EndpointError) as caught:
        OpenAICompatibleEngine(remote_model(llm), DecodingConfig(), llm)
    assert str(caught.value).startswith(f"cannot reach http://127.0.0.1:{port}/v1:") and "\n" not in str(caught.value)
    assert "--endpoint" in str(caught.value)


def test_unknown_model_lists_what_the_server_has() -> None:
    with ChatServer(models=("qwen2.5:7b", "llama3.2:3b")) as server:
        llm = LLMSettings(endpoint=server.url, model="mistral")
        with pytest.raises(EndpointError, match=r"does not serve model 'mistral'; it serves: qwen2.5:7b, llama3.2:3b \(pass --model"):
            OpenAICompatibleEngine(remote_model(llm), DecodingConfig(), llm)
        ollama_style = LLMSettings(endpoint=server.url, model="qwen2.5:7b")
        OpenAICompatibleEngine(remote_model(ollama_style), DecodingConfig(), ollama_style)


def test_server_without_model_list_is_used_anyway() -> None:
    with ChatServer(list_models=False) as server:
        out = _engine(server).translate(SENTENCES[:1], EN, KM)
    assert out[0].text == f"KM: {SENTENCES[0]}"


def test_api_key_from_the_named_variable() -> None:
    with ChatServer(api_key="s3cret") as server:
        llm = LLMSettings(endpoint=server.url, model="tiny-llm", api_key_env="LLM_KEY")
        with pytest.raises(EndpointError, match="HTTP 401 Invalid API key.*api_key_env"):
            OpenAICompatibleEngine(remote_model(llm), DecodingConfig(), llm)
        key = api_key(llm, {"LLM_KEY": "s3cret"})
        engine = OpenAICompatibleEngine(remote_model(llm), DecodingConfig(), llm, api_key=key)
        engine.translate(SENTENCES[:1], EN, KM)
        assert server.headers[-1]["Authorization"] == "Bearer s3cret"
    with pytest.raises(ConfigError, match="LLM_KEY, which is not set"):
        api_key(llm, {})


def test_client_error_is_not_retried() -> None:
    with ChatServer() as server:
        client = ChatClient(server.url, sleep=Sleeps())
        with pytest.raises(EndpointError, match="HTTP 404 The model `other` does not exist"):
            client.chat({"model": "other", "messages": [{"role": "user", "content": "1. Hi"}]})
        assert client.requests == 1


def test_streaming_reply_of_the_server_is_event_stream() -> None:
    """The test server streams when asked, as real servers do; the client always asks it not to."""
    import urllib.request

    with ChatServer() as server:
        request = urllib.request.Request(
            server.url + "/chat/completions",
            data=json.dumps({"model": "tiny-llm", "stream": True, "messages": [{"role": "user", "content": "Sentences:\n1. Hello."}]}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Type"] == "text/event-stream"
            events = response.read().decode().split("\n\n")
    assert events[-2] == "data: [DONE]"
    assert "".join(json.loads(e[6:])["choices"][0]["delta"].get("content", "") for e in events[:-2]).strip() == "1. KM: Hello."
