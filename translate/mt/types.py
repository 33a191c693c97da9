"""Data types shared by the machine-translation modules."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Issue(StrEnum):
    """A problem detected in a machine translation, recorded on its catalog entry."""

    HIT_LENGTH_CAP = "hit-length-cap"  # generation stopped at max_new_tokens
    REPETITION = "repetition"  # the output loops on a token or phrase
    LENGTH_RATIO = "length-ratio"  # output implausibly short or long for its source
    SPLIT = "split"  # the source was split at clause boundaries to fit the model's input
    EMPTY = "empty"  # the model produced nothing
    PLACEHOLDER = "placeholder"  # a masked URL, code or term was lost, duplicated or invented by the model
    MARKUP_NOT_PLACED = "markup-not-placed"  # a link or emphasis could not be placed in the translation
    MALFORMED = "malformed-reply"  # a language model's reply did not have the asked-for form; its best reading is kept


@dataclass(frozen=True)
class Translation:
    """One machine-translated sentence.

    Attributes:
        source: the sentence as sent to the engine.
        text: the translation.
        input_tokens: source length in the model's tokens.
        output_tokens: translation length in the model's tokens.
        issues: problems detected (see :class:`Issue`), in a stable order.
        retried: whether it was translated again with other settings after a problem.
    """

    source: str
    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    issues: tuple[Issue, ...] = ()
    retried: bool = False


@dataclass(frozen=True)
class TermNote:
    """A glossary term masked in a sentence, for engines that can be told what a placeholder stands for.

    Attributes:
        placeholder: the placeholder in the masked sentence (``{2}``).
        source: the English term.
        target: its approved translation, which replaces the placeholder after translation.
    """

    placeholder: str
    source: str
    target: str


@dataclass(frozen=True)
class SentenceContext:
    """Where a sentence stands in its article, for engines that translate with context.

    Attributes:
        document: the article it comes from (sentences of one article are batched together).
        before: the sentences just before it in the article, nearest last, as a reader sees them.
        after: the sentences just after it, nearest first.
        terms: the glossary terms masked in it.
    """

    document: str = ""
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    terms: tuple[TermNote, ...] = ()


@dataclass(frozen=True)
class EngineSignature:
    """What produced a machine translation, as a loaded engine reports it.

    Two engines with equal signatures give the same text for the same input,
    so ``settings`` is part of every translation-memory key and provenance:
    output of a bf16 GPU engine and of an fp32 CPU engine is never stored
    under one key.

    Attributes:
        backend: ``transformers``, ``ctranslate2`` or ``fake``.
        model: the model's lock name (or folder name).
        revision: the pinned commit, or ``local-<hash>`` for a local folder.
        device: ``cpu`` or ``cuda``.
        precision: the dtype (transformers) or compute type (CTranslate2).
        settings: backend, decoding settings and backend specifics as one
            string (see :meth:`translate.mt.decoding.DecodingConfig.signature`).
            CPU float32 (transformers) and CPU (CTranslate2) are implied, so
            memories written before devices were named keep their keys.
        mask: the masking rules version of the process that reports it.
    """

    backend: str
    model: str
    revision: str
    device: str
    precision: str
    settings: str
    mask: str

    def describe(self) -> str:
        """One line for messages: ``transformers tiny@0123abcd cuda/bfloat16``."""
        return f"{self.backend} {self.model}@{self.revision[:12]} {self.device}/{self.precision} mask v{self.mask}"
