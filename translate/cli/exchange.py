"""``translate xliff`` and ``translate memory``: exchange files for CAT tools."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from translate.cli.common import Context, fail, report_errors

if TYPE_CHECKING:
    from translate.languages import Language

_MEMORY = click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), help="Translation-memory file (default: ~/.cache/translate/memory.sqlite3, or $TRANSLATE_MEMORY).")


def _language(value: str | None) -> Language | None:
    from translate.errors import ConfigError
    from translate.languages import language

    if value is None:
        return None
    try:
        return language(value)
    except ConfigError as error:
        raise click.BadParameter(str(error), param_hint="--to") from error


@click.group()
def xliff() -> None:
    """Catalogs as XLIFF, for translators who work in a CAT tool.

    \b
    translate xliff export --to km -o km.xlf          every Khmer catalog
    translate xliff export a.md b.md --to km -o km.xlf --xliff-version 1.2
    translate xliff import km.xlf                      back into the catalogs
    """


@xliff.command("export")
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "lang", required=True, metavar="LANG", help="Target language of the catalogs (one).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="XLIFF file to write.")
@click.option("--xliff-version", type=click.Choice(["2.0", "1.2"]), default="2.0", show_default=True, help="XLIFF 2.0, or 1.2 for tools that read only 1.2.")
@click.pass_obj
def export_command(ctx: Context, articles: tuple[Path, ...], lang: str, output: Path, xliff_version: str) -> None:
    """Write the catalogs of ARTICLES (default: all in the language) to one XLIFF file.

    Each unit keeps its state (new, machine output, needs review, reviewed),
    comments, references and machine-translation provenance.
    """
    from translate.api import XliffVersion, export_xliff
    from translate.errors import TranslateError

    try:
        target = _language(lang)
        assert target is not None  # --to is required
        result = export_xliff(ctx.locales, target, output, articles, XliffVersion(xliff_version))
    except TranslateError as error:
        raise fail(error) from error
    if result.catalogs and not ctx.quiet:
        click.echo(f"{result.output}: {result.units} units from {len(result.catalogs)} catalog(s), XLIFF {xliff_version}")
    elif not result.catalogs and not result.errors:
        raise click.ClickException(f"no {lang} catalog under {ctx.locales} (run translate extract first)")
    report_errors(list(result.errors))


@xliff.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(ctx: Context, file: Path) -> None:
    """Apply an XLIFF file (2.0 or 1.x) to the catalogs it was exported from.

    A translation is taken where the catalog has none, still has the one the
    file was made from, or has machine output nobody edited; a reviewed
    entry is replaced only by a reviewed unit. Other differences are listed
    as conflicts and left for a translator: nothing in the catalogs is lost.
    A file for English the catalogs do not have is refused whole.
    """
    from translate.api import import_xliff
    from translate.errors import TranslateError

    try:
        results = import_xliff(file, ctx.locales)
    except TranslateError as error:
        raise fail(error) from error
    for result in results:
        if not ctx.quiet:
            state = "updated" if result.written else "unchanged"
            click.echo(
                f"{result.catalog}: {state} ({result.translated} translations taken, {result.reviewed} newly reviewed, "
                f"{result.unchanged} already there, {len(result.conflicts)} conflicts)"
            )
        for conflict in result.conflicts:
            where = f"{file}:{conflict.line}" if conflict.line else str(file)
            click.echo(f"warning: {where}: not taken, {conflict.reason}: {conflict.source!r}", err=True)


@click.group()
def memory() -> None:
    """The translation memory as TMX 1.4, for CAT tools and other memories.

    \b
    translate memory export memory.tmx --to km        reviewed translations
    translate memory import agency.tmx --to km        as reviewed translations
    """


@memory.command("export")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "lang", metavar="LANG", help="Only this target language (default: all).")
@click.option("--machine/--no-machine", default=False, help="Also write machine output, marked as such (default: reviewed translations only).")
@_MEMORY
@click.pass_obj
def memory_export(ctx: Context, output: Path, lang: str | None, machine: bool, memory: Path | None) -> None:
    """Write the translation memory to a TMX 1.4 file."""
    from translate.api import export_memory
    from translate.errors import TranslateError

    try:
        result = export_memory(output, memory=memory, lang=_language(lang), machine=machine)
    except TranslateError as error:
        raise fail(error) from error
    if not ctx.quiet:
        click.echo(f"{result.output}: {result.reviewed} reviewed translations" + (f", {result.machine} machine translations" if machine else ""))


@memory.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "lang", metavar="LANG", help="Only segments in this language (km takes km-KH too, stored as km). Default: every language, under its own tag.")
@_MEMORY
@click.pass_obj
def memory_import(ctx: Context, file: Path, lang: str | None, memory: Path | None) -> None:
    """Add the translations of a TMX file to the memory as reviewed translations.

    Units this tool exported as machine output are left out.
    """
    from translate.api import import_memory
    from translate.errors import TranslateError

    try:
        result = import_memory(file, memory=memory, lang=_language(lang))
    except TranslateError as error:
        raise fail(error) from error
    if not ctx.quiet:
        stored = ", ".join(f"{count} {tgt}" for tgt, count in sorted(result.reviewed.items())) or "nothing"
        skipped = [f"{count} {what}" for count, what in ((result.machine, "machine output"), (result.incomplete, "incomplete"), (result.other_languages, "in other languages")) if count]
        click.echo(f"{file}: stored {stored} as reviewed" + (f"; left out {', '.join(skipped)}" if skipped else ""))
