"""Choose, find and load the model for a run: lock file, model folder, engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import ConfigError, TranslateError
from translate.mt.decoding import DecodingConfig
from translate.mt.engine import Engine, create_engine
from translate.mt.licensing import LicenseError, check_commercial
from translate.mt.llm.settings import BACKEND as LLM_BACKEND
from translate.mt.llm.settings import LLMSettings, api_key, remote_model
from translate.mt.models import (
    ModelLock,
    ModelMissingError,
    ResolvedModel,
    load_lock,
    looks_like_path,
    model_folder,
    models_dir,
    pull,
    resolve_model,
)
from translate.mt.recommend import commercial_default, describe

log = logging.getLogger(__name__)

LOCK_NAME = "models.lock"


def find_lock(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The models.lock to use: ``explicit``, else one in the working folder, else the project's own.

    The project's own is package data (``translate/models.lock``): in a
    checkout a link to the repository's ``models.lock``, resolved here so that
    ``translate models lock`` writes the repository's file; in an installed
    wheel a copy of it.

    Raises:
        ConfigError: none found.
    """
    if explicit is not None:
        return explicit
    candidates = [(cwd or Path.cwd()) / LOCK_NAME, (Path(__file__).resolve().parents[1] / LOCK_NAME).resolve()]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise ConfigError("no models.lock found", hint="run from the project folder or pass --lock PATH")


@dataclass(frozen=True)
class MTSettings:
    """Everything that decides which model translates, and how.

    Attributes:
        model: a models.lock name or a local model folder; ``None`` = the lock's default.
        backend: the engine backend; ``auto`` picks CTranslate2 when it is
            installed and the model has a conversion, else transformers;
            ``openai-compatible`` asks a chat-completions server (``llm``).
        decoding: decoding settings.
        lock: models.lock to use (default: see :func:`find_lock`).
        models: where pulled models live (default: :func:`translate.mt.models.models_dir`).
        pull: download a locked model that is not there yet.
        progress: show download progress.
        commercial: the translation is for commercial use: a model whose
            license forbids it is refused (see :mod:`translate.mt.licensing`)
            and the default is the best permitted locked model.
        llm: server and prompt settings of the ``openai-compatible`` backend
            (its ``model`` is the served model's name; ``model`` above wins when given).
    """

    model: str | None = None
    backend: str = "auto"
    decoding: DecodingConfig = field(default_factory=DecodingConfig)
    lock: Path | None = None
    models: Path | None = None
    pull: bool = True
    progress: bool = False
    commercial: bool = False
    llm: LLMSettings | None = None


def resolve(settings: MTSettings) -> tuple[ResolvedModel, ModelLock | None]:
    """Find the model folder, pulling a locked model on first use when allowed.

    A bare name is a models.lock name; only a path (``./tiny``, ``/models/x``)
    is a local folder, so no folder can stand in for a locked model. With
    ``settings.commercial`` the license is checked before anything is pulled
    or loaded.

    Raises:
        LicenseError: commercial use of a model whose license forbids it (or is unknown).
        ModelMissingError: not pulled and pulling is off.
        TranslateError: the lock is invalid, the model unknown, or the download failed.
    """
    if settings.backend == LLM_BACKEND:
        return remote_model(served(settings)), None
    spec = settings.model
    if spec is not None and looks_like_path(spec):
        model = resolve_model(spec, _empty_lock(), Path("."))
        if settings.commercial:
            check_commercial(model.name, model.license, model.commercial_use, local=True,
                             suggestion=_permitted(_lock_if_any(settings.lock)))
        return model, None
    lock = load_lock(find_lock(settings.lock))
    root = settings.models or models_dir()
    name = _licensed_name(settings, lock)
    try:
        return resolve_model(name, lock, root), lock
    except ModelMissingError:
        if not settings.pull:
            raise
        log.info("pulling %s on first use", name)
        pull(lock, name, root, progress=settings.progress)
        return resolve_model(name, lock, root), lock


def _licensed_name(settings: MTSettings, lock: ModelLock) -> str:
    """The locked model's name: the one asked for, else the default (for commercial use: the best permitted).

    Raises:
        LicenseError: commercial use of a locked model whose license forbids it.
    """
    if settings.model is None:
        return commercial_default(lock).name if settings.commercial else lock.default.name
    if settings.commercial and settings.model in lock.names:
        locked = lock.get(settings.model)
        check_commercial(locked.name, locked.license, locked.commercial_use, suggestion=_permitted(lock))
    return settings.model


