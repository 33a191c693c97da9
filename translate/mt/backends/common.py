"""What every model backend does around the model itself.

Splitting over-long sentences at clause boundaries and joining the parts
again, choosing the language codes and checking the model has their tokens,
turning generated tokens into a :class:`~translate.mt.types.Translation` with
its issues, and translating flagged outputs a second time. The backends differ
only in how they tokenize and run the model; keeping the rest here makes their
outputs comparable token for token.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Sequence
from typing import Any

from translate.languages import Language
from translate.mt.clauses import split_clauses
from translate.mt.decoding import DecodingConfig
from translate.mt.families import (
    M2M100_CODES,
    Family,
    LanguageCodes,
    UnsupportedLanguageError,
    language_codes,
)
from translate.mt.models import ResolvedModel
from translate.mt.nllb_codes import NLLB_CODES
from translate.mt.quality import assess
from translate.mt.types import EngineSignature, Issue, Translation

#: Issues that a second try with anti-repetition settings may fix.
RETRY_ON = (Issue.REPETITION, Issue.HIT_LENGTH_CAP)


def _has_token(tokenizer: Any, token: str) -> bool:
    token_id = tokenizer.convert_tokens_to_ids(token)
    return token_id is not None and token_id != tokenizer.unk_token_id


def known_language_tokens(tokenizer: Any) -> frozenset[str]:
    """Every NLLB or M2M100 language token the tokenizer has (``khm_Khmr``, ``__km__``).

    transformers 5's ``M2M100Tokenizer`` keeps its language tokens out of
    ``get_vocab()`` and ``all_special_ids``, so they are looked up one by one.
    """
    candidates = (*NLLB_CODES, *(f"__{code}__" for code in M2M100_CODES))
    return frozenset(token for token in candidates if _has_token(tokenizer, token))


def special_ids(tokenizer: Any) -> frozenset[int]:
    """Ids that are never output text: special tokens and language tokens."""
    languages = tokenizer.convert_tokens_to_ids(sorted(known_language_tokens(tokenizer)))
    return frozenset(tokenizer.all_special_ids) | frozenset(languages)


def language_tokens(model: ResolvedModel, tokenizer: Any) -> list[str]:
    """The language codes the model's tokenizer has tokens for (for error messages)."""
    if Family(model.family) is Family.M2M100:
        return [code for code in M2M100_CODES if _has_token(tokenizer, f"__{code}__")]
    return [code for code in NLLB_CODES if _has_token(tokenizer, code)]


def resolve_codes(model: ResolvedModel, tokenizer: Any, vocabulary: frozenset[str], src: Language, tgt: Language) -> LanguageCodes:
    """The family's codes for ``src`` -> ``tgt``, checked against the tokenizer.

    Sets the tokenizer's source language (NLLB, M2M100) as a side effect, so
    that encoding puts the source-language token first.

    Raises:
        UnsupportedLanguageError: the family or this model has no such language.
    """
    codes = language_codes(Family(model.family), src, tgt, vocabulary)
    for code in (codes.source_token, codes.forced_bos):
        if code is not None and not _has_token(tokenizer, code):
            raise UnsupportedLanguageError(
                f"model {model.name} has no language token {code}; supported: {' '.join(language_tokens(model, tokenizer))}",
                hint="choose another --to language or another --model",
            )
    if codes.source is not None and hasattr(tokenizer, "src_lang"):
        tokenizer.src_lang = codes.source
    return codes


