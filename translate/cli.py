"""Command line: a thin layer over :mod:`translate.api`.

Only this module imports click and prints. Library modules are imported inside
the commands so that ``translate --help`` starts instantly.

Exit codes: 0 success; 1 some articles or catalogs had errors (the others were
processed, each error is printed as ``file:line: message (how to fix)``);
2 the command line itself is wrong.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from translate import __version__

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


def _fail(error: TranslateError) -> click.ClickException:
    return click.ClickException(str(error))


def _languages(value: str) -> tuple[Language, ...]:
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
        click.option("--encoding", help="Encoding of the articles (default: UTF-8, with or without BOM)."),
        click.option("--front-matter-key", "front_matter_keys", multiple=True, metavar="KEY", help="Front-matter key to translate; repeat for several (default: title, summary, description, subtitle, caption)."),
        click.option("--skip-line", "skip_lines", multiple=True, metavar="REGEX", help="Plain text: leave out lines matching REGEX (added to the defaults)."),
        click.option("--stop-at", multiple=True, metavar="REGEX", help="Plain text: leave out the line matching REGEX and all after it (added to the defaults)."),
        click.option("--keep-furniture/--skip-furniture", default=False, help="Plain text: translate page furniture too (logos, image labels, 'MOST VIEWED' teasers). Default: skip it."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _workspace(ctx: Context, fmt: str | None, encoding: str | None, front_matter_keys: Sequence[str], skip_lines: Sequence[str], stop_at: Sequence[str], keep_furniture: bool) -> Workspace:
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


def _report_errors(errors: Sequence[TranslateError]) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)
    if errors:
        sys.exit(EXIT_PARTIAL)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="translate")
@click.option("--locales", type=click.Path(file_okay=False, path_type=Path), default=Path("locales"), show_default=True, help="Catalog tree: templates/ and <lang>/LC_MESSAGES/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Log what is done.")
@click.pass_context
def cli(ctx: click.Context, locales: Path, quiet: bool, verbose: bool) -> None:
    """Publish English news articles in Khmer and other languages.

    \b
    Workflow:
      translate extract ARTICLE... --to km   sentences -> locales/km/LC_MESSAGES/<slug>.po
      (translators review the .po files in Poedit, Weblate or Lokalize)
      translate publish ARTICLE... --to km   catalog -> out/<slug>.km.<ext>
      translate status                       review progress per article and language

    Articles: plain text (.txt), Markdown with YAML front matter (.md), HTML (.html).
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = Context(locales=locales, quiet=quiet)


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th). Without it only templates are written.")
@read_options
@click.pass_obj
def extract(obj: Context, articles: tuple[Path, ...], to: str, **read: Any) -> None:
    """Split articles into sentences and write or update their catalogs.

    Writes locales/templates/<slug>.pot and, for each language in --to,
    locales/<lang>/LC_MESSAGES/<slug>.po, keeping every existing translation
    (edited sentences become fuzzy, removed ones obsolete).
    """
    from translate.api import extract as run_extract

    langs = _languages(to) if to.strip() else ()
    results = run_extract(articles, langs, _workspace(obj, **read))
    for result in results:
        if result.error is None and not obj.quiet:
            click.echo(f"{result.path}: {result.sentences} sentences -> {result.template}")
            for update in result.catalogs:
                r = update.report
                state = "updated" if update.written else "unchanged"
                click.echo(f"  {update.path}: {state} (kept {r.kept}, fuzzy {r.fuzzy}, new {r.added}, obsolete {r.obsoleted})")
    _report_errors([r.error for r in results if r.error is not None])


@cli.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANG", help="Target language (BCP-47 code, e.g. km).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Folder for the localized articles (<slug>.<lang>.<ext>).")
@click.option("--untranslated", type=click.Choice(["source", "omit", "fail"]), default="source", show_default=True, help="Sentences without a usable translation: keep the English, leave them out, or refuse to publish.")
@click.option("--include-fuzzy/--reviewed-only", default=False, help="Also use fuzzy (unreviewed, e.g. machine) translations. Default: reviewed only.")
@read_options
@click.pass_obj
def publish(obj: Context, articles: tuple[Path, ...], to: str, output: Path, untranslated: str, include_fuzzy: bool, **read: Any) -> None:
    """Publish localized articles from their catalogs, in the source format."""
    from translate.api import publish as run_publish
    from translate.publish import PublishOptions, Untranslated

    langs = _languages(to)
    options = PublishOptions(untranslated=Untranslated(untranslated), include_fuzzy=include_fuzzy)
    errors = []
    for lang in langs:
        for result in run_publish(articles, lang, output, _workspace(obj, **read), options):
            if result.error is not None:
                errors.append(result.error)
            elif not obj.quiet:
                click.echo(f"{result.path} -> {result.output} ({result.translated}/{result.sentences} sentences translated)")
    _report_errors(errors)


@cli.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Only these languages (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def status(obj: Context, articles: tuple[Path, ...], to: str, as_json: bool) -> None:
    """Review progress of each article's catalog in each language."""
    from translate.api import Workspace
    from translate.api import status as run_status

    langs = _languages(to) if to.strip() else ()
    rows = run_status(articles, langs, Workspace(locales=obj.locales))
    if as_json:
        click.echo(json.dumps([_status_json(row) for row in rows], ensure_ascii=False, indent=2))
    else:
        _print_status(rows)
    _report_errors([row.error for row in rows if row.error is not None])


def _status_json(row: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"article": row.slug, "language": row.lang, "catalog": str(row.path)}
    if row.stats is not None:
        s = row.stats
        data.update(entries=s.entries, translated=s.translated, fuzzy=s.fuzzy, untranslated=s.untranslated, obsolete=s.obsolete, reviewed_percent=round(s.reviewed_percent, 1))
    if row.error is not None:
        data["error"] = str(row.error)
    return data


def _print_status(rows: Sequence[Any]) -> None:
    if not rows:
        click.echo("no catalogs found (run translate extract ARTICLE --to LANG first)")
        return
    header = ("article", "lang", "entries", "translated", "fuzzy", "untranslated", "obsolete", "reviewed")
    table = [header]
    for row in rows:
        if row.stats is None:
            continue
        s = row.stats
        table.append((row.slug, row.lang, str(s.entries), str(s.translated), str(s.fuzzy), str(s.untranslated), str(s.obsolete), f"{s.reviewed_percent:.0f}%"))
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        click.echo("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))).rstrip())


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="translate")
