"""Settings of the ``openai-compatible`` backend: the ``[llm]`` table, prompt templates, the signature.

Everything that shapes the model's text (endpoint, model, prompt template,
sampling settings, batch and context sizes) goes into :meth:`LLMSettings.signature`,
which is part of the translation-memory key and of the provenance written
into catalogs, so that output of another server, model, prompt or setting is
never mixed with this one's.

Layers, later winning: defaults, then the ``[llm]`` table of ``translate.toml``,
then command-line flags (``--endpoint``, ``--model``)::

    [llm]
    endpoint = "http://localhost:8080/v1"
    model = "qwen2.5-7b-instruct"
    concurrency = 4
    batch_sentences = 8

    [llm.template]             # every language
    system = "..."
    user = "..."

    [llm.template.km]          # Khmer only
    user = "..."

    [llm.instructions]         # what $instructions holds, per language
    km = "..."
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import string
from pathlib import Path
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urlsplit

from translate.errors import ConfigError
from translate.languages import Language
from translate.mt.decoding import DecodingConfig
from translate.mt.models import ResolvedModel

BACKEND = "openai-compatible"

#: Names a template may use (``$name``); :mod:`translate.mt.llm.prompt` fills them.
TEMPLATE_FIELDS = ("source_language", "target_language", "target_code", "instructions", "count", "glossary", "context", "sentences")

DEFAULT_SYSTEM = (
    "You are a professional news translator. You translate English news articles into $target_language "
    "for publication, accurately and in the register of a quality newspaper. $instructions"
)

DEFAULT_USER = """Translate each numbered $source_language sentence below into $target_language.

