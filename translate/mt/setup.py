"""Choose, find and load the model for a run: lock file, model folder, engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from translate.errors import ConfigError
from translate.mt.decoding import DecodingConfig
from translate.mt.engine import Engine, create_engine
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

log = logging.getLogger(__name__)

LOCK_NAME = "models.lock"


def find_lock(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The models.lock to use: ``explicit``, else one in the working folder, else the project's own.

    Raises:
        ConfigError: none found.
    """
    if explicit is not None:
        return explicit
    candidates = [(cwd or Path.cwd()) / LOCK_NAME, Path(__file__).resolve().parents[2] / LOCK_NAME]
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
            installed and the model has a conversion, else transformers.
        decoding: decoding settings.
        lock: models.lock to use (default: see :func:`find_lock`).
        models: where pulled models live (default: :func:`translate.mt.models.models_dir`).
        pull: download a locked model that is not there yet.
        progress: show download progress.
    """

    model: str | None = None
    backend: str = "auto"
    decoding: DecodingConfig = field(default_factory=DecodingConfig)
    lock: Path | None = None
    models: Path | None = None
    pull: bool = True
    progress: bool = False


def resolve(settings: MTSettings) -> tuple[ResolvedModel, ModelLock | None]:
    """Find the model folder, pulling a locked model on first use when allowed.

    A bare name is a models.lock name; only a path (``./tiny``, ``/models/x``)
    is a local folder, so no folder can stand in for a locked model.

    Raises:
        ModelMissingError: not pulled and pulling is off.
        TranslateError: the lock is invalid, the model unknown, or the download failed.
    """
    spec = settings.model
    if spec is not None and looks_like_path(spec):
        return resolve_model(spec, _empty_lock(), Path(".")), None
    lock = load_lock(find_lock(settings.lock))
    root = settings.models or models_dir()
    name = spec or lock.default.name
    try:
        return resolve_model(name, lock, root), lock
    except ModelMissingError:
        if not settings.pull:
            raise
        log.info("pulling %s on first use", name)
        pull(lock, name, root, progress=settings.progress)
        return resolve_model(name, lock, root), lock


def resolve_for_pool(settings: MTSettings) -> ResolvedModel:
    """The model as workers on other machines will look for it: name, revision and file hashes from the lock.

    The driver of a pool need not hold the model: a locked model is named
    whether or not it is pulled here (each worker finds it in its own models
    folder and checks its files); a local folder must exist here too, so its
    revision (the hash of its ``config.json``) can be compared with each worker's.

    Raises:
        TranslateError: the lock is invalid or the model unknown, or a local folder is missing.
    """
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


def load_engine(settings: MTSettings, model: ResolvedModel, backend: str | None = None) -> Engine:
    """Load the model with the chosen backend."""
    return create_engine(backend or choose_backend(settings, model), model, settings.decoding)
