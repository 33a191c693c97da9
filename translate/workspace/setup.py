"""Turn a workspace configuration into what the stages take: read options,
the engine (loaded at most once, lazily) and the publish settings."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from translate.config import ReadOptions, markdown_options
from translate.editions import Edition, EditionFormat
from translate.errors import ConfigError
from translate.khmer import KhmerOptions, khmer_options
from translate.languages import Language
from translate.mt.decoding import DecodingConfig, decoding_config
from translate.mt.engine import Engine
from translate.mt.llm.settings import LLMSettings, llm_settings
from translate.mt.models import ResolvedModel
from translate.mt.jobs import EngineSpec, ExecutorSettings, executor_settings
from translate.publish import PublishOptions, Untranslated
from translate.rules import PublishRules, parse_parts
from translate.workspace.config import WorkspaceConfig

#: The stand-in model of the fake engine (tests and benchmarks).
FAKE_MODEL = ResolvedModel("fake", Path("."), "nllb", "0" * 12, "none")


def read_options(config: WorkspaceConfig) -> ReadOptions:
    """How the workspace's articles are read."""
    from translate.formats.html_select import html_settings

    html = html_settings(config.table("html"), path=config.file)
    options = ReadOptions(front_matter_keys=config.front_matter_keys, encoding=config.encoding, **html)
    options = markdown_options(options, config.table("markdown"), config.file)
    if config.keep_furniture:
        options = replace(options, skip_lines=(), stop_at=())
    return options


@dataclass(frozen=True)
class EngineSetup:
    """The engine of a run: its identity (``spec``), a loader for the local executor, Khmer post-processing."""

    spec: EngineSpec
    loader: Callable[[], Engine]
    khmer: KhmerOptions | None = None


def decoding(config: WorkspaceConfig) -> DecodingConfig:
    """Decoding settings: defaults, then ``[decoding]`` of the configuration file."""
    try:
        return decoding_config(config.table("decoding"))
    except ConfigError as error:
        error.path = error.path or str(config.file or config.root)
        raise


def _mt_settings(config: WorkspaceConfig, settings: DecodingConfig) -> Any:
    """The model settings of a workspace: its model, backend, models.lock (when it has one) and commercial use."""
    from translate.mt.setup import MTSettings

    lock = config.root / "models.lock"
    return MTSettings(model=config.model, backend=config.backend, decoding=settings, lock=lock if lock.is_file() else None,
                      commercial=config.commercial, llm=llm(config))


def executor(config: WorkspaceConfig, flags: Mapping[str, Any] | None = None) -> ExecutorSettings:
    """Where the model runs: ``[executor]`` of the configuration file, then the flags.

    Raises:
        ConfigError: an unknown or invalid setting.
    """
    return executor_settings(config.table("executor"), flags, path=str(config.file or config.root))


def engine_setup(config: WorkspaceConfig, on_model: Callable[[Any], None] | None = None, *, pool: bool = False) -> EngineSetup:
    """Find the model (pulling a locked one on first use) and prepare a lazy engine.

    Args:
        pool: the model runs on a pool of workers: a locked model need not be
            on this machine (each worker has its own copy).

    Raises:
        TranslateError: the model is unknown, missing or cannot be pulled.
    """
    settings = decoding(config)
    khmer = khmer_options(config.table("khmer"))
    if config.backend == "fake":
        from translate.mt.backends.fake import FakeEngine

        delay = dict(config.backend_options).get("delay", 0.0)
        spec = EngineSpec("fake", FAKE_MODEL, settings, options=config.backend_options)
        return EngineSetup(spec, lambda: FakeEngine(FAKE_MODEL, settings, delay=delay), khmer)
    from translate.mt.setup import choose_backend, llm_for, load_engine, resolve, resolve_for_pool

    mt_settings = _mt_settings(config, settings)
    model = resolve_for_pool(mt_settings) if pool else resolve(mt_settings)[0]
    if on_model is not None:
        on_model(model)
    backend = choose_backend(mt_settings, model)
    return EngineSetup(EngineSpec(backend, model, settings, llm_for(mt_settings, backend)), lambda: load_engine(mt_settings, model, backend), khmer)


