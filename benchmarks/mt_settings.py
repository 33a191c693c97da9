"""The settings that ``mt_speed.py`` compares, and the worker that measures one of them.

Each setting runs in a fresh process (``python benchmarks/mt_settings.py
SETTING MODEL INPUTS``) so that its peak resident memory is its own. The
worker prints one JSON line, prefixed with ``RESULT``, holding a
:class:`Measurement`.

All settings decode with beam 4 and produce exactly ``OUTPUT_TOKENS`` tokens
per sentence (the target-language token included): random weights emit the end
token at random, so the length is forced (``min_new_tokens`` and
``max_new_tokens`` in transformers, ``min_decoding_length`` and
``max_decoding_length`` in CTranslate2).
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cpu_share  # noqa: E402

INPUT_TOKENS = 43  # source tokens per sentence: language code + 41 pieces + </s>
OUTPUT_TOKENS = 48  # generated tokens per sentence: target language code + 47 pieces
BEAM = 4
BASELINE_BATCH = 16
SRC, TGT = "eng_Latn", "khm_Khmr"
RESULT_PREFIX = "RESULT "


@dataclass(frozen=True)
class Setting:
    """One way of translating the benchmark sentences.

    Attributes:
        name: short name used on the command line and in the table.
        about: one line for the table's legend.
        backend: ``baseline`` (plain transformers as a typical script writes it)
            or an engine backend name for ``create_engine``.
        decoding: ``DecodingConfig`` fields on top of the benchmark's own.
        sentences: most sentences to translate (slow settings measure fewer; rates are per sentence).
    """

    name: str
    about: str
    backend: str
    decoding: Mapping[str, Any] = field(default_factory=dict)
    sentences: int | None = None
    env: Mapping[str, str] = field(default_factory=dict)  # environment of the setting's process (CTranslate2 reads it once)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("baseline", "transformers fp32, generate(num_beams=4) in batches of 16, as a typical script", "baseline", sentences=32),
        Setting("hf-engine", "create_engine('transformers') fp32", "transformers", sentences=32),
        Setting("ct2-int8", "create_engine('ctranslate2') int8, 1 replica x 2 threads", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": False, "replicas": 1, "threads": 2}),
        Setting("ct2-int8-vmap", "int8 + vocabulary map, 1 replica x 2 threads", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2}),
        Setting("ct2-int8-2x1", "int8, 2 replicas x 1 thread", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": False, "replicas": 2, "threads": 1}),
        Setting("ct2-int8-vmap-2x1", "int8 + vocabulary map, asks for 2 replicas x 1 thread", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 2, "threads": 1}),
        Setting("ct2-int8-vmap-b16", "int8 + vocabulary map, batches of at most 16 sentences", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2, "max_batch_size": 16}),
        Setting("ct2-int8-vmap-b24", "int8 + vocabulary map, batches of at most 24 sentences", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2, "max_batch_size": 24}),
        Setting("ct2-int8-vmap-b64", "int8 + vocabulary map, batches of at most 64 sentences", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2, "max_batch_size": 64}),
        Setting("ct2-int8-vmap-dnnl", "int8 + vocabulary map, oneDNN GEMM (CT2_USE_MKL=0) instead of CTranslate2's default", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2}, env={"CT2_USE_MKL": "0"}),
        Setting("ct2-int8-vmap-b16-dnnl", "int8 + vocabulary map, batches of at most 16, oneDNN GEMM", "ctranslate2",
                {"compute_type": "int8", "restrict_vocabulary": True, "replicas": 1, "threads": 2, "max_batch_size": 16}, env={"CT2_USE_MKL": "0"}),
        Setting("ct2-int8bf16-vmap", "int8_bfloat16 + vocabulary map (CPUs with AVX-512 BF16)", "ctranslate2",
                {"compute_type": "int8_bfloat16", "restrict_vocabulary": True, "replicas": 1, "threads": 2}),
        Setting("ct2-float32", "float32 CTranslate2 (reference)", "ctranslate2",
                {"compute_type": "float32", "restrict_vocabulary": False, "replicas": 1, "threads": 2}, sentences=32),
    )
}


class Rates:
    """Sentences and tokens per second of a measurement with ``sentences``, ``output_tokens`` and ``seconds``."""

    sentences: int
    output_tokens: int
    seconds: float

    @property
    def sentences_per_s(self) -> float:
        return self.sentences / self.seconds

    @property
    def tokens_per_s(self) -> float:
        return self.output_tokens / self.seconds


@dataclass(frozen=True)
class Measurement(Rates):
    """What one setting did, measured in its own process."""

    setting: str
    sentences: int
    seconds: float
    output_tokens: int
    content_tokens_mean: float
    import_s: float  # importing torch + transformers, or ctranslate2
    load_s: float  # creating the engine, and the translator the CTranslate2 engine loads on first use
    warmup_s: float  # translating 2 sentences first (less that translator load)
    peak_rss_mib: float
    ready_rss_mib: float  # resident memory after the warm-up: libraries + model loaded, before the measured batches
    cpu_percent: float = 0.0  # process CPU time / wall time while translating (200 % = both cores busy)
    stall_percent: float = 0.0  # share of that time some task waited for a CPU (/proc/pressure/cpu): other work
    note: str = ""
    other_percent: float = 0.0  # share of all CPUs that other processes took meanwhile (cpu_share.py)

    @property
    def refused(self) -> str | None:
        """Why the figures are not reported (other work took too much of the CPUs), or None."""
        from cpu_share import refusal

        return refusal(self.other_percent, self.stall_percent)


def _status_mib(field: str) -> float | None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return None


def peak_rss_mib() -> float:
    """This process's peak resident set size (``VmHWM``), in MiB."""
    found = _status_mib("VmHWM")
    if found is None:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return found


