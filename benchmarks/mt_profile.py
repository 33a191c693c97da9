"""Where the time of one setting goes: ``python benchmarks/mt_speed.py --profile SETTING``.

The setting runs in this process (load, warm-up on two sentences, then the
timed translation of 16 sentences) under ``cProfile``; the top functions by own
time and by cumulative time are printed. For transformers settings 8 sentences
also run under ``torch.profiler``, operators grouped by input shape, so that
the work over the 256k-wide vocabulary shows apart from the layers' matrix
products. CTranslate2 does its work in one C++ call, which cProfile sees as a
single entry, so for CTranslate2 settings this also prints each loading step
(seconds and memory) and a time split of a raw int8 translator: batch sizes
with their decoding memory, encoder against decoding steps, with and without
the vocabulary map, under CTranslate2's GEMM backends and instruction sets
(each in its own process, since CTranslate2 reads those settings once).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from mt_settings import (
    OUTPUT_TOKENS,
    SETTINGS,
    TGT,
    measure,
    peak_rss_mib,
    resolved,
    rss_mib,
)

TOP = 25


def _stats(profiler: cProfile.Profile, order: str) -> str:
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(order).print_stats(TOP)
    return stream.getvalue()


def _with_cprofile(profiler: cProfile.Profile) -> Callable[[Callable[[], Any]], Any]:
    def run(call: Callable[[], Any]) -> Any:
        profiler.enable()
        try:
            return call()
        finally:
            profiler.disable()

    return run


def _with_torch_profiler(report: list[str]) -> Callable[[Callable[[], Any]], Any]:
    def run(call: Callable[[], Any]) -> Any:
        from torch.profiler import ProfilerActivity, profile

        with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
            out = call()
        averages = prof.key_averages(group_by_input_shape=True)
        report.append(averages.table(sort_by="self_cpu_time_total", row_limit=TOP, max_name_column_width=40,
                                     max_shapes_column_width=70))
        total = sum(e.self_cpu_time_total for e in averages)
        projection = sum(e.self_cpu_time_total for e in averages if "256206" in str(e.input_shapes))
        report.append(f"operators on a 256206-wide shape (output projection, log-softmax, top-k over the vocabulary): "
                      f"{100 * projection / total:.1f} % of operator time")
        return out

    return run


def load_breakdown(folder: Path) -> list[str]:
    """Seconds and resident memory of each step of loading the CTranslate2 engine, and of lighter tokenizers.

    Run first in a fresh process, so that each import is timed the first time.
    """
    rows: list[str] = []

    def step(label: str, action: Callable[[], Any]) -> Any:
        before, start = rss_mib(), time.perf_counter()
        value = action()
        rows.append(f"  {label:58} {time.perf_counter() - start:6.2f} s  {rss_mib() - before:+7.0f} MiB")
        return value

    from translate.mt.convert import find_conversion

    conversion = find_conversion(resolved(folder), "int8")
    ct2 = step("import ctranslate2", lambda: __import__("ctranslate2"))
    from translate.mt import spm_tokenizer

    step("spm_tokenizer.load (the engine's tokenizer for NLLB)", lambda: spm_tokenizer.load(folder))
    step("import transformers (the engine's fallback tokenizer)", lambda: __import__("transformers"))
    from transformers import AutoTokenizer

    tokenizer = step("AutoTokenizer.from_pretrained (before: the engine's tokenizer)", lambda: AutoTokenizer.from_pretrained(folder))
    step("frozenset(tokenizer.get_vocab()) (before)", lambda: frozenset(tokenizer.get_vocab()))
    from tokenizers import Tokenizer

    step("alternative: tokenizers.Tokenizer.from_file(tokenizer.json)", lambda: Tokenizer.from_file(str(folder / "tokenizer.json")))
    if conversion is None:
        rows.append("  (no int8 conversion: translator load not measured)")
        return rows
    step("ctranslate2.Translator(int8, 2 threads)", lambda: ct2.Translator(str(conversion), compute_type="int8", intra_threads=2))
    from translate.languages import language
    from translate.mt import vmap

    def build() -> int:
        source = vmap.read_vocabulary(conversion, "source")
        target = vmap.read_vocabulary(conversion, "target")
        built = vmap.build_map(source, target, "Khmr", always=["</s>", "khm_Khmr"])
        return len(built.always)

    size = step("vocabulary map for Khmer (read vocabulary, build; cached on disk)", build)
    rows.append(f"  Khmer map: {size} tokens always allowed of 256,206 ({vmap.target_script(language('km'))})")
    return rows


#: Library settings compared in the time split: CTranslate2's GEMM backend and instruction set.
CT2_ENVIRONMENTS: tuple[dict[str, str], ...] = (
    {},
    {"CT2_USE_MKL": "0"},
    {"CT2_FORCE_CPU_ISA": "AVX512"},
    {"CT2_USE_MKL": "0", "CT2_FORCE_CPU_ISA": "AVX512"},
)


def _reset_peak() -> None:
    """Start a new VmHWM from the current resident size (Linux ``clear_refs`` 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def ct2_split(folder: Path, sentences: Sequence[str], sweep: bool = True, beam: int = 4) -> dict[str, Any]:
    """Time a raw int8 ``ctranslate2.Translator`` (2 threads) on parts of the work, in this process.

    * ``encoder+1``: decoding 2 tokens (the language token and one more): the encoder and one step;
    * ``full``: all 48 tokens; ``vmap``: the same through the Khmer vocabulary map;
    * ``batch N`` (with ``sweep``): all sentences, 48 tokens, in batches of N, with the
      peak memory above the loaded model.
    """
    import ctranslate2
    from tokenizers import Tokenizer

    from translate.mt.convert import find_conversion
    from translate.mt.vmap import VMAP_FILE, view_name

    conversion = find_conversion(resolved(folder), "int8")
    if conversion is None:
        return {"error": "no int8 conversion"}
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokens = [tokenizer.encode(s).tokens for s in sentences]

    def run(translator: Any, batch: list[list[str]], length: int, use_vmap: bool = False) -> float:
        start = time.perf_counter()
        for first in range(0, len(tokens), len(batch)):
            chunk = tokens[first : first + len(batch)]
            if use_vmap:  # CTranslate2 4.8 keeps a restricted batch's id mapping: reset it as the engine does
                translator.translate_batch([[chunk[0][0], "</s>"]], beam_size=1, max_decoding_length=1)
            translator.translate_batch(chunk, target_prefix=[[TGT]] * len(chunk), beam_size=beam, max_decoding_length=length,
                                       min_decoding_length=length, use_vmap=use_vmap)
        return time.perf_counter() - start

    out: dict[str, Any] = {"sentences": len(tokens)}
    translator = ctranslate2.Translator(str(conversion), compute_type="int8", intra_threads=2)
    run(translator, tokens[:2], 4)
    ready = rss_mib()
    for size in (8, 16, 32) if sweep else ():
        _reset_peak()
        out[f"batch {size}"] = [run(translator, tokens[:size], OUTPUT_TOKENS), peak_rss_mib() - ready]
    half = tokens[: min(16, len(tokens))]
    tokens = half
    out["encoder+1"] = run(translator, half, 2)
    out["full"] = run(translator, half, OUTPUT_TOKENS)
    view = conversion / view_name(TGT)
    if (view / VMAP_FILE).is_file():
        mapped = ctranslate2.Translator(str(view), compute_type="int8", intra_threads=2)
        run(mapped, tokens[:2], 4, use_vmap=True)
        out["vmap"] = run(mapped, half, OUTPUT_TOKENS, use_vmap=True)
    return out


def _split_in(env: dict[str, str], folder: Path, sentences: Sequence[str], sweep: bool) -> dict[str, Any]:
    inputs = Path(os.environ.get("TMPDIR", "/tmp")) / f"mt-profile-{os.getpid()}.json"
    inputs.write_text(json.dumps(list(sentences)), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, __file__, "split", str(folder), str(inputs), *(["sweep"] if sweep else [])], capture_output=True, text=True,
                              env={**{k: v for k, v in os.environ.items() if k != "CT2_USE_MKL"}, **env}, check=False)
    finally:
        inputs.unlink(missing_ok=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {"error": done.stderr.strip().splitlines()[-1:]}


def print_split(folder: Path, sentences: Sequence[str]) -> None:
    """The CTranslate2 time split, under each library setting of :data:`CT2_ENVIRONMENTS`."""
    print(f"--- raw ctranslate2.Translator int8, 2 threads, beam 4, {len(sentences)} sentences (16 for the split)")
    for index, env in enumerate(CT2_ENVIRONMENTS):
        split = _split_in(env, folder, sentences, sweep=index == 0)
        label = " ".join(f"{k}={v}" for k, v in env.items()) or "defaults"
        if "error" in split:
            print(f"  {label}: {split['error']}")
            continue
        n, half = split["sentences"], min(16, split["sentences"])
        batches = ", ".join(f"batch {b}: {n / split[f'batch {b}'][0]:.2f}/s +{split[f'batch {b}'][1]:.0f} MiB"
                            for b in (8, 16, 32) if f"batch {b}" in split)
        fallback = f"batch 16: {half / split['full']:.2f}/s"
        print(f"  {label}: {batches or fallback}")
        encoder, full = split["encoder+1"], split["full"]
        line = f"    batch 16: encoder + first step {100 * encoder / full:.0f} %, the other {OUTPUT_TOKENS - 2} steps {100 * (full - encoder) / full:.0f} %"
        if "vmap" in split:
            line += (f"; with the Khmer vocabulary map {half / split['vmap']:.2f}/s vs {half / full:.2f}/s: "
                     f"{100 * (full - split['vmap']) / full:.0f} % of the time goes to the ~236k tokens the map leaves out")
        print(line, flush=True)


def profile(name: str, folder: Path, sentences: Sequence[str]) -> None:
    """Profile setting ``name`` on ``sentences`` and print where the time goes."""
    if name not in SETTINGS:
        raise SystemExit(f"unknown setting {name}; known: {', '.join(SETTINGS)}")
    setting = SETTINGS[name]
    if setting.backend == "ctranslate2":
        print("--- loading, step by step (seconds, resident memory added)")
        print("\n".join(load_breakdown(folder)))
        print_split(folder, sentences)
    sentences = sentences[:16]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    result = measure(setting, folder, sentences, profile=_with_cprofile(profiler))
    print(f"{name}: {result.sentences} sentences in {result.seconds:.2f} s under cProfile "
          f"({result.sentences_per_s:.3f} sentences/s), load {result.load_s:.2f} s, total {time.perf_counter() - start:.1f} s")
    print("\n--- by own time")
    print(_stats(profiler, "tottime"))
    print("--- by cumulative time")
    print(_stats(profiler, "cumulative"))
    if setting.backend in ("baseline", "transformers"):
        report: list[str] = []
        measure(setting, folder, sentences[:8], profile=_with_torch_profiler(report))
        print("--- torch operators (8 sentences), by own time, grouped by input shape")
        print("\n".join(report))


if __name__ == "__main__":
    if sys.argv[1:2] == ["split"]:  # mt_profile.py split MODEL INPUTS: one time split, as JSON
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        texts = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
        print(json.dumps(ct2_split(Path(sys.argv[2]), texts, sweep=sys.argv[4:5] == ["sweep"])))
