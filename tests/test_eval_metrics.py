"""spBLEU with a local SentencePiece model (`translate eval --spm-model`)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from translate.errors import TranslateError
from translate.eval import LocalSPMTokenizer, metrics, score

REFERENCES = ["ប្រធាន\u200bក្រុម\u200bស្រាវជ្រាវ\u200bនិយាយ\u200bថា។", "អ្នក\u200bបើក\u200bយន្តហោះ\u200bបាន\u200bចុះ\u200bចត។"]
HYPOTHESES = ["ប្រធាន\u200bក្រុម\u200bនិយាយ\u200bថា។", "អ្នក\u200bបើក\u200bយន្តហោះ\u200bចុះ\u200bចត។"]


@pytest.fixture(scope="module")
def spm_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small SentencePiece model trained here on English and Khmer text."""
    pytest.importorskip("sentencepiece")
    from tinymodels import train_sentencepiece

    return train_sentencepiece(tmp_path_factory.mktemp("spm") / "eval-spm", vocab_size=500)


def test_local_tokenizer_splits_like_sentencepiece(spm_model: Path) -> None:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_model))
    tokenizer = LocalSPMTokenizer(spm_model)
    assert tokenizer(REFERENCES[0]) == " ".join(processor.encode(REFERENCES[0], out_type=str))
    assert len(tokenizer(REFERENCES[0]).split()) > 1
    assert tokenizer.signature() == "spm-" + hashlib.sha256(spm_model.read_bytes()).hexdigest()[:12]


def test_spbleu_with_local_model(spm_model: Path) -> None:
    setup = metrics(spm_model)
    scores, skipped = score(REFERENCES, REFERENCES, setup)
    by_name = {result.name: result for result in scores}
    assert skipped == {}
    assert by_name["spBLEU"].score == pytest.approx(100)
    assert "tok:spm-" in by_name["spBLEU"].signature and "nrefs:1" in by_name["spBLEU"].signature
    partial, _ = score(HYPOTHESES, REFERENCES, setup)
    spbleu = {result.name: result.score for result in partial}["spBLEU"]
    assert 0 < spbleu < 100


def test_unreadable_or_invalid_spm_model(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-model.model"
    bad.write_text("hello\n", encoding="utf-8")
    with pytest.raises(TranslateError, match="not-a-model.model: is not a SentencePiece model"):
        metrics(bad)
    with pytest.raises(TranslateError, match="missing.model: cannot be read"):
        metrics(tmp_path / "missing.model")
