"""Convert a model folder to the CTranslate2 format, once, and find the conversion again.

A conversion is a folder named after its quantization and the CTranslate2
version that wrote it (``ct2-int8-ct4.8.5``), so that a new CTranslate2 or
another quantization never loads a stale one:

* a locked model inside the models folder: ``<model folder>/ct2-<q>-ct<version>/``,
  beside the weights it was made from, under the same pinned revision;
* any other folder (``--model ./dir``, revision ``local-<hash>``), which is
  never written to: ``<models folder>/local/<folder name>-<revision>/ct2-<q>-ct<version>/``.

The folder holds CTranslate2's files and ``translate-conversion.json``, which
records what it was made from and the SHA-256 and size of every file written,
checked before each use like a locked model's files (hashed once, see
:mod:`translate.mt.integrity`); a locked model is checked against models.lock
before it is converted. A local folder's weights are also fingerprinted
(size and modification time), so that retrained weights under the same
``config.json`` are converted again rather than silently reused. The
tokenizer is not copied: the engine reads it from the model folder, which is
always there.

Conversion writes into a temporary folder beside the final one and renames it
when complete, so an interrupted or failed conversion leaves nothing behind.

``import translate.mt.convert`` imports neither ctranslate2, torch nor
transformers; :func:`convert` does.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import warnings
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.mt.integrity import require_intact, sha256_file
from translate.mt.lockfile import LockedFile
from translate.mt.models import ResolvedModel, check_weights_safe, models_dir, pickle_refusal, verify_on_use

log = logging.getLogger(__name__)

#: The weight types CTranslate2's converters accept.
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
#: What a conversion records about its source.
RECORD = "translate-conversion.json"
_WEIGHT_GLOBS = ("*.safetensors", "pytorch_model*.bin")


class ConversionError(TranslateError):
    """A model cannot be converted to the CTranslate2 format."""


class ConversionMissingError(ConversionError):
    """A model has not been converted to the CTranslate2 format yet."""


def ctranslate2_version() -> str:
    """The installed CTranslate2 version, read from package metadata (nothing is imported).

    Raises:
        ConversionError: CTranslate2 is not installed.
    """
    try:
        return version("ctranslate2")
    except PackageNotFoundError as error:
        raise ConversionError("ctranslate2 is not installed", hint="pip install ctranslate2") from error


def model_reference(model: ResolvedModel) -> str:
    """How a user names this model on the command line: its lock name or its folder."""
    return str(model.path) if model.revision.startswith("local-") else model.name


def conversions_home(model: ResolvedModel, root: Path | None = None) -> Path:
    """The folder that holds the ``ct2-*`` conversions of ``model``.

    Args:
        root: the models folder (default: :func:`translate.mt.models.models_dir`).
    """
    root = Path(root) if root is not None else models_dir()
    path = Path(model.path)
    if path.resolve().is_relative_to(root.resolve()):
        return path
    return root / "local" / f"{path.resolve().name}-{model.revision}"


def conversion_dir(model: ResolvedModel, quantization: str, root: Path | None = None) -> Path:
    """Where the conversion of ``model`` with ``quantization`` is (or would be); it may not exist."""
    return conversions_home(model, root) / f"ct2-{quantization}-ct{ctranslate2_version()}"


def _fingerprint(model: ResolvedModel) -> list[dict[str, Any]]:
    """Sizes and modification times of a local folder's weights; nothing for a locked model (its revision pins them)."""
    if not model.revision.startswith("local-"):
        return []
    files = sorted({p for pattern in _WEIGHT_GLOBS for p in Path(model.path).glob(pattern)})
    return [{"file": p.name, "size": p.stat().st_size, "mtime_ns": p.stat().st_mtime_ns} for p in files]


def _record(model: ResolvedModel, quantization: str) -> dict[str, Any]:
    return {
        "model": model.name,
        "repo": model.repo,
        "revision": model.revision,
        "family": model.family,
        "quantization": quantization,
        "ctranslate2": ctranslate2_version(),
        "weights": _fingerprint(model),
    }


