"""Fuzzy matches from a translation memory of 100,000 reviewed sentences: speed, build cost, recall.

The memory is made from the FLORES-200 dev sentences (English and Khmer):
each stored sentence is one of them with a few words changed, dropped or
swapped, so that many stored sentences resemble each other as a newsroom's
memory does. Queries are other edits of FLORES sentences (each has matches at
75 % or more) and unrelated sentences (most have none).

    .venv/bin/python benchmarks/tm_fuzzy.py                 # 100,000 entries, 300 queries
    .venv/bin/python benchmarks/tm_fuzzy.py --entries 20000 --queries 100 --no-recall

Prints the time to read the memory and build the index, its memory, the
milliseconds per sentence (mean, median, 95th percentile; wall clock and CPU
time, which a busy shared machine inflates less), and the recall against
scoring every stored sentence (the best match found, and all matches found).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate.mt.fuzzy import FuzzyIndex  # noqa: E402
from translate.mt.memory import ReviewedRecord, TranslationMemory  # noqa: E402

FLORES = ROOT.parent / "shared" / "data" / "flores200-dev"


def _flores() -> tuple[list[str], list[str]]:
    folder = FLORES if FLORES.is_dir() else Path("/work/shared/data/flores200-dev")
    english = (folder / "eng_Latn.dev").read_text(encoding="utf-8").splitlines()
    khmer = (folder / "khm_Khmr.dev").read_text(encoding="utf-8").splitlines()
    return english, khmer


def _edit(sentence: str, vocabulary: list[str], rng: random.Random, edits: int) -> str:
    words = sentence.split()
    for _ in range(edits):
        kind = rng.random()
        position = rng.randrange(len(words))
        if kind < 0.5:
            words[position] = rng.choice(vocabulary)
        elif kind < 0.75 and len(words) > 4:
            del words[position]
        else:
            other = rng.randrange(len(words))
            words[position], words[other] = words[other], words[position]
    return " ".join(words)


def build_memory(path: Path, entries: int, rng: random.Random) -> tuple[list[str], list[str]]:
    english, khmer = _flores()
    vocabulary = sorted({w for s in english for w in s.split()})
    records = []
    seen = set()
    while len(records) < entries:
        number = rng.randrange(len(english))
        source = _edit(english[number], vocabulary, rng, rng.randint(1, 4))
        if source in seen:
            continue
        seen.add(source)
        records.append(ReviewedRecord(source, "en", "km", khmer[number], "bench.po"))
    with TranslationMemory(path) as memory:
        for start in range(0, len(records), 10000):
            memory.put_reviewed(records[start : start + 10000])
    return english, vocabulary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--no-recall", action="store_true", help="skip scoring every entry (slow)")
    parser.add_argument("--recall", type=int, default=20, help="sentences whose matches are checked against scoring every entry")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "memory.sqlite3"
        started = time.perf_counter()
        english, vocabulary = build_memory(path, args.entries, rng)
        print(f"memory of {args.entries:,} reviewed sentences written in {time.perf_counter() - started:.1f} s")
        started, cpu = time.perf_counter(), time.process_time()
        with TranslationMemory(path, readonly=True) as memory:
            pairs = list(memory.reviewed_pairs("en", "km"))
        read, read_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        index = FuzzyIndex(pairs)
        built, built_cpu = time.perf_counter() - started, time.process_time() - cpu
        tracemalloc.start()
        FuzzyIndex(pairs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"read {len(pairs):,} pairs in {read:.2f} s ({read_cpu:.2f} s CPU); index of {len(index):,} built in"
            f" {built:.2f} s ({built_cpu:.2f} s CPU), {peak / 2**20:.0f} MiB"
        )
        similar = [_edit(english[rng.randrange(len(english))], vocabulary, rng, rng.randint(1, 3)) for _ in range(args.queries * 2 // 3)]
        unrelated = [" ".join(rng.sample(vocabulary, rng.randint(8, 25))) for _ in range(args.queries - len(similar))]
        queries = similar + unrelated
        times, cpu_times, results = [], [], []
        for query in queries:
            started, cpu = time.perf_counter(), time.process_time()
            results.append(index.lookup(query))
            times.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        with_match = sum(1 for r in results if r)
        for name, values in (("wall", times), ("CPU", cpu_times)):
            values.sort()
            print(
                f"lookup ({name}): mean {statistics.mean(values):.2f} ms, median {statistics.median(values):.2f} ms,"
                f" p95 {values[int(len(values) * 0.95) - 1]:.2f} ms, max {values[-1]:.2f} ms per sentence"
            )
        print(f"{with_match} of {len(queries)} sentences got matches; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if args.no_recall:
            return
        best = every = total = wanted = 0
        sample = queries[:: max(1, len(queries) // args.recall)]
        started = time.process_time()
        for query in sample:
            truth = index.lookup_all(query)
            found = index.lookup(query)
            if truth:
                wanted += 1
                best += bool(found) and found[0].score == truth[0].score
                every += sum(1 for m in truth if m in found)
                total += len(truth)
        slow = (time.process_time() - started) / len(sample) * 1000
        print(
            f"recall on {len(sample)} sentences ({wanted} with matches): best match found for {best} of {wanted},"
            f" {every} of the {total} best matches found; scoring every entry takes {slow:.0f} ms CPU per sentence"
        )


if __name__ == "__main__":
    main()
