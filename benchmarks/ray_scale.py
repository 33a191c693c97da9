"""The Ray executor against the local one, and the driver's own ceiling.

Part 1 (executors): 20,000 distinct sentences through the fake engine with
a per-sentence delay standing in for a real model, with the local executor
and with Ray pools of 1 and 2 CPU workers (a private Ray started by the run,
as `translate sync --executor ray` does without --address). Each
configuration runs in its own process: start-up (Ray and the workers,
models loaded), translation time, sentences/s, speed-up over local, the
driver's peak RSS, and the CPU stall share (the share of the time in which
some task waited for a CPU, from Linux PSI: other work on the machine).

Part 2 (driver stress): the sentences of many synthetic articles (31 each)
through the same path with an engine that costs nothing (delay 0), in waves
of 500 articles as sync does: what the driver sustains per second (memory
lookups, masking, dispatch, results, memory writes), its CPU time per
sentence, and its peak RSS.

    .venv/bin/python benchmarks/ray_scale.py                         # both parts
    .venv/bin/python benchmarks/ray_scale.py --stress-articles 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cpu_share import stall_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SUBJECTS = ["The ministry", "The provincial governor", "A spokesman for the council", "The union", "Local farmers", "The World Bank", "Police"]
VERBS = ["said on Monday", "announced on Tuesday", "warned on Friday", "confirmed last week", "told reporters"]
OBJECTS = ["rice prices would rise", "the new road would open in March", "flood defences were being repaired", "school fees would be cut"]
PER_ARTICLE = 31
WAVE = 500


def sentence(n: int) -> str:
    return f"{SUBJECTS[n % 7]} {VERBS[n % 5]} that {OBJECTS[n % 4]} by {n} percent."


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def one(kind: str, actors: int, delay: float, sentences: int, articles: int, folder: Path) -> dict[str, float | int | str]:
    """Run one configuration in this process and return its figures."""
    from translate.languages import language
    from translate.mt.backends.fake import FakeEngine
    from translate.mt.decoding import DecodingConfig
    from translate.mt.jobs import EngineSpec, ExecutorSettings, create_executor
    from translate.mt.memory import TranslationMemory
    from translate.mt.service import translate_sentences
    from translate.workspace.setup import FAKE_MODEL

    config = DecodingConfig()
    spec = EngineSpec("fake", FAKE_MODEL, config, options=(("delay", delay),))
    settings = ExecutorSettings(kind=kind, cpu_actors=actors)
    wall0, stall0 = time.perf_counter(), stall_seconds()
    executor = create_executor(settings, lambda: FakeEngine(FAKE_MODEL, config, delay=delay, remember=False))
    en, km = language("en"), language("km")
    done = 0
    with TranslationMemory(folder / "memory.sqlite3") as memory:
        executor.start(spec)
        if kind == "local":
            executor.engine()  # type: ignore[attr-defined]  # loaded now, so start-up is comparable
        startup = time.perf_counter() - wall0
        work0, work_cpu0 = time.perf_counter(), cpu_seconds()
        if articles:
            for first in range(0, articles, WAVE):
                count = min(WAVE, articles - first) * PER_ARTICLE
                batch = [sentence(first * PER_ARTICLE + i) for i in range(count)]
                done += len(translate_sentences(batch, en, km, spec, executor, memory))
        else:
            done = len(translate_sentences([sentence(i) for i in range(sentences)], en, km, spec, executor, memory))
        work, work_cpu = time.perf_counter() - work0, cpu_seconds() - work_cpu0
        rows = memory.stats().machine
    executor.close()
    wall = time.perf_counter() - wall0
    return {
        "kind": kind if kind == "local" else f"ray x{actors}",
        "sentences": done,
        "rows": rows,
        "startup_s": round(startup, 2),
        "work_s": round(work, 2),
        "rate": round(done / work, 1),
        "driver_cpu_us": round(work_cpu / done * 1e6, 1),  # while translating, start-up left out
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "stall_pct": round(100 * (stall_seconds() - stall0) / wall, 1),
    }


def run_one(kind: str, actors: int, delay: float, sentences: int, articles: int) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--one", kind, str(actors), str(delay), str(sentences), str(articles), folder]
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{kind} x{actors} failed:\n{proc.stderr[-3000:]}")
        result: dict[str, float | int | str] = json.loads(proc.stdout.strip().splitlines()[-1])
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--delay", type=float, default=0.001, help="seconds per sentence of the stand-in model")
    parser.add_argument("--stress-articles", type=int, default=200000)
    parser.add_argument("--skip", choices=["executors", "stress"], help="leave out one part")
    parser.add_argument("--stress-with", nargs="+", choices=["local", "ray"], default=["local", "ray"], help="executors of the stress run")
    parser.add_argument("--one", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, actors, delay, sentences, articles, folder = args.one
        print(json.dumps(one(kind, int(actors), float(delay), int(sentences), int(articles), Path(folder))))
        return
    import os
    import platform

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; load average at start {os.getloadavg()[0]:.1f}")
    if args.skip != "executors":
        print(f"\nexecutors: {args.sentences} distinct sentences, fake engine sleeping {args.delay * 1000:g} ms per sentence, chunks of 256, 2 in flight per worker")
        rows = [run_one("local", 1, args.delay, args.sentences, 0), run_one("ray", 1, args.delay, args.sentences, 0), run_one("ray", 2, args.delay, args.sentences, 0)]
        base = float(rows[0]["rate"])
        print(f"{'executor':<10} {'start-up s':>10} {'work s':>8} {'sent/s':>8} {'speed-up':>8} {'driver MiB':>10} {'driver CPU us/sent':>18} {'CPU stall %':>11}")
        for row in rows:
            print(f"{row['kind']:<10} {row['startup_s']:>10} {row['work_s']:>8} {row['rate']:>8} {float(row['rate']) / base:>8.2f} {row['peak_mib']:>10} {row['driver_cpu_us']:>18} {row['stall_pct']:>11}")
            assert row["rows"] == args.sentences, row
    if args.skip != "stress":
        n = args.stress_articles
        print(f"\ndriver stress: {n} articles x {PER_ARTICLE} sentences = {n * PER_ARTICLE} distinct sentences, engine delay 0, waves of {WAVE} articles")
        rows = [run_one(kind, 1 if kind == "local" else 2, 0.0, 0, n) for kind in args.stress_with]
        print(f"{'executor':<10} {'sentences':>10} {'start-up s':>10} {'work s':>8} {'sent/s':>8} {'driver CPU us/sent':>18} {'driver MiB':>10} {'CPU stall %':>11}")
        for row in rows:
            print(f"{row['kind']:<10} {row['sentences']:>10} {row['startup_s']:>10} {row['work_s']:>8} {row['rate']:>8} {row['driver_cpu_us']:>18} {row['peak_mib']:>10} {row['stall_pct']:>11}")


if __name__ == "__main__":
    main()
