"""Machine-translation speed: the transformers baseline against the project's engines, in one run.

On ~100 English news sentences (the sample articles, topped up with FLORES-200
dev sentences), every input exactly 43 tokens and every output exactly 48
tokens (forced: the model has random weights, see ``random_nllb.py``), beam 4,
it measures for each setting, each in a fresh process: sentences/s, output
tokens/s, peak resident memory, import and load time, and the ratio to the
baseline measured in the same run. Then it runs ``translate run`` end to end
over an article made of the same sentences with the fastest engine and splits
its time into machine translation and everything else.

Usage::

    python benchmarks/mt_speed.py [--sentences 100] [--settings baseline,ct2-int8-vmap] [--quick]
    python benchmarks/mt_speed.py --profile ct2-int8-vmap

Settings (see ``mt_settings.py``): baseline, hf-engine, ct2-int8, ct2-int8-vmap,
ct2-int8-2x1, ct2-int8-vmap-2x1, the batch sizes ct2-int8-vmap-b16/-b24/-b64, the
oneDNN rows ct2-int8-vmap-dnnl and ct2-int8-vmap-b16-dnnl, ct2-int8bf16-vmap,
ct2-float32; the ct2 ones are skipped with a
note when the project has no CTranslate2 backend. The baseline, hf-engine and ct2-float32 are
slow and measure the first 32 sentences only (rates are per sentence).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cpu_share
import mt_e2e
import random_nllb
from mt_settings import (
    INPUT_TOKENS,
    OUTPUT_TOKENS,
    RESULT_PREFIX,
    ROOT,
    SETTINGS,
    Measurement,
    ctranslate2_available,
)

SHARED = ROOT.parent / "shared"
HERE = Path(__file__).resolve().parent
WORD_MARK = "\u2581"  # SentencePiece's word-start mark
TARGET_RATE = 5.0  # sentences/s
TARGET_SPEEDUP = 13.0  # x the transformers fp32 baseline
TARGET_RSS_MIB = 1536.0  # 1.5 GiB
TARGET_OVERHEAD = 0.05  # non-MT share of an end-to-end run


# --------------------------------------------------------------------------- inputs


def candidate_sentences(samples: Path, flores: Path) -> Iterator[str]:
    """English news sentences: the sample articles' (as ``translate`` segments them), then FLORES-200 dev lines."""
    from translate.load import load_article

    for sample in sorted(samples.glob("*.txt")):
        for segment in load_article(sample).segments():
            yield segment.msgid
    yield from (line.strip() for line in flores.read_text(encoding="utf-8").splitlines() if line.strip())


def fit(text: str, encode: Callable[[str], list[str]], pieces: int = INPUT_TOKENS - 2, whole_words: bool = True) -> str | None:
    """``text`` as exactly ``pieces`` pieces (plus language code and ``</s>``), or None.

    A longer sentence is cut and ended with a full stop: before a word, or with
    ``whole_words=False`` anywhere. The result must start like a sentence and
    end one, also before another sentence (a cut such as ``res.`` can read as
    an abbreviation).
    """
    from translate.segment import split_sentences

    tokens = encode(text)
    if len(tokens) < pieces or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'“‘("):
        return None
    if len(tokens) == pieces and text[-1] in ".!?\"'”’)":
        candidate = text
    elif len(tokens) > pieces and (tokens[pieces - 1].startswith(WORD_MARK) or not whole_words):
        candidate = "".join(tokens[: pieces - 1]).replace(WORD_MARK, " ").strip().rstrip(",;:-–") + "."
    else:
        return None
    if len(encode(candidate)) == pieces and len(split_sentences(candidate + " The next one.")) == 2:
        return candidate
    return None