def _is_current(folder: Path, model: ResolvedModel, quantization: str) -> bool:
    if not (folder / "model.bin").is_file():
        return False
    try:
        recorded = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.info("%s has no valid %s: it is converted again", folder, RECORD)
        return False
    expected = _record(model, quantization)
    fields = ("revision", "quantization", "ctranslate2", "weights")
    if not isinstance(recorded, dict) or any(recorded.get(key) != expected[key] for key in fields):
        log.info("%s was made from other weights or settings: it is converted again", folder)
        return False
    if not _recorded_files(recorded):
        log.info("%s records no file hashes (made by an older version): it is converted again", folder)
        return False
    return True


def _recorded_files(recorded: dict[str, Any]) -> tuple[LockedFile, ...]:
    """The files a conversion record lists, with their SHA-256 and size (empty when none are)."""
    files = recorded.get("files")
    if not isinstance(files, list):
        return ()
    found = []
    for entry in files:
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("sha256"), str)
                and isinstance(entry.get("size"), int) and entry["sha256"]):
            return ()
        found.append(LockedFile(entry["path"], entry["sha256"], entry["size"]))
    return tuple(found)


def _hash_files(folder: Path) -> list[dict[str, Any]]:
    """SHA-256 and size of every file CTranslate2 wrote into ``folder``."""
    return [
        {"path": p.name, "sha256": sha256_file(p), "size": p.stat().st_size}
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.name != RECORD
    ]


