"""Sentence-level evaluation: translate each test sentence alone and score the output."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.eval.metrics import Score, metrics, score
from translate.eval.testset import read_test_set
from translate.languages import Language, language
from translate.mt.engine import Engine
from translate.mt.jobs import EngineSpec
from translate.mt.setup import MTSettings, choose_backend, llm_for, load_engine, resolve

log = logging.getLogger(__name__)

ENGLISH = "en"


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


@dataclass(frozen=True)
class LoadedEngine:
    """The engine ``translate mt`` would use, with the strings that identify it in a report."""

    engine: Engine
    model: str
    backend: str


def open_engine(settings: MTSettings, on_batch: Callable[[int], None] | None = None) -> LoadedEngine:
    """Resolve and load the model of ``settings`` as ``translate mt`` does.

    Raises:
        TranslateError: the model cannot be found or loaded.
    """
    model, _ = resolve(settings)
    backend = choose_backend(settings, model)
    engine = load_engine(settings, model, backend)
    engine.on_batch = on_batch
    spec = EngineSpec(backend, model, settings.decoding, llm_for(settings, backend))
    return LoadedEngine(engine, f"{model.name}@{model.revision[:12]}", spec.settings_for(None, engine.signature))


def translate_unique(engine: Engine, texts: Sequence[str], tgt: Language) -> dict[str, str]:
    """Translate each distinct text once, in the chunks ``translate mt`` uses; text -> translation."""
    from translate.mt.service import CHUNK

    unique = list(dict.fromkeys(texts))
    done: dict[str, str] = {}
    for start in range(0, len(unique), CHUNK):
        chunk = unique[start : start + CHUNK]
        for source, translation in zip(chunk, engine.translate(chunk, language(ENGLISH), tgt)):
            done[source] = translation.text
    return done


def evaluate(
    src: Path,
    ref: Path,
    settings: MTSettings | None = None,
    *,
    to: str = "km",
    limit: int | None = None,
    spm_model: Path | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> EvalReport:
    """Translate ``src`` with the model ``translate mt`` would use and score it against ``ref``.

    Each line is translated on its own and the engine's output is scored as it
    is (no post-processing).

    Args:
        src: English sentences, one per line (FLORES ``eng_Latn.dev``, NTREX ``newstest2019-src.eng.txt``).
        ref: their reference translations, aligned line by line.
        settings: model, backend and decoding settings (as for ``translate mt``).
        to: the target language (BCP-47).
        limit: score only the first ``limit`` lines.
        spm_model: a local SentencePiece model for spBLEU (default: sacrebleu's flores200).
        on_batch: called with the size of each translated batch.

    Raises:
        TranslateError: unreadable or misaligned files, a model that cannot be loaded.
    """
    settings = settings or MTSettings()
    test_set = read_test_set(src, ref, limit)
    setup = metrics(spm_model)
    target = language(to)
    loaded = open_engine(settings, on_batch)
    translations = translate_unique(loaded.engine, test_set.sources, target)
    hypotheses = tuple(translations[source] for source in test_set.sources)
    scores, skipped = score(hypotheses, test_set.references, setup)
    return EvalReport(
        model=loaded.model,
        backend=loaded.backend,
        sentences=len(test_set.sources),
        scores=scores,
        skipped=skipped,
        hypotheses=hypotheses,
    )
