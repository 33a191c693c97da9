"""Commands over articles and catalogs: extract, publish, status."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from translate.cli.common import (
    Context,
    bad_setting,
    parse_langs,
    read_options,
    report_errors,
    report_withheld,
    workspace_from,
)


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Target languages, comma-separated BCP-47 codes (km or km,th). Without it only templates are written.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report (JSON) on stdout instead of one line per article.")
@read_options
@click.pass_obj
def extract(obj: Context, articles: tuple[Path, ...], to: str, as_json: bool, **read: Any) -> None:
    """Split articles into sentences and write or update their catalogs.

    Writes locales/templates/<slug>.pot and, for each language in --to,
    locales/<lang>/LC_MESSAGES/<slug>.po, keeping every existing translation
    (edited sentences become fuzzy, removed ones obsolete).
    """
    from translate.api import extract as run_extract
    from translate.errors import printable

    langs = parse_langs(to, obj.locales) if to.strip() else ()
    results = run_extract(articles, langs, workspace_from(obj, **read))
    errors = [e for r in results for e in r.errors]
    if as_json:
        from translate.cli.jsonreport import echo_json, extract_json, problems_json

        echo_json({"articles": extract_json(results), **problems_json(errors)})
    for result in results:
        if as_json:
            break
        if result.error is None and not obj.quiet:
            click.echo(printable(f"{result.path}: {result.sentences} sentences -> {result.template}"))
            for update in result.catalogs:
                r = update.report
                if r is None:
                    continue
                state = "updated" if update.written else "unchanged"
                click.echo(printable(f"  {update.path}: {state} (kept {r.kept}, fuzzy {r.fuzzy}, new {r.added}, obsolete {r.obsoleted})"))
    report_errors(errors)


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANG", help="Target language (BCP-47 code, e.g. km).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Folder for the published articles (flat layout: <slug>.<lang>.<ext>, bilingual: <slug>.en-<lang>.<format>).")
@click.option("--layout", type=click.Choice(["flat", "hugo-filename", "hugo-contentdir", "jekyll"]), default=None, help="Where localized articles go: flat (<slug>.<lang>.<ext>), hugo-filename (index.km.md beside index.md), hugo-contentdir (<output>/km/<path>), jekyll (polyglot: _posts/km/..., km/<page>, lang and the English permalink). Default: [publish] layout, else flat.")
@click.option("--source-root", "source_root", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder whose tree the hugo and jekyll layouts mirror into --output (e.g. content/en). Default: [publish] source_root, else the working folder.")
@click.option("--edition", type=click.Choice(["localized", "bilingual"]), default="localized", show_default=True, help="localized: the article in the target language; bilingual: English and translation side by side.")
@click.option("--edition-format", "edition_format", type=click.Choice(["html", "md"]), default=None, help="Format of the edition (--format names the articles' own format). Localized: md writes <slug>.<lang>.md for Hugo/Jekyll from any article (plain text and HTML converted); default: the article's own format. Bilingual: html (default) or md.")
@click.option("--localize-dates/--keep-dates", default=True, help="Write dates in bylines in the target language (Babel) when the article is published translated. Default: on.")
@click.option("--untranslated", type=click.Choice(["source", "omit", "fail"]), default="source", show_default=True, help="Sentences without a usable translation: keep the English, leave them out, or refuse to publish.")
@click.option("--include-fuzzy/--reviewed-only", default=False, help="Also use fuzzy (unreviewed, e.g. machine) translations. Default: reviewed only.")
@click.option("--label/--no-label", default=None, help="State the review state in a localized article (bilingual editions always do; texts in [labels.<lang>] of translate.toml). Default: [publish] label, else off.")
@click.option("--metadata/--no-metadata", default=None, help="Localized Markdown: translationKey and a localized date_display in the front matter; HTML: hreflang alternate links. Default: [publish] metadata, else off.")
@click.option("--highlight-unreviewed/--no-highlight-unreviewed", default=False, help="Bilingual HTML: mark sentences nobody reviewed.")
@click.option("--min-reviewed", type=click.FloatRange(0.0, 1.0), default=None, metavar="SHARE", help="Refuse to publish below this share of reviewed sentences (e.g. 0.8). Default: [publish] min_reviewed of translate.toml.")
@click.option("--require-reviewed", default=None, metavar="PARTS", help="Parts that must be fully reviewed: title, lede, heading, caption (comma-separated). Default: [publish] require_reviewed.")
@click.option("--khmer-digits/--ascii-digits", default=None, help="Digits in labels and dates (default: Khmer digits for km).")
@click.option("--strict/--no-strict", default=None, help="Refuse to publish an article with a translation that fails an error-level check (translate check) instead of publishing that sentence in English. Default: [publish] strict, else off.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report (JSON) on stdout instead of one line per article.")
@read_options
@click.pass_obj
def publish(
    obj: Context,
    articles: tuple[Path, ...],
    to: str,
    output: Path,
    layout: str | None,
    source_root: Path | None,
    edition: str,
    edition_format: str,
    untranslated: str,
    include_fuzzy: bool,
    label: bool | None,
    metadata: bool | None,
    highlight_unreviewed: bool,
    min_reviewed: float | None,
    require_reviewed: str | None,
    khmer_digits: bool | None,
    localize_dates: bool,
    strict: bool | None,
    as_json: bool,
    **read: Any,
) -> None:
    """Publish localized or bilingual articles from their catalogs.

    A translation that fails an error-level check (a control character,
    conflict markers, an empty text, a changed number...) is not published:
    its sentence goes out in English (or per --untranslated) and is listed on
    stderr; with --strict the article is refused instead.
    """
    from translate.api import publish as run_publish
    from translate.editions import Edition, EditionFormat
    from translate.errors import TranslateError, printable
    from translate.labels import read_label_overrides
    from translate.layout import read_layout
    from translate.publish import PublishOptions, Untranslated
    from translate.rules import read_rules, read_switch

    langs = parse_langs(to, obj.locales)
    config = None  # translate.toml in the working folder
    errors = []
    published: list[tuple[str, Any]] = []
    try:
        rules = read_rules(config, min_reviewed=min_reviewed, require_reviewed=require_reviewed)
        overrides = {lang.code: read_label_overrides(lang, config) for lang in langs}
        label = read_switch("label", config) if label is None else label
        metadata = read_switch("metadata", config) if metadata is None else metadata
        strict = read_switch("strict", config) if strict is None else strict
        chosen_layout = read_layout(layout, source_root, config)
    except TranslateError as error:
        raise click.ClickException(str(error)) from error
    for lang in langs:
        options = PublishOptions(
            untranslated=Untranslated(untranslated),
            include_fuzzy=include_fuzzy,
            label=label,
            labels=overrides[lang.code],
            khmer_digits=khmer_digits,
            metadata=metadata,
            localize_dates=localize_dates,
            strict=strict,
            layout=chosen_layout,
        )
        results = run_publish(
            articles,
            lang,
            output,
            workspace_from(obj, **read),
            options,
            edition=Edition(edition),
            edition_format=EditionFormat(edition_format) if edition_format else None,
            rules=rules if rules.active else None,
            highlight_unreviewed=highlight_unreviewed,
        )
        for result in results:
            published.append((lang.code, result))
            if result.error is not None:
                errors.append(result.error)
                continue
            if not obj.quiet and not as_json:
                click.echo(printable(f"{result.path} -> {result.output} ({result.translated}/{result.sentences} sentences translated, {result.reviewed} reviewed)"))
            report_withheld(result.withheld, result.output)
    if as_json:
        from translate.cli.jsonreport import echo_json, problems_json, publish_json

        echo_json({"articles": publish_json(published), **problems_json(errors)})
    report_errors(errors)


@click.command()
@click.argument("articles", nargs=-1, type=click.Path(path_type=Path))
@click.option("--to", "to", default="", metavar="LANGS", help="Only these languages (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Workspace configuration to report on (default: translate.toml with [workspace], or pyproject.toml with [tool.translate.workspace]).")
@click.option("--workspace/--catalogs", "workspace_mode", default=None, help="Report on the workspace's articles (totals, progress, changed English) or on the catalog tree. Default: the workspace when one is configured and no ARTICLES are given.")
@click.pass_obj
def status(obj: Context, articles: tuple[Path, ...], to: str, as_json: bool, config_file: Path | None, workspace_mode: bool | None) -> None:
    """Review progress of each article's catalog in each language.

    In a workspace (translate.toml with [workspace]): totals per language,
    progress per article, and the articles whose English changed since their
    catalogs were updated (run translate sync).
    """
    from translate.api import Workspace
    from translate.api import status as run_status

    langs = parse_langs(to) if to.strip() else ()
    if workspace_mode is None:
        workspace_mode = not articles and _configured_workspace(config_file)
    if workspace_mode:
        _workspace_status(obj, config_file, langs, as_json)
        return
    rows = run_status(articles, langs, Workspace(locales=obj.locales))
    if as_json:
        click.echo(json.dumps([_status_json(row) for row in rows], ensure_ascii=False, indent=2))
    else:
        _print_status(rows)
    report_errors([row.error for row in rows if row.error is not None])


def _configured_workspace(config_file: Path | None) -> bool:
    from translate.workspace.config import find_config, has_workspace

    found = config_file or find_config()
    return found is not None and has_workspace(found)


def _workspace_status(obj: Context, config_file: Path | None, langs: Sequence[Any], as_json: bool) -> None:
    from translate.cli.workspace import load_workspace
    from translate.errors import ConfigError
    from translate.workspace.status import workspace_status

    config = load_workspace(obj, config_file)
    try:
        result = workspace_status(config, langs)
    except ConfigError as error:
        raise bad_setting(error) from error
    if as_json:
        click.echo(json.dumps(_workspace_json(result), ensure_ascii=False, indent=2))
    else:
        _print_workspace(result)
    report_errors(list(result.errors))


def _workspace_json(result: Any) -> dict[str, Any]:
    languages = []
    for total in result.totals:
        s = total.stats
        languages.append(
            {"language": total.lang, "articles": total.articles, "missing": total.missing, "entries": s.entries, "translated": s.translated,
             "fuzzy": s.fuzzy, "untranslated": s.untranslated, "obsolete": s.obsolete, "reviewed_percent": round(s.reviewed_percent, 1)}
        )
    articles = []
    for article in result.articles:
        rows = [_status_json(row) | {"missing": row.stats is None and row.error is None} for row in article.rows]
        articles.append({"article": article.path.as_posix(), "slug": article.slug, "changed": article.changed, "languages": rows, "errors": [str(e) for e in article.errors]})
    return {
        "root": str(result.root),
        "languages": languages,
        "articles": articles,
        "changed": [a.path.as_posix() for a in result.changed],
        "errors": [str(e) for e in result.errors],
    }


def _print_workspace(result: Any) -> None:
    from translate.workspace.report import format_table

    if not result.articles:
        click.echo("no articles found (check sources in the workspace configuration)")
        return
    table = [["language", "articles", "entries", "reviewed", "fuzzy", "untranslated", "reviewed %", "no catalog"]]
    for total in result.totals:
        s = total.stats
        table.append([total.lang, str(total.articles), str(s.entries), str(s.translated), str(s.fuzzy), str(s.untranslated), f"{s.reviewed_percent:.0f}%", str(total.missing)])
    for line in format_table(table):
        click.echo(line)
    click.echo("")
    table = [["article", *[f"{lang} reviewed" for lang in result.languages], "changed"]]
    for article in result.articles:
        cells = []
        for row in article.rows:
            if row.error is not None:
                cells.append("error")
            elif row.stats is None:
                cells.append("-")
            else:
                cells.append(f"{row.stats.translated}/{row.stats.entries} {row.stats.reviewed_percent:.0f}%")
        table.append([article.path.as_posix(), *cells, "yes" if article.changed else ""])
    for line in format_table(table):
        click.echo(line)
    if result.changed:
        click.echo("")
        click.echo(f"{len(result.changed)} article(s) changed since their catalogs were updated (run translate sync):")
        for article in result.changed:
            click.echo(f"  {article.path.as_posix()}")


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


