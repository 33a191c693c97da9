"""The ``openai-compatible`` backend: an open LLM behind a chat-completions server.

Sentences arrive masked (:mod:`translate.mt.protect`), with their place in
the article when the caller knows it (:class:`~translate.mt.types.SentenceContext`).
Consecutive sentences of one article go into one request as a numbered list
(``batch_sentences`` at most), with the sentences around the batch as
read-only context and the glossary terms behind its placeholders; up to
``concurrency`` requests are in flight at once.

A reply is read strictly (:func:`translate.mt.llm.prompt.read_reply`): one
numbered line per sentence, each with exactly its sentence's placeholders. A
reply that breaks this is not guessed at: the batch is split in halves and
asked again, down to single sentences, whose best reading is kept and marked
``malformed-reply``. Each translation then gets the quality flags of every
backend (empty, repetition loop, implausible length ratio; hit-length-cap
when the server stopped at ``max_tokens``), and flagged ones are asked again
with a frequency penalty, as the other backends retry with a
repetition penalty.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from translate.errors import ConfigError
from translate.languages import Language
from translate.mt.backends.common import engine_signature, run_with_retry
from translate.mt.decoding import DecodingConfig
from translate.mt.llm.client import ChatClient, ChatReply, EndpointError
from translate.mt.llm.prompt import Batch, messages, read_reply, read_single
from translate.mt.llm.settings import BACKEND, LLMSettings
from translate.mt.models import ResolvedModel
from translate.mt.quality import assess
from translate.mt.types import EngineSignature, Issue, SentenceContext, Translation

log = logging.getLogger(__name__)

#: Output tokens allowed per sentence beyond the cap, for its number and line end.
LINE_OVERHEAD = 8


def output_cap(sentences: Sequence[str], config: DecodingConfig) -> int:
    """``max_tokens`` for a request: the decoding cap of each sentence, counting its UTF-8 bytes as tokens.

    A byte is an upper bound of a token for the byte-level tokenizers of open
    LLMs, so the cap is generous (about 4x the usual tokens for English).
    """
    return sum(config.max_new_tokens(len(s.encode("utf-8"))) + LINE_OVERHEAD for s in sentences)


class OpenAICompatibleEngine:
    """Translates through a chat-completions server (see the module documentation).

    Args:
        model: the served model (``name`` as the server knows it).
        config: decoding settings: output cap and retry apply.
        llm: the server and prompt settings.
        client: the HTTP client (default: one built from ``llm``).
        api_key: the bearer token for the default client.

    Raises:
        ConfigError: no model named.
        EndpointError: the server is unreachable or does not serve the model.
    """

    backend = BACKEND

    def __init__(self, model: ResolvedModel, config: DecodingConfig, llm: LLMSettings | None = None, *, client: ChatClient | None = None, api_key: str | None = None) -> None:
        self.model = model
        self.config = config
        self.llm = llm or LLMSettings(model=model.name)
        if not self.llm.model:
            raise ConfigError("no model named for the openai-compatible backend", hint="pass --model NAME (as the server's /v1/models lists it) or set [llm] model")
        self.client = client or ChatClient(
            self.llm.url, api_key=api_key, timeout=self.llm.timeout, attempts=self.llm.attempts, backoff=self.llm.backoff, max_backoff=self.llm.max_backoff
        )
        self.model_calls = 0
        self.on_batch: Callable[[int], None] | None = None
        self._count = threading.Lock()
        self.signature = self.predict_signature(model, config)
        self._check_model()

    @classmethod
    def predict_signature(cls, model: ResolvedModel, config: DecodingConfig) -> EngineSignature:
        """The engine's signature (nothing runs here: the model runs on the server).

        Memory keys and provenance of its output use the server and prompt
        settings of each language instead (:meth:`LLMSettings.signature`).
        """
        return engine_signature(cls.backend, model, "server", "server", f"{cls.backend}|{config.signature()}")

    def _check_model(self) -> None:
        served = self.client.models()
        if served is None:
            log.warning("%s has no /models list: cannot check that it serves %s", self.llm.url, self.llm.model)
            return
        if self.llm.model not in served and f"{self.llm.model}:latest" not in served:
            listed = ", ".join(served[:10]) + (" ..." if len(served) > 10 else "") if served else "nothing"
            raise EndpointError(f"{self.llm.url} does not serve model {self.llm.model!r}; it serves: {listed}", hint="pass --model with a name from that list")

    # ---------------------------------------------------------------- public

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        """Translate sentences with no article context (consecutive ones still share requests)."""
        return self.translate_in_context(sentences, src, tgt, None)

    def translate_in_context(self, sentences: Sequence[str], src: Language, tgt: Language, contexts: Sequence[SentenceContext] | None) -> list[Translation]:
        """Translate sentences knowing where each stands in its article.

        Args:
            contexts: one per sentence, or ``None``; only sentences of the same
                ``document`` that follow each other share a request.
        """
        if not sentences:
            return []
        places = list(contexts) if contexts is not None else [SentenceContext()] * len(sentences)
        if len(places) != len(sentences):
            raise ValueError("one context per sentence")

        def run(positions: Sequence[int], config: DecodingConfig) -> list[Translation]:
            return self._run(list(positions), sentences, places, src, tgt, config)

        return run_with_retry(len(sentences), run, self.config)

    # ------------------------------------------------------------- batching

    def _batches(self, positions: list[int], places: Sequence[SentenceContext]) -> list[list[int]]:
        """Runs of consecutive positions of one document, ``batch_sentences`` at most."""
        batches: list[list[int]] = []
        for position in positions:
            last = batches[-1] if batches else None
            if last and last[-1] == position - 1 and places[position].document == places[last[-1]].document and len(last) < self.llm.batch_sentences:
                last.append(position)
            else:
                batches.append([position])
        return batches

    def _run(self, positions: list[int], sentences: Sequence[str], places: Sequence[SentenceContext], src: Language, tgt: Language, config: DecodingConfig) -> list[Translation]:
        batches = self._batches(positions, places)
        done: dict[int, Translation] = {}
        workers = min(self.llm.concurrency, len(batches))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm") as pool:
            pending = {pool.submit(self._translate_batch, batch, sentences, places, src, tgt, config): batch for batch in batches}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_EXCEPTION)
                for future in finished:
                    batch = pending.pop(future)
                    error = future.exception()
                    if error is not None:
                        for other in pending:
                            other.cancel()
                        raise error
                    done.update(zip(batch, future.result(), strict=True))
                    if self.on_batch is not None:
                        self.on_batch(len(batch))
        return [done[p] for p in positions]

    def _batch(self, positions: list[int], sentences: Sequence[str], places: Sequence[SentenceContext]) -> Batch:
        keep = self.llm.context_sentences
        first, last = places[positions[0]], places[positions[-1]]
        terms = tuple((number, term) for number, p in enumerate(positions, 1) for term in places[p].terms)
        before = first.before[-keep:] if keep else ()
        after = last.after[:keep] if keep else ()
        return Batch(tuple(sentences[p] for p in positions), before, after, terms)

    def _translate_batch(
        self, positions: list[int], sentences: Sequence[str], places: Sequence[SentenceContext], src: Language, tgt: Language, config: DecodingConfig
    ) -> list[Translation]:
        """Translate one batch; on a reply that cannot be read, its halves, down to single sentences."""
        batch = self._batch(positions, sentences, places)
        reply = self._ask(batch, src, tgt, config)
        reading = read_reply(reply.text, batch.sentences)
        if reading.lines is not None:
            cut = reply.finish_reason == "length"
            return [self._translation(s, t, reply, batch, config, cut=cut and i == len(batch.sentences) - 1) for i, (s, t) in enumerate(zip(batch.sentences, reading.lines, strict=True))]
        if len(positions) > 1:
            log.info("refused a reply for %d sentences (%s): asking again in halves", len(positions), reading.problem)
            middle = len(positions) // 2
            return [
                *self._translate_batch(positions[:middle], sentences, places, src, tgt, config),
                *self._translate_batch(positions[middle:], sentences, places, src, tgt, config),
            ]
        text, well_formed = read_single(reply.text)
        log.info("reply for one sentence not as asked (%s): keeping its best reading", reading.problem)
        return [self._translation(batch.sentences[0], text, reply, batch, config, cut=reply.finish_reason == "length", malformed=not well_formed)]

    def _ask(self, batch: Batch, src: Language, tgt: Language, config: DecodingConfig) -> ChatReply:
        body = {
            **self.llm.extra(),
            "model": self.llm.model,
            "messages": messages(batch, self.llm.template_for(tgt), src, tgt),
            "temperature": self.llm.temperature,
            "top_p": self.llm.top_p,
            "max_tokens": output_cap(batch.sentences, config),
            "n": 1,
        }
        if self.llm.seed is not None:
            body["seed"] = self.llm.seed
        if config.repetition_penalty > 1:
            body["frequency_penalty"] = round(min(2.0, config.repetition_penalty - 1.0), 3)
        reply = self.client.chat(body)
        with self._count:
            self.model_calls += 1
        return reply

    def _translation(self, source: str, text: str, reply: ChatReply, batch: Batch, config: DecodingConfig, *, cut: bool, malformed: bool = False) -> Translation:
        """One translation with its quality flags; token counts are this sentence's share of the request's."""
        share_in = len(source) / max(1, sum(len(s) for s in batch.sentences))
        input_tokens = round(reply.prompt_tokens * share_in)
        output_tokens = round(reply.completion_tokens * share_in)
        # The length cap is judged by the server's finish_reason (``cut``), not by token counts.
        found = set(assess(source, text, input_tokens=input_tokens, output_tokens=output_tokens, max_new_tokens=output_tokens + 1, config=config))
        if cut:
            found.add(Issue.HIT_LENGTH_CAP)
        if malformed:
            found.add(Issue.MALFORMED)
        return Translation(source=source, text=text, input_tokens=input_tokens, output_tokens=output_tokens, issues=tuple(i for i in Issue if i in found))
