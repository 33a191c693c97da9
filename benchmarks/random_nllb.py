"""Build a random-weight model with the exact NLLB-200-distilled-600M architecture.

Real weights cannot be downloaded where the benchmarks run, and speed does not
depend on what the weights are: it depends on the shapes. This builds, locally
and deterministically (seeded), a model folder that loads exactly like
``facebook/nllb-200-distilled-600M``:

* ``config.json`` + ``model.safetensors``: ``M2M100ForConditionalGeneration``
  with the 600M configuration (d_model 1024, 12 + 12 layers, 16 heads, FFN
  4096, vocabulary 256,206, shared and tied embeddings), random weights;
* ``sentencepiece.bpe.model`` + ``tokenizer.json``: an ``NllbTokenizer`` with
  the full NLLB layout (``<s> <pad> </s> <unk>`` = 0-3, SentencePiece pieces
  up to id 256,000, the 202 language codes at 256,001-256,202, ``<mask>`` at
  256,203; ``eng_Latn`` = 256,047 and ``khm_Khmr`` = 256,092 as in the real
  model), so the whole 256k-wide output projection is exercised and every
  generated id decodes.

The tokenizer's first pieces come from a small BPE SentencePiece model trained
on the FLORES-200 dev English and Khmer text (so English input is tokenized
like real text); the rest are filler pieces, a share of them Khmer-script
strings so that a Khmer vocabulary map has a realistic size (``--khmer-pieces``
Khmer pieces in all), the others strings of Latin and other scripts, as in the
real multilingual vocabulary. Filler pieces have the lowest merge priority.

Usage::

    python benchmarks/random_nllb.py [--out DIR] [--seed 0] [--force]

The folder (default ``~/.cache/translate/bench/random-nllb-600m``) is reused
when it holds a build with the same parameters. Building takes about a minute
and about 5 GB of memory at its peak; the folder takes 2.5 GB.
"""

from __future__ import annotations

import argparse
import inspect
import json
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLORES = SHARED / "data" / "flores200-dev"
DEFAULT_OUT = Path.home() / ".cache" / "translate" / "bench" / "random-nllb-600m"
STAMP = "random-nllb.json"

#: SentencePiece pieces in the real NLLB-200 model (``<unk> <s> </s>`` included).
SPM_PIECES = 256_000
#: ``config.json`` ``vocab_size`` of facebook/nllb-200-distilled-600M (two ids past ``<mask>`` are unused).
VOCAB_SIZE = 256_206

#: The facebook/nllb-200-distilled-600M ``config.json`` values that shape the network.
NLLB_600M: dict[str, Any] = {
    "vocab_size": VOCAB_SIZE,
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 12,
    "encoder_attention_heads": 16,
    "decoder_attention_heads": 16,
    "encoder_ffn_dim": 4096,
    "decoder_ffn_dim": 4096,
    "max_position_embeddings": 1024,
    "activation_function": "relu",
    "scale_embedding": True,
    "dropout": 0.1,
    "attention_dropout": 0.1,
    "activation_dropout": 0.0,
    "encoder_layerdrop": 0.0,
    "decoder_layerdrop": 0.0,
    "init_std": 0.02,
    "pad_token_id": 1,
    "bos_token_id": 0,
    "eos_token_id": 2,
    "decoder_start_token_id": 2,
    "tie_word_embeddings": True,
    "use_cache": True,
}
#: facebook/nllb-200-distilled-600M ``generation_config.json``.
GENERATION: dict[str, Any] = {"bos_token_id": 0, "decoder_start_token_id": 2, "eos_token_id": 2, "pad_token_id": 1, "max_length": 200}

_KHMER = [chr(c) for c in range(0x1780, 0x17B4)] + [chr(c) for c in range(0x17B6, 0x17D3)]
#: Other scripts for filler pieces: ranges of letters (Latin, Cyrillic, Arabic, Devanagari, Ethiopic, CJK, Hangul).
_OTHER_SCRIPTS = (
    (0x61, 0x7A, 0.40),
    (0x430, 0x44F, 0.12),
    (0x628, 0x64A, 0.10),
    (0x915, 0x939, 0.08),
    (0x1200, 0x1357, 0.05),
    (0x4E00, 0x9FA5, 0.20),
    (0xAC00, 0xD7A3, 0.05),
)


