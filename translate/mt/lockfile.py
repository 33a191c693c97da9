"""``models.lock``: parse and validate the pinned model registry (TOML).

Each ``[models.NAME]`` table pins one Hugging Face repository at one commit and
lists every file with its SHA-256 and size; see the comments in
``models.lock`` itself for the fields.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from translate.errors import TranslateError

#: Model families; each has its own language-code convention.
FAMILIES = ("nllb", "m2m100", "marian", "madlad")
#: Formats a model folder can hold.
FORMATS = ("transformers", "ct2")

#: Metrics a published quality score may be given in (chrF++ adds word n-grams to chrF).
QUALITY_METRICS = ("chrF++", "chrF")

_REVISION = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: A model name: lowercase letters, digits, ``-``, ``_`` and ``.`` (``nllb-200-3.3b``).
_NAME = re.compile(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?")
#: Parameters: a number and M or B (``600M``, ``1.3B``).
_PARAMETERS = re.compile(r"(\d+(?:\.\d+)?)([MB])")
#: One part of a Hugging Face repository id (owner or name): letters, digits,
#: ``_``, ``-`` and ``.``, starting and ending with a letter, digit or ``_``;
#: huggingface_hub's ``validate_repo_id`` also refuses ``--`` and ``..``.
_REPO_PART = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_REPO_MAX = 96  # characters of the owner, and of the name
#: A file the tool keeps in every model folder (see :mod:`translate.mt.integrity`).
RESERVED_FILES = frozenset({".translate-verified.json"})
_TOP_KEYS = frozenset({"version", "models"})
_MODEL_KEYS = frozenset(
    {"repo", "revision", "family", "parameters", "license", "commercial_use", "languages", "formats", "default",
     "quality", "sources", "files"}
)
_FILE_KEYS = frozenset({"path", "sha256", "size"})
_QUALITY_KEYS = frozenset({"metric", "testset", "pair", "score", "source", "note"})
_EXAMPLES = {
    "repo": '"facebook/m2m100_418M"', "revision": '"<40-hex commit>"', "family": '"nllb"', "license": '"MIT"',
    "commercial_use": "true", "default": "false", "files": '[{ path = "config.json", sha256 = "" }]',
    "parameters": '"1.3B"',
}


class ModelError(TranslateError):
    """models.lock is invalid, a model is unknown, or a model folder fails a check."""


class ModelMissingError(ModelError):
    """A locked model has not been downloaded (or its folder is incomplete)."""




@dataclass(frozen=True)
class LockedFile:
    """One file of a locked model. ``sha256 == ""`` and ``size is None`` mean "not recorded yet"."""

    path: str
    sha256: str
    size: int | None


@dataclass(frozen=True)
class Quality:
    """A published translation-quality score of a model.

    Attributes:
        metric: ``chrF++`` or ``chrF`` (see :data:`QUALITY_METRICS`); only
            scores in the same metric, test set and pair are comparable.
        testset: such as ``flores200-devtest``.
        pair: source and target, such as ``eng_Latn-khm_Khmr``.
        score: 0 to 100.
        source: where it was published (a URL, or a description).
        note: a caveat, or "".
    """

    metric: str
    testset: str
    pair: str
    score: float
    source: str
    note: str = ""

    def comparable(self, other: Quality) -> bool:
        """Whether two scores measure the same thing (metric, test set, pair)."""
        return (self.metric, self.testset, self.pair) == (other.metric, other.testset, other.pair)


@dataclass(frozen=True)
class LockedModel:
    """One ``[models.NAME]`` table of models.lock."""

    name: str
    repo: str
    revision: str
    family: str
    license: str
    commercial_use: bool
    languages: tuple[str, ...]
    formats: tuple[str, ...]
    default: bool
    files: tuple[LockedFile, ...]
    parameters: str = ""
    quality: Quality | None = None
    sources: tuple[str, ...] = ()

    @property
    def size_bytes(self) -> int:
        """The download size: the sum of the locked files' sizes that are recorded."""
        return sum(f.size for f in self.files if f.size is not None)

    @property
    def size_complete(self) -> bool:
        """Whether every locked file has a recorded size (else :attr:`size_bytes` is a lower bound)."""
        return all(f.size is not None for f in self.files)

    @property
    def parameter_count(self) -> float | None:
        """The number of parameters from :attr:`parameters` (``1.3B`` -> 1.3e9), or None."""
        found = _PARAMETERS.fullmatch(self.parameters)
        if found is None:
            return None
        return float(found.group(1)) * (1e6 if found.group(2) == "M" else 1e9)


