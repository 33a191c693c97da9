"""Shared pieces of the command line: context, options, error reporting."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from translate.api import Workspace
    from translate.errors import TranslateError
    from translate.languages import Language

F = TypeVar("F", bound=Callable[..., Any])
EXIT_PARTIAL = 1


@dataclass
class Context:
    """What the command group passes to its commands."""

    locales: Path
    quiet: bool


class SettingError(click.ClickException):
    """A wrong command-line value or configuration setting: one line, exit code 2, no usage text."""

    exit_code = 2


def fail(error: TranslateError) -> click.ClickException:
    """A library error that stops the command: printed as one line, exit code 1."""
    return click.ClickException(str(error))


def bad_setting(error: TranslateError) -> click.ClickException:
    """A wrong option or configuration setting: printed as one line, exit code 2."""
    return SettingError(str(error))


def _encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Check ``--encoding`` before anything is read (only text encodings; not rot13, base64, …)."""
    if value is None:
        return None
    from translate.config import check_encoding
    from translate.errors import ConfigError

    try:
        check_encoding(value, setting="--encoding")
    except ConfigError as error:
        raise bad_setting(error) from error
    return value


def parse_langs(value: str) -> tuple[Language, ...]:
    from translate.errors import ConfigError
    from translate.languages import parse_languages

    try:
        return parse_languages(value)
    except ConfigError as error:
        raise click.BadParameter(str(error), param_hint="--to") from error


def read_options(func: F) -> F:
    """Options shared by every command that reads articles."""
    decorators = [
        click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), help="Article format (default: from the file extension)."),
        click.option("--encoding", callback=_encoding, help="Text encoding of the articles, such as latin-1, cp1252 or utf-16 (default: UTF-8, with or without BOM)."),
        click.option("--front-matter-key", "front_matter_keys", multiple=True, metavar="KEY", help="Front-matter key to translate; repeat for several (default: title, summary, description, subtitle, caption)."),
        click.option("--skip-line", "skip_lines", multiple=True, metavar="REGEX", help="Plain text: leave out lines matching REGEX (added to the defaults)."),
        click.option("--stop-at", multiple=True, metavar="REGEX", help="Plain text: leave out the line matching REGEX and all after it (added to the defaults)."),
        click.option("--keep-furniture/--skip-furniture", default=False, help="Plain text: translate page furniture too (logos, image labels, 'MOST VIEWED' teasers). Default: skip it."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def workspace_from(ctx: Context, fmt: str | None, encoding: str | None, front_matter_keys: Sequence[str], skip_lines: Sequence[str], stop_at: Sequence[str], keep_furniture: bool) -> Workspace:
    from dataclasses import replace

    from translate.api import Workspace
    from translate.config import ReadOptions

    options = ReadOptions(encoding=encoding)
    if front_matter_keys:
        options = replace(options, front_matter_keys=tuple(front_matter_keys))
    if keep_furniture:
        options = replace(options, skip_lines=(), stop_at=())
    options = replace(options, skip_lines=options.skip_lines + tuple(skip_lines), stop_at=options.stop_at + tuple(stop_at))
    return Workspace(locales=ctx.locales, read=options, fmt=fmt)


def report_errors(errors: Sequence[TranslateError]) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        sys.exit(EXIT_PARTIAL)
