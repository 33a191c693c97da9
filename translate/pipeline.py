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

from translate.api import ExtractResult, MTRequest, PublishResult, Workspace, extract, machine_translate, publish
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
        published: ``(language code, result)`` of each article published in
            each language and edition (with its own error, if any).
        translated: the machine-translation run (``None``: no article could be extracted).
        errors: every problem, extraction, translation and publishing.
        extracted: the extraction of each article.
    """

    published: tuple[tuple[str, PublishResult], ...]
    translated: MTRun | None
    errors: tuple[TranslateError, ...]
    extracted: tuple[ExtractResult, ...] = ()


def run(
    paths: Iterable[str | Path],
    langs: Sequence[Language],
    output: Path,
    workspace: Workspace | None = None,
    request: MTRequest | None = None,
    *,
    editions: Sequence[tuple[Edition, EditionFormat | None]] = ((Edition.LOCALIZED, None),),
    options: PublishOptions | None = None,
    progress: Progress | None = None,
    on_model: Callable[[ResolvedModel], None] | None = None,
    on_published: Callable[[str, PublishResult], None] | None = None,
) -> RunResult:
    """Extract, machine-translate and publish ``paths`` in every language of ``langs``.

    Args:
        output: the folder for the published files.
        editions: ``(edition, format)`` pairs to publish.
        options: how to publish (default: machine suggestions included, the
            checks' gate on, the flat layout).
        on_published: called with each language code and publication as it is done.

    Raises:
        TranslateError: the model cannot be found or loaded, or the memory or the workers cannot be used.
    """
    workspace = workspace or Workspace()
    options = options or PublishOptions(include_fuzzy=True)
    extracted = tuple(extract(paths, langs, workspace))
    errors: list[TranslateError] = [e for r in extracted for e in r.errors]
    good = tuple(r.path for r in extracted if r.error is None)
    skip = {(r.path, lang.code) for r in extracted for lang in langs if r.failed(lang)}
    if not good:
        return RunResult((), None, tuple(errors), extracted)
    translated = machine_translate(good, langs, workspace, request, progress=progress, on_model=on_model, skip=skip)
    errors.extend(translated.errors)
    skip |= {(r.path, r.lang) for r in translated.results if r.error is not None}
    published: list[tuple[str, PublishResult]] = []
    for lang in langs:
        for edition, edition_format in editions:
            ready = tuple(p for p in good if (p, lang.code) not in skip)
            for result in publish(ready, lang, output, workspace, options, edition=edition, edition_format=edition_format):
                published.append((lang.code, result))
                if result.error is not None:
                    errors.append(result.error)
                if on_published is not None:
                    on_published(lang.code, result)
    return RunResult(tuple(published), translated, tuple(errors), extracted)
