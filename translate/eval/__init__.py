"""Score a model on aligned test files with sacrebleu: chrF, chrF++ and spBLEU.

* :mod:`translate.eval.testset`: FLORES-200 / NTREX-128 files, grouping into documents;
* :mod:`translate.eval.metrics`: the metrics and their signatures, spBLEU with a local SentencePiece model;
* :mod:`translate.eval.sentences`: sentence-level evaluation (each line translated alone);
* :mod:`translate.eval.documents`: document-level evaluation, the full pipeline next to sentence-by-sentence input;
* :mod:`translate.eval.oracle`, :mod:`translate.eval.lossless`: the pipeline run with the references as translations (``--oracle``).

See ``docs/eval.md``.
"""

from __future__ import annotations

from translate.eval.documents import (
    DocumentReport,
    Row,
    Segmentation,
    evaluate_documents,
    segment_document,
)
from translate.eval.lossless import Loss, OracleReport, check_pipeline
from translate.eval.metrics import LocalSPMTokenizer, Metrics, Score, metrics, score
from translate.eval.sentences import EvalReport, evaluate
from translate.eval.testset import (
    Document,
    TestSet,
    group_by_ids,
    group_consecutive,
    read_doc_ids,
    read_lines,
    read_test_set,
)

__all__ = [
    "Document",
    "DocumentReport",
    "EvalReport",
    "LocalSPMTokenizer",
    "Loss",
    "Metrics",
    "OracleReport",
    "Row",
    "Score",
    "Segmentation",
    "TestSet",
    "check_pipeline",
    "evaluate",
    "evaluate_documents",
    "group_by_ids",
    "group_consecutive",
    "metrics",
    "read_doc_ids",
    "read_lines",
    "read_test_set",
    "score",
    "segment_document",
]