def llm(config: WorkspaceConfig) -> LLMSettings | None:
    """The ``[llm]`` table, when the workspace's engine is ``openai-compatible``.

    Raises:
        ConfigError: an invalid setting (naming the configuration file).
    """
    if config.backend != "openai-compatible":
        return None
    try:
        return llm_settings(config.table("llm"))
    except ConfigError as error:
        error.path = error.path or str(config.file or config.root)
        raise


@dataclass(frozen=True)
class PublishSettings:
    """Publish options per language, the editions to write (with the format
    of the bilingual one; ``None`` for the localized one: the article's own) and the rules."""

    options: dict[str, PublishOptions]
    editions: tuple[tuple[Edition, EditionFormat | None], ...]
    rules: PublishRules | None

    @property
    def can_hold(self) -> bool:
        """Whether a refusal to publish is a rule at work (a publish rule, or ``untranslated = "fail"``)
        rather than an error: the article is then held back, not failed."""
        return self.rules is not None or any(o.untranslated is Untranslated.FAIL for o in self.options.values())


def publish_rules(config: WorkspaceConfig) -> PublishRules | None:
    """``[publish]`` ``min_reviewed`` and ``require_reviewed``.

    Raises:
        ConfigError: a value of the wrong type.
    """
    table = config.table("publish")
    where = config.file or config.root
    minimum = table.get("min_reviewed")
    if minimum is not None and (isinstance(minimum, bool) or not isinstance(minimum, int | float)):
        raise ConfigError("[publish] min_reviewed must be a number between 0 and 1", path=where)
    parts = table.get("require_reviewed", [])
    if not isinstance(parts, str | list):
        raise ConfigError('[publish] require_reviewed must be a list such as ["title", "lede"]', path=where)
    rules = PublishRules(float(minimum) if minimum is not None else None, parse_parts(parts))
    return rules if rules.active else None


def _switch(config: WorkspaceConfig, key: str) -> bool:
    value = config.table("publish").get(key, False)
    if not isinstance(value, bool):
        raise ConfigError(f"[publish] {key} must be true or false", path=config.file or config.root)
    return value


def _labels(config: WorkspaceConfig, lang: Language) -> dict[str, str]:
    table = config.table("labels")
    value = table.get(lang.code) or table.get(lang.code.split("-")[0]) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()) or set(value) - {"reviewed", "partial"}:
        raise ConfigError(f"[labels.{lang.code}] must map reviewed and partial to strings", path=config.file or config.root)
    from translate.labels import check_plain

    check_plain(lang, value, config.file or config.root)
    return dict(value)


def publish_settings(config: WorkspaceConfig, langs: Sequence[Language]) -> PublishSettings:
    """Everything publishing needs, from ``[workspace]``, ``[publish]`` (rules, ``label``, ``metadata``, ``strict``, ``layout``) and ``[labels.<lang>]``.

    Raises:
        ConfigError: a setting of the wrong type.
    """
    from translate.workspace.layout import workspace_layout

    label, metadata, strict = _switch(config, "label"), _switch(config, "metadata"), _switch(config, "strict")
    layout = workspace_layout(config)
    options = {
        lang.code: PublishOptions(
            untranslated=Untranslated(config.untranslated),
            include_fuzzy=config.include_fuzzy,
            label=label,
            labels=_labels(config, lang),
            metadata=metadata,
            strict=strict,
            layout=layout,
        )
        for lang in langs
    }
    fmt = EditionFormat(config.edition_format)
    editions = tuple((Edition(name), fmt if name == "bilingual" else None) for name in config.editions)
    return PublishSettings(options, editions, publish_rules(config))


def validate(config: WorkspaceConfig, langs: Sequence[Language]) -> None:
    """Check every setting before anything is written.

    A commercial workspace's model is checked against its license here, so
    that a refused model stops the run before any article is touched.

    Raises:
        ConfigError: the first invalid setting (LicenseError: a model the
            license forbids for commercial use).
    """
    settings = decoding(config)
    llm(config)
    khmer_options(config.table("khmer"))
    publish_settings(config, langs)
    if config.commercial and config.backend != "fake":
        from translate.mt.setup import check_license

        check_license(_mt_settings(config, settings))
    executor(config)
