"""The pinned model registry: ``models.lock``, model folders, integrity and loading safety.

``models.lock`` (TOML) pins each supported model to a Hugging Face repository,
a commit and the SHA-256 and size of every file. A pulled model is a plain
folder, ``<models dir>/<name>/<revision>/``, holding exactly the locked files.

Plain folders rather than the Hugging Face cache: ``from_pretrained(folder)``
loads them with no hub code and no network; they hold real files, not cache
symlinks into ``blobs/``, so they can be copied to an offline machine with
``cp -r`` or ``rsync`` (or passed as ``--model ./dir``); and derived formats
(CTranslate2 conversions in ``ct2-*`` sub-folders) sit next to the weights
they were made from, under the same revision.

The lock file itself is parsed in :mod:`translate.mt.lockfile`. Nothing heavy
is imported here: downloading and rewriting the lock live in
:mod:`translate.mt.hub`, which imports ``huggingface_hub`` only when a
download starts.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from translate.mt.integrity import (
    FileCheck,
    FileStatus,
    IntegrityError,
    VerifyReport,
    require_intact,
    sha256_file,
    verify_folder,
)
from translate.mt.licensing import card_license, permits_commercial
from translate.mt.lockfile import (
    FAMILIES,
    FORMATS,
    LockedFile,
    LockedModel,
    ModelError,
    ModelLock,
    ModelMissingError,
    Quality,
    load_lock,
    parse_lock,
)

__all__ = [
    "FAMILIES", "FORMATS", "SAFE_LOAD_KWARGS", "FileCheck", "FileStatus", "IntegrityError", "LockedFile", "LockedModel", "ModelError",
    "ModelLock", "ModelMissingError", "ModelStatus", "Quality", "ResolvedModel", "VerifyReport", "check_weights_safe",
    "detect_family", "formats_present", "license_warning", "list_models", "load_kwargs", "load_lock", "lock_hashes", "looks_like_path",
    "model_folder", "model_path", "models_dir", "parse_lock", "pickle_refusal", "pull", "resolve_model", "sha256_file",
    "verify", "verify_folder", "verify_on_use",
]

logger = logging.getLogger(__name__)

#: Keyword arguments every ``from_pretrained`` call gets: no code from the model
#: folder is ever run, and nothing is fetched from the network.
SAFE_LOAD_KWARGS: Mapping[str, object] = MappingProxyType({"trust_remote_code": False, "local_files_only": True})

_PICKLE_SUFFIXES = frozenset({".bin", ".pt", ".pth", ".ckpt"})
_MIN_TORCH_FOR_PICKLE = (2, 6)


# --------------------------------------------------------------------------- paths


def models_dir(env: Mapping[str, str] = os.environ) -> Path:
    """Where pulled models live.

    ``$TRANSLATE_MODELS`` if set, else ``$XDG_CACHE_HOME/translate/models``,
    else ``~/.cache/translate/models``. This is the only place the environment
    is read.
    """
    if env.get("TRANSLATE_MODELS"):
        return Path(env["TRANSLATE_MODELS"]).expanduser()
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]).expanduser() / "translate" / "models"
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    return home / ".cache" / "translate" / "models"


def model_folder(model: LockedModel, root: Path) -> Path:
    """The folder a locked model is (or would be) pulled to; it may not exist."""
    return Path(root) / model.name / (model.revision or "unpinned")


def model_path(lock: ModelLock, name: str, root: Path) -> Path:
    """The local folder of a pulled model.

    Raises:
        ModelError: the lock has no model of that name.
        ModelMissingError: the model is not downloaded, or some locked file is missing.
    """
    model = lock.get(name)
    folder = model_folder(model, root)
    if not folder.is_dir():
        raise ModelMissingError(f"model '{name}' is not downloaded", hint=f"run: translate models pull {name}")
    missing = [f.path for f in model.files if not (folder / f.path).is_file()]
    if missing:
        raise ModelMissingError(
            f"model '{name}' is incomplete: {', '.join(missing)} missing in {folder}",
            hint=f"run: translate models pull {name}",
        )
    return folder


# --------------------------------------------------------------------------- integrity


def verify(lock: ModelLock, name: str, root: Path) -> VerifyReport:
    """Check a pulled model's files against models.lock.

    Raises:
        ModelMissingError: the model folder does not exist at all.
    """
    model = lock.get(name)
    folder = model_folder(model, root)
    if not folder.is_dir():
        raise ModelMissingError(f"model '{name}' is not downloaded", hint=f"run: translate models pull {name}")
    return verify_folder(model, folder)


# --------------------------------------------------------------------------- listing


def formats_present(path: Path) -> tuple[str, ...]:
    """The model formats a folder holds.

    ``transformers``: ``config.json`` with ``*.safetensors`` or ``pytorch_model*.bin``.
    ``ct2``: a CTranslate2 ``model.bin`` in the folder itself or in a ``ct2-*`` sub-folder.
    """
    path = Path(path)
    if not path.is_dir():
        return ()
    found = []
    if (path / "config.json").is_file() and (any(path.glob("*.safetensors")) or any(path.glob("pytorch_model*.bin"))):
        found.append("transformers")
    if (path / "model.bin").is_file() or any(
        sub.is_dir() and sub.name.startswith("ct2-") and (sub / "model.bin").is_file() for sub in path.iterdir()
    ):
        found.append("ct2")
    return tuple(found)


@dataclass(frozen=True)
class ModelStatus:
    """One line of ``translate models list``: a locked model and what of it is on disk.

    Attributes:
        model: the models.lock entry (license, size, quality...).
        present: every locked file is in the model folder (not hashed).
        formats: what the folder holds (``transformers``, ``ct2``), when present.
        path: the model folder (it may not exist).
        disk_bytes: bytes the folder takes on disk, conversions included (0 when absent).
    """

    model: LockedModel
    present: bool
    formats: tuple[str, ...]
    path: Path
    disk_bytes: int = 0

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def license(self) -> str:
        return self.model.license

    @property
    def commercial_use(self) -> bool:
        return self.model.commercial_use

    @property
    def default(self) -> bool:
        return self.model.default


def _folder_bytes(folder: Path) -> int:
    """The size of every file under ``folder`` (conversions included; links not followed)."""
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        except OSError:
            continue
    return total


def list_models(lock: ModelLock, root: Path) -> list[ModelStatus]:
    """Every locked model and whether it is pulled (all locked files exist; no hashing)."""
    statuses = []
    for model in lock.models:
        folder = model_folder(model, root)
        present = folder.is_dir() and all((folder / f.path).is_file() for f in model.files)
        statuses.append(ModelStatus(model, present, formats_present(folder) if present else (), folder,
                                    _folder_bytes(folder) if folder.is_dir() else 0))
    return statuses


def license_warning(model: LockedModel | ResolvedModel) -> str | None:
    """A one-line warning for models whose license forbids commercial use, else None."""
    if model.commercial_use is False:
        return f"warning: {model.name} is licensed {model.license}: non-commercial use only"
    return None


# --------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready to load: a pulled locked model or a local folder.

    Attributes:
        name: the lock name, or the folder's name for a local folder.
        path: the folder ``from_pretrained`` loads.
        family: ``nllb``, ``m2m100``, ``marian`` or ``madlad``.
        revision: the pinned commit, or ``local-<sha256 of config.json, 12 hex>``.
        license: SPDX id; for a local folder the ``license:`` of its model
            card (``README.md`` front matter), else ``unknown``.
        repo: the Hugging Face repository id (empty for a local folder).
        commercial_use: from models.lock or the model card's license; None when unknown.
    """

    name: str
    path: Path
    family: str
    revision: str
    license: str
    repo: str = ""
    commercial_use: bool | None = None
    files: tuple[LockedFile, ...] = ()


