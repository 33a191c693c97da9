"""Target-vocabulary maps: the file CTranslate2 reads, what it allows, and what it costs."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from conftest import FLORES

from translate.languages import language
from translate.mt import vmap
from translate.mt.backends.ctranslate2 import CTranslate2Engine
from translate.mt.convert import convert
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel
from translate.mt.vmap import VocabularyMap, build_map, target_script, twin, written_in

EN, KM = language("en"), language("km")
#: What CTranslate2 always allows besides the map's own list (``src/vocabulary_map.cc``).
FIXED = frozenset({"<unk>", "<s>", "</s>", "<blank>"})


# --------------------------------------------------------------------------- pure


@pytest.mark.parametrize(
    ("code", "script"),
    [("km", "Khmr"), ("th", "Thai"), ("lo", "Laoo"), ("my", "Mymr"), ("fr", "Latn"), ("vi", "Latn"), ("ru", "Cyrl"),
     ("ar", "Arab"), ("zh", "Hans"), ("zh-TW", "Hant"), ("zh-Hant", "Hant"), ("hi", "Deva"), ("sr-Latn", "Latn"),
     ("haw", "Latn"), ("ja", "Jpan"), ("ko", "Hang"), ("chr", None)],
    ids=lambda value: str(value),
)
def test_target_script(code: str, script: str | None) -> None:
    assert target_script(language(code)) == script


@pytest.mark.parametrize(
    ("token", "script", "allowed"),
    [
        ("▁ភ្នំពេញ", "Khmr", True), ("៖", "Khmr", True), ("។", "Khmr", True), ("០១២", "Khmr", True),
        ("▁2024", "Khmr", True), ("\u200b", "Khmr", True), ("«", "Khmr", True), ("▁", "Khmr", True), ("%", "Khmr", True),
        ("▁Hello", "Khmr", False), ("ไทย", "Khmr", False), ("ไทย", "Thai", True), ("▁Hello", "Latn", True),
        ("▁Việt", "Latn", True), ("▁Москва", "Cyrl", True), ("▁Москва", "Latn", False), ("北京", "Hans", True),
        ("。", "Hans", True), ("▁नमस्ते", "Deva", True), ("مرحبا", "Arab", True), ("ລາວ", "Laoo", True), ("မြန်မာ", "Mymr", True),
    ],
)
def test_written_in(token: str, script: str, allowed: bool) -> None:
    assert written_in(token, script) is allowed


def test_twin_toggles_the_word_mark() -> None:
    assert twin("▁Obama") == "Obama" and twin("Obama") == "▁Obama"


def test_map_format_matches_what_ctranslate2_parses() -> None:
    vocabulary = ["<s>", "<pad>", "</s>", "<unk>", "▁ក", "ា", "▁Obama", "Obama", "▁UN", ".", "▁", "eng_Latn", "khm_Khmr", "has space"]
    built = build_map(vocabulary, vocabulary, "Khmr", always=["<s>", "<pad>", "</s>", "<unk>", "khm_Khmr"],
                      never={"eng_Latn"})
    text = built.render()
    lines = text.split("\n")
    # First line: empty source part, then the tokens always allowed (CTranslate2 keys it as "").
    assert lines[0] == "\t<s> <pad> </s> <unk> khm_Khmr ▁ក ា . ▁"
    # One line per copyable source token: itself, and its twin when the vocabulary has it.
    assert lines[1:] == ["▁Obama\t▁Obama Obama", "Obama\tObama ▁Obama", "▁UN\t▁UN", ""]
    assert "eng_Latn" not in text and "has space" not in text
    assert VocabularyMap.parse(text) == built
    assert built.candidates([["eng_Latn", "▁UN", "</s>"]]) == frozenset(built.always) | {"▁UN"}


def test_install_view_links_the_model_and_builds_once(tmp_path: Path) -> None:
    model_dir = tmp_path / "ct2-int8-ct4.8.5"
    model_dir.mkdir()
    for name in ("model.bin", "config.json", "shared_vocabulary.json", "translate-conversion.json"):
        (model_dir / name).write_text(name, encoding="utf-8")
    (model_dir / "vmap-v1-km-Khmr").mkdir()  # left over from an interrupted build: no map, no model
    view = vmap.install_view(model_dir, "km-Khmr", lambda: "\tx\n", skip={"translate-conversion.json"})
    assert view.name == "vmap-v1-km-Khmr" and (view / "vmap.txt").read_text(encoding="utf-8") == "\tx\n"
    assert (view / "model.bin").read_text(encoding="utf-8") == "model.bin" and not (view / "translate-conversion.json").exists()

    def fail() -> str:
        raise AssertionError("built again")

    assert vmap.install_view(model_dir, "km-Khmr", fail) == view
    assert sorted(p.name for p in model_dir.iterdir() if p.name.startswith(".")) == []  # no temporary folders left


# --------------------------------------------------------------------------- with CTranslate2 (a tiny model)


def english(count: int) -> list[str]:
    from test_ctranslate2 import english as flores_english

    return flores_english(count)


@pytest.fixture(autouse=True)
def _models_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODELS", str(tmp_path_factory.getbasetemp() / "vmap-models"))


@pytest.fixture(scope="module")
def model(tiny_nllb_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> ResolvedModel:
    pytest.importorskip("ctranslate2")
    from test_ctranslate2 import chaotic_copy, local_model

    resolved = local_model(chaotic_copy(tiny_nllb_folder), "tiny-nllb-chaotic")
    convert(resolved, quantization="float32", root=tmp_path_factory.getbasetemp() / "vmap-models")
    return resolved


def engine_for(model: ResolvedModel, **settings: object) -> CTranslate2Engine:
    return CTranslate2Engine(model, DecodingConfig(compute_type="float32", threads=1, retry=False, **settings))  # type: ignore[arg-type]


def outputs(engine: CTranslate2Engine, sentences: list[str], restricted: bool, beam_size: int = 1) -> tuple[list[list[str]], VocabularyMap, list[list[str]]]:
    """Output tokens of each sentence, decoded with or without the Khmer map; the map; the source tokens."""
    codes = engine._codes(EN, KM)
    folder = engine._map_folder(codes, KM)
    assert folder is not None
    tokens = [engine.tokenizer.convert_ids_to_tokens(ids) for ids in engine._encode(sentences)]
    config = dataclasses.replace(engine.config, beam_size=beam_size)
    translator = engine._translator_for(folder if restricted else engine.model_dir, restricted)
    rows = engine._generate(tokens, codes, config, translator, restricted)
    return rows, VocabularyMap.parse((folder / vmap.VMAP_FILE).read_text(encoding="utf-8")), tokens


def test_view_is_built_once_and_links_the_model(model: ResolvedModel) -> None:
    engine = engine_for(model)
    folder = engine._map_folder(engine._codes(EN, KM), KM)
    assert folder is not None and folder.name == f"vmap-v{vmap.VMAP_VERSION}-khm_Khmr" and folder.parent == engine.model_dir
    assert (folder / "model.bin").resolve() == (engine.model_dir / "model.bin").resolve()
    stamp = (folder / vmap.VMAP_FILE).stat().st_mtime_ns
    assert engine._map_folder(engine._codes(EN, KM), KM) == folder
    assert (folder / vmap.VMAP_FILE).stat().st_mtime_ns == stamp


def test_ctranslate2_only_outputs_allowed_tokens(model: ResolvedModel) -> None:
    """Checks the format against the real parser: every output token is in the map's candidates."""
    engine = engine_for(model, max_new_tokens_factor=1.0, max_new_tokens_extra=5, max_batch_size=3)
    sentences = english(12)
    rows, built, tokens = outputs(engine, sentences, restricted=True)
    allowed = built.candidates(tokens) | FIXED  # each batch may use its sentences' tokens: the union bounds them all
    assert all(set(row) <= allowed for row in rows)
    assert all(row[0] == "khm_Khmr" for row in rows)  # the forced language token survives every batch


