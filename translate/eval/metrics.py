"""chrF, chrF++ and spBLEU with sacrebleu, and their signatures.

Khmer has no spaces between words, so word-level BLEU is meaningless for it;
chrF (characters, ``word_order=0``), chrF++ (``word_order=2``) and spBLEU
(BLEU over SentencePiece tokens) are the published measures.

spBLEU's standard tokenizer is sacrebleu's ``flores200``, whose SentencePiece
model sacrebleu downloads into its cache on first use; offline that fails and
spBLEU is skipped with the reason. :class:`LocalSPMTokenizer` instead loads a
SentencePiece model from a given file (``translate eval --spm-model``); its
signature names the file by SHA-256, so scores from different models are never
mistaken for one another.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from translate.errors import TranslateError

if TYPE_CHECKING:
    from sacrebleu.metrics import BLEU

log = logging.getLogger(__name__)

#: spBLEU tokenizers, best first: sacrebleu 2.4+ has the FLORES-200 one.
SPM_TOKENIZERS = ("flores200", "flores101")


@dataclass(frozen=True)
class Score:
    """One metric's corpus score.

    Attributes:
        name: ``chrF``, ``chrF++`` or ``spBLEU``.
        score: the score (0-100).
        signature: sacrebleu's signature (``nrefs:1|case:mixed|…|version:2.6.0``).
    """

    name: str
    score: float
    signature: str


class LocalSPMTokenizer:
    """A sacrebleu tokenizer splitting text into the pieces of a local SentencePiece model.

    It tokenizes as sacrebleu's own ``flores200`` tokenizer does (pieces joined
    by spaces); only where the model comes from differs.

    Raises:
        TranslateError: the file is not a SentencePiece model.
    """

    def __init__(self, path: Path) -> None:
        import sentencepiece as spm

        try:
            data = path.read_bytes()
        except OSError as error:
            raise TranslateError(f"cannot be read: {error.strerror}", path=path, hint="give a SentencePiece .model file") from error
        self.sp = spm.SentencePieceProcessor()
        try:
            self.sp.LoadFromSerializedProto(data)
        except (RuntimeError, OSError, TypeError) as error:
            raise TranslateError("is not a SentencePiece model", path=path, hint="give a .model file written by SentencePiece (e.g. sacrebleu's flores200 model)") from error
        self.path = path
        self.sha256 = hashlib.sha256(data).hexdigest()

    def __call__(self, line: str) -> str:
        return " ".join(self.sp.EncodeAsPieces(line))

    def signature(self) -> str:
        """``spm-`` and the first 12 hex digits of the model file's SHA-256."""
        return f"spm-{self.sha256[:12]}"


@dataclass(frozen=True)
class Metrics:
    """The metrics of a run, created once (spBLEU's tokenizer loads a model).

    Attributes:
        spbleu: the BLEU metric with a SentencePiece tokenizer, or ``None``.
        spbleu_skipped: why spBLEU is not computed, when ``spbleu`` is ``None``.
    """

    spbleu: BLEU | None
    spbleu_skipped: str = ""


def metrics(spm_model: Path | None = None) -> Metrics:
    """Set up spBLEU: with the local model ``spm_model``, else sacrebleu's flores200 tokenizer.

    Raises:
        TranslateError: ``spm_model`` is given but cannot be loaded.
    """
    from sacrebleu.metrics import BLEU

    if spm_model is not None:
        tokenizer = LocalSPMTokenizer(spm_model)
        bleu = BLEU(tokenize="none")
        bleu.tokenizer = tokenizer
        bleu.tokenizer_signature = tokenizer.signature()
        log.info("spBLEU with the local SentencePiece model %s (sha256 %s)", spm_model, tokenizer.sha256)
        return Metrics(bleu)
    why = ""
    for name in SPM_TOKENIZERS:
        try:
            return Metrics(BLEU(tokenize=name))
        except (OSError, ImportError, ValueError) as error:
            log.warning("spBLEU with tokenizer %s unavailable: %s", name, error)
            why = why or (
                f"tokenizer {name} unavailable ({error}); sacrebleu downloads its SentencePiece model on first use, "
                "which needs network access once, or pass --spm-model PATH"
            )
    return Metrics(None, why)


def score(hypotheses: Sequence[str], references: Sequence[str], setup: Metrics | None = None) -> tuple[tuple[Score, ...], dict[str, str]]:
    """chrF, chrF++ and spBLEU of ``hypotheses`` against one reference each.

    Args:
        hypotheses: the system's output.
        references: one reference per hypothesis.
        setup: the metrics from :func:`metrics` (default: set up here, with
            sacrebleu's flores200 tokenizer for spBLEU).

    Returns:
        The scores, and for metrics that could not be computed, why.
    """
    from sacrebleu.metrics import CHRF

    setup = setup or metrics()
    hyps, refs = list(hypotheses), [list(references)]
    scores = []
    for name, chrf in (("chrF", CHRF(word_order=0)), ("chrF++", CHRF(word_order=2))):
        result = chrf.corpus_score(hyps, refs)
        scores.append(Score(name, result.score, str(chrf.get_signature())))
    if setup.spbleu is None:
        return tuple(scores), {"spBLEU": setup.spbleu_skipped}
    result = setup.spbleu.corpus_score(hyps, refs)
    scores.append(Score("spBLEU", result.score, str(setup.spbleu.get_signature())))
    return tuple(scores), {}
