"""Document-level evaluation: the full pipeline on multi-sentence text against sentence-by-sentence input.

Each document (consecutive test sentences) is scored in two ways, with one
loaded engine:

``raw``
    every reference-aligned source sentence translated on its own, the engine's
    output as it is; what sentence-level ``translate eval`` measures.
``raw+post``
    (Khmer only) the same translations after the Khmer post-processing of
    ``translate mt``; it separates the effect of post-processing from that of
    segmentation.
``pipeline``
    the document's sentences joined into one paragraph of a plain-text article,
    read and split into sentences by the article reader and
    :mod:`translate.segment` as ``translate extract`` does, translated in the
    chunks and token-budget batches of ``translate mt``, post-processed as
    ``translate mt`` writes Khmer machine output.

The test lines and the pipeline's sentences go to the engine together, each
distinct text once, in the chunks and token-budget batches ``translate mt``
uses (which also translates each distinct sentence once): a sentence that
segmentation recovers exactly gets the same translation in every row, so the
rows differ only by segmentation and post-processing, never by how batches
happened to be composed.

Every row gets document-level scores: each document's translations joined with
the target language's sentence joiner, against its joined references. A row gets
sentence-level scores when its sentences line up with the references, which for
the pipeline means segmentation found exactly as many sentences in every
document as it has reference lines; otherwise the report says where it did not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.eval.metrics import Metrics, Score, metrics, score
from translate.eval.sentences import open_engine, translate_unique
from translate.eval.testset import Document
from translate.khmer import KhmerOptions
from translate.languages import Language, language
from translate.mt.setup import MTSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    """One way of translating the documents, scored.

    Attributes:
        name: ``raw``, ``raw+post`` or ``pipeline``.
        inputs: how many texts were given to the engine (distinct ones translated once).
        document_scores: scores of the joined documents against the joined references.
        sentence_scores: scores sentence by sentence; empty when the sentences
            do not line up with the references (see ``sentence_skipped``).
        sentence_skipped: why there are no sentence-level scores ("" when there are).
        lined_up_scores: sentence-level scores on only the documents that the
            pipeline's segmentation split into as many sentences as they have
            lines (the same documents for every row); empty when that is every
            document, as ``sentence_scores`` then says it all.
        documents: each document's translation.
    """

    name: str
    inputs: int
    document_scores: tuple[Score, ...]
    sentence_scores: tuple[Score, ...]
    sentence_skipped: str
    lined_up_scores: tuple[Score, ...]
    documents: tuple[str, ...]


@dataclass(frozen=True)
class Segmentation:
    """What the pipeline's segmentation made of the documents.

    Attributes:
        documents: how many documents.
        references: how many reference sentences (test lines) they hold.
        sentences: how many sentences segmentation found in them.
        same_count: documents split into as many sentences as they have lines.
        same_text: documents split exactly at their line boundaries.
        differing: ids of the documents split into another number of sentences.
    """

    documents: int
    references: int
    sentences: int
    same_count: int
    same_text: int
    differing: tuple[str, ...]


@dataclass(frozen=True)
class DocumentReport:
    """Document-level scores of one model on one test set.

    Attributes:
        model: model name and revision (``name@revision``).
        backend: the backend and decoding-settings signature.
        sentences: test lines scored.
        translated: distinct texts the engine translated for all rows together.
        grouping: how lines were grouped into documents (``4 consecutive lines``, ``ids from docids.txt``).
        segmentation: what the pipeline's segmentation found.
        rows: ``raw``, ``raw+post`` (Khmer only) and ``pipeline``.
        skipped: metric name -> why it was not computed (in any row).
    """

    model: str
    backend: str
    sentences: int
    translated: int
    grouping: str
    segmentation: Segmentation
    rows: tuple[Row, ...]
    skipped: dict[str, str]


def document_text(document: Document) -> str:
    """The document as the paragraph of a news article: its sentences joined by spaces."""
    return " ".join(line.strip() for line in document.sources if line.strip())


def segment_document(document: Document) -> tuple[str, ...]:
    """Split the document's paragraph into sentences as ``translate extract`` does for a plain-text article."""
    from translate.article import Article
    from translate.config import ReadOptions
    from translate.load import reader, segment_blocks

    text = document_text(document)
    name = f"document-{document.id}.txt"
    parsed = reader("text")(text, ReadOptions(), name)
    article = Article(path=Path(name), format="text", source=text, blocks=segment_blocks(parsed.blocks))
    return tuple(segment.msgid for segment in article.segments())


def postprocessor(target: Language, khmer: KhmerOptions | None) -> Callable[[str], str] | None:
    """What ``translate mt`` does to machine output in ``target`` before writing it; ``None`` when nothing."""
    if target.gettext.split("_")[0] != "km":
        return None
    from translate.khmer import postprocess

    options = khmer or KhmerOptions()
    return lambda text: postprocess(text, options)


