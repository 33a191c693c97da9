"""``translate eval``: score a model on aligned test files (chrF, chrF++, spBLEU), by sentence or by document."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from translate.cli.common import Context, fail
from translate.cli.mt import mt_options

if TYPE_CHECKING:
    from translate.api import MTRequest
    from translate.eval import Document, DocumentReport, EvalReport
    from translate.eval.lossless import OracleReport


@click.command("eval")
@click.option("--src", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True, help="English sentences, one per line (flores200-dev/eng_Latn.dev, NTREX newstest2019-src.eng.txt).")
@click.option("--ref", type=click.Path(dir_okay=False, exists=True, path_type=Path), required=True, help="Reference translations aligned with --src (khm_Khmr.dev, newstest2019-ref.khm.txt).")
@click.option("--to", "to", default="km", show_default=True, metavar="LANG", help="Target language (BCP-47).")
@click.option("--limit", type=click.IntRange(1), help="Score only the first N lines.")
@click.option("--documents", "doc_size", type=click.IntRange(1), metavar="N", help="Document level: group every N consecutive lines into a document and compare the full pipeline with sentence-by-sentence input.")
@click.option("--doc-ids", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Document level: a file with the document id of each line of --src (consecutive lines with the same id form a document).")
@click.option("--oracle", is_flag=True, help="Check that the pipeline loses nothing: translate with the references themselves (no model) through extract, mt and publish, and report every document published differently, with the cause.")
@click.option("--spm-model", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="SentencePiece model for spBLEU (e.g. a local copy of sacrebleu's flores200 model); default: sacrebleu's flores200, downloaded on first use.")
@click.option("--hypotheses", type=click.Path(dir_okay=False, path_type=Path), help="Also write the translations here, one per line (document level: the pipeline's, one document per line).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report.")
@mt_options
@click.pass_obj
def eval_command(
    obj: Context,
    src: Path,
    ref: Path,
    to: str,
    limit: int | None,
    doc_size: int | None,
    doc_ids: Path | None,
    oracle: bool,
    spm_model: Path | None,
    hypotheses: Path | None,
    as_json: bool,
    **options: Any,
) -> None:
    """Translate --src with the model `translate mt` would use and score it against --ref.

    By default each line is translated on its own. With --documents N or
    --doc-ids FILE, consecutive lines form documents, and the report puts the
    full pipeline (segmentation of each document, translation, Khmer
    post-processing) next to sentence-by-sentence input, scored on whole
    documents and, where segmentation recovers the lines, by sentence.

    With --oracle no model is loaded: each sentence is "translated" into its
    reference, and the documents (each line alone without --documents or
    --doc-ids) go through extract, mt and publish. The published documents
    should score as the sentence-level oracle does (100); every document that
    does not is listed with its cause.
    """
    from translate.cli.mt import _check_license, _request
    from translate.errors import TranslateError

    if doc_size is not None and doc_ids is not None:
        raise click.UsageError("give --documents N or --doc-ids FILE, not both")
    request = _request(options)
    if oracle:
        try:
            checked = _check_pipeline(src, ref, to, limit, doc_size, doc_ids, spm_model, request)
        except TranslateError as error:
            raise fail(error) from error
        _oracle_output(checked, hypotheses, as_json)
        return
    _check_license(request)
    if doc_size is None and doc_ids is None:
        from translate.eval import evaluate

        try:
            report = evaluate(src, ref, request.settings, to=to, limit=limit, spm_model=spm_model)
        except TranslateError as error:
            raise fail(error) from error
        _sentence_output(report, hypotheses, as_json)
        return
    try:
        documents = _evaluate_documents(src, ref, to, limit, doc_size, doc_ids, spm_model, request)
    except TranslateError as error:
        raise fail(error) from error
    _document_output(documents, hypotheses, as_json)


def _documents(src: Path, ref: Path, limit: int | None, doc_size: int | None, doc_ids: Path | None) -> tuple[tuple[Document, ...], str]:
    from translate.eval import group_by_ids, group_consecutive, read_doc_ids, read_test_set

    test_set = read_test_set(src, ref, limit)
    if doc_ids is not None:
        return group_by_ids(test_set, read_doc_ids(doc_ids, test_set), doc_ids), f"ids from {doc_ids}"
    size = doc_size or 1
    return group_consecutive(test_set, size), "each line alone" if size == 1 else f"{size} consecutive lines"


def _evaluate_documents(src: Path, ref: Path, to: str, limit: int | None, doc_size: int | None, doc_ids: Path | None, spm_model: Path | None, request: MTRequest) -> DocumentReport:
    from translate.eval import evaluate_documents

    documents, grouping = _documents(src, ref, limit, doc_size, doc_ids)
    return evaluate_documents(documents, request.settings, to=to, grouping=grouping, khmer=request.khmer, spm_model=spm_model)


def _check_pipeline(src: Path, ref: Path, to: str, limit: int | None, doc_size: int | None, doc_ids: Path | None, spm_model: Path | None, request: MTRequest) -> OracleReport:
    from translate.eval.lossless import check_pipeline

    documents, grouping = _documents(src, ref, limit, doc_size, doc_ids)
    return check_pipeline(documents, to=to, grouping=grouping, khmer=request.khmer, spm_model=spm_model)


def _oracle_output(report: OracleReport, hypotheses: Path | None, as_json: bool) -> None:
    _write_lines(hypotheses, report.published)
    if as_json:
        _echo_json(report, "oracle", "published")
        return
    for line in render_oracle_report(report):
        click.echo(line)


def render_oracle_report(report: OracleReport) -> list[str]:
    """The pipeline check as text: the two figures, the causes, every document below the oracle."""
    names = [s.name for s in report.pipeline_scores]
    segments = ", ".join(f"{count} {kind}" for kind, count in report.segments.items())
    lines = [
        f"oracle: the references as translations; post-processing: {report.post}",
        f"test set: {report.sentences} lines in {report.documents} documents ({report.grouping}); segmentation: {segments}",
        "",
        f"{'':34}" + "".join(f" {name:>8}" for name in names),
        f"{'sentence-level oracle':34}" + "".join(f" {s.score:8.2f}" for s in report.sentence_scores),
    ]
    if report.sentence_post_scores:
        lines.append(f"{'sentence-level, post-processed':34}" + "".join(f" {s.score:8.2f}" for s in report.sentence_post_scores))
    lines.append(f"{'pipeline, published documents':34}" + "".join(f" {s.score:8.2f}" for s in report.pipeline_scores))
    lines.append("")
    lines.append(f"{report.exact} of {report.documents} documents published exactly as their joined references")
    if report.unknown:
        lines.append(f"{report.unknown} sentences had no reference to answer with")
    if report.causes:
        lines.append("below the oracle: " + ", ".join(f"{count} {cause}" for cause, count in report.causes.items()))
        lines.append("")
        lines.append(f"{'document':>8} {'line':>5} {'chrF':>6}  cause: detail")
        for loss in report.losses:
            lines.append(f"{loss.document:>8} {loss.first_line:5d} {loss.chrf:6.2f}  {loss.cause}: {loss.detail}")
    lines.append("")
    lines.append("signatures:")
    for result in report.pipeline_scores:
        lines.append(f"  {result.name:7} {result.signature}")
    return lines


def _echo_json(report: Any, mode: str, texts: str) -> None:
    """A report as JSON on stdout, with its ``mode`` and without the field of its texts (written with --hypotheses)."""
    data = asdict(report)
    data["mode"] = mode
    del data[texts]
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _write_lines(path: Path | None, lines: tuple[str, ...]) -> None:
    if path is not None:
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _sentence_output(report: EvalReport, hypotheses: Path | None, as_json: bool) -> None:
    _write_lines(hypotheses, report.hypotheses)
    if as_json:
        _echo_json(report, "sentences", "hypotheses")
        return
    click.echo(f"model: {report.model}  backend: {report.backend}  sentences: {report.sentences}")
    for result in report.scores:
        click.echo(f"{result.name:7} {result.score:6.2f}  {result.signature}")
    for name, why in report.skipped.items():
        click.echo(f"{name:7} skipped: {why}")


def _document_output(report: DocumentReport, hypotheses: Path | None, as_json: bool) -> None:
    pipeline = report.rows[-1]
    _write_lines(hypotheses, pipeline.documents)
    if as_json:
        data = asdict(report)
        data["mode"] = "documents"
        for row in data["rows"]:
            del row["documents"]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for line in render_document_report(report):
        click.echo(line)


def render_document_report(report: DocumentReport) -> list[str]:
    """The document-level report as a table with the sacrebleu signatures below it."""
    seg = report.segmentation
    lines = [
        f"model: {report.model}  backend: {report.backend}",
        f"test set: {report.sentences} lines in {seg.documents} documents ({report.grouping}); {report.translated} distinct texts translated",
        (
            f"segmentation: {seg.references} lines -> {seg.sentences} sentences; {seg.same_count} of {seg.documents} documents "
            f"with as many sentences as lines, {seg.same_text} split exactly at the line ends"
        ),
        "",
    ]
    names = [result.name for result in report.rows[0].document_scores]
    header = f"{'row':9} {'inputs':>6}" + "".join(f" {'doc ' + name:>11}" for name in names) + "".join(f" {'sent ' + name:>12}" for name in names)
    lines.append(header)
    for row in report.rows:
        cells = f"{row.name:9} {row.inputs:6d}" + "".join(f" {result.score:11.2f}" for result in row.document_scores)
        if row.sentence_scores:
            cells += "".join(f" {result.score:12.2f}" for result in row.sentence_scores)
        else:
            cells += "".join(f" {'n/a':>12}" for _ in names)
        lines.append(cells)
    for row in report.rows:
        if row.sentence_skipped:
            lines.append(f"{row.name}: no sentence-level scores: {row.sentence_skipped}")
    if report.rows[-1].lined_up_scores:
        lined = seg.documents - len(seg.differing)
        lines.append("")
        lines.append(f"sentence level on the {lined} of {seg.documents} documents that segmentation split into their lines:")
        lines.append(f"{'row':9}" + "".join(f" {'sent ' + name:>12}" for name in names))
        for row in report.rows:
            lines.append(f"{row.name:9}" + "".join(f" {result.score:12.2f}" for result in row.lined_up_scores))
    lines.append("")
    lines.append("signatures:")
    for result in report.rows[0].document_scores:
        lines.append(f"  {result.name:7} {result.signature}")
    for name, why in report.skipped.items():
        lines.append(f"  {name:7} skipped: {why}")
    return lines
