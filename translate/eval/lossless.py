"""Does the pipeline lose anything? The whole path, run with the reference oracle.

Each document (consecutive test lines) becomes a plain-text article, one
paragraph, and goes through exactly what ``translate run`` does: the article
is read and segmented and its catalogs are written (``translate extract``),
every sentence is masked and "translated" by :class:`~translate.eval.oracle.OracleEngine`,
which answers with the reference, the answers are restored, post-processed
and written as fuzzy machine suggestions (``translate mt``), and the localized
article is published (``translate publish``). The published documents are
scored against the joined references.

Two figures come out:

* the **sentence-level oracle**: each line's oracle answer, restored, against
  its reference (100 unless the oracle itself is broken), and after the
  target language's post-processing;
* the **pipeline**: each published document against its joined references.

Every document published differently from its references is listed with its
chrF and the cause found by replaying the stages: ``segmentation`` (lines
split or joined so that the references could not be shared out),
``repeated sentence`` (an English sentence that occurs twice with two
different references gets one translation: a catalog holds one entry per
sentence), ``post-processing`` (the Khmer clean-up of machine output rewrote
the reference: which rules), ``masking`` (a placeholder or markup not put back),
``joining`` (only white space between sentences differs), ``publishing``
(anything else).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path

from translate.eval.documents import document_text, postprocessor, segment_document
from translate.eval.metrics import Score, metrics, score
from translate.eval.oracle import ORACLE_MODEL, Group, OracleEngine, align, answer_table
from translate.eval.testset import Document
from translate.khmer import KhmerOptions
from translate.languages import Language, language
from translate.mt.protect import mask, restore

#: When the test files name no time: a fixed one, so catalogs come out the same each run.
_NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Loss:
    """A document the pipeline did not publish as its joined references.

    Attributes:
        document: the document id.
        first_line: its first line in the test files (1-based).
        chrf: its chrF, published against the joined references.
        cause: ``segmentation``, ``repeated sentence``, ``post-processing``, ``masking``, ``joining`` or ``publishing``.
        detail: what exactly (the line split, the rules that rewrote the text …).
    """

    document: str
    first_line: int
    chrf: float
    cause: str
    detail: str


@dataclass(frozen=True)
class OracleReport:
    """The pipeline run with reference translations.

    Attributes:
        sentences: test lines.
        documents: documents they were grouped into.
        grouping: how (``4 consecutive lines``).
        post: the post-processing applied (``KhmerOptions(...)`` or ``none``).
        sentence_scores: each line's oracle answer against its reference.
        sentence_post_scores: the same after post-processing (empty when the target has none).
        pipeline_scores: each published document against its joined references.
        exact: documents published exactly as their joined references.
        segments: how segmentation related to the lines: ``same``, ``joined``, ``split``, ``crossed`` groups.
        unknown: sentences the oracle was asked and had no answer for.
        causes: cause -> documents.
        losses: every document below the oracle.
        published: the published documents.
    """

    sentences: int
    documents: int
    grouping: str
    post: str
    sentence_scores: tuple[Score, ...]
    sentence_post_scores: tuple[Score, ...]
    pipeline_scores: tuple[Score, ...]
    exact: int
    segments: dict[str, int]
    unknown: int
    causes: dict[str, int]
    losses: tuple[Loss, ...]
    published: tuple[str, ...]


def check_pipeline(
    documents: Sequence[Document],
    *,
    to: str = "km",
    grouping: str = "",
    khmer: KhmerOptions | None = None,
    spm_model: Path | None = None,
    workdir: Path | None = None,
) -> OracleReport:
    """Run every document through extract, mt (with the oracle) and publish, and score what comes out.

    Args:
        documents: the test set grouped into documents.
        to: the target language (BCP-47); its references are the test set's.
        grouping: how the documents were formed, for the report.
        khmer: Khmer post-processing (the ``[khmer]`` table; default :class:`KhmerOptions`).
        spm_model: a local SentencePiece model for spBLEU.
        workdir: where the articles, catalogs and published files go (default: a temporary folder).

    Raises:
        TranslateError: the spBLEU model cannot be read.
    """
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="translate-oracle-") as tmp:
            return check_pipeline(documents, to=to, grouping=grouping, khmer=khmer, spm_model=spm_model, workdir=Path(tmp))
    target = language(to)
    setup = metrics(spm_model)
    post = postprocessor(target, khmer)
    segmented = [segment_document(d) for d in documents]
    alignments = [align(d, s, document_text(d), target.sentence_joiner) for d, s in zip(documents, segmented)]
    lines = [(source, reference) for d in documents for source, reference in zip(d.sources, d.references)]
    pairs = [(segments[i], answer) for segments, groups in zip(segmented, alignments) if groups for g in groups for i, answer in zip(g.sentences, g.answers)]
    engine = OracleEngine(answer_table(pairs + lines))
    published, issues = _run_pipeline(documents, target, engine, khmer, workdir)

    by_line = answer_table(lines)  # a sentence that is also a part of another line has its own reference here
    oracle_lines = [restore(mask(source), by_line[mask(source).text]).text for source, _ in lines]
    references = [reference for _, reference in lines]
    sentence_scores, _ = score(oracle_lines, references, setup)
    sentence_post_scores = score([post(t) for t in oracle_lines], references, setup)[0] if post else ()
    joined = [target.sentence_joiner.join(r.strip() for r in d.references) for d in documents]
    pipeline_scores, _ = score(published, joined, setup)
    losses = tuple(
        _loss(d, text, reference, groups, segments, _Stages(target, post, engine.answers, issues, khmer))
        for d, text, reference, groups, segments in zip(documents, published, joined, alignments, segmented)
        if text != reference
    )
    kinds = Counter(g.kind for groups in alignments if groups for g in groups)
    return OracleReport(
        sentences=len(lines),
        documents=len(documents),
        grouping=grouping,
        post=repr(khmer or KhmerOptions()) if post else "none",
        sentence_scores=sentence_scores,
        sentence_post_scores=sentence_post_scores,
        pipeline_scores=pipeline_scores,
        exact=len(documents) - len(losses),
        segments={kind: kinds.get(kind, 0) for kind in ("same", "joined", "split", "crossed")},
        unknown=len(set(engine.unknown)),
        causes=dict(Counter(loss.cause for loss in losses).most_common()),
        losses=losses,
        published=tuple(published),
    )


def _run_pipeline(documents: Sequence[Document], target: Language, engine: OracleEngine, khmer: KhmerOptions | None, workdir: Path) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Extract, translate with ``engine`` and publish each document; its published text and the issues per msgid."""
    from translate.api import Workspace, extract, publish
    from translate.mt.memory import TranslationMemory
    from translate.mt.jobs.local import LocalExecutor
    from translate.mt.service import EngineSpec, machine_translate
    from translate.publish import PublishOptions

    articles = workdir / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    paths = []
    for document in documents:
        path = articles / f"flores-{document.id}.txt"
        path.write_text(document_text(document) + "\n", encoding="utf-8")
        paths.append(path)
    workspace = Workspace(locales=workdir / "locales", base=workdir)
    extract(paths, [target], workspace, now=_NOW)
    spec = EngineSpec(engine.backend, ORACLE_MODEL, engine.config)
    with TranslationMemory(workdir / "memory.sqlite3") as memory:
        executor = LocalExecutor(lambda: engine, signature=engine.signature)
        run = machine_translate([(p, p.name.split(".", 1)[0]) for p in paths], [target], workspace.locales, spec, None, memory, khmer=khmer, executor=executor)
    issues = _issues(workspace.locales, target)
    # Checks off: the references are reviewed human translations, and the
    # check gate (which keeps the English for a translation that fails an
    # error-level check, e.g. the references that rewrite 0230 as 02:30) is
    # a publishing policy, not something the pipeline does to the text.
    results = publish(paths, target, workdir / "out", workspace, PublishOptions(include_fuzzy=True, checks=False))
    published = []
    for result in results:
        error = result.error or next((r.error for r in run.results if r.path == result.path and r.error), None)
        published.append("" if error or result.output is None else result.output.read_text(encoding="utf-8").removesuffix("\n"))
    return published, issues