def benchmark_sentences(folder: Path, count: int, samples: Path, flores: Path) -> list[str]:
    """``count`` distinct sentences of exactly ``INPUT_TOKENS`` tokens for the model in ``folder``.

    Sentences cut before a word come first; sentences cut inside a word only
    make up the number.
    """
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))

    def encode(text: str) -> list[str]:
        return tokenizer.encode(text, add_special_tokens=False).tokens

    texts = list(candidate_sentences(samples, flores))
    chosen: dict[str, None] = {}
    rejected: set[str] = set()
    for whole_words in (True, False):
        for text in texts:
            fitted = fit(text, encode, whole_words=whole_words)
            if fitted is None or fitted in rejected:
                continue
            chosen[fitted] = None
            if len(chosen) == count:
                wrong = article_mismatch(list(chosen))
                if wrong is None:
                    return list(chosen)
                rejected.add(list(chosen)[wrong])  # it runs into the next sentence: leave it out
                del chosen[list(chosen)[wrong]]
    raise SystemExit(f"only {len(chosen)} sentences of {INPUT_TOKENS} tokens found; ask for fewer with --sentences")


def article_mismatch(sentences: list[str]) -> int | None:
    """The index of the first sentence that the end-to-end article does not segment as given, or None."""
    from translate.load import load_article

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.txt"
        path.write_text(mt_e2e.article_text(sentences), encoding="utf-8")
        found = [segment.msgid for segment in load_article(path).segments()]
    if found == sentences:
        return None
    return next((i for i, (f, s) in enumerate(zip(found, sentences)) if f != s), min(len(found), len(sentences) - 1))


# --------------------------------------------------------------------------- running settings


def clean_env() -> dict[str, str]:
    """The environment for the workers: CT2_USE_MKL only where a setting sets it."""
    env = {k: v for k, v in os.environ.items() if k != "CT2_USE_MKL"}
    env["TOKENIZERS_PARALLELISM"] = "false"
    return env


def run_setting(name: str, folder: Path, inputs: Path, timeout: float) -> Measurement | str:
    """Measure one setting in a fresh process; the measurement, or why it failed."""
    command = [sys.executable, str(HERE / "mt_settings.py"), name, str(folder), str(inputs)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env={**clean_env(), **SETTINGS[name].env}, check=False)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return Measurement(**json.loads(line[len(RESULT_PREFIX):]))
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return f"failed (exit {done.returncode}): " + " | ".join(tail)


def measure_quietly(name: str, folder: Path, inputs: Path, args: argparse.Namespace) -> Measurement | str:
    """Run a setting after waiting for quiet CPUs; again (up to ``--retries``) when other work disturbed it."""
    best: Measurement | str = "not run"
    for attempt in range(1 + args.retries):
        print(f"  {name}: {wait_for_quiet(args.wait_quiet)}", flush=True)
        result = run_setting(name, folder, inputs, args.timeout)
        if isinstance(result, str):
            return result
        if isinstance(best, str) or max(result.stall_percent, result.other_percent) < max(best.stall_percent, best.other_percent):
            best = result
        if result.refused is None:
            break
        print(f"  {name}: {result.sentences_per_s:.3f} sentences/s but {result.refused}", flush=True)
    return best


def prepare_conversion(folder: Path, timeout: float) -> str:
    """Convert the model to CTranslate2 int8 once (in its own process); where it is.

    The float32 setting loads the int8 conversion as float32 (the engine's
    fallback): the same float32 computation as a float32 conversion.
    """
    command = [sys.executable, str(HERE / "mt_settings.py"), "--convert", "int8", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=clean_env(), check=False)
    if done.returncode != 0:
        return "failed: " + " | ".join(done.stderr.strip().splitlines()[-3:])
    return done.stdout.strip()


