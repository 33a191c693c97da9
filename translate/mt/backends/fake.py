"""A deterministic stand-in engine for unit tests of the catalog and memory logic.

It "translates" by tagging each sentence with the target language, so tests
can see which entries went through the engine. It never loads a model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from translate.languages import Language
from translate.mt.batching import PROBE_SIZE
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.backends.common import engine_signature
from translate.mt.types import EngineSignature, Translation


class FakeEngine:
    """Returns ``"[<lang>] <sentence>"`` for every sentence; counts its calls.

    Args:
        delay: seconds spent per sentence, to stand in for a real model's
            speed (tests that interrupt a run use it). Sentences go through in
            batches of ``config.max_batch_size`` and ``on_batch`` is called
            after each, as a real backend does (the first batch of a watched
            engine is small, see :data:`~translate.mt.batching.PROBE_SIZE`).
        remember: keep every sentence seen in ``sentences_seen`` (tests read
            it; a stress run of millions of sentences turns it off).
    """

    backend = "fake"

    def __init__(self, model: ResolvedModel, config: DecodingConfig, *, delay: float = 0.0, remember: bool = True) -> None:
        self.model = model
        self.config = config
        self.delay = delay
        self.remember = remember
        self.model_calls = 0
        self.on_batch: Callable[[int], None] | None = None
        self._probed = False
        self.sentences_seen: list[str] = []
        self.signature = self.predict_signature(model, config)

    @classmethod
    def predict_signature(cls, model: ResolvedModel, config: DecodingConfig) -> EngineSignature:
        """The signature an engine for ``model`` and ``config`` will report (nothing is loaded)."""
        return engine_signature(cls.backend, model, "cpu", "none", f"{cls.backend}|{config.signature()}")

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        if not sentences:
            return []
        self.model_calls += 1
        if self.remember:
            self.sentences_seen.extend(sentences)
        if self.delay > 0:
            size = self.config.batch_limits("cpu")[1]
            first = PROBE_SIZE if self.on_batch is not None and not self._probed else size
            self._probed = self._probed or self.on_batch is not None
            start = 0
            while start < len(sentences):
                batch = len(sentences[start : start + (first if start == 0 else size)])
                start += batch
                time.sleep(self.delay * batch)
                if self.on_batch is not None:
                    self.on_batch(batch)
        return [Translation(source=s, text=f"[{tgt.code}] {s}", input_tokens=len(s.split()), output_tokens=len(s.split()) + 1) for s in sentences]
