"""What a sync did: per article and language, totals, timings; as JSON or a table."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from translate.errors import TranslateError
from translate.publish import Withheld


class Outcome(StrEnum):
    """What happened to an article in a sync."""

    UNCHANGED = "unchanged"  # nothing changed since the last sync: not touched
    UPDATED = "updated"  # extracted, translated, checked and published (or held by a rule)
    SKIPPED = "skipped"  # a catalog was being saved by another program: left alone, done by the next run
    FAILED = "failed"  # an error stopped it; the others went on


@dataclass(frozen=True)
class LanguageOutcome:
    """One article in one language.

    Attributes:
        machine: sentences given a new machine translation.
        reused: sentences given a reviewed translation from another catalog.
        sentences: sentences of the published article.
        reviewed: of those, reviewed.
        published_sentences: of those, published with a translation.
        check_errors, check_warnings: quality-check failures in the catalog.
        outputs: files written.
        held: why the article was not published (a publish rule), or ``None``.
        withheld: translations kept out of the published files because they
            fail an error-level check (their sentences went out in English, or
            per the ``untranslated`` policy).
        unconfirmed: machine suggestions that came back without their fuzzy
            flag and unedited (a CSV round trip): not counted as reviewed.
    """

    lang: str
    machine: int = 0
    reused: int = 0
    sentences: int = 0
    reviewed: int = 0
    published_sentences: int = 0
    check_errors: int = 0
    check_warnings: int = 0
    outputs: tuple[Path, ...] = ()
    held: str | None = None
    withheld: tuple[Withheld, ...] = ()
    unconfirmed: int = 0


@dataclass(frozen=True)
class ArticleOutcome:
    """One article in a sync."""

    path: Path
    slug: str
    outcome: Outcome
    sentences: int = 0
    languages: tuple[LanguageOutcome, ...] = ()
    errors: tuple[TranslateError, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    """The result of :func:`translate.workspace.sync.sync`.

    Attributes:
        to_translate: distinct sentences that needed a translation (per language, summed).
        translated: of those, translated by the model.
        memory_hits: answered by the translation memory.
        reviewed_hits: answered by reviewed translations in other catalogs.
        model_calls: engine calls; model_loads: times the model was loaded (0 or 1).
        timings: seconds per phase.
        skipped: catalogs left alone because another program was saving them
            (or they looked cut short by a save in progress); not errors.
    """

    root: Path
    languages: tuple[str, ...]
    articles: tuple[ArticleOutcome, ...]
    errors: tuple[TranslateError, ...]
    skipped: tuple[TranslateError, ...] = ()
    to_translate: int = 0
    translated: int = 0
    memory_hits: int = 0
    reviewed_hits: int = 0
    model_calls: int = 0
    model_loads: int = 0
    timings: tuple[tuple[str, float], ...] = ()
    seconds: float = 0.0

    @property
    def partial(self) -> bool:
        """Whether some articles failed (the others were done)."""
        return bool(self.errors)

    def count(self, outcome: Outcome) -> int:
        return sum(a.outcome is outcome for a in self.articles)

    def language_totals(self) -> list[dict[str, Any]]:
        """Per language: what this run did."""
        rows = []
        for lang in self.languages:
            outs = [lo for a in self.articles for lo in a.languages if lo.lang == lang]
            rows.append(
                {
                    "language": lang,
                    "articles": len(outs),
                    "machine": sum(o.machine for o in outs),
                    "reused": sum(o.reused for o in outs),
                    "sentences": sum(o.sentences for o in outs),
                    "reviewed": sum(o.reviewed for o in outs),
                    "published": sum(1 for o in outs if o.outputs),
                    "held": sum(1 for o in outs if o.held),
                    "withheld": sum(len(o.withheld) for o in outs),
                    "check_errors": sum(o.check_errors for o in outs),
                    "check_warnings": sum(o.check_warnings for o in outs),
                    "unconfirmed": sum(o.unconfirmed for o in outs),
                    "failed": sum(1 for a in self.articles if a.outcome is Outcome.FAILED),
                }
            )
        return rows


def _error_json(error: TranslateError) -> dict[str, Any]:
    return {"file": error.path, "line": error.line, "message": error.message, "hint": error.hint, "text": str(error)}


def relative_withheld(withheld: Withheld, root: Path) -> Withheld:
    """The withheld translation with its catalog named relative to the workspace root."""
    catalog = Path(withheld.catalog) if withheld.catalog else None
    if catalog is not None and catalog.is_absolute() and catalog.is_relative_to(root):
        return dataclasses.replace(withheld, catalog=catalog.relative_to(root).as_posix())
    return withheld


def _withheld_json(withheld: Withheld) -> dict[str, Any]:
    return {
        "catalog": withheld.catalog,
        "line": withheld.line,
        "msgid": withheld.msgid,
        "checks": [{"check": f.check, "message": f.message} for f in withheld.failures],
        "text": str(withheld),
    }


def report_json(report: SyncReport) -> dict[str, Any]:
    """The report as plain JSON data (``translate sync --json``)."""
    return {
        "root": str(report.root),
        "partial": report.partial,
        "seconds": round(report.seconds, 3),
        "timings": {phase: round(seconds, 3) for phase, seconds in report.timings},
        "articles": {outcome.value: report.count(outcome) for outcome in Outcome},
        "sentences": {
            "to_translate": report.to_translate,
            "translated": report.translated,
            "memory_hits": report.memory_hits,
            "reviewed_hits": report.reviewed_hits,
        },
        "model": {"loads": report.model_loads, "calls": report.model_calls},
        "languages": report.language_totals(),
        "changed": [
            {
                "article": a.path.as_posix(),
                "outcome": a.outcome.value,
                "sentences": a.sentences,
                "languages": [
                    {
                        "language": lo.lang,
                        "machine": lo.machine,
                        "reused": lo.reused,
                        "reviewed": lo.reviewed,
                        "sentences": lo.sentences,
                        "check_errors": lo.check_errors,
                        "check_warnings": lo.check_warnings,
                        "outputs": [p.as_posix() for p in lo.outputs],
                        "held": lo.held,
                        "withheld": [_withheld_json(w) for w in lo.withheld],
                        "unconfirmed": lo.unconfirmed,
                    }
                    for lo in a.languages
                ],
                "errors": [_error_json(e) for e in a.errors],
            }
            for a in report.articles
            if a.outcome is not Outcome.UNCHANGED
        ],
        "errors": [_error_json(e) for e in report.errors],
        "skipped": [_error_json(e) for e in report.skipped],
    }


def format_table(rows: list[list[str]]) -> list[str]:
    """Rows as aligned text columns (first column left-aligned, the rest right-aligned)."""
    if not rows:
        return []
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]


def summary_lines(report: SyncReport) -> list[str]:
    """The end-of-run summary: a table per language, then totals and timings."""
    lines = []
    articles = len(report.articles)
    updated, unchanged, failed = report.count(Outcome.UPDATED), report.count(Outcome.UNCHANGED), report.count(Outcome.FAILED)
    skipped = report.count(Outcome.SKIPPED)
    lines.append(f"{articles} articles: {updated} updated, {unchanged} unchanged, {failed} failed" + (f", {skipped} skipped (being edited)" if skipped else ""))
    if updated or failed or skipped:
        table = [["language", "articles", "machine", "reused", "reviewed", "published", "held", "withheld", "check errors", "warnings"]]
        for row in report.language_totals():
            reviewed = f"{row['reviewed']}/{row['sentences']}"
            table.append(
                [row["language"], str(row["articles"]), str(row["machine"]), str(row["reused"]), reviewed, str(row["published"]), str(row["held"]),
                 str(row["withheld"]), str(row["check_errors"]), str(row["check_warnings"])]
            )
        lines.extend(format_table(table))
        for row in report.language_totals():
            if row["unconfirmed"]:
                lines.append(
                    f"{row['language']}: {row['unconfirmed']} machine suggestions came back as reviewed without an edit: probably through a CSV round trip;"
                    " not counted as reviewed (translate mt --unconfirmed restore-fuzzy marks them fuzzy again)"
                )
    if report.to_translate:
        lines.append(
            f"sentences to translate: {report.to_translate} ({report.reviewed_hits} reviewed elsewhere, {report.memory_hits} from memory, "
            f"{report.translated} by the model in {report.model_calls} calls, model loaded {report.model_loads}x)"
        )
    timings = ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in report.timings if seconds >= 0.05)
    lines.append(f"done in {report.seconds:.1f}s" + (f" ({timings})" if timings else ""))
    return lines
