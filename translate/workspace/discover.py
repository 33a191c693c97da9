"""Find a workspace's articles: source globs minus exclusions, in a stable order."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from translate.article import article_slug
from translate.errors import InputError
from translate.workspace.config import STATE_DIR, WorkspaceConfig


@dataclass(frozen=True)
class Source:
    """One article of the workspace.

    Attributes:
        path: the file, relative to the workspace root.
        slug: its catalog name (the file name before the first dot).
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

    Files under the locales, output and ``.translate`` folders are never
    articles. Two articles with the same slug would share catalogs: both are
    reported and left out, as is a file whose name starts with a dot (it has
    no slug).
    """
    root = config.root
    skip = [p for p in (config.path(config.locales), config.path(config.output), root / STATE_DIR)]
    found: set[Path] = set()
    for glob in config.sources:
        for path in root.glob(glob):
            if not path.is_file() or any(path.is_relative_to(folder) for folder in skip):
                continue
            relative = path.relative_to(root)
            if not matches(relative.as_posix(), config.exclude):
                found.add(relative)
    owners: dict[str, list[Path]] = {}
    errors: list[InputError] = []
    for relative in sorted(found):
        try:
            owners.setdefault(article_slug(relative), []).append(relative)
        except InputError as error:
            errors.append(error)
    sources = []
    for slug, paths in sorted(owners.items()):
        if len(paths) == 1:
            sources.append(Source(paths[0], slug))
            continue
        for path in paths:
            others = ", ".join(str(p) for p in paths if p != path)
            errors.append(InputError(f"has the same catalog name {slug!r} as {others}", path=path, hint="rename one of them or add it to exclude"))
    sources.sort(key=lambda s: s.path)
    return sources, errors
