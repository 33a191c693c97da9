"""How `translate sync` scales with the number of articles (fake engine).

For each size, a fresh workspace of generated news articles (Markdown, plain
text and HTML in turn, ~30 sentences each) in two target languages is synced
by a real `translate sync` process; wall time, peak RSS (from the kernel's
rusage of that process) and the time of each phase (from `--json`) are
printed side by side with per-article ratios, followed by a second run with
nothing changed. With `--profile`, the largest size is also run in-process
under cProfile and the most expensive functions are listed.

With `--against CHECKOUT`, each size is synced by this checkout's code and by
the other checkout's (another worktree of the project) at the same time, one
process per core, on two copies of one workspace, `--repeat` times: both
feel the same disturbance from the rest of the machine, so the CPU-time ratio
holds where the figures of runs one after the other drift by a fifth. The
outputs of the two are compared byte for byte.

    .venv/bin/python benchmarks/sync_scale.py                     # 250 500 1000 2000
    .venv/bin/python benchmarks/sync_scale.py --sizes 100 200 --profile
    .venv/bin/python benchmarks/sync_scale.py --sizes 300 --against ../before   # git worktree add ../before <rev>
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import cpu_share  # noqa: E402

PROVINCES = ["Kampot", "Takeo", "Kandal", "Battambang", "Siem Reap", "Kratie", "Pursat", "Kep", "Koh Kong", "Preah Vihear"]
SUBJECTS = ["The ministry", "The provincial governor", "A spokesman for the council", "The union", "Local farmers", "The World Bank", "Police"]
VERBS = ["said on Monday", "announced on Tuesday", "warned on Friday", "confirmed last week", "told reporters", "wrote in a statement"]
OBJECTS = ["rice prices would rise", "the new road would open in March", "flood defences were being repaired", "school fees would be cut", "exports had grown"]
PARAGRAPHS = 10  # of three sentences, plus the title: 31 sentences per article
LANGS = ("km", "th")


def write_article(folder: Path, index: int) -> int:
    """One generated article; returns its number of sentences."""
    rng = random.Random(index)

    def sentence(n: int) -> str:
        return f"{rng.choice(SUBJECTS)} in {rng.choice(PROVINCES)} {rng.choice(VERBS)} that {rng.choice(OBJECTS)} by {n} percent."

    paras = [" ".join(sentence(index * 1000 + p * 10 + s) for s in range(3)) for p in range(PARAGRAPHS)]
    kind = index % 3
    if kind == 0:
        text = f"---\ntitle: Story {index} from {rng.choice(PROVINCES)}\ndate: 2026-11-26\n---\n\n" + "\n\n".join(paras) + "\n"
        name = f"story-{index:05d}.md"
    elif kind == 1:
        text = f"Story {index} about {rng.choice(PROVINCES)}\n\n" + "\n\n".join(paras) + "\n"
        name = f"story-{index:05d}.txt"
    else:
        text = f"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Story {index}</title></head>\n<body>\n" + "".join(f"<p>{p}</p>\n" for p in paras) + "</body></html>\n"
        name = f"story-{index:05d}.html"
    sub = folder / f"{index // 500:02d}"
    sub.mkdir(parents=True, exist_ok=True)
    (sub / name).write_text(text, encoding="utf-8")
    return 1 + 3 * len(paras)


def make_workspace(root: Path, articles: int) -> int:
    root.mkdir(parents=True)
    sentences = sum(write_article(root / "articles", i) for i in range(articles))
    (root / "translate.toml").write_text(
        '[workspace]\nsources = ["articles/**/*.md", "articles/**/*.txt", "articles/**/*.html"]\n'
        f'languages = {json.dumps(list(LANGS))}\nengine = "fake"\noutput = "site"\n',
        encoding="utf-8",
    )
    return sentences


@dataclass
class Sync:
    """A running `translate -q sync --json` process; stdout and stderr go to files (a full pipe would block it)."""

    proc: subprocess.Popen
    out: IO[bytes]
    err: IO[bytes]
    started: float

    @classmethod
    def start(cls, root: Path, code: Path | None = None) -> Sync:
        """Sync ``root`` with the package of ``code`` (default: this checkout's)."""
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1764149400"}
        if code is not None:
            env["PYTHONPATH"] = str(code)
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
        proc = subprocess.Popen([sys.executable, "-m", "translate", "-q", "sync", "--json"], cwd=root, env=env, stdout=out, stderr=err)
        return cls(proc, out, err, time.perf_counter())

    def finish(self) -> tuple[float, float, int, dict]:
        """Wall seconds, CPU seconds (user + system), peak RSS in MiB and the JSON report; stops the benchmark if the sync failed."""
        _, status, usage = os.wait4(self.proc.pid, 0)  # the rusage of exactly this child
        wall = time.perf_counter() - self.started
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        self.out.seek(0), self.err.seek(0)
        out, err = self.out.read(), self.err.read()
        self.out.close(), self.err.close()
        if self.proc.returncode != 0:
            raise SystemExit(f"sync failed ({self.proc.returncode}): {err.decode(errors='replace')[-2000:]}")
        if err.strip():
            print(f"sync wrote {len(err)} bytes to stderr; the last: {err.decode(errors='replace')[-300:]}", file=sys.stderr)
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, json.loads(out)


def run_sync(root: Path) -> tuple[float, float, int, dict, cpu_share.Share]:
    """Wall seconds, CPU seconds (user + system), peak RSS in MiB, the JSON report of one `translate sync`, and other work's share of the CPUs."""
    watch = cpu_share.Watch()
    wall, cpu, rss, report = Sync.start(root).finish()
    return wall, cpu, rss, report, watch.stop(cpu)


def _same_tree(a: Path, b: Path) -> bool:
    """Whether two workspaces hold the same files with the same bytes (the sync's own state folder aside)."""
    compared = filecmp.dircmp(a, b, ignore=[".translate"])
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(a / d, b / d) for d in compared.common_dirs)


