"""Find a workspace's articles: source globs minus exclusions, in a stable order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from translate.errors import InputError
from translate.workspace.config import STATE_DIR, WorkspaceConfig


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


def discover(config: WorkspaceConfig) -> tuple[list[Source], list[InputError]]:
    """The articles of the workspace, sorted by path, and the errors found on the way.

    Files under the locales and ``.translate`` folders are never articles,
    nor are the files the layout publishes (everything under the output
    folder in the ``flat`` layout; ``index.km.md``, ``content/km/…`` or
    ``_posts/km/…`` in the others, for the target languages, and bilingual
    editions). Catalog names are chosen for all articles at once (see
    :mod:`translate.catalog.names`); two articles whose names are still the
    same are both reported and left out.

    Raises:
        ConfigError: ``[publish] layout`` or ``source_root`` is not valid.
    """
    from translate.catalog.names import catalog_names
    from translate.workspace.layout import workspace_layout

    root = config.root
    layout = workspace_layout(config)
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