def test_batches_with_different_maps_match_fresh_translators(model: ResolvedModel) -> None:
    """Guards the reset before each restricted batch (CTranslate2 4.8 keeps a stale id mapping otherwise)."""
    settings = {"max_new_tokens_factor": 1.0, "max_new_tokens_extra": 5, "max_batch_size": 1}
    sentences = english(6)
    together = engine_for(model, **settings).translate(sentences, EN, KM)
    alone = [engine_for(model, **settings).translate([sentence], EN, KM)[0] for sentence in sentences]
    assert [t.text for t in together] == [t.text for t in alone]


def test_unknown_script_means_no_restriction(model: ResolvedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vmap, "target_script", lambda lang: None)
    engine = engine_for(model, max_new_tokens_factor=0.5, max_new_tokens_extra=2)
    assert engine._map_folder(engine._codes(EN, KM), KM) is None
    assert len(engine.translate(["Hello."], EN, KM)) == 1


def test_what_the_map_changes_on_200_flores_sentences(model: ResolvedModel, capsys: pytest.CaptureFixture[str]) -> None:
    """Outputs that only use allowed tokens are unchanged by greedy search; count the others.

    A batch may use the tokens allowed by any of its sentences, so larger
    batches change fewer outputs. Beam search renormalizes scores over the
    allowed tokens, so it may change even outputs made of allowed tokens. The
    tiny model has random weights and writes mostly non-Khmer tokens: the
    counts measure the mechanism, not a real model's loss.
    """
    sentences = english(200)
    report = []
    for beam, batch_size in ((1, 32), (4, 32), (1, 1)):
        engine = engine_for(model, max_batch_size=batch_size)
        free, built, tokens = outputs(engine, sentences, restricted=False, beam_size=beam)
        kept, _, _ = outputs(engine, sentences, restricted=True, beam_size=beam)
        inside = [set(row) <= built.candidates([source]) | FIXED for row, source in zip(free, tokens, strict=True)]
        changed = [a != b for a, b in zip(free, kept, strict=True)]
        changed_inside = sum(c and i for c, i in zip(changed, inside, strict=True))
        if beam == 1:
            assert changed_inside == 0, "greedy output within the allowed tokens must not change"
        report.append(f"beam {beam}, batches of up to {batch_size}: {sum(changed)}/{len(sentences)} outputs changed; "
                      f"{sum(inside)} used only their own source's allowed tokens, {changed_inside} of them changed")
    with capsys.disabled():
        print("\nvocabulary map on the tiny model: " + "; ".join(report))