def make_translation(
    source: str,
    text: str,
    *,
    input_tokens: int,
    content_ids: Sequence[int],
    ended: bool,
    cap: int,
    config: DecodingConfig,
) -> Translation:
    """One translation with its issues.

    Args:
        source: the sentence (or clause) translated.
        text: the decoded output.
        input_tokens: source length in tokens, special tokens included.
        content_ids: generated ids without special or language tokens.
        ended: whether the decoder produced the end-of-sentence token; if not,
            it stopped at the length cap.
        cap: the length cap for this source (``config.max_new_tokens(input_tokens)``).
        config: the settings it was decoded with.
    """
    issues = set(assess(source, text, input_tokens=input_tokens, output_tokens=len(content_ids),
                        output_token_ids=list(content_ids), max_new_tokens=cap, config=config))
    if not ended:
        issues.add(Issue.HIT_LENGTH_CAP)
    ordered = tuple(issue for issue in Issue if issue in issues)
    return Translation(source=source, text=text, input_tokens=input_tokens, output_tokens=len(content_ids), issues=ordered)


def run_with_retry(count: int, run: Callable[[Sequence[int], DecodingConfig], list[Translation]], config: DecodingConfig) -> list[Translation]:
    """Translate items ``0..count-1``, then those with a :data:`RETRY_ON` issue again.

    Args:
        count: how many items.
        run: translates the items at the given positions with the given
            settings and returns one translation per position, in order.
        config: the first pass's settings; the retry uses ``config.retry_settings()``.

    Returns:
        One translation per item; a retried one replaces the first only if it
        has fewer issues, and is then marked ``retried``.
    """
    first = run(range(count), config)
    if not config.retry:
        return first
    again = [i for i, t in enumerate(first) if any(issue in t.issues for issue in RETRY_ON)]
    if not again:
        return first
    second = run(again, config.retry_settings())
    for index, retried in zip(again, second, strict=True):
        if len(retried.issues) < len(first[index].issues):
            first[index] = dataclasses.replace(retried, retried=True)
    return first


def translate_in_parts(
    sentences: Sequence[str],
    tgt: Language,
    count: Callable[[str], int],
    max_input_tokens: int,
    translate_parts: Callable[[list[str]], list[Translation]],
) -> list[Translation]:
    """Split sentences over the input budget into clauses, translate all parts, join them.

    Args:
        sentences: the sentences, in order.
        tgt: the target language (for the sentence joiner).
        count: the number of model tokens of a text.
        max_input_tokens: the input budget.
        translate_parts: translates a list of texts, one translation each, in order.
    """
    parts: list[str] = []
    owners: list[int] = []
    for index, sentence in enumerate(sentences):
        pieces = split_clauses(sentence, count, max_input_tokens)
        parts.extend(pieces)
        owners.extend([index] * len(pieces))
    translated = translate_parts(parts)
    grouped: list[list[Translation]] = [[] for _ in sentences]
    for owner, translation in zip(owners, translated, strict=True):
        grouped[owner].append(translation)
    return [join(sentence, group, tgt) for sentence, group in zip(sentences, grouped, strict=True)]


def join(sentence: str, group: Sequence[Translation], tgt: Language) -> Translation:
    """One translation of ``sentence`` from the translations of its clauses (``SPLIT`` if several)."""
    if len(group) == 1:
        return group[0]
    issues = {Issue.SPLIT} | {issue for t in group for issue in t.issues}
    return Translation(
        source=sentence,
        text=tgt.sentence_joiner.join(t.text for t in group),
        input_tokens=sum(t.input_tokens for t in group),
        output_tokens=sum(t.output_tokens for t in group),
        issues=tuple(issue for issue in Issue if issue in issues),
        retried=any(t.retried for t in group),
    )


def content_ids(ids: Sequence[int], special_ids: Collection[int]) -> list[int]:
    """Generated ids without special and language tokens (nor padding)."""
    return [i for i in ids if i not in special_ids]


def engine_signature(backend: str, model: ResolvedModel, device: str, precision: str, settings: str) -> EngineSignature:
    """The signature of an engine of ``backend`` for ``model`` (with this process's masking rules version)."""
    from translate.mt.protect import VERSION as MASK_VERSION

    return EngineSignature(backend, model.name, model.revision, device, precision, settings, MASK_VERSION)