def against(sizes: list[int], other: Path, repeat: int, base: Path) -> None:
    """Sync each size with this checkout and ``other`` side by side; print CPU seconds and their ratio."""
    other = other.resolve()
    if not (other / "translate" / "__init__.py").is_file():
        raise SystemExit(f"{other}: not a checkout of the project (no translate/__init__.py)")
    print(f"translate sync side by side: this checkout ({ROOT}) and {other}; fake engine, {len(LANGS)} languages, {os.cpu_count()} CPUs")
    print()
    table = [["articles", "run", "cpu s this", "cpu s other", "this/other", "2nd run s this", "2nd run s other", "same output"]]
    ratios: dict[int, list[float]] = {}
    for size in sizes:
        for run in range(1, repeat + 1):
            here, there = base / f"this-{size}-{run}", base / f"other-{size}-{run}"
            make_workspace(here, size)
            shutil.copytree(here, there)
            first = [s.finish() for s in [Sync.start(here), Sync.start(there, other)]]
            second = [s.finish() for s in [Sync.start(here), Sync.start(there, other)]]
            for one, two, root in zip(first, second, (here, there)):
                assert one[3]["articles"]["updated"] == size, (root, one[3]["articles"])
                assert two[3]["articles"]["unchanged"] == size, (root, two[3]["articles"])
            same = _same_tree(here, there)
            ratio = first[0][1] / first[1][1]
            ratios.setdefault(size, []).append(ratio)
            table.append([str(size), str(run), f"{first[0][1]:.1f}", f"{first[1][1]:.1f}", f"{ratio:.3f}", f"{second[0][0]:.2f}", f"{second[1][0]:.2f}", "yes" if same else "NO"])
            print(f"{size} articles, run {run}: CPU {first[0][1]:.1f} s here, {first[1][1]:.1f} s there", file=sys.stderr, flush=True)
            shutil.rmtree(here), shutil.rmtree(there)
    _print(table)
    for size, values in ratios.items():
        print(f"{size} articles: CPU this/other median {statistics.median(values):.3f} over {len(values)} paired runs (range {min(values):.3f}-{max(values):.3f})")


