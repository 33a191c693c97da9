"""``translate run``: extract, machine-translate and publish articles in one call.

The whole job for a list of articles, as :func:`run` does it for the command
line and for programs: catalogs are extracted, the model work goes to the
executor of the request (see :mod:`translate.mt.jobs`), and every edition
is published in every language. Errors of single articles are collected and
the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from translate.api import MTRequest, PublishResult, Workspace, extract, machine_translate, publish
from translate.editions import Edition, EditionFormat
from translate.errors import TranslateError
from translate.languages import Language
from translate.mt.models import ResolvedModel
from translate.mt.service import MTRun, Progress
from translate.publish import PublishOptions


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` did.

    Attributes:
        published: each article published in each language and edition (with its own error, if any).
        translated: the machine-translation run (``None``: no article could be extracted).
        errors: every problem, extraction, translation and publishing.
    """

    published: tuple[PublishResult, ...]
    translated: MTRun | None
    errors: tuple[TranslateError, ...]


def run(
    paths: Iterable[str | Path],
    langs: Sequence[Language],
    output: Path,
    workspace: Workspace | None = None,
    request: MTRequest | None = None,
    *,
    editions: Sequence[tuple[Edition, EditionFormat | None]] = ((Edition.LOCALIZED, None),),
    include_fuzzy: bool = True,
    progress: Progress | None = None,
    on_model: Callable[[ResolvedModel], None] | None = None,
) -> RunResult:
    """Extract, machine-translate and publish ``paths`` in every language of ``langs``.

    Args:
        output: the folder for the published files.
        editions: ``(edition, format)`` pairs to publish.
        include_fuzzy: publish machine suggestions (not only reviewed translations).

    Raises:
        TranslateError: the model cannot be found or loaded, or the memory or the workers cannot be used.
    """
    workspace = workspace or Workspace()
    extracted = extract(paths, langs, workspace)
    errors: list[TranslateError] = [e for r in extracted for e in r.errors]
    good = tuple(r.path for r in extracted if r.error is None)
    skip = {(r.path, lang.code) for r in extracted for lang in langs if r.failed(lang)}
    if not good:
        return RunResult((), None, tuple(errors))
    translated = machine_translate(good, langs, workspace, request, progress=progress, on_model=on_model, skip=skip)
    errors.extend(translated.errors)
    skip |= {(r.path, r.lang) for r in translated.results if r.error is not None}
    published: list[PublishResult] = []
    for lang in langs:
        for edition, edition_format in editions:
            ready = tuple(p for p in good if (p, lang.code) not in skip)
            for result in publish(ready, lang, output, workspace, PublishOptions(include_fuzzy=include_fuzzy), edition=edition, edition_format=edition_format):
                published.append(result)
                if result.error is not None:
                    errors.append(result.error)
    return RunResult(tuple(published), translated, tuple(errors))
