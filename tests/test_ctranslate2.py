"""The CTranslate2 backend and model conversion, on tiny models built here."""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ctranslate2")
pytest.importorskip("torch")
pytest.importorskip("transformers")

from conftest import FLORES, ROOT, article_fixtures
from tinymodels import redraw_weights

from translate.languages import language
from translate.mt import convert as conversion
from translate.mt.backends.ctranslate2 import CTranslate2Engine
from translate.mt.convert import (
    ConversionError,
    ConversionMissingError,
    conversion_dir,
    convert,
    ctranslate2_version,
    find_conversion,
)
from translate.mt.decoding import DecodingConfig
from translate.mt.engine import create_engine
from translate.mt.families import UnsupportedLanguageError
from translate.mt.models import ResolvedModel, formats_present
from translate.mt.types import Issue

EN, KM = language("en"), language("km")
FLORES_EN = FLORES / "eng_Latn.dev"


#: Greedy float32 settings under which both backends must agree token for token. One
#: thread each: torch's and CTranslate2's OpenMP threads in one process on 2 cores
#: otherwise spin against each other and slow both down many times over.
EXACT = {"beam_size": 1, "retry": False, "compute_type": "float32", "restrict_vocabulary": False, "threads": 1}


def english(count: int) -> list[str]:
    """The first ``count`` FLORES-200 dev English sentences (or the test articles' where FLORES is missing)."""
    if FLORES_EN.is_file():
        return FLORES_EN.read_text(encoding="utf-8").splitlines()[:count]
    from translate.load import load_article

    segments = (s.msgid for path in article_fixtures() if path.suffix == ".txt" for s in load_article(path).segments())
    found = list(dict.fromkeys(text for text in segments if 5 <= len(text.split()) <= 30))
    return (found * (count // len(found) + 1))[:count]


@functools.cache
def chaotic_copy(folder: Path) -> Path:
    """A copy of a tiny model whose weights are redrawn from N(0, 1).

    The tiny models' small initial weights make every input give the same
    output; unit-variance weights make outputs depend on the input, and a
    4x end-of-sentence embedding makes about a third of them end before the
    length cap, so that comparisons exercise both endings.
    """
    target = folder.parent / f"{folder.name}-chaotic"
    if target.is_dir():
        return target
    shutil.copytree(folder, target)
    return redraw_weights(target)


def local_model(folder: Path, name: str = "tiny-nllb", family: str = "nllb") -> ResolvedModel:
    return ResolvedModel(name=name, path=folder, family=family, revision=f"local-{name}", license="unknown")


@pytest.fixture(scope="session")
def models_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ct2-models")


@pytest.fixture(autouse=True)
def _models_env(models_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODELS", str(models_root))


@pytest.fixture(scope="session")
def chaotic_nllb(tiny_nllb_folder: Path) -> ResolvedModel:
    return local_model(chaotic_copy(tiny_nllb_folder), "tiny-nllb-chaotic")


@pytest.fixture(scope="session")
def tiny_m2m100(tmp_path_factory: pytest.TempPathFactory) -> ResolvedModel:
    from tinymodels import build_m2m100

    return local_model(build_m2m100(tmp_path_factory.mktemp("m2m") / "tiny-m2m100"), "tiny-m2m100", "m2m100")


# --------------------------------------------------------------------------- conversion


def test_importing_does_not_load_ctranslate2_torch_or_transformers() -> None:
    code = (
        "import sys, translate.mt.convert, translate.mt.vmap, translate.mt.backends.ctranslate2\n"
        "heavy = [m for m in ('ctranslate2', 'torch', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_local_folder_converts_under_models_local(chaotic_nllb: ResolvedModel, models_root: Path) -> None:
    folder = convert(chaotic_nllb, quantization="float32", root=models_root)
    expected = models_root / "local" / f"{chaotic_nllb.path.name}-{chaotic_nllb.revision}" / f"ct2-float32-ct{ctranslate2_version()}"
    assert folder == expected
    assert (folder / "model.bin").is_file() and (folder / conversion.RECORD).is_file()
    assert find_conversion(chaotic_nllb, "float32") == folder  # default root: $TRANSLATE_MODELS
    assert find_conversion(chaotic_nllb, "int16") is None
    assert not any(p.name.startswith(".") for p in folder.parent.iterdir())  # no temporary folders left


def test_locked_model_converts_beside_its_weights(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    root = tmp_path / "models"
    pulled = root / "tiny-nllb" / ("0123456789abcdef" * 2 + "01234567")
    shutil.copytree(tiny_nllb_folder, pulled)
    model = ResolvedModel("tiny-nllb", pulled, "nllb", pulled.name, "CC-BY-NC-4.0", "facebook/tiny")
    folder = convert(model, quantization="int8", root=root)
    assert folder == pulled / f"ct2-int8-ct{ctranslate2_version()}"
    assert formats_present(pulled) == ("transformers", "ct2")


def test_second_convert_is_a_no_op(chaotic_nllb: ResolvedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = convert(chaotic_nllb, quantization="float32")
    stamp = (folder / "model.bin").stat().st_mtime_ns

    def fail(model: ResolvedModel) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(conversion, "_converter", fail)
    assert convert(chaotic_nllb, quantization="float32") == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_changed_local_weights_make_the_conversion_stale(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    copy = shutil.copytree(tiny_nllb_folder, tmp_path / "tiny-copy")
    model = local_model(copy, "tiny-copy")
    folder = convert(model, quantization="int8")
    assert find_conversion(model, "int8") == folder
    weights = copy / "model.safetensors"
    os.utime(weights, ns=(weights.stat().st_atime_ns, weights.stat().st_mtime_ns + 10**9))
    assert find_conversion(model, "int8") is None
    assert convert(model, quantization="int8") == folder  # converted again, in place
    assert find_conversion(model, "int8") == folder


def test_failed_conversion_leaves_nothing(tiny_nllb_folder: Path, tmp_path: Path, models_root: Path) -> None:
    broken = shutil.copytree(tiny_nllb_folder, tmp_path / "broken")
    (broken / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}garbage")
    model = local_model(broken, "broken")
    with pytest.raises(ConversionError) as info:
        convert(model, quantization="int8")
    assert "\n" not in str(info.value) and str(broken) in str(info.value)
    home = conversion_dir(model, "int8").parent
    assert not home.exists() or not any(home.iterdir())


def test_unknown_quantization_is_refused(chaotic_nllb: ResolvedModel) -> None:
    with pytest.raises(ConversionError, match="int4"):
        convert(chaotic_nllb, quantization="int4")


def test_missing_conversion_says_what_to_run(tiny_nllb_folder: Path, tmp_path: Path) -> None:
    model = local_model(shutil.copytree(tiny_nllb_folder, tmp_path / "never-converted"), "never-converted")
    with pytest.raises(ConversionMissingError) as info:
        CTranslate2Engine(model, DecodingConfig())
    message = str(info.value)
    assert "\n" not in message and f"run: translate models convert {model.path}" in message


# --------------------------------------------------------------------------- translating


def test_greedy_float32_equals_transformers_token_for_token(chaotic_nllb: ResolvedModel) -> None:
    convert(chaotic_nllb, quantization="float32")
    config = DecodingConfig(**EXACT, max_new_tokens_factor=1.5, max_new_tokens_extra=5, batch_tokens=600, max_batch_size=8)
    sentences = english(20)
    fast = CTranslate2Engine(chaotic_nllb, config).translate(sentences, EN, KM)
    reference = create_engine("transformers", chaotic_nllb, config).translate(sentences, EN, KM)
    assert [t.text for t in fast] == [t.text for t in reference]
    assert [(t.output_tokens, t.input_tokens, t.issues) for t in fast] == [(t.output_tokens, t.input_tokens, t.issues) for t in reference]
    assert len({t.text for t in fast}) > 10, "outputs should depend on the input"
    ended = sum(Issue.HIT_LENGTH_CAP not in t.issues for t in fast)
    assert 0 < ended < len(sentences), "both endings (end token, length cap) should occur"


def test_int8_conversion_loads_and_translates(chaotic_nllb: ResolvedModel) -> None:
    convert(chaotic_nllb, quantization="int8")
    config = DecodingConfig(beam_size=2, max_new_tokens_factor=1, max_new_tokens_extra=4, threads=1)
    engine = CTranslate2Engine(chaotic_nllb, config)
    assert engine.compute_type == "int8" and engine.model_dir.name.startswith("ct2-int8-")
    translations = engine.translate(english(3), EN, KM)
    assert [t.source for t in translations] == english(3)
    assert all(t.input_tokens > 0 and t.output_tokens > 0 for t in translations)
    assert CTranslate2Engine.signature_suffix(config) == f"|ct2:{ctranslate2_version()}|ct:int8|vmap:v1"
    assert CTranslate2Engine.signature_suffix(DecodingConfig(restrict_vocabulary=False)).endswith("|vmap:no")
    # the engine reports the compute type it resolved where it runs, as predicted without loading
    assert (engine.signature.device, engine.signature.precision) == ("cpu", "int8")
    assert engine.signature == CTranslate2Engine.predict_signature(chaotic_nllb, config)
    assert engine.signature.settings == f"ctranslate2|{config.signature()}|ct2:{ctranslate2_version()}|ct:int8|vmap:v1"  # keys of earlier CPU runs


def test_batches_retry_and_split(chaotic_nllb: ResolvedModel) -> None:
    convert(chaotic_nllb, quantization="float32")
    capped = DecodingConfig(beam_size=1, compute_type="float32", threads=1, max_new_tokens_factor=0.2, max_new_tokens_extra=2, max_batch_size=2)
    engine = CTranslate2Engine(chaotic_nllb, capped)
    translations = engine.translate(english(5), EN, KM)
    flagged = sum(any(issue in t.issues for issue in (Issue.REPETITION, Issue.HIT_LENGTH_CAP)) for t in translations)
    assert flagged and engine.model_calls == 3 + (flagged + 1) // 2  # 3 batches, then the flagged ones again
    long = "; ".join(f"the committee in province number {i} approved the budget, which covers roads" for i in range(12)) + "."
    split = CTranslate2Engine(chaotic_nllb, DecodingConfig(beam_size=1, compute_type="float32", threads=1, max_input_tokens=40, max_new_tokens_extra=1, max_new_tokens_factor=0.2, retry=False))
    [translation] = split.translate([long], EN, KM)
    assert Issue.SPLIT in translation.issues and translation.input_tokens > 40


def test_replicas_give_the_same_output(chaotic_nllb: ResolvedModel) -> None:
    convert(chaotic_nllb, quantization="float32")
    settings = {**EXACT, "max_new_tokens_factor": 1.0, "max_new_tokens_extra": 4, "max_batch_size": 2}
    one = CTranslate2Engine(chaotic_nllb, DecodingConfig(**settings)).translate(english(6), EN, KM)
    two = CTranslate2Engine(chaotic_nllb, DecodingConfig(**settings, replicas=2)).translate(english(6), EN, KM)
    assert [t.text for t in one] == [t.text for t in two]


def test_unsupported_target_lists_supported(chaotic_nllb: ResolvedModel) -> None:
    convert(chaotic_nllb, quantization="float32")
    engine = CTranslate2Engine(chaotic_nllb, DecodingConfig(compute_type="float32", threads=1))
    with pytest.raises(UnsupportedLanguageError) as info:
        engine.translate(["Hello."], EN, language("de"))
    assert "khm_Khmr" in str(info.value)


def test_m2m100_converts_with_its_language_tokens(tiny_m2m100: ResolvedModel) -> None:
    """transformers 5 keeps M2M100's language tokens out of get_vocab(); the conversion must still align ids."""
    folder = convert(tiny_m2m100, quantization="float32")
    from translate.mt.vmap import read_vocabulary

    vocabulary = read_vocabulary(folder)
    config = DecodingConfig(**EXACT, max_new_tokens_factor=0.5, max_new_tokens_extra=3)
    engine = CTranslate2Engine(tiny_m2m100, config)
    assert vocabulary[engine.tokenizer.convert_tokens_to_ids("__km__")] == "__km__"
    sentences = english(4)
    fast = engine.translate(sentences, EN, KM)
    assert all("__" not in t.text for t in fast)  # the forced __km__ (or any language token) is not text
    reference = create_engine("transformers", tiny_m2m100, config).translate(sentences, EN, KM)
    # the reference backend leaves the forced "__km__" in M2M100 text under transformers 5
    assert [t.text for t in fast] == [re.sub(r"__[a-z]{2,3}__", "", t.text) for t in reference]


@pytest.mark.parametrize("family", ["marian", "marian-single", "madlad"])
def test_other_families_match_transformers(family: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Marian (``>>khm<<`` prefix, end token forced at the cap by its generation config), single-target
    Marian (no prefix) and MADLAD (T5, ``<2km>``)."""
    import tinymodels

    build = {"marian": tinymodels.build_marian, "madlad": tinymodels.build_madlad,
             "marian-single": lambda folder: tinymodels.build_marian(folder, targets=())}[family]
    model = local_model(build(tmp_path_factory.mktemp(family) / f"tiny-{family}"), f"tiny-{family}", family.split("-")[0])
    convert(model, quantization="float32")
    config = DecodingConfig(**EXACT, max_new_tokens_factor=0.5, max_new_tokens_extra=3)
    sentences = english(4)
    fast = CTranslate2Engine(model, config).translate(sentences, EN, KM)
    reference = create_engine("transformers", model, config).translate(sentences, EN, KM)
    assert [t.text for t in fast] == [t.text for t in reference]
