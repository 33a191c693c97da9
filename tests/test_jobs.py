"""Translation jobs: signatures that name what produced the text, the local executor, chunks stored as they finish."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FROZEN_NOW
from translate.api import Workspace, extract
from translate.errors import TranslateError
from translate.languages import language
from translate.mt.backends.fake import FakeEngine
from translate.mt.backends.transformers import signature_settings
from translate.mt.decoding import DecodingConfig
from translate.mt.jobs import ChunkResult, EngineSpec, ExecutorSettings, Job, PoolError, executor_settings
from translate.mt.jobs.local import LocalExecutor
from translate.mt.memory import TranslationMemory
from translate.mt.models import ResolvedModel
from translate.mt.service import machine_translate, translate_sentences
from translate.mt.types import Translation

EN, KM = language("en"), language("km")
MODEL = ResolvedModel(name="fake-model", path=Path("."), family="nllb", revision="0123456789abcdef0123456789abcdef01234567", license="MIT")
DECODING = "beam:4|maxnew:3x+10|maxin:200|lp:1|rp:1|nrng:0|retry:yes"


def test_cpu_signatures_keep_the_keys_of_earlier_versions_and_a_gpu_is_named() -> None:
    config = DecodingConfig()
    assert signature_settings(config, "cpu", "float32") == f"transformers|{DECODING}"
    assert signature_settings(config, "cuda", "bfloat16") == f"transformers|{DECODING}|device:cuda|dtype:bfloat16"
    assert signature_settings(config, "cuda", "float16") != signature_settings(config, "cuda", "bfloat16")
    fake = FakeEngine(MODEL, config)
    assert fake.signature == EngineSpec("fake", MODEL, config).predicted()
    assert fake.signature.settings == f"fake|{DECODING}" and fake.signature.mask == "2"


def test_transformers_reports_device_and_dtype_as_predicted(tiny_nllb_folder: Path) -> None:
    from translate.mt.engine import create_engine, predict_signature

    model = ResolvedModel(name="tiny-nllb", path=tiny_nllb_folder, family="nllb", revision="local-test", license="unknown")
    config = DecodingConfig(device="cpu", beam_size=1)
    engine = create_engine("transformers", model, config)
    assert (engine.signature.device, engine.signature.precision) == ("cpu", "float32")
    assert engine.signature == predict_signature("transformers", model, config)
    assert engine.signature.settings == f"transformers|{config.signature()}"


class Stopping(FakeEngine):
    """Fails on its third call, as a run interrupted in the middle would."""

    def translate(self, sentences, src, tgt):  # type: ignore[no-untyped-def]
        if self.model_calls == 2:
            raise KeyboardInterrupt
        return super().translate(sentences, src, tgt)


def test_each_chunk_is_in_the_memory_as_soon_as_it_is_done(workdir: Path) -> None:
    article = workdir / "long.txt"
    article.write_text("A long story\n\n" + "\n\n".join(f"Paragraph {n} says that prices rose by {n} percent." for n in range(40)) + "\n", encoding="utf-8")
    [result] = extract([article], [KM], Workspace(locales=workdir / "locales"), now=FROZEN_NOW)
    assert result.error is None
    spec = EngineSpec("fake", MODEL, DecodingConfig())
    with TranslationMemory(workdir / "memory.sqlite3") as memory:
        with pytest.raises(KeyboardInterrupt):
            machine_translate([(article, "long")], [KM], workdir / "locales", spec, lambda: Stopping(MODEL, DecodingConfig()), memory, chunk=10)
        assert memory.stats().machine == 20  # two chunks of ten were done and kept
        engines: list[FakeEngine] = []
        run = machine_translate([(article, "long")], [KM], workdir / "locales", spec, lambda: engines.append(FakeEngine(MODEL, DecodingConfig())) or engines[-1],
                                memory, chunk=10)
    assert run.memory_hits == 20 and run.translated == 21 and len(engines[0].sentences_seen) == 21


def test_the_local_executor_refuses_an_engine_that_is_not_what_was_predicted() -> None:
    gpu_like = FakeEngine(MODEL, DecodingConfig(beam_size=5))  # reports other settings than the run's
    executor = LocalExecutor(lambda: gpu_like)
    executor.start(EngineSpec("fake", MODEL, DecodingConfig()))
    with pytest.raises(PoolError, match="the engine loaded as fake|beam:5"):
        list(executor.translate(Job(("One.",), EN, KM)))


def test_the_local_executor_loads_once_and_only_for_work() -> None:
    loads: list[int] = []
    executor = LocalExecutor(lambda: loads.append(1) or FakeEngine(MODEL, DecodingConfig()))
    signature = executor.start(EngineSpec("fake", MODEL, DecodingConfig()))
    assert signature.settings == f"fake|{DECODING}" and loads == []
    job = Job(tuple(f"Sentence {n}." for n in range(7)), EN, KM, chunk=3)
    results = list(executor.translate(job))
    assert [r.index for r in results] == [0, 1, 2] and [len(r.texts) for r in results] == [3, 3, 1]
    assert results[2] == ChunkResult(2, ("Sentence 6.",), (Translation("Sentence 6.", "[km] Sentence 6.", 2, 3),), "local", 1)
    assert loads == [1] and executor.model_calls == 3 and executor.loads == 1


def test_translate_sentences_without_catalogs_uses_and_fills_the_memory(tmp_path: Path) -> None:
    spec = EngineSpec("fake", MODEL, DecodingConfig())
    with TranslationMemory(tmp_path / "memory.sqlite3") as memory:
        first = translate_sentences(["One.", "Two.", "One."], EN, KM, spec, LocalExecutor(lambda: FakeEngine(MODEL, DecodingConfig())), memory)
        again = LocalExecutor(lambda: FakeEngine(MODEL, DecodingConfig()))
        second = translate_sentences(["Two.", "One."], EN, KM, spec, again, memory)
    assert {s: x.text for s, x in first.items()} == {"One.": "[km] One.", "Two.": "[km] Two."} == {s: x.text for s, x in second.items()}
    assert again.loads == 0


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        pytest.param(({},), ExecutorSettings(), id="defaults"),
        pytest.param(({"kind": "ray", "gpu_actors": 2}, {"kind": None, "chunk": 64}), ExecutorSettings(kind="ray", gpu_actors=2, chunk=64), id="file-then-flags"),
        pytest.param(({"in-flight": 4, "cpu_actors": 3},), ExecutorSettings(in_flight=4, cpu_actors=3), id="dashes"),
    ],
)
def test_executor_settings_layers(layers: tuple[dict[str, object], ...], expected: ExecutorSettings) -> None:
    assert executor_settings(*layers) == expected
    assert expected.actors == ((expected.gpu_actors, expected.cpu_actors) if expected.gpu_actors or expected.cpu_actors else (0, 1))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param({"workers": 2}, "[executor] has an unknown setting 'workers'", id="unknown"),
        pytest.param({"gpu_actors": "2"}, "[executor] gpu_actors must be a whole number, not '2'", id="type"),
        pytest.param({"chunk": True}, "[executor] chunk must be a whole number, not True", id="bool"),
        pytest.param({"threads": 0}, "threads must be at least 1", id="range"),
    ],
)
def test_bad_executor_settings_are_one_line_naming_the_file(table: dict[str, object], message: str) -> None:
    with pytest.raises(TranslateError) as caught:
        executor_settings(table, path="translate.toml")
    assert str(caught.value).startswith("translate.toml: ") and message in str(caught.value) and "\n" not in str(caught.value)
