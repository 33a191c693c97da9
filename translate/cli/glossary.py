"""``translate glossary``: list the terms of articles with their catalog translations."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import click

from translate.cli.common import (
    Context,
    fail,
    parse_langs,
    read_options,
    report_errors,
    workspace_from,
)

_SHOWN = 60


@click.command("glossary")
@click.argument("articles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="LANG", help="Language whose catalogs and glossary are looked at (BCP-47 code, e.g. km).")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Glossary file (CSV or TBX) besides locales/<lang>/glossary.csv|.tbx; repeatable.")
@click.option("--min-count", type=click.IntRange(1), default=1, show_default=True, help="Leave out terms found fewer times (glossary terms are always listed).")
@click.option("--csv", "as_csv", is_flag=True, help="Print a glossary to fill in (source,target,note) instead of a table.")
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON, with every translation found.")
@read_options
@click.pass_obj
def glossary(obj: Context, articles: tuple[Path, ...], to: str, glossaries: tuple[Path, ...], min_count: int, as_csv: bool, as_json: bool, **options: Any) -> None:
    """List names, titles and institutions of ARTICLE... with their translations so far.

    \b
    For each term: how often and in how many articles it occurs, its approved
    translation when the glossary has one (and how many catalog translations
    use it), and the translation of a sentence that contains it (reviewed
    first). With --csv the list is a glossary to complete:
      translate glossary articles/*.md --to km --csv > new-terms.csv
    Fill in targets as they are approved (an empty target is not approved
    yet and forbids nothing); write do-not-translate in the flags column of
    terms to keep as written.
    """
    from translate.api import find_terms_in
    from translate.errors import TranslateError

    [lang] = parse_langs(to)[:1]
    workspace = workspace_from(obj, **options)
    try:
        uses, errors = find_terms_in(articles, lang, workspace, glossaries, min_count=min_count)
    except TranslateError as error:
        raise fail(error) from error
    if as_json:
        click.echo(json.dumps([_as_json(use) for use in uses], ensure_ascii=False, indent=2))
    elif as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["source", "target", "note", "flags"])
        for use in uses:
            approved = use.approved
            target = (approved.source if approved.keep else approved.target) if approved else ""
            note = approved.note if approved and approved.note else f"{use.count}x in {len(use.articles)} articles"
            writer.writerow([use.source, target, note, "do-not-translate" if approved and approved.keep else ""])
    else:
        _table(uses)
    report_errors(errors)


def _as_json(use: Any) -> dict[str, Any]:
    approved = use.approved
    return {
        "source": use.source,
        "count": use.count,
        "articles": list(use.articles),
        "approved": None if approved is None else {"target": approved.target, "keep": approved.keep, "note": approved.note},
        "uses_approved": use.uses_approved,
        "translations": [{"article": t.slug, "msgid": t.msgid, "msgstr": t.msgstr, "reviewed": t.reviewed} for t in use.translations],
    }


def _table(uses: list[Any]) -> None:
    if not uses:
        click.echo("no terms found", err=True)
        return
    width = max(len("term"), *(len(use.source) for use in uses))
    click.echo(f"{'term':<{width}}  count  articles  approved (used)  translation of a sentence with it")
    for use in uses:
        approved = ""
        if use.approved is not None:
            shown = "(keep)" if use.approved.keep else use.approved.target
            approved = f"{shown} ({use.uses_approved}/{len(use.translations)})"
        example = ""
        if use.translations:
            first = use.translations[0]
            example = ("" if first.reviewed else "[fuzzy] ") + first.msgstr.replace("\n", " ")
            example = example if len(example) <= _SHOWN else example[: _SHOWN - 1] + "…"
        click.echo(f"{use.source:<{width}}  {use.count:>5}  {len(use.articles):>8}  {approved:<15}  {example}".rstrip())
