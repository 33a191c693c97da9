"""Target-vocabulary maps: restrict what the decoder may output, per target language.

Most of the per-token work of a 256k-vocabulary model is the output projection;
CTranslate2 can compute it over a subset of the vocabulary chosen for each
batch from a *vocabulary map* (``vmap.txt`` in the model folder, used with
``translate_batch(..., use_vmap=True)``). Its format, as CTranslate2 parses it
(``src/vocabulary_map.cc``)::

    <source n-gram, tokens separated by spaces> TAB <target tokens separated by spaces>

The candidates of a batch are ``<unk> <s> </s> <blank>`` (those in the vocabulary), plus
the tokens of the line whose source part is empty (always allowed), plus the
targets of every source n-gram found in any sentence of the batch. The
candidates are the union over the whole batch: a sentence may use the tokens
allowed by another sentence of its batch.

The map built here, for a target written in script S:

* always allowed: tokens made only of S's characters, punctuation, symbols,
  digits, spaces and zero-width marks (so also pure punctuation and number
  tokens), the special tokens and the target-language token;
* each source token X allows itself, and its twin with or without the
  SentencePiece word mark ``▁`` (``▁Obama`` / ``Obama``), so that names,
  acronyms and numbers copied from the source survive, also right after
  text in a script without spaces (Khmer, Thai).

CTranslate2 reads the map only from ``vmap.txt`` in the folder it loads. To
keep one converted model for every target language, each language gets a
small *view* folder inside the conversion, ``vmap-v<N>-<target>/``, holding
its ``vmap.txt`` and links to the model files (symbolic links; hard links or
copies where the system has none). Views are built once, atomically, and
reused; several processes may build or use them at once.

Nothing here imports ctranslate2.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from translate.languages import Language
from translate.mt.families import nllb_code

log = logging.getLogger(__name__)

#: Bump when the rules change: cached maps (and translation-memory keys) then change too.
VMAP_VERSION = 1
VMAP_FILE = "vmap.txt"
#: The SentencePiece word-start mark.
WORD_MARK = "\u2581"

Ranges = tuple[tuple[int, int], ...]

#: Characters every script may use: ASCII punctuation, symbols and digits, Latin-1
#: punctuation and symbols (« » ° × ÷), general punctuation (dashes, quotes,
#: ellipsis, ZWSP/ZWNJ/ZWJ), currency and letter-like symbols (℃ № ™).
COMMON: Ranges = (
    (0x20, 0x40), (0x5B, 0x60), (0x7B, 0x7E),
    (0xA0, 0xBF), (0xD7, 0xD7), (0xF7, 0xF7),
    (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F), (0x2212, 0x2212),
)

_CJK: Ranges = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3190, 0x319F), (0x31C0, 0x31EF), (0x3200, 0x33FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)
_KANA: Ranges = ((0x3040, 0x30FF), (0x31F0, 0x31FF))
_HANGUL: Ranges = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))

#: Unicode blocks of each script (ISO 15924 code), its own digits and punctuation included.
SCRIPTS: Mapping[str, Ranges] = {
    "Khmr": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "Thai": ((0x0E00, 0x0E7F),),
    "Laoo": ((0x0E80, 0x0EFF),),
    "Mymr": ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)),
    "Latn": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x0300, 0x036F), (0x1E00, 0x1EFF),
             (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xFB00, 0xFB06)),
    "Cyrl": ((0x0400, 0x052F), (0x0300, 0x036F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)),
    "Grek": ((0x0370, 0x03FF), (0x1F00, 0x1FFF), (0x0300, 0x036F)),
    "Arab": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "Hebr": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Deva": ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    "Beng": ((0x0980, 0x09FF), (0x0964, 0x0965)),
    "Taml": ((0x0B80, 0x0BFF), (0x0964, 0x0965)),
    "Ethi": ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    "Hans": _CJK,
    "Hant": _CJK,
    "Jpan": _CJK + _KANA,
    "Hang": _HANGUL + _CJK,
    "Kore": _HANGUL + _CJK,
}


def target_script(lang: Language) -> str | None:
    """The script a language is written in (ISO 15924), if this module has its character ranges.

    From an explicit script subtag (``sr-Latn``, ``zh-Hant``), else the NLLB
    code (``khm_Khmr``), else Babel's likely subtags (``haw`` -> ``Latn``).
    """
    parts = lang.gettext.split("_")
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script is None:
        code = nllb_code(lang)
        script = code.split("_")[1] if code else None
    if script is None:
        from babel.core import get_global

        likely = get_global("likely_subtags").get(parts[0], "")
        script = next((p for p in likely.split("_")[1:] if len(p) == 4 and p.isalpha()), None)
    if script not in SCRIPTS:
        log.info("no vocabulary map for %s: its script %s has no character table", lang.code, script or "is unknown")
        return None
    return script


@cache
def _script_pattern(script: str) -> re.Pattern[str]:
    ranges = SCRIPTS[script] + COMMON + ((ord(WORD_MARK), ord(WORD_MARK)),)
    return re.compile("[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges) + "]*")


def written_in(token: str, script: str) -> bool:
    """Whether a token is made only of the script's characters and common ones (``▁`` alone included).

    Raises:
        KeyError: a script without a character table.
    """
    return _script_pattern(script).fullmatch(token) is not None


_SEPARATOR = re.compile(r"[ \t\n\r]")


def _writable(token: str) -> bool:
    """Tokens the map's format can hold (its separators are space, tab and newline)."""
    return bool(token) and _SEPARATOR.search(token) is None


def twin(token: str) -> str:
    """The same token with the word mark toggled: ``▁Obama`` <-> ``Obama``."""
    return token[1:] if token.startswith(WORD_MARK) else WORD_MARK + token


