"""Model families and their language-code conventions.

Users name languages with BCP-47 tags (``--to km``); each family wants its own
codes: NLLB-200 ``khm_Khmr`` (forced as the first generated token), M2M100
``km`` (likewise), multi-target OPUS-MT (Marian) a ``>>khm<<`` token before the
source, MADLAD-400 (T5) a ``<2km>`` token before the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from translate.errors import ConfigError
from translate.languages import Language
from translate.mt.nllb_codes import BCP47_TO_NLLB, NLLB_CODES

M2M100_CODES = tuple(
    "af am ar ast az ba be bg bn br bs ca ceb cs cy da de el en es et fa ff fi fr fy ga gd gl gu ha he hi hr ht hu "
    "hy id ig ilo is it ja jv ka kk km kn ko lb lg ln lo lt lv mg mk ml mn mr ms my ne nl no ns oc or pa pl ps pt "
    "ro ru sd si sk sl so sq sr ss su sv sw ta th tl tn tr uk ur uz vi wo xh yi yo zh zu".split()
)


class Family(StrEnum):
    """A family of translation models sharing architecture and language conventions."""

    NLLB = "nllb"
    M2M100 = "m2m100"
    MARIAN = "marian"
    MADLAD = "madlad"


class UnsupportedLanguageError(ConfigError):
    """A model family cannot translate from or into a language."""


@dataclass(frozen=True)
class LanguageCodes:
    """How to ask a model for a language pair.

    Attributes:
        source: the source-language code the tokenizer is told (NLLB, M2M100), or ``None``.
        source_token: the token that code puts before the source, or ``None``.
        target: the family's code of the target language.
        forced_bos: a token forced as the first output token (NLLB, M2M100), or ``None``.
        prefix: text put before each source sentence (Marian, MADLAD), or ``""``.
    """

    source: str | None
    source_token: str | None
    target: str
    forced_bos: str | None
    prefix: str


def _subtags(lang: Language) -> tuple[str, str | None]:
    parts = lang.gettext.split("_")
    script = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    return parts[0], script


def nllb_code(lang: Language) -> str | None:
    """The NLLB-200 code of a language, or ``None`` when NLLB does not have it."""
    primary, script = _subtags(lang)
    code = BCP47_TO_NLLB.get(primary)
    if code is None:
        return None
    if script:
        scripted = f"{code.split('_')[0]}_{script}"
        return scripted if scripted in NLLB_CODES else None
    if primary == "zh" and lang.gettext.split("_")[-1] in ("TW", "HK", "MO"):
        return "zho_Hant"
    return code


def _unsupported(family: Family, lang: Language, supported: list[str], role: str) -> UnsupportedLanguageError:
    return UnsupportedLanguageError(
        f"{family} models cannot translate {role} {lang.english_name} ({lang.code}); supported: {' '.join(sorted(supported))}",
        hint="choose another --to language or another --model",
    )


def _nllb_supported() -> list[str]:
    return sorted({k for k, v in BCP47_TO_NLLB.items()})


def language_codes(family: Family, src: Language, tgt: Language, vocabulary: frozenset[str] = frozenset()) -> LanguageCodes:
    """The codes that ask a model of ``family`` to translate ``src`` into ``tgt``.

    Args:
        vocabulary: the tokenizer's tokens, used by families whose languages are
            tokens of the particular model (Marian, MADLAD).

    Raises:
        UnsupportedLanguageError: the family (or model) has no such language; the
            message lists the supported ones.
    """
    if family is Family.NLLB:
        source, target = nllb_code(src), nllb_code(tgt)
        if source is None:
            raise _unsupported(family, src, _nllb_supported(), "from")
        if target is None:
            raise _unsupported(family, tgt, _nllb_supported(), "into")
        return LanguageCodes(source=source, source_token=source, target=target, forced_bos=target, prefix="")
    primary_src, primary_tgt = _subtags(src)[0], _subtags(tgt)[0]
    if family is Family.M2M100:
        for lang, code, role in ((src, primary_src, "from"), (tgt, primary_tgt, "into")):
            if code not in M2M100_CODES:
                raise _unsupported(family, lang, list(M2M100_CODES), role)
        return LanguageCodes(source=primary_src, source_token=f"__{primary_src}__", target=primary_tgt, forced_bos=f"__{primary_tgt}__", prefix="")
    if family is Family.MARIAN:
        targets = sorted(t[2:-2] for t in vocabulary if t.startswith(">>") and t.endswith("<<"))
        if not targets:  # a single-pair model: nothing to choose
            return LanguageCodes(source=None, source_token=None, target=primary_tgt, forced_bos=None, prefix="")
        nllb = nllb_code(tgt)
        candidates = [primary_tgt] + ([nllb, nllb.split("_")[0]] if nllb else [])
        for candidate in candidates:
            if f">>{candidate}<<" in vocabulary:
                return LanguageCodes(source=None, source_token=None, target=candidate, forced_bos=None, prefix=f">>{candidate}<< ")
        raise _unsupported(family, tgt, targets, "into")
    if family is Family.MADLAD:
        token = f"<2{tgt.gettext}>" if f"<2{tgt.gettext}>" in vocabulary else f"<2{primary_tgt}>"
        if vocabulary and token not in vocabulary:
            targets = sorted(t[2:-1] for t in vocabulary if t.startswith("<2") and t.endswith(">"))
            raise _unsupported(family, tgt, targets, "into")
        return LanguageCodes(source=None, source_token=None, target=token[2:-1], forced_bos=None, prefix=f"{token} ")
    raise ConfigError(f"unknown model family {family!r}")