@dataclass(frozen=True)
class EndToEnd:
    """``translate run`` over one article: wall time outside, timings inside."""

    setting: str
    wall_s: float
    timings: mt_e2e.Timings
    output: Path
    spawned_at: float  # time.time() before starting the process
    exited_at: float  # time.time() after it exited
    other_percent: float = 0.0  # share of all CPUs other processes took meanwhile (cpu_share.py)
    stall_percent: float = 0.0

    @property
    def refused(self) -> str | None:
        return cpu_share.refusal(self.other_percent, self.stall_percent)

    @property
    def overhead_s(self) -> float:
        return self.wall_s - self.timings.engine_s

    @property
    def overhead_share(self) -> float:
        return self.overhead_s / self.wall_s


def run_end_to_end(setting_name: str, folder: Path, sentences: Sequence[str], work: Path, timeout: float) -> EndToEnd | str:
    """``translate run`` (the click command line, in a fresh process) over an article of ``sentences``."""
    from mt_settings import BEAM

    setting = SETTINGS[setting_name]
    article = work / "bench-article.txt"
    article.write_text(mt_e2e.article_text(list(sentences)), encoding="utf-8")
    decoding = {"beam_size": BEAM, "retry": False, "max_new_tokens_factor": 1e-6, "max_new_tokens_extra": OUTPUT_TOKENS, **setting.decoding}
    (work / "translate.toml").write_text(mt_e2e.decoding_toml(decoding), encoding="utf-8")
    report = work / "e2e.json"
    offered = setting.backend in mt_e2e.cli_backends()
    args = ["--locales", str(work / "locales"), "run", str(article), "--to", "km", "--model", str(folder),
            "--backend", setting.backend if offered else "transformers", "--memory", str(work / "memory.sqlite3"),
            "-o", str(work / "out"), "--config", str(work / "translate.toml")]
    swap = [] if offered else ["--engine", setting.backend]
    if swap:
        print(f"  note: translate run has no --backend {setting.backend} yet: it runs with --backend transformers "
              f"and the {setting.backend} engine swapped in at load time")
    start, spawned_at = time.perf_counter(), time.time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    watch = cpu_share.Watch()
    try:
        done = subprocess.run([sys.executable, str(HERE / "mt_e2e.py"), str(report), *swap, "--", *args], cwd=work,
                              capture_output=True, text=True, timeout=timeout, env={**clean_env(), **setting.env}, check=False)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    share = watch.stop(after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime)
    if done.returncode != 0 or not report.is_file():
        return f"failed (exit {done.returncode}): " + " | ".join(done.stderr.strip().splitlines()[-3:])
    timings = mt_e2e.Timings(**json.loads(report.read_text(encoding="utf-8")))
    return EndToEnd(setting_name, wall, timings, work / "out" / "bench-article.km.txt", spawned_at, time.time(), share.other_percent, share.stall_percent)


# --------------------------------------------------------------------------- reporting

LEGEND = """
sentences/s, tokens/s: steady state (after a 2-sentence warm-up), output tokens = 48 per sentence.
peak RSS: VmHWM of the setting's own process; ready RSS: its VmRSS after the warm-up (libraries
and model loaded; the difference to the peak is the decoding workspace).
import s: importing torch + transformers (or ctranslate2); load s: creating the engine after
that, and loading what it loads on first use (the CTranslate2 engine reads NLLB's SentencePiece
model and loads its translator on first use); warm-up s: the first 2 sentences.
CPU %: the process's CPU time over the translation's wall time (200 = both cores busy).
other %: share of all CPUs that other processes took meanwhile (/proc/stat busy time less the
process's own); above 10 % (or stall above 10 %) the row's figures are not reported.
stall %: share of that time in which some task waited for a CPU (/proc/pressure/cpu): above a
few %, other work disturbed the figure."""