@dataclass(frozen=True)
class ModelLock:
    """A parsed models.lock."""

    path: Path
    models: tuple[LockedModel, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.models)

    @property
    def default(self) -> LockedModel:
        """The default model (:func:`load_lock` guarantees exactly one)."""
        for model in self.models:
            if model.default:
                return model
        raise ModelError("no default model", path=self.path, hint="set default = true on one model, or pass --model")

    def get(self, name: str) -> LockedModel:
        """The model called ``name``.

        Raises:
            ModelError: no such model in the lock.
        """
        for model in self.models:
            if model.name == name:
                return model
        raise ModelError(f"unknown model '{name}'", path=self.path, hint=f"models.lock has: {', '.join(self.names)}")


class _Where:
    """Finds the line of a model table or key in the lock text, for error messages."""

    def __init__(self, text: str, path: Path) -> None:
        self.lines = text.splitlines()
        self.path = path

    def line(self, name: str | None, key: str | None = None) -> int | None:
        """1-based line of ``key`` in table ``[models.name]`` (top level when ``name`` is None).

        Falls back to the table's header line; None when nothing is found.
        """
        start = 0  # index of the first line after the header: the top level starts at 0
        if name is not None:
            quoted = re.escape(name)
            header = re.compile(rf"""\s*\[\s*models\s*\.\s*(?:"{quoted}"|'{quoted}'|{quoted})\s*\]""")
            found = next((i + 1 for i, line in enumerate(self.lines) if header.match(line)), None)
            if found is None:
                return None
            start = found
        if key is not None:
            keyline = re.compile(rf"\s*{re.escape(key)}\s*=")
            for i in range(start, len(self.lines)):
                if re.match(r"\s*\[", self.lines[i]):
                    break
                if keyline.match(self.lines[i]):
                    return i + 1
        return start or None

    def error(self, message: str, name: str | None = None, key: str | None = None, hint: str | None = None) -> ModelError:
        return ModelError(message, path=self.path, line=self.line(name, key), hint=hint)


