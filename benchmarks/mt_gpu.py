"""GPU speed of the engines on a random-weight model of the NLLB-200-distilled-600M architecture.

Side by side, each in a fresh process, on the same sentences (43 tokens in,
48 out, beam 4, as ``mt_speed.py``):

- ``gpu-baseline``: transformers fp32 on the GPU, ``generate`` in batches of 16
  in input order (what a typical script does);
- ``gpu-hf-engine``: the project's transformers engine on the GPU (bf16, or
  fp16 where bf16 is not supported; batches up to its GPU limits, 256
  sentences and 32,768 tokens), and ``gpu-hf-engine-32`` with the CPU limits
  (32 sentences, 4,096 tokens);
- ``gpu-ct2-fp16``, ``gpu-ct2-int8fp16``, ``gpu-ct2-int8fp16-vmap``: the
  CTranslate2 engine on the GPU, float16 and int8_float16, the last with the
  Khmer vocabulary map.

Prints sentences/s, tokens/s, the GPU memory the process held at its peak
(NVML, read every 20 ms) and the ratio to the baseline. A setting that cannot
run says why (for instance a CTranslate2 wheel built for another CUDA).

Usage::

    python benchmarks/mt_gpu.py [--sentences 150] [--repeat 4] [--shared ../shared] [--json-out FILE]

``--shared`` is the folder holding ``samples/`` and ``data/flores200-dev/``
(used to build the model's tokenizer and to pick the sentences).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mt_settings
import random_nllb
from mt_settings import (
    BEAM,
    OUTPUT_TOKENS,
    ROOT,
    SRC,
    TGT,
    Rates,
    Setting,
)

RESULT = "RESULT "
SETTINGS = {
    s.name: s
    for s in (
        Setting("gpu-baseline", "transformers fp32 on the GPU, generate(num_beams=4) in batches of 16", "baseline"),
        Setting("gpu-hf-engine-32", "create_engine('transformers') on the GPU (bf16) with the CPU batch limits (32 sentences, 4,096 tokens)",
                "transformers", {"device": "cuda", "batch_tokens": 4096, "max_batch_size": 32}),
        Setting("gpu-hf-engine", "create_engine('transformers') on the GPU (bf16), its GPU batch limits (256 sentences, 32,768 tokens)",
                "transformers", {"device": "cuda"}),
        Setting("gpu-ct2-fp16", "create_engine('ctranslate2') float16 on the GPU", "ctranslate2",
                {"device": "cuda", "compute_type": "float16", "restrict_vocabulary": False}),
        Setting("gpu-ct2-int8fp16", "CTranslate2 int8_float16 on the GPU", "ctranslate2",
                {"device": "cuda", "compute_type": "int8_float16", "restrict_vocabulary": False}),
        Setting("gpu-ct2-int8fp16-vmap", "CTranslate2 int8_float16 + Khmer vocabulary map", "ctranslate2",
                {"device": "cuda", "compute_type": "int8_float16", "restrict_vocabulary": True}),
    )
}


@dataclass(frozen=True)
class GpuMeasurement(Rates):
    setting: str
    sentences: int
    seconds: float
    output_tokens: int
    load_s: float
    gpu_peak_mib: float
    note: str = ""


class GpuMemory:
    """The peak GPU memory in use while it runs, less what was in use when it started (NVML)."""

    def __init__(self) -> None:
        import pynvml

        pynvml.nvmlInit()
        self._nvml = pynvml
        self._handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        self._start = self._used()
        self.peak = self._start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _used(self) -> float:
        return float(self._nvml.nvmlDeviceGetMemoryInfo(self._handle).used) / 2**20

    def _poll(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self._used())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak - self._start


def worker(name: str, folder: Path, inputs: Path) -> None:
    """Measure one setting in this process and print its result line."""
    setting = SETTINGS[name]
    sentences = json.loads(inputs.read_text(encoding="utf-8"))
    memory = GpuMemory()
    start = time.perf_counter()
    runner: Any = mt_settings.Baseline(folder, "cuda") if setting.backend == "baseline" else mt_settings.EngineRunner(setting, folder)
    runner.translate(sentences[:2])
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    texts, _ = runner.translate(sentences)
    seconds = time.perf_counter() - start
    peak = memory.stop()
    empty = sum(not t for t in texts)
    note = f"{empty} empty outputs" if empty else ""
    engine = getattr(runner, "engine", None)
    if engine is not None:
        note = (note + "; " if note else "") + f"device {getattr(engine, 'device', '?')}, {getattr(engine, 'compute_type', '') or next(engine.network.parameters()).dtype}"
    result = GpuMeasurement(name, len(sentences), seconds, len(sentences) * OUTPUT_TOKENS, load_s, peak, note)
    print(RESULT + json.dumps(asdict(result)), flush=True)


def run(name: str, folder: Path, inputs: Path, timeout: float) -> GpuMeasurement | str:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, str(folder), str(inputs)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return GpuMeasurement(**json.loads(line[len(RESULT) :]))
    tail = [line for line in (done.stderr or done.stdout).strip().splitlines() if line.strip()][-2:]
    return f"failed (exit {done.returncode}): " + " | ".join(tail)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", nargs=3, metavar=("SETTING", "MODEL", "INPUTS"), help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, default=random_nllb.DEFAULT_OUT, help="random NLLB-600M folder (built if missing)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="folder with samples/ and data/flores200-dev/")
    parser.add_argument("--sentences", type=int, default=150, help="distinct sentences (at most about 157 exist)")
    parser.add_argument("--repeat", type=int, default=4, help="each sentence is translated this many times (bigger GPU batches)")
    parser.add_argument("--settings", help="comma-separated settings (default: all)")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--json-out", type=Path)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return
    import mt_speed
    import torch

    print(f"GPU: {torch.cuda.get_device_name(0)}; torch {torch.__version__}", flush=True)
    random_nllb.SHARED, random_nllb.FLORES = args.shared, args.shared / "data" / "flores200-dev"
    start = time.perf_counter()
    folder = random_nllb.build(args.model)
    print(f"model: {folder} ({time.perf_counter() - start:.0f} s)", flush=True)
    sentences = mt_speed.benchmark_sentences(folder, args.sentences, args.shared / "samples", args.shared / "data" / "flores200-dev" / "eng_Latn.dev")
    inputs = folder.parent / "gpu-inputs.json"
    inputs.write_text(json.dumps(sentences * args.repeat), encoding="utf-8")
    names = args.settings.split(",") if args.settings else list(SETTINGS)
    results: dict[str, GpuMeasurement | str] = {}
    if any(SETTINGS[n].backend == "ctranslate2" for n in names):
        start = time.perf_counter()
        try:
            converted = mt_settings.ensure_conversion(folder, "float16")
            print(f"conversion: {converted} ({time.perf_counter() - start:.0f} s)", flush=True)
        except Exception as error:  # noqa: BLE001  (the table says why the CTranslate2 rows are missing)
            for n in names:
                if SETTINGS[n].backend == "ctranslate2":
                    results[n] = f"conversion failed: {error}"
    for name in names:
        if name not in results:
            results[name] = run(name, folder, inputs, args.timeout)
            print(f"  {name}: {results[name] if isinstance(results[name], str) else 'done'}", flush=True)
    base = results.get("gpu-baseline")
    print(f"\n{len(sentences)} sentences x {args.repeat} = {len(sentences) * args.repeat} inputs, {OUTPUT_TOKENS} tokens out each, beam {BEAM}, {SRC} -> {TGT}")
    print("| setting | sentences/s | tokens/s | GPU MiB (peak) | load s | x baseline | note |\n| --- | --- | --- | --- | --- | --- | --- |")
    for name in names:
        result = results[name]
        if isinstance(result, str):
            print(f"| {name} | — | — | — | — | — | {result} |")
            continue
        ratio = f"{result.sentences_per_s / base.sentences_per_s:.2f}" if isinstance(base, GpuMeasurement) else "—"
        print(f"| {name} | {result.sentences_per_s:.1f} | {result.tokens_per_s:.0f} | {result.gpu_peak_mib:.0f} | {result.load_s:.1f} | {ratio} | {result.note} |")
    if args.json_out:
        args.json_out.write_text(json.dumps({n: r if isinstance(r, str) else asdict(r) for n, r in results.items()}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