@dataclass(frozen=True)
class BuildSpec:
    """What a build depends on; stored next to the model so a changed spec rebuilds."""

    seed: int = 0
    trained_pieces: int = 8000
    khmer_pieces: int = 19_000
    version: int = 1


def corpus() -> list[str]:
    """English and Khmer lines to train the SentencePiece model on (FLORES-200 dev + the samples)."""
    lines: list[str] = []
    for name in ("eng_Latn.dev", "khm_Khmr.dev"):
        path = FLORES / name
        if path.is_file():
            lines.extend(path.read_text(encoding="utf-8").splitlines())
    for sample in sorted((SHARED / "samples").glob("*.txt")):
        lines.extend(sample.read_text(encoding="utf-8").splitlines())
    lines = [line for line in lines if line.strip()]
    if len(lines) < 500:
        raise SystemExit(f"need the FLORES-200 dev files in {FLORES} to train the tokenizer")
    return lines


def is_khmer(piece: str) -> bool:
    """Whether a piece holds a Khmer character."""
    return any("\u1780" <= c <= "\u17ff" or "\u19e0" <= c <= "\u19ff" for c in piece)


def _filler(rng: random.Random, khmer: bool) -> str:
    if khmer:
        text = "".join(rng.choice(_KHMER) for _ in range(rng.randint(2, 5)))
    else:
        low, high, _ = rng.choices(_OTHER_SCRIPTS, weights=[w for *_, w in _OTHER_SCRIPTS])[0]
        length = rng.randint(2, 7) if high < 0x1000 else rng.randint(1, 3)
        text = "".join(chr(rng.randint(low, high)) for _ in range(length))
    return ("▁" if rng.random() < 0.4 else "") + text


def filler_pieces(existing: set[str], count: int, khmer: int, seed: int) -> Iterator[str]:
    """``count`` new distinct pieces, ``khmer`` of them Khmer strings, in a seeded order."""
    rng = random.Random(seed)
    seen = set(existing)
    kinds = [True] * khmer + [False] * (count - khmer)
    rng.shuffle(kinds)
    for kind in kinds:
        while True:
            piece = _filler(rng, kind)
            if piece not in seen:
                seen.add(piece)
                yield piece
                break


def build_sentencepiece(folder: Path, spec: BuildSpec) -> Path:
    """Train a small BPE model (NLLB's ids: unk 0, bos 1, eos 2, no pad), then pad it to 256,000 pieces."""
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    model_pb2: Any = sentencepiece_model_pb2  # generated protobuf module: no type information

    prefix = folder / "trained"
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(corpus()), model_prefix=str(prefix), vocab_size=spec.trained_pieces, model_type="bpe",
        character_coverage=1.0, unk_id=0, bos_id=1, eos_id=2, pad_id=-1, num_threads=1, minloglevel=2,
    )
    proto = model_pb2.ModelProto()
    proto.ParseFromString(Path(f"{prefix}.model").read_bytes())
    for suffix in (".model", ".vocab"):
        Path(f"{prefix}{suffix}").unlink()
    pieces = [p.piece for p in proto.pieces]
    khmer_left = max(0, spec.khmer_pieces - sum(map(is_khmer, pieces)))
    score = min(p.score for p in proto.pieces) - 1.0
    for text in filler_pieces(set(pieces), SPM_PIECES - len(pieces), khmer_left, spec.seed):
        piece = proto.pieces.add()
        piece.piece, piece.score, piece.type = text, score, model_pb2.ModelProto.SentencePiece.NORMAL
        score -= 1.0
    proto.trainer_spec.vocab_size = SPM_PIECES
    path = folder / "sentencepiece.bpe.model"
    path.write_bytes(proto.SerializeToString())
    return path


