"""The reference backend: Hugging Face transformers, ``from_pretrained(local_dir)``.

Models are loaded from a local folder only (``local_files_only``, never
``trust_remote_code``; safetensors where present, else torch's
``weights_only`` loading), fp32 on CPU and bf16 (or fp16) on a GPU.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.languages import Language
from translate.mt.batching import batches
from translate.mt.clauses import split_clauses
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel, load_kwargs
from translate.mt.families import M2M100_CODES, Family, LanguageCodes, UnsupportedLanguageError, language_codes
from translate.mt.nllb_codes import NLLB_CODES
from translate.mt.quality import assess
from translate.mt.types import Issue, Translation

log = logging.getLogger(__name__)

_RETRY_ON = (Issue.REPETITION, Issue.HIT_LENGTH_CAP)


class ModelLoadError(TranslateError):
    """A model folder cannot be loaded."""


def _import_torch() -> tuple[Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as error:
        raise ModelLoadError(
            "machine translation needs torch and transformers, which are not installed",
            hint="install them: pip install 'translate[mt]' (with torch==2.13.0 for the CPU build)",
        ) from error
    return torch, transformers


class TransformersEngine:
    """Translate with a seq2seq model through transformers' ``generate``."""

    backend = "transformers"

    def __init__(self, model: ResolvedModel, config: DecodingConfig) -> None:
        self.model = model
        self.config = config
        self.model_calls = 0
        torch, transformers = _import_torch()
        transformers.utils.logging.disable_progress_bar()
        self._torch = torch
        path = Path(model.path)
        if not (path / "config.json").is_file():
            raise ModelLoadError(f"is not a model folder (no config.json) for {model.name}", path=path, hint=f"run: translate models pull {model.name}")
        if config.threads:
            torch.set_num_threads(config.threads)
        self.device = "cuda" if config.device == "cuda" or (config.device == "auto" and torch.cuda.is_available()) else "cpu"
        if self.device == "cuda":
            dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        else:
            dtype = torch.float32
        kwargs = load_kwargs(path)  # refuses pickle weights where torch cannot load them safely
        try:
            self.tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
            self.network = transformers.AutoModelForSeq2SeqLM.from_pretrained(path, dtype=dtype, **kwargs)
        except (OSError, ValueError, KeyError) as error:
            raise ModelLoadError(f"cannot be loaded as a translation model: {error}".splitlines()[0], path=path, hint="check the folder, or pull the model again") from error
        self.network.to(self.device).eval()
        self.vocabulary = frozenset(self.tokenizer.get_vocab())
        self.special_ids = frozenset(self.tokenizer.all_special_ids)
        log.info("loaded %s (%s) on %s as %s", model.name, model.revision, self.device, dtype)

    def _has_token(self, token: str) -> bool:
        token_id = self.tokenizer.convert_tokens_to_ids(token)
        return token_id is not None and token_id != self.tokenizer.unk_token_id

    def _language_tokens(self) -> list[str]:
        if Family(self.model.family) is Family.M2M100:
            return [code for code in M2M100_CODES if self._has_token(f"__{code}__")]
        return [code for code in NLLB_CODES if self._has_token(code)]

    def _codes(self, src: Language, tgt: Language) -> LanguageCodes:
        codes = language_codes(Family(self.model.family), src, tgt, self.vocabulary)
        for code in (codes.source_token, codes.forced_bos):
            if code is not None and not self._has_token(code):
                raise UnsupportedLanguageError(
                    f"model {self.model.name} has no language token {code}; supported: {' '.join(self._language_tokens())}",
                    hint="choose another --to language or another --model",
                )
        if codes.source is not None and hasattr(self.tokenizer, "src_lang"):
            self.tokenizer.src_lang = codes.source
        return codes

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        encoded: list[list[int]] = self.tokenizer(list(texts))["input_ids"]
        return encoded

    def _generate(self, ids: list[list[int]], codes: LanguageCodes, config: DecodingConfig) -> list[list[int]]:
        """Generated token ids (special tokens removed but EOS noted) for each input, in order."""
        torch = self._torch
        forced = self.tokenizer.convert_tokens_to_ids(codes.forced_bos) if codes.forced_bos else None
        results: list[list[int]] = [[] for _ in ids]
        for batch in batches([len(i) for i in ids], max_tokens=config.batch_tokens, max_size=config.max_batch_size):
            padded = self.tokenizer.pad({"input_ids": [ids[i] for i in batch.indices]}, return_tensors="pt")
            kwargs: dict[str, Any] = {
                "num_beams": config.beam_size,
                "max_new_tokens": config.max_new_tokens(batch.max_length),
                "length_penalty": config.length_penalty,
                "repetition_penalty": config.repetition_penalty,
                "no_repeat_ngram_size": config.no_repeat_ngram_size,
                "do_sample": False,
                "early_stopping": True,
            }
            if forced is not None:
                kwargs["forced_bos_token_id"] = forced
            with torch.inference_mode():
                output = self.network.generate(
                    input_ids=padded["input_ids"].to(self.device), attention_mask=padded["attention_mask"].to(self.device), **kwargs
                )
            self.model_calls += 1
            for row, index in zip(output.tolist(), batch.indices):
                results[index] = row
        return results

    def _translations(self, sources: Sequence[str], ids: list[list[int]], rows: list[list[int]], config: DecodingConfig) -> list[Translation]:
        eos = self.tokenizer.eos_token_id
        out = []
        for source, source_ids, row in zip(sources, ids, rows):
            generated = row[1:]  # after the decoder start token
            content = [t for t in generated if t not in self.special_ids]
            text = self.tokenizer.decode(content, skip_special_tokens=True).strip()
            cap = config.max_new_tokens(len(source_ids))
            issues = set(assess(source, text, input_tokens=len(source_ids), output_tokens=len(content), output_token_ids=content, max_new_tokens=cap, config=config))
            if eos not in generated:
                issues.add(Issue.HIT_LENGTH_CAP)
            ordered = tuple(issue for issue in Issue if issue in issues)
            out.append(Translation(source=source, text=text, input_tokens=len(source_ids), output_tokens=len(content), issues=ordered))
        return out

    def _run(self, sources: Sequence[str], codes: LanguageCodes) -> list[Translation]:
        ids = self._encode([codes.prefix + s for s in sources])
        first = self._translations(sources, ids, self._generate(ids, codes, self.config), self.config)
        if not self.config.retry:
            return first
        again = [i for i, t in enumerate(first) if any(issue in t.issues for issue in _RETRY_ON)]
        if not again:
            return first
        retry_config = self.config.retry_settings()
        retry_ids = [ids[i] for i in again]
        second = self._translations([sources[i] for i in again], retry_ids, self._generate(retry_ids, codes, retry_config), retry_config)
        for index, retried in zip(again, second):
            if len(retried.issues) < len(first[index].issues):
                first[index] = dataclasses.replace(retried, retried=True)
        return first

    def translate(self, sentences: Sequence[str], src: Language, tgt: Language) -> list[Translation]:
        """Translate sentences; those over the input budget are split at clause boundaries first."""
        if not sentences:
            return []
        codes = self._codes(src, tgt)

        def count(text: str) -> int:
            return len(self._encode([codes.prefix + text])[0])

        parts: list[str] = []
        owners: list[int] = []
        for index, sentence in enumerate(sentences):
            pieces = split_clauses(sentence, count, self.config.max_input_tokens)
            parts.extend(pieces)
            owners.extend([index] * len(pieces))
        translated = self._run(parts, codes)
        grouped: list[list[Translation]] = [[] for _ in sentences]
        for owner, translation in zip(owners, translated):
            grouped[owner].append(translation)
        return [self._join(sentence, group, tgt) for sentence, group in zip(sentences, grouped)]

    @staticmethod
    def _join(sentence: str, group: list[Translation], tgt: Language) -> Translation:
        if len(group) == 1:
            return group[0]
        issues = {Issue.SPLIT} | {issue for t in group for issue in t.issues}
        return Translation(
            source=sentence,
            text=tgt.sentence_joiner.join(t.text for t in group),
            input_tokens=sum(t.input_tokens for t in group),
            output_tokens=sum(t.output_tokens for t in group),
            issues=tuple(issue for issue in Issue if issue in issues),
            retried=any(t.retried for t in group),
        )
