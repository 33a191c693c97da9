"""Find a workspace's articles: source globs minus exclusions, in a stable order."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from translate.config import PYPROJECT
from translate.errors import ConfigError, InputError
from translate.workspace.config import STATE_DIR, WorkspaceConfig

_TABLE_HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_DEFAULTS = {"output": "out", "locales": "locales"}


@dataclass(frozen=True)
class Source:
    """One article of the workspace.

    Attributes:
        path: the file, relative to the workspace root.
        slug: its catalog name (see :mod:`translate.catalog.names`).
    """

    path: Path
    slug: str


@lru_cache(maxsize=256)
def _pattern(glob: str) -> re.Pattern[str]:
    """A glob (``*``, ``?``, ``[...]``, ``**`` for any number of folders) as a regular expression."""
    out = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 1 :]:
            end = glob.index("]", i + 1)
            body = glob[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches(relative: str, globs: Iterable[str]) -> bool:
    """Whether a relative POSIX path matches one of the globs (a folder glob covers what is inside)."""
    for glob in globs:
        glob = glob.rstrip("/")
        if _pattern(glob).match(relative) or _pattern(glob + "/**").match(relative):
            return True
    return False


_GLOB_CHARS = frozenset("*?[")


def source_folder(config: WorkspaceConfig, glob: str) -> Path:
    """The folder a source glob looks in: its leading parts without wildcards (``articles/**/*.md`` -> ``articles``)."""
    parts = Path(glob).parts
    fixed = []
    for part in parts[:-1]:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return config.path(Path(*fixed)) if fixed else config.root


def setting_line(file: Path, key: str, value: Path) -> int | None:
    """The line of ``key = "value"`` in the workspace table of a configuration file; ``None`` when not written there."""
    table = "tool.translate.workspace" if file.name == PYPROJECT else "workspace"
    setting = re.compile(rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
    current = ""
    try:
        lines = file.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            current = re.sub(r"\s+", "", header.group(1))
        elif current == table and setting.match(line):
            try:
                written = tomllib.loads(line.strip()).popitem()[1]
            except (tomllib.TOMLDecodeError, KeyError):
                return None
            return number if isinstance(written, str) and Path(written) == value else None
    return None


def check_folders(config: WorkspaceConfig, *, in_place: bool = False) -> None:
    """Refuse ``output`` and ``locales`` folders that would hide the articles or each other.

    Discovery skips everything under them, so ``output = "."`` or
    ``locales = "articles"`` would leave a workspace with no articles, and
    published files among the catalogs (or catalogs among them) would be
    mistaken for each other. A source folder that holds them is fine: they are
    skipped inside it. With ``in_place`` (the Hugo and Jekyll layouts, which
    publish beside the sources and skip only the files they publish), the
    output folder may be the articles' own and hold the catalog tree.

    Raises:
        ConfigError: naming the configuration file and the line of the setting to change.
    """
    folders = {"output": config.path(config.output).resolve(), "locales": config.path(config.locales).resolve()}

    def fail(key: str, message: str, hint: str) -> ConfigError:
        value = getattr(config, key)
        line = setting_line(config.file, key, value) if config.file is not None else None
        setting = f"[workspace] {key} = {str(value)!r}" if line is not None else f"{key} folder {str(value)!r}"
        return ConfigError(f"{setting} {message}", path=config.file or config.root, line=line, hint=hint)

    for key, folder in folders.items():
        if key == "output" and in_place:
            continue
        for glob in config.sources:
            source = source_folder(config, glob).resolve()
            if source == folder or source.is_relative_to(folder):
                what = "is the folder" if source == folder else "holds the folder"
                raise fail(key, f"{what} of the articles ({glob!r}), so every article would be skipped", f"give {key} a folder of its own, e.g. {_DEFAULTS[key]!r}")
    hint = "give output and locales a folder each, e.g. 'out' and 'locales'"
    output, locales = folders["output"], folders["locales"]
    if output == locales:
        raise fail("output", "is also the locales folder", hint)
    if output.is_relative_to(locales):
        raise fail("output", f"is inside the locales folder {str(config.locales)!r}", hint)
    if locales.is_relative_to(output) and not in_place:
        raise fail("locales", f"is inside the output folder {str(config.output)!r}", hint)


def discover(config: WorkspaceConfig) -> tuple[list[Source], list[InputError]]:
    """The articles of the workspace, sorted by path, and the errors found on the way.

    Files under the locales and ``.translate`` folders are never articles,
    nor are the files the layout publishes (everything under the output
    folder in the ``flat`` layout; ``index.km.md``, ``content/km/…`` or
    ``_posts/km/…`` in the others, for the target languages, and bilingual
    editions); folders that would hide the articles are refused (see
    :func:`check_folders`). Catalog names are chosen for all articles at once
    (see :mod:`translate.catalog.names`); two articles whose names are still
    the same are both reported and left out, as is a file whose name cannot
    name catalogs (it starts with a dot, or holds a line break).

    Raises:
        ConfigError: ``[publish] layout`` or ``source_root`` is not valid, or
            the output or locales folder would hide the articles.
    """
    from translate.catalog.names import catalog_names
    from translate.layout import LayoutKind
    from translate.workspace.layout import workspace_layout

    root = config.root
    layout = workspace_layout(config)
    check_folders(config, in_place=layout.kind is not LayoutKind.FLAT)
    skip = [config.path(config.locales), root / STATE_DIR]
    output = config.path(config.output).resolve()
    out = PurePosixPath(output.relative_to(root.resolve()).as_posix()) if output.is_relative_to(root.resolve()) else None
    codes = tuple(config.languages)
    found: set[Path] = set()
    for glob in config.sources:
        for path in root.glob(glob):
            if not path.is_file() or any(path.is_relative_to(folder) for folder in skip):
                continue
            relative = path.relative_to(root)
            posix = PurePosixPath(relative.as_posix())
            if out is not None and (layout.is_output(posix, out, codes) or _bilingual(posix, out, codes)):
                continue
            if not matches(relative.as_posix(), config.exclude):
                found.add(relative)
    ordered = sorted(found)
    names, clashes = catalog_names([root / p for p in ordered], config.path(config.locales))
    sources = [Source(p, names[root / p]) for p in ordered if root / p in names]
    errors: list[InputError] = []
    for p in ordered:
        error = clashes.get(root / p)
        if error is not None:
            error.path = str(p)
            error.message = error.message.replace(f"{root}/", "")
            errors.append(error)
    return sources, errors


def _bilingual(relative: PurePosixPath, output: PurePosixPath, codes: tuple[str, ...]) -> bool:
    """Whether a file in the output folder is a bilingual edition (``story.en-km.html``)."""
    if output.parts not in ((), (".",)) and relative.parts[: len(output.parts)] != output.parts:
        return False
    parts = relative.name.split(".")
    wanted = {code.casefold() for code in codes}
    return len(parts) >= 3 and "-" in parts[-2] and parts[-2].split("-", 1)[1].casefold() in wanted
