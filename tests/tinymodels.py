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

NLLB_TEST_CODES = ["eng_Latn", "khm_Khmr", "tha_Thai", "fra_Latn", "vie_Latn"]


def _corpus() -> list[str]:
    from conftest import FLORES

    lines: list[str] = []
    for name in ("eng_Latn.dev", "khm_Khmr.dev"):
        path = FLORES / name
        if path.is_file():
            lines.extend(path.read_text(encoding="utf-8").splitlines()[:400])
    if not lines:  # FLORES missing: the test articles still cover English; a Khmer line covers the script
        for path in sorted((ROOT / "tests" / "data").rglob("*")):
            if path.suffix in (".txt", ".md", ".html"):
                lines.extend(path.read_text(encoding="utf-8", errors="replace").splitlines())
        lines.extend(["ក្រសួងបាននិយាយថា គម្រោងនេះនឹងចំណាយប្រាក់ ៣,៥ លានដុល្លារ។"] * 20)
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
        hard_vocab_limit=False,
    )
    return Path(f"{prefix}.model")


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


def _save(model: object, tokenizer: object, folder: Path) -> Path:
    model.save_pretrained(folder)  # type: ignore[attr-defined]
    tokenizer.save_pretrained(folder)  # type: ignore[attr-defined]
    return folder


def build_m2m100(folder: Path, *, seed: int = 0) -> Path:
    """A tiny M2M100 model: ``M2M100Tokenizer`` (vocab.json + SentencePiece) and its model class."""
    import sentencepiece as spm
    import torch
    from transformers import (
        M2M100Config,
        M2M100ForConditionalGeneration,
        M2M100Tokenizer,
    )

    folder.mkdir(parents=True, exist_ok=True)
    model_file = train_sentencepiece(folder / "sentencepiece.bpe")
    processor = spm.SentencePieceProcessor(model_file=str(model_file))
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    tokenizer = M2M100Tokenizer(vocab_file=str(folder / "vocab.json"), spm_file=str(model_file), src_lang="en", tgt_lang="km")
    from translate.mt.families import M2M100_CODES

    # language tokens come after the SentencePiece pieces, then "madeup" padding words
    size = max(tokenizer.convert_tokens_to_ids(f"__{code}__") for code in M2M100_CODES) + 9
    config = M2M100Config(
        vocab_size=size, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(seed)
    return _save(M2M100ForConditionalGeneration(config).eval(), tokenizer, folder)


def build_marian(folder: Path, *, targets: tuple[str, ...] = (">>khm<<", ">>fra<<", ">>tha<<"), seed: int = 0) -> Path:
    """A tiny multi-target OPUS-MT (Marian) model whose vocabulary has ``>>xxx<<`` target tokens."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus()), model_prefix=str(folder / "spm"), vocab_size=600, model_type="unigram",
        character_coverage=1.0, user_defined_symbols=list(targets), unk_id=1, eos_id=0, bos_id=-1, pad_id=-1, minloglevel=2, hard_vocab_limit=False,
    )
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes((folder / "spm.model").read_bytes())
    processor = spm.SentencePieceProcessor(model_file=str(folder / "spm.model"))
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    for leftover in ("spm.model", "spm.vocab"):
        (folder / leftover).unlink()
    tokenizer = MarianTokenizer(source_spm=str(folder / "source.spm"), target_spm=str(folder / "target.spm"), vocab=str(folder / "vocab.json"))
    config = MarianConfig(
        vocab_size=len(tokenizer), d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2,
        encoder_ffn_dim=64, decoder_ffn_dim=64, pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id, max_position_embeddings=256,
    )
    torch.manual_seed(seed)
    return _save(MarianMTModel(config).eval(), tokenizer, folder)


def build_madlad(folder: Path, *, targets: tuple[str, ...] = ("<2km>", "<2fr>", "<2th>"), seed: int = 0) -> Path:
    """A tiny MADLAD-400-style T5 model whose vocabulary has ``<2xx>`` target tokens."""
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus()), model_prefix=str(folder / "spiece"), vocab_size=600, model_type="unigram",
        character_coverage=1.0, user_defined_symbols=list(targets), pad_id=0, eos_id=1, unk_id=2, bos_id=-1, minloglevel=2, hard_vocab_limit=False,
    )
    tokenizer = T5Tokenizer.from_pretrained(folder, extra_ids=0)
    config = T5Config(
        vocab_size=len(tokenizer), d_model=32, d_kv=16, d_ff=64, num_layers=1, num_decoder_layers=1, num_heads=2,
        pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    return _save(T5ForConditionalGeneration(config).eval(), tokenizer, folder)


def redraw_weights(folder: Path, *, eos_scale: float = 4.0) -> Path:
    """Redraw a tiny model's matrices from N(0, 1) in place (seed 0), scaling the end-of-sentence embedding.

    The tiny models' small initial weights make every input give the same
    output; unit-variance weights make outputs depend on the input, and a
    larger end-of-sentence embedding (``eos_scale``; 1 leaves it) makes some
    of them end before the length cap.
    """
    import torch
    from transformers import AutoModelForSeq2SeqLM

    model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in model.parameters():
            if parameter.dim() == 2:
                parameter.copy_(torch.randn(parameter.shape, generator=generator))
        if eos_scale != 1:
            model.model.shared.weight[model.config.eos_token_id] *= eos_scale
    model.save_pretrained(folder)
    return folder