def load_lock(path: Path) -> ModelLock:
    """Read and validate models.lock.

    Raises:
        ModelError: the file is unreadable, not TOML, or breaks a rule (the
            message names the file and line and says how to fix it).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"cannot read the model lock: {error}", path=path,
                         hint="run from the project folder, or pass the lock file's path") from error
    return parse_lock(text, path)


def parse_lock(text: str, path: Path) -> ModelLock:
    """Validate the text of a models.lock (see :func:`load_lock`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ModelError(f"invalid TOML: {message}", path=path, line=int(found.group(1)) if found else None,
                         hint="fix the syntax; see https://toml.io") from error
    where = _Where(text, path)
    for key in data:
        if key not in _TOP_KEYS:
            raise where.error(f"unknown top-level key '{key}'", None, key, hint="expected version and [models.NAME] tables")
    if data.get("version", 1) != 1:
        raise where.error(f"unsupported lock version {data['version']!r}", None, "version", hint="this tool reads version = 1")
    tables = data.get("models")
    if not isinstance(tables, dict) or not tables:
        raise ModelError("no models in the lock", path=path, hint="add a [models.NAME] table")
    models = tuple(_parse_model(name, table, where) for name, table in tables.items())
    defaults = [m.name for m in models if m.default]
    if len(defaults) != 1:
        raise where.error(
            f"{len(defaults)} models are marked default" + (f" ({', '.join(defaults)})" if defaults else ""),
            defaults[-1] if defaults else None, "default" if defaults else None,
            hint="set default = true on exactly one model",
        )
    return ModelLock(path, models)


def _parse_model(name: str, table: object, where: _Where) -> LockedModel:
    def fail(message: str, key: str | None = None, hint: str | None = None) -> ModelError:
        return where.error(message, name, key, hint)

    if not _NAME.fullmatch(name):
        raise fail(f"model name '{name}' is not allowed",
                   hint="use lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit")
    if not isinstance(table, dict):
        raise fail(f"models.{name} must be a table", hint=f"write it as [models.{name}]")
    if table and not (set(table) & _MODEL_KEYS) and all(isinstance(v, dict) for v in table.values()):
        dotted = f"{name}.{next(iter(table))}"
        raise fail(f"model name {dotted} has a dot, which TOML reads as a nested table",
                   hint=f'quote it: [models."{dotted}"]')
    for key in table:
        if key not in _MODEL_KEYS:
            raise fail(f"unknown key '{key}' in [models.{name}]", key, hint=f"known keys: {', '.join(sorted(_MODEL_KEYS))}")
    for key in ("repo", "revision", "family", "license", "commercial_use", "files"):
        if key not in table:
            raise fail(f"[models.{name}] has no {key}", hint=f"add {key} = ...")

    def typed(key: str, kind: type | tuple[type, ...], label: str) -> object:
        value = table[key]
        if not isinstance(value, kind):
            raise fail(f"{key} of {name} must be {label}", key, hint=f"for example: {key} = {_EXAMPLES[key]}")
        return value

    repo = str(typed("repo", str, "a string"))
    problem = repo_id_problem(repo)
    if problem:
        raise fail(f"repo of {name} must be a Hugging Face id owner/name, not {repo!r}: {problem}", "repo",
                   hint="use the Hugging Face id, such as facebook/nllb-200-distilled-600M")
    revision = str(typed("revision", str, "a string"))
    if revision and not _REVISION.fullmatch(revision):
        raise fail(f"revision of {name} must be a 40-hex commit hash or \"\", not {revision!r}", "revision",
                   hint="copy the full commit id from the repository's history")
    family = str(typed("family", str, "a string"))
    if family not in FAMILIES:
        raise fail(f"unknown family {family!r} for {name}", "family", hint=f"use one of: {', '.join(FAMILIES)}")
    license_ = str(typed("license", str, "a string"))
    commercial_use = bool(typed("commercial_use", bool, "true or false"))
    default = bool(typed("default", bool, "true or false")) if "default" in table else False
    languages = table.get("languages", ())
    if isinstance(languages, str):
        languages = (languages,)
    if not isinstance(languages, (list, tuple)) or not all(isinstance(x, str) for x in languages):
        raise fail(f"languages of {name} must be a string or a list of strings", "languages",
                   hint='write languages = "a short note" or ["km", "th"]')
    formats = table.get("formats", ["transformers"])
    if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
        raise fail(f"formats of {name} must be a non-empty list", "formats",
                   hint=f"use some of: {', '.join(FORMATS)}")
    parameters = str(typed("parameters", str, "a string")) if "parameters" in table else ""
    if parameters and not _PARAMETERS.fullmatch(parameters):
        raise fail(f"parameters of {name} must be a number and M or B, not {parameters!r}", "parameters",
                   hint='for example: parameters = "1.3B"')
    sources = table.get("sources", ())
    if isinstance(sources, str):
        sources = (sources,)
    if not isinstance(sources, (list, tuple)) or not all(isinstance(x, str) and x.strip() for x in sources):
        raise fail(f"sources of {name} must be a list of non-empty strings", "sources",
                   hint='write sources = ["https://huggingface.co/<repo>/tree/<revision>"]')
    quality = _parse_quality(name, table["quality"], fail) if "quality" in table else None
    files = typed("files", list, "a list of { path, sha256, size } tables")
    if not isinstance(files, list) or not files:
        raise fail(f"{name} lists no files", "files", hint='list them as files = [{ path = "config.json", sha256 = "" }, ...]')
    return LockedModel(name, repo, revision, family, license_, commercial_use, tuple(languages),
                       tuple(formats), default, _parse_files(name, files, fail), parameters, quality, tuple(sources))


def _parse_quality(name: str, value: object, fail: Callable[..., ModelError]) -> Quality:
    """The ``quality = { metric, testset, pair, score, source[, note] }`` table of a model."""
    example = ('quality = { metric = "chrF++", testset = "flores200-devtest", pair = "eng_Latn-khm_Khmr", '
               'score = 29.0, source = "https://..." }')

    def bad(message: str) -> ModelError:
        return fail(f"quality of {name}: {message}", "quality", hint=f"write {example}")

    if not isinstance(value, dict):
        raise bad("must be a table")
    extra = set(value) - _QUALITY_KEYS
    if extra:
        raise bad(f"unknown key '{min(extra)}'")
    missing = [k for k in ("metric", "testset", "pair", "score", "source") if k not in value]
    if missing:
        raise bad(f"{missing[0]} is missing")
    for key in ("metric", "testset", "pair", "source", "note"):
        if key in value and (not isinstance(value[key], str) or (key != "note" and not value[key].strip())):
            raise bad(f"{key} must be a non-empty string")
    if value["metric"] not in QUALITY_METRICS:
        raise bad(f"metric must be one of {', '.join(QUALITY_METRICS)}, not {value['metric']!r}")
    score = value["score"]
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 100:
        raise bad(f"score must be a number from 0 to 100, not {score!r}")
    return Quality(value["metric"], value["testset"], value["pair"], float(score), value["source"], value.get("note", ""))


def repo_id_problem(repo: str) -> str | None:
    """Why ``repo`` is not a Hugging Face ``owner/name`` id, or None when it is one.

    The rules are those of ``huggingface_hub.utils.validate_repo_id`` (which
    this module does not import, to stay light), with the owner required.
    """
    parts = repo.split("/")
    if len(parts) != 2:
        return "it needs exactly one '/' between owner and name"
    for part in parts:
        if len(part) > _REPO_MAX:
            return f"owner and name are at most {_REPO_MAX} characters each"
        if not _REPO_PART.fullmatch(part):
            return (f"{part!r} must be letters, digits, '_', '-' or '.', starting and ending with a letter or digit"
                    if part else "owner and name must not be empty")
    if "--" in repo or ".." in repo:
        return "'--' and '..' are not allowed"
    if repo.endswith(".git"):
        return "it must not end with .git"
    return None


def file_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be a file of a model folder, or None when it can.

    A locked file is written under the model folder and read from there, so it
    must stay inside it: relative, ``/``-separated, with no empty, ``.`` or
    ``..`` part, no backslash and no control character.
    """
    if path.startswith("/") or re.match(r"[A-Za-z]:", path):
        return "it is absolute"
    if "\\" in path or any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "it holds a backslash or a control character"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "it has an empty, '.' or '..' part"
    if path in RESERVED_FILES:
        return "the tool keeps its own file under that name"
    return None


def _parse_files(name: str, entries: list[object], fail: Callable[..., ModelError]) -> tuple[LockedFile, ...]:
    def bad(message: str, hint: str | None = None) -> ModelError:
        return fail(message, "files", hint)

    parsed: list[LockedFile] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or not entry["path"]:
            raise bad(f"each file of {name} must be a table with a path", hint='write { path = "x", sha256 = "" }')
        path = entry["path"]
        extra = set(entry) - _FILE_KEYS
        if extra:
            raise bad(f"unknown key '{min(extra)}' in file {path} of {name}", hint="file keys: path, sha256, size")
        problem = file_path_problem(path)
        if problem:
            raise bad(f"file path {path!r} of {name} must stay inside the model folder: {problem}",
                      hint="write it as in the repository, such as config.json or onnx/model.onnx")
        sha = entry.get("sha256", "")
        if not isinstance(sha, str) or (sha and not _SHA256.fullmatch(sha.lower())):
            raise bad(f"sha256 of {path} ({name}) must be 64 hex digits or \"\"", hint='use "" until it is recorded')
        size = entry.get("size")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise bad(f"size of {path} ({name}) must be a byte count", hint="leave it out until it is recorded")
        if any(f.path == path for f in parsed):
            raise bad(f"file {path} is listed twice for {name}", hint="remove one of them")
        parsed.append(LockedFile(path, sha.lower(), size))
    return tuple(parsed)
