"""``translate check``: run the quality checks over catalogs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from translate.cli.common import EXIT_PARTIAL, Context, SettingError, bad_setting, fail, parse_langs

if TYPE_CHECKING:
    from translate.checks.run import CheckReport


@click.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Languages to check, comma-separated BCP-47 codes (default: every language under --locales).")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Glossary file (CSV source,target,note[,lang] or TBX) of terms that must be translated as given; repeatable. locales/<lang>/glossary.csv|.tbx are always used.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report instead of one line per failure.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks: name, severity, the flags that silence each, what it looks for.")
@click.pass_obj
def check(obj: Context, articles: tuple[Path, ...], to: str, glossaries: tuple[Path, ...], as_json: bool, list_checks: bool) -> None:
    """Check translations for changed numbers, dropped links, loops, English left in...

    \b
    Checks the translated entries (fuzzy and reviewed) of the catalogs of
    ARTICLE... (article files, catalog names, or .po files checked as given),
    or of every catalog under --locales. An ARTICLE that matches no catalog
    is an error (exit 2). Prints  path:line: severity: check: message  and
    exits 1 when errors remain (warnings alone exit 0).
    \b
    A translator silences one check on one entry with a flag, as in Weblate:
      #, fuzzy, ignore-numbers      (the translation converts 5 miles to 8 km)
    Silenced failures are counted as suppressed (listed under "suppressed"
    with --json); translate check --list names every check.
    """
    from translate.catalog.paths import find_catalogs
    from translate.checks import Severity
    from translate.checks.run import catalog_files, check_catalogs, unmatched
    from translate.cli.jsonreport import echo_json
    from translate.errors import InputError, TranslateError
    from translate.glossary import load_glossary

    from translate.catalog.names import catalog_names

    if list_checks:
        _list(as_json)
        return
    langs = [lang.gettext for lang in parse_langs(to, obj.locales)] if to else []
    given = [article for article in articles if article.suffix == ".po"]
    names = [article for article in articles if article.suffix != ".po"]
    catalog_of, clashes = catalog_names([article for article in names if article.is_file()], obj.locales)
    if clashes:
        raise fail(next(iter(clashes.values())))
    slugs = [catalog_of.get(article, article.name.split(".", 1)[0]) for article in names]
    files = {name: article for article, name in catalog_of.items()}
    try:
        catalogs = catalog_files(given)
    except InputError as error:
        raise bad_setting(error) from error
    except TranslateError as error:
        raise fail(error) from error
    missing = unmatched(obj.locales, slugs, langs)
    if missing:
        article = next(a for a in names if catalog_of.get(a, a.name.split(".", 1)[0]) == missing[0])
        where = f" in {', '.join(langs)}" if langs else ""
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise SettingError(
            f"{article}: no catalog named {missing[0]}.po under {obj.locales}{where}{more} "
            f"(name an article or catalog that has one, a .po file, or run: translate extract {article} --to LANG)"
        )
    try:
        glossary_langs = sorted(set(langs or {lang for lang, _ in find_catalogs(obj.locales)}) | {lang for lang, _ in catalogs})
        glossary = load_glossary(obj.locales, glossary_langs, glossaries)
        report = check_catalogs(obj.locales, slugs, langs, glossary.terms, articles=files, files=catalogs)
    except TranslateError as error:
        raise fail(error) from error
    if as_json:
        echo_json(report_json(report))
    else:
        for entry in report.reports:
            for failure in entry.failures:
                if obj.quiet and failure.severity != "error":
                    continue
                click.echo(f"{entry.path}:{entry.line}: {failure.severity}: {failure.check}: {failure.message}")
        if not obj.quiet:
            suppressed = f", {report.suppressed} suppressed by ignore- flags" if report.suppressed else ""
            click.echo(
                f"{len(report.catalogs)} catalogs, {report.entries} translations checked: "
                f"{report.count(Severity.ERROR)} errors, {report.count(Severity.WARNING)} warnings{suppressed}",
                err=True,
            )
    for error in report.refused:
        click.echo(f"error: {error}", err=True)
    if report.has_errors or report.refused:
        sys.exit(EXIT_PARTIAL)


def report_json(report: CheckReport) -> dict[str, Any]:
    """``translate check --json``: totals, then each entry with its failures and suppressed failures."""
    from translate.checks import Severity
    from translate.cli.jsonreport import error_json, failure_json

    return {
        "catalogs": [str(path) for path in report.catalogs],
        "entries": report.entries,
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "suppressed": report.suppressed,
        "failures": [
            {
                "path": str(entry.path),
                "line": entry.line,
                "msgid": entry.msgid,
                "msgctxt": entry.msgctxt,
                "fuzzy": entry.fuzzy,
                "failures": [failure_json(failure) for failure in entry.failures],
                "suppressed": [failure_json(failure) for failure in entry.suppressed],
            }
            for entry in report.reports
        ],
        "refused": [error_json(error) for error in report.refused],
    }


def _list(as_json: bool) -> None:
    from translate.checks import CATALOG_CHECKS, IGNORE_PREFIX, checks

    registry = checks()
    rows = [(name, str(c.severity), (name, *c.aliases), (c.function.__doc__ or "").strip().splitlines()[0]) for name, c in registry.items()]
    rows += [(name, "warning", (name,), "a glossary term not translated as approved") for name in CATALOG_CHECKS]
    if as_json:
        click.echo(json.dumps([{"check": n, "severity": s, "flags": [IGNORE_PREFIX + a for a in names], "description": d} for n, s, names, d in rows], ensure_ascii=False, indent=2))
        return
    width = max(len(name) for name, *_ in rows)
    for name, severity, names, description in rows:
        click.echo(f"{name:<{width}}  {severity:<7}  {', '.join(IGNORE_PREFIX + a for a in names)}")
        click.echo(f"{'':<{width}}  {description}")