def _issues(locales: Path, target: Language) -> dict[str, tuple[str, ...]]:
    """msgid -> the machine-output issues recorded in the catalogs' provenance sidecars."""
    from translate.catalog.provenance import read_records

    found: dict[str, tuple[str, ...]] = {}
    for po_path in sorted((locales / target.gettext / "LC_MESSAGES").glob("*.po")):
        for record in read_records(po_path):
            if record.issues:
                found[record.msgid] = tuple(record.issues)
    return found


def _chrf(hypothesis: str, reference: str) -> float:
    from sacrebleu.metrics import CHRF

    return float(CHRF().sentence_score(hypothesis, [reference]).score)


@dataclass(frozen=True)
class _Stages:
    """What the stages after segmentation did, to replay them."""

    target: Language
    post: Callable[[str], str] | None
    answers: Mapping[str, str]
    issues: dict[str, tuple[str, ...]]
    khmer: KhmerOptions | None


def _loss(document: Document, published: str, reference: str, groups: tuple[Group, ...] | None, segments: Sequence[str], stages: _Stages) -> Loss:
    """Why ``document`` was published as ``published`` and not as ``reference``."""
    chrf = _chrf(published, reference)

    def lost(cause: str, detail: str) -> Loss:
        return Loss(document.id, document.first_line, chrf, cause, detail)

    if groups is None:
        return lost("segmentation", "a sentence found by segmentation is not in the paragraph as written")
    unaligned = [g for g in groups if not g.aligned]
    if unaligned:
        g = unaligned[0]
        where = ", ".join(str(document.first_line + i) for i in g.lines)
        return lost("segmentation", f"line {where} became {len(g.sentences)} sentences and its reference could not be split as they are (the sentences after the first got no translation and were published in English)")
    flagged = sorted({issue for s in segments for issue in stages.issues.get(s, ()) if issue in ("placeholder", "markup-not-placed")})
    if flagged:
        return lost("masking", "flagged " + ", ".join(flagged))
    # What the oracle answered for each sentence (one answer per distinct sentence, as the catalog holds one).
    ideal = [a for g in groups for a in g.answers]
    served = [restore(mask(s), stages.answers.get(mask(s).text, "")).text for s in segments]
    post = stages.post or (lambda text: text)
    expected = stages.target.sentence_joiner.join(post(a) for a in served)
    if published.split() == expected.split():  # what the stages give, up to the white space between sentences
        repeated = [s for s, a, b in zip(segments, served, ideal) if a != b]
        if repeated:
            return lost("repeated sentence", f"{repeated[0][:60]!r} occurs more than once with different references; the catalog holds one translation for it")
        if any(post(a) != a for a in served):
            return lost("post-processing", _rules(served, stages.khmer))
        return lost("joining", "only the white space between sentences differs (published as in the English, the references otherwise)")
    at = next((i for i, (a, b) in enumerate(zip(published, expected)) if a != b), min(len(published), len(expected)))
    return lost("publishing", f"differs at character {at}: published {published[at:at + 30]!r}, expected {expected[at:at + 30]!r}")


def _rules(answers: Sequence[str], khmer: KhmerOptions | None) -> str:
    """Which post-processing rules change the answers, and in how many sentences."""
    from translate.khmer import postprocess

    options = khmer or KhmerOptions()
    off = KhmerOptions(order=False, spacing="keep", full_stop=False, digits=False)
    counts = []
    for rule in fields(KhmerOptions):
        value = getattr(options, rule.name)
        if value == getattr(off, rule.name):
            continue
        alone = replace(off, **{rule.name: value})
        changed = sum(1 for a in answers if postprocess(a, alone) != a)
        if changed:
            counts.append(f"{rule.name}={value} in {changed} of {len(answers)} sentences")
    return "; ".join(counts) or "rules together"
