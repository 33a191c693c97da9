"""The reference backend: Hugging Face transformers, ``from_pretrained(local_dir)``.

Models are loaded from a local folder only (``local_files_only``, never
``trust_remote_code``; safetensors where present, else torch's
``weights_only`` loading), fp32 on CPU and bf16 (or fp16) on a GPU.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.languages import Language
from translate.mt.backends.common import (
    content_ids,
    engine_signature,
    make_translation,
    resolve_codes,
    run_with_retry,
    special_ids,
    translate_in_parts,
)
from translate.mt.batching import PROBE_SIZE, batches
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel, load_kwargs, pickle_refusal
from translate.mt.families import LanguageCodes
from translate.mt.types import EngineSignature, Translation

log = logging.getLogger(__name__)


class ModelLoadError(TranslateError):
    """A model folder cannot be loaded."""


def _import_torch() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as error:
        raise ModelLoadError(
            "machine translation needs torch and transformers, which are not installed",
            hint="install them: pip install 'newsroom-translate[mt]' (with torch==2.13.0 for the CPU build)",
        ) from error
    return torch, transformers


def device_and_dtype(config: DecodingConfig, torch: Any) -> tuple[str, str]:
    """Where the model runs and its dtype: fp32 on CPU, bf16 (or fp16 where bf16 is not supported) on a GPU."""
    device = "cuda" if config.device == "cuda" or (config.device == "auto" and torch.cuda.is_available()) else "cpu"
    if device == "cpu":
        return device, "float32"
    try:
        return device, "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
    except (RuntimeError, AssertionError):  # no usable GPU: loading reports it
        return device, "bfloat16"


def signature_settings(config: DecodingConfig, device: str, dtype: str) -> str:
    """The memory-key settings: backend and decoding, then device and dtype unless CPU float32 (implied)."""
    settings = f"transformers|{config.signature()}"
    return settings if (device, dtype) == ("cpu", "float32") else f"{settings}|device:{device}|dtype:{dtype}"


class TransformersEngine:
    """Translate with a seq2seq model through transformers' ``generate``."""

    backend = "transformers"

    def __init__(self, model: ResolvedModel, config: DecodingConfig) -> None:
        self.model = model
        self.config = config
        self.model_calls = 0
        self.on_batch: Callable[[int], None] | None = None
        self._probed = False
        torch, transformers = _import_torch()
        transformers.utils.logging.disable_progress_bar()
        self._torch = torch
        path = Path(model.path)
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"is not a model folder (no config.json) for {model.name}", path=path, hint=f"run: translate models pull {model.name}")
        if config.threads:
            torch.set_num_threads(config.threads)
        self.device, dtype_name = device_and_dtype(config, torch)
        dtype = getattr(torch, dtype_name)
        kwargs = load_kwargs(path)  # refuses pickle weights where torch cannot load them safely
        try:
            with warnings.catch_warnings():
                # torch warns about the protocol of a pickle it then refuses or loads anyway
                warnings.filterwarnings("ignore", message="Detected pickle protocol", category=UserWarning)
                self.tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
                self.network = transformers.AutoModelForSeq2SeqLM.from_pretrained(path, dtype=dtype, **kwargs)
        except Exception as error:  # torch, safetensors and the tokenizer libraries raise many types
            refusal = pickle_refusal(error, path, None if model.revision.startswith("local-") else model.name)
            if refusal is not None:
                raise refusal from error
            raise ModelLoadError(f"cannot be loaded as a translation model: {error}".splitlines()[0], path=path, hint="check the folder, or pull the model again") from error
        self.network.to(self.device).eval()
        self.vocabulary = frozenset(self.tokenizer.get_vocab())
        self.special_ids = special_ids(self.tokenizer)
        self.signature = engine_signature(self.backend, model, self.device, dtype_name, signature_settings(config, self.device, dtype_name))
        log.info("loaded %s (%s) on %s as %s", model.name, model.revision, self.device, dtype)

    @classmethod
    def predict_signature(cls, model: ResolvedModel, config: DecodingConfig) -> EngineSignature:
        """The signature an engine for ``model`` and ``config`` will report, without loading it.

        ``device = "cpu"`` needs nothing; otherwise torch is imported to see
        whether there is a GPU and which dtype it takes.
        """
        if config.device == "cpu":
            device, dtype = "cpu", "float32"
        else:
            torch, _ = _import_torch()
            device, dtype = device_and_dtype(config, torch)
        return engine_signature(cls.backend, model, device, dtype, signature_settings(config, device, dtype))

    def _codes(self, src: Language, tgt: Language) -> LanguageCodes:
        return resolve_codes(self.model, self.tokenizer, self.vocabulary, src, tgt)

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        encoded: list[list[int]] = self.tokenizer(list(texts))["input_ids"]
        return encoded

    def _probe(self) -> int | None:
        """The size of a small first batch, once, when progress is watched (see :data:`~translate.mt.batching.PROBE_SIZE`)."""
        if self.on_batch is None or self._probed:
            return None
        self._probed = True
        return PROBE_SIZE

    def _generate(self, ids: list[list[int]], codes: LanguageCodes, config: DecodingConfig) -> list[list[int]]:
        """Generated token ids (decoder start token first) for each input, in order."""
        torch = self._torch
        forced = self.tokenizer.convert_tokens_to_ids(codes.forced_bos) if codes.forced_bos else None
        results: list[list[int]] = [[] for _ in ids]
        budget, size = config.batch_limits(self.device)
        for batch in batches([len(i) for i in ids], max_tokens=budget, max_size=size, first_size=self._probe()):
            padded = self.tokenizer.pad({"input_ids": [ids[i] for i in batch.indices]}, return_tensors="pt")
            kwargs: dict[str, Any] = {
                "num_beams": config.beam_size,
                "max_new_tokens": config.max_new_tokens(batch.max_length),
                "length_penalty": config.length_penalty,
                "repetition_penalty": config.repetition_penalty,
                "no_repeat_ngram_size": config.no_repeat_ngram_size,
                "do_sample": False,
            }
            if config.beam_size > 1:
                kwargs["early_stopping"] = True
            if forced is not None:
                kwargs["forced_bos_token_id"] = forced
            with torch.inference_mode():
                output = self.network.generate(
                    input_ids=padded["input_ids"].to(self.device), attention_mask=padded["attention_mask"].to(self.device), **kwargs
                )
            self.model_calls += 1
            for row, index in zip(output.tolist(), batch.indices):
                results[index] = row
            if self.on_batch is not None:
                self.on_batch(len(batch.indices))
        return results

    def _translation(self, source: str, source_ids: list[int], row: list[int], config: DecodingConfig) -> Translation:
        generated = row[1:]  # after the decoder start token
        pad = self.tokenizer.pad_token_id
        while generated and generated[-1] == pad and pad != self.tokenizer.eos_token_id:
            generated = generated[:-1]
        content = content_ids(generated, self.special_ids)
        text: str = self.tokenizer.decode(content, skip_special_tokens=True).strip()
        cap = config.max_new_tokens(len(source_ids))
        # Marian's generation config forces an end token at the cap, so reaching
        # the cap counts as hitting it even when the output "ended".
        ended = self.tokenizer.eos_token_id in generated and len(generated) < cap
        return make_translation(source, text, input_tokens=len(source_ids), content_ids=content, ended=ended, cap=cap, config=config)

    def _run(self, sources: Sequence[str], codes: LanguageCodes) -> list[Translation]:
        ids = self._encode([codes.prefix + s for s in sources])

        def run(indices: Sequence[int], config: DecodingConfig) -> list[Translation]:
            chosen = list(indices)
            rows = self._generate([ids[i] for i in chosen], codes, config)
            return [self._translation(sources[i], ids[i], row, config) for i, row in zip(chosen, rows, strict=True)]

        return run_with_retry(len(sources), run, self.config)

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        """Translate sentences; those over the input budget are split at clause boundaries first."""
        if not sentences:
            return []
        codes = self._codes(src, tgt)

        def count(text: str) -> int:
            return len(self._encode([codes.prefix + text])[0])

        return translate_in_parts(sentences, tgt, count, self.config.max_input_tokens, lambda parts: self._run(parts, codes))
