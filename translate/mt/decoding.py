"""Decoding settings: one frozen config, overridden as defaults -> config file -> flags."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from translate.errors import ConfigError

DEVICES = ("auto", "cpu", "cuda")
#: CTranslate2 compute types ("auto": int8 on CPU, int8_float16 on CUDA).
#: Batch limits by device when not set: (token budget, most sentences). Small
#: batches suit CPUs; on a GPU bigger ones keep it busy (NLLB-600M on an H200,
#: bf16, beam 4: 51 sentences/s with the CPU limits, 86 with these;
#: benchmarks/README.md).
AUTO_BATCH = {"cpu": (4096, 32), "cuda": (32768, 256)}
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")


@dataclass(frozen=True)
class DecodingConfig:
    """How sentences are decoded. Defaults suit news sentences.

    Attributes:
        beam_size: beam search width (CTranslate2's own default is 2: always set).
        max_new_tokens_factor: output cap = factor x input tokens + ``max_new_tokens_extra``.
        max_new_tokens_extra: see above.
        max_input_tokens: longer sentences are split at clause boundaries first.
        batch_tokens: token budget of one batch (padded length x sentences);
            0 = by device (see :data:`AUTO_BATCH`).
        max_batch_size: most sentences in one batch; 0 = by device.
        length_penalty: beam-search length penalty.
        repetition_penalty: penalty on repeated tokens (1.0 = none).
        no_repeat_ngram_size: forbid repeating n-grams of this size (0 = off).
        min_length_ratio: outputs shorter than this x source characters are flagged
            (visible characters: zero-width marks are not counted; calibrated on
            the FLORES-200 English-Khmer pairs, whose ratios lie in 0.49-2.04).
        max_length_ratio: outputs longer than this x source characters are flagged.
        retry: translate flagged outputs again with anti-repetition settings.
        device: ``auto`` (GPU if available), ``cpu`` or ``cuda``.
        threads: CPU threads per model replica (0 = the library's choice).
        replicas: model replicas translating batches in parallel (CTranslate2
            ``inter_threads``); on 2 cores, 2 replicas x 1 thread beat 1 x 2.
        compute_type: CTranslate2 computation type (``auto``: int8 on CPU,
            int8_float16 on CUDA).
        restrict_vocabulary: CTranslate2 only: limit the output vocabulary to
            the target script's tokens, punctuation, digits, special tokens and
            each source sentence's own tokens (a vocabulary map).
    """

    beam_size: int = 4
    max_new_tokens_factor: float = 3.0
    max_new_tokens_extra: int = 10
    max_input_tokens: int = 200
    batch_tokens: int = 0
    max_batch_size: int = 0
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    min_length_ratio: float = 0.3
    max_length_ratio: float = 3.0
    retry: bool = True
    device: str = "auto"
    threads: int = 0
    replicas: int = 1
    compute_type: str = "auto"
    restrict_vocabulary: bool = True

    def __post_init__(self) -> None:
        problems = []
        if self.beam_size < 1:
            problems.append("beam_size must be at least 1")
        if self.max_new_tokens_factor <= 0 or self.max_new_tokens_extra < 0:
            problems.append("max_new_tokens_factor must be positive and max_new_tokens_extra not negative")
        if self.max_input_tokens < 8:
            problems.append("max_input_tokens must be at least 8")
        if self.batch_tokens and self.batch_tokens < self.max_input_tokens:
            problems.append("batch_tokens must be at least max_input_tokens (or 0: by device)")
        if self.max_batch_size < 0:
            problems.append("max_batch_size must be at least 1 (or 0: by device)")
        if not 0 < self.min_length_ratio < self.max_length_ratio:
            problems.append("need 0 < min_length_ratio < max_length_ratio")
        if self.device not in DEVICES:
            problems.append(f"device must be one of {', '.join(DEVICES)}")
        if self.threads < 0:
            problems.append("threads must not be negative")
        if self.replicas < 1:
            problems.append("replicas must be at least 1")
        if self.compute_type not in COMPUTE_TYPES:
            problems.append(f"compute_type must be one of {', '.join(COMPUTE_TYPES)}")
        if problems:
            raise ConfigError("invalid decoding settings: " + "; ".join(problems), hint="see translate mt --help")

    def batch_limits(self, device: str) -> tuple[int, int]:
        """``(token budget, most sentences)`` of a batch on ``device`` (``cpu`` or ``cuda``)."""
        tokens, size = AUTO_BATCH["cuda" if device == "cuda" else "cpu"]
        return max(self.batch_tokens or tokens, self.max_input_tokens), self.max_batch_size or size

    def max_new_tokens(self, input_tokens: int) -> int:
        """The output cap for an input of ``input_tokens`` tokens."""
        return int(self.max_new_tokens_factor * input_tokens) + self.max_new_tokens_extra

    def signature(self) -> str:
        """The settings that change what the model outputs, as a stable string.

        Batch sizes, device, threads and replicas are left out: they do not
        change the output of a deterministic decoder. The CTranslate2 settings
        (compute type, vocabulary restriction) are added by that backend.
        """
        return (
            f"beam:{self.beam_size}|maxnew:{self.max_new_tokens_factor:g}x+{self.max_new_tokens_extra}"
            f"|maxin:{self.max_input_tokens}|lp:{self.length_penalty:g}|rp:{self.repetition_penalty:g}"
            f"|nrng:{self.no_repeat_ngram_size}|retry:{'yes' if self.retry else 'no'}"
        )

    def retry_settings(self) -> DecodingConfig:
        """Settings for a second try after a repetition loop or a hit cap."""
        return dataclasses.replace(self, repetition_penalty=max(self.repetition_penalty, 1.2), no_repeat_ngram_size=self.no_repeat_ngram_size or 4, retry=False)


def _coerce(name: str, value: Any, kind: type) -> Any:
    try:
        if kind is bool:
            if isinstance(value, str):
                lowered = value.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        return kind(value)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"decoding setting {name} = {value!r} is not a {kind.__name__}") from error


def decoding_config(*layers: Mapping[str, Any] | None, base: DecodingConfig | None = None) -> DecodingConfig:
    """Build a config from layers applied in order (later wins), e.g. file then flags.

    ``None`` values within a layer are ignored (a flag that was not given).

    Raises:
        ConfigError: an unknown key or a value of the wrong type or range.
    """
    types = {f.name: type(getattr(DecodingConfig(), f.name)) for f in fields(DecodingConfig)}
    config = base or DecodingConfig()
    for layer in layers:
        if not layer:
            continue
        changes = {}
        for key, value in layer.items():
            name = key.replace("-", "_")
            if name not in types:
                raise ConfigError(f"unknown decoding setting {key!r}", hint="known: " + ", ".join(sorted(types)))
            if value is not None:
                changes[name] = _coerce(name, value, types[name])
        config = dataclasses.replace(config, **changes)
    return config