def cpu_info() -> dict[str, str]:
    """The first processor's fields in /proc/cpuinfo."""
    info: dict[str, str] = {}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if not line.strip():
            break
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def machine() -> str:
    """CPU model, cores and library versions."""
    info = cpu_info()
    model = f"{info.get('model name', 'unknown CPU')} [{info.get('vendor_id', '?')} family {info.get('cpu family', '?')} model {info.get('model', '?')}]"
    flags = set(info.get("flags", "").split())
    features: list[str] = [f for f in ("avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8") if f in flags] or ["no AVX-512"]
    cores = len(os.sched_getaffinity(0))
    versions = []
    for package in ("ctranslate2", "torch", "transformers", "tokenizers"):
        try:
            versions.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            versions.append(f"{package} not installed")
    return f"{model} ({', '.join(features)}), {cores} cores usable, {os.cpu_count()} online; Python {sys.version.split()[0]}; " + ", ".join(versions)


def table(results: dict[str, Measurement | str], baseline: Measurement | None) -> str:
    """The results as a Markdown table."""
    rows = ["| setting | sentences | sentences/s | tokens/s | peak RSS MiB | ready RSS MiB | import s | load s | warm-up s | x baseline | CPU % | other % | stall % | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, result in results.items():
        if isinstance(result, str):
            rows.append(f"| {name} | | | | | | | | | | | | | {result} |")
            continue
        if result.refused:
            rows.append(f"| {name} | {result.sentences} | | | | | | | | | {result.cpu_percent:.0f} | {result.other_percent:.0f} | {result.stall_percent:.0f} | {result.refused} |")
            continue
        ratio = f"{result.sentences_per_s / baseline.sentences_per_s:.2f}" if baseline else "-"
        rows.append(f"| {name} | {result.sentences} | {result.sentences_per_s:.3f} | {result.tokens_per_s:.1f} | "
                    f"{result.peak_rss_mib:.0f} | {result.ready_rss_mib:.0f} | {result.import_s:.2f} | {result.load_s:.2f} | {result.warmup_s:.2f} | {ratio} | {result.cpu_percent:.0f} | {result.other_percent:.0f} | {result.stall_percent:.0f} | {result.note} |")
    return "\n".join(rows)


def end_to_end_report(e2e: EndToEnd, rate: float | None) -> str:
    """The split of an end-to-end run."""
    t = e2e.timings
    start_up = t.started_at - e2e.spawned_at
    exiting = e2e.exited_at - t.finished_at
    other = t.total_s - (t.imports_s + t.load_s + t.engine_s + t.extract_s + t.catalog_write_s + t.publish_s)
    fixed = start_up + exiting + t.imports_s + t.load_s + t.extract_s + t.publish_s  # grows little with the sentence count
    lines = [
        f"translate run --backend {SETTINGS[e2e.setting].backend} ({e2e.setting}), {t.sentences} sentences: {e2e.wall_s:.2f} s wall",
        f"  engine.translate (MT)          {t.engine_s:7.2f} s  ({t.sentences / t.engine_s:.2f} sentences/s"
        + f", CPU {100 * t.engine_cpu_s / t.engine_s:.0f} %, stall {100 * t.engine_stall_s / t.engine_s:.0f} %"
        + (f"; the same setting measured alone: {rate:.2f})" if rate else ")"),
        f"  interpreter start-up           {start_up:7.2f} s",
        f"  process exit (freeing memory)  {exiting:7.2f} s",
        f"  imports (translate, click...)  {t.imports_s:7.2f} s",
        f"  engine load (imports + model)  {t.load_s:7.2f} s",
        f"  extraction (read, segment, .pot/.po) {t.extract_s:5.2f} s",
        f"  catalog writes (suggestions)   {t.catalog_write_s:7.2f} s",
        f"  publish                        {t.publish_s:7.2f} s",
        f"  other (memory, provenance...)  {other:7.2f} s",
        f"  fixed costs (start-up, exit, imports, load, extraction, publish) {fixed:.2f} s",
        (f"  non-MT overhead: {e2e.overhead_s:.2f} s = {100 * e2e.overhead_share:.1f} % of the run"
         f" ({100 * (e2e.overhead_s - t.load_s) / e2e.wall_s:.1f} % without the engine load)"),
        f"  other work: {e2e.other_percent:.0f} % of the CPUs, stall {e2e.stall_percent:.0f} %",
    ]
    if e2e.refused:
        return f"translate run ({e2e.setting}): {e2e.refused}"
    return "\n".join(lines)


def targets(results: dict[str, Measurement | str], baseline: Measurement | None, e2e: EndToEnd | str | None) -> str:
    """Whether the issue's targets are met, by the fastest engine setting."""
    engines = {n: r for n, r in results.items() if isinstance(r, Measurement) and n != "baseline" and not r.refused}
    if not engines:
        return "targets: nothing measured (or every figure refused)"
    best = max(engines.values(), key=lambda r: r.sentences_per_s)
    lines = [f"targets, by the fastest setting ({best.setting}):"]

    def check(label: str, ok: bool, detail: str) -> None:
        lines.append(f"  [{'met' if ok else 'NOT met'}] {label}: {detail}")

    check(f">= {TARGET_RATE:g} sentences/s", best.sentences_per_s >= TARGET_RATE, f"{best.sentences_per_s:.2f}")
    if baseline is not None:
        speedup = best.sentences_per_s / baseline.sentences_per_s
        check(f">= {TARGET_SPEEDUP:g}x the baseline", speedup >= TARGET_SPEEDUP, f"{speedup:.1f}x")
    check(f"peak RSS <= {TARGET_RSS_MIB / 1024:g} GiB", best.peak_rss_mib <= TARGET_RSS_MIB, f"{best.peak_rss_mib:.0f} MiB")
    if isinstance(e2e, EndToEnd) and e2e.refused:
        lines.append(f"  [?] non-MT overhead: {e2e.refused}")
    elif isinstance(e2e, EndToEnd):
        check(f"non-MT overhead < {100 * TARGET_OVERHEAD:g} %", e2e.overhead_share < TARGET_OVERHEAD,
              f"{100 * e2e.overhead_share:.1f} % ({e2e.setting})")
    return "\n".join(lines)


def busy_share(seconds: float = 3.0) -> float:
    """Share (%) of all CPUs that other work kept busy over the next ``seconds`` (this process sleeps)."""

    def sample() -> tuple[int, int]:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values) - idle, sum(values)

    busy, total = sample()
    time.sleep(seconds)
    busy2, total2 = sample()
    return 100 * (busy2 - busy) / max(1, total2 - total)


