"""The fast backend: CTranslate2, int8 on CPU, with target-vocabulary maps.

The model must have been converted first (``translate models convert <name>``,
see :mod:`translate.mt.convert`); the engine never converts on its own, since
that takes minutes and gigabytes for a real model. Text is tokenized and
detokenized with the model folder's own tokenizer, so source tokens and output
text are exactly those of the transformers backend; with greedy search and
float32 the two produce the same tokens. For NLLB that is the folder's
SentencePiece model with NLLB's id layout (:mod:`translate.mt.spm_tokenizer`:
0.07 s to load instead of transformers' 1-2 s, and no transformers import);
other families, and NLLB folders without ``sentencepiece.bpe.model``, use
transformers' ``AutoTokenizer``.

With ``restrict_vocabulary`` (the default) each target language is decoded
through its vocabulary map (:mod:`translate.mt.vmap`): one translator is
loaded at a time, for the language being translated.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from translate.errors import ConfigError, TranslateError
from translate.languages import Language
from translate.mt import spm_tokenizer, vmap
from translate.mt.backends.common import (
    content_ids,
    engine_signature,
    known_language_tokens,
    make_translation,
    resolve_codes,
    run_with_retry,
    special_ids,
    translate_in_parts,
)
from translate.mt.batching import PROBE_SIZE, batches
from translate.mt.convert import (
    QUANTIZATIONS,
    RECORD,
    ConversionError,
    ConversionMissingError,
    available_conversions,
    conversion_dir,
    ctranslate2_version,
    model_reference,
    verify_conversion,
)
from translate.mt.decoding import DecodingConfig
from translate.mt.families import LanguageCodes
from translate.mt.models import ResolvedModel
from translate.mt.spm_tokenizer import NllbSentencePiece
from translate.mt.types import EngineSignature, Translation

log = logging.getLogger(__name__)

#: compute_type "auto", first supported wins.
_AUTO_COMPUTE = {"cpu": ("int8", "int8_float32", "float32"), "cuda": ("int8_float16", "int8_bfloat16", "float16", "int8", "float32")}
#: Which stored quantization to load for a compute type when its own is not converted.
_FALLBACK = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32", "int16")
#: CTranslate2's default input truncation; longer inputs are logged.
_MAX_INPUT = 1024


class CTranslate2LoadError(TranslateError):
    """A converted model cannot be loaded with CTranslate2."""


def _import_ctranslate2() -> Any:
    try:
        import ctranslate2  # type: ignore[import-untyped]
    except ImportError as error:
        raise CTranslate2LoadError("ctranslate2 is not installed", hint="pip install ctranslate2") from error
    return ctranslate2


def _is_gpu_failure(error: BaseException) -> bool:
    """Whether an error from CTranslate2 comes from CUDA (a missing library, no device, out of memory)."""
    return any(word in str(error) for word in ("CUDA", "cuda", "cublas", "cuBLAS", "cudnn", "cuDNN", "GPU"))


def _generation_setting(folder: Path, key: str) -> Any:
    """A value from the model folder's ``generation_config.json``, or ``None``."""
    try:
        settings = json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return settings.get(key) if isinstance(settings, dict) else None


def resolve_device(config: DecodingConfig, ct2: Any | None = None) -> str:
    """``cpu`` or ``cuda``: ``auto`` is cuda when CTranslate2 sees a GPU."""
    if config.device != "auto":
        return config.device
    ct2 = ct2 or _import_ctranslate2()
    return "cuda" if ct2.get_cuda_device_count() > 0 else "cpu"


def resolve_compute_type(config: DecodingConfig, device: str, ct2: Any | None = None) -> str:
    """The computation type: ``auto`` is int8 on CPU and int8_float16 on CUDA (or the next supported).

    Raises:
        ConfigError: an explicit compute type the device does not support.
    """
    ct2 = ct2 or _import_ctranslate2()
    supported = set(ct2.get_supported_compute_types(device))
    if config.compute_type == "auto":
        return next((c for c in _AUTO_COMPUTE[device] if c in supported), "float32")
    if config.compute_type not in supported:
        raise ConfigError(f"compute type {config.compute_type} is not supported on {device}",
                          hint="use one of: " + ", ".join(sorted(supported)) + ", or auto")
    return config.compute_type


