"""Tiny translation models built by the tests themselves, with the real classes.

They have random weights, so their output is gibberish, but they are loaded
through exactly the code path a real model takes: ``from_pretrained(folder)``
with the real tokenizer and model classes of each family, the tokenizer built
from a SentencePiece model trained here on FLORES text.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT

FLORES = ROOT.parent / "shared" / "data" / "flores200-dev"
NLLB_TEST_CODES = ["eng_Latn", "khm_Khmr", "tha_Thai", "fra_Latn", "vie_Latn"]


def _corpus() -> list[str]:
    lines: list[str] = []
    for name in ("eng_Latn.dev", "khm_Khmr.dev"):
        path = FLORES / name
        if path.is_file():
            lines.extend(path.read_text(encoding="utf-8").splitlines()[:400])
    if not lines:  # FLORES missing: a small built-in corpus still covers both scripts
        lines = ["The minister said the plan would cost $3.5 million.", "ក្រសួងបាននិយាយថា គម្រោងនេះនឹងចំណាយ។"] * 50
    return lines


def train_sentencepiece(prefix: Path, vocab_size: int = 800) -> Path:
    """Train a small BPE SentencePiece model with fairseq's special-token ids."""
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus()),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="bpe",
        character_coverage=1.0,
        bos_id=0,
        pad_id=1,
        eos_id=2,
        unk_id=3,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def build_nllb(folder: Path, *, seed: int = 0, d_model: int = 32, layers: int = 1) -> Path:
    """A tiny NLLB-200 model: ``NllbTokenizer`` + ``M2M100ForConditionalGeneration``."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    train_sentencepiece(folder / "sentencepiece.bpe")
    tokenizer = NllbTokenizer.from_pretrained(folder, additional_special_tokens=NLLB_TEST_CODES)
    config = M2M100Config(
        vocab_size=len(tokenizer),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=2 * d_model,
        decoder_ffn_dim=2 * d_model,
        max_position_embeddings=512,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        scale_embedding=True,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def describe(folder: Path) -> dict[str, object]:
    return json.loads((folder / "config.json").read_text(encoding="utf-8"))
