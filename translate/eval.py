"""Score a model on aligned test files with sacrebleu: chrF, chrF++ and spBLEU.

Khmer has no spaces between words, so word-level BLEU is meaningless for it;
chrF (characters, ``word_order=0``), chrF++ (``word_order=2``) and spBLEU
(BLEU over the FLORES-200 SentencePiece tokens) are the published measures.
spBLEU's tokenizer model is downloaded by sacrebleu on first use; offline,
spBLEU is skipped and the report says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError
from translate.languages import Language, language
from translate.mt.setup import MTSettings, choose_backend, load_engine, resolve

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


@dataclass(frozen=True)
class EvalReport:
    """The scores of one model on one test set.

    Attributes:
        model: model name and revision (``name@revision``).
        backend: the backend and decoding-settings signature.
        sentences: how many sentences were translated and scored.
        scores: the metrics computed.
        skipped: metric name -> why it was not computed.
        hypotheses: the translations, in input order.
    """

    model: str
    backend: str
    sentences: int
    scores: tuple[Score, ...]
    skipped: dict[str, str]
    hypotheses: tuple[str, ...]


def read_lines(path: Path, limit: int | None = None) -> list[str]:
    """The lines of a test file (one sentence per line), at most ``limit``.

    Raises:
        TranslateError: the file cannot be read.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise TranslateError(f"cannot be read: {error}", path=path, hint="give a UTF-8 file with one sentence per line") from error
    return lines if limit is None else lines[:limit]


def score(hypotheses: Sequence[str], references: Sequence[str]) -> tuple[tuple[Score, ...], dict[str, str]]:
    """chrF, chrF++ and spBLEU of ``hypotheses`` against one reference each.

    Returns:
        The scores, and for metrics that could not be computed, why.
    """
    from sacrebleu.metrics import BLEU, CHRF

    refs = [list(references)]
    scores = []
    for name, metric in (("chrF", CHRF(word_order=0)), ("chrF++", CHRF(word_order=2))):
        result = metric.corpus_score(list(hypotheses), refs)
        scores.append(Score(name, result.score, str(metric.get_signature())))
    skipped: dict[str, str] = {}
    bleu = None
    for tokenizer in SPM_TOKENIZERS:
        try:
            bleu = BLEU(tokenize=tokenizer)
            result = bleu.corpus_score(list(hypotheses), refs)
        except (OSError, ImportError, ValueError) as error:
            log.warning("spBLEU with tokenizer %s unavailable: %s", tokenizer, error)
            skipped["spBLEU"] = f"tokenizer {tokenizer} unavailable ({error}); sacrebleu downloads its SentencePiece model on first use, which needs network access once"
            bleu = None
            continue
        scores.append(Score("spBLEU", result.score, str(bleu.get_signature())))
        skipped.pop("spBLEU", None)
        break
    return tuple(scores), skipped


def evaluate(
    src: Path,
    ref: Path,
    settings: MTSettings | None = None,
    *,
    to: str = "km",
    limit: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> EvalReport:
    """Translate ``src`` with the model ``translate mt`` would use and score it against ``ref``.

    Args:
        src: English sentences, one per line (FLORES ``eng_Latn.dev``).
        ref: their reference translations, aligned line by line.
        settings: model, backend and decoding settings (as for ``translate mt``).
        to: the target language (BCP-47).
        limit: score only the first ``limit`` lines.
        on_batch: called with the size of each translated batch.

    Raises:
        TranslateError: unreadable or misaligned files, a model that cannot be loaded.
    """
    settings = settings or MTSettings()
    sources = read_lines(src, limit)
    references = read_lines(ref, limit)
    if len(sources) != len(references):
        raise TranslateError(f"has {len(references)} lines but {src} has {len(sources)}", path=ref, hint="give aligned files (or the same --limit)")
    model, _ = resolve(settings)
    backend = choose_backend(settings, model)
    engine = load_engine(settings, model, backend)
    engine.on_batch = on_batch
    target: Language = language(to)
    translations = engine.translate(sources, language("en"), target)
    hypotheses = tuple(translation.text for translation in translations)
    scores, skipped = score(hypotheses, references)
    return EvalReport(
        model=f"{model.name}@{model.revision[:12]}",
        backend=f"{backend}|{settings.decoding.signature()}",
        sentences=len(sources),
        scores=scores,
        skipped=skipped,
        hypotheses=hypotheses,
    )
