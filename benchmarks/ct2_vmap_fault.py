"""CTranslate2 4.8.5: a vocabulary map's state carried from one batch to the next.

Standalone (needs ctranslate2, transformers, torch, sentencepiece): builds a
tiny NLLB model with random unit-variance weights (tests/tinymodels.py),
converts it, writes a vocabulary map, and translates batches with
``use_vmap=True`` on one translator in several orders. Each batch's output is
compared with the same batch translated by a fresh translator (the truth).

    python benchmarks/ct2_vmap_fault.py [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
FLORES = ROOT.parent / "shared" / "data" / "flores200-dev" / "eng_Latn.dev"


def build(work: Path) -> Path:
    """A converted tiny NLLB model (unit-variance weights, so outputs depend on the input) with a vmap.txt."""
    import ctranslate2
    from tinymodels import build_nllb, redraw_weights

    folder = redraw_weights(build_nllb(work / "tiny-nllb"), eos_scale=1)
    out = work / "ct2"
    ctranslate2.converters.TransformersConverter(str(folder)).convert(str(out), quantization="float32", force=True)
    return out


def write_map(model: Path, tokens: list[str], always: list[str]) -> None:
    """A map in which each source token allows itself; ``always`` are always allowed."""
    lines = ["\t" + " ".join(always)] + [f"{t}\t{t}" for t in tokens]
    (model / "vmap.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path)
    args = parser.parse_args()
    import ctranslate2
    import sentencepiece

    work = args.work or Path(tempfile.mkdtemp(prefix="vmap-fault-"))
    model = build(work)
    sp = sentencepiece.SentencePieceProcessor(model_file=str(work / "tiny-nllb" / "sentencepiece.bpe.model"))
    lines = FLORES.read_text(encoding="utf-8").splitlines()[:48] if FLORES.is_file() else [f"Sentence number {i} is here." for i in range(48)]
    sources = [["eng_Latn", *sp.encode(line, out_type=str)[:20], "</s>"] for line in lines]
    vocabulary = sorted({t for s in sources for t in s[1:-1]})
    khmer = [sp.id_to_piece(i) for i in range(4, sp.get_piece_size()) if any("\u1780" <= c <= "\u17ff" for c in sp.id_to_piece(i))]
    write_map(model, vocabulary, khmer[:60] + ["khm_Khmr"])
    print(f"ctranslate2 {ctranslate2.__version__}; model {model}; map: 61 tokens always + each source token itself")

    options = {"target_prefix": None, "beam_size": 1, "max_decoding_length": 12, "use_vmap": True}

    def run(translator: ctranslate2.Translator, batch: list[list[str]]) -> list[list[str]]:
        prefix = [["khm_Khmr"]] * len(batch) if with_prefix else None
        return [r.hypotheses[0] for r in translator.translate_batch(batch, **{**options, "target_prefix": prefix})]

    def fresh(batch: list[list[str]]) -> list[list[str]]:
        return run(ctranslate2.Translator(str(model), intra_threads=1), batch)

    batches = [sources[i : i + 8] for i in range(0, 48, 8)]
    with_prefix = True
    truth = [fresh(b) for b in batches]

    def check(label: str, translator: ctranslate2.Translator, order: list[int], reset: bool = False) -> None:
        wrong, errors = 0, []
        for index in order:
            if reset:
                translator.translate_batch([["eng_Latn", "</s>"]], beam_size=1, max_decoding_length=1, use_vmap=False)
            try:
                got = run(translator, batches[index])
            except (IndexError, RuntimeError, ValueError) as error:
                errors.append(f"{type(error).__name__}: {error}")
                continue
            wrong += sum(g != t for g, t in zip(got, truth[index], strict=True))
        total = sum(len(batches[i]) for i in order)
        print(f"  {label}: {wrong} of {total} outputs differ from a fresh translator's" + (f"; {len(errors)} batches failed: {errors[0]}" if errors else ""))

    print("one translator, batches one after the other:")
    check("each batch once (different maps)", ctranslate2.Translator(str(model), intra_threads=1), list(range(6)))
    check("the same batch 6 times (same map)", ctranslate2.Translator(str(model), intra_threads=1), [0] * 6)
    check("an unrestricted 1-step job before each batch", ctranslate2.Translator(str(model), intra_threads=1), list(range(6)), reset=True)
    two = ctranslate2.Translator(str(model), intra_threads=1, inter_threads=2)
    check("2 replicas, each batch once", two, list(range(6)))
    with_prefix = False
    truth[:] = [fresh(b) for b in batches]
    print("the same without a target prefix (no forced language token):")
    check("each batch once (different maps)", ctranslate2.Translator(str(model), intra_threads=1), list(range(6)))
    check("2 replicas, each batch once", ctranslate2.Translator(str(model), intra_threads=1, inter_threads=2), list(range(6)))
    shutil.rmtree(work) if args.work is None else None


if __name__ == "__main__":
    main()
