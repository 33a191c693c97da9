"""Compare translate.segment with the sentence segmenters it was chosen from.

For each candidate it prints, from one run on one machine:

* accuracy on the hard-case table ``tests/data/segmentation_cases.tsv``;
* the abbreviation probe: how many of 42 abbreviations that the rule layer does
  not list are known (``He met Calif. Smith on Monday.`` kept in one piece);
* recall of the FLORES-200 English dev set: its sentences (one a line) joined
  into one text, how many line ends come out as boundaries, and how many
  boundaries fall inside lines (some FLORES lines hold two sentences, so a few
  of these are right);
* speed on a large text (the sample article and FLORES in paragraphs, repeated
  to ``--megabytes``): sentences/s and MB/s (of UTF-8);
* seconds on 1 MB stress inputs: no punctuation, no spaces, ``"word. "`` repeated
  (one sentence) and ``"Word. "`` repeated (166,666 sentences).

Usage::

    python benchmarks/segment_speed.py [--megabytes 1.5] [--samples DIR] [--flores FILE]

Missing libraries are reported and skipped. pysbd takes minutes to hours on the
stress inputs (its time grows with the square of the sentence count), so it runs
them on ``--pysbd-stress-kb`` kilobytes only.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from translate import segment

Segmenter = Callable[[str], list[tuple[int, int]]]
SHARED = ROOT.parent / "shared"


def load_cases(path: Path) -> list[tuple[str, str, list[str]]]:
    """Read the hard-case table: ``id<TAB>text<TAB>sentence...``; ``\\n`` stands for a newline."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            case_id, text, *sentences = (field.replace("\\n", "\n") for field in line.split("\t"))
            cases.append((case_id, text, sentences))
    return cases


def locate(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Offsets of the trimmed `pieces` in `text`, searched in order."""
    spans, position = [], 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, position)
        if start < 0:  # the library changed the text; keep going from here
            continue
        spans.append((start, start + len(piece)))
        position = start + len(piece)
    return spans


def ours(text: str) -> list[tuple[int, int]]:
    return [(span.start, span.end) for span in segment.split_sentences(text)]


def rules_alone(text: str) -> list[tuple[int, int]]:
    with mock.patch.object(segment, "_library_cuts", return_value=None):  # as when sentencex fails
        return ours(text)


def candidates() -> dict[str, Segmenter | str]:
    """Name -> segmenter, or -> the reason it is missing."""
    found: dict[str, Segmenter | str] = {"translate.segment": ours, "rules alone": rules_alone}
    try:
        sentencex = importlib.import_module("sentencex")
        found["sentencex"] = lambda text: locate(text, list(sentencex.segment("en", text)))
    except ImportError as error:
        found["sentencex"] = str(error)
    try:
        pysbd = importlib.import_module("pysbd")
        splitter = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = lambda text: locate(text, splitter.segment(text))
    except ImportError as error:
        found["pysbd"] = str(error)
    try:
        syntok = importlib.import_module("syntok.segmenter")
        found["syntok"] = lambda text: [
            (s[0].offset, s[-1].offset + len(s[-1].value)) for paragraph in syntok.analyze(text) for s in paragraph
        ]
    except ImportError as error:
        found["syntok"] = str(error)
    return found


# Abbreviations that the rule layer does not list, each put before a name: a
# segmenter that knows them keeps "He met Calif. Smith on Monday." in one piece.
PROBE = (
    *("Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La"),
    *("Mass", "Md", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn"),
    *("Va", "Vt", "Wash", "Wis", "Wyo", "Esq", "Msgr", "Reps", "Sens", "Pfc", "Mfg", "Hwy", "Dist"),
    *("Asst", "Hosp"),
)


def probe(split: Segmenter) -> int:
    return sum(len(split(f"He met {word}. Smith on Monday.")) == 1 for word in PROBE)


def accuracy(split: Segmenter, cases: list[tuple[str, str, list[str]]]) -> int:
    return sum([text[a:b] for a, b in split(text)] == expected for _, text, expected in cases)


def flores_recall(split: Segmenter, lines: list[str]) -> tuple[float, int]:
    text = " ".join(lines)
    gold, position = set(), 0
    for line in lines[:-1]:
        position += len(line)
        gold.add(position)
        position += 1
    found = {end for _, end in split(text)[:-1]}
    return len(found & gold) / len(gold), len(found - gold)


def timed(split: Segmenter, text: str) -> tuple[float, int]:
    start = time.perf_counter()
    count = len(split(text))
    return time.perf_counter() - start, count


def big_text(samples: Path, lines: list[str], megabytes: float) -> str:
    paragraphs = [" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)]
    article = samples / "phnompenhpost-justice-ministry.txt"
    unit = (article.read_text(encoding="utf-8") + "\n\n" if article.is_file() else "") + "\n\n".join(paragraphs)
    size = int(megabytes * 1_000_000)
    return (unit * (size // len(unit) + 1))[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=1.5)
    parser.add_argument("--samples", type=Path, default=Path(os.environ.get("TRANSLATE_SAMPLES", SHARED / "samples")))
    parser.add_argument("--flores", type=Path, default=SHARED / "data" / "flores200-dev" / "eng_Latn.dev")
    parser.add_argument("--pysbd-stress-kb", type=int, default=50)
    args = parser.parse_args()

    cases = load_cases(ROOT / "tests" / "data" / "segmentation_cases.tsv")
    lines = [line for line in args.flores.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = big_text(args.samples, lines, args.megabytes)
    megabytes = len(text.encode("utf-8")) / 1e6
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}")
    for package in ("sentencex", "pysbd", "syntok"):
        try:
            print(f"  {package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            print(f"  {package} not installed")
    print(f"hard cases: {len(cases)}; FLORES lines: {len(lines)}; speed text: {megabytes:.2f} MB\n")

    stress = {
        "a*1M": "a" * 1_000_000,
        "no spaces": "ab.cd?ef!" * 111_111,
        "word. *": "word. " * 166_666,
        "Word. *": "Word. " * 166_666,
    }
    header = f"{'candidate':18} {'table':>14} {'FLORES recall':>13} {'extra':>6} {'probe':>6} {'sent/s':>9} {'MB/s':>6}"
    print(header + "".join(f" {name:>10}" for name in stress))
    for name, split in candidates().items():
        if isinstance(split, str):
            print(f"{name:18} missing: {split}")
            continue
        ok = accuracy(split, cases)
        recall, extra = flores_recall(split, lines)
        seconds, count = timed(split, text)
        row = f"{name:18} {ok:>4}/{len(cases)} {100 * ok / len(cases):5.1f}% {100 * recall:12.1f}% {extra:6}"
        row += f" {probe(split):>3}/{len(PROBE)}"
        row += f" {count / seconds:9.0f} {megabytes / seconds:6.2f}"
        for sample in stress.values():
            if name == "pysbd":
                sample = sample[: args.pysbd_stress_kb * 1000]
            row += f" {timed(split, sample)[0]:9.2f}s"
        print(row, flush=True)
    print(f"\n(pysbd's stress columns are for the first {args.pysbd_stress_kb} kB only.)")


if __name__ == "__main__":
    main()
