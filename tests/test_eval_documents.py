"""Document-level `translate eval`: the full pipeline next to sentence-by-sentence input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FLORES

from translate.cli import cli
from translate.eval import (
    Document,
    evaluate_documents,
    group_consecutive,
    read_test_set,
    segment_document,
)
from translate.khmer import KhmerOptions, postprocess
from translate.mt.decoding import DecodingConfig
from translate.mt.setup import MTSettings

FAST = DecodingConfig(beam_size=1, retry=False, max_new_tokens_factor=0.5, max_new_tokens_extra=2)
FAST_FLAGS = ["--backend", "transformers", "--beam-size", "1", "--no-retry"]

pytestmark = pytest.mark.skipif(not FLORES.is_dir(), reason="FLORES-200 dev data not available")


@pytest.fixture
def slice16(tmp_path: Path) -> tuple[Path, Path]:
    """FLORES dev lines 1-16: in groups of 4, lines 13-16 hold a line of two sentences (line 15)."""
    (tmp_path / "fast.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.5\nmax_new_tokens_extra = 2\n", encoding="utf-8")
    paths = []
    for name in ("eng_Latn.dev", "khm_Khmr.dev"):
        lines = (FLORES / name).read_text(encoding="utf-8").splitlines()[:16]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_segment_document_splits_the_joined_paragraph() -> None:
    document = Document("1", 1, ("He left. She stayed.", "Dr. Smith arrived at 5 p.m. Monday."), ("ក", "ខ"))
    assert segment_document(document) == ("He left.", "She stayed.", "Dr. Smith arrived at 5 p.m. Monday.")


def test_pipeline_translates_segmented_sentences(tiny_nllb_folder: Path, slice16: tuple[Path, Path]) -> None:
    """The fake backend tags each input it gets: the pipeline's inputs are the segmenter's sentences."""
    documents = group_consecutive(read_test_set(*slice16), 4)
    report = evaluate_documents(documents, MTSettings(model=str(tiny_nllb_folder), backend="fake", decoding=FAST), grouping="4 consecutive lines")
    raw, post, pipeline = report.rows
    assert [row.name for row in report.rows] == ["raw", "raw+post", "pipeline"]
    seg = report.segmentation
    assert (seg.documents, seg.references, seg.sentences, seg.same_count, seg.same_text, seg.differing) == (4, 16, 17, 3, 3, ("4",))
    assert raw.inputs == 16 and pipeline.inputs == 17
    assert report.translated == 18  # the 16 lines, and line 15 split in two
    assert raw.documents[3].count("[km] ") == 4 and pipeline.documents[3].count("[km] ") == 5
    assert "events. [km] I am here" in pipeline.documents[3]
    assert pipeline.documents[:3] == raw.documents[:3]
    assert raw.sentence_scores and post.sentence_scores and not pipeline.sentence_scores
    assert pipeline.sentence_skipped == "17 sentences for 16 references: 1 of 4 documents segmented differently (4)"
    # documents 1-3 line up: on them, the rows translated the same sentences
    assert pipeline.lined_up_scores == post.lined_up_scores and len(raw.lined_up_scores) >= 2
    assert [s.name for s in pipeline.document_scores][:2] == ["chrF", "chrF++"]


def test_pipeline_applies_khmer_postprocessing(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    """Machine output in Khmer is written as `translate mt` writes it: spaces between Khmer words become ZWSP, `.` becomes `។`."""
    src, ref = tmp_path / "src.txt", tmp_path / "ref.txt"
    src.write_text("ខ្ញុំ ទៅ ផ្សារ.\nគាត់ នៅ ផ្ទះ.\n", encoding="utf-8")
    ref.write_text("ខ្ញុំ\u200bទៅ\u200bផ្សារ។\nគាត់\u200bនៅ\u200bផ្ទះ។\n", encoding="utf-8")
    documents = group_consecutive(read_test_set(src, ref), 1)
    report = evaluate_documents(documents, MTSettings(model=str(tiny_nllb_folder), backend="fake", decoding=FAST), khmer=KhmerOptions())
    raw, post, pipeline = report.rows
    assert raw.documents[0] == "[km] ខ្ញុំ ទៅ ផ្សារ."
    assert post.documents[0] == pipeline.documents[0] == postprocess("[km] ខ្ញុំ ទៅ ផ្សារ.") == "[km] ខ្ញុំ\u200bទៅ\u200bផ្សារ។"
    assert pipeline.document_scores[0].score > raw.document_scores[0].score
    keep = evaluate_documents(documents, MTSettings(model=str(tiny_nllb_folder), backend="fake", decoding=FAST), khmer=KhmerOptions(spacing="keep", full_stop=False))
    assert keep.rows[2].documents[0] == raw.documents[0]


def test_no_postprocessing_row_for_other_languages(tiny_nllb_folder: Path, slice16: tuple[Path, Path]) -> None:
    documents = group_consecutive(read_test_set(*slice16, limit=4), 2)
    report = evaluate_documents(documents, MTSettings(model=str(tiny_nllb_folder), backend="fake", decoding=FAST), to="fr")
    assert [row.name for row in report.rows] == ["raw", "pipeline"]
    assert report.rows[1].sentence_scores  # lines 1-4 are one sentence each


def test_tiny_model_documents_end_to_end(tiny_nllb_folder: Path, slice16: tuple[Path, Path]) -> None:
    documents = group_consecutive(read_test_set(*slice16, limit=12), 4)
    report = evaluate_documents(documents, MTSettings(model=str(tiny_nllb_folder), backend="transformers", decoding=FAST), grouping="4 consecutive lines")
    assert report.backend.startswith("transformers|beam:1") and "@local-" in report.model
    assert report.sentences == 12 and report.segmentation.same_text == 3
    for row in report.rows:
        assert len(row.documents) == 3 and all(row.documents)
        assert [s.name for s in row.sentence_scores][:2] == ["chrF", "chrF++"]
        assert all(0 <= s.score <= 100 for s in row.document_scores + row.sentence_scores)
        assert "nc:6|nw:0" in row.document_scores[0].signature
        assert row.lined_up_scores == ()  # every document lines up: sentence_scores cover them all
    _, post, pipeline = report.rows
    assert pipeline.documents == post.documents and pipeline.sentence_scores == post.sentence_scores


def test_eval_documents_command_table(tiny_nllb_folder: Path, slice16: tuple[Path, Path], tmp_path: Path) -> None:
    src, ref = slice16
    hypotheses = tmp_path / "docs.txt"
    args = ["eval", "--src", str(src), "--ref", str(ref), "--documents", "4", "--model", str(tiny_nllb_folder), *FAST_FLAGS, "--config", str(src.parent / "fast.toml"), "--hypotheses", str(hypotheses)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "test set: 16 lines in 4 documents (4 consecutive lines)" in out
    assert "segmentation: 16 lines -> 17 sentences; 3 of 4 documents" in out
    rows: dict[str, list[str]] = {}
    for line in out.splitlines():  # the first table; the second holds the lined-up documents
        if line.split()[:1] in (["raw"], ["raw+post"], ["pipeline"]):
            rows.setdefault(line.split()[0], line.split()[1:])
    assert rows["raw"][0] == "16" and rows["pipeline"][0] == "17"
    assert rows["pipeline"][-1] == "n/a" and rows["raw"][-1] != "n/a"
    assert "pipeline: no sentence-level scores: 17 sentences for 16 references" in out
    assert "sentence level on the 3 of 4 documents that segmentation split into their lines:" in out
    assert "signatures:" in out and "nc:6|nw:0" in out and "nc:6|nw:2" in out
    assert len(hypotheses.read_text(encoding="utf-8").splitlines()) == 4


def test_eval_documents_command_json_with_doc_ids(tiny_nllb_folder: Path, slice16: tuple[Path, Path], tmp_path: Path) -> None:
    src, ref = slice16
    ids = tmp_path / "docids.txt"
    ids.write_text("".join(f"doc{1 + i // 8}\n" for i in range(16)), encoding="utf-8")
    args = ["eval", "--src", str(src), "--ref", str(ref), "--doc-ids", str(ids), "--model", str(tiny_nllb_folder), *FAST_FLAGS, "--config", str(src.parent / "fast.toml"), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["mode"] == "documents" and report["grouping"] == f"ids from {ids}"
    assert report["segmentation"]["documents"] == 2 and report["segmentation"]["differing"] == ["doc2"]
    assert [row["name"] for row in report["rows"]] == ["raw", "raw+post", "pipeline"]
    assert report["rows"][2]["sentence_scores"] == [] and "doc2" in report["rows"][2]["sentence_skipped"]
    assert all("documents" not in row for row in report["rows"])


def test_documents_and_doc_ids_exclude_each_other(slice16: tuple[Path, Path], tmp_path: Path) -> None:
    src, ref = slice16
    result = CliRunner().invoke(cli, ["eval", "--src", str(src), "--ref", str(ref), "--documents", "2", "--doc-ids", str(src)])
    assert result.exit_code == 2 and "not both" in result.output
