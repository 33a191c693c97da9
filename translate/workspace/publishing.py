"""The last stage of a sync for one article: check and publish each language, and say what to record."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.errors import BeingEditedError, FailedCheckError, PublishError, TranslateError, UnsafeTranslation
from translate.languages import Language
from translate.mt.service import CatalogResult
from translate.workspace.config import WorkspaceConfig
from translate.workspace.report import ArticleOutcome, LanguageOutcome, Outcome, relative_withheld
from translate.workspace.setup import PublishSettings
from translate.workspace.stage import Planned, Timer, relative
from translate.workspace.state import Record, catalog_keys, file_digest, read_settled

if TYPE_CHECKING:
    import polib


def expected_outputs(config: WorkspaceConfig, source: Any, lang: Language) -> list[Path]:
    """The published files of an article in one language, relative to the root (where the layout puts them)."""
    from translate.workspace.layout import workspace_layout

    out = config.output
    paths = []
    if "localized" in config.editions:
        try:
            target = workspace_layout(config).localized_path(config.root / source.path, source.slug, lang.code, config.path(out))
        except TranslateError:  # publishing reports it
            target = None
        if target is not None:
            paths.append(target.relative_to(config.root) if target.is_relative_to(config.root) else target)
    if "bilingual" in config.editions:
        paths.append(out / f"{source.slug}.en-{lang.code}.{config.edition_format}")
    return paths


def publish_article(
    config: WorkspaceConfig,
    planned: Planned,
    sentences: int,
    langs: Sequence[Language],
    workspace: Any,
    settings: PublishSettings,
    mt_results: dict[tuple[Path, str], CatalogResult],
    failed_langs: dict[str, TranslateError],
    fingerprint: str,
    timer: Timer,
) -> tuple[ArticleOutcome, Record | None]:
    """Check and publish one article in every language; its outcome, and its state row if it is completely done."""
    from translate.api import publish
    from translate.catalog.paths import catalog_path, template_path

    source = planned.source
    absolute = config.root / source.path
    errors: list[TranslateError] = list(failed_langs.values())
    per_lang = []
    files: dict[str, str | None] = {source.path.as_posix(): planned.digest}
    pot = template_path(config.locales, source.slug)
    files[pot.as_posix()] = file_digest(config.path(pot))
    pot_keys = catalog_keys(config.path(pot))
    for lang in langs:
        if lang.code in failed_langs:
            continue
        mt_result = mt_results.get((absolute, lang.code))
        if mt_result is not None and mt_result.error is not None:
            errors.append(relative(config, mt_result.error))
            continue
        po = catalog_path(config.locales, source.slug, lang.gettext)
        files[po.as_posix()], catalog = read_settled(config.path(po), pot_keys)
        t = time.perf_counter()
        check_errors, check_warnings = _check(config, po, catalog, lang) if config.checks and catalog is not None else (0, 0)
        timer.add("check", t)
        t = time.perf_counter()
        published, held, counts, withheld = [], None, (0, 0, 0), ()
        for edition, fmt in settings.editions:
            result = publish([absolute], lang, config.path(config.output), workspace, settings.options[lang.code], edition=edition, edition_format=fmt, rules=settings.rules)[0]
            if isinstance(result.error, PublishError) and not isinstance(result.error, (UnsafeTranslation, FailedCheckError)) and settings.can_hold:
                held = held or result.error.message
            elif result.error is not None:
                errors.append(relative(config, result.error))
                break
            else:
                assert result.output is not None
                published.append(result.output.relative_to(config.root) if result.output.is_relative_to(config.root) else result.output)
                counts = (result.sentences, result.reviewed, result.translated)
                withheld = tuple(relative_withheld(w, config.root) for w in result.withheld)
        timer.add("publish", t)
        for output in expected_outputs(config, source, lang):
            files[output.as_posix()] = file_digest(config.path(output))
        per_lang.append(
            LanguageOutcome(
                lang=lang.code,
                machine=mt_result.machine if mt_result else 0,
                reused=mt_result.reviewed if mt_result else 0,
                sentences=counts[0],
                reviewed=counts[1],
                published_sentences=counts[2],
                check_errors=check_errors,
                check_warnings=check_warnings,
                outputs=tuple(published),
                held=held,
                withheld=withheld,
                unconfirmed=len(mt_result.unconfirmed) if mt_result else 0,
            )
        )
    if any(not isinstance(e, BeingEditedError) for e in errors):
        status = Outcome.FAILED
    else:
        status = Outcome.SKIPPED if errors else Outcome.UPDATED
    outcome = ArticleOutcome(source.path, source.slug, status, sentences, tuple(per_lang), tuple(errors))
    return outcome, None if errors else Record(fingerprint, tuple(sorted(files.items())))


def _check(config: WorkspaceConfig, po: Path, catalog: polib.POFile, lang: Language) -> tuple[int, int]:
    """Errors and warnings of the quality checks on one catalog, as read for its state row (reported, never fatal)."""
    from translate.catalog.provenance import read_records
    from translate.workspace.checks import check_counts

    try:
        records = read_records(config.path(po))
    except TranslateError:
        return 0, 0  # publishing reports it
    return check_counts(catalog, lang.code, records)