def evaluate_documents(
    documents: Sequence[Document],
    settings: MTSettings | None = None,
    *,
    to: str = "km",
    grouping: str = "",
    khmer: KhmerOptions | None = None,
    spm_model: Path | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> DocumentReport:
    """Score the pipeline on whole documents next to sentence-by-sentence translation.

    Args:
        documents: the test set grouped into documents (:mod:`translate.eval.testset`).
        settings: model, backend and decoding settings (as for ``translate mt``).
        to: the target language (BCP-47).
        grouping: how the documents were formed, for the report.
        khmer: Khmer post-processing (the ``[khmer]`` table; default :class:`KhmerOptions`).
        spm_model: a local SentencePiece model for spBLEU (default: sacrebleu's flores200).
        on_batch: called with the size of each translated batch.

    Raises:
        TranslateError: a model that cannot be loaded, an spBLEU model that cannot be read.
    """
    settings = settings or MTSettings()
    target = language(to)
    setup = metrics(spm_model)
    segmented = tuple(segment_document(document) for document in documents)
    segmentation = _segmentation(documents, segmented)
    log.info("segmentation: %d lines -> %d sentences in %d documents", segmentation.references, segmentation.sentences, segmentation.documents)
    loaded = open_engine(settings, on_batch)
    sources = [line for document in documents for line in document.sources]
    segments = [s for document_segments in segmented for s in document_segments]
    translations = translate_unique(loaded.engine, sources + segments, target)
    post = postprocessor(target, khmer)
    aligned = tuple(tuple(document.sources) for document in documents)
    lined_up = tuple(len(found) == len(document.sources) for document, found in zip(documents, segmented))
    rows = [_row("raw", documents, aligned, translations, None, target, setup, lined_up)]
    if post is not None:
        rows.append(_row("raw+post", documents, aligned, translations, post, target, setup, lined_up))
    rows.append(_row("pipeline", documents, segmented, translations, post, target, setup, lined_up))
    skipped = {} if setup.spbleu is not None else {"spBLEU": setup.spbleu_skipped}
    return DocumentReport(
        model=loaded.model,
        backend=loaded.backend,
        sentences=len(sources),
        translated=len(translations),
        grouping=grouping,
        segmentation=segmentation,
        rows=tuple(rows),
        skipped=skipped,
    )


def _segmentation(documents: Sequence[Document], segmented: Sequence[tuple[str, ...]]) -> Segmentation:
    differing = tuple(d.id for d, segments in zip(documents, segmented) if len(segments) != len(d.sources))
    same_text = sum(1 for d, segments in zip(documents, segmented) if segments == tuple(line.strip() for line in d.sources))
    return Segmentation(
        documents=len(documents),
        references=sum(len(d.sources) for d in documents),
        sentences=sum(len(segments) for segments in segmented),
        same_count=len(documents) - len(differing),
        same_text=same_text,
        differing=differing,
    )


def _row(
    name: str,
    documents: Sequence[Document],
    inputs: Sequence[tuple[str, ...]],
    translations: dict[str, str],
    post: Callable[[str], str] | None,
    target: Language,
    setup: Metrics,
    lined_up: Sequence[bool],
) -> Row:
    """Score the translations of ``inputs`` (each document's sentences as given to the engine).

    ``lined_up`` says, per document, whether the pipeline's segmentation
    recovered its lines: sentence-level scores on those documents are
    comparable between rows.
    """
    output = [tuple(post(translations[s]) if post else translations[s] for s in sentences) for sentences in inputs]
    joined = tuple(target.sentence_joiner.join(sentences) for sentences in output)
    references = [target.sentence_joiner.join(d.references) for d in documents]
    document_scores, _ = score(joined, references, setup)
    lined_up_scores: tuple[Score, ...] = ()
    if not all(lined_up) and any(lined_up):
        kept = [(sentences, d) for sentences, d, ok in zip(output, documents, lined_up) if ok]
        lined_up_scores, _ = score([s for sentences, _ in kept for s in sentences], [r for _, d in kept for r in d.references], setup)
    count = sum(len(s) for s in inputs)
    differing = [d for d, sentences in zip(documents, output) if len(sentences) != len(d.references)]
    if differing:
        found = sum(len(sentences) for sentences in output)
        expected = sum(len(d.references) for d in documents)
        ids = ", ".join(d.id for d in differing[:5]) + (", ..." if len(differing) > 5 else "")
        why = f"{found} sentences for {expected} references: {len(differing)} of {len(documents)} documents segmented differently ({ids})"
        return Row(name, count, document_scores, (), why, lined_up_scores, joined)
    sentence_scores, _ = score([s for sentences in output for s in sentences], [r for d in documents for r in d.references], setup)
    return Row(name, count, document_scores, sentence_scores, "", lined_up_scores, joined)