def profile(root: Path, top: int = 25) -> None:
    import cProfile
    import pstats

    sys.path.insert(0, str(ROOT))
    from translate.workspace.config import load_config
    from translate.workspace.sync import sync

    profiler = cProfile.Profile()
    profiler.enable()
    sync(load_config(root / "translate.toml"))
    profiler.disable()
    print(f"\nprofile of a first sync of {root.name} (cumulative, top {top}):")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000])
    parser.add_argument("--profile", action="store_true", help="profile a first sync of the smallest size in-process")
    parser.add_argument("--keep", type=Path, help="keep the workspaces in this folder")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT", help="sync side by side with the code of another checkout of the project")
    parser.add_argument("--repeat", type=int, default=3, help="paired runs per size with --against (default 3)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="sync-scale-")) if args.keep is None else args.keep
    rows = []
    try:
        if args.against is not None:
            against(args.sizes, args.against, args.repeat, base)
            return
        for size in args.sizes:
            root = base / f"ws-{size}"
            sentences = make_workspace(root, size)
            wall, cpu, rss, report, share = run_sync(root)
            assert report["articles"]["updated"] == size, report["articles"]
            wall2, _, rss2, report2, share2 = run_sync(root)
            assert report2["articles"]["unchanged"] == size, report2["articles"]
            rows.append((size, sentences, wall, cpu, rss, report, wall2, rss2, share, share2))
            print(f"{size} articles done: {wall:.1f} s, CPU {cpu:.1f} s, {rss} MiB; second run {wall2:.2f} s; other work {share.other_percent:.0f} %", file=sys.stderr, flush=True)
        print_results(rows)
        if args.profile:
            root = base / f"profile-{args.sizes[0]}"
            make_workspace(root, args.sizes[0])
            profile(root)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def _print(table: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        print("  ".join(c.rjust(w) for c, w in zip(r, widths)))


PHASES = ["scan", "extract", "model load", "translate", "check", "publish", "state"]


def print_results(rows: list) -> None:
    first = rows[0]
    print(f"translate sync, fake engine, {len(LANGS)} languages ({', '.join(LANGS)}), {1 + 3 * PARAGRAPHS} sentences per article, {os.cpu_count()} CPUs")
    print()
    # memory: the slope between the smallest and the largest size, and what is left at zero articles
    slope = (rows[-1][4] - first[4]) / (rows[-1][0] - first[0]) if len(rows) > 1 else 0.0
    base = first[4] - slope * first[0]
    table = [["articles", "sentences", "wall s", "ms/article", "x time", "x articles", "cpu s", "cpu ms/article", "peak MiB", "KiB/article above base",
              "2nd run s", "2nd MiB", "other %", "stall %"]]
    refused = []
    for size, sentences, wall, cpu, rss, _report, wall2, rss2, share, share2 in rows:
        if share.disturbed or share2.disturbed:
            why = cpu_share.refusal(share.other_percent, share.stall_percent) or cpu_share.refusal(share2.other_percent, share2.stall_percent)
            refused.append(f"{size} articles: {why}")
            table.append([str(size), str(sentences), *["-"] * 10, f"{share.other_percent:.0f}/{share2.other_percent:.0f}", f"{share.stall_percent:.0f}/{share2.stall_percent:.0f}"])
            continue
        table.append(
            [
                str(size), str(sentences), f"{wall:.1f}", f"{wall / size * 1000:.1f}", f"{wall / first[2]:.2f}", f"{size / first[0]:.2f}",
                f"{cpu:.1f}", f"{cpu / size * 1000:.1f}", str(rss), f"{(rss - base) * 1024 / size:.0f}", f"{wall2:.2f}", str(rss2),
                f"{share.other_percent:.0f}/{share2.other_percent:.0f}", f"{share.stall_percent:.0f}/{share2.stall_percent:.0f}",
            ]
        )
    _print(table)
    for line in refused:
        print(line)
    print("(other %: share of all CPUs other processes took during the first/second run; stall %: share of the time some task waited for a CPU)")
    print(f"(peak memory: {base:.0f} MiB at zero articles + {slope * 1024:.0f} KiB per article, from the smallest and largest sizes)")
    print()
    phases = [p for p in PHASES if any(p in row[5]["timings"] for row in rows)]
    print("where the time goes (seconds per phase, from --json; ms per article in brackets; other = start-up and reporting):")
    table = [["articles", *phases, "other"]]
    for size, _s, wall, _cpu, _rss, report, _w2, _r2, share, _s2 in rows:
        if share.disturbed:
            continue
        timings = report["timings"]
        other = wall - sum(timings.values())
        table.append([str(size), *[f"{timings.get(p, 0):.1f} ({timings.get(p, 0) / size * 1000:.1f})" for p in phases], f"{other:.1f}"])
    _print(table)


if __name__ == "__main__":
    main()