def looks_like_path(spec: str) -> bool:
    """Whether ``--model`` names a folder: ``./x``, ``../x``, ``/x``, ``~/x`` or anything with a separator.

    A bare word (``tiny``) is always a name from models.lock, even when a
    folder of that name is in the working folder: ``./tiny`` is that folder.
    """
    return spec in (".", "..") or spec.startswith("~") or "/" in spec or os.sep in spec or Path(spec).is_absolute()


def _expand(spec: str) -> Path:
    """``spec`` as a path, ``~`` and ``~user`` expanded.

    Raises:
        ModelError: ``~user`` names no user (or the home folder is unknown).
    """
    try:
        return Path(spec).expanduser()
    except RuntimeError as error:  # pathlib: "Could not determine home directory."
        user = spec.split("/", 1)[0]
        raise ModelError(f"cannot expand {user}: no such user, or no home folder", path=spec,
                         hint="write the model folder's full path, or ./NAME for a folder in the working folder") from error


def resolve_model(spec: str, lock: ModelLock, root: Path) -> ResolvedModel:
    """Turn ``--model`` into a folder: a lock name, or a local model folder (no network either way).

    A bare name is looked up in models.lock only; a folder must be written as
    a path (see :func:`looks_like_path`), so a folder that happens to share a
    locked model's name never replaces it.

    Raises:
        ModelMissingError: a locked model that is not pulled.
        ModelError: an unknown name, a path that is not a model folder, or an unsupported model.
    """
    if not looks_like_path(spec):
        if spec in lock.names:
            model = lock.get(spec)
            return ResolvedModel(model.name, model_path(lock, spec, root), model.family, model.revision,
                                 model.license, model.repo, model.commercial_use, model.files)
        folder_hint = f"; for the folder {spec}, write ./{spec}" if Path(spec).is_dir() else "; or a model folder such as ./my-model"
        raise ModelError(
            f"unknown model '{spec}'",
            path=lock.path,
            hint=f"use one of: {', '.join(lock.names) or 'no models'}{folder_hint}",
        )
    folder = _expand(spec)
    if not folder.is_dir():
        raise ModelError(f"no model folder at {spec}", hint="pass a folder holding config.json and the weights")
    family = detect_family(folder)
    revision = "local-" + sha256_file(folder / "config.json")[:12]
    license_ = card_license(folder)
    return ResolvedModel(folder.resolve().name, folder, family, revision, license_ or "unknown",
                         commercial_use=permits_commercial(license_) if license_ else None)


