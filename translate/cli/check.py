"""``translate check``: run the quality checks over catalogs."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from translate.cli.common import EXIT_PARTIAL, Context, fail, parse_langs


@click.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Languages to check, comma-separated BCP-47 codes (default: every language under --locales).")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Glossary file (CSV source,target,note[,lang] or TBX) of terms that must be translated as given; repeatable. locales/<lang>/glossary.csv|.tbx are always used.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report instead of one line per failure.")
@click.pass_obj
def check(obj: Context, articles: tuple[Path, ...], to: str, glossaries: tuple[Path, ...], as_json: bool) -> None:
    """Check translations for changed numbers, dropped links, loops, English left in...

    \b
    Checks the translated entries (fuzzy and reviewed) of the catalogs of
    ARTICLE... (files or catalog names), or of every catalog under --locales.
    Prints  path:line: severity: check: message  and exits 1 when errors remain
    (warnings alone exit 0).
    """
    from translate.catalog.paths import find_catalogs
    from translate.checks import Severity
    from translate.checks.run import check_catalogs
    from translate.errors import TranslateError
    from translate.glossary import load_glossary

    langs = [lang.gettext for lang in parse_langs(to)] if to else []
    from translate.article import article_slug

    try:
        slugs = [article_slug(article) for article in articles]
        glossary_langs = langs or sorted({lang for lang, _ in find_catalogs(obj.locales)})
        glossary = load_glossary(obj.locales, glossary_langs, glossaries)
        report = check_catalogs(obj.locales, slugs, langs, glossary.terms)
    except TranslateError as error:
        raise fail(error) from error
    if as_json:
        data = {
            "catalogs": [str(path) for path in report.catalogs],
            "entries": report.entries,
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "failures": [
                {**asdict(entry), "path": str(entry.path), "failures": [{**asdict(failure), "severity": str(failure.severity)} for failure in entry.failures]}
                for entry in report.reports
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for entry in report.reports:
            for failure in entry.failures:
                if obj.quiet and failure.severity != "error":
                    continue
                click.echo(f"{entry.path}:{entry.line}: {failure.severity}: {failure.check}: {failure.message}")
        if not obj.quiet:
            click.echo(f"{len(report.catalogs)} catalogs, {report.entries} translations checked: {report.count(Severity.ERROR)} errors, {report.count(Severity.WARNING)} warnings", err=True)
    if report.has_errors:
        sys.exit(EXIT_PARTIAL)

