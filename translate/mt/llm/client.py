"""A small client for OpenAI-compatible chat-completion servers (standard library only).

It speaks the part of the protocol every local server implements alike
(vLLM, llama.cpp's server, llama-cpp-python, Ollama): ``GET /v1/models`` and
``POST /v1/chat/completions`` with ``"stream": false``. A request is tried
again, up to ``attempts`` times, after a rate limit (429), a server error
(500, 502, 503, 504), a time-out, a dropped connection or a reply that is not
the JSON the protocol promises; it waits an exponentially growing, jittered
time in between, or what a ``Retry-After`` header says, and while one request
waits for a rate limit the others wait too. Client errors (400, 401, 404 …)
are not retried: they come back as one-line :class:`EndpointError` s.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from translate.errors import TranslateError

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
#: The longest ``Retry-After`` honoured, in seconds.
MAX_RETRY_AFTER = 300.0


class EndpointError(TranslateError):
    """The server cannot be reached, refuses a request, or keeps failing."""


@dataclass(frozen=True)
class ChatReply:
    """The first choice of a chat completion.

    Attributes:
        text: the message content.
        finish_reason: ``stop``, ``length`` (cut at ``max_tokens``) …
        prompt_tokens: the server's count of input tokens (0 if not reported).
        completion_tokens: the server's count of output tokens (0 if not reported).
    """

    text: str
    finish_reason: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Retry(Exception):
    """A failure worth another try, with the wait the server asked for (if any)."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


class ChatClient:
    """Talks to one server; safe to share between threads.

    Args:
        endpoint: the base URL, up to and including ``/v1``.
        api_key: sent as a bearer token when given.
        timeout: seconds to wait for one reply.
        attempts: tries of one request (see the module documentation).
        backoff: seconds before the first retry, doubled each time.
        max_backoff: the longest wait computed by back-off.
        sleep: waits (tests pass a recorder).
        jitter: returns a number in [0, 1) (tests pass a constant).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        api_key: str | None = None,
        timeout: float = 120.0,
        attempts: int = 5,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._jitter = jitter
        self._lock = threading.Lock()
        self._not_before = 0.0
        self.requests = 0
        self.retries = 0

    # ------------------------------------------------------------------ calls

    def models(self) -> tuple[str, ...] | None:
        """The model names the server lists; ``None`` when it has no ``/models``.

        Tried once: an unreachable server is reported at once.

        Raises:
            EndpointError: the server cannot be reached or answers with an error.
        """
        try:
            data = self._once("GET", "/models", None)
        except _Retry as problem:
            raise EndpointError(f"cannot reach {self.endpoint}: {problem.reason}", hint="start the server, or pass --endpoint URL (or [llm] endpoint)") from None
        except EndpointError as error:
            if "HTTP 404" in error.message:
                return None
            raise
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise EndpointError(f"{self.endpoint}/models: reply has no list of models", hint="is this an OpenAI-compatible API? the URL ends in /v1")
        return tuple(str(item["id"]) for item in items if isinstance(item, dict) and "id" in item)

    def chat(self, body: Mapping[str, Any]) -> ChatReply:
        """One chat completion (``stream`` is always off).

        Raises:
            EndpointError: a client error, or a failure that lasted every attempt.
        """
        payload = {**body, "stream": False}
        for attempt in range(1, self.attempts + 1):
            self._wait_gate()
            try:
                return _chat_reply(self._once("POST", "/chat/completions", payload), self.endpoint)
            except _Retry as problem:
                if attempt == self.attempts:
                    raise EndpointError(
                        f"{self.endpoint}/chat/completions failed {self.attempts} times, last: {problem.reason}",
                        hint="check the server's log; raise [llm] attempts or timeout, or lower concurrency",
                    ) from None
                delay = self._delay(attempt, problem.wait)
                self.retries += 1
                log.warning("%s: %s; trying again in %.1f s (%d of %d)", self.endpoint, problem.reason, delay, attempt + 1, self.attempts)
                if problem.wait is not None:
                    self._hold(delay)  # every request waits at the gate, this one included
                else:
                    self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    # -------------------------------------------------------------- plumbing

    def _delay(self, attempt: int, asked: float | None) -> float:
        if asked is not None:
            return min(max(asked, 0.0), MAX_RETRY_AFTER)
        base = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return base * (0.5 + 0.5 * self._jitter())

    def _hold(self, delay: float) -> None:
        """Make every request wait ``delay`` seconds (the server asked for a pause)."""
        with self._lock:
            self._not_before = max(self._not_before, time.monotonic() + delay)

    def _wait_gate(self) -> None:
        with self._lock:
            wait = self._not_before - time.monotonic()
        if wait > 0:
            self._sleep(wait)

    def _once(self, method: str, path: str, payload: Mapping[str, Any] | None) -> Any:
        """One HTTP exchange: the decoded JSON, a :class:`_Retry`, or an :class:`EndpointError`."""
        url = self.endpoint + path
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            body = _read_error(error)
            if error.code in RETRY_STATUS:
                raise _Retry(f"HTTP {error.code} {body}".strip(), _retry_after(error.headers.get("Retry-After"))) from None
            hint = "check --model against the server's /v1/models" if error.code == 404 else "check the server's log and the [llm] settings"
            if error.code in (401, 403):
                hint = "set the API key: [llm] api_key_env names the variable that holds it"
            raise EndpointError(f"{url}: HTTP {error.code} {body}".strip(), hint=hint) from None
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise _Retry(f"timed out after {self.timeout:g} s" if isinstance(reason, TimeoutError) else str(reason) or type(error).__name__) from None
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _Retry(f"reply is not JSON: {raw[:60]!r}") from None


def _read_error(error: urllib.error.HTTPError) -> str:
    """The message of an error reply, in whichever shape the server writes it."""
    try:
        raw = error.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return " ".join(raw.split())[:200]
    if isinstance(data, dict):
        detail = data.get("error", data.get("detail", data.get("message", "")))
        if isinstance(detail, dict):
            detail = detail.get("message", "")
        return " ".join(str(detail).split())[:200]
    return ""


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _chat_reply(data: Any, endpoint: str) -> ChatReply:
    """The first choice of a completion, or a :class:`_Retry` when the reply breaks the protocol."""
    try:
        choice = data["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise _Retry(f"reply has no choices[0].message.content: {json.dumps(data)[:80]}") from None
    if content is not None and not isinstance(content, str):
        raise _Retry("reply content is not text")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    return ChatReply(
        text=content or "",
        finish_reason=str(choice.get("finish_reason") or ""),
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
    )