def verify_on_use(model: ResolvedModel) -> None:
    """Check a locked model's files against models.lock before it is loaded.

    The first use hashes every file; later uses compare ``stat`` results with
    the folder's record (see :mod:`translate.mt.integrity`), so they cost
    nothing. A local folder (``--model ./dir``) has nothing to be compared
    with and is not checked. Files whose hash models.lock does not record yet
    are loaded with a warning.

    Raises:
        IntegrityError: a file is missing or differs from models.lock.
    """
    if not model.files:
        return
    checks = require_intact(
        Path(model.path), model.files, what=f"model {model.name}",
        hint=f"run translate models pull {model.name} to replace the altered files, or copy an intact folder there",
    )
    unrecorded = [c.path for c in checks if c.status is FileStatus.UNRECORDED]
    if unrecorded:
        logger.warning("models.lock records no sha256 for %s of %s: loaded unchecked (record them: translate models lock %s)",
                       ", ".join(unrecorded), model.name, model.name)


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ModelError(f"invalid JSON: {error.msg}", path=path, line=error.lineno) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"cannot read: {error}", path=path) from error
    if not isinstance(data, dict):
        raise ModelError("expected a JSON object", path=path)
    return data


def _tokenizer_text(folder: Path) -> str:
    """The small tokenizer description files, concatenated (tokenizer.json is too big to scan)."""
    parts = []
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            parts.append((folder / name).read_text(encoding="utf-8", errors="replace"))
        except OSError:
            pass
    return "\n".join(parts)


def detect_family(folder: Path) -> str:
    """The model family of a local folder, from ``config.json`` and the tokenizer files.

    ``model_type`` ``m2m_100`` is NLLB when the tokenizer is ``NllbTokenizer`` or
    knows ``eng_Latn``, else M2M100; ``marian`` is Marian (OPUS-MT); ``t5`` is
    MADLAD-400. A config without ``model_type`` (a CTranslate2 folder) is
    recognised by its tokenizer files alone.

    Raises:
        ModelError: no ``config.json``, or a model this tool cannot drive.
    """
    config_path = Path(folder) / "config.json"
    if not config_path.is_file():
        raise ModelError(f"not a model folder: no config.json in {folder}",
                         hint="pass the folder that holds config.json and the weights")
    model_type = _read_json(config_path).get("model_type")
    tokenizer = _tokenizer_text(Path(folder))
    is_nllb = "NllbTokenizer" in tokenizer or "eng_Latn" in tokenizer
    if model_type == "m2m_100":
        return "nllb" if is_nllb else "m2m100"
    if model_type == "marian":
        return "marian"
    if model_type == "t5":
        return "madlad"
    if model_type is None:
        if is_nllb:
            return "nllb"
        for marker, family in (("M2M100Tokenizer", "m2m100"), ("MarianTokenizer", "marian")):
            if marker in tokenizer:
                return family
    raise ModelError(
        f"unsupported model_type {model_type!r}",
        path=config_path,
        hint="supported: m2m_100 (NLLB-200, M2M100), marian (OPUS-MT), t5 (MADLAD-400)",
    )


# --------------------------------------------------------------------------- loading safety


def _major_minor(version: str) -> tuple[int, int] | None:
    numbers = re.findall(r"\d+", version)[:2]
    return (int(numbers[0]), int(numbers[1])) if len(numbers) == 2 else None


def _installed_torch() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")  # read from the package metadata: torch is not imported
    except PackageNotFoundError:
        return None