Rules:
- Answer with exactly $count lines, one per sentence, in the same order. Start each line with the sentence's number, a full stop and a space, as in "1. ".
- Write nothing else: no notes, no explanations, no blank lines, no quotation marks around the lines.
- Placeholders such as {1} or {2} stand for names, links, numbers or code. Copy each placeholder of a sentence exactly once into its translation, where it belongs.
- Translate only the numbered sentences. The context, if any, is there to help you understand them; do not translate it.
$glossary$context
Sentences:
$sentences"""

#: Built-in ``$instructions`` by language (language subtag).
DEFAULT_INSTRUCTIONS: Mapping[str, str] = {
    "km": (
        "Write standard modern Khmer as Cambodian newspapers print it. End each sentence with ។ (never a Latin full stop) "
        "and use ៖ for a colon. Do not put spaces between Khmer words; put a space only between phrases or clauses, "
        "and around numbers and Latin-script words. Write the names of people and places in their conventional Khmer "
        "spelling when they have one (ភ្នំពេញ, អង្គរវត្ត); otherwise keep them as written in the English: do not "
        "transliterate a foreign name that has no conventional Khmer form. Keep numbers, dates and amounts as they "
        "are written in the English."
    ),
    "th": "Write standard Thai. Do not put spaces between words; a space separates phrases and sentences.",
    "vi": "Write standard Vietnamese with all diacritics.",
}
GENERIC_INSTRUCTIONS = "Keep the meaning, names and numbers of the English exactly."

_NAME = re.compile(r"\S+")


@dataclass(frozen=True)
class PromptTemplate:
    """The two messages of a request, as :class:`string.Template` texts, and the language notes they use.

    Attributes:
        system: the system message.
        user: the user message.
        instructions: what ``$instructions`` stands for.
    """

    system: str
    user: str
    instructions: str

    @property
    def digest(self) -> str:
        """The first 12 hex digits of the SHA-256 of the template: part of the signature."""
        data = json.dumps([self.system, self.user, self.instructions], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class LLMSettings:
    """How the ``openai-compatible`` backend talks to the server.

    Attributes:
        endpoint: the API's base URL, up to and including ``/v1``.
        model: the model name the server knows (``/v1/models``).
        revision: what the served weights are pinned to (a GGUF file's SHA-256,
            an Ollama digest); the server does not say, so it is ``unpinned``
            unless given. Part of the memory key.
        api_key_env: the environment variable holding the API key, if the
            server wants one (sent as ``Authorization: Bearer``).
        temperature: sampling temperature; 0 = greedy, for reproducible output.
        top_p: nucleus sampling mass.
        seed: sent as ``seed`` when set (servers that honour it sample reproducibly).
        batch_sentences: most sentences of one article in one request.
        context_sentences: neighbouring sentences shown before and after a batch (0 = none).
        concurrency: requests in flight at once.
        timeout: seconds to wait for one reply.
        attempts: tries of one request on a rate limit, a server error, a
            time-out or a dropped connection.
        backoff: seconds before the first retry; doubled each time (with
            jitter), up to ``max_backoff``. A ``Retry-After`` header wins.
        max_backoff: the longest wait between two tries.
        templates: ``(language, template)`` overrides; language ``""`` applies to all.
        instructions: ``(language, text)`` overrides of ``$instructions``.
        extra_body: JSON object merged into every request (server-specific
            options such as ``{"chat_template_kwargs": {"enable_thinking": false}}``).
    """

    endpoint: str = "http://localhost:8080/v1"
    model: str = ""
    revision: str = "unpinned"
    api_key_env: str = ""
    temperature: float = 0.0
    top_p: float = 1.0
    seed: int | None = None
    batch_sentences: int = 8
    context_sentences: int = 2
    concurrency: int = 2
    timeout: float = 120.0
    attempts: int = 5
    backoff: float = 1.0
    max_backoff: float = 30.0
    templates: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    instructions: tuple[tuple[str, str], ...] = ()
    extra_body: str = ""

    def __post_init__(self) -> None:
        problems = []
        parts = urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append(f"endpoint must be an http(s) URL such as http://localhost:8080/v1, not {self.endpoint!r}")
        if self.model and not _NAME.fullmatch(self.model):
            problems.append(f"model must be one word, not {self.model!r}")
        if not _NAME.fullmatch(self.revision):
            problems.append("revision must be one word")
        if not 0 <= self.temperature <= 2:
            problems.append("temperature must lie in 0-2")
        if not 0 < self.top_p <= 1:
            problems.append("top_p must lie in (0, 1]")
        for name in ("batch_sentences", "concurrency", "attempts"):
            if getattr(self, name) < 1:
                problems.append(f"{name} must be at least 1")
        if self.context_sentences < 0:
            problems.append("context_sentences must not be negative")
        if self.timeout <= 0 or self.backoff < 0 or self.max_backoff < self.backoff:
            problems.append("need timeout > 0 and 0 <= backoff <= max_backoff")
        if problems:
            raise ConfigError("invalid [llm] settings: " + "; ".join(problems), hint="see docs/mt.md, open LLMs")
        for lang, parts_ in self.templates:
            for key, text in parts_:
                _check_template(text, f"[llm.template{'.' + lang if lang else ''}] {key}")

    @property
    def url(self) -> str:
        """The endpoint without a trailing slash."""
        return self.endpoint.rstrip("/")

    def template_for(self, lang: Language) -> PromptTemplate:
        """The prompt for ``lang``: its own override, else the general one, else the built-in, part by part."""
        subtag = lang.code.split("-")[0]
        chosen = {"system": DEFAULT_SYSTEM, "user": DEFAULT_USER}
        overrides = dict(self.templates)
        for key in ("", subtag, lang.code):
            chosen.update(dict(overrides.get(key, ())))
        notes = dict(self.instructions)
        instructions = notes.get(lang.code) or notes.get(subtag) or DEFAULT_INSTRUCTIONS.get(subtag) or GENERIC_INSTRUCTIONS
        return PromptTemplate(chosen["system"], chosen["user"], instructions)

    def extra(self) -> dict[str, Any]:
        """``extra_body`` as a dictionary."""
        return json.loads(self.extra_body) if self.extra_body else {}

    def signature(self, config: DecodingConfig, lang: Language | None = None) -> str:
        """Everything that shapes the model's text, as one word (no spaces).

        Args:
            config: decoding settings (output cap and retry; beams do not apply).
            lang: the target language, whose template digest is given; without
                it, the digest of the templates of every language together.
        """
        if lang is not None:
            digest = self.template_for(lang).digest
        else:
            data = json.dumps([DEFAULT_SYSTEM, DEFAULT_USER, sorted(DEFAULT_INSTRUCTIONS.items()), self.templates, self.instructions], ensure_ascii=False)
            digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]
        signature = (
            f"{BACKEND}|endpoint:{self.url}|tpl:{digest}|temp:{self.temperature:g}|top_p:{self.top_p:g}"
            f"|batch:{self.batch_sentences}|ctx:{self.context_sentences}"
            f"|maxnew:{config.max_new_tokens_factor:g}x+{config.max_new_tokens_extra}|retry:{'yes' if config.retry else 'no'}"
        )
        if self.seed is not None:
            signature += f"|seed:{self.seed}"
        if self.extra_body:
            signature += "|extra:" + hashlib.sha256(self.extra_body.encode("utf-8")).hexdigest()[:8]
        return signature


def _check_template(text: str, where: str) -> None:
    try:
        names = {m.group("named") or m.group("braced") for m in string.Template.pattern.finditer(text) if not m.group("escaped")}
        string.Template(text).substitute({name: "" for name in TEMPLATE_FIELDS})
    except (KeyError, ValueError) as error:
        raise ConfigError(f"{where}: unknown or malformed $name {error}", hint="known: $" + ", $".join(TEMPLATE_FIELDS) + "; write $$ for a dollar sign") from error
    if "user" in where and "sentences" not in names:
        raise ConfigError(f"{where} has no $sentences", hint="the user message must hold $sentences, the numbered sentences to translate")


_SCALARS = {f.name: f for f in fields(LLMSettings) if f.name not in ("templates", "instructions", "extra_body")}


def llm_settings(table: Mapping[str, Any] | None = None, flags: Mapping[str, Any] | None = None, base: LLMSettings | None = None) -> LLMSettings:
    """Settings from the ``[llm]`` table and then command-line flags (``None`` values ignored).

    Raises:
        ConfigError: an unknown key, a value of the wrong type or range, a template with an unknown ``$name``.
    """
    settings = base or LLMSettings()
    table = dict(table or {})
    changes: dict[str, Any] = {}
    template = table.pop("template", None)
    if template is not None:
        changes["templates"] = _templates(template)
    instructions = table.pop("instructions", None)
    if instructions is not None:
        if not isinstance(instructions, dict) or not all(isinstance(v, str) for v in instructions.values()):
            raise ConfigError("[llm.instructions] must map language codes to strings", hint='e.g. km = "..."')
        changes["instructions"] = tuple(sorted(instructions.items()))
    extra = table.pop("extra_body", None)
    if extra is not None:
        if not isinstance(extra, dict):
            raise ConfigError("[llm] extra_body must be a table", hint="e.g. [llm.extra_body] with server-specific request fields")
        changes["extra_body"] = json.dumps(extra, sort_keys=True, ensure_ascii=False)
    for layer in (table, dict(flags or {})):
        for key, value in layer.items():
            if value is None:
                continue
            name = key.replace("-", "_")
            if name not in _SCALARS:
                raise ConfigError(f"unknown [llm] setting {key!r}", hint="known: " + ", ".join(sorted([*_SCALARS, "template", "instructions", "extra_body"])))
            changes[name] = _coerce(name, value)
    return replace(settings, **changes)


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(LLMSettings(), name)) if name != "seed" else int
    if isinstance(value, bool) or (kind is str and not isinstance(value, str)) or (kind in (int, float) and not isinstance(value, int | float)):
        raise ConfigError(f"[llm] {name} must be a {'string' if kind is str else 'number'}, not {value!r}")
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ConfigError(f"[llm] {name} must be a whole number, not {value!r}")
    return kind(value)


def _templates(value: Any) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    if not isinstance(value, dict):
        raise ConfigError("[llm] template must be a table with system and/or user", hint="write [llm.template] and [llm.template.km]")
    found: dict[str, dict[str, str]] = {}
    for key, item in value.items():
        if key in ("system", "user"):
            if not isinstance(item, str):
                raise ConfigError(f"[llm.template] {key} must be a string")
            found.setdefault("", {})[key] = item
        elif isinstance(item, dict):
            unknown = set(item) - {"system", "user"}
            if unknown or not all(isinstance(v, str) for v in item.values()):
                raise ConfigError(f"[llm.template.{key}] may hold only the strings system and user")
            found[key] = dict(item)
        else:
            raise ConfigError(f"[llm.template] {key!r}: expected system, user or a language table such as [llm.template.km]")
    return tuple((lang, tuple(sorted(parts.items()))) for lang, parts in sorted(found.items()))


def api_key(settings: LLMSettings, env: Mapping[str, str] = os.environ) -> str | None:
    """The API key named by ``api_key_env``; ``None`` when none is configured.

    Raises:
        ConfigError: the variable is named but not set.
    """
    if not settings.api_key_env:
        return None
    value = env.get(settings.api_key_env)
    if not value:
        raise ConfigError(f"[llm] api_key_env names {settings.api_key_env}, which is not set", hint=f"export {settings.api_key_env}=... or remove api_key_env")
    return value




def remote_model(settings: LLMSettings) -> ResolvedModel:
    """The served model as the rest of the pipeline sees a model: name, revision (pin) and where it is.

    Raises:
        ConfigError: no model named.
    """
    if not settings.model:
        raise ConfigError("no model named for the openai-compatible backend", hint="pass --model NAME (as the server's /v1/models lists it) or set [llm] model")
    return ResolvedModel(name=settings.model, path=Path("."), family="llm", revision=settings.revision, license="unknown", repo=settings.url)
