"""`translate eval`: a tiny real model scored on a 20-sentence FLORES-200 slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FLORES

from translate.cli import cli
from translate.errors import TranslateError
from translate.eval import evaluate, score
from translate.mt.decoding import DecodingConfig
from translate.mt.setup import MTSettings

#: Short greedy decoding: a random-weight model would otherwise write to the length cap.
FAST = DecodingConfig(beam_size=1, retry=False, max_new_tokens_factor=0.5, max_new_tokens_extra=2)


pytestmark = pytest.mark.skipif(not FLORES.is_dir(), reason="FLORES-200 dev data not available")


@pytest.fixture
def slice20(tmp_path: Path) -> tuple[Path, Path]:
    src, ref = tmp_path / "eng_Latn.dev", tmp_path / "khm_Khmr.dev"
    (tmp_path / "fast.toml").write_text("[decoding]\nmax_new_tokens_factor = 0.5\nmax_new_tokens_extra = 2\n", encoding="utf-8")
    for name, path in (("eng_Latn.dev", src), ("khm_Khmr.dev", ref)):
        lines = (FLORES / name).read_text(encoding="utf-8").splitlines()[:20]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src, ref


def _check_scores(scores: dict[str, str], skipped: dict[str, str]) -> None:
    assert "nrefs:1" in scores["chrF"] and "nc:6|nw:0" in scores["chrF"] and "version:2." in scores["chrF"]
    assert "nw:2" in scores["chrF++"]
    if "spBLEU" in scores:
        assert "tok:flores" in scores["spBLEU"]
    else:
        assert "network" in skipped["spBLEU"]


def test_score_references_against_themselves_is_100() -> None:
    references = ["ប្រធាន\u200bក្រុម\u200bស្រាវជ្រាវ\u200bនិយាយ\u200bថា។", "អ្នក\u200bបើក\u200bយន្តហោះ។"]
    scores, skipped = score(references, references)
    by_name = {result.name: result for result in scores}
    assert by_name["chrF"].score == pytest.approx(100)
    _check_scores({name: result.signature for name, result in by_name.items()}, skipped)


def test_evaluate_tiny_model_end_to_end(tiny_nllb_folder: Path, slice20: tuple[Path, Path]) -> None:
    src, ref = slice20
    report = evaluate(src, ref, MTSettings(model=str(tiny_nllb_folder), backend="transformers", decoding=FAST), limit=20)
    assert report.sentences == 20 and len(report.hypotheses) == 20
    assert report.backend.startswith("transformers|")
    assert "@local-" in report.model
    names = [result.name for result in report.scores]
    assert names[:2] == ["chrF", "chrF++"]
    assert all(0 <= result.score <= 100 for result in report.scores)
    _check_scores({result.name: result.signature for result in report.scores}, report.skipped)


def test_misaligned_files_are_refused(tiny_nllb_folder: Path, slice20: tuple[Path, Path], tmp_path: Path) -> None:
    src, _ = slice20
    short = tmp_path / "short.dev"
    short.write_text("ក។\n", encoding="utf-8")
    with pytest.raises(TranslateError, match="line counts differ"):
        evaluate(src, short, MTSettings(model=str(tiny_nllb_folder), backend="transformers", decoding=FAST))


def test_eval_command_prints_json_report(tiny_nllb_folder: Path, slice20: tuple[Path, Path], tmp_path: Path) -> None:
    src, ref = slice20
    hypotheses = tmp_path / "hyp.txt"
    result = CliRunner().invoke(
        cli,
        ["eval", "--src", str(src), "--ref", str(ref), "--limit", "20", "--model", str(tiny_nllb_folder), "--backend", "transformers", "--beam-size", "1", "--no-retry", "--config", str(src.parent / "fast.toml"), "--hypotheses", str(hypotheses), "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"] == 20
    assert "beam:1" in report["backend"]
    _check_scores({item["name"]: item["signature"] for item in report["scores"]}, report["skipped"])
    assert len(hypotheses.read_text(encoding="utf-8").splitlines()) == 20


def test_eval_command_text_output(tiny_nllb_folder: Path, slice20: tuple[Path, Path]) -> None:
    src, ref = slice20
    result = CliRunner().invoke(cli, ["eval", "--src", str(src), "--ref", str(ref), "--limit", "5", "--model", str(tiny_nllb_folder), "--backend", "transformers", "--beam-size", "1", "--no-retry", "--config", str(src.parent / "fast.toml")])
    assert result.exit_code == 0, result.output
    assert "chrF2|" in result.stdout or "nc:6" in result.stdout
    assert "sentences: 5" in result.stdout


@pytest.fixture
def ntrex(tmp_path: Path) -> tuple[Path, Path]:
    """NTREX-128 style files: a byte-order mark and trailing blank lines, as some copies have."""
    src, ref = tmp_path / "newstest2019-src.eng.txt", tmp_path / "newstest2019-ref.khm.txt"
    for name, path in (("eng_Latn.dev", src), ("khm_Khmr.dev", ref)):
        lines = (FLORES / name).read_text(encoding="utf-8").splitlines()[20:26]
        path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\r\n\r\n").encode("utf-8"))
    return src, ref


def test_evaluate_ntrex_style_files(tiny_nllb_folder: Path, ntrex: tuple[Path, Path]) -> None:
    report = evaluate(*ntrex, MTSettings(model=str(tiny_nllb_folder), backend="transformers", decoding=FAST))
    assert report.sentences == 6 and len(report.hypotheses) == 6


def test_eval_command_mismatched_ntrex_files(tiny_nllb_folder: Path, ntrex: tuple[Path, Path]) -> None:
    src, ref = ntrex
    ref.write_text("ក។\nខ។\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--src", str(src), "--ref", str(ref), "--model", str(tiny_nllb_folder), "--backend", "transformers"])
    assert result.exit_code == 1
    message = [line for line in result.output.splitlines() if line.strip()]
    assert len(message) == 1
    assert f"{src} has 6 lines, {ref} has 2" in message[0]


@pytest.fixture
def spm_model(tmp_path: Path) -> Path:
    pytest.importorskip("sentencepiece")
    from tinymodels import train_sentencepiece

    return train_sentencepiece(tmp_path / "spm", vocab_size=500)


def test_eval_command_spm_model(tiny_nllb_folder: Path, slice20: tuple[Path, Path], spm_model: Path) -> None:
    src, ref = slice20
    args = ["eval", "--src", str(src), "--ref", str(ref), "--limit", "5", "--model", str(tiny_nllb_folder), "--backend", "transformers", "--beam-size", "1", "--no-retry", "--config", str(src.parent / "fast.toml"), "--spm-model", str(spm_model), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["skipped"] == {}
    spbleu = {item["name"]: item for item in report["scores"]}["spBLEU"]
    assert "tok:spm-" in spbleu["signature"] and 0 <= spbleu["score"] <= 100
