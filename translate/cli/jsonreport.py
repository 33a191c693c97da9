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