def _suffix(config: DecodingConfig, device: str, compute: str) -> str:
    """Version, compute type, vocabulary map, and the device unless CPU (implied)."""
    restriction = f"v{vmap.VMAP_VERSION}" if config.restrict_vocabulary else "no"
    suffix = f"|ct2:{ctranslate2_version()}|ct:{compute}|vmap:{restriction}"
    return suffix if device == "cpu" else f"{suffix}|device:{device}"


class CTranslate2Engine:
    """Translate with a CTranslate2 conversion of a seq2seq model."""

    backend = "ctranslate2"

    def __init__(self, model: ResolvedModel, config: DecodingConfig, *, root: Path | None = None) -> None:
        """Find the conversion of ``model`` and load its tokenizer (the translator loads on first use).

        Args:
            root: the models folder that holds conversions of local folders
                (default: :func:`translate.mt.models.models_dir`).

        Raises:
            ConversionMissingError: the model is not converted (the message says what to run).
            IntegrityError: a file of the conversion changed since it was converted.
            CTranslate2LoadError: ctranslate2 or transformers is missing, or the folder is unusable.
            ConfigError: a compute type the device does not support.
        """
        self.model = model
        self._root = root
        self.config = config
        self.model_calls = 0
        self.on_batch: Callable[[int], None] | None = None
        self._probed = False
        self._ct2 = _import_ctranslate2()
        path = Path(model.path)
        if not (path / "config.json").is_file():
            raise CTranslate2LoadError(f"is not a model folder (no config.json) for {model.name}", path=path, hint=f"run: translate models pull {model.name}")
        self.device = resolve_device(config, self._ct2)
        self.compute_type = resolve_compute_type(config, self.device, self._ct2)
        self.model_dir = self._find_conversion()
        verify_conversion(self.model_dir, model)  # hashed on first use only
        self.tokenizer: Any = self._load_tokenizer(path)
        # only Marian's and MADLAD's language codes are looked up in the vocabulary (families.language_codes)
        self.vocabulary: frozenset[str] = frozenset() if isinstance(self.tokenizer, NllbSentencePiece) else frozenset(self.tokenizer.get_vocab())
        self.special_ids = special_ids(self.tokenizer)
        self.language_tokens = known_language_tokens(self.tokenizer)
        # transformers forces the end token at the cap where the model asks for it (Marian):
        # stop one token earlier so that the text is the same.
        self._forced_end = _generation_setting(path, "forced_eos_token_id") is not None
        self._translator: Any = None
        self._loaded: Path | None = None
        self.signature = engine_signature(self.backend, model, self.device, self.compute_type,
                                          f"{self.backend}|{config.signature()}{_suffix(config, self.device, self.compute_type)}")
        log.info("using %s (%s) from %s on %s as %s", model.name, model.revision, self.model_dir, self.device, self.compute_type)

    def _load_tokenizer(self, path: Path) -> Any:
        """NLLB's tokenizer from the folder's SentencePiece model where it has one, else transformers' ``AutoTokenizer``."""
        if self.model.family == "nllb":
            found = spm_tokenizer.load(path)
            if found is not None:
                return found
        try:
            from transformers import AutoTokenizer
            from transformers.utils import logging as transformers_logging
        except ImportError as error:
            raise CTranslate2LoadError("the ctranslate2 backend tokenizes this model with transformers, which is not installed",
                                       hint="pip install 'newsroom-translate[mt]'") from error
        transformers_logging.disable_progress_bar()
        try:
            return AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
        except (OSError, ValueError, KeyError) as error:
            raise CTranslate2LoadError(f"has no usable tokenizer: {error}".splitlines()[0], path=path, hint="check the folder, or pull the model again") from error

    @staticmethod
    def signature_suffix(config: DecodingConfig) -> str:
        """What this backend adds to ``DecodingConfig.signature()``: version, compute type, vocabulary map.

        Example: ``|ct2:4.8.5|ct:int8|vmap:v1``.
        """
        ct2 = _import_ctranslate2()
        device = resolve_device(config, ct2)
        return _suffix(config, device, resolve_compute_type(config, device, ct2))

    @classmethod
    def predict_signature(cls, model: ResolvedModel, config: DecodingConfig) -> EngineSignature:
        """The signature an engine for ``model`` and ``config`` will report on this machine, without loading it."""
        ct2 = _import_ctranslate2()
        device = resolve_device(config, ct2)
        compute = resolve_compute_type(config, device, ct2)
        return engine_signature(cls.backend, model, device, compute, f"{cls.backend}|{config.signature()}{_suffix(config, device, compute)}")

    def _find_conversion(self) -> Path:
        found = available_conversions(self.model, self._root)
        if not found:
            quantization = self.compute_type if self.compute_type in QUANTIZATIONS else "int8"
            option = "" if quantization == "int8" else f" --quantization {quantization}"
            expected = conversion_dir(self.model, quantization, self._root)
            state = "is out of date" if expected.exists() else "does not exist yet"
            raise ConversionMissingError(
                f"the CTranslate2 {ctranslate2_version()} conversion of model {self.model.name} {state}",
                path=expected,
                hint=f"run: translate models convert {model_reference(self.model)}{option}",
            )
        for quantization in (self.compute_type, *_FALLBACK):
            if quantization in found:
                if quantization != self.compute_type:
                    log.warning("no %s conversion of %s: loading the %s one as %s", self.compute_type, self.model.name, quantization, self.compute_type)
                return found[quantization]
        raise AssertionError("unreachable")  # every quantization is in _FALLBACK

    # ----------------------------------------------------------------- translators

    def _map_folder(self, codes: LanguageCodes, tgt: Language) -> Path | None:
        """The view folder with this target's vocabulary map, or ``None`` for no restriction."""
        if not self.config.restrict_vocabulary:
            return None
        script = vmap.target_script(tgt)
        if script is None:
            return None
        forced = [codes.forced_bos] if codes.forced_bos else []
        always = [t for t in self.tokenizer.all_special_tokens if t not in self.language_tokens] + forced
        never = (set(self.tokenizer.all_special_tokens) | self.language_tokens) - set(always)

        def render() -> str:
            source = vmap.read_vocabulary(self.model_dir, "source")
            target = vmap.read_vocabulary(self.model_dir, "target")
            return vmap.build_map(source, target, script, always=always, never=never).render()

        try:
            key = codes.target if codes.target.endswith(script) else f"{codes.target}-{script}"  # M2M100 "sr": Cyrl or Latn
            return vmap.install_view(self.model_dir, key, render, skip={RECORD})
        except OSError as error:
            log.warning("cannot write a vocabulary map into %s (%s): translating without one", self.model_dir, error)
            return None

    def _threads(self, restricted: bool) -> tuple[int, int]:
        """``(replicas, threads per replica)`` for a translator.

        A translator that decodes with a vocabulary map gets one replica: each
        restricted batch must follow a reset on the same replica (see
        :meth:`_generate`), and CTranslate2 cannot say which replica takes a job.
        It gets the threads the replicas would have had.
        """
        replicas, threads = self.config.replicas, self.config.threads
        if not restricted or replicas == 1:
            if not threads and self.device == "cpu" and replicas > 1:
                threads = max(1, (os.cpu_count() or 1) // replicas)
            return replicas, threads
        log.info("decoding with a vocabulary map uses 1 replica instead of %d", replicas)
        return 1, threads * replicas

    def _translator_for(self, folder: Path, restricted: bool) -> Any:
        if self._loaded != folder:
            if self._translator is not None:
                self._translator.unload_model()
                self._translator = None
            replicas, threads = self._threads(restricted)
            try:
                self._translator = self._ct2.Translator(
                    str(folder), device=self.device, compute_type=self.compute_type,
                    intra_threads=threads, inter_threads=replicas,
                )
            except (RuntimeError, ValueError, OSError) as error:
                if self.device == "cuda" and _is_gpu_failure(error):
                    raise self._gpu_error(error) from error
                raise CTranslate2LoadError(f"cannot be loaded by CTranslate2: {error}".splitlines()[0], path=folder,
                                           hint=f"convert it again: translate models convert {model_reference(self.model)} --force") from error
            self._loaded = folder
        return self._translator

    def _gpu_error(self, error: BaseException) -> CTranslate2LoadError:
        """A one-line error for CTranslate2 failing on the GPU (most often: its CUDA libraries are missing)."""
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return CTranslate2LoadError(
            f"CTranslate2 {ctranslate2_version()} cannot run on the GPU: {first}",
            hint="its wheels need the CUDA 12 cuBLAS and cuDNN 9 libraries (pip install nvidia-cublas-cu12 nvidia-cudnn-cu12); "
            "or use --device cpu, or --backend transformers",
        )

    # ----------------------------------------------------------------- translating

    def _codes(self, src: Language, tgt: Language) -> LanguageCodes:
        return resolve_codes(self.model, self.tokenizer, self.vocabulary, src, tgt)

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        encoded: list[list[int]] = self.tokenizer(list(texts))["input_ids"]
        return encoded

    def _run(self, sources: Sequence[str], codes: LanguageCodes, folder: Path | None) -> list[Translation]:
        ids = self._encode([codes.prefix + s for s in sources])
        tokens: list[list[str]] = [self.tokenizer.convert_ids_to_tokens(i) for i in ids]
        if any(len(t) > _MAX_INPUT for t in tokens):
            log.warning("an input longer than %d tokens is truncated by CTranslate2", _MAX_INPUT)
        use_vmap = folder is not None
        translator = self._translator_for(folder or self.model_dir, use_vmap)

        def run(indices: Sequence[int], config: DecodingConfig) -> list[Translation]:
            chosen = list(indices)
            rows = self._generate([tokens[i] for i in chosen], codes, config, translator, use_vmap)
            return [self._translation(sources[i], ids[i], row, codes, config) for i, row in zip(chosen, rows, strict=True)]

        return run_with_retry(len(sources), run, self.config)

    def _probe(self) -> int | None:
        """The size of a small first batch, once, when progress is watched (see :data:`~translate.mt.batching.PROBE_SIZE`)."""
        if self.on_batch is None or self._probed:
            return None
        self._probed = True
        return PROBE_SIZE

    def _generate(self, tokens: list[list[str]], codes: LanguageCodes, config: DecodingConfig, translator: Any, use_vmap: bool) -> list[list[str]]:
        """Output tokens (target prefix and end token included when present) for each input, in order."""
        prefix = [codes.forced_bos] if codes.forced_bos else None
        pending = []
        budget, size = config.batch_limits(self.device)
        for batch in batches([len(t) for t in tokens], max_tokens=budget, max_size=size, first_size=self._probe()):
            if use_vmap:
                # CTranslate2 4.8 keeps a restricted output layer's id mapping from one
                # batch to the next (the forced language token then lands on a stale
                # position: wrong output or an IndexError). One unrestricted step in
                # between resets it; with one replica, jobs run in submission order.
                translator.translate_batch([[tokens[batch.indices[0]][0], self.tokenizer.eos_token]], beam_size=1,
                                           max_decoding_length=1, use_vmap=False, asynchronous=True)
            submitted = translator.translate_batch(
                [tokens[i] for i in batch.indices],
                target_prefix=[prefix] * len(batch.indices) if prefix else None,
                beam_size=config.beam_size,
                max_decoding_length=max(1, config.max_new_tokens(batch.max_length) - self._forced_end),
                length_penalty=config.length_penalty,
                repetition_penalty=config.repetition_penalty,
                no_repeat_ngram_size=config.no_repeat_ngram_size,
                return_end_token=True,
                return_scores=False,
                use_vmap=use_vmap,
                max_batch_size=0,
                asynchronous=True,  # batches go to every replica at once
            )
            self.model_calls += 1
            pending.append((batch, submitted))
        results: list[list[str]] = [[] for _ in tokens]
        for batch, submitted in pending:
            for index, result in zip(batch.indices, submitted, strict=True):
                try:
                    results[index] = list(result.result().hypotheses[0])
                except RuntimeError as error:
                    if self.device != "cuda":
                        raise
                    raise self._gpu_error(error) from error
            if self.on_batch is not None:
                self.on_batch(len(batch.indices))
        return results

    def _translation(self, source: str, source_ids: list[int], output: list[str], codes: LanguageCodes, config: DecodingConfig) -> Translation:
        if codes.forced_bos and output[:1] == [codes.forced_bos]:
            output = output[1:]
        ended = bool(output) and output[-1] == self.tokenizer.eos_token
        generated = content_ids(self.tokenizer.convert_tokens_to_ids(output), self.special_ids)
        text: str = self.tokenizer.decode(generated, skip_special_tokens=True).strip()
        return make_translation(source, text, input_tokens=len(source_ids), content_ids=generated, ended=ended,
                                cap=config.max_new_tokens(len(source_ids)), config=config)

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        """Translate sentences; those over the input budget are split at clause boundaries first."""
        if not sentences:
            return []
        codes = self._codes(src, tgt)
        folder = self._map_folder(codes, tgt)

        def count(text: str) -> int:
            return len(self._encode([codes.prefix + text])[0])

        return translate_in_parts(sentences, tgt, count, self.config.max_input_tokens, lambda parts: self._run(parts, codes, folder))


__all__ = ["CTranslate2Engine", "CTranslate2LoadError", "ConversionError", "ConversionMissingError", "resolve_compute_type", "resolve_device"]
