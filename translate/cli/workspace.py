"""Workspace commands: init (write a commented translate.toml) and sync."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from translate.cli.common import BACKEND_HELP, BACKENDS, EXIT_BEING_EDITED, EXIT_PARTIAL, Context, HiddenChoice, SettingError, bad_setting, executor_flags, executor_options, fail

if TYPE_CHECKING:
    from translate.workspace.config import WorkspaceConfig

#: Exit code when another sync holds the workspace lock (nothing was done).
EXIT_LOCKED = 3


@click.command()
@click.option("--pyproject", is_flag=True, help="Add the settings to pyproject.toml as [tool.translate] instead of writing translate.toml.")
@click.option("--to", "to", default="", metavar="LANGS", help="Target languages to put in the file (default: km).")
@click.option("--source", "sources", multiple=True, metavar="GLOB", help="Article glob to put in the file; repeat for several.")
@click.option("--force", is_flag=True, help="Replace an existing translate.toml.")
def init(pyproject: bool, to: str, sources: tuple[str, ...], force: bool) -> None:
    """Write a commented default workspace configuration (translate.toml)."""
    from translate.cli.common import parse_langs
    from translate.errors import TranslateError
    from translate.workspace.template import default_config, write_default

    langs = tuple(lang.code for lang in parse_langs(to)) if to.strip() else ()
    target = Path("pyproject.toml" if pyproject else "translate.toml")
    try:
        written = write_default(target, default_config(sources, langs), force=force)
    except TranslateError as error:
        raise fail(error) from error
    click.echo(f"wrote {written}: edit sources and languages, then run translate sync")


def _now() -> datetime | None:
    """The time for catalog headers: ``SOURCE_DATE_EPOCH`` when set (reproducible runs), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not epoch.isdigit():
        raise click.BadParameter(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {epoch!r}", param_hint="SOURCE_DATE_EPOCH")
    return datetime.fromtimestamp(int(epoch), timezone.utc)


def load_workspace(obj: Context, config_file: Path | None, **overrides: Any) -> WorkspaceConfig:
    """The workspace configuration with command-line overrides (``--locales`` of the group when given)."""
    from translate.errors import ConfigError
    from translate.workspace.config import check_pattern, load_config

    try:
        config = load_config(config_file)
        for pattern in overrides.get("sources") or ():
            check_pattern(pattern, config.root, setting="--source")
        parent = click.get_current_context().parent
        if parent is not None and parent.get_parameter_source("locales") is not click.core.ParameterSource.DEFAULT:
            overrides["locales"] = obj.locales.resolve()
        return config.override(**overrides)
    except ConfigError as error:
        raise bad_setting(error) from error


def _warn_license(model: Any) -> None:
    from translate.mt.models import license_warning

    warning = license_warning(model)
    if warning:
        click.echo(warning, err=True)


@click.command()
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Workspace configuration (default: translate.toml, or pyproject.toml with [tool.translate], here or in a parent folder).")
@click.option("--to", "to", default="", metavar="LANGS", help="Target languages, overriding the file (comma-separated BCP-47 codes).")
@click.option("--source", "sources", multiple=True, metavar="GLOB", help="Article glob, replacing the file's sources; repeat for several.")
@click.option("--exclude", "exclude", multiple=True, metavar="GLOB", help="Leave out matching files (added to the file's exclusions).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder for published articles.")
@click.option("--model", metavar="NAME|DIR", help="A model named in models.lock or a local model folder.")
@click.option("--commercial/--no-commercial", default=None, help="Commercial use: refuse models whose license forbids it and default to the best permitted one (default: [workspace] commercial).")
@click.option("--backend", type=HiddenChoice(BACKENDS, hidden=("fake",)), help=BACKEND_HELP + " Default: [workspace] backend, else auto.")
@click.option("--engine", type=HiddenChoice(BACKENDS, hidden=("fake",)), hidden=True, help="Former name of --backend.")
@click.option("--memory", type=click.Path(dir_okay=False, path_type=Path), help="Translation-memory file (default: .translate/memory.sqlite3 of the workspace).")
@click.option("--force", is_flag=True, help="Redo every article, not only those that changed.")
@click.option("--wait", type=click.FloatRange(0), default=0.0, show_default=True, metavar="SECONDS", help="Wait this long for another sync of the workspace to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@executor_options
@click.pass_obj
def sync(
    obj: Context,
    config_file: Path | None,
    to: str,
    sources: tuple[str, ...],
    exclude: tuple[str, ...],
    output: Path | None,
    model: str | None,
    commercial: bool | None,
    backend: str | None,
    engine: str | None,
    memory: Path | None,
    force: bool,
    wait: float,
    as_json: bool,
    **options: Any,
) -> None:
    """Bring every article of the workspace up to date in every language.

    For each article that changed since the last sync (its English, a catalog
    or a published file): extract and merge its catalogs, machine-translate
    only new sentences (the model is loaded at most once), run the checks,
    and publish. A run with nothing changed does nothing. Safe to interrupt
    at any point: the next run finishes the job with the same result.

    Exit codes: 0 done; 1 some articles failed (listed, the rest were done);
    2 bad command line or configuration; 3 another sync is running; 4 some
    catalogs were being saved by another program and were left alone (listed;
    the next sync does them).
    """
    from translate.cli.common import parse_langs
    from translate.errors import ConfigError, TranslateError
    from translate.workspace.config import check_pattern
    from translate.workspace.lock import LockedError
    from translate.workspace.report import report_json, summary_lines
    from translate.workspace.sync import SyncOptions
    from translate.workspace.sync import sync as run_sync

    if engine is not None:
        if backend is not None and backend != engine:
            raise SettingError(f"--engine {engine} and --backend {backend}: --engine is the former name of --backend; give only --backend")
        click.echo("note: --engine is now called --backend (the same for every command)", err=True)
        backend = engine
    languages = tuple(lang.code for lang in parse_langs(to)) if to.strip() else None
    extra_exclude = tuple(exclude) or None
    config = load_workspace(
        obj,
        config_file,
        languages=languages,
        sources=tuple(sources) or None,
        output=output,
        model=model,
        commercial=commercial,
        backend=backend,
        memory=memory,
    )
    if extra_exclude:
        try:
            for pattern in extra_exclude:
                check_pattern(pattern, config.root, setting="--exclude")
        except ConfigError as error:
            raise bad_setting(error) from error
        config = config.override(exclude=config.exclude + extra_exclude)
    try:
        from translate.languages import parse_languages
        from translate.workspace.setup import executor, validate

        validate(config, parse_languages(",".join(config.languages)) if config.languages else ())
        where = executor(config, executor_flags(options))
    except ConfigError as error:
        raise bad_setting(error) from error
    if config.languages:
        parse_langs(",".join(config.languages), config.path(config.locales))  # one language, one catalog tree
    from translate.cli.progress import Progress

    printer = None if obj.quiet else Progress("sync")
    try:
        report = run_sync(config, SyncOptions(now=_now(), force=force, wait=wait, executor=where), progress=printer.sync_event if printer else None, on_model=_warn_license)
    except LockedError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_LOCKED)
    except ConfigError as error:
        raise bad_setting(error) from error
    except TranslateError as error:
        raise fail(error) from error
    finally:
        if printer is not None:
            printer.close()
    if as_json:
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    elif not obj.quiet:
        for line in summary_lines(report):
            click.echo(line)
    withheld = [item for article in report.articles for outcome in article.languages for item in outcome.withheld]
    if obj.quiet and withheld:  # one line, not one per entry: a backfill withholds thousands
        catalogs = len({item.catalog for item in withheld})
        click.echo(f"withheld: {len(withheld)} translation(s) in {catalogs} catalog(s) failed an error-level check and were published without them; "
                   "run: translate check", err=True)
    else:
        for item in withheld:
            click.echo(f"withheld: {item} (published without it; fix it in the catalog)", err=True)
    for problem in report.skipped:
        click.echo(f"skipped: {problem}", err=True)
    for problem in report.errors:
        click.echo(f"error: {problem}", err=True)
    if report.partial:
        if not obj.quiet:
            click.echo(f"partial: {len({e.path for e in report.errors})} file(s) had errors; the other articles were synced", err=True)
        sys.exit(EXIT_PARTIAL)
    if report.skipped:
        click.echo(f"skipped: {len({e.path for e in report.skipped})} catalog(s) were being edited and were left alone; the next sync does them", err=True)
        sys.exit(EXIT_BEING_EDITED)
