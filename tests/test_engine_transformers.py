"""The transformers backend on a tiny NLLB model built here, loaded like a real one."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from translate.languages import language  # noqa: E402
from translate.mt.decoding import DecodingConfig  # noqa: E402
from translate.mt.engine import create_engine
from translate.mt.models import ResolvedModel  # noqa: E402
from translate.mt.families import UnsupportedLanguageError  # noqa: E402
from translate.mt.types import Issue  # noqa: E402

EN, KM = language("en"), language("km")
SENTENCES = [
    "The minister said the plan would cost $3.5 million.",
    "Heavy rain flooded three districts on Monday.",
    "He left.",
]


@pytest.fixture(scope="session")
def tiny_nllb(tiny_nllb_folder: Path) -> ResolvedModel:
    return ResolvedModel(name="tiny-nllb", path=tiny_nllb_folder, family="nllb", revision="local-test", license="unknown")


def test_loads_and_translates_deterministically(tiny_nllb: ResolvedModel) -> None:
    engine = create_engine("transformers", tiny_nllb, DecodingConfig(max_new_tokens_factor=1, max_new_tokens_extra=4))
    first = engine.translate(SENTENCES, EN, KM)
    second = engine.translate(SENTENCES, EN, KM)
    assert [t.text for t in first] == [t.text for t in second]
    assert [t.source for t in first] == SENTENCES
    assert all(t.input_tokens > 0 for t in first)
    assert engine.model_calls >= 2


def test_forced_target_language_token(tiny_nllb: ResolvedModel) -> None:
    engine = create_engine("transformers", tiny_nllb, DecodingConfig(beam_size=1, max_new_tokens_extra=3, max_new_tokens_factor=0.1, retry=False))
    tokenizer = engine.tokenizer  # type: ignore[attr-defined]
    ids = engine._encode(["Hello."])  # type: ignore[attr-defined]
    codes = engine._codes(EN, KM)  # type: ignore[attr-defined]
    assert ids[0][0] == tokenizer.convert_tokens_to_ids("eng_Latn")
    rows = engine._generate(ids, codes, engine.config)  # type: ignore[attr-defined]
    assert rows[0][1] == tokenizer.convert_tokens_to_ids("khm_Khmr")


def test_random_model_output_is_flagged(tiny_nllb: ResolvedModel) -> None:
    """A random-weight model never emits EOS in a few tokens: every output hits the cap."""
    engine = create_engine("transformers", tiny_nllb, DecodingConfig(beam_size=1, max_new_tokens_factor=0.2, max_new_tokens_extra=2, retry=False))
    for translation in engine.translate(SENTENCES, EN, KM):
        assert Issue.HIT_LENGTH_CAP in translation.issues


def test_retry_runs_again_on_flagged_outputs(tiny_nllb: ResolvedModel) -> None:
    engine = create_engine("transformers", tiny_nllb, DecodingConfig(beam_size=1, max_new_tokens_factor=0.2, max_new_tokens_extra=2, retry=True))
    engine.translate(SENTENCES, EN, KM)
    assert engine.model_calls == 2  # one batch, then one retry batch


def test_long_sentence_is_split_not_truncated(tiny_nllb: ResolvedModel) -> None:
    long = "; ".join(f"the committee in province number {i} approved the budget, which covers roads" for i in range(12)) + "."
    engine = create_engine("transformers", tiny_nllb, DecodingConfig(beam_size=1, max_input_tokens=40, max_new_tokens_factor=0.2, max_new_tokens_extra=1, retry=False))
    [translation] = engine.translate([long], EN, KM)
    assert Issue.SPLIT in translation.issues
    assert translation.input_tokens > 40


def test_unsupported_target_lists_supported(tiny_nllb: ResolvedModel) -> None:
    engine = create_engine("transformers", tiny_nllb, DecodingConfig())
    with pytest.raises(UnsupportedLanguageError) as info:
        engine.translate(["Hello."], EN, language("haw"))
    assert "supported:" in str(info.value) and " km " in f" {info.value} "
    with pytest.raises(UnsupportedLanguageError) as info:
        engine.translate(["Hello."], EN, language("de"))  # NLLB has it, this tiny model does not
    assert "deu_Latn" in str(info.value) and "khm_Khmr" in str(info.value)


def test_missing_model_folder_is_one_line_error(tmp_path: Path) -> None:
    from translate.errors import TranslateError

    with pytest.raises(TranslateError) as info:
        create_engine("transformers", ResolvedModel("absent", tmp_path / "absent", "nllb", "x", "unknown"), DecodingConfig())
    assert "\n" not in str(info.value) and "translate models pull absent" in str(info.value)
