"""The engine interface and a lazy registry of backends.

An engine translates a list of sentences from one language into another with
one loaded model. Backends are imported only when asked for, so a command that
does not translate never imports torch, transformers or ctranslate2.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from translate.errors import ConfigError
from translate.languages import Language
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel, verify_on_use
from translate.mt.types import EngineSignature, Translation

#: Backend name -> "module:class", imported on first use.
BACKENDS = {
    "transformers": "translate.mt.backends.transformers:TransformersEngine",
    "ctranslate2": "translate.mt.backends.ctranslate2:CTranslate2Engine",
    "openai-compatible": "translate.mt.backends.openai_compatible:OpenAICompatibleEngine",
    "fake": "translate.mt.backends.fake:FakeEngine",
}


class Engine(Protocol):
    """What every backend provides."""

    backend: str
    model: ResolvedModel
    config: DecodingConfig
    #: number of times the model was run (one per batch), for reports and tests
    model_calls: int
    #: called with the number of inputs of each finished batch (progress reporting)
    on_batch: Callable[[int], None] | None
    #: what produces the text, as loaded: device and dtype or compute type included
    signature: EngineSignature

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        """Translate each sentence; the result has one Translation per input, in order."""
        ...


def _engine_class(backend: str) -> Any:
    target = BACKENDS.get(backend)
    if target is None:
        raise ConfigError(f"unknown MT backend {backend!r}", hint="use one of: " + ", ".join(sorted(BACKENDS)))
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def predict_signature(backend: str, model: ResolvedModel, config: DecodingConfig | None = None) -> EngineSignature:
    """The signature an engine of ``backend`` would report on this machine, without loading the model.

    Raises:
        ConfigError: an unknown backend, or settings this machine cannot run.
        TranslateError: the backend's package is missing.
    """
    signature: EngineSignature = _engine_class(backend).predict_signature(model, config or DecodingConfig())
    return signature


def create_engine(backend: str, model: ResolvedModel, config: DecodingConfig | None = None, *, options: Mapping[str, Any] | None = None) -> Engine:
    """Load ``model`` with the named backend.

    A locked model's files are checked against models.lock first (hashed on
    first use only, see :func:`translate.mt.models.verify_on_use`), whatever
    the backend. ``options`` go to the engine class (the fake engine's ``delay``;
    ``llm`` and ``api_key`` of ``openai-compatible``).

    Raises:
        ConfigError: an unknown backend.
        IntegrityError: a locked model's file is missing or altered.
        TranslateError: the model cannot be loaded (missing files, missing packages).
    """
    engine_class = _engine_class(backend)
    verify_on_use(model)
    engine: Engine = engine_class(model, config or DecodingConfig(), **(options or {}))
    return engine