def check_weights_safe(path: Path, torch_version: str | None = None) -> str:
    """Refuse weights that could run code when loaded; return ``safetensors`` or ``pytorch``.

    safetensors files hold tensors only and are always accepted. Pickle-based
    weights (``*.bin``, ``*.pt``, ``*.pth``, ``*.ckpt``; CTranslate2's own
    ``model.bin`` is not one) are accepted only with torch >= 2.6, where
    transformers loads them with ``torch.load(weights_only=True)`` (the 2.6 floor
    closes CVE-2025-32434 in that loader).

    Args:
        path: the model folder.
        torch_version: the torch version to judge by (default: the installed one).

    Raises:
        ModelError: no weights, or only pickle weights with torch older than 2.6 or absent.
    """
    folder = Path(path)
    if any(folder.glob("*.safetensors")):
        return "safetensors"
    files = list(folder.iterdir()) if folder.is_dir() else []
    pickles = [p for p in files if p.suffix in _PICKLE_SUFFIXES and p.name != "model.bin"]
    if not pickles:
        raise ModelError(f"no model weights in {folder}", hint="expected *.safetensors or pytorch_model.bin")
    text = torch_version if torch_version is not None else _installed_torch()
    found = _major_minor(text) if text else None
    if found is None or found < _MIN_TORCH_FOR_PICKLE:
        have = "no torch" if found is None else f"torch {found[0]}.{found[1]}"
        raise ModelError(
            f"refusing pickle weights {pickles[0].name} with {have}: loading them safely needs torch >= 2.6",
            path=folder,
            hint="upgrade torch, or use a folder with .safetensors weights",
        )
    return "pytorch"


def pickle_refusal(error: BaseException, folder: Path, name: str | None = None) -> ModelError | None:
    """A one-line error for pickle weights torch refused to load, or None for any other failure.

    torch's ``weights_only`` unpickler raises ``pickle.UnpicklingError`` when a
    checkpoint asks for anything but tensors (such as ``os.system``): nothing
    of it has run. The error names the pickle file and says what to use instead.

    Args:
        error: what loading raised (its causes are searched too).
        folder: the model folder.
        name: the models.lock name, for the hint (None for a local folder).
    """
    import pickle

    cause: BaseException | None = error
    while cause is not None and not isinstance(cause, pickle.UnpicklingError):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return None
    folder = Path(folder)
    pickles = sorted(p for p in folder.iterdir() if p.suffix in _PICKLE_SUFFIXES and p.name != "model.bin") if folder.is_dir() else []
    where = pickles[0] if pickles else folder
    again = f"pull the model again: translate models pull {name}" if name else "get the weights from a trusted source"
    found = re.search(r"(?:Unsupported global: GLOBAL|unsupported GLOBAL) ([\w.]+)", str(cause))
    if "Weights only load failed" in str(cause) or found:
        asked = f"it asks for {found.group(1)}" if found else "it holds more than tensors"
        return ModelError(f"refusing to load this pickle: {asked}, which model weights never need (it could run code)",
                          path=where, hint=f"use .safetensors weights, or {again}")
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    return ModelError(f"is not a readable PyTorch checkpoint: {first}", path=where, hint=again)


def load_kwargs(path: Path) -> dict[str, object]:
    """The ``from_pretrained`` keyword arguments for a checked model folder.

    Raises:
        ModelError: see :func:`check_weights_safe`.
    """
    return {**SAFE_LOAD_KWARGS, "use_safetensors": check_weights_safe(path) == "safetensors"}


# --------------------------------------------------------------------------- pulling and recording


def pull(lock: ModelLock, name: str, root: Path, progress: bool = False) -> Path:
    """Download a locked model at its pinned revision and verify it (see :func:`translate.mt.hub.pull`)."""
    from translate.mt.hub import pull as hub_pull

    return hub_pull(lock, name, root, progress=progress)


def lock_hashes(lock_path: Path, name: str, root: Path) -> tuple[LockedFile, ...]:
    """Record the missing SHA-256 values and sizes of a pulled model into models.lock.

    Only ``sha256 = ""`` and missing ``size`` of that model's entries are
    rewritten, in place, keeping comments and layout; recorded values never change.

    Returns:
        The entries recorded, with their new values (empty when nothing was missing).

    Raises:
        ModelMissingError: the model is not pulled, or a file is missing.
        ModelError: a file differs from a value already recorded, or an entry
            cannot be rewritten automatically (the message gives the values).
    """
    from translate.mt.hub import record_files

    lock = load_lock(lock_path)
    folder = model_path(lock, name, root)
    report = verify_folder(lock.get(name), folder)
    altered = [c for c in report.files if c.status is FileStatus.MISMATCH]
    if altered:
        raise ModelError(f"{name} does not match models.lock: {altered[0].describe()}", path=folder,
                         hint=f"delete the folder and run: translate models pull {name}")
    todo = tuple(LockedFile(c.path, c.actual_sha256, c.actual_size)
                 for c in report.files if c.status is FileStatus.UNRECORDED)
    if todo:
        record_files(Path(lock_path), name, todo)
        for entry in todo:
            logger.info("recorded %s %s: sha256 %s, %s bytes", name, entry.path, entry.sha256, entry.size)
    return todo