def rss_mib() -> float:
    """This process's resident set size now (``VmRSS``), in MiB."""
    return _status_mib("VmRSS") or 0.0


def cpu_seconds() -> float:
    """User + system CPU time of this process so far, all threads."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


cpu_stall_seconds = cpu_share.stall_seconds  # Linux PSI, 0.0 where unavailable


def ctranslate2_available() -> bool:
    """Whether the project has a CTranslate2 backend yet (checked without importing ctranslate2)."""
    import importlib.util

    return importlib.util.find_spec("translate.mt.backends.ctranslate2") is not None


# --------------------------------------------------------------------------- the baseline


class Baseline:
    """transformers as a typical script uses it: fp32, batches of 16 in input order, beam 4 (on CPU, or ``device``)."""

    def __init__(self, folder: Path, device: str = "cpu") -> None:
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        self.device = device
        self.tokenizer = AutoTokenizer.from_pretrained(folder, src_lang=SRC)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval().to(device)
        self.forced = self.tokenizer.convert_tokens_to_ids(TGT)

    def translate(self, sentences: Sequence[str]) -> tuple[list[str], int]:
        """Translations and the number of content tokens generated (special tokens left out)."""
        import torch

        special = torch.tensor(sorted(self.tokenizer.all_special_ids), device=self.device)
        out: list[str] = []
        content = 0
        for start in range(0, len(sentences), BASELINE_BATCH):
            inputs = self.tokenizer(list(sentences[start : start + BASELINE_BATCH]), return_tensors="pt", padding=True).to(self.device)
            with torch.inference_mode():
                ids = self.model.generate(**inputs, forced_bos_token_id=self.forced, num_beams=BEAM,
                                          min_new_tokens=OUTPUT_TOKENS, max_new_tokens=OUTPUT_TOKENS)
            content += int((~torch.isin(ids, special)).sum())
            out.extend(self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return out, content


# --------------------------------------------------------------------------- the project's engines


def decoding_for(setting: Setting) -> Any:
    """The engine's decoding settings: beam 4, exactly OUTPUT_TOKENS out, no retry, plus the setting's own."""
    from translate.mt.decoding import DecodingConfig

    return DecodingConfig(beam_size=BEAM, max_new_tokens_factor=1e-6, max_new_tokens_extra=OUTPUT_TOKENS, retry=False, **setting.decoding)


def force_length(engine: Any, tokens: int = OUTPUT_TOKENS) -> None:
    """Make ``engine`` produce exactly ``tokens`` tokens per sentence (its cap is set by :func:`decoding_for`)."""
    network = getattr(engine, "network", None)
    if network is not None:  # transformers
        network.generation_config.min_new_tokens = tokens
        return
    if getattr(engine, "_ct2", None) is None:
        raise SystemExit(f"cannot force the output length of {type(engine).__name__}: no transformers network, no ctranslate2 module")
    engine._ct2 = _ForcedCTranslate2(engine._ct2, tokens)  # the engine creates its translators lazily from this module


class _ForcedCTranslate2:
    """The ``ctranslate2`` module, but its translators decode at least ``tokens`` tokens where the cap is ``tokens``."""

    def __init__(self, module: Any, tokens: int) -> None:
        self._module = module
        self._tokens = tokens
        self.load_seconds = 0.0  # spent creating translators (the engine does it on first use)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def Translator(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        translator = self._module.Translator(*args, **kwargs)
        self.load_seconds += time.perf_counter() - start
        return _ForcedTranslator(translator, self._tokens)


def lazy_load_seconds(engine: Any) -> float:
    """Seconds the engine spent loading models on first use (CTranslate2 translators), so far."""
    return float(getattr(getattr(engine, "_ct2", None), "load_seconds", 0.0))


class _ForcedTranslator:
    """A ``ctranslate2.Translator`` whose full-length calls get ``min_decoding_length`` (other calls, such as
    one-token resets, are left alone)."""

    def __init__(self, inner: Any, tokens: int) -> None:
        self._inner = inner
        self._tokens = tokens

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def translate_batch(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("max_decoding_length") == self._tokens:
            kwargs["min_decoding_length"] = self._tokens
        return self._inner.translate_batch(*args, **kwargs)


def resolved(folder: Path) -> Any:
    """The benchmark model as the project's ``ResolvedModel``."""
    from translate.mt.models import ModelLock, resolve_model

    return resolve_model(str(folder), ModelLock(path=folder / "models.lock", models=()), folder)


