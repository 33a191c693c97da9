"""NLLB's tokenizer from the model's own SentencePiece model, without transformers.

transformers' ``NllbTokenizer`` takes about 2.3 s and 150 MiB to load for the
256k-piece NLLB vocabulary (it builds the whole vocabulary in Python and Rust);
the SentencePiece model it is made from loads in under 0.1 s. This class
gives the same ids and tokens from ``sentencepiece.bpe.model`` plus NLLB's id
layout:

* ``<s> <pad> </s> <unk>`` are ids 0-3 (fairseq's dictionary);
* piece ``p`` of the SentencePiece model is id ``p + offset``: 1 where the
  SentencePiece model has ``<unk> <s> </s>`` at 0-2 (the real NLLB models),
  0 where it already has fairseq's four at 0-3;
* the language codes and ``<mask>`` are the ``added_tokens`` of the folder's
  ``tokenizer.json``, with their ids (read from the start of the file; the
  rest, the 256k-entry vocabulary, is never parsed);
* an encoded text is ``[source language] pieces </s>`` (or ``pieces </s>
  [source language]`` with ``legacy_behaviour``).

Texts where transformers' pipeline differs from SentencePiece's (one that ends
in whitespace or another character SentencePiece's normalizer removes, such as
a zero-width space, where transformers may emit a lone ``▁``; one that contains an
added token's text, which transformers keeps as that token) are encoded by
transformers' tokenizer, loaded on first such text. Everything else, and
decoding, never imports transformers.

:func:`load` returns ``None`` where the folder does not have this layout; the
caller then uses transformers' ``AutoTokenizer``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SPM_FILE = "sentencepiece.bpe.model"
WORD_MARK = "\u2581"
#: fairseq's dictionary: the four ids every NLLB model starts with.
FAIRSEQ = ("<s>", "<pad>", "</s>", "<unk>")
#: How much of tokenizer.json is read to find ``added_tokens`` (it comes before the vocabulary).
_HEAD_BYTES = 1 << 20


class NllbSentencePiece:
    """The parts of transformers' ``NllbTokenizer`` that the CTranslate2 engine uses.

    Attributes:
        folder: the model folder.
        src_lang: the source-language token put before (or after) each text.
    """

    bos_token, pad_token, eos_token, unk_token = FAIRSEQ
    bos_token_id, pad_token_id, eos_token_id, unk_token_id = 0, 1, 2, 3

    def __init__(self, folder: Path, processor: Any, offset: int, added: dict[str, int], special: list[str],
                 src_lang: str, legacy: bool) -> None:
        self.folder = folder
        self._sp = processor
        self._offset = offset
        self._pieces = processor.get_piece_size()
        self._added = added
        self._added_by_id = {i: t for t, i in added.items()}
        self._spm_unk = processor.unk_id()
        # SentencePiece's own control and unknown pieces map to fairseq's ids by name
        self._control = {p: added.get(processor.id_to_piece(p), self.unk_token_id)
                         for p in range(min(self._pieces, 8)) if processor.is_control(p) or processor.is_unknown(p)}
        self.all_special_tokens = special
        self.all_special_ids = [added[t] for t in special]
        self.src_lang = src_lang
        self._legacy = legacy
        self._transformers: Any = None
        self._blanks: dict[str, bool] = {}
        self.fallbacks = 0  # texts encoded by transformers' tokenizer (see the module docstring)

    def __len__(self) -> int:
        return max(self._pieces + self._offset, max(self._added.values()) + 1)

    # ------------------------------------------------------------------ ids and tokens

    def _from_spm(self, piece_id: int) -> int:
        control = self._control.get(piece_id)
        return control if control is not None else piece_id + self._offset

    def convert_tokens_to_ids(self, tokens: str | Iterable[str]) -> Any:
        """Ids of tokens (``<unk>``'s id for a token the vocabulary does not have)."""
        if isinstance(tokens, str):
            return self._token_id(tokens)
        return [self._token_id(t) for t in tokens]

    def _token_id(self, token: str) -> int:
        found = self._added.get(token)
        if found is not None:
            return found
        piece = self._sp.piece_to_id(token)
        if piece == self._spm_unk and token != self._sp.id_to_piece(piece):
            return self.unk_token_id
        return self._from_spm(piece)

    def convert_ids_to_tokens(self, ids: Iterable[int]) -> list[str | None]:
        """Tokens of ids (``None`` for an id past the vocabulary, as transformers gives)."""
        return [self._id_token(i) for i in ids]

    def _id_token(self, token_id: int) -> str | None:
        found = self._added_by_id.get(token_id)
        if found is not None:
            return found
        piece = token_id - self._offset
        if 0 <= piece < self._pieces and piece not in self._control:
            return str(self._sp.id_to_piece(piece))
        return None

    # ------------------------------------------------------------------ encoding and decoding

    def _needs_transformers(self, text: str) -> bool:
        return (bool(text) and self._blank(text[-1])) or any(t in text for t in self._added)

    def _blank(self, char: str) -> bool:
        """Whether SentencePiece's normalizer turns ``char`` into nothing (whitespace, a zero-width space)."""
        found = self._blanks.get(char)
        if found is None:
            found = self._blanks[char] = not self._sp.encode(char)
        return found

    def _piece_ids(self, text: str) -> list[int]:
        """The ids of a text's pieces, without the language token and ``</s>``."""
        if self._needs_transformers(text):
            found = self._encode_with_transformers(text)
            if found is not None:
                return found
        return [self._from_spm(p) for p in self._sp.encode(text)]

    def encode(self, text: str) -> list[int]:
        """The ids of one text, the source-language token and ``</s>`` included."""
        ids = self._piece_ids(text)
        language = [self._added[self.src_lang]] if self.src_lang in self._added else []
        if self._legacy:
            return [*ids, self.eos_token_id, *language]
        return [*language, *ids, self.eos_token_id]

    def tokenize(self, text: str) -> list[str]:
        """The pieces of a text (no language token, no ``</s>``), like transformers' ``tokenize``."""
        return [t for t in self.convert_ids_to_tokens(self._piece_ids(text)) if t is not None]

    def __call__(self, texts: Sequence[str]) -> dict[str, list[list[int]]]:
        """``{"input_ids": [...]}`` for a list of texts, like transformers' tokenizers."""
        return {"input_ids": [self.encode(t) for t in texts]}

    def _encode_with_transformers(self, text: str) -> list[int] | None:
        self.fallbacks += 1
        if self._transformers is None:
            try:
                from transformers import AutoTokenizer
            except ImportError:  # no transformers: SentencePiece's tokens, the closest there is
                log.info("transformers is not installed: %r tokenized by SentencePiece alone", text[:40])
                self._transformers = False
            else:
                self._transformers = AutoTokenizer.from_pretrained(self.folder, local_files_only=True, trust_remote_code=False)
        if self._transformers is False:
            return None
        ids: list[int] = self._transformers([text], add_special_tokens=False)["input_ids"][0]
        return ids

    def decode(self, ids: Iterable[int], skip_special_tokens: bool = True) -> str:
        """Text of ids; special tokens (and ids past the vocabulary) left out with ``skip_special_tokens``."""
        special = set(self.all_special_ids) if skip_special_tokens else set()
        tokens = [self._id_token(i) for i in ids if i not in special]
        text = "".join(t for t in tokens if t is not None).replace(WORD_MARK, " ")
        return text[1:] if text.startswith(" ") else text


def _added_tokens(folder: Path) -> dict[str, int] | None:
    """``added_tokens`` of the folder's tokenizer.json (content -> id), read without parsing the vocabulary."""
    try:
        with (folder / "tokenizer.json").open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", errors="ignore")
    except OSError:
        return None
    key = head.find('"added_tokens"')
    start = head.find("[", key)
    if key < 0 or start < 0:
        return None
    try:
        entries, _ = json.JSONDecoder().raw_decode(head, start)
    except ValueError:
        return None
    return {e["content"]: int(e["id"]) for e in entries if isinstance(e, dict) and "content" in e and "id" in e}


def load(folder: Path) -> NllbSentencePiece | None:
    """The tokenizer of an NLLB model folder from its SentencePiece model, or ``None`` if it has another layout.

    ``None`` (the caller uses transformers' tokenizer) when: sentencepiece is
    not installed; the folder has no ``sentencepiece.bpe.model``, no
    ``tokenizer.json`` with ``added_tokens`` or no ``tokenizer_config.json``; the
    tokenizer class is not ``NllbTokenizer``; the added tokens are not
    fairseq's four at 0-3; the SentencePiece model has neither fairseq's
    layout nor ``<unk> <s> </s>`` at 0-2.
    """
    model_file = folder / SPM_FILE
    if not model_file.is_file():
        return None
    try:
        settings = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(settings, dict) or not str(settings.get("tokenizer_class", "")).startswith("NllbTokenizer"):
        return None
    added = _added_tokens(folder)
    if not added or any(added.get(token) != index for index, token in enumerate(FAIRSEQ)):
        return None
    try:
        import sentencepiece
    except ImportError:
        return None
    processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
    first = [processor.id_to_piece(i) for i in range(min(4, processor.get_piece_size()))]
    if first == list(FAIRSEQ):
        offset = 0
    elif first[:3] == ["<unk>", "<s>", "</s>"]:
        offset = 1
    else:
        return None
    special = _special_tokens(settings, added)
    if special is None:
        return None
    src_lang = settings.get("src_lang") or "eng_Latn"
    return NllbSentencePiece(folder, processor, offset, added, special, str(src_lang), bool(settings.get("legacy_behaviour", False)))


def _special_tokens(settings: dict[str, Any], added: dict[str, int]) -> list[str] | None:
    """transformers' ``all_special_tokens`` order: bos, eos, unk, sep, pad, cls, mask, then the extra ones."""
    found: dict[str, None] = {}
    for key in ("bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"):
        value = settings.get(key)
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            found[value] = None
    extra = settings.get("extra_special_tokens", settings.get("additional_special_tokens", []))
    for value in _strings(extra):
        found[value] = None
    if any(token not in added for token in found):
        return None
    return list(found)


def _strings(values: Any) -> Iterator[str]:
    if isinstance(values, dict):
        values = list(values.values())
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            yield value
