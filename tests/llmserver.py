"""A chat-completions server for the tests, speaking the OpenAI protocol as local servers do.

It serves ``GET /v1/models`` and ``POST /v1/chat/completions`` over real HTTP
on 127.0.0.1, validates requests as vLLM and llama.cpp do (400 for a body
without ``model`` or ``messages``, 404 ``model_not_found`` for another model,
401 without the right bearer token), answers ``"stream": true`` with
server-sent events and ``"stream": false`` with one JSON object, counts
tokens (here: words), stops at ``max_tokens`` with ``finish_reason:
"length"``, and reports ``usage``.

Its "model" reads the numbered sentences of the last user message and
answers each with ``translator(sentence)`` on a numbered line. A test makes it
misbehave by queueing faults in :attr:`ChatServer.faults`, each used by one
chat request:

``429`` / ``503`` (with ``Retry-After`` when written ``429:2``), ``timeout``
(answers after ``delay`` seconds), ``close`` (drops the connection),
``not-json``, ``no-choices``, ``drop-line`` (one line missing), ``chatter``
(a sentence of its own before the lines), ``lose-placeholder``,
``unnumbered``, ``think`` (a reasoning block first, which is allowed),
``split-line`` (the last translation over two lines).

Run it alone with ``python tests/llmserver.py PORT`` for manual checks.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_NUMBERED = re.compile(r"^(\d+)\. (.*)$")
_PLACEHOLDER = re.compile(r"\{\d+\}")


def tag_translator(sentence: str) -> str:
    """The default "translation": the sentence tagged, placeholders kept where they are."""
    return f"KM: {sentence}"


class ChatServer:
    """The server, on a free port of 127.0.0.1, in a thread of the test process.

    Attributes:
        models: the names ``/v1/models`` lists and chat accepts.
        faults: what the next chat requests do instead of answering well.
        requests: every chat request body received, in order.
        headers: the headers of every chat request.
        api_key: when set, requests must carry it as a bearer token.
        delay: seconds a ``timeout`` fault waits before answering.
        latency: seconds every chat request takes (so that concurrent ones overlap).
    """

    def __init__(
        self,
        translator: Callable[[str], str] = tag_translator,
        models: tuple[str, ...] = ("tiny-llm",),
        api_key: str | None = None,
        list_models: bool = True,
        port: int = 0,
    ) -> None:
        self.translator = translator
        self.models = models
        self.api_key = api_key
        self.list_models = list_models
        self.faults: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.delay = 2.0
        self.latency = 0.02
        self.in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_fault(self) -> str:
        with self._lock:
            return self.faults.pop(0) if self.faults else ""

    def answer(self, body: dict[str, Any], fault: str) -> tuple[str, int, int]:
        """The reply text to a chat request, its prompt and completion token counts."""
        user = [m["content"] for m in body["messages"] if m.get("role") == "user"][-1]
        system = " ".join(m["content"] for m in body["messages"] if m.get("role") == "system")
        sentences = _sentences(user)
        lines = [f"{n}. {self.translator(s)}" for n, s in enumerate(sentences, 1)]
        if fault == "drop-line" and lines:
            lines.pop()
        elif fault == "chatter":
            lines.insert(0, "Here are the translations:")
        elif fault == "lose-placeholder":
            lines = [_PLACEHOLDER.sub("", line) for line in lines]
        elif fault == "unnumbered":
            lines = [line.split(". ", 1)[1] for line in lines]
        elif fault == "think":
            lines.insert(0, "<think>The user wants numbered lines.</think>")
        elif fault == "split-line" and lines:
            words = lines[-1].split(" ")
            lines[-1:] = [" ".join(words[: len(words) // 2 + 1]), " ".join(words[len(words) // 2 + 1 :])]
        prompt_tokens = len((system + " " + user).split())
        return "\n".join(lines), prompt_tokens, 0


def _sentences(user: str) -> list[str]:
    """The numbered sentences after the "Sentences:" line of a user message (or every numbered line)."""
    lines = user.split("\n")
    if "Sentences:" in lines:
        lines = lines[lines.index("Sentences:") + 1 :]
    return [m.group(2) for m in (_NUMBERED.match(line) for line in lines) if m]


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_: object) -> None:  # keep test output clean
            pass

        def _json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
            raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
            self._raw(status, raw, "application/json", headers)

        def _raw(self, status: int, raw: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(raw)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(raw)

        def _error(self, status: int, message: str, kind: str, code: str | None = None, headers: dict[str, str] | None = None) -> None:
            self._json(status, {"error": {"message": message, "type": kind, "param": None, "code": code}}, headers)

        def _authorized(self) -> bool:
            if server.api_key and self.headers.get("Authorization") != f"Bearer {server.api_key}":
                self._error(401, "Invalid API key", "authentication_error", "invalid_api_key")
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path.rstrip("/") != "/v1/models" or not server.list_models:
                self._error(404, f"no route {self.path}", "not_found")
                return
            if self._authorized():
                self._json(200, {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "tests"} for name in server.models]})

        def do_POST(self) -> None:  # noqa: N802
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._error(404, f"no route {self.path}", "not_found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                self._error(400, "body is not JSON", "invalid_request_error")
                return
            if not self._authorized():
                return
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or "model" not in body:
                self._error(400, "'model' and 'messages' are required", "invalid_request_error")
                return
            if body["model"] not in server.models:
                self._error(404, f"The model `{body['model']}` does not exist.", "invalid_request_error", "model_not_found")
                return
            server.requests.append(body)
            server.headers.append(dict(self.headers))
            with server._lock:
                server.in_flight += 1
                server.most_in_flight = max(server.most_in_flight, server.in_flight)
            time.sleep(server.latency)  # the "model" at work; counted before the reply is sent
            with server._lock:
                server.in_flight -= 1
            self._complete(body)

        def _complete(self, body: dict[str, Any]) -> None:
            fault = server.next_fault()
            if fault.startswith(("429", "503")):
                status, _, after = fault.partition(":")
                self._error(int(status), "Rate limit reached" if status == "429" else "Service unavailable", "server_error", headers={"Retry-After": after} if after else None)
                return
            if fault == "timeout":
                time.sleep(server.delay)
            if fault == "close":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            if fault == "not-json":
                self._raw(200, b"<html>502 Bad Gateway</html>", "text/html")
                return
            if fault == "no-choices":
                self._json(200, {"id": "x", "object": "chat.completion", "choices": []})
                return
            text, prompt_tokens, _ = server.answer(body, fault)
            words = text.split(" ")
            limit = body.get("max_tokens")
            finish = "stop"
            if isinstance(limit, int) and len(words) > limit:
                text, finish = " ".join(words[:limit]), "length"
            completion_tokens = min(len(words), limit) if isinstance(limit, int) else len(words)
            created = int(time.time())
            if body.get("stream"):
                chunks = [{"id": "c", "object": "chat.completion.chunk", "created": created, "model": body["model"], "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]} for word in text.split(" ")]
                chunks.append({"id": "c", "object": "chat.completion.chunk", "created": created, "model": body["model"], "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
                raw = "".join(f"data: {json.dumps(c, ensure_ascii=False)}\n\n" for c in chunks) + "data: [DONE]\n\n"
                self._raw(200, raw.encode("utf-8"), "text/event-stream")
                return
            self._json(200, {
                "id": f"chatcmpl-{len(server.requests)}",
                "object": "chat.completion",
                "created": created,
                "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
                "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
            })

    return Handler


if __name__ == "__main__":  # pragma: no cover
    import sys

    with ChatServer(port=int(sys.argv[1]) if len(sys.argv) > 1 else 0) as running:
        port = running._server.server_address[1]
        print(f"serving {running.url} (port {port}); Ctrl-C stops", file=sys.stderr)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
