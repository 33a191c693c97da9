"""The pieces every ``--json`` report is made of, so that all commands speak alike.

Conventions (``status``, ``check``, ``sync``, ``extract``, ``mt``, ``run``,
``publish``): one JSON object on stdout; paths as given or relative to the
workspace; one entry per article (``"article"``) or per catalog; an error as
``{"file", "line", "message", "hint", "text"}`` (:meth:`TranslateError.as_json`),
both in the item it stopped and in the top-level ``"errors"`` list; catalogs
left alone because another program was saving them under ``"skipped"``
instead; a check failure as ``{"check", "severity", "message"}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from translate.checks import Failure
    from translate.errors import TranslateError
    from translate.publish import Withheld


def error_json(error: TranslateError | None) -> dict[str, Any] | None:
    """An error as plain data (``None`` stays ``None``)."""
    return None if error is None else error.as_json()


def failure_json(failure: Failure) -> dict[str, str]:
    """A check failure as plain data."""
    return {"check": failure.check, "severity": str(failure.severity), "message": failure.message}


def withheld_json(withheld: Withheld) -> dict[str, Any]:
    """A translation kept out of a published file, as ``translate sync --json`` reports it."""
    return {
        "catalog": withheld.catalog,
        "line": withheld.line,
        "msgid": withheld.msgid,
        "checks": [{"check": f.check, "message": f.message} for f in withheld.failures],
        "text": str(withheld),
    }


def problems_json(errors: Iterable[TranslateError]) -> dict[str, list[dict[str, Any]]]:
    """The top-level ``errors`` and ``skipped`` (catalogs being saved by another program) of a report."""
    from translate.errors import BeingEditedError

    found = list(errors)
    return {
        "errors": [error.as_json() for error in found if not isinstance(error, BeingEditedError)],
        "skipped": [error.as_json() for error in found if isinstance(error, BeingEditedError)],
    }


def echo_json(data: Any) -> None:
    """Print a report (UTF-8 kept as is, indented)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def extract_json(results: Iterable[Any]) -> list[dict[str, Any]]:
    """``translate extract --json``: each article's template and catalogs, with what the update did."""
    articles = []
    for result in results:
        catalogs = []
        for update in result.catalogs:
            report = update.report
            counts = {"kept": report.kept, "fuzzy": report.fuzzy, "new": report.added, "obsolete": report.obsoleted} if report is not None else {}
            catalogs.append({"language": update.lang.code, "catalog": str(update.path), "written": update.written, **counts, "error": error_json(update.error)})
        articles.append(
            {
                "article": str(result.path),
                "template": None if result.template is None else str(result.template),
                "sentences": result.sentences,
                "catalogs": catalogs,
                "error": error_json(result.error),
            }
        )
    return articles


def mt_json(run: Any) -> dict[str, Any]:
    """``translate mt --json``: totals as ``sync --json`` gives them, then each catalog."""
    return {
        "seconds": round(run.seconds, 3),
        "sentences": {"to_translate": run.sentences, "translated": run.translated, "memory_hits": run.memory_hits, "reviewed_hits": run.reviewed_hits},
        "model": {"calls": run.model_calls},
        "catalogs": [
            {
                "article": str(result.path),
                "language": result.lang,
                "catalog": None if result.catalog is None else str(result.catalog),
                "machine": result.machine,
                "reused": result.reviewed,
                "flagged": result.flagged,
                "restored": getattr(result, "restored", 0),
                "unconfirmed": list(getattr(result, "unconfirmed", ())),
                "written": result.written,
                "error": error_json(result.error),
            }
            for result in run.results
        ],
    }


def publish_json(results: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """``translate publish --json``: each article in each language, with what was withheld."""
    return [
        {
            "article": str(result.path),
            "language": lang,
            "output": None if result.output is None else str(result.output),
            "sentences": result.sentences,
            "translated": result.translated,
            "reviewed": result.reviewed,
            "withheld": [withheld_json(w) for w in result.withheld],
            "error": error_json(result.error),
        }
        for lang, result in results
    ]