def verify_conversion(folder: Path, model: ResolvedModel) -> None:
    """Check a conversion's files against its record before CTranslate2 loads them.

    Raises:
        ConversionError: the record is unreadable or lists no files.
        IntegrityError: a file is missing or altered since it was converted.
    """
    try:
        recorded = json.loads((Path(folder) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConversionError(f"cannot read {RECORD}: {error}", path=folder,
                              hint=f"convert it again: translate models convert {model_reference(model)} --force") from error
    files = _recorded_files(recorded) if isinstance(recorded, dict) else ()
    if not files:
        raise ConversionError(f"{RECORD} lists no file hashes", path=folder,
                              hint=f"convert it again: translate models convert {model_reference(model)} --force")
    require_intact(Path(folder), files, what=f"the CTranslate2 conversion of {model.name}",
                   hint=f"convert it again: translate models convert {model_reference(model)} --force")


def find_conversion(model: ResolvedModel, quantization: str, root: Path | None = None) -> Path | None:
    """The current conversion of ``model`` with ``quantization``, or ``None``."""
    folder = conversion_dir(model, quantization, root)
    return folder if _is_current(folder, model, quantization) else None


def available_conversions(model: ResolvedModel, root: Path | None = None) -> dict[str, Path]:
    """Every current conversion of ``model`` for the installed CTranslate2: quantization -> folder."""
    found = {}
    for quantization in QUANTIZATIONS:
        folder = find_conversion(model, quantization, root)
        if folder is not None:
            found[quantization] = folder
    return found


class _FullVocabulary:
    """A tokenizer whose ``get_vocab`` also lists the language tokens kept outside it.

    transformers 5's ``M2M100Tokenizer`` keeps ``__km__`` and the other language
    tokens out of ``get_vocab`` and its special-tokens map, so CTranslate2's
    converter would build a vocabulary 100 tokens short of the model's.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)

    def get_vocab(self) -> dict[str, int]:
        vocabulary = dict(self._tokenizer.get_vocab())
        vocabulary.update(getattr(self._tokenizer, "lang_token_to_id", None) or {})
        return vocabulary


def _converter(model: ResolvedModel) -> Any:
    """A CTranslate2 transformers converter that loads the folder offline and safely."""
    try:
        from ctranslate2.converters import TransformersConverter  # type: ignore[import-untyped]
    except ImportError as error:
        raise ConversionError("ctranslate2 is not installed", hint="pip install ctranslate2") from error
    import transformers

    transformers.utils.logging.disable_progress_bar()
    use_safetensors = check_weights_safe(model.path) == "safetensors"

    class SafeConverter(TransformersConverter):  # type: ignore[misc]
        tokenizer: Any = None

        def load_model(self, model_class: Any, path: str, **kwargs: Any) -> Any:
            return model_class.from_pretrained(path, local_files_only=True, trust_remote_code=False, use_safetensors=use_safetensors, **kwargs)

        def load_tokenizer(self, tokenizer_class: Any, path: str, **kwargs: Any) -> Any:
            self.tokenizer = tokenizer_class.from_pretrained(path, local_files_only=True, trust_remote_code=False)
            return _FullVocabulary(self.tokenizer)

    return SafeConverter(str(model.path), low_cpu_mem_usage=True)


def _check_vocabulary(folder: Path, tokenizer: Any) -> None:
    """Every token the tokenizer can produce has the same id in the converted vocabulary.

    The Marian converter drops the trailing padding token (its decoder starts
    from a zero embedding instead), which the tokenizer never puts in a sentence.
    """
    from translate.mt.vmap import read_vocabulary

    converted = read_vocabulary(folder, "target")
    expected = _FullVocabulary(tokenizer).get_vocab()
    dropped = {tokenizer.pad_token} if len(converted) == len(expected) - 1 else set()
    wrong = [token for token, index in expected.items()
             if (index >= len(converted) or converted[index] != token) and not (token in dropped and index == len(converted))]
    if wrong:
        raise ConversionError(
            f"the converted vocabulary disagrees with the tokenizer on {len(wrong)} tokens (first: {wrong[0]!r})",
            path=folder,
            hint="report this model; it cannot be used with the ctranslate2 backend",
        )


def convert(model: ResolvedModel, *, quantization: str = "int8", root: Path | None = None, force: bool = False) -> Path:
    """Convert ``model`` to the CTranslate2 format (a no-op when a current conversion exists).

    Args:
        model: the model folder to convert.
        quantization: the weight type, one of :data:`QUANTIZATIONS`.
        root: the models folder (default: :func:`translate.mt.models.models_dir`).
        force: convert again even if a current conversion exists.

    Returns:
        The conversion folder.

    Raises:
        ConversionError: ctranslate2 is missing, the quantization is unknown,
            or the model cannot be converted; nothing is left behind.
        ModelError: the folder's weights cannot be loaded safely.
    """
    if quantization not in QUANTIZATIONS:
        raise ConversionError(f"unknown quantization {quantization!r}", hint="use one of: " + ", ".join(QUANTIZATIONS))
    final = conversion_dir(model, quantization, root)
    if not force and _is_current(final, model, quantization):
        log.info("%s is already converted: %s", model.name, final)
        return final
    verify_on_use(model)  # never convert altered weights of a locked model
    converter = _converter(model)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        output = temporary / "model"
        log.info("converting %s to CTranslate2 (%s)", model.name, quantization)
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Detected pickle protocol", category=UserWarning)
                converter.convert(str(output), quantization=quantization)
        except Exception as error:  # the converter and the libraries under it (torch, safetensors…) raise many types
            refusal = pickle_refusal(error, Path(model.path), None if model.revision.startswith("local-") else model.name)
            if refusal is not None:
                raise refusal from error
            message = f"cannot be converted to CTranslate2: {type(error).__name__}: {error}".splitlines()[0]
            raise ConversionError(message, path=model.path, hint="check the folder, or pull the model again") from error
        _check_vocabulary(output, converter.tokenizer)
        record = {**_record(model, quantization), "files": _hash_files(output)}
        (output / RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        _replace(output, final)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    log.info("converted %s: %s", model.name, final)
    return final


def _replace(new: Path, final: Path) -> None:
    """Move a finished conversion into place, replacing (and deleting) any older one."""
    if final.exists():
        old = final.parent / f".{final.name}.old-{new.parent.name}"
        final.rename(old)
        shutil.rmtree(old, ignore_errors=True)
    new.rename(final)
