"""A deterministic stand-in engine for unit tests of the catalog and memory logic.

It "translates" by tagging each sentence with the target language, so tests
can see which entries went through the engine. It never loads a model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from translate.languages import Language
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.types import Translation


class FakeEngine:
    """Returns ``"[<lang>] <sentence>"`` for every sentence; counts its calls."""

    backend = "fake"

    def __init__(self, model: ResolvedModel, config: DecodingConfig) -> None:
        self.model = model
        self.config = config
        self.model_calls = 0
        self.on_batch: Callable[[int], None] | None = None
        self.sentences_seen: list[str] = []

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        if not sentences:
            return []
        self.model_calls += 1
        self.sentences_seen.extend(sentences)
        return [Translation(source=s, text=f"[{tgt.code}] {s}", input_tokens=len(s.split()), output_tokens=len(s.split()) + 1) for s in sentences]