def registered(backend: str) -> bool:
    """Whether ``create_engine`` knows the backend."""
    from translate.mt.engine import BACKENDS

    return backend in BACKENDS


def engine_for(backend: str, model: Any, config: Any) -> Any:
    """``create_engine(backend, ...)``; a backend module not registered yet is loaded directly."""
    import importlib

    from translate.mt.engine import create_engine

    if registered(backend):
        return create_engine(backend, model, config)
    module = importlib.import_module(f"translate.mt.backends.{backend}")
    engine_class = next(v for v in vars(module).values() if isinstance(v, type) and getattr(v, "backend", None) == backend)
    return engine_class(model, config)


class EngineRunner:
    """One of the project's engines, with the output length forced."""

    def __init__(self, setting: Setting, folder: Path) -> None:
        from translate.languages import language

        self.engine = engine_for(setting.backend, resolved(folder), decoding_for(setting))
        force_length(self.engine)
        self.src, self.tgt = language("en"), language("km")

    def translate(self, sentences: Sequence[str]) -> tuple[list[str], int]:
        """Translations and the number of content tokens generated (special tokens left out)."""
        results = self.engine.translate(list(sentences), self.src, self.tgt)
        return [r.text for r in results], sum(r.output_tokens for r in results)


# --------------------------------------------------------------------------- measuring


def import_libraries(backend: str) -> float:
    """Import the heavy libraries a setting needs; the seconds it took."""
    start = time.perf_counter()
    if backend == "ctranslate2":
        import ctranslate2  # noqa: F401
    else:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    return time.perf_counter() - start


def make_runner(setting: Setting, folder: Path) -> Baseline | EngineRunner:
    """Load the model the way ``setting`` does."""
    return Baseline(folder) if setting.backend == "baseline" else EngineRunner(setting, folder)


def measure(setting: Setting, folder: Path, sentences: Sequence[str], profile: Callable[[Callable[[], Any]], Any] | None = None) -> Measurement:
    """Load, warm up on two sentences, then time the translation of ``sentences``."""
    import_s = import_libraries(setting.backend)
    start = time.perf_counter()
    runner = make_runner(setting, folder)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    runner.translate(sentences[:2])
    lazy = lazy_load_seconds(getattr(runner, "engine", None))
    load_s += lazy
    warmup_s = time.perf_counter() - start - lazy
    ready = rss_mib()
    cpu, stall = cpu_seconds(), cpu_stall_seconds()
    watch = cpu_share.Watch()
    start = time.perf_counter()
    if profile is None:
        texts, content = runner.translate(sentences)
    else:
        texts, content = profile(functools.partial(runner.translate, sentences))
    seconds = time.perf_counter() - start
    share = watch.stop(cpu_seconds() - cpu)
    cpu_percent = 100 * (cpu_seconds() - cpu) / seconds
    stall_percent = 100 * (cpu_stall_seconds() - stall) / seconds
    mean = content / len(sentences)
    # a random network emits a special token (a language code, <unk>, <pad>) now and then: those
    # are not content, but the length is still forced; a much lower mean means it was not
    note = "" if abs(mean - (OUTPUT_TOKENS - 1)) <= 0.5 else f"{mean:.1f} content tokens per sentence, not {OUTPUT_TOKENS - 1}: output length not forced"
    empty = sum(not t for t in texts)
    if empty:
        note = (note + "; " if note else "") + f"{empty} empty outputs"
    generated = len(sentences) * OUTPUT_TOKENS
    return Measurement(setting.name, len(sentences), seconds, generated, mean, import_s, load_s, warmup_s, peak_rss_mib(), ready, cpu_percent, stall_percent, note, share.other_percent)


def ensure_conversion(folder: Path, quantization: str) -> str:
    """Convert the model for CTranslate2 unless a current conversion exists; where it is and how long it took."""
    from translate.mt.convert import convert, find_conversion

    model = resolved(folder)
    if find_conversion(model, quantization) is not None:
        return f"{find_conversion(model, quantization)} (present)"
    start = time.perf_counter()
    path = convert(model, quantization=quantization)
    return f"{path} (converted in {time.perf_counter() - start:.0f} s, peak RSS {peak_rss_mib():.0f} MiB)"


def worker(name: str, folder: Path, inputs: Path) -> None:
    """Measure one setting on the sentences in ``inputs`` (a JSON list) and print the result line."""
    setting = SETTINGS[name]
    sentences = json.loads(inputs.read_text(encoding="utf-8"))
    if setting.sentences is not None:
        sentences = sentences[: setting.sentences]
    result = measure(setting, folder, sentences)
    print(RESULT_PREFIX + json.dumps(asdict(result)), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--convert":
        print(ensure_conversion(Path(sys.argv[3]), sys.argv[2]))
    else:
        worker(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