def test_reference_translations_the_map_allows(model: ResolvedModel, capsys: pytest.CaptureFixture[str]) -> None:
    """How many FLORES Khmer references could be written at all under the map of their English source."""
    english_path, khmer_path = FLORES / "eng_Latn.dev", FLORES / "khm_Khmr.dev"
    if not (english_path.is_file() and khmer_path.is_file()):
        pytest.skip("FLORES-200 dev set not available")
    sources = english_path.read_text(encoding="utf-8").splitlines()
    references = khmer_path.read_text(encoding="utf-8").splitlines()
    engine = engine_for(model)
    _, built, _ = outputs(engine, ["x"], restricted=False)
    tokenizer = engine.tokenizer
    blocked: Counter[str] = Counter()
    reachable = 0
    for source, reference in zip(sources, references, strict=True):
        allowed = built.candidates([tokenizer.convert_ids_to_tokens(engine._encode([source])[0])]) | FIXED
        missing = [t for t in tokenizer.tokenize(reference) if t not in allowed]
        reachable += not missing
        blocked.update(missing)
    share = reachable / len(references)
    with capsys.disabled():
        print(f"\nFLORES dev Khmer references fully allowed by their source's map: {reachable}/{len(references)} ({share:.1%}); "
              f"most blocked tokens: {blocked.most_common(8)}")
    assert share > 0.5