def build_tokenizer(folder: Path, spm_path: Path) -> object:
    """An ``NllbTokenizer`` with NLLB's ids, built from the padded SentencePiece model, saved to ``folder``."""
    from sentencepiece import sentencepiece_model_pb2

    model_pb2: Any = sentencepiece_model_pb2  # generated protobuf module: no type information
    from transformers import NllbTokenizer
    from transformers.convert_slow_tokenizer import generate_merges
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    proto = model_pb2.ModelProto()
    proto.ParseFromString(spm_path.read_bytes())
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in proto.pieces[3:]:  # fairseq order: SentencePiece id i -> i + 1
        vocab[piece.piece] = len(vocab)
    # transformers releases differ: some require the pieces' scores (merge priorities)
    needed = inspect.signature(generate_merges).parameters.get("vocab_scores")
    if needed is not None and needed.default is inspect.Parameter.empty:
        scores = {piece.piece: piece.score for piece in proto.pieces[3:]}
        merges = generate_merges(vocab, {token: scores.get(token, 0.0) for token in vocab})
    else:
        merges = generate_merges(vocab)
    for code in FAIRSEQ_LANGUAGE_CODES:
        vocab[code] = len(vocab)
    vocab["<mask>"] = len(vocab)
    tokenizer = NllbTokenizer(
        vocab=vocab, merges=merges, additional_special_tokens=list(FAIRSEQ_LANGUAGE_CODES),
        _spm_precompiled_charsmap=proto.normalizer_spec.precompiled_charsmap or None, src_lang="eng_Latn",
        model_max_length=1024,
    )
    expected = {"eng_Latn": 256_047, "khm_Khmr": 256_092, "<mask>": 256_203}
    found = {token: tokenizer.convert_tokens_to_ids(token) for token in expected}
    if found != expected or len(tokenizer) != 256_204:
        raise SystemExit(f"tokenizer layout differs from NLLB-200: {found}, {len(tokenizer)} tokens")
    tokenizer.save_pretrained(folder)
    return tokenizer


def build_network(folder: Path, seed: int) -> int:
    """Random ``M2M100ForConditionalGeneration`` with the 600M configuration, saved as safetensors; its parameter count."""
    import torch
    from transformers import (
        GenerationConfig,
        M2M100Config,
        M2M100ForConditionalGeneration,
    )
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    torch.manual_seed(seed)
    config = M2M100Config(**NLLB_600M)
    config.architectures = ["M2M100ForConditionalGeneration"]
    config.tokenizer_class = "NllbTokenizer"
    model = M2M100ForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(**GENERATION)
    parameters = sum(p.numel() for p in model.parameters())
    model.save_pretrained(folder, safe_serialization=True)
    return parameters


def read_stamp(folder: Path) -> dict[str, object] | None:
    """The build record of a folder, or None when there is none."""
    try:
        data = json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def is_built(folder: Path, spec: BuildSpec) -> bool:
    """Whether ``folder`` holds a complete build of ``spec``."""
    stamp = read_stamp(folder)
    return stamp is not None and stamp.get("spec") == asdict(spec) and (folder / "model.safetensors").is_file()


def build(folder: Path = DEFAULT_OUT, spec: BuildSpec = BuildSpec(), force: bool = False) -> Path:
    """Build the model into ``folder`` unless a build of ``spec`` is already there; return the folder."""
    folder = Path(folder).expanduser()
    if is_built(folder, spec) and not force:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / STAMP).unlink(missing_ok=True)
    start = time.perf_counter()
    spm_path = build_sentencepiece(folder, spec)
    build_tokenizer(folder, spm_path)
    parameters = build_network(folder, spec.seed)
    record = {
        "spec": asdict(spec),
        "architecture": "facebook/nllb-200-distilled-600M",
        "parameters": parameters,
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    (folder / STAMP).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"model folder (default {DEFAULT_OUT})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--khmer-pieces", type=int, default=BuildSpec.khmer_pieces, help="Khmer-script pieces in the vocabulary")
    parser.add_argument("--force", action="store_true", help="rebuild even when the folder holds a build")
    args = parser.parse_args(argv)
    spec = BuildSpec(seed=args.seed, khmer_pieces=args.khmer_pieces)
    folder = build(args.out, spec, args.force)
    print(f"{folder}: {json.dumps(read_stamp(folder))}")


if __name__ == "__main__":
    main()
