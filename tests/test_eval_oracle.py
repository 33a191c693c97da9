"""The pipeline loses nothing: FLORES documents through extract, mt (reference oracle) and publish."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FLORES
from translate.cli import cli
from translate.eval import Document, group_consecutive, read_test_set
from translate.eval.documents import document_text, segment_document
from translate.eval.lossless import check_pipeline
from translate.eval.oracle import OracleEngine, align, answer_table, split_reference
from translate.khmer import KhmerOptions
from translate.languages import language

SRC, REF = FLORES / "eng_Latn.dev", FLORES / "khm_Khmr.dev"
NO_POST = KhmerOptions(order=False, spacing="keep", full_stop=False, digits=False)
needs_flores = pytest.mark.skipif(not SRC.is_file(), reason="FLORES-200 dev is not in the shared folder")


def _lines(first: int, last: int) -> Document:
    """FLORES dev lines ``first``..``last`` (1-based) as one document."""
    test_set = read_test_set(SRC, REF)
    return Document(f"{first}-{last}", first, test_set.sources[first - 1 : last], test_set.references[first - 1 : last])


@needs_flores
def test_sample_is_published_exactly_without_post_processing(tmp_path: Path) -> None:
    documents = group_consecutive(read_test_set(SRC, REF, 80), 4)
    report = check_pipeline(documents, grouping="4 consecutive lines", khmer=NO_POST, workdir=tmp_path)
    assert [s.score for s in report.sentence_scores] == [100.0, 100.0]
    assert [s.score for s in report.sentence_post_scores] == [100.0, 100.0]  # every rule off
    assert report.losses == () and report.exact == 20
    assert [s.score for s in report.pipeline_scores] == [100.0, 100.0]
    assert report.segments["split"] >= 3 and report.segments["joined"] >= 2  # lines 15, 26-27 ... are re-segmented and still lossless
    assert report.published[0] == " ".join(read_test_set(SRC, REF, 4).references)
    assert (tmp_path / "out" / "flores-1.km.txt").is_file() and (tmp_path / "locales" / "km" / "LC_MESSAGES" / "flores-1.po").is_file()


@needs_flores
def test_default_post_processing_loses_only_by_character_order(tmp_path: Path) -> None:
    documents = group_consecutive(read_test_set(SRC, REF, 80), 4)
    report = check_pipeline(documents, grouping="4 consecutive lines", workdir=tmp_path)
    assert report.causes == {"post-processing": 3}
    assert all(loss.detail.startswith("order=True in ") for loss in report.losses)  # spacing "auto" keeps the references' phrase spaces
    assert [loss.first_line for loss in report.losses] == [29, 53, 69]
    post, pipeline = (report.sentence_post_scores[0].score, report.pipeline_scores[0].score)
    assert 99.5 < pipeline < 100 and abs(pipeline - post) < 0.1


@needs_flores
@pytest.mark.parametrize(
    "first, last, cause, detail",
    [
        pytest.param(185, 188, "repeated sentence", "'He was staying in the team hotel", id="repeated-sentence"),
        pytest.param(353, 356, "segmentation", "line 355 became 2 sentences", id="reference-merges-two-sentences"),
        pytest.param(801, 803, "joining", "only the white space between sentences differs", id="reference-joins-with-zwsp"),
    ],
)
def test_inherent_losses_are_named(tmp_path: Path, first: int, last: int, cause: str, detail: str) -> None:
    report = check_pipeline([_lines(first, last)], khmer=NO_POST, workdir=tmp_path)
    assert len(report.losses) == 1
    assert report.losses[0].cause == cause and detail in report.losses[0].detail


@needs_flores
def test_cause_is_found_past_the_white_space_between_sentences(tmp_path: Path) -> None:
    """Line 836 has two spaces between its sentences; with ZWSP spacing the document differs by post-processing alone."""
    report = check_pipeline([_lines(833, 836)], khmer=KhmerOptions(spacing="zwsp"), workdir=tmp_path)
    assert [(loss.cause, loss.detail) for loss in report.losses] == [("post-processing", "spacing=zwsp in 6 of 6 sentences")]


@needs_flores
def test_jr_is_no_sentence_end_in_khmer(tmp_path: Path) -> None:
    report = check_pipeline([_lines(157, 160)], khmer=NO_POST, workdir=tmp_path)
    assert report.losses == () and report.segments["split"] == 1


def test_masked_pieces_come_back(tmp_path: Path) -> None:
    document = Document(
        "urls",
        1,
        ("Read the report at https://example.org/floods-2024 before Friday.", "Write to news@example.com with questions."),
        ("សូម​អាន​របាយការណ៍​នៅ https://example.org/floods-2024 មុន​ថ្ងៃសុក្រ។", "សូម​សរសេរ​ទៅ news@example.com ប្រសិនបើ​មាន​សំណួរ។"),
    )
    report = check_pipeline([document], khmer=NO_POST, workdir=tmp_path)
    assert report.losses == () and report.published == (" ".join(document.references),)


@pytest.mark.parametrize(
    "text, parts",
    [
        ("ក។ ខ។", ["ក។", "ខ។"]),
        ("Kahne និង Truex, Jr. មាន​ពិន្ទុ។", ["Kahne និង Truex, Jr. មាន​ពិន្ទុ។"]),
        ("ក។\u200bខ។", ["ក។", "ខ។"]),
        ("ក។ \u200bខ។", ["ក។", "\u200bខ។"]),
        ("គាត់​សួរ​ថា «ទៅ​ទេ?» ខ្ញុំ​ឆ្លើយ។", ["គាត់​សួរ​ថា «ទៅ​ទេ?»", "ខ្ញុំ​ឆ្លើយ។"]),
        ("One. Two!", ["One.", "Two!"]),
    ],
)
def test_split_reference(text: str, parts: list[str]) -> None:
    assert split_reference(text) == parts


def test_align_groups_lines_and_sentences() -> None:
    document = Document("d", 1, ("A b. C d.", "E f;", "g h.", "I j."), ("ក។ ខ។", "គ", "ឃ។", "ង។"))
    segments = ("A b.", "C d.", "E f; g h.", "I j.")
    groups = align(document, segments, document_text(document), " ")
    assert groups is not None
    assert [(g.kind, g.answers) for g in groups] == [("split", ("ក។", "ខ។")), ("joined", ("គ ឃ។",)), ("same", ("ង។",))]
    assert align(document, ("Not there.",), document_text(document), " ") is None


def test_oracle_engine_answers_masked_text() -> None:
    table = answer_table([("See https://a.org/x now.", "មើល https://a.org/x ឥឡូវ។")])
    engine = OracleEngine(table)
    out = engine.translate(["See {1} now.", "Unknown."], language("en"), language("km"))
    assert [t.text for t in out] == ["មើល {1} ឥឡូវ។", ""] and engine.unknown == ["Unknown."]


def test_segmentation_matches_extract() -> None:
    """The oracle aligns with segment_document; extract must segment the same way (checked on a tricky paragraph)."""
    document = Document("x", 1, ('He said: "I am here. I will win."', "Mr. Smith left at 5 p.m. on Monday."), ("ក", "ខ"))
    assert segment_document(document) == ('He said: "I am here.', 'I will win."', "Mr. Smith left at 5 p.m. on Monday.")


@needs_flores
def test_eval_oracle_command(workdir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["eval", "--src", str(SRC), "--ref", str(REF), "--limit", "32", "--documents", "4", "--oracle"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "sentence-level oracle                100.00   100.00" in result.output
    assert "7 of 8 documents published exactly as their joined references" in result.output
    assert "       8    29  99.22  post-processing: order=True in 1 of 4 sentences" in result.output
    as_json = runner.invoke(cli, ["eval", "--src", str(SRC), "--ref", str(REF), "--limit", "8", "--oracle", "--json", "--hypotheses", "docs.txt"], catch_exceptions=False)
    data = json.loads(as_json.output[as_json.output.index("{") :])
    assert data["mode"] == "oracle" and data["grouping"] == "each line alone" and data["documents"] == 8
    assert (workdir / "docs.txt").read_text(encoding="utf-8").splitlines() == list(read_test_set(SRC, REF, 8).references)
