"""Each model family's language-code convention, on tiny models of the real classes."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.languages import language
from translate.mt.decoding import DecodingConfig
from translate.mt.families import Family, UnsupportedLanguageError, language_codes, nllb_code
from translate.mt.models import detect_family

EN, KM = language("en"), language("km")
FAST = DecodingConfig(beam_size=1, max_new_tokens_factor=0.2, max_new_tokens_extra=2, retry=False)


@pytest.mark.parametrize(
    ("tag", "code"),
    [("km", "khm_Khmr"), ("th", "tha_Thai"), ("vi", "vie_Latn"), ("zh", "zho_Hans"), ("zh-Hant", "zho_Hant"), ("zh-TW", "zho_Hant"),
     ("ar", "arb_Arab"), ("ms", "zsm_Latn"), ("pt-BR", "por_Latn"), ("lo", "lao_Laoo"), ("my", "mya_Mymr"), ("en", "eng_Latn")],
)
def test_bcp47_to_nllb(tag: str, code: str) -> None:
    assert nllb_code(language(tag)) == code


def test_unsupported_pairs_list_supported_targets() -> None:
    with pytest.raises(UnsupportedLanguageError) as info:
        language_codes(Family.M2M100, EN, language("dz"))
    assert "km" in str(info.value).split("supported:")[1]
    with pytest.raises(UnsupportedLanguageError) as info:
        language_codes(Family.MARIAN, EN, language("de"), frozenset({">>khm<<", ">>fra<<"}))
    assert "khm fra" in str(info.value) or "fra khm" in str(info.value)


def _engine(folder: Path, family: str):
    from translate.mt.engine import create_engine
    from translate.mt.models import ResolvedModel

    return create_engine("transformers", ResolvedModel(folder.name, folder, family, "local-test", "unknown"), FAST)


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("torch")
    from tinymodels import build_madlad, build_m2m100, build_marian

    root = tmp_path_factory.mktemp("families")
    return {"m2m100": build_m2m100(root / "m2m100"), "marian": build_marian(root / "marian"), "madlad": build_madlad(root / "madlad"),
            "marian-single": build_marian(root / "marian-single", targets=())}


def test_family_detection(tiny_models: dict[str, Path], tiny_nllb_folder: Path) -> None:
    assert detect_family(tiny_nllb_folder) == "nllb"
    for family, folder in tiny_models.items():
        assert detect_family(folder) == family.split("-")[0]


def test_m2m100_forces_target_language_token(tiny_models: dict[str, Path]) -> None:
    engine = _engine(tiny_models["m2m100"], "m2m100")
    codes = engine._codes(EN, KM)  # type: ignore[attr-defined]
    ids = engine._encode(["Hello."])  # type: ignore[attr-defined]
    assert ids[0][0] == engine.tokenizer.convert_tokens_to_ids("__en__")  # type: ignore[attr-defined]
    rows = engine._generate(ids, codes, FAST)  # type: ignore[attr-defined]
    assert rows[0][1] == engine.tokenizer.convert_tokens_to_ids("__km__")  # type: ignore[attr-defined]
    assert len(engine.translate(["Hello.", "Rain fell."], EN, KM)) == 2


@pytest.mark.parametrize(("family", "token"), [("marian", ">>khm<<"), ("madlad", "<2km>")])
def test_prefix_token_families(tiny_models: dict[str, Path], family: str, token: str) -> None:
    engine = _engine(tiny_models[family], family)
    codes = engine._codes(EN, KM)  # type: ignore[attr-defined]
    assert codes.prefix == f"{token} " and codes.forced_bos is None
    ids = engine._encode([codes.prefix + "Hello."])  # type: ignore[attr-defined]
    assert engine.tokenizer.convert_tokens_to_ids(token) in ids[0]  # type: ignore[attr-defined]
    [translation] = engine.translate(["Hello."], EN, KM)
    assert translation.source == "Hello."
    with pytest.raises(UnsupportedLanguageError):
        engine.translate(["Hello."], EN, language("de"))


def test_single_target_marian_needs_no_target_token(tiny_models: dict[str, Path]) -> None:
    """An English->Khmer-only OPUS-MT model has no >>xxx<< tokens: nothing is put before the source."""
    engine = _engine(tiny_models["marian-single"], "marian")
    assert not any(t.startswith(">>") for t in engine.vocabulary)  # type: ignore[attr-defined]
    codes = engine._codes(EN, KM)  # type: ignore[attr-defined]
    assert (codes.prefix, codes.target, codes.forced_bos) == ("", "km", None)
    assert engine._encode(["Hello."]) == engine._encode([codes.prefix + "Hello."])  # type: ignore[attr-defined]
    [translation] = engine.translate(["Hello."], EN, KM)
    assert translation.source == "Hello." and translation.input_tokens > 0
