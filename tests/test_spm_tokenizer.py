"""NLLB's tokenizer from its SentencePiece model, against transformers' NllbTokenizer, token for token."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sentencepiece")
pytest.importorskip("transformers")

from conftest import FLORES, ROOT

from translate.mt import spm_tokenizer

#: Texts where the two pipelines could part: whitespace, added tokens' text, normalization.
EDGES = ["Hello  world", " lead", "trail ", "tab\there", "new\nline", "  ", "", "a <unk> b", "x eng_Latn y", "a<mask>b",
         "Ｆｕｌｌ width ½", "é e\u0301", "ends with a zero-width space\u200b", "$3.5 million (2026)", "«quoted» — “dashes”"]


def lines(name: str) -> list[str]:
    path = FLORES / name
    if path.is_file():
        return path.read_text(encoding="utf-8").splitlines()
    return ["The minister said the plan would cost $3.5 million.", "ក្រសួងបាននិយាយថា គម្រោងនេះនឹងចំណាយប្រាក់ ៣,៥ លានដុល្លារ។"]


@pytest.fixture(scope="module")
def real_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tokenizer folder whose SentencePiece model has the real NLLB layout (``<unk> <s> </s>`` at 0-2: ids shifted by 1)."""
    import sentencepiece
    from tinymodels import NLLB_TEST_CODES, _corpus
    from transformers import NllbTokenizer

    folder = tmp_path_factory.mktemp("nllb-real-layout")
    sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter(_corpus()), model_prefix=str(folder / "sentencepiece.bpe"),
                                             vocab_size=800, model_type="bpe", character_coverage=1.0, minloglevel=2, hard_vocab_limit=False)
    NllbTokenizer.from_pretrained(folder, additional_special_tokens=NLLB_TEST_CODES).save_pretrained(folder)
    return folder


@pytest.fixture(params=["fairseq-ids", "real-layout"])
def folder(request: pytest.FixtureRequest, tiny_nllb_folder: Path, real_layout: Path) -> Path:
    return tiny_nllb_folder if request.param == "fairseq-ids" else real_layout


def test_layouts_differ(tiny_nllb_folder: Path, real_layout: Path) -> None:
    fairseq, real = spm_tokenizer.load(tiny_nllb_folder), spm_tokenizer.load(real_layout)
    assert fairseq is not None and real is not None
    assert (fairseq._offset, real._offset) == (0, 1)


def test_same_ids_tokens_and_text_as_transformers(folder: Path) -> None:
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(folder)
    fast = spm_tokenizer.load(folder)
    assert fast is not None
    assert len(fast) == len(reference)
    assert fast.all_special_tokens == reference.all_special_tokens and fast.all_special_ids == reference.all_special_ids
    assert fast.eos_token == reference.eos_token and fast.unk_token_id == reference.unk_token_id
    for language, texts in (("eng_Latn", lines("eng_Latn.dev")), ("khm_Khmr", lines("khm_Khmr.dev")), ("eng_Latn", EDGES)):
        reference.src_lang = fast.src_lang = language
        expected = reference(texts)["input_ids"]
        assert fast(texts)["input_ids"] == expected
        assert [fast.tokenize(t) for t in texts] == [reference.tokenize(t) for t in texts]
        for ids in expected:
            tokens = reference.convert_ids_to_tokens(ids)
            assert fast.convert_ids_to_tokens(ids) == tokens
            assert fast.convert_tokens_to_ids(tokens) == ids
            assert fast.decode(ids, skip_special_tokens=True) == reference.decode(ids, skip_special_tokens=True)
    draws = random.Random(0)
    ids = [draws.randrange(len(reference) + 2) for _ in range(5000)]  # ids past the vocabulary too
    assert fast.convert_ids_to_tokens(ids) == reference.convert_ids_to_tokens(ids)
    for start in range(0, len(ids), 25):
        assert fast.decode(ids[start : start + 25]) == reference.decode(ids[start : start + 25], skip_special_tokens=True)
    assert fast.convert_tokens_to_ids(["eng_Latn", "<mask>", "no-such-piece"]) == reference.convert_tokens_to_ids(["eng_Latn", "<mask>", "no-such-piece"])


def test_english_needs_no_transformers(tiny_nllb_folder: Path) -> None:
    fast = spm_tokenizer.load(tiny_nllb_folder)
    assert fast is not None
    fast(lines("eng_Latn.dev"))
    assert fast.fallbacks == 0
    fast(["trail "])  # transformers emits a lone "▁" here: encoded by transformers
    assert fast.fallbacks == 1


def test_other_layouts_are_left_to_transformers(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    without = tmp_path / "no-spm"
    shutil.copytree(tiny_nllb_folder, without)
    (without / "sentencepiece.bpe.model").unlink()
    assert spm_tokenizer.load(without) is None
    other = tmp_path / "not-nllb"
    shutil.copytree(tiny_nllb_folder, other)
    config = other / "tokenizer_config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"NllbTokenizer"', '"M2M100Tokenizer"'), encoding="utf-8")
    assert spm_tokenizer.load(other) is None


def test_ctranslate2_engine_tokenizes_nllb_without_transformers(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("ctranslate2")
    from translate.mt.convert import convert
    from translate.mt.models import ResolvedModel

    models = tmp_path / "models"
    model = ResolvedModel(name="tiny", path=tiny_nllb_folder, family="nllb", revision="local-tiny", license="unknown")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRANSLATE_MODELS", str(models))
        convert(model, quantization="int8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from translate.languages import language\n"
        "from translate.mt.backends.ctranslate2 import CTranslate2Engine\n"
        "from translate.mt.decoding import DecodingConfig\n"
        "from translate.mt.models import ResolvedModel\n"
        f"model = ResolvedModel(name='tiny', path=Path({str(tiny_nllb_folder)!r}), family='nllb', revision='local-tiny', license='unknown')\n"
        "engine = CTranslate2Engine(model, DecodingConfig(beam_size=1, threads=1, max_new_tokens_extra=3))\n"
        "[result] = engine.translate(['The minister said the plan would cost $3.5 million.'], language('en'), language('km'))\n"
        "assert type(engine.tokenizer).__name__ == 'NllbSentencePiece', type(engine.tokenizer)\n"
        "assert result.input_tokens > 5 and result.output_tokens > 0\n"
        "assert 'transformers' not in sys.modules\n"
    )
    env = {"TRANSLATE_MODELS": str(models), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)