def check_license(settings: MTSettings) -> None:
    """Refuse, before any work, a model that ``settings.commercial`` forbids; nothing is pulled or loaded.

    Unknown names and missing folders are left for :func:`resolve` to report.

    Raises:
        LicenseError: see :func:`resolve`.
    """
    if not settings.commercial:
        return
    spec = settings.model
    if spec is not None and looks_like_path(spec):
        try:
            model = resolve_model(spec, _empty_lock(), Path("."))
        except TranslateError:
            return
        check_commercial(model.name, model.license, model.commercial_use, local=True,
                         suggestion=_permitted(_lock_if_any(settings.lock)))
        return
    _licensed_name(settings, load_lock(find_lock(settings.lock)))
def resolve_for_pool(settings: MTSettings) -> ResolvedModel:
    """The model as workers on other machines will look for it: name, revision and file hashes from the lock.

    Raises:
        PoolError: the ``openai-compatible`` backend, whose server spreads its own work.

    The driver of a pool need not hold the model: a locked model is named
    whether or not it is pulled here (each worker finds it in its own models
    folder and checks its files); a local folder must exist here too, so its
    revision (the hash of its ``config.json``) can be compared with each worker's.

    Raises:
        TranslateError: the lock is invalid or the model unknown, or a local folder is missing.
    """
    if settings.backend == LLM_BACKEND or settings.llm is not None:
        from translate.mt.jobs.types import PoolError

        raise PoolError(
            f"the {LLM_BACKEND} backend sends sentences to an LLM server, which spreads its own work",
            hint="use --executor local with it; scale the server instead: docs/scale.md",
        )
    spec = settings.model
    if spec is not None and looks_like_path(spec):
        return resolve_model(spec, _empty_lock(), Path("."))
    lock = load_lock(find_lock(settings.lock))
    root = settings.models or models_dir()
    name = spec or lock.default.name
    try:
        return resolve_model(name, lock, root)
    except ModelMissingError:
        locked = lock.get(name)
        return ResolvedModel(locked.name, model_folder(locked, root), locked.family, locked.revision, locked.license,
                             locked.repo, locked.commercial_use, locked.files)


def _empty_lock() -> ModelLock:
    return ModelLock(path=Path(LOCK_NAME), models=())


def _lock_if_any(explicit: Path | None) -> ModelLock | None:
    """The models.lock a hint can name models from, or None when there is none (or it is invalid)."""
    try:
        return load_lock(find_lock(explicit))
    except TranslateError:
        return None


def _permitted(lock: ModelLock | None) -> str | None:
    """The best locked model for commercial use, as a hint describes it, or None."""
    if lock is None:
        return None
    try:
        return describe(commercial_default(lock))
    except LicenseError:
        return None


def choose_backend(settings: MTSettings, model: ResolvedModel) -> str:
    """The backend to use: the one asked for, or for ``auto`` the fastest available."""
    if settings.backend != "auto":
        return settings.backend
    from translate.mt.convert import available_conversions

    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return "transformers"
    return "ctranslate2" if available_conversions(model, settings.models) else "transformers"


def served(settings: MTSettings) -> LLMSettings:
    """The ``openai-compatible`` settings, with ``model`` given by ``settings.model`` when set."""
    from dataclasses import replace

    llm = settings.llm or LLMSettings()
    return replace(llm, model=settings.model) if settings.model else llm


def llm_for(settings: MTSettings, backend: str) -> LLMSettings | None:
    """The server settings that identify the output of ``backend`` (``None`` for a local model)."""
    return served(settings) if backend == LLM_BACKEND else None


def load_engine(settings: MTSettings, model: ResolvedModel, backend: str | None = None) -> Engine:
    """Load the model with the chosen backend."""
    backend = backend or choose_backend(settings, model)
    if backend == LLM_BACKEND:
        llm = served(settings)
        return create_engine(backend, model, settings.decoding, options={"llm": llm, "api_key": api_key(llm)})
    return create_engine(backend, model, settings.decoding)