@dataclass(frozen=True)
class VocabularyMap:
    """A target-vocabulary map.

    Attributes:
        always: target tokens always allowed.
        copies: source token -> target tokens it allows (itself and its twin), for
            source tokens whose targets are not all in ``always`` already.
    """

    always: tuple[str, ...]
    copies: tuple[tuple[str, tuple[str, ...]], ...]

    def render(self) -> str:
        """The map as CTranslate2's ``vmap.txt`` text."""
        lines = ["\t" + " ".join(self.always)]
        lines.extend(f"{source}\t{' '.join(targets)}" for source, targets in self.copies)
        return "\n".join(lines) + "\n"

    @classmethod
    def parse(cls, text: str) -> VocabularyMap:
        """Read a ``vmap.txt`` text back (one-token source parts, as :func:`build_map` writes)."""
        always: list[str] = []
        copies = []
        for line in text.split("\n"):
            if "\t" not in line:
                continue
            source, _, targets = line.partition("\t")
            tokens = tuple(t for t in targets.split(" ") if t)
            if source:
                copies.append((source, tokens))
            else:
                always.extend(tokens)
        return cls(always=tuple(always), copies=tuple(copies))

    def candidates(self, batch: Iterable[Sequence[str]]) -> frozenset[str]:
        """The tokens CTranslate2 lets a batch of tokenized sources produce (besides its fixed specials)."""
        table = dict(self.copies)
        allowed = set(self.always)
        for tokens in batch:
            for token in tokens:
                allowed.update(table.get(token, ()))
        return frozenset(allowed)


def build_map(
    source_vocabulary: Sequence[str],
    target_vocabulary: Sequence[str],
    script: str,
    *,
    always: Iterable[str] = (),
    never: Collection[str] = frozenset(),
) -> VocabularyMap:
    """The vocabulary map for a target written in ``script``.

    Args:
        source_vocabulary: the model's source tokens (the same list as the
            target's for a shared vocabulary).
        target_vocabulary: the model's target tokens.
        script: an ISO 15924 code from :data:`SCRIPTS`.
        always: more target tokens always allowed: the special tokens and the
            target-language token.
        never: tokens that are never copied from the source nor allowed by
            script (other language tokens, special tokens not in ``always``).

    Raises:
        KeyError: an unknown script.
    """
    targets = frozenset(t for t in target_vocabulary if t not in never and _writable(t))
    extra = [t for t in always if t in targets]
    scripted = [t for t in target_vocabulary if t in targets and written_in(t, script)]
    allowed = list(dict.fromkeys(extra + scripted))
    copyable = targets - frozenset(allowed)
    copies = []
    for token in source_vocabulary:
        if token in never or not _writable(token):
            continue
        wanted = tuple(t for t in (token, twin(token)) if t in copyable)
        if wanted:
            copies.append((token, wanted))
    return VocabularyMap(always=tuple(allowed), copies=tuple(copies))


# --------------------------------------------------------------------------- files


def read_vocabulary(folder: Path, side: str = "target") -> list[str]:
    """The tokens of a CTranslate2 model folder, in id order.

    Args:
        side: ``source`` or ``target`` (the same list for a shared vocabulary).
    """
    for name in ("shared_vocabulary", f"{side}_vocabulary"):
        json_path, text_path = folder / f"{name}.json", folder / f"{name}.txt"
        if json_path.is_file():
            tokens: list[str] = json.loads(json_path.read_text(encoding="utf-8"))
            return tokens
        if text_path.is_file():
            return text_path.read_text(encoding="utf-8").split("\n")[:-1]
    raise FileNotFoundError(f"no {side} vocabulary in {folder}")


def view_name(key: str) -> str:
    """The folder name of the view for a target key (``khm_Khmr``, ``km``)."""
    return f"vmap-v{VMAP_VERSION}-" + re.sub(r"[^A-Za-z0-9_.-]", "_", key)


def _link(target: Path, link: Path) -> None:
    try:
        os.symlink(os.path.join("..", target.name), link)
        return
    except (OSError, NotImplementedError):
        pass
    try:
        os.link(target, link)
    except OSError:
        shutil.copy2(target, link)


def is_view(folder: Path) -> bool:
    """Whether ``folder`` is a complete view (its map and model files)."""
    return (folder / VMAP_FILE).is_file() and (folder / "model.bin").is_file()


def install_view(model_dir: Path, key: str, render: Callable[[], str], *, skip: Collection[str] = ()) -> Path:
    """The view folder of ``model_dir`` for target ``key``, building it if needed.

    Args:
        model_dir: a converted CTranslate2 model folder.
        key: the target's name in the folder name.
        render: makes the ``vmap.txt`` text (called only when the view is built).
        skip: files of ``model_dir`` not to link into the view (its own records).

    Returns:
        A folder CTranslate2 can load: the model files plus this target's ``vmap.txt``.
    """
    view = model_dir / view_name(key)
    if is_view(view):
        return view
    temporary = Path(tempfile.mkdtemp(prefix=f".{view.name}-", dir=model_dir))
    try:
        (temporary / VMAP_FILE).write_text(render(), encoding="utf-8", newline="\n")
        for item in sorted(model_dir.iterdir()):
            if item.is_file() and not item.name.startswith(".") and item.name != VMAP_FILE and item.name not in skip:
                _link(item, temporary / item.name)
        if view.exists() and not is_view(view):
            shutil.rmtree(view, ignore_errors=True)  # left over from an interrupted build
        try:
            os.rename(temporary, view)
        except OSError:
            if not is_view(view):  # not a race lost to another process: a real failure
                raise
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    log.info("built vocabulary map %s", view)
    return view
