"""Workspace configuration: the ``[workspace]`` table and its neighbours.

The settings live in ``translate.toml`` (tables ``[workspace]``, ``[markdown]``,
``[decoding]``, ``[llm]``, ``[khmer]``, ``[publish]``, ``[labels.<lang>]``, ``[html]``, ``[executor]``) or, in a project that keeps
its tools in ``pyproject.toml``, under ``[tool.translate]`` with the same
tables nested (``[tool.translate.workspace]``, ``[tool.translate.decoding]``...).
Paths in the file are relative to the folder that holds it. Command-line flags
override the file (see :meth:`WorkspaceConfig.override`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from translate.config import (
    CONFIG_FILE,
    DEFAULT_FRONT_MATTER_KEYS,
    PYPROJECT,
    ReadOptions,
    markdown_options,
    check_encoding,
    read_settings,
)
from translate.errors import ConfigError

#: Where a workspace keeps its own files (lock, state, translation memory).
STATE_DIR = ".translate"
DEFAULT_SOURCES = ("articles/**/*.md", "articles/**/*.markdown", "articles/**/*.html", "articles/**/*.htm", "articles/**/*.txt")
#: Inference backends a workspace may name (``fake``: the stand-in engine of tests and benchmarks, not listed in help).
BACKENDS = ("auto", "ctranslate2", "transformers", "openai-compatible")
TEST_BACKENDS = ("fake",)
#: Settings renamed, by their old name: the old name is still read.
RENAMED = {"engine": "backend", "engine_options": "backend_options"}
EDITIONS = ("localized", "bilingual")
EDITION_FORMATS = ("html", "md")
UNTRANSLATED = ("source", "omit", "fail")


@dataclass(frozen=True)
class WorkspaceConfig:
    """Everything ``translate sync`` needs to know about a workspace.

    Attributes:
        root: the folder the configuration file is in; relative paths start there.
        file: the configuration file (``None``: defaults only).
        sources: glob patterns of article files, relative to ``root`` (``**`` for any folders).
        exclude: glob patterns of files to leave out (matched against the relative path).
        languages: target languages (BCP-47 codes).
        locales: the catalog tree.
        output: the folder for published articles.
        model: a models.lock name or a model folder (``None``: the lock's
            default, or with ``commercial`` the best permitted locked model).
        commercial: the newsroom publishes commercially: a model whose
            license forbids commercial use (NLLB-200, CC-BY-NC) is refused.
        backend: ``auto``, ``ctranslate2``, ``transformers`` or ``openai-compatible``
            (a chat-completions server, ``[llm]`` table), as ``translate mt --backend``; ``fake`` for tests and benchmarks). Formerly ``engine``.
        backend_options: options of the ``fake`` backend (``delay``: seconds per
            sentence). Formerly ``engine_options``.
        memory: the translation-memory file.
        glossaries: glossary files (CSV or TBX) used besides each language's
            ``locales/<lang>/glossary.csv`` (see :mod:`translate.glossary`).
        front_matter_keys: Markdown front-matter keys to translate.
        encoding: encoding of the articles (``None``: UTF-8).
        keep_furniture: plain text: translate page furniture too.
        editions: what to publish: ``localized`` and/or ``bilingual``.
        edition_format: format of the bilingual edition (``html`` or ``md``).
        include_fuzzy: publish machine suggestions (fuzzy entries) where nothing is reviewed.
        untranslated: sentences without a translation: ``source``, ``omit`` or ``fail``.
        checks: run the quality checks on every updated catalog.
        retranslate_machine: translate again machine suggestions nobody edited
            whose English changed (and use a new model's output for them).
        tables: the other tables of the file (``markdown``, ``decoding``, ``llm``, ``khmer``, ``publish``, ``labels``, ``html``, ``executor``).
    """

    root: Path
    file: Path | None = None
    sources: tuple[str, ...] = DEFAULT_SOURCES
    exclude: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    locales: Path = Path("locales")
    output: Path = Path("out")
    model: str | None = None
    commercial: bool = False
    backend: str = "auto"
    backend_options: tuple[tuple[str, float], ...] = ()
    memory: Path = Path(STATE_DIR) / "memory.sqlite3"
    glossaries: tuple[str, ...] = ()
    front_matter_keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    encoding: str | None = None
    keep_furniture: bool = False
    editions: tuple[str, ...] = ("localized",)
    edition_format: str = "html"
    include_fuzzy: bool = True
    untranslated: str = "source"
    checks: bool = True
    retranslate_machine: bool = True
    tables: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        where = self.file or self.root
        if self.backend not in BACKENDS + TEST_BACKENDS:
            raise ConfigError(f"[workspace] backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}", path=where)
        bad = [e for e in self.editions if e not in EDITIONS]
        if bad or not self.editions:
            raise ConfigError(f"[workspace] editions must be a non-empty list of {', '.join(EDITIONS)}", path=where)
        if self.edition_format not in EDITION_FORMATS:
            raise ConfigError(f"[workspace] edition_format must be one of {', '.join(EDITION_FORMATS)}", path=where)
        if self.untranslated not in UNTRANSLATED:
            raise ConfigError(f"[workspace] untranslated must be one of {', '.join(UNTRANSLATED)}", path=where)
        if self.backend_options and self.backend != "fake":
            raise ConfigError("[workspace] backend_options are only understood by the fake backend", path=where, hint="remove backend_options")
        unknown = [k for k, _ in self.backend_options if k != "delay"]
        if unknown:
            raise ConfigError(f"[workspace] unknown backend option(s): {', '.join(unknown)}", path=where, hint="the fake backend knows: delay")
        key = "encoding"  # the setting being checked, for the line of the error
        try:
            if self.encoding is not None:
                check_encoding(self.encoding, setting="[workspace] encoding", path=where)
            for key in ("sources", "exclude"):
                for pattern in getattr(self, key):
                    check_pattern(pattern, self.root, setting=f"[workspace] {key}", path=where)
        except ConfigError as error:
            if self.file is not None:
                error.line = _setting_line(self.file, key)
            raise

    @property
    def engine(self) -> str:
        """The backend, by its former name."""
        return self.backend

    def path(self, value: Path) -> Path:
        """A configured path, resolved against the workspace root."""
        return value if value.is_absolute() else self.root / value

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def table(self, name: str) -> dict[str, Any]:
        """Another table of the configuration file (``markdown``, ``decoding``, ``khmer``, ``publish``, ``labels``)."""
        return dict(dict(self.tables).get(name, {}))

    def override(self, **changes: Any) -> WorkspaceConfig:
        """The configuration with command-line values applied; ``None`` values are ignored."""
        given = {k: v for k, v in changes.items() if v is not None}
        for key in ("sources", "exclude", "languages", "front_matter_keys", "editions", "glossaries"):
            if key in given:
                given[key] = tuple(given[key])
        for key in ("locales", "output", "memory"):
            if key in given:
                given[key] = Path(given[key])
        return dataclasses.replace(self, **given)

    def fingerprint(self) -> str:
        """A digest of the settings that decide what extraction and publishing produce.

        The model, backend and memory are left out: they only decide how new
        sentences are translated, never what is already in a catalog, so
        changing them does not make every article out of date.
        """
        from translate import __version__

        data = {
            "version": __version__,
            "locales": str(self.locales),
            "output": str(self.output),
            "front_matter_keys": self.front_matter_keys,
            "encoding": self.encoding,
            "keep_furniture": self.keep_furniture,
            "editions": self.editions,
            "edition_format": self.edition_format,
            "include_fuzzy": self.include_fuzzy,
            "untranslated": self.untranslated,
            "markdown": self.table("markdown"),
            "publish": self.table("publish"),
            "labels": self.table("labels"),
            "html": self.table("html"),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _setting_line(file: Path, key: str) -> int | None:
    """The line of ``key = …`` in the workspace table of ``file``, for error messages (None if not found)."""
    import re

    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    inside = False
    for number, line in enumerate(lines, start=1):
        if re.match(r"\s*\[", line):
            inside = re.match(r"\s*\[\s*(tool\s*\.\s*translate\s*\.\s*)?workspace\s*\]", line) is not None
        elif inside and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def check_pattern(pattern: str, root: Path, *, setting: str, path: Path | None = None) -> None:
    """Refuse a glob that cannot name files inside the workspace: empty, absolute or with ``..``.

    Args:
        setting: where the pattern was given, for the message (``[workspace] sources``, ``--source``).
        path: the configuration file it is in, if any.

    Raises:
        ConfigError: with the pattern rewritten relative to the root when it points inside it.
    """
    parts = pattern.replace("\\", "/").split("/")
    if not pattern.strip():
        problem, hint = "is empty", 'write a pattern such as "articles/**/*.md"'
    elif Path(pattern).is_absolute() or pattern.startswith("~"):
        problem = "is absolute; patterns are relative to the workspace folder"
        inside = Path(pattern).is_absolute() and Path(pattern).is_relative_to(root)
        hint = f'write "{Path(pattern).relative_to(root).as_posix()}"' if inside else f"keep the articles under {root}, or put translate.toml higher up"
    elif ".." in parts:
        problem, hint = "leaves the workspace folder ('..')", f"keep the articles under {root}, or put translate.toml higher up"
    else:
        return
    raise ConfigError(f"{setting}: pattern {pattern!r} {problem}", path=path, hint=hint)


_SCALARS: dict[str, type | tuple[type, ...]] = {
    "locales": str,
    "output": str,
    "model": str,
    "commercial": bool,
    "backend": str,
    "memory": str,
    "encoding": str,
    "keep_furniture": bool,
    "edition_format": str,
    "include_fuzzy": bool,
    "untranslated": str,
    "checks": bool,
    "retranslate_machine": bool,
}
_LISTS = ("sources", "exclude", "languages", "front_matter_keys", "editions", "glossaries")
_TABLES = ("markdown", "decoding", "llm", "khmer", "publish", "labels", "html", "executor")


def commercial_setting(table: dict[str, Any], path: Path | None = None) -> bool:
    """``commercial`` of a ``[workspace]`` table (False when absent).

    Raises:
        ConfigError: it is not true or false.
    """
    value = table.get("commercial", False)
    if not isinstance(value, bool):
        where = path or Path(CONFIG_FILE)
        raise ConfigError("[workspace] commercial must be true or false", path=where,
                          line=_setting_line(where, "commercial") if Path(where).is_file() else None,
                          hint="write commercial = true for a newsroom that publishes commercially")
    return value


def find_config(start: Path | None = None) -> Path | None:
    """The workspace's configuration file: ``translate.toml`` or a ``pyproject.toml``
    with ``[tool.translate]``, in ``start`` (default: the working folder) or the nearest parent."""
    import tomllib

    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        toml = candidate / CONFIG_FILE
        if toml.is_file():
            return toml
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if isinstance(data.get("tool"), dict) and "translate" in data["tool"]:
                return pyproject
    return None


def _document(path: Path) -> dict[str, Any]:
    """The translate settings of a file: the whole ``translate.toml`` or ``[tool.translate]``."""
    return read_settings(path, missing_hint="run translate init, or check --config")


def load_config(path: Path | None = None, *, cwd: Path | None = None) -> WorkspaceConfig:
    """Read the workspace configuration.

    Args:
        path: the configuration file; default: :func:`find_config` from ``cwd``.
        cwd: where to look for it (default: the working folder).

    Returns:
        The configuration; defaults rooted at ``cwd`` when there is no file.

    Raises:
        ConfigError: the file is missing (when given), unreadable, not TOML,
            or a setting has the wrong type or an unknown name.
    """
    file = path.resolve() if path is not None else find_config(cwd)
    if file is None:
        return WorkspaceConfig(root=(cwd or Path.cwd()).resolve())
    document = _document(file)
    table = document.get("workspace", {})
    name = "[tool.translate.workspace]" if file.name == PYPROJECT else "[workspace]"
    if not isinstance(table, dict):
        raise ConfigError(f"{name} must be a table", path=file)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in RENAMED:
            if RENAMED[key] in table:
                raise ConfigError(f"{name} has both {key} and {RENAMED[key]}", path=file, hint=f"keep {RENAMED[key]} ({key} is its former name)")
            key = RENAMED[key]
        if key in _LISTS:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                raise ConfigError(f"{name} {key} must be a list of strings", path=file, hint=f'e.g. {key} = ["..."]')
            values[key] = tuple(items)
        elif key in _SCALARS:
            if not isinstance(value, _SCALARS[key]):
                kind = "true or false" if _SCALARS[key] is bool else "a string"
                raise ConfigError(f"{name} {key} must be {kind}", path=file)
            values[key] = Path(str(value)) if key in ("locales", "output", "memory") else value
        elif key == "backend_options":
            if not isinstance(value, dict) or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()):
                raise ConfigError(f"{name} backend_options must map names to numbers", path=file, hint="e.g. backend_options = { delay = 0.01 }")
            values[key] = tuple(sorted((k, float(v)) for k, v in value.items()))
        else:
            known = sorted([*_LISTS, *_SCALARS, "backend_options"])
            raise ConfigError(f"{name} has an unknown setting {key!r}", path=file, hint="known: " + ", ".join(known))
    tables = []
    for other in _TABLES:
        value = document.get(other, {})
        if not isinstance(value, dict):
            raise ConfigError(f"[{other}] must be a table", path=file)
        tables.append((other, value))
    markdown_options(ReadOptions(), dict(tables)["markdown"], file)  # refuse bad [markdown] settings now
    if dict(tables)["html"]:
        from translate.formats.html_select import html_settings

        html_settings(dict(tables)["html"], path=file)  # report a bad [html] table now, not once per article
    return WorkspaceConfig(root=file.parent, file=file, tables=tuple(tables), **values)



def has_workspace(path: Path) -> bool:
    """Whether a configuration file has workspace settings (``[workspace]``)."""
    try:
        return isinstance(_document(path).get("workspace"), dict)
    except ConfigError:
        return True  # let the command report the problem
