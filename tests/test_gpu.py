"""The GPU code paths, on the tiny NLLB model: run where a CUDA GPU is present, skipped elsewhere.

CI has no GPU; these run on a machine with one (``pytest tests/test_gpu.py``).
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

from translate.languages import language
from translate.mt.decoding import DecodingConfig
from translate.mt.engine import create_engine
from translate.mt.models import ResolvedModel
from translate.mt.types import Issue

EN, KM = language("en"), language("km")
SENTENCES = [
    "The minister said the plan would cost $3.5 million.",
    "Heavy rain flooded three districts on Monday.",
    "He left.",
    "Rights groups called on the National Assembly to review the laws and protect activists who work in good faith.",
]


def _model(folder: Path, name: str = "tiny-nllb") -> ResolvedModel:
    return ResolvedModel(name=name, path=folder, family="nllb", revision=f"local-{name}", license="unknown")


def test_transformers_engine_runs_on_the_gpu_in_half_precision(tiny_nllb_folder: Path) -> None:
    engine = create_engine("transformers", _model(tiny_nllb_folder), DecodingConfig(device="auto", max_new_tokens_factor=1, max_new_tokens_extra=4))
    assert engine.device == "cuda"  # type: ignore[attr-defined]
    parameter = next(engine.network.parameters())  # type: ignore[attr-defined]
    assert parameter.is_cuda and parameter.dtype in (torch.bfloat16, torch.float16)
    first = engine.translate(SENTENCES, EN, KM)
    second = engine.translate(SENTENCES, EN, KM)
    assert [t.source for t in first] == SENTENCES
    assert [t.text for t in first] == [t.text for t in second]
    assert all(t.output_tokens > 0 for t in first)


def test_gpu_and_cpu_engines_agree_on_token_counts_and_flags(tiny_nllb_folder: Path) -> None:
    """Same inputs, same batching logic and quality flags on both devices (texts may differ: bf16 vs fp32)."""
    config = DecodingConfig(beam_size=1, max_new_tokens_factor=0.5, max_new_tokens_extra=2, retry=False)
    gpu = create_engine("transformers", _model(tiny_nllb_folder), dataclasses.replace(config, device="cuda"))
    cpu = create_engine("transformers", _model(tiny_nllb_folder), dataclasses.replace(config, device="cpu"))
    on_gpu, on_cpu = gpu.translate(SENTENCES, EN, KM), cpu.translate(SENTENCES, EN, KM)
    assert [t.input_tokens for t in on_gpu] == [t.input_tokens for t in on_cpu]
    # random weights never end early: every output stops at the same cap on both devices
    assert [t.output_tokens for t in on_gpu] == [t.output_tokens for t in on_cpu]
    assert all(Issue.HIT_LENGTH_CAP in t.issues for t in on_gpu + on_cpu)


def test_mt_command_on_the_gpu(tmp_path: Path, tiny_nllb_folder: Path) -> None:
    import polib
    from click.testing import CliRunner

    from translate.cli import cli

    article = tmp_path / "story.md"
    article.write_text("# Floods\n\nHeavy rain flooded three districts on Monday, see https://example.org/floods.\n", encoding="utf-8")
    locales = tmp_path / "locales"
    runner = CliRunner()
    assert runner.invoke(cli, ["--locales", str(locales), "extract", str(article), "--to", "km"]).exit_code == 0
    result = runner.invoke(cli, ["--locales", str(locales), "mt", str(article), "--to", "km", "--model", str(tiny_nllb_folder),
                                 "--backend", "transformers", "--device", "cuda", "--memory", str(tmp_path / "m.sqlite3")])
    assert result.exit_code == 0, result.output
    entries = [e for e in polib.pofile(str(locales / "km" / "LC_MESSAGES" / "story.po")) if e.msgid]
    assert len(entries) == 2 and all(e.msgstr and "fuzzy" in e.flags for e in entries)
    url_entry = next(e for e in entries if "https://" in e.msgid)
    assert "https://example.org/floods" in url_entry.msgstr or "mt restore: url: https://example.org/floods" in url_entry.comment.splitlines()


def test_ctranslate2_on_the_gpu_translates_or_says_why_not(tiny_nllb_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """int8_float16 on CUDA; where CTranslate2 cannot use the GPU the error is a clear TranslateError, not a traceback."""
    ct2 = pytest.importorskip("ctranslate2")
    if ct2.get_cuda_device_count() == 0:
        pytest.skip("CTranslate2 sees no GPU")
    from translate.errors import TranslateError
    from translate.mt.convert import convert

    monkeypatch.setenv("TRANSLATE_MODELS", str(tmp_path / "models"))
    folder = shutil.copytree(tiny_nllb_folder, tmp_path / "tiny-nllb")
    model = _model(folder)
    convert(model, quantization="int8_float16")
    for restrict in (False, True):
        config = DecodingConfig(device="cuda", compute_type="auto", restrict_vocabulary=restrict, max_new_tokens_factor=1, max_new_tokens_extra=4)
        try:
            engine = create_engine("ctranslate2", model, config)
            translations = engine.translate(SENTENCES, EN, KM)
        except TranslateError as error:
            message = str(error)
            assert "\n" not in message and ("CUDA" in message or "GPU" in message or "cuda" in message), message
            print(f"CTranslate2 on the GPU: {message}")
            return
        assert engine.compute_type in ("int8_float16", "int8_bfloat16", "float16")  # type: ignore[attr-defined]
        assert [t.source for t in translations] == SENTENCES and all(t.output_tokens > 0 for t in translations)