def wait_for_quiet(limit_s: float, threshold: float = 10.0) -> str:
    """Wait (up to ``limit_s``) until other work leaves the CPUs alone; describe the wait."""
    start = time.perf_counter()
    busy = busy_share()
    while busy > threshold and time.perf_counter() - start < limit_s:
        busy = busy_share()
    waited = time.perf_counter() - start
    return f"CPUs {busy:.0f} % busy with other work" + (f" after waiting {waited:.0f} s" if waited >= 4 else "")


# --------------------------------------------------------------------------- main


def chosen_settings(requested: str | None) -> tuple[list[str], list[str]]:
    """The settings to run and notes about the ones skipped."""
    names = [n.strip() for n in requested.split(",")] if requested else list(SETTINGS)
    unknown = [n for n in names if n not in SETTINGS]
    if unknown:
        raise SystemExit(f"unknown settings {', '.join(unknown)}; known: {', '.join(SETTINGS)}")
    notes = []
    if not ctranslate2_available():
        skipped = [n for n in names if SETTINGS[n].backend == "ctranslate2"]
        if skipped:
            notes.append(f"skipped {', '.join(skipped)}: the project has no CTranslate2 backend yet (translate/mt/backends/ctranslate2.py)")
        names = [n for n in names if n not in skipped]
    return names, notes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=random_nllb.DEFAULT_OUT, help="random NLLB-600M folder (built if missing)")
    parser.add_argument("--sentences", type=int, default=100, help="sentences per setting (slow settings take at most 32)")
    parser.add_argument("--settings", help="comma-separated settings to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 12 sentences, 4 for the slow settings")
    parser.add_argument("--e2e", default="auto", help="setting for the end-to-end run ('auto': the fastest engine; 'none': skip)")
    parser.add_argument("--profile", metavar="SETTING", help="profile one setting instead (see mt_profile.py)")
    parser.add_argument("--samples", type=Path, default=SHARED / "samples")
    parser.add_argument("--flores", type=Path, default=SHARED / "data" / "flores200-dev" / "eng_Latn.dev")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed to one setting")
    parser.add_argument("--wait-quiet", type=float, default=120, help="before each setting, wait up to this many seconds for other work to stop")
    parser.add_argument("--retries", type=int, default=1, help="measure a setting again when other work disturbed it")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    count = 12 if args.quick else args.sentences
    print(f"{time.strftime('%Y-%m-%d')}  {machine()}", flush=True)
    folder = random_nllb.build(args.model)
    sentences = benchmark_sentences(folder, count, args.samples, args.flores)
    if args.profile:
        import mt_profile

        mt_profile.profile(args.profile, folder, sentences[: min(len(sentences), 32)])
        return
    names, notes = chosen_settings(args.settings)
    print(f"model: {folder} (random weights, NLLB-200-distilled-600M architecture)")
    print(f"{len(sentences)} sentences, {INPUT_TOKENS} tokens in, {OUTPUT_TOKENS} tokens out, beam 4", flush=True)
    with tempfile.TemporaryDirectory(prefix="mt-speed-") as tmp:
        work = Path(tmp)
        results: dict[str, Measurement | str] = {}
        if any(SETTINGS[n].backend == "ctranslate2" for n in names):
            print(f"  CTranslate2 int8 conversion: {prepare_conversion(folder, args.timeout)}", flush=True)
        for name in names:
            cap = 4 if args.quick and SETTINGS[name].sentences else SETTINGS[name].sentences
            inputs = work / f"{name}.json"
            inputs.write_text(json.dumps(sentences[:cap] if cap else sentences), encoding="utf-8")
            result = results[name] = measure_quietly(name, folder, inputs, args)
            print(f"  {name}: {result if isinstance(result, str) else f'{result.sentences_per_s:.3f} sentences/s'}", flush=True)
        found = results.get("baseline")
        baseline = found if isinstance(found, Measurement) and not found.refused else None
        print("\n" + table(results, baseline))
        print(LEGEND)
        for note in notes:
            print(f"\nnote: {note}")
        e2e = end_to_end(args.e2e, results, folder, sentences, work, args)
        print("\n" + targets(results, baseline, e2e))


def end_to_end(choice: str, results: dict[str, Measurement | str], folder: Path, sentences: list[str], work: Path, args: argparse.Namespace) -> EndToEnd | str | None:
    """Run and print the end-to-end measurement with the chosen (or fastest) engine setting."""
    if choice == "none":
        return None
    engines = {n: r for n, r in results.items() if isinstance(r, Measurement) and n != "baseline" and not r.refused}
    name = max(engines, key=lambda n: engines[n].sentences_per_s) if choice == "auto" and engines else choice
    if name not in SETTINGS or name == "baseline":
        return None
    measured = results.get(name)
    rate = measured.sentences_per_s if isinstance(measured, Measurement) else None
    subset = sentences if rate is None or rate * 2 * 60 >= len(sentences) else sentences[: max(8, int(rate * 120))]
    print(f"\nend to end ({name}, {len(subset)} sentences; {wait_for_quiet(args.wait_quiet)}):", flush=True)
    e2e = run_end_to_end(name, folder, subset, work, args.timeout)
    print(e2e if isinstance(e2e, str) else end_to_end_report(e2e, rate))
    return e2e


if __name__ == "__main__":
    main()
